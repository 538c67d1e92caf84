"""Build the scripted test sessions into bench/cache/ (git-ignored) and print what was built.

    python -m bench.build_sessions [NAME ...] [--out bench/cache] [--seed 0] [--voices DIR] [--force]

Without names, builds every preset. meeting-60 and meeting-short need the full
librispeech-10 set (../shared/data/voices/librispeech-10, or --voices DIR).
An up-to-date build is reused, so a second run costs nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from timekeeper.errors import TimekeeperError

CACHE = Path(__file__).resolve().parent / "cache"


def main(argv: list[str] | None = None) -> int:
    from testkit import presets
    from testkit.truth import Truth, truth_path

    ap = argparse.ArgumentParser(prog="python -m bench.build_sessions", description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help=f"presets (default: all): {', '.join(presets.names())}")
    ap.add_argument("--out", type=Path, default=CACHE)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--voices", type=Path, default=None, help="folder of librispeech speaker folders")
    ap.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = ap.parse_args(argv)
    try:
        for name in args.names or presets.names():
            t0 = time.perf_counter()
            wav = presets.build(name, args.out, seed=args.seed, voices_dir=args.voices, force=args.force)
            dt = time.perf_counter() - t0
            t = Truth.load(truth_path(wav))
            speech = sum(x.end_s - x.start_s for x in t.speech_turns())
            print(f"{name:<18} {t.duration_s / 60:6.1f} min  {len(t.participants)} people  {len(t.turns):4d} turns  "
                  f"{len(t.commands):3d} commands  {len(t.distractors):4d} distractors  speech {speech / 60:5.1f} min  "
                  f"snr {t.measured_snr_db} dB  rt60 {t.rt60_s} s  enrollment {len(t.enrollment)}  "
                  f"built in {dt:5.1f} s  -> {wav}")
    except TimekeeperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
