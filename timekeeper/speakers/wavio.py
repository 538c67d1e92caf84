"""Read a whole audio file as 16 kHz mono int16 (through the shared WAV source)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def read_int16(path: str | Path) -> np.ndarray:
    from timekeeper.audio.sources import WavSource

    src = WavSource(path)
    try:
        chunks = [f.samples for f in src.frames()]
    finally:
        src.close()
    return np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
