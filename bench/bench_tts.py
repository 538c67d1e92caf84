"""pyttsx3 synthesis, sentence after sentence, as the announcer uses it: how many WAVs
come out empty, cut or at the wrong rate (each one caught and said by the espeak-ng
program instead), how many calls hang, how long a call takes, and does a good WAV say
the same thing as the espeak-ng program (same voice, same rate).

    python bench/bench_tts.py                 # 200 sentences, French and English, 165 wpm
    python bench/bench_tts.py --rates 120,165,220 --n 300
    python bench/bench_tts.py --no-idle       # without waiting for libespeak-ng to be idle
    python bench/bench_tts.py --raw           # neither those waits nor the driver's stop() disarmed

Each call is bounded by --timeout (the announcer's per-sentence timeout); a call that
does not finish in time is counted as hung and ends the run (the engine is given up).
Times depend on the machine's load: say it with the figures.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from timekeeper.announce.announcer import wav_duration_s
from timekeeper.announce.engines import BadWav, Pyttsx3Engine, SpeechFailed, SpeechHung

SENTENCES = {  # short and long, as announced
    "roa/fr": ["1", "Chrono en pause.", "Il reste {n} minutes.",
               "Phase {n} : questions de clarification. Quinze minutes."],
    "gmw/en": ["Time is up.", "Timer paused.", "{n} minutes left.",
               "Phase {n}: clarifying questions. Fifteen minutes."],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--rates", default="165", help="comma-separated words/min, taken in turn")
    parser.add_argument("--no-idle", action="store_true",
                        help="do not wait for libespeak-ng to be idle (shows what the waits prevent)")
    parser.add_argument("--raw", action="store_true",
                        help="--no-idle, and the driver's stop() left to cancel (pyttsx3 as it comes)")
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",")]
    engine = Pyttsx3Engine(keep_stop=args.raw)  # the only one in this process
    if args.no_idle or args.raw:
        engine.idle_s = 0.0
    times: list[float] = []
    gaps: list[float] = []
    bad: collections.Counter[str] = collections.Counter()
    failed = hung = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.n):
            voice = list(SENTENCES)[i % 2]
            forms = SENTENCES[voice]
            text = forms[(i // 2) % len(forms)].format(n=i % 7 + 2)
            rate = rates[(i // 2) % len(rates)]
            path, cli = Path(tmp) / f"{i}.wav", Path(tmp) / f"{i}-cli.wav"
            t0 = time.monotonic()
            try:
                engine.synthesise(text, path, voice, rate, args.timeout)
            except SpeechHung as exc:
                hung += 1
                print(f"call {i + 1}: HUNG ({exc})")
                break
            except BadWav as exc:
                bad[re.sub(r"\b\d+\b", "N", str(exc))] += 1
                continue
            except SpeechFailed as exc:
                failed += 1
                print(f"call {i + 1}: failed ({exc})")
                continue
            finally:
                times.append(time.monotonic() - t0)
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(cli), text], check=True)
            gaps.append(abs(wav_duration_s(path) - wav_duration_s(cli)) / wav_duration_s(cli))
    calls = len(times)
    how = "raw" if args.raw else "no idle waits" if args.no_idle else "idle waits, stop() disarmed"
    print(f"pyttsx3 save_to_file + runAndWait ({how}, "
          f"rates {args.rates} wpm, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores): "
          f"{calls} calls, {len(gaps)} good WAVs, {sum(bad.values())} bad (caught), {failed} failed, "
          f"{hung} hung (timeout {args.timeout:.0f} s)")
    for reason, n in bad.most_common():
        print(f"  bad: {n} x {reason}")
    if times:
        ordered = sorted(times)
        print(f"time per call: median {ordered[len(ordered) // 2] * 1000:.0f} ms, "
              f"95th {ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")
    if gaps:
        print(f"good WAV length vs the espeak-ng program (same voice and rate): mean gap "
              f"{sum(gaps) / len(gaps) * 100:.1f} %, max {max(gaps) * 100:.1f} %")


if __name__ == "__main__":
    main()
