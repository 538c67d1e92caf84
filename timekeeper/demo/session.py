"""The demo's recorded session, shipped with the package: a three-minute codev meeting and
one enrollment clip per participant, 8-bit mu-law at 16 kHz in ``session.npz``, described
by ``session.json``. Rendered by ``python -m testkit.build_demo`` (not shipped); real
voices from LibriSpeech, CC BY 4.0 (SOURCE.md and LICENSE.TXT beside).
"""

from __future__ import annotations

import json
import wave
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from timekeeper.events import Participant

ULAW_MAX = 255


def mulaw_decode(codes: np.ndarray) -> np.ndarray:
    """8-bit mu-law codes (0-255) -> int16 samples."""
    m = codes.astype(np.float64) / 255.0 * 2.0 - 1.0
    y = np.sign(m) * ((1.0 + ULAW_MAX) ** np.abs(m) - 1.0) / ULAW_MAX
    return np.clip(np.round(y * 32768.0), -32768, 32767).astype(np.int16)


@dataclass(frozen=True)
class DemoSession:
    participants: tuple[Participant, ...]
    duration_s: float
    rate_hz: int
    meeting: np.ndarray  # int16
    enrollment: dict[str, np.ndarray]  # name -> int16 clip

    def write_meeting(self, path: Path) -> Path:
        """The meeting as a 16-bit WAV file (what ``--input`` reads)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.rate_hz)
            out.writeframes(self.meeting.tobytes())
        return path


def load() -> DemoSession:
    data = resources.files(__package__)
    meta = json.loads(data.joinpath("session.json").read_text(encoding="utf-8"))
    with data.joinpath("session.npz").open("rb") as fh, np.load(fh) as arrays:
        meeting = mulaw_decode(arrays["meeting"])
        people = tuple(Participant(p["name"], p["role"]) for p in meta["participants"])
        clips = {p.name: mulaw_decode(arrays[f"enroll_{i}"]) for i, p in enumerate(people)}
    return DemoSession(people, float(meta["duration_s"]), int(meta["rate_hz"]), meeting, clips)
