"""Speaker features in numpy: MFCC + deltas.

25 ms Hamming frames every 10 ms, 512-point FFT, 26 mel bands (100-7600 Hz),
cepstra 1..19 (c0 dropped: loudness says more about distance than about voice),
plus deltas. No cepstral mean normalisation: enrollment and meeting share the room
and the microphone, and the mean carries voice and seat (measured: per-window CMN
cost 5 points of window accuracy). Frames far below the loudest of the stretch are
dropped (``speech_mask``) so silence and reverberant tails neither train nor score.
Vectorised over frames; an hour of audio takes a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

RATE_HZ = 16000
FRAME_LEN = 400  # 25 ms
HOP = 160  # 10 ms
NFFT = 512
N_MELS = 26
N_CEPS = 19  # c1..c19
FEATURE_VERSION = 1  # bump when the features change: stored profiles then need re-enrolment


@dataclass(frozen=True)
class FrameFeatures:
    """Per-frame features of a stretch of audio: ``feats`` (n, dim), ``log_energy`` (n,)."""

    feats: np.ndarray
    log_energy: np.ndarray

    @property
    def n(self) -> int:
        return int(self.feats.shape[0])


@lru_cache(maxsize=1)
def _mel_filterbank() -> np.ndarray:
    def hz2mel(f: np.ndarray | float) -> np.ndarray:
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    def mel2hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10 ** (m / 2595.0) - 1.0)

    mels = np.linspace(hz2mel(100.0), hz2mel(7600.0), N_MELS + 2)
    bins = np.floor((NFFT + 1) * mel2hz(mels) / RATE_HZ).astype(int)
    fb = np.zeros((NFFT // 2 + 1, N_MELS), dtype=np.float32)
    for m in range(1, N_MELS + 1):
        lo, mid, hi = bins[m - 1], bins[m], bins[m + 1]
        if mid > lo:
            fb[lo:mid, m - 1] = (np.arange(lo, mid) - lo) / (mid - lo)
        if hi > mid:
            fb[mid:hi, m - 1] = (hi - np.arange(mid, hi)) / (hi - mid)
    return fb


@lru_cache(maxsize=1)
def _dct() -> np.ndarray:
    n = np.arange(N_MELS)
    k = np.arange(1, N_CEPS + 1)[:, None]
    return (np.cos(np.pi * k * (2 * n + 1) / (2 * N_MELS)) * np.sqrt(2.0 / N_MELS)).T.astype(
        np.float32
    )


def _deltas(c: np.ndarray, width: int = 2) -> np.ndarray:
    if len(c) == 0:
        return c
    pad = np.pad(c, ((width, width), (0, 0)), mode="edge")
    num = np.zeros_like(c)
    for k in range(1, width + 1):
        num += k * (pad[width + k : width + k + len(c)] - pad[width - k : width - k + len(c)])
    return num / (2 * sum(k * k for k in range(1, width + 1)))


def mfcc(samples: np.ndarray) -> FrameFeatures:
    """MFCC (c1..c19) + deltas of int16 or float 16 kHz mono audio, not normalised."""
    raw = np.asarray(samples)
    x = raw.astype(np.float32)
    if np.issubdtype(raw.dtype, np.integer):
        x = x / 32768.0
    if len(x) < FRAME_LEN:
        return FrameFeatures(np.zeros((0, 2 * N_CEPS), np.float32), np.zeros(0, np.float32))
    x = np.append(x[0], x[1:] - 0.97 * x[:-1]).astype(np.float32)
    n = 1 + (len(x) - FRAME_LEN) // HOP
    frames = np.lib.stride_tricks.as_strided(
        x, shape=(n, FRAME_LEN), strides=(x.strides[0] * HOP, x.strides[0])
    )
    frames = frames * np.hamming(FRAME_LEN).astype(np.float32)
    power = np.abs(np.fft.rfft(frames, NFFT, axis=1)).astype(np.float32) ** 2
    log_energy = np.log(power.sum(axis=1) + 1e-10).astype(np.float32)
    logmel = np.log(power @ _mel_filterbank() + 1e-8)
    ceps = logmel @ _dct()
    feats = np.hstack([ceps, _deltas(ceps)]).astype(np.float32)
    return FrameFeatures(feats, log_energy)


def speech_mask(log_energy: np.ndarray, floor_db: float = 30.0) -> np.ndarray:
    """Frames within ``floor_db`` of the loudest frames (95th percentile) of the stretch,
    and above an absolute floor (digital silence)."""
    if len(log_energy) == 0:
        return np.zeros(0, dtype=bool)
    ref = np.percentile(log_energy, 95)
    # log_energy is natural log of power: 10*log10(e) dB per unit
    thr = ref - floor_db / (10.0 * np.log10(np.e))
    return (log_energy > thr) & (log_energy > np.log(1e-6))
