"""The room: synthetic reverberation, steady and babble noise, mixing at an SNR.

All pure numpy/scipy functions of their inputs and a seeded Generator.
"""

from __future__ import annotations

import numpy as np

from timekeeper.audio.frames import RATE_HZ

NOISE_KINDS = ("none", "pink", "brown", "babble", "pink+babble")
DRR_DB = 4.0  # direct-to-reverberant ratio of a speaker at level 0 dB


def room_impulse(rng: np.random.Generator, rt60_s: float, drr_db: float = DRR_DB) -> np.ndarray:
    """Exponentially decaying noise tail (energy ``-drr_db`` relative to the direct path).

    Returns only the reverberant tail, starting at sample 0 (the direct path is added
    by the caller with its own gain); empty when ``rt60_s`` is 0.
    """
    if rt60_s <= 0:
        return np.zeros(0, dtype=np.float32)
    n = int(rt60_s * RATE_HZ)
    t = np.arange(n) / RATE_HZ
    tail = rng.standard_normal(n) * 10 ** (-3.0 * t / rt60_s)  # -60 dB at rt60
    pre = int(0.004 * RATE_HZ)  # first reflections arrive a few ms after the direct sound
    tail[:pre] = 0.0
    # a few discrete early reflections
    for _ in range(6):
        k = int(rng.integers(pre, max(pre + 1, int(0.05 * RATE_HZ))))
        tail[k] += rng.choice([-1.0, 1.0]) * rng.uniform(0.2, 0.5)
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail**2))
    return tail.astype(np.float32)


def reverberate(dry: np.ndarray, tail: np.ndarray, direct_gain: float, tail_gain: float = 1.0) -> np.ndarray:
    """``direct_gain * dry`` plus the dry signal through the tail; longer by len(tail)-1."""
    if len(tail) == 0:
        return (dry * direct_gain).astype(np.float32)
    from scipy.signal import oaconvolve

    wet = oaconvolve(dry, tail * tail_gain).astype(np.float32)
    wet[: len(dry)] += dry * direct_gain
    return wet


def steady_noise(rng: np.random.Generator, n: int, color: str) -> np.ndarray:
    """Pink (1/f, Kellet filter) or brown (leaky integrator) noise, unit RMS."""
    from scipy.signal import lfilter

    white = rng.standard_normal(n).astype(np.float32)
    if color == "pink":
        b = [0.049922035, -0.095993537, 0.050612699, -0.004408786]
        a = [1.0, -2.494956002, 2.017265875, -0.522189400]
    elif color == "brown":
        b, a = [1.0], [1.0, -0.995]
    else:
        raise ValueError(color)
    y = lfilter(b, a, white).astype(np.float32)
    return y / np.float32(np.sqrt(np.mean(y.astype(np.float64) ** 2)) + 1e-12)


def babble(rng: np.random.Generator, n: int, clips: list[np.ndarray], talkers: int = 6,
           loop_s: float = 30.0, rt60_s: float = 0.6) -> np.ndarray:
    """Several distant talkers at once: time-reversed clips (unintelligible, speech-shaped),
    reverberant, each talker a loop of ``loop_s`` tiled at its own offset. Unit RMS."""
    if not clips:
        return steady_noise(rng, n, "pink")
    loop = int(loop_s * RATE_HZ)
    out = np.zeros(n, dtype=np.float32)
    for _ in range(talkers):
        stream = np.zeros(loop, dtype=np.float32)
        pos = int(rng.integers(0, RATE_HZ))
        while pos < loop:
            clip = clips[int(rng.integers(len(clips)))][::-1]
            clip = clip / (np.sqrt(np.mean(clip.astype(np.float64) ** 2)) + 1e-9)
            k = min(len(clip), loop - pos)
            stream[pos : pos + k] += clip[:k]
            pos += k + int(rng.uniform(0.1, 0.6) * RATE_HZ)
        stream = reverberate(stream, room_impulse(rng, rt60_s, drr_db=-3.0), 1.0)[:loop]
        reps = -(-(n + loop) // loop)
        tiled = np.tile(stream, reps)
        start = int(rng.integers(0, loop))
        out += tiled[start : start + n] * np.float32(rng.uniform(0.6, 1.0))
    return out / np.float32(np.sqrt(np.mean(out.astype(np.float64) ** 2)) + 1e-12)


def power(x: np.ndarray, mask: np.ndarray | None = None) -> float:
    sel = x if mask is None else x[mask]
    if len(sel) == 0:
        return 0.0
    return float(np.mean(sel.astype(np.float64) ** 2))


def snr_db(speech: np.ndarray, noise: np.ndarray, active: np.ndarray) -> float:
    """SNR with speech power measured on speech-active samples, noise on all samples."""
    return 10 * np.log10(power(speech, active) / (power(noise) + 1e-20) + 1e-20)


def scale_noise(speech: np.ndarray, noise: np.ndarray, active: np.ndarray, target_snr_db: float) -> np.ndarray:
    """``noise`` scaled so that ``snr_db(speech, noise, active) == target_snr_db``."""
    ps, pn = power(speech, active), power(noise)
    if ps == 0 or pn == 0:
        return noise
    gain = np.sqrt(ps / (pn * 10 ** (target_snr_db / 10)))
    return (noise * np.float32(gain)).astype(np.float32)


def peak_normalise(x: np.ndarray, ceiling_dbfs: float = -1.0) -> tuple[np.ndarray, float]:
    """Scale down (never up) so the peak is at most ``ceiling_dbfs``; returns (y, gain_db)."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    ceiling = 10 ** (ceiling_dbfs / 20)
    if peak <= ceiling or peak == 0:
        return x, 0.0
    gain = ceiling / peak
    return (x * np.float32(gain)).astype(np.float32), float(20 * np.log10(gain))


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype(np.int16)
