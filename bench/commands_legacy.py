"""The PREVIOUS command bench, kept for comparison (issue 10: it measured the voices it was tuned
on): recall on the generator's 48-command set (4 espeak voices, 15 dB), false commands per hour
on its synthetic distractor hour, and decision latency beyond the VAD endpoint.

    python bench/bench_commands.py --legacy                       # built-in English
    python bench/bench_commands.py --legacy --only commands
    python bench/bench_commands.py --legacy --engine vosk --model PATH --lang fr
    python bench/bench_commands.py --legacy --ceiling   # what the built-in model can do at best

``--ceiling`` cuts every command out of the commands session at its true time (no VAD, no
false-trigger check) and decodes it with the grammar alone under several decoder settings: the
share decoded as the right command is the most any acceptance rule could reach with this model.

Sessions are built by testkit into bench/cache (reused when up to date).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timekeeper.asr.listener import CommandListener  # noqa: E402
from timekeeper.audio.sources import open_source  # noqa: E402
from timekeeper.audio.vad import Vad  # noqa: E402
from timekeeper.stages import build_listener  # noqa: E402


def replay(wav: Path, listener: CommandListener) -> tuple[list, list[float], float]:
    """(decisions, per-decision latency beyond the endpoint in s, wall time)."""
    vad = Vad()
    decisions, lat = [], []
    t0 = time.perf_counter()
    src = open_source(str(wav))

    settle = getattr(listener.recognizer, "settle", None)

    def handle(seg) -> None:
        if settle is not None and seg.duration_s >= listener.cfg.min_duration_s:
            settle()  # live, the segment's own length passes before it ends: the helper is idle by then
        t = time.perf_counter()
        d = listener.accept(seg)
        if d is not None:
            lat.append(time.perf_counter() - t)
            decisions.append(d)

    for f in src.frames():
        for seg in vad.accept(f):
            handle(seg)
    for seg in vad.flush():
        handle(seg)
    return decisions, lat, time.perf_counter() - t0


def build(name: str, cache: Path) -> tuple[Path, dict]:
    from testkit.presets import build as synth_build

    wav = synth_build(name, cache, 0)
    truth = json.loads(wav.with_suffix("").with_suffix(".truth.json").read_text()) if False else \
        json.loads(Path(str(wav)[:-4] + ".truth.json").read_text())
    return wav, truth


def score_commands(decisions: list, truth: dict, verbose: bool) -> dict:
    cmds = truth["commands"]
    used = set()
    hit = wrong = 0
    for c in cmds:
        match = [i for i, d in enumerate(decisions) if d.accepted and i not in used
                 and d.start_s <= c["end_s"] + 1.0 and d.end_s >= c["start_s"] - 1.0]
        if match and str(decisions[match[0]].command) == c["command"]:
            hit += 1
            used.add(match[0])
        else:
            if match:
                wrong += 1
                used.add(match[0])
            if verbose:
                near = [d for d in decisions if d.start_s <= c["end_s"] + 1 and d.end_s >= c["start_s"] - 1]
                print(f"  missed {c['start_s']:7.2f} {c['text']!r} -> "
                      + "; ".join(f"{d.reason}: {d.text!r}" for d in near) or "no segment")
    extra = sum(1 for i, d in enumerate(decisions) if d.accepted and i not in used)
    return {"n": len(cmds), "hit": hit, "wrong": wrong, "extra": extra}


CEILING_SETTINGS: dict[str, dict[str, object]] = {
    "model's own (lw 6.5, topn 4)": {"lw": 6.5, "topn": 4, "wip": 0.65},
    "ours (lw 2, topn 8, wip 0.3)": {},
    "lw 1, topn 8": {"lw": 1.0, "topn": 8},
    "lw 3, topn 8": {"lw": 3.0, "topn": 8},
    "wide beams": {"beam": 1e-80, "pbeam": 1e-80, "wbeam": 1e-60},
    "lw 2, topn 8, warp 0.9": {"lw": 2.0, "topn": 8, "wip": 0.3, "warp_type": "inverse_linear", "warp_params": "0.9"},
}


def ceiling(cache: Path, phases: tuple[int, ...]) -> None:
    """Grammar-only accuracy on truth-cut commands, per decoder setting, and for their union."""
    from timekeeper.asr.builtin import PocketsphinxRecognizer
    from timekeeper.asr.normalize import Matcher
    from timekeeper.asr.phrases import expand

    wav, truth = build("commands", cache)
    x = np.concatenate([f.samples for f in open_source(str(wav)).frames()])
    table = expand("en", phases=phases)
    matcher = Matcher(table.phrases, "en")
    cmds = truth["commands"]
    right: dict[int, set[str]] = {i: set() for i in range(len(cmds))}
    for name, options in CEILING_SETTINGS.items():
        rec = PocketsphinxRecognizer(table, min_ratio=None, **options)
        for i, c in enumerate(cmds):
            piece = x[int((c["start_s"] - 0.2) * 16000): int((c["end_s"] + 0.1) * 16000)]
            if str(matcher.match(rec.recognize(piece).text)) == c["command"]:
                right[i].add(name)
        n = sum(name in r for r in right.values())
        print(f"ceiling {name:24s} {n}/{len(cmds)} = {100 * n / len(cmds):.1f} % decoded as the right command")
    union = sum(bool(r) for r in right.values())
    print(f"ceiling union of all settings   {union}/{len(cmds)} = {100 * union / len(cmds):.1f} %")
    for i, c in enumerate(cmds):
        if not right[i]:
            print(f"  never right: {c['speaker']} {c['text']!r} at {c['start_s']:.2f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_commands.py --legacy")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--engine", default="builtin", choices=["auto", "builtin", "vosk"])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--only", choices=["commands", "distractors"])
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--agenda", default="codev-90", help="whose phase numbers \"go to phase N\" listens for")
    ap.add_argument("--ceiling", action="store_true", help="grammar-only accuracy on truth-cut commands")
    args = ap.parse_args(argv)
    from timekeeper.agenda import get_agenda

    phases = get_agenda(args.agenda).numbers
    if args.ceiling:
        ceiling(args.cache, phases)
        return 0
    suffix = "" if args.lang == "en" else f"-{args.lang}"
    first = build_listener(args.lang, engine=args.engine, model=args.model, phases=phases)
    rec = first.recognizer
    print(f"engine {rec.name}, lang {args.lang}, agenda {args.agenda} (phases {', '.join(map(str, phases))})")
    all_lat: list[float] = []
    if args.only in (None, "commands"):
        wav, truth = build(f"commands{suffix}", args.cache)
        listener = CommandListener(args.lang, rec, table=first.table)
        decisions, lat, wall = replay(wav, listener)
        all_lat += lat
        s = score_commands(decisions, truth, args.verbose)
        print(f"commands: {s['hit']}/{s['n']} recognised = {100 * s['hit'] / s['n']:.1f} % "
              f"(wrong command {s['wrong']}, accepted outside a command {s['extra']}); "
              f"{truth['duration_s']:.0f} s of audio in {wall:.1f} s")
    if args.only in (None, "distractors"):
        wav, truth = build(f"distractors-60{suffix}", args.cache)
        listener = CommandListener(args.lang, rec, table=first.table)
        decisions, lat, wall = replay(wav, listener)
        all_lat += lat
        acc = [d for d in decisions if d.accepted]
        hours = truth["duration_s"] / 3600
        print(f"distractors: {len(acc)} false command(s) in {truth['duration_s'] / 60:.1f} min = "
              f"{len(acc) / hours:.2f} per hour; {len(decisions)} segments examined; "
              f"replayed in {wall:.1f} s ({truth['duration_s'] / wall:.0f}x real time)")
        for d in acc:
            print(f"  false {d.start_s:8.2f} {d.command} heard {d.text!r} ratio {d.confidence}")
        if args.verbose:
            near = sorted((d for d in decisions if d.command is not None and not d.accepted),
                          key=lambda d: -(d.confidence or -9))[:10]
            for d in near:
                print(f"  near-miss {d.start_s:8.2f} {d.text!r} {d.reason}")
    if all_lat:
        ms = np.array(all_lat) * 1000
        print(f"latency beyond the VAD endpoint (decision time per examined segment): "
              f"median {np.median(ms):.0f} ms, p95 {np.percentile(ms, 95):.0f} ms, max {ms.max():.0f} ms "
              f"(+ VAD end-of-speech wait {Vad().cfg.end_silence_s * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
