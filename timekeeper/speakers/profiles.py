"""Voice profiles: model parameters only (never audio), stored as JSON files.

The store lives in the user's data directory: ``$TIMEKEEPER_DATA``, else
``$XDG_DATA_HOME/timekeeper``, else ``~/.local/share/timekeeper``, under ``voices/``.
A profile holds a diagonal Gaussian mixture over MFCC frames (weights, means,
variances), the seconds of speech it was trained on, and the feature version.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from timekeeper.paths import data_dir
from timekeeper.errors import EnrollmentError
from timekeeper.speakers.features import FEATURE_VERSION
from timekeeper.speakers.gmm import DiagGMM

PROFILE_FORMAT = 1


@dataclass(frozen=True, eq=False)
class VoiceProfile:
    """A participant's voice: a small Gaussian mixture and how it was made."""

    name: str
    gmm: DiagGMM
    speech_s: float
    created_at: str = ""
    feature_version: int = FEATURE_VERSION
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "format": PROFILE_FORMAT,
            "name": self.name,
            "speech_s": round(float(self.speech_s), 2),
            "created_at": self.created_at,
            "feature_version": self.feature_version,
            "meta": dict(self.meta),
            "gmm": self.gmm.to_dict(),
        }

    @staticmethod
    def from_dict(d: dict) -> "VoiceProfile":
        return VoiceProfile(
            name=str(d["name"]),
            gmm=DiagGMM.from_dict(d["gmm"]),
            speech_s=float(d["speech_s"]),
            created_at=str(d.get("created_at", "")),
            feature_version=int(d.get("feature_version", 0)),
            meta=dict(d.get("meta", {})),
        )


def default_dir() -> Path:
    """Where profiles live: the user's data folder (see timekeeper.paths), then voices/."""
    return data_dir() / "voices"


def _slug(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "voice"


class ProfileStore:
    """Save, load, list and remove voice profiles in one folder (one JSON file each)."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.dir = Path(directory) if directory is not None else default_dir()

    def _path(self, name: str) -> Path:
        return self.dir / f"{_slug(name)}.json"

    def save(self, profile: VoiceProfile) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self._path(profile.name)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(profile.to_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def _read(self, path: Path) -> VoiceProfile:
        try:
            return VoiceProfile.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise EnrollmentError(
                f"voice profile {path} is unreadable ({exc}); remove it with "
                f"`timekeeper voices remove` and enroll again"
            ) from None

    def list(self) -> list[VoiceProfile]:
        if not self.dir.is_dir():
            return []
        return sorted((self._read(p) for p in self.dir.glob("*.json")), key=lambda p: p.name.lower())

    def names(self) -> list[str]:
        return [p.name for p in self.list()]

    def load(self, name: str) -> VoiceProfile:
        path = self._path(name)
        if not path.exists():
            for p in self.list():
                if p.name.lower() == name.lower():
                    return p
            known = ", ".join(self.names()) or "none yet"
            raise EnrollmentError(
                f"no voice profile for {name!r} (enrolled: {known}); "
                f"enroll with `timekeeper enroll {name} --from FILE.wav`"
            )
        prof = self._read(path)
        if prof.feature_version != FEATURE_VERSION:
            raise EnrollmentError(
                f"the voice profile of {prof.name} was made by an older version; enroll {prof.name} again"
            )
        return prof

    def load_many(self, names: list[str] | None = None) -> list[VoiceProfile]:
        if names is None:
            return [p for p in self.list() if p.feature_version == FEATURE_VERSION]
        return [self.load(n) for n in names]

    def remove(self, name: str) -> None:
        prof = self.load(name)
        self._path(prof.name).unlink()
