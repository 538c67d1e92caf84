"""`timekeeper listen FILE.wav`: what the command recogniser hears, accepts and rejects."""

from __future__ import annotations

import argparse

from timekeeper.lang import DEFAULT, LANGS


def register(subparsers: argparse._SubParsersAction) -> None:
    from timekeeper.cli.main import add_common

    p = subparsers.add_parser(
        "listen", help="print the voice commands heard in a recording (or a microphone)",
        description="Check a room and a voice before a session: replay a WAV file (or listen to a "
                    "microphone) through the command recogniser and print, with times, every "
                    "utterance it examined, the commands it accepted and why it refused the rest. "
                    "Nothing is journaled or kept.")
    add_common(p)
    p.add_argument("input", help="a WAV file, or mic / mic:N")
    p.add_argument("--lang", default=DEFAULT, choices=LANGS,
                   help=f"language the commands are spoken in (default {DEFAULT}, as for run)")
    p.add_argument("--engine", default="auto", choices=["auto", "builtin", "vosk"])
    p.add_argument("--model", help="vosk model folder (overrides the installed one)")
    p.add_argument("--models-dir", help="where installed models live")
    p.add_argument("--wake", help="wake phrase (default: 'time keeper' / 'chrono'; '' for none)")
    p.add_argument("--agenda", default="codev-90",
                   help="agenda whose phase numbers \"go to phase N\" accepts (preset or TOML file; default codev-90)")
    p.add_argument("--all", action="store_true", help="also list speech segments not examined (too long/short)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.agenda import get_agenda
    from timekeeper.clocktext import elapsed
    from timekeeper.config import Settings, override
    from timekeeper.stages import build_stages

    phases = get_agenda(args.agenda).numbers
    settings = override(Settings(lang=args.lang), **{"listen.input": args.input, "listen.engine": args.engine,
                                                     "listen.model": args.model, "listen.speakers": False})
    stages = build_stages(settings, phases=phases, models_dir=args.models_dir,
                          wake="default" if args.wake is None else args.wake)
    source, vad, listener = stages.source, stages.vad, stages.listener
    n_acc = 0
    print(f"listening to {source.name} with {listener.recognizer.name} ({args.lang})")

    def show(seg) -> None:
        nonlocal n_acc
        d = listener.accept(seg)
        span = f"{elapsed(seg.start_s, 2)}-{elapsed(seg.end_s, 2)}"
        if d is None:
            if args.all:
                cfg = listener.cfg
                why = ("not a command length" if not cfg.min_duration_s <= seg.duration_s <= cfg.max_duration_s
                       else "no pause before it")
                print(f"{span}  skip     ({seg.duration_s:.1f} s of speech, {why})")
            return
        if d.accepted:
            n_acc += 1
            print(f"{span}  ACCEPT   {str(d.command):<10} heard \"{d.text}\"")
        else:
            print(f"{span}  reject   {d.reason:<24} heard \"{d.text}\"")

    try:
        for frame in source.frames():
            for seg in vad.accept(frame):
                show(seg)
        for seg in vad.flush():
            show(seg)
    except KeyboardInterrupt:
        pass
    finally:
        stages.close()
    print(f"{n_acc} command(s) accepted")
    return 0
