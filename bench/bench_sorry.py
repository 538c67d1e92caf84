"""When to answer "sorry?": the wake phrase's own score on refused commands and on conversation.

    python bench/bench_sorry.py                    # tuning split: choose the threshold
    python bench/bench_sorry.py --split test       # report the chosen threshold on the test split

A refused command is answered "sorry?" only if its wake phrase alone fits the audio well: its
phone-loop ratio (``PocketsphinxRecognizer.wake_ratio``) reaches ``WAKE_HEARD_RATIO``. This replays
the command bench's sessions (bench/cache/cmdbench, built by bench/bench_commands.py: commands said
after a pause inside conversation, 7 tuning / 8 test voices) and its hour of conversation through
the VAD and the listener, and prints for each threshold: the share of refused spoken commands that
would get a "sorry?", and "sorry?" per hour of conversation (before the rate limit).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timekeeper.asr import choose_recognizer  # noqa: E402
from timekeeper.asr.builtin import WAKE_HEARD_MIN_PHRASE_RATIO, WAKE_HEARD_RATIO  # noqa: E402
from timekeeper.asr.listener import CommandListener  # noqa: E402
from timekeeper.audio.sources import open_source  # noqa: E402
from timekeeper.audio.vad import Vad  # noqa: E402

CACHE = ROOT / "bench" / "cache" / "cmdbench"


def replay(wav: Path, phases: tuple[int, ...]) -> list[tuple[float, float, bool, str, float | None, float | None]]:
    """(start, end, accepted, reason, wake ratio, phrase ratio) of every decoded segment that matched a phrase."""
    rec = choose_recognizer("en", engine="builtin", phases=phases)
    listener = CommandListener("en", rec, phases=phases)
    vad, out = Vad(), []
    for frame in open_source(str(wav)).frames():
        for seg in vad.accept(frame):
            d = listener.accept(seg)
            if d is None or d.command is None:
                continue
            if d.accepted:
                rec.wake_heard()  # the listener asks only for refused ones
            out.append((d.start_s, d.end_s, d.accepted, d.reason, getattr(rec, "last_wake_ratio", None), d.confidence))
    listener.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="tuning", choices=("tuning", "test"))
    ap.add_argument("--snr", default="15")
    ap.add_argument("--cache", default=str(CACHE))
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    cmd_wav = cache / f"commands-en-{args.split}-{args.snr}dB.wav"
    dis_wav = cache / f"distractors-en-{args.split}-60min.wav"
    for wav in (cmd_wav, dis_wav):
        if not wav.exists():
            print(f"bench_sorry: {wav} is missing; build it with `python bench/bench_commands.py` first")
            return 2
    truth = json.loads(cmd_wav.with_suffix(".truth.json").read_text())
    dis_truth = json.loads(dis_wav.with_suffix(".truth.json").read_text())
    phases = (0, 1, 2, 3, 4, 5, 6)
    t0 = time.perf_counter()
    said = replay(cmd_wav, phases)
    talk = replay(dis_wav, phases)
    spans = [(c["start_s"], c["end_s"]) for c in truth["commands"]]

    def on_command(s: float, e: float) -> bool:
        return any(s <= ce + 0.3 and e >= cs - 0.3 for cs, ce in spans)

    refused = [r for r in said if not r[2] and on_command(r[0], r[1])]
    accepted = [r for r in said if r[2] and on_command(r[0], r[1])]
    talk_refused = [r for r in talk if not r[2]]
    hours = dis_truth["duration_s"] / 3600
    print(f"split {args.split}, {args.snr} dB: {len(spans)} spoken commands, {len(accepted)} obeyed, "
          f"{len(refused)} refused after a whole phrase was decoded; conversation {hours:.2f} h: "
          f"{len(talk_refused)} refused phrases ({time.perf_counter() - t0:.0f} s)")
    (cache / f"sorry-{args.split}-{args.snr}dB.json").write_text(json.dumps({"said": said, "talk": talk}))

    def sorry(r, wake_min: float, ratio_min: float) -> bool:
        return r[4] is not None and r[4] >= wake_min and (r[5] is None or r[5] >= ratio_min)

    print("sorry? = refused, wake phrase ratio >= W and the phrase's phone-loop ratio >= F")
    print(f"{'W':>6} {'F':>6} {'sorry on refused commands':>26} {'sorry per hour of talk':>23}")
    for w in (-0.05, 0.0, 0.02, 0.05, 0.08, 0.1):
        for f in (-1.0, -0.1, -0.07, -0.05, -0.04, -0.03):
            hit = sum(sorry(r, w, f) for r in refused)
            false = sum(sorry(r, w, f) for r in talk_refused)
            mark = "  <- chosen" if (w, f) == (WAKE_HEARD_RATIO, WAKE_HEARD_MIN_PHRASE_RATIO) else ""
            print(f"{w:6.2f} {f:6.2f} {hit:>14}/{len(refused):<4} ({100 * hit / max(1, len(refused)):3.0f} %) "
                  f"{false / hours:18.1f}{mark}")
    reasons: dict[str, int] = {}
    for r in refused:
        key = r[3].split(" (")[0]
        reasons[key] = reasons.get(key, 0) + 1
    print("why the spoken commands were refused:", ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
