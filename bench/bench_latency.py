"""Command latency as a room lives it: from the end of the spoken command to the accepted decision,
in wall time, with the audio arriving at real-time pace.

    python bench/bench_latency.py [--snr 15] [--commands 40] [--no-ahead] [--cache DIR]

The command reel of bench/bench_commands.py (test split, testkit/cmdbench.py) goes through what
`timekeeper run --input` builds (stages.build_stages: source, VAD, listener). Around each command
(from ``--lead-in`` seconds before it to 1.5 s after it) the frames are fed no faster than a
microphone would give them; the talk between commands goes by at full speed (the VAD and the
listener see the same frames, so they decide the same). For every command obeyed, the latency is
the wall time of the decision minus the wall time its last spoken sample arrived: the VAD's
endpoint (the pause that confirms the end) plus whatever decoding outlasted it. ``--no-ahead``:
without the decision taken during that pause (the listener decodes only once the segment closes).

The machine's load is printed with the figures: other processes on the same cores delay the decode.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def paced_run(wav: Path, truth: dict, commands: list[dict], *, ahead: bool, lead_in_s: float, agenda: str) -> list[dict]:
    from timekeeper.agenda import get_agenda
    from timekeeper.config import Settings, override
    from timekeeper.stages import build_stages

    settings = override(Settings(), lang=truth["lang"], agenda=agenda,
                        **{"listen.input": str(wav), "listen.engine": "builtin"})
    stages = build_stages(settings, phases=get_agenda(agenda).numbers, speakers=False)
    if not ahead:
        stages.vad.on_candidate = None
    windows = [(c["start_s"] - lead_in_s, c["end_s"] + 1.5, c) for c in commands]
    last_end = windows[-1][1]
    decided: list[tuple[float, float, float, object]] = []  # (wall, audio end of segment, paced base, decision)
    base = None  # wall time of audio time 0 in the current paced window
    w = 0
    try:
        for frame in stages.source.frames():
            if frame.start_s > last_end:
                break
            while w < len(windows) and frame.start_s >= windows[w][1]:
                w += 1
            inside = w < len(windows) and frame.end_s > windows[w][0]
            if inside:
                if base is None:
                    base = time.perf_counter() - frame.start_s
                wait = base + frame.end_s - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            else:
                base = None
            for seg in stages.vad.accept(frame):
                d = stages.listener.accept(seg)
                if d is not None and d.accepted and base is not None:
                    decided.append((time.perf_counter(), frame.end_s, base, d))
    finally:
        stages.close()
    rows = []
    for c in commands:
        hits = [x for x in decided if x[3].start_s < c["end_s"] and x[3].end_s > c["start_s"]]
        if not hits:
            continue
        wall, at_s, base, d = hits[0]
        rows.append({"ok": str(d.command) == c["command"], "latency_s": wall - (base + c["end_s"]),
                     "endpoint_s": at_s - c["end_s"], "decode_s": d.decode_s})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snr", type=int, default=15)
    ap.add_argument("--split", default="test")
    ap.add_argument("--commands", type=int, default=40, help="the first N commands of the reel")
    ap.add_argument("--lead-in", type=float, default=3.0, help="seconds fed at real-time pace before each command")
    ap.add_argument("--no-ahead", action="store_true", help="decide only once the segment has closed")
    ap.add_argument("--agenda", default="codev-90")
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    args = ap.parse_args(argv)
    from testkit import cmdbench
    from timekeeper.agenda import get_agenda

    wav, truth = cmdbench.commands_reel("en", args.split, args.snr, args.cache, get_agenda(args.agenda).numbers)
    commands = truth["commands"][: args.commands]
    load0 = os.getloadavg()
    c0 = time.process_time()
    rows = paced_run(wav, truth, commands, ahead=not args.no_ahead, lead_in_s=args.lead_in, agenda=args.agenda)
    load1 = os.getloadavg()
    ok = [r for r in rows if r["ok"]]
    print(f"command latency, built-in English, {args.split} split, {args.snr} dB, first {len(commands)} commands, "
          f"audio at real-time pace around each; decided {'during the pause (default)' if not args.no_ahead else 'after the segment closed (--no-ahead)'}")
    print(f"load average {load0[0]:.1f} before, {load1[0]:.1f} after (2 cores: above 2, other processes delay the decode); "
          f"CPU of this process {time.process_time() - c0:.0f} s")
    if not ok:
        print("no command obeyed")
        return 1
    lat = np.array([r["latency_s"] for r in ok])
    end = np.array([r["endpoint_s"] for r in ok])
    dec = np.array([r["decode_s"] for r in ok])
    print(f"{len(ok)} obeyed: end of speech -> accepted decision (wall) p50 {np.median(lat):.2f} s, "
          f"p95 {np.percentile(lat, 95):.2f} s, max {lat.max():.2f} s")
    print(f"  VAD endpoint (audio time) p50 {np.median(end):.2f} s, p95 {np.percentile(end, 95):.2f} s; "
          f"decode beyond the endpoint (as bench_commands counts it) p50 {np.median(dec) * 1000:.0f} ms, "
          f"p95 {np.percentile(dec, 95) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
