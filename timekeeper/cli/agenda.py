"""``timekeeper agenda``: print a preset's or a file's plan (or its TOML)."""

from __future__ import annotations

import argparse

from timekeeper.cli.main import add_common
from timekeeper.lang import LANGS


def register(subparsers) -> None:
    p = subparsers.add_parser("agenda", help="print an agenda's phases and time boxes",
                              description="Print a preset (codev-60, codev-90, codev-120) or a TOML agenda.")
    p.add_argument("agenda", nargs="?", default=None, help="preset name or .toml file (default codev-90)")
    p.add_argument("--lang", choices=LANGS, default="fr", help="language of the phase names (default fr)")
    p.add_argument("--toml", action="store_true", help="print it as a TOML file to copy and edit")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.agenda import agenda_to_toml, get_agenda
    from timekeeper.lang import get as get_lang
    from timekeeper.view import clock_text

    agenda = get_agenda(args.agenda)
    if args.toml:
        print(agenda_to_toml(agenda), end="")
        return 0
    words = get_lang(args.lang)
    who = words.SPEAKERS
    print(f"{agenda.name(args.lang)} ({agenda.id})")
    start = 0.0
    for phase in agenda.phases:
        print(f"  {clock_text(start):>7}  {phase.number}. {phase.name(args.lang):<42} "
              f"{clock_text(phase.planned_s):>6}  {who[phase.speakers]}")
        start += phase.planned_s
    print(f"  {clock_text(start):>7}  {words.END}")
    return 0
