"""``timekeeper whois FILE.wav``: print who the program thinks spoke when."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("whois", help="print who spoke when in a recording (enrolled voices)",
                              description="Run voice activity detection and speaker identification on a "
                                          "WAV file with the stored voice profiles, and print the turns.")
    p.add_argument("wav", metavar="FILE.wav")
    p.add_argument("--voices", metavar="NAMES", default=None,
                   help='only these profiles, comma-separated (default: all stored)')
    p.add_argument("--voices-dir", default=None, help="profile folder (default: the user's data folder)")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="more detail on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.clocktext import elapsed
    from timekeeper.config import Settings, override
    from timekeeper.errors import EnrollmentError
    from timekeeper.speakers.profiles import ProfileStore
    from timekeeper.stages import build_stages

    store = ProfileStore(args.voices_dir)
    names = [n.strip() for n in args.voices.split(",") if n.strip()] if args.voices else None
    profiles = store.load_many(names)
    if not profiles:
        raise EnrollmentError(f"no voice profiles in {store.dir}: enroll people first "
                              f"(`timekeeper enroll NAME --from FILE.wav`)")
    settings = override(Settings(), **{"listen.input": args.wav, "listen.speakers": True})
    stages = build_stages(settings, commands=False, rules=False, profiles=profiles)
    source, vad, tracker = stages.source, stages.vad, stages.tracker
    turns = []
    try:
        for frame in source.frames():
            for seg in vad.accept(frame):
                turns += tracker.accept(seg)
        for seg in vad.flush():
            turns += tracker.accept(seg)
        turns += tracker.flush()
    finally:
        stages.close()
    totals: dict[str, float] = {}
    for t in turns:
        print(f"{elapsed(t.start_s, 1)} - {elapsed(t.end_s, 1)}  {t.speaker:<16} score {t.score:+.2f}")
        totals[t.speaker] = totals.get(t.speaker, 0.0) + t.end_s - t.start_s
    all_s = sum(totals.values())
    if all_s:
        print("speaking time:")
        for who, s in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"  {who:<16} {s:7.1f} s  {100 * s / all_s:5.1f} %")
    else:
        print("no speech found")
    return 0
