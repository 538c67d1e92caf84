"""A small room simulation and meeting builder for the speaker benchmarks and tests.

Stand-in until testkit is available: each talker sits at their own place
(own exponential-decay impulse response with early reflections, own distance gain),
and the microphone adds stationary pink-ish noise at a given SNR. Enrollment audio of
a person goes through the same room as their meeting speech.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16000


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0


def write_wav(path: Path, x: np.ndarray) -> None:
    y = np.clip(x * 32768.0, -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(y.tobytes())


def to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(x * 32768.0, -32768, 32767).astype(np.int16)


def load_voices(root: Path) -> dict[str, list[np.ndarray]]:
    """speaker id -> utterances (float32), sorted by name."""
    out: dict[str, list[np.ndarray]] = {}
    for d in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        out[d.name] = [read_wav(f) for f in sorted(d.glob("*.wav"))]
    return out


@dataclass(frozen=True)
class Seat:
    """Where a talker sits: an impulse response and a gain (distance)."""

    rir: np.ndarray
    gain: float


def make_seat(rng: np.random.Generator, rt60_s: float = 0.5, distance_m: float | None = None) -> Seat:
    dist = float(distance_m if distance_m is not None else rng.uniform(0.8, 2.5))
    n = int(rt60_s * RATE)
    t = np.arange(n) / RATE
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60_s)
    direct_delay = int(dist / 343.0 * RATE)
    rir = np.zeros(n + direct_delay + 1)
    rir[direct_delay] = 1.0
    # early reflections
    for _ in range(6):
        k = direct_delay + int(rng.uniform(0.002, 0.03) * RATE)
        rir[k] += rng.uniform(-0.5, 0.5)
    # diffuse tail, direct-to-reverberant ratio falls with distance
    tail_gain = 0.08 * dist
    rir[direct_delay + 1 : direct_delay + 1 + n] += tail_gain * tail[: len(rir) - direct_delay - 1]
    return Seat(rir / np.abs(rir).max(), 1.0 / dist)


def through_seat(x: np.ndarray, seat: Seat) -> np.ndarray:
    from scipy.signal import fftconvolve

    return (fftconvolve(x, seat.rir)[: len(x) + RATE // 4] * seat.gain).astype(np.float32)


def add_noise(x: np.ndarray, snr_db: float, rng: np.random.Generator, speech_power: float | None = None) -> np.ndarray:
    """Pink-ish stationary noise at ``snr_db`` relative to ``speech_power`` (default: x's
    power over its loud part)."""
    white = rng.standard_normal(len(x)).astype(np.float32)
    spec = np.fft.rfft(white)
    f = np.maximum(np.arange(len(spec)), 1)
    noise = np.fft.irfft(spec / np.sqrt(f), n=len(x)).astype(np.float32)
    if speech_power is None:
        loud = np.abs(x) > 0.02 * np.abs(x).max() if len(x) else x
        speech_power = float(np.mean(x[loud] ** 2)) if np.any(loud) else 1e-6
    noise *= np.sqrt(speech_power / 10 ** (snr_db / 10) / np.mean(noise**2))
    return x + noise


@dataclass(frozen=True)
class TruthTurn:
    speaker: str
    start_s: float
    end_s: float


def build_meeting(
    utts: dict[str, list[np.ndarray]],
    seats: dict[str, Seat],
    duration_s: float,
    rng: np.random.Generator,
    *,
    snr_db: float = 15.0,
    gap_s: tuple[float, float] = (0.3, 1.5),
    reuse: bool = True,
    max_piece_s: float = 12.0,
    share: dict[str, float] | None = None,
) -> tuple[np.ndarray, list[TruthTurn]]:
    """Concatenate utterances of several talkers (each through their seat) with gaps.

    With ``reuse`` False each utterance is used at most once and the meeting ends when
    material runs out. Turns are cut to at most ``max_piece_s`` pieces (a random piece of
    a long utterance), and successive turns mostly change talker.
    """
    names = sorted(utts)
    weights = np.array([share.get(n, 1.0) if share else 1.0 for n in names], float)
    pool = {n: list(range(len(utts[n]))) for n in names}
    pieces: list[np.ndarray] = []
    truth: list[TruthTurn] = []
    t = 0.0
    last = None
    while t < duration_s:
        avail = [i for i, n in enumerate(names) if pool[n] and n != last] or [
            i for i, n in enumerate(names) if pool[n]
        ]
        if not avail:
            break
        w = weights[avail] / weights[avail].sum()
        who = names[avail[rng.choice(len(avail), p=w)]]
        k = pool[who][rng.integers(len(pool[who]))]
        if not reuse:
            pool[who].remove(k)
        u = utts[who][k]
        if reuse and len(u) > max_piece_s * RATE:
            a = rng.integers(0, len(u) - int(max_piece_s * RATE))
            u = u[a : a + int(rng.uniform(3.0, max_piece_s) * RATE)]
        y = through_seat(u, seats[who])
        gap = rng.uniform(*gap_s)
        pieces.append(np.zeros(int(gap * RATE), np.float32))
        t += gap
        truth.append(TruthTurn(who, t, t + len(u) / RATE))
        pieces.append(y[: len(u)])
        t += len(u) / RATE
        last = who
    x = np.concatenate(pieces + [np.zeros(RATE, np.float32)])
    speech_power = float(np.mean(np.concatenate([p for p in pieces[1::2]]) ** 2))
    x = add_noise(x, snr_db, rng, speech_power)
    return x, truth


def enrollment_audio(
    utts: list[np.ndarray], seat: Seat, seconds: float, rng: np.random.Generator, snr_db: float = 15.0
) -> tuple[np.ndarray, int]:
    """The first utterances of a talker up to ``seconds`` of speech, through their seat,
    with noise. Returns the audio and how many utterances were used (all of them are then
    kept out of the meeting)."""
    out: list[np.ndarray] = []
    total = 0
    used = 0
    for u in utts:
        if total >= seconds * RATE:
            break
        take = u[: int(seconds * RATE) - total]
        out.append(through_seat(take, seat)[: len(take)])
        out.append(np.zeros(RATE // 2, np.float32))
        total += len(take)
        used += 1
    x = np.concatenate(out)
    sp = float(np.mean(np.concatenate(out[::2]) ** 2))
    return add_noise(x, snr_db, rng, sp), used


def energy_segments(x: np.ndarray, *, min_gap_s: float = 0.3, min_len_s: float = 0.3) -> list[tuple[float, float]]:
    """A simple energy speech detector: 30 ms frames above the noise floor + 9 dB,
    gaps shorter than ``min_gap_s`` bridged."""
    hop = 480
    n = len(x) // hop
    e = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop) ** 2, axis=1) + 1e-12)
    floor = np.percentile(e, 10)
    on = e > floor + 9
    segs: list[tuple[float, float]] = []
    i = 0
    while i < n:
        if on[i]:
            j = i
            while j < n and on[j]:
                j += 1
            segs.append((i * hop / RATE, j * hop / RATE))
            i = j
        else:
            i += 1
    merged: list[tuple[float, float]] = []
    for s, e_ in segs:
        if merged and s - merged[-1][1] < min_gap_s:
            merged[-1] = (merged[-1][0], e_)
        else:
            merged.append((s, e_))
    return [(s, e_) for s, e_ in merged if e_ - s >= min_len_s]


def band_limit(x: np.ndarray) -> np.ndarray:
    """8 kHz-sampled speech (phone, cheap microphone), back at 16 kHz: nothing above 4 kHz."""
    from scipy.signal import resample_poly

    return resample_poly(resample_poly(x, 1, 2), 2, 1).astype(np.float32)[: len(x)]


def voiced_snippet(u: np.ndarray, rng: np.random.Generator, seconds: float) -> np.ndarray:
    """A ``seconds`` piece of an utterance where the talker is speaking (a backchannel stand-in)."""
    n = int(seconds * RATE)
    if len(u) <= n:
        return u
    hop = RATE // 20
    e = np.array([np.mean(u[i : i + n : 4] ** 2) for i in range(0, len(u) - n, hop)])
    good = np.flatnonzero(e >= np.percentile(e, 60))
    a = int(good[rng.integers(len(good))]) * hop
    return u[a : a + n]


def build_meeting_bc(
    utts: dict[str, list[np.ndarray]],
    seats: dict[str, Seat],
    duration_s: float,
    rng: np.random.Generator,
    *,
    snr_db: float = 15.0,
    share: dict[str, float] | None = None,
    backchannel_p: float = 0.25,
    max_piece_s: float = 12.0,
) -> tuple[np.ndarray, list[TruthTurn]]:
    """Like build_meeting (utterances reused, pieces of 2-12 s, talkers alternate), plus
    backchannels: after a turn, with probability ``backchannel_p``, another person says
    0.5-1 s, then the first goes on."""
    names = sorted(utts)
    weights = np.array([share.get(n, 1.0) if share else 1.0 for n in names], float)
    pieces: list[np.ndarray] = []
    truth: list[TruthTurn] = []
    t = 0.0
    last = None

    def put(who: str, u: np.ndarray, gap: float) -> None:
        nonlocal t
        y = through_seat(u, seats[who])[: len(u)]
        pieces.append(np.zeros(int(gap * RATE), np.float32))
        t += gap
        truth.append(TruthTurn(who, t, t + len(u) / RATE))
        pieces.append(y)
        t += len(u) / RATE

    while t < duration_s:
        avail = [i for i, n in enumerate(names) if n != last]
        w = weights[avail] / weights[avail].sum()
        who = names[avail[rng.choice(len(avail), p=w)]]
        u = utts[who][rng.integers(len(utts[who]))]
        if len(u) > 2.0 * RATE:
            d = int(min(len(u) / RATE, rng.uniform(2.0, max_piece_s)) * RATE)
            a = int(rng.integers(0, len(u) - d + 1))
            u = u[a : a + d]
        put(who, u, rng.uniform(0.3, 1.5))
        if rng.random() < backchannel_p:
            other = names[[i for i, n in enumerate(names) if n != who][rng.integers(len(names) - 1)]]
            bc = utts[other][rng.integers(len(utts[other]))]
            put(other, voiced_snippet(bc, rng, rng.uniform(0.5, 1.0)), rng.uniform(0.5, 0.9))
            v = utts[who][rng.integers(len(utts[who]))]
            d = int(min(len(v) / RATE, rng.uniform(2.0, 6.0)) * RATE)
            put(who, v[:d], rng.uniform(0.5, 0.9))
        last = who
    x = np.concatenate(pieces + [np.zeros(RATE, np.float32)])
    speech_power = float(np.mean(np.concatenate(pieces[1::2]) ** 2))
    return add_noise(x, snr_db, rng, speech_power), truth
