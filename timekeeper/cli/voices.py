"""``timekeeper voices list | remove NAME``: the stored voice profiles."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("voices", help="list or remove stored voice profiles",
                              description="Voice profiles hold model parameters only, never audio.")
    p.add_argument("action", choices=("list", "remove"))
    p.add_argument("name", nargs="?", help="the profile to remove, exactly as enrolled (no wildcards)")
    p.add_argument("--voices-dir", default=None, help="profile folder (default: the user's data folder)")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="more detail on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.errors import ConfigError
    from timekeeper.speakers.profiles import ProfileStore

    store = ProfileStore(args.voices_dir)
    if args.action == "list":
        profiles = store.list()
        if not profiles:
            print(f"no voice profiles in {store.dir} (enroll with `timekeeper enroll NAME --from FILE.wav`)")
            return 0
        for p in profiles:
            old = "  (older version: enroll again)" if not len(p.embeddings) else ""
            print(f"{p.name:<20} {p.speech_s:5.1f} s of speech  {len(p.embeddings):3d} voice prints  "
                  f"{p.created_at}{old}")
        return 0
    if not args.name:
        raise ConfigError("say which profile to remove: timekeeper voices remove NAME")
    removed = store.remove(args.name)
    print(f"removed the voice profile of {removed}")
    return 0
