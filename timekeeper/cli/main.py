"""Entry point: ``timekeeper`` (console script) and ``python -m timekeeper``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from timekeeper import __version__
from timekeeper.errors import TimekeeperError

# Sub-command modules, in the order --help lists them.
COMMAND_MODULES = (
    "run",
    "agenda",
    "demo",
    "listen",
    "devices",
    "models",
    "enroll",
    "voices",
    "whois",
    "report",
)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line naming the fix, exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="timekeeper",
        description="Offline, voice-assisted timekeeper for co-development workshops.",
    )
    parser.add_argument("--version", action="version", version=f"timekeeper {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail on stderr")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"timekeeper.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"timekeeper.cli.{name}":
                continue  # not built yet
            raise
        module.register(subparsers)
    return parser


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every sub-command accepts (so they work after the command name too)."""
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="more detail on stderr")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except TimekeeperError as exc:
        print(f"timekeeper: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("timekeeper: interrupted", file=sys.stderr)
        return 130
