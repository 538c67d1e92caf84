"""Fallback test audio for the listening benches: espeak-ng voices + sox reverb + noise.

Used until/unless ``testkit`` provides sessions. ``make_clip(text, voice)`` returns
16 kHz int16 samples; ``room(samples, snr_db, seed)`` adds reverb and noise.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

VOICES_EN = ["en-us+m3", "en-us+f2", "en-gb+m1", "en-us+f4"]
VOICES_FR = ["fr+m3", "fr+f2", "fr-be+m1", "fr+f4"]

DISTRACTORS_EN = [
    "the next phase of my project is going well", "I think we should pause here for a second",
    "how much time do we have for lunch", "let me repeat what she said", "we can resume after the break",
    "time is running out on this one", "the keeper of the keys was late", "next week we add two more people",
    "go to the previous slide please", "that was phase three of the plan", "can you remove one of those lines",
    "what time is it", "keep going", "that's the end of the story", "we keep time sheets for everything",
    "honestly I don't know", "yes exactly", "right", "okay let's move on to something else",
    "the session ended late yesterday", "phase two was harder than expected", "add a minute to the timer",
    "we need more time", "pause", "next", "the time keeper role rotates every week",
    "could you say that again", "I will continue with the budget", "at the end of the session we vote",
    "it took me five minutes to get here", "time flies", "this is the last step",
]


def make_clip(text: str, voice: str, speed: int = 165) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        raw, out = Path(d, "a.wav"), Path(d, "b.wav")
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
        import wave

        with wave.open(str(out)) as w:
            return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).copy()


def reverb(samples: np.ndarray, amount: int = 40) -> np.ndarray:
    with tempfile.TemporaryDirectory() as d:
        a, b = Path(d, "a.raw"), Path(d, "b.raw")
        samples.astype("<i2").tofile(a)
        fmt = ["-t", "raw", "-r", "16000", "-e", "signed", "-b", "16", "-c", "1"]
        subprocess.run(["sox", *fmt, str(a), *fmt, str(b), "reverb", str(amount), "50", "60"], check=True)
        y = np.fromfile(b, dtype="<i2")
    return y[: len(samples) + 4000]


def noise(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pinkish room noise, unit RMS."""
    w = rng.standard_normal(n + 64)
    y = np.convolve(w, np.ones(8) / 8, mode="same")[:n] + 0.3 * w[:n]
    return y / np.sqrt(np.mean(y * y))


def room(speech: np.ndarray, snr_db: float, rng: np.random.Generator, pad_s: float = 1.0,
         speech_rms: float = 3000.0) -> tuple[np.ndarray, float]:
    """Reverb, level, silence padding and noise at ``snr_db``; returns (samples, speech_start_s)."""
    x = reverb(speech).astype(np.float64)
    active = x[np.abs(x) > 0.02 * np.abs(x).max()]
    x *= speech_rms / max(1.0, np.sqrt(np.mean(active**2)))
    pad = int(pad_s * 16000)
    y = np.concatenate([np.zeros(pad), x, np.zeros(pad)])
    y += noise(len(y), rng) * speech_rms / 10 ** (snr_db / 20)
    return np.clip(y, -32768, 32767).astype(np.int16), pad_s
