"""The one audio shape every stage after the source sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Protocol

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


class AudioSource(Protocol):
    """Microphone or file: yields Frames until the stream ends.

    ``realtime`` is True for a microphone (the clock is the wall clock) and False for
    a file (the clock is the audio's own sample count).
    """

    realtime: bool
    name: str

    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...
