"""Render the session ``timekeeper demo`` ships: the short-codev preset (real LibriSpeech
voices for the group, a synthetic animateur giving voice commands, distractors), its
enrollment clips, 8-bit mu-law at 16 kHz (half the size of 16-bit PCM; 37.6 dB SNR, far
above the session's own 20 dB room noise), into ``timekeeper/demo/``.

    python -m testkit.build_demo            # rewrites timekeeper/demo/session.npz and session.json

The product only decodes (``timekeeper.demo.session``); rebuild after a change to the
generator or the preset, and check the demo still tells the same story (tests/test_demo.py).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from testkit import presets
from testkit.truth import Truth, truth_path
from timekeeper.demo.session import ULAW_MAX, mulaw_decode
from timekeeper.speakers.wavio import read_int16

OUT = Path(__file__).resolve().parents[1] / "timekeeper" / "demo"
PRESET = "short-codev"


def mulaw_encode(samples: np.ndarray) -> np.ndarray:
    """int16 -> 8-bit mu-law codes (0-255); ``mulaw_decode`` inverts it."""
    y = samples.astype(np.float64) / 32768.0
    m = np.sign(y) * np.log1p(ULAW_MAX * np.abs(y)) / np.log1p(ULAW_MAX)
    return np.clip(np.round((m + 1.0) / 2.0 * 255.0), 0, 255).astype(np.uint8)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wav = presets.build(PRESET, tmp, seed=args.seed)
        truth = Truth.load(truth_path(wav))
        meeting = read_int16(wav)
        arrays = {"meeting": mulaw_encode(meeting)}
        error = mulaw_decode(arrays["meeting"]).astype(float) - meeting
        snr_db = 10 * np.log10(np.mean(meeting.astype(float) ** 2) / np.mean(error ** 2))
        for i, p in enumerate(truth.participants):
            arrays[f"enroll_{i}"] = mulaw_encode(read_int16(truth.enrollment[p.name]))
        raw = json.loads(truth_path(wav).read_text(encoding="utf-8"))
    np.savez_compressed(args.out / "session.npz", **arrays)
    meta = {"preset": PRESET, "seed": args.seed, "script_hash": raw["script_hash"], "lang": truth.lang,
            "rate_hz": truth.rate_hz, "duration_s": truth.duration_s,
            "participants": [{"name": p.name, "role": p.role, "voice": p.voice} for p in truth.participants],
            "enrollment_sources": raw["enrollment_sources"],
            "meeting_sources": sorted({t.source for t in truth.turns if t.source})}
    (args.out / "session.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    size = (args.out / "session.npz").stat().st_size
    print(f"wrote {args.out}/session.npz ({size / 1e6:.2f} MB) and session.json: "
          f"{truth.duration_s:.0f} s of meeting, {len(truth.participants)} enrollment clips; "
          f"mu-law SNR {snr_db:.1f} dB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
