"""Clocks. The session never reads the time itself: a Clock is injected.

- ``MonotonicClock`` for live runs,
- ``AudioClock`` for replays: the audio's own sample count drives time,
- ``ManualClock`` for tests.

All return seconds since their own origin (the session start), as float.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the clock's origin."""
        ...


class MonotonicClock:
    """Wall time from ``time.monotonic``; ``offset_s`` lets a resumed session go on."""

    def __init__(self, offset_s: float = 0.0) -> None:
        self._origin = time.monotonic() - offset_s

    def now(self) -> float:
        return time.monotonic() - self._origin


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start_s: float = 0.0) -> None:
        self._t = float(start_s)

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock never goes back")
        self._t += seconds
        return self._t

    def set(self, t_s: float) -> None:
        if t_s < self._t:
            raise ValueError("a clock never goes back")
        self._t = float(t_s)


class AudioClock:
    """Time is the number of samples consumed divided by the rate, plus an offset."""

    def __init__(self, rate_hz: int = 16000, offset_s: float = 0.0) -> None:
        self.rate_hz = rate_hz
        self.offset_s = offset_s
        self.samples = 0

    def advance_samples(self, n: int) -> None:
        self.samples += n

    def now(self) -> float:
        return self.offset_s + self.samples / self.rate_hz
