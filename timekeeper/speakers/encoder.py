"""Resemblyzer's GE2E voice encoder, forward pass in numpy (no torch at run time).

The network (Wan et al. 2018, "Generalized end-to-end loss for speaker verification",
as trained and published by Resemblyzer, Apache-2.0, see ``model/SOURCE.md``):
40-band mel power spectrogram at 16 kHz (25 ms Hann window, 10 ms hop, librosa's Slaney
filters — Resemblyzer feeds the mel *power*, not its log), a 3-layer LSTM of 256 units,
a 256 → 256 projection, ReLU and L2 normalisation. A "partial" is 160 frames (1.6 s);
an utterance's embedding is the normalised mean of its partials' embeddings.

Weights: ``model/ge2e.npz`` (float16 storage, float32 compute), exported once from the
reference wheel by ``scripts/export_ge2e.py``. Windows of equal length are run as one
batch: one (B, 256) × (256, 1024) product per layer and step.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

RATE_HZ = 16000
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
PARTIAL_FRAMES = 160  # 1.6 s
HIDDEN = 256
NORM_DBFS = -30.0  # Resemblyzer's volume target (raised only)
MODEL_FILE = Path(__file__).resolve().parent / "model" / "ge2e.npz"
ENCODER_VERSION = 1  # bump when embeddings change: stored profiles then need re-enrolment


# --- features --------------------------------------------------------------------------


def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    """Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_mel, logstep = 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(f >= 1000.0, min_log_mel + np.log(np.maximum(f, 1e-10) / 1000.0) / logstep, mels)


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, np.float64)
    f_sp = 200.0 / 3
    min_log_mel, logstep = 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, 1000.0 * np.exp(logstep * (m - min_log_mel)), f_sp * m)


@lru_cache(maxsize=1)
def mel_filters() -> np.ndarray:
    """(n_fft/2+1, 40) Slaney-normalised triangular filters, 0 - 8 kHz (as librosa.filters.mel)."""
    fft_f = np.fft.rfftfreq(N_FFT, 1.0 / RATE_HZ)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(RATE_HZ / 2), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_f[None, :]
    w = np.zeros((N_MELS, len(fft_f)))
    for i in range(N_MELS):
        w[i] = np.maximum(0, np.minimum(-ramps[i] / fdiff[i], ramps[i + 2] / fdiff[i + 1]))
    w *= (2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS]))[:, None]
    return np.ascontiguousarray(w.T.astype(np.float32))


@lru_cache(maxsize=1)
def _window() -> np.ndarray:
    n = np.arange(N_FFT)
    return (0.5 - 0.5 * np.cos(2 * np.pi * n / N_FFT)).astype(np.float32)  # periodic Hann


def to_float(samples: np.ndarray) -> np.ndarray:
    """int16 or float audio as float32 in [-1, 1]."""
    raw = np.asarray(samples)
    x = raw.astype(np.float32)
    if np.issubdtype(raw.dtype, np.integer):
        x /= 32768.0
    return x


def normalize_volume(x: np.ndarray, target_dbfs: float = NORM_DBFS) -> np.ndarray:
    """Raise (never lower) the level to ``target_dbfs`` RMS, as Resemblyzer's preprocessing."""
    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0
    if rms <= 1e-9:
        return x
    change = target_dbfs - 20 * np.log10(rms)
    return x * np.float32(10 ** (change / 20)) if change > 0 else x


def mel_power(x: np.ndarray) -> np.ndarray:
    """(n_frames, 40) mel power spectrogram of float audio (centred frames, zero padding),
    n_frames = 1 + len(x) // 160, as librosa.feature.melspectrogram."""
    x = np.pad(np.asarray(x, np.float32), N_FFT // 2)
    n = 1 + (len(x) - N_FFT) // HOP
    if n <= 0:
        return np.zeros((0, N_MELS), np.float32)
    frames = np.lib.stride_tricks.as_strided(x, shape=(n, N_FFT), strides=(x.strides[0] * HOP, x.strides[0]))
    spec = np.fft.rfft(frames * _window(), axis=1)
    power = (spec.real**2 + spec.imag**2).astype(np.float32)
    return power @ mel_filters()


# --- network ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _weights() -> dict[str, np.ndarray]:
    with np.load(MODEL_FILE) as z:
        w = {k: z[k].astype(np.float32) for k in z.files}
    out: dict[str, np.ndarray] = {}
    # gates i, f, g, o (PyTorch's order); sigmoid(z) = (tanh(z / 2) + 1) / 2, so the i, f, o
    # columns are halved here and one tanh per step serves all four gates
    half = np.full(4 * HIDDEN, 0.5, np.float32)
    half[2 * HIDDEN : 3 * HIDDEN] = 1.0
    for layer in range(3):
        out[f"wih{layer}"] = np.ascontiguousarray(w[f"lstm.weight_ih_l{layer}"].T * half)
        out[f"whh{layer}"] = np.ascontiguousarray(w[f"lstm.weight_hh_l{layer}"].T * half)
        out[f"b{layer}"] = (w[f"lstm.bias_ih_l{layer}"] + w[f"lstm.bias_hh_l{layer}"]) * half
    out["lin_w"] = np.ascontiguousarray(w["linear.weight"].T)
    out["lin_b"] = w["linear.bias"]
    return out


def forward(mels: np.ndarray) -> np.ndarray:
    """(B, T, 40) mel power → (B, 256) L2-normalised embeddings (the reference's forward)."""
    w = _weights()
    x = np.asarray(mels, np.float32)
    b, t, _ = x.shape
    if b == 0:
        return np.zeros((0, HIDDEN), np.float32)
    for layer in range(3):
        proj = (x.reshape(b * t, -1) @ w[f"wih{layer}"]).reshape(b, t, 4 * HIDDEN) + w[f"b{layer}"]
        whh = w[f"whh{layer}"]
        h = np.zeros((b, HIDDEN), np.float32)
        c = np.zeros((b, HIDDEN), np.float32)
        last = layer == 2
        seq = None if last else np.empty((b, t, HIDDEN), np.float32)
        for step in range(t):
            z = np.tanh(proj[:, step] + h @ whh)
            s = z * 0.5 + 0.5  # sigmoid of the i, f, o gates (its g block is unused)
            c = s[:, HIDDEN : 2 * HIDDEN] * c + s[:, :HIDDEN] * z[:, 2 * HIDDEN : 3 * HIDDEN]
            h = s[:, 3 * HIDDEN :] * np.tanh(c)
            if seq is not None:
                seq[:, step] = h
        if seq is not None:
            x = seq
    e = np.maximum(h @ w["lin_w"] + w["lin_b"], 0.0)
    return e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-9)


def embed_frames(mel: np.ndarray, starts: list[int] | np.ndarray, length: int = PARTIAL_FRAMES) -> np.ndarray:
    """Embeddings of windows ``mel[s : s + length]`` (all the same length), one batch."""
    if len(starts) == 0:
        return np.zeros((0, HIDDEN), np.float32)
    batch = np.stack([mel[s : s + length] for s in starts])
    return forward(batch)


# --- the reference's utterance embedding ---------------------------------------------------


def partial_starts(n_samples: int, rate: float = 1.3, min_coverage: float = 0.75) -> list[int]:
    """Frame offsets of the 1.6 s partials of an utterance (Resemblyzer's compute_partial_slices)."""
    n_frames = int(np.ceil((n_samples + 1) / HOP))
    step = int(np.round((RATE_HZ / rate) / HOP))
    starts = list(range(0, max(1, n_frames - PARTIAL_FRAMES + step + 1), step))
    last = starts[-1] * HOP
    coverage = (n_samples - last) / (PARTIAL_FRAMES * HOP)
    if coverage < min_coverage and len(starts) > 1:
        starts = starts[:-1]
    return starts


def embed_utterance(x: np.ndarray, rate: float = 1.3, min_coverage: float = 0.75) -> tuple[np.ndarray, np.ndarray]:
    """(utterance embedding, partial embeddings) of preprocessed float audio, as the reference
    ``VoiceEncoder.embed_utterance`` (the audio is zero-padded to cover the last partial)."""
    x = np.asarray(x, np.float32)
    starts = partial_starts(len(x), rate, min_coverage)
    need = (starts[-1] + PARTIAL_FRAMES) * HOP
    if need >= len(x):
        x = np.pad(x, (0, need - len(x)))
    parts = embed_frames(mel_power(x), starts)
    mean = parts.mean(axis=0)
    return mean / np.linalg.norm(mean), parts
