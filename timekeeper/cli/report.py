"""``timekeeper report``: write the summary of a session, or of a cycle of sessions."""

from __future__ import annotations

import argparse

from timekeeper.lang import LANGS
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report", help="write the summary of a session (or of a cycle) from its journal",
        description="Build the after-session report from SESSION_DIR/journal.jsonl "
                    "(default output: SESSION_DIR/report.<format>). With --cycle, put several "
                    "sessions of one group side by side (a folder of sessions takes them all; "
                    "default output: cycle-report.<format> in their parent folder).")
    p.add_argument("dirs", nargs="+", metavar="SESSION_DIR", type=Path,
                   help="session folder(s) holding journal.jsonl")
    p.add_argument("--format", "-f", choices=("html", "md", "csv", "json"), default="html",
                   help="report format (default: html; --cycle accepts html, md, json)")
    p.add_argument("--out", "-o", type=Path, default=None, help="output file (- for standard output)")
    p.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help='give a voice its name, e.g. --rename "Voice 1=Bob" (repeatable)')
    p.add_argument("--lang", choices=LANGS, default=None,
                   help="language of the report (default: the session's)")
    p.add_argument("--cycle", action="store_true", help="cycle view of several sessions of one group")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="more detail on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from timekeeper.errors import ConfigError
    from timekeeper.report import build_report, parse_renames, write_report

    renames = parse_renames(args.rename)
    if args.cycle:
        from timekeeper.report.cycle import build_cycle_report, write_cycle_report

        if args.format == "csv":
            raise ConfigError("--cycle writes html, md or json: choose one with --format")
        if args.out is not None and str(args.out) == "-":
            sys.stdout.write(build_cycle_report(args.dirs, args.format, args.lang, renames))
            return 0
        path = write_cycle_report(args.dirs, args.format, args.out, args.lang, renames)
    else:
        if len(args.dirs) != 1:
            raise ConfigError("give one session folder (or add --cycle to compare several)")
        if args.out is not None and str(args.out) == "-":
            sys.stdout.write(build_report(args.dirs[0], args.format, args.lang, renames))
            return 0
        path = write_report(args.dirs[0], args.format, args.out, args.lang, renames)
    print(path)
    return 0
