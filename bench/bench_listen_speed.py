"""Replay speed of the whole listening pipeline (WAV source → VAD → CommandListener) on the
60-minute meeting, with peak memory.

    python bench/bench_listen_speed.py [--preset meeting-60] [--engine builtin|vosk --model PATH --lang fr]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--preset", default="meeting-60")
    ap.add_argument("--lang", default="en")
    ap.add_argument("--engine", default="auto")
    ap.add_argument("--model", type=Path)
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    args = ap.parse_args()
    from timekeeper.stages import build_listener
    from timekeeper.audio.sources import open_source
    from timekeeper.audio.vad import Vad
    from testkit.presets import build

    wav = build(args.preset, args.cache, 0)
    from timekeeper.agenda import get_agenda

    phases = get_agenda("codev-90").numbers  # the default agenda: check-in 0, phases 1-6
    listener = build_listener(args.lang, engine=args.engine, model=args.model, phases=phases)
    rec = listener.recognizer
    vad = Vad()
    src = open_source(str(wav))
    t0 = time.perf_counter()
    n_seg = n_exam = n_acc = 0
    t_listen = 0.0
    audio_s = 0.0
    for f in src.frames():
        audio_s = f.end_s
        for seg in vad.accept(f):
            n_seg += 1
            t = time.perf_counter()
            d = listener.accept(seg)
            t_listen += time.perf_counter() - t
            n_exam += d is not None
            n_acc += bool(d and d.accepted)
    wall = time.perf_counter() - t0
    helper_mb = getattr(rec, "helper_peak_mb", lambda: None)()  # the phone-loop helper process
    rec.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.preset}: {audio_s / 60:.1f} min of audio in {wall:.1f} s = {audio_s / wall:.1f}x real time "
          f"(engine {rec.name}); {n_seg} speech segments, {n_exam} examined, {n_acc} accepted; "
          f"recogniser time {t_listen:.1f} s; peak RSS {rss_mb:.0f} MB"
          + (f" + {helper_mb:.0f} MB helper process" if helper_mb else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
