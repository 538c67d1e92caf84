"""``timekeeper demo``: replay a generated codev session through the real pipeline."""

from __future__ import annotations

import argparse

from timekeeper.lang import LANGS
import sys
from pathlib import Path

from timekeeper.cli.main import add_common


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "demo", help="see it work in a minute, no microphone needed",
        description="Build (or reuse) a short generated codev session, replay it through the real "
                    "pipeline — voice commands, speakers, announcements — and write its report.")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of announcements and report")
    p.add_argument("--sessions-dir", help="where the demo's session folder goes (default ./sessions)")
    p.add_argument("--speak", action="store_true", default=None, help="speak the announcements (default: if a sound card exists)")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.demo import run_demo

    return run_demo(args.lang, out=sys.stdout, err=sys.stderr,
                    sessions_dir=Path(args.sessions_dir) if args.sessions_dir else None,
                    speak=args.speak, verbose=getattr(args, "verbose", False))
