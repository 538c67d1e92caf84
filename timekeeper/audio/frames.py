"""The one audio shape every stage after the source sees."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE_HZ = 16000  # every stage after the source works at 16 kHz mono int16


@dataclass(frozen=True, eq=False)
class Frame:
    """A block of 16 kHz mono int16 samples, stamped with its position in the stream."""

    start_sample: int
    samples: np.ndarray  # int16, mono, RATE_HZ

    @property
    def start_s(self) -> float:
        return self.start_sample / RATE_HZ

    @property
    def end_sample(self) -> int:
        return self.start_sample + len(self.samples)

    @property
    def end_s(self) -> float:
        return self.end_sample / RATE_HZ


@dataclass(frozen=True, eq=False)
class Segment:
    """A stretch of speech found by voice activity detection, with its audio."""

    start_s: float
    end_s: float
    samples: np.ndarray  # int16 mono RATE_HZ, from start_s to end_s

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


# Microphone or file: the contract is timekeeper.contracts.Source (kept here under its old name).
from timekeeper.contracts import Source as AudioSource  # noqa: E402,F401
