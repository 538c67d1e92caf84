"""Session scripts: who says what, when, in which room. TOML or JSON (or a dict).

    [session]            lang, seed, snr_db, rt60_s, noise, voices_dir, reuse_utterances,
                         enroll_s, lead_in_s, tail_s, name
    [[participants]]     name, role, voice ("librispeech:1998" | "espeak:en-us+m3" | "fr+f2"),
                         pitch, speed, level_db
    [[turns]]            speaker, kind ("speech"|"command"|"distractor"|"announcer"),
                         text | audio (path) | utterances ("librispeech:auto" or a list of ids)
                         with duration_s, command ("next", "extend 2"...), lang, gap_s,
                         overlap_s, level_db, wake_pause_s

A mistake raises ConfigError with one line naming the key and the fix.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timekeeper.errors import ConfigError
from testkit.phrases import check_lang, contains_wake_phrase, parse_command
from testkit.room import NOISE_KINDS

KINDS = ("speech", "command", "distractor", "announcer")
ROLES = ("client", "consultant", "animateur", "announcer")


@dataclass(frozen=True)
class SessionSpec:
    lang: str = "en"
    seed: int = 0
    snr_db: float | None = None  # None: no noise added
    rt60_s: float = 0.0  # 0: no reverberation
    noise: str = "none"
    voices_dir: str = ""  # folder of librispeech speaker folders ("" = tests/data/voices/librispeech)
    reuse_utterances: bool = False
    enroll_s: float = 0.0  # seconds of enrollment audio per participant (0: none)
    lead_in_s: float = 0.5
    tail_s: float = 1.0
    name: str = ""


@dataclass(frozen=True)
class ParticipantSpec:
    name: str
    role: str = "consultant"
    voice: str = "espeak:en"
    pitch: int = 50
    speed: int = 165
    level_db: float = 0.0

    @property
    def is_recorded(self) -> bool:
        return self.voice.startswith("librispeech:")


@dataclass(frozen=True)
class TurnSpec:
    speaker: str
    kind: str = "speech"
    text: str = ""
    audio: str = ""
    utterances: str | tuple[str, ...] = ""
    duration_s: float = 0.0
    command: str = ""
    lang: str = ""
    gap_s: float = 0.5
    overlap_s: float = 0.0
    level_db: float = 0.0
    wake_pause_s: float = 0.2


@dataclass(frozen=True)
class Script:
    session: SessionSpec
    participants: tuple[ParticipantSpec, ...]
    turns: tuple[TurnSpec, ...]
    base_dir: Path = field(default=Path("."), compare=False)

    def participant(self, name: str) -> ParticipantSpec:
        for p in self.participants:
            if p.name == name:
                return p
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": dataclasses.asdict(self.session),
            "participants": [dataclasses.asdict(p) for p in self.participants],
            "turns": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(t).items()}
                      for t in self.turns],
        }

    def digest(self) -> str:
        """A hash of the script's content (for build caches)."""
        return hashlib.sha1(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:16]


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a table of keys, not {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init and f.name != "base_dir"}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in fields:
            raise ConfigError(f"unknown key '{where}.{key}': remove it or use one of {', '.join(fields)}")
        default = fields[key].default
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, float) or default is None:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif key == "utterances":
            ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
            value = tuple(value) if isinstance(value, list) else value
        else:
            ok = isinstance(value, str)
        if not ok:
            raise ConfigError(f"bad value {value!r} for '{where}.{key}': give a {type(default).__name__ if default is not None else 'number'}")
        kwargs[key] = value
    try:
        return cls(**kwargs)
    except TypeError:
        missing = [n for n, f in fields.items() if f.default is dataclasses.MISSING and n not in kwargs]
        raise ConfigError(f"'{where}' needs the key '{missing[0] if missing else '?'}'") from None


def _check(script: Script) -> Script:
    s = script.session
    check_lang(s.lang)
    if s.noise not in NOISE_KINDS:
        raise ConfigError(f"bad session.noise {s.noise!r}: use one of {', '.join(NOISE_KINDS)}")
    if s.noise != "none" and s.snr_db is None:
        raise ConfigError("session.noise is set but session.snr_db is missing: add snr_db = 15 (or noise = \"none\")")
    if not 0 <= s.rt60_s <= 2:
        raise ConfigError(f"session.rt60_s = {s.rt60_s} is out of range: use 0 (dry) to 2 seconds")
    if not script.participants:
        raise ConfigError("the script has no [[participants]]: add at least one with name and voice")
    names = [p.name for p in script.participants]
    for i, p in enumerate(script.participants):
        if not p.name:
            raise ConfigError(f"participants[{i}].name is empty: give each participant a name")
        if names.count(p.name) > 1:
            raise ConfigError(f"participant name {p.name!r} is used twice: names must be unique")
        if p.role not in ROLES:
            raise ConfigError(f"bad participants[{i}].role {p.role!r}: use one of {', '.join(ROLES)}")
    if not script.turns:
        raise ConfigError("the script has no [[turns]]: add at least one")
    for i, t in enumerate(script.turns):
        where = f"turns[{i}]"
        if t.speaker not in names:
            raise ConfigError(f"{where}.speaker {t.speaker!r} is not a participant: use one of {', '.join(names)}")
        if t.kind not in KINDS:
            raise ConfigError(f"bad {where}.kind {t.kind!r}: use one of {', '.join(KINDS)}")
        if t.lang:
            check_lang(t.lang)
        p = script.participant(t.speaker)
        sources = [bool(t.text), bool(t.audio), bool(t.utterances)]
        if t.kind == "command":
            if not t.command:
                raise ConfigError(f"{where} is a command turn without 'command': add e.g. command = \"next\"")
            parse_command(t.command)
            if t.audio or t.utterances:
                raise ConfigError(f"{where}: a command turn is synthesised from 'command' (and optional 'text'); remove audio/utterances")
        elif sum(sources) != 1:
            raise ConfigError(f"{where} needs exactly one of 'text', 'audio' or 'utterances'")
        if p.is_recorded and t.text:
            raise ConfigError(f"{where}: {t.speaker} has a recorded voice ({p.voice}) and cannot say a text: "
                              "give utterances = \"librispeech:auto\" or an espeak voice")
        if p.is_recorded and t.kind == "command":
            raise ConfigError(f"{where}: commands are synthesised, so {t.speaker} needs an espeak voice")
        if t.utterances and not p.is_recorded:
            raise ConfigError(f"{where}: utterances need a participant with voice = \"librispeech:<speaker>\"")
        if t.utterances == "librispeech:auto" and t.duration_s <= 0:
            raise ConfigError(f"{where}: utterances = \"librispeech:auto\" needs duration_s > 0")
        if isinstance(t.utterances, str) and t.utterances and t.utterances != "librispeech:auto":
            raise ConfigError(f"bad {where}.utterances {t.utterances!r}: use \"librispeech:auto\" or a list of utterance ids")
        if t.kind == "distractor" and contains_wake_phrase(t.text):
            raise ConfigError(f"{where} is a distractor but contains a wake phrase: remove it or make it a command")
        if t.gap_s < 0 or t.overlap_s < 0:
            raise ConfigError(f"{where}: gap_s and overlap_s must be >= 0")
    return script


def load_script(source: str | Path | dict[str, Any]) -> Script:
    """Read and check a script from a .toml/.json file or an already parsed dict."""
    base = Path(".")
    if isinstance(source, dict):
        data = source
    else:
        path = Path(source)
        base = path.parent
        try:
            raw = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read script {path}: {exc.strerror}; check the path") from None
        try:
            data = json.loads(raw) if path.suffix == ".json" else tomllib.loads(raw)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path} is not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("a script must be a table with [session], [[participants]] and [[turns]]")
    unknown = set(data) - {"session", "participants", "turns"}
    if unknown:
        raise ConfigError(f"unknown section {sorted(unknown)[0]!r}: use [session], [[participants]], [[turns]]")
    session = _build(SessionSpec, data.get("session", {}), "session")
    parts = data.get("participants", [])
    turns = data.get("turns", [])
    if not isinstance(parts, list) or not isinstance(turns, list):
        raise ConfigError("participants and turns must be arrays of tables: write [[participants]] and [[turns]]")
    script = Script(
        session=session,
        participants=tuple(_build(ParticipantSpec, p, f"participants[{i}]") for i, p in enumerate(parts)),
        turns=tuple(_build(TurnSpec, t, f"turns[{i}]") for i, t in enumerate(turns)),
        base_dir=base,
    )
    return _check(script)
