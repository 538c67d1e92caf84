"""Ground truth of a generated session: who spoke when, which commands were said.

Written next to the WAV as ``<stem>.truth.json``. Paths inside (wav, enrollment) are
relative to the truth file's folder; ``Truth.load`` makes them absolute.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timekeeper.audio.frames import RATE_HZ


@dataclass(frozen=True)
class TruthParticipant:
    name: str
    role: str
    voice: str


@dataclass(frozen=True)
class TruthTurn:
    """One voiced stretch by one speaker (true voiced extent, sample-exact)."""

    speaker: str
    start_s: float
    end_s: float
    overlap: bool
    kind: str  # "speech" | "command" | "distractor" | "announcer"
    text: str
    source: str = ""  # "librispeech:1998-15444-0003", "espeak:en-us+m3:p50:s165", a file name...
    turn_index: int = -1  # the script turn this stretch comes from


@dataclass(frozen=True)
class TruthCommand:
    speaker: str
    text: str
    command: str  # canonical str(Command): "next", "extend 2"...
    lang: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class TruthSpan:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Truth:
    wav: str
    duration_s: float
    rate_hz: int = RATE_HZ
    seed: int = 0
    lang: str = "en"
    participants: tuple[TruthParticipant, ...] = ()
    turns: tuple[TruthTurn, ...] = ()
    commands: tuple[TruthCommand, ...] = ()
    distractors: tuple[TruthSpan, ...] = ()
    announcer: tuple[TruthSpan, ...] = ()
    enrollment: dict[str, str] = field(default_factory=dict)
    enrollment_sources: dict[str, list[str]] = field(default_factory=dict)  # added: what each enrollment WAV says
    # added: how the room was mixed
    snr_db: float | None = None  # asked
    measured_snr_db: float | None = None  # speech power on active samples / noise power
    rt60_s: float = 0.0
    noise: str = "none"
    gain_db: float = 0.0  # peak-normalisation gain applied to the whole mix (truth unaffected)
    name: str = ""
    script_hash: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Truth":
        d = dict(d)
        d["participants"] = tuple(TruthParticipant(**p) for p in d.get("participants", ()))
        d["turns"] = tuple(TruthTurn(**t) for t in d.get("turns", ()))
        d["commands"] = tuple(TruthCommand(**c) for c in d.get("commands", ()))
        d["distractors"] = tuple(TruthSpan(**s) for s in d.get("distractors", ()))
        d["announcer"] = tuple(TruthSpan(**s) for s in d.get("announcer", ()))
        d["enrollment"] = dict(d.get("enrollment") or {})
        d["enrollment_sources"] = {k: list(v) for k, v in (d.get("enrollment_sources") or {}).items()}
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    @classmethod
    def from_json(cls, text: str) -> "Truth":
        return cls.from_dict(json.loads(text))

    def save(self, path: Path) -> None:
        path.write_text(self.to_json() + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> "Truth":
        """Read a truth file; ``wav`` and ``enrollment`` paths become absolute."""
        from timekeeper.errors import ConfigError

        path = Path(path)
        try:
            truth = cls.from_json(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot read truth file {path}: {exc.strerror}; build it with bench.build_sessions") from None
        except (json.JSONDecodeError, TypeError, KeyError) as exc:
            raise ConfigError(f"{path} is not a truth file ({exc}); give the .truth.json written by the generator") from None
        base = path.resolve().parent
        return dataclasses.replace(
            truth,
            wav=str(base / truth.wav),
            enrollment={k: str(base / v) for k, v in truth.enrollment.items()},
        )

    # --- convenience ---------------------------------------------------------

    def speakers(self) -> list[str]:
        return [p.name for p in self.participants if p.role != "announcer"]

    def speech_turns(self) -> list[TruthTurn]:
        """Turns spoken by participants (everything but the announcer)."""
        return [t for t in self.turns if t.kind != "announcer"]


def truth_path(wav: str | Path) -> Path:
    """``meeting.wav`` -> ``meeting.truth.json``."""
    wav = Path(wav)
    return wav.with_name(wav.stem + ".truth.json")
