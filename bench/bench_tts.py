"""pyttsx3 synthesis, sentence after sentence: does runAndWait + save_to_file hang on the
2nd, 3rd, ... call, how long each takes, and does it say the same thing as the espeak-ng
program (same voice, same rate).

    python bench/bench_tts.py            # 30 sentences, French and English alternating
    python bench/bench_tts.py --n 200

Each call is bounded by --timeout (the announcer's per-sentence timeout); a call that
does not finish in time is counted as hung and ends the run (the engine is given up).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from timekeeper.announce.announcer import wav_duration_s
from timekeeper.announce.engines import SpeechFailed, SpeechHung, pyttsx3_engine

SENTENCES = {
    "roa/fr": "Phase {n} : questions de clarification. Il reste {n} minutes.",
    "gmw/en": "Phase {n}: clarifying questions. {n} minutes left.",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--rate", type=int, default=165)
    args = parser.parse_args()
    engine = pyttsx3_engine()
    voices = list(SENTENCES)
    times: list[float] = []
    gaps: list[float] = []
    failed = hung = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            voice = voices[i % 2]
            text = SENTENCES[voice].format(n=i + 1)
            path, cli = Path(tmp) / f"{i}.wav", Path(tmp) / f"{i}-cli.wav"
            t0 = time.monotonic()
            try:
                engine.synthesise(text, path, voice, args.rate, args.timeout)
            except SpeechHung as exc:
                hung += 1
                print(f"call {i + 1}: HUNG ({exc})")
                break
            except SpeechFailed as exc:
                failed += 1
                print(f"call {i + 1}: failed ({exc})")
                continue
            times.append(time.monotonic() - t0)
            if engine.last_voice != voice:
                print(f"call {i + 1}: voice {engine.last_voice} instead of {voice}")
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(args.rate), "-w", str(cli), text], check=True)
            gaps.append(abs(wav_duration_s(path) - wav_duration_s(cli)))
    print(f"pyttsx3 save_to_file + runAndWait: {len(times)} of {args.n} calls done, {failed} failed, "
          f"{hung} hung (timeout {args.timeout:.0f} s)")
    if times:
        print(f"time per call: first {times[0] * 1000:.0f} ms, median {sorted(times)[len(times) // 2] * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms")
        print(f"WAV length vs the espeak-ng program (same voice, {args.rate} wpm): mean gap "
              f"{sum(gaps) / len(gaps) * 1000:.0f} ms, max {max(gaps) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
