"""Settings: frozen dataclasses loaded from TOML; command-line flags override the file.

A settings file (see config/timekeeper.toml) has the tables [session], [clock],
[announcer], [listen] and [speaking]. Unknown keys are rejected with the file, the key
and a suggestion. The [speaking] table belongs to the speaking-rules engine and is
checked there.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timekeeper import lang as languages
from timekeeper.agenda import LANGS
from timekeeper.errors import ConfigError
from timekeeper.events import Participant
from timekeeper.tomlfile import load_toml, suggest

ROLES = ("client", "consultant", "animateur")


@dataclass(frozen=True)
class ClockSettings:
    warn_before_min: float = 1.0  # "N minutes left" warning; 0 = off
    overrun_every_min: float = 2.0  # overrun reminders
    overrun_max: int = 3
    behind_warn_min: float = 5.0  # say the plan is behind when a phase starts this late; 0 = off


@dataclass(frozen=True)
class AnnouncerSettings:
    tts: bool = True  # speak; False prints only
    voice: str = ""  # espeak voice id; empty = the session language's default
    rate_wpm: int = 165
    earcon: str = "word"  # how accepted commands are acknowledged: "word" | "bell" | "none"
    tail_s: float = 0.6  # audio ignored after the announcer stops (room echo)


@dataclass(frozen=True)
class ListenSettings:
    input: str = ""  # "" = keyboard only; "mic", "mic:N", or a WAV path
    engine: str = "auto"  # "auto" | "vosk" | "builtin"
    model: str = ""  # path of a vosk model (overrides the model manager)
    wake_fr: str = languages.get("fr").WAKE
    wake_en: str = languages.get("en").WAKE
    speakers: bool = True  # identify who speaks (needs enrolled voices)
    confirm_end_s: float = 6.0  # a spoken "end the session" waits this long for "yes" or the key; 0: ends at once
    sorry: bool = False  # say "sorry?" when the wake phrase was clearly heard but the command refused
    # (off by default: bench/bench_sorry.py, built-in engine, test split: 40 % of refused commands
    # answered, but 7 "sorry?" per hour of conversation)
    sorry_every_s: float = 20.0  # at most one "sorry?" in this many seconds


@dataclass(frozen=True)
class Settings:
    lang: str = languages.DEFAULT
    agenda: str = "codev-90"
    participants: tuple[Participant, ...] = ()
    sessions_dir: str = "sessions"
    clock: ClockSettings = field(default_factory=ClockSettings)
    announcer: AnnouncerSettings = field(default_factory=AnnouncerSettings)
    listen: ListenSettings = field(default_factory=ListenSettings)
    speaking: dict[str, Any] = field(default_factory=dict)  # checked by the speaking rules


_SECTIONS = {"clock": ClockSettings, "announcer": AnnouncerSettings, "listen": ListenSettings}
# (lowest, highest) a number may be: beyond them a value is a typo, not a wish.
_RANGES: dict[str, tuple[float, float]] = {
    "warn_before_min": (0, 60), "overrun_every_min": (0, 60), "overrun_max": (0, 20), "behind_warn_min": (0, 240),
    "rate_wpm": (80, 450), "tail_s": (0, 5),
}
_CHOICES: dict[str, tuple[str, ...]] = {"earcon": ("word", "bell", "none"), "engine": ("auto", "vosk", "builtin")}
_NOT_EMPTY = ("wake_fr", "wake_en")
_SESSION_KEYS = {"lang", "agenda", "participants", "sessions_dir"}


def _check_numbers(value: Any, source: str, path: str = "") -> None:
    """nan and inf are valid TOML but no setting: refuse them wherever they are."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{source}: {path} = {value} is not a usable number; write a plain number")
    if isinstance(value, dict):
        for key, inner in value.items():
            _check_numbers(inner, source, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for inner in value:
            _check_numbers(inner, source, path)


def check_lang(lang: str, where: str = "--lang") -> str:
    if lang not in LANGS:
        raise ConfigError(f"{where}: language '{lang}' is not available (use one of: {', '.join(LANGS)})")
    return lang


def parse_participants(spec: str | list[Any], where: str = "--participants") -> tuple[Participant, ...]:
    """``"Alice:client,Bob,Chloé,David:animateur"`` (or a TOML list of such strings or
    of {name, role} tables). The role defaults to consultant; at most one client."""
    items: list[Any]
    if isinstance(spec, str):
        items = [s for s in (x.strip() for x in spec.split(",")) if s]
    elif isinstance(spec, list):
        items = spec
    else:
        raise ConfigError(f"{where}: expected a list such as \"Alice:client,Bob,Chloé\"")
    people: list[Participant] = []
    for item in items:
        if isinstance(item, dict):
            name, role = str(item.get("name", "")).strip(), str(item.get("role", "consultant"))
        elif isinstance(item, str):
            name, _, role = item.partition(":")
            name, role = name.strip(), (role.strip() or "consultant")
        else:
            raise ConfigError(f"{where}: '{item}' is not a participant (write Name or Name:role)")
        if not name:
            raise ConfigError(f"{where}: a participant has no name (write Name or Name:role)")
        if role not in ROLES:
            raise ConfigError(f"{where}: role '{role}' for {name} ({suggest(role, set(ROLES))})")
        if any(p.name.casefold() == name.casefold() for p in people):
            raise ConfigError(f"{where}: {name} is listed twice; give each person once")
        people.append(Participant(name, role))
    if sum(p.role == "client" for p in people) > 1:
        raise ConfigError(f"{where}: more than one client; a codev session has exactly one")
    return tuple(people)


def _section(cls: type, table: Any, where: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    default = cls()
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"{where}: unknown key '{key}' ({suggest(key, set(fields))})")
        expected = type(getattr(default, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(f"{where}: '{key}' must be a {expected.__name__}, not {value!r}")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise ConfigError(f"{where}: '{key}' cannot be negative")
        if key in _RANGES and not _RANGES[key][0] <= value <= _RANGES[key][1]:
            low, high = _RANGES[key]
            raise ConfigError(f"{where}: '{key}' = {value:g} is out of range; use a value from {low:g} to {high:g}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise ConfigError(f"{where}: '{key}' = {value!r}; use one of: {', '.join(_CHOICES[key])}")
        if key in _NOT_EMPTY and not value.strip():
            raise ConfigError(f"{where}: '{key}' is empty; give the words that start a command "
                              f"(default {getattr(default, key)!r})")
        values[key] = value
    return cls(**values)


def settings_from_dict(data: dict[str, Any], source: str = "settings") -> Settings:
    allowed = {"session", "speaking", *_SECTIONS}
    _check_numbers(data, source)
    for key in data:
        if key not in allowed:
            raise ConfigError(f"{source}: unknown table [{key}] ({suggest(key, allowed)})")
    session = data.get("session", {})
    if not isinstance(session, dict):
        raise ConfigError(f"{source}: [session] must be a table")
    for key in session:
        if key not in _SESSION_KEYS:
            raise ConfigError(f"{source} [session]: unknown key '{key}' ({suggest(key, _SESSION_KEYS)})")
    kwargs: dict[str, Any] = {}
    if "lang" in session:
        kwargs["lang"] = check_lang(str(session["lang"]), f"{source} [session] lang")
    if "agenda" in session:
        kwargs["agenda"] = str(session["agenda"])
    if "sessions_dir" in session:
        kwargs["sessions_dir"] = str(session["sessions_dir"])
    if "participants" in session:
        kwargs["participants"] = parse_participants(session["participants"], f"{source} [session] participants")
    for name, cls in _SECTIONS.items():
        if name in data:
            kwargs[name] = _section(cls, data[name], f"{source} [{name}]")
    if "speaking" in data:
        if not isinstance(data["speaking"], dict):
            raise ConfigError(f"{source}: [speaking] must be a table")
        kwargs["speaking"] = dict(data["speaking"])
        from timekeeper.speakers.rules import SpeakingRules  # checked now, with or without --input

        SpeakingRules.from_dict(kwargs["speaking"], f"{source} [speaking]")
    settings = Settings(**kwargs)
    if settings.clock.overrun_every_min == 0 and settings.clock.overrun_max:
        raise ConfigError(f"{source} [clock]: overrun_every_min = 0; set overrun_max = 0 to turn reminders off")
    return settings


def load_settings(path: Path | None) -> Settings:
    if path is None:
        return Settings()
    data = load_toml(path, "settings file", "check the path (an example is config/timekeeper.toml)")
    return settings_from_dict(data, str(path))


def override(settings: Settings, **changes: Any) -> Settings:
    """Command-line flags win over the file; ``None`` means "not given"."""
    top = {k: v for k, v in changes.items() if v is not None and "." not in k}
    nested: dict[str, dict[str, Any]] = {}
    for key, value in changes.items():
        if value is not None and "." in key:
            section, name = key.split(".", 1)
            nested.setdefault(section, {})[name] = value
    for section, values in nested.items():
        top[section] = dataclasses.replace(getattr(settings, section), **values)
    return dataclasses.replace(settings, **top)
