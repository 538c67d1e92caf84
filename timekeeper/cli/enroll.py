"""``timekeeper enroll``: learn voices, from a WAV file or in a guided round at the microphone."""

from __future__ import annotations

import argparse

from timekeeper.lang import LANGS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "enroll", help="learn a participant's voice (from a WAV file, or a guided round at the microphone)",
        description="Build voice profiles (model parameters only, never audio) in the user's data folder. "
                    "`timekeeper enroll NAME --from FILE.wav` uses a recording of NAME (10 s of clear speech "
                    "or more); `timekeeper enroll --participants \"Alice,Bob\"` asks each person in turn.")
    p.add_argument("name", nargs="?", help="the participant's name (with --from)")
    p.add_argument("--from", dest="from_wav", metavar="FILE.wav", help="a recording of this person alone")
    p.add_argument("--participants", metavar="NAMES", help='comma-separated names for a guided round, e.g. "Alice,Bob"')
    p.add_argument("--input", default="mic", help="audio source of the guided round (default: mic)")
    p.add_argument("--seconds", type=float, default=25.0,
                   help="recording length per person (default: 25 s; 8 s of clear speech are needed)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of the prompts")
    p.add_argument("--voices-dir", default=None, help="profile folder (default: the user's data folder)")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="more detail on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, *, say=None, open_source=None) -> int:
    from timekeeper.errors import ConfigError
    from timekeeper.speakers.profiles import ProfileStore

    store = ProfileStore(args.voices_dir)
    if args.participants:
        if args.name or args.from_wav:
            raise ConfigError("give either NAME --from FILE.wav or --participants \"A,B\", not both")
        from timekeeper.speakers.guided import guided_round

        names = [n.strip() for n in args.participants.split(",") if n.strip()]
        if not names:
            raise ConfigError('--participants needs names separated by commas, e.g. "Alice,Bob"')
        if open_source is None:
            from timekeeper.audio.sources import open_source as _open

            spec = args.input
            open_source = lambda: _open(spec)  # noqa: E731
        kw = {"say": say} if say is not None else {}
        result = guided_round(names, open_source, seconds=args.seconds, lang=args.lang, **kw)
        from timekeeper.speakers.enroll import describe

        for prof in result.profiles:
            store.save(prof)
            print(describe(prof))
        if result.failed:
            print(f"not enrolled: {', '.join(result.failed)} (run the round again for them)")
            return 1
        return 0
    if not args.name or not args.from_wav:
        raise ConfigError('give NAME --from FILE.wav, or --participants "Alice,Bob" for a guided round')
    from timekeeper.speakers.enroll import describe, enroll_from_samples
    from timekeeper.speakers.wavio import read_int16

    prof = enroll_from_samples(args.name, read_int16(args.from_wav))
    path = store.save(prof)
    print(f"{describe(prof)} -> {path}")
    return 0
