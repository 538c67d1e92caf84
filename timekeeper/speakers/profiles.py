"""Voice profiles: a person's voice prints (GE2E embeddings of their enrollment speech),
one JSON file per person, never audio.

Names are kept exactly (Unicode NFC): "Zoe" and "Zoë 🚀", "Alice" and "ALICE", "李雷" and
"王芳" are different people with different files. A file is named from a readable ASCII
part and a hash of the exact name (``alice-3f2a9c0e1b7d.json``), so any name, of any
length or script, maps to exactly one file and no two names share one. ``remove`` takes
the exact name only and points at look-alikes instead of guessing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from timekeeper.errors import EnrollmentError
from timekeeper.paths import data_dir
from timekeeper.speakers.encoder import ENCODER_VERSION

PROFILE_FORMAT = 2
MAX_NAME_CHARS = 1000


@dataclass(frozen=True, eq=False)
class VoiceProfile:
    """A participant's voice: several voice prints (unit vectors, one per 1.6 s window of
    enrollment speech) and how they were made."""

    name: str
    embeddings: np.ndarray  # (n, 256) float32, L2-normalised
    speech_s: float
    created_at: str = ""
    encoder_version: int = ENCODER_VERSION
    meta: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "format": PROFILE_FORMAT,
            "name": self.name,
            "speech_s": round(float(self.speech_s), 2),
            "created_at": self.created_at,
            "encoder_version": self.encoder_version,
            "meta": dict(self.meta),
            "embeddings": np.asarray(self.embeddings, float).round(4).tolist(),
        }

    @staticmethod
    def from_dict(d: dict) -> "VoiceProfile":
        emb = np.asarray(d.get("embeddings", []), np.float32)
        if emb.size:
            emb = emb.reshape(len(emb), -1)
            emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
        return VoiceProfile(
            name=check_name(str(d["name"])),
            embeddings=emb,
            speech_s=float(d["speech_s"]),
            created_at=str(d.get("created_at", "")),
            encoder_version=int(d.get("encoder_version", 0)) if emb.size else 0,
            meta=dict(d.get("meta", {})),
        )


def default_dir() -> Path:
    """Where profiles live: the user's data folder (see timekeeper.paths), then voices/."""
    return data_dir() / "voices"


def check_name(name: str) -> str:
    """The name as stored: NFC, outer spaces removed; EnrollmentError if unusable."""
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        raise EnrollmentError("a voice profile needs a name: timekeeper enroll NAME --from FILE.wav")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise EnrollmentError("a voice profile name cannot hold control characters (tabs, line breaks): "
                              "give the name as people write it")
    if len(name) > MAX_NAME_CHARS:
        raise EnrollmentError(f"a voice profile name of {len(name)} characters is too long: "
                              f"use at most {MAX_NAME_CHARS}")
    return name


def fold(name: str) -> str:
    """A look-alike key: case and accents ignored ("Chloé" ~ "chloe")."""
    s = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in s if not unicodedata.combining(c))


def file_stem(name: str) -> str:
    """Readable ASCII part (at most 40 characters) + 12 hex digits of the exact name's hash."""
    name = check_name(name)
    ascii_part = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:40].strip("-") or "voice"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:12]}"


class ProfileStore:
    """Save, load, list and remove voice profiles in one folder (one JSON file each)."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.dir = Path(directory) if directory is not None else default_dir()

    def path(self, name: str) -> Path:
        return self.dir / f"{file_stem(name)}.json"

    def save(self, profile: VoiceProfile) -> Path:
        name = check_name(profile.name)
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.path(name)
        for other, prof in self._entries():  # an older file of the same person (earlier naming)
            if prof.name == name and other != path:
                other.unlink()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(profile.to_dict(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def _read(self, path: Path) -> VoiceProfile:
        try:
            return VoiceProfile.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, EnrollmentError) as exc:
            raise EnrollmentError(
                f"voice profile {path} is unreadable ({exc}); delete that file and enroll again"
            ) from None

    def _entries(self) -> list[tuple[Path, VoiceProfile]]:
        if not self.dir.is_dir():
            return []
        return [(p, self._read(p)) for p in sorted(self.dir.glob("*.json"))]

    def list(self) -> list[VoiceProfile]:
        return sorted((p for _, p in self._entries()), key=lambda p: (fold(p.name), p.name))

    def names(self) -> list[str]:
        return [p.name for p in self.list()]

    def _find(self, name: str, *, exact: bool) -> tuple[Path, VoiceProfile]:
        name = check_name(name)
        entries = self._entries()
        for path, prof in entries:
            if prof.name == name:
                return path, prof
        if not exact:  # "alice" finds "Alice" when nobody else could be meant
            same_case = [e for e in entries if e[1].name.casefold() == name.casefold()]
            if len(same_case) == 1:
                return same_case[0]
        alike = [p.name for _, p in entries if fold(p.name) == fold(name)]
        if alike:
            hint = " or ".join(repr(a) for a in alike)
            raise EnrollmentError(f"no voice profile named {name!r}; did you mean {hint}? "
                                  f"give the name exactly as enrolled (see `timekeeper voices list`)")
        known = ", ".join(p.name for _, p in entries) or "none yet"
        raise EnrollmentError(f"no voice profile for {name!r} (enrolled: {known}); "
                              f"enroll with `timekeeper enroll {name!r} --from FILE.wav`")

    def has(self, name: str) -> bool:
        try:
            self._find(name, exact=False)
        except EnrollmentError:
            return False
        return True

    def load(self, name: str) -> VoiceProfile:
        _, prof = self._find(name, exact=False)
        if prof.encoder_version != ENCODER_VERSION:
            raise EnrollmentError(
                f"the voice profile of {prof.name} was made by an older version; enroll {prof.name} again"
            )
        return prof

    def load_many(self, names: list[str] | None = None) -> list[VoiceProfile]:
        if names is None:
            return [p for p in self.list() if p.encoder_version == ENCODER_VERSION]
        return [self.load(n) for n in names]

    def remove(self, name: str) -> str:
        """Delete the profile of exactly ``name``; returns the name removed."""
        path, prof = self._find(name, exact=True)
        path.unlink()
        return prof.name
