"""Conversion of any PCM layout to 16 kHz mono int16, in blocks (files and microphones)."""

from __future__ import annotations

from math import gcd

import numpy as np


def pcm_to_float_mono(raw: bytes, width: int, channels: int) -> np.ndarray:
    """Interleaved little-endian PCM bytes (8-bit unsigned, 16/24/32-bit signed) → mono float32 in [-1, 1]."""
    if width == 1:
        x = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 3:
        b = np.frombuffer(raw, dtype=np.uint8)
        b = b[: len(b) - len(b) % 3].reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        x = v.astype(np.float32) / float(1 << 23)
    elif width == 4:
        x = np.frombuffer(raw, dtype="<i4").astype(np.float32) / float(1 << 31)
    else:
        raise ValueError(f"unsupported sample width {width}")
    return to_mono(x, channels)


def to_mono(x: np.ndarray, channels: int) -> np.ndarray:
    """Average interleaved (or 2-D frames × channels) samples to one channel, as float32."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 2:
        return x.mean(axis=1) if x.shape[1] > 1 else x[:, 0]
    if channels > 1:
        x = x[: len(x) - len(x) % channels].reshape(-1, channels).mean(axis=1)
    return x


def float_to_int16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


class StreamResampler:
    """Polyphase resampling of a stream given in arbitrary blocks.

    Output is identical (up to float rounding) whatever the block sizes: each call keeps a
    little left context and look-ahead, so there are no clicks at block edges. The delay is
    ``pad`` input samples (about 1 ms at 48 kHz).
    """

    def __init__(self, from_hz: int, to_hz: int) -> None:
        if from_hz <= 0 or to_hz <= 0:
            raise ValueError("rates must be positive")
        g = gcd(int(from_hz), int(to_hz))
        self.up = int(to_hz) // g
        self.down = int(from_hz) // g
        self.identity = self.up == self.down
        pad = 10 * max(self.up, self.down) + 1
        self.pad = -(-pad // self.down) * self.down  # multiple of down
        self._hist = np.zeros(self.pad, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def process(self, x: np.ndarray) -> np.ndarray:
        """Feed float32 mono samples at ``from_hz``; returns float32 samples at ``to_hz``."""
        x = np.asarray(x, dtype=np.float32)
        if self.identity:
            return x
        from scipy.signal import resample_poly

        self._pending = np.concatenate([self._pending, x])
        n_ready = (len(self._pending) - self.pad) // self.down * self.down
        if n_ready <= 0:
            return np.zeros(0, dtype=np.float32)
        window = np.concatenate([self._hist, self._pending[: n_ready + self.pad]])
        y = resample_poly(window, self.up, self.down).astype(np.float32)
        start = self.pad * self.up // self.down
        out = y[start : start + n_ready * self.up // self.down]
        self._hist = window[n_ready : n_ready + self.pad]
        self._pending = self._pending[n_ready:]
        return out

    def flush(self) -> np.ndarray:
        """Push the held-back tail through (end of a file)."""
        if self.identity:
            return np.zeros(0, dtype=np.float32)
        n = len(self._pending)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        extra = self.pad + (-n) % self.down
        out = self.process(np.zeros(extra, dtype=np.float32))
        want = n * self.up // self.down
        self._pending = np.zeros(0, dtype=np.float32)
        return out[:want]


class Framer:
    """Cuts a 16 kHz int16 stream into fixed-size Frames with running sample positions."""

    def __init__(self, frame_samples: int, start_sample: int = 0) -> None:
        self.frame_samples = frame_samples
        self.position = start_sample
        self._buf = np.zeros(0, dtype=np.int16)

    def push(self, samples: np.ndarray) -> list[tuple[int, np.ndarray]]:
        self._buf = np.concatenate([self._buf, samples.astype(np.int16, copy=False)])
        n = len(self._buf) // self.frame_samples
        out = []
        for i in range(n):
            out.append((self.position, self._buf[i * self.frame_samples : (i + 1) * self.frame_samples].copy()))
            self.position += self.frame_samples
        self._buf = self._buf[n * self.frame_samples :]
        return out

    def flush(self) -> list[tuple[int, np.ndarray]]:
        """The last partial frame, padded with silence (so every frame has the same size)."""
        if len(self._buf) == 0:
            return []
        pad = np.zeros(self.frame_samples - len(self._buf), dtype=np.int16)
        out = [(self.position, np.concatenate([self._buf, pad]))]
        self.position += self.frame_samples
        self._buf = np.zeros(0, dtype=np.int16)
        return out
