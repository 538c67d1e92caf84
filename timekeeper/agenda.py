"""The agenda: the codev phases, their speaking rules and time boxes.

Built-in presets ``codev-60``, ``codev-90`` (default) and ``codev-120`` follow the
method (../shared/docs/codev.md). Custom agendas are TOML files (see config/); the
presets are also shipped there as files a user can copy, and a test checks that those
files and the built-in table say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timekeeper import lang as languages
from timekeeper.errors import ConfigError
from timekeeper.events import PhasePlan
from timekeeper.tomlfile import load_toml, suggest

LANGS = languages.LANGS
SPEAKERS = ("client", "consultants", "everyone")
MAX_PHASE_MIN = 240  # a phase longer than four hours is a typo
MAX_PHASES = 30


@dataclass(frozen=True)
class Phase:
    id: str
    number: int  # the number people use ("go to phase three"); codev counts check-in as 0
    names: dict[str, str]  # lang -> name
    planned_s: float
    speakers: str  # client | consultants | everyone
    rules: dict[str, str]  # lang -> speaking rule

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))

    def rule(self, lang: str) -> str:
        return self.rules.get(lang) or next(iter(self.rules.values()), "")

    def plan(self, lang: str) -> PhasePlan:
        return PhasePlan(self.id, self.name(lang), self.planned_s, self.speakers, self.rule(lang), self.number)


@dataclass(frozen=True)
class Agenda:
    id: str
    names: dict[str, str]
    phases: tuple[Phase, ...]

    def name(self, lang: str) -> str:
        return self.names.get(lang) or next(iter(self.names.values()))

    @property
    def planned_s(self) -> float:
        return sum(p.planned_s for p in self.phases)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The phase numbers people say ("go to phase three"); codev counts check-in as 0."""
        return tuple(p.number for p in self.phases)

    def plans(self, lang: str) -> tuple[PhasePlan, ...]:
        return tuple(p.plan(lang) for p in self.phases)

    def scaled(self, factor: float) -> "Agenda":
        """The same agenda with every time box multiplied (demo, rehearsal)."""
        phases = tuple(
            Phase(p.id, p.number, p.names, round(p.planned_s * factor, 3), p.speakers, p.rules)
            for p in self.phases
        )
        return Agenda(self.id, self.names, phases)


# --- the method ---------------------------------------------------------------

# id, codev number, who speaks; names and rules are each language's (timekeeper.lang PHASES)
_CODEV_PHASES = (
    ("checkin", 0, "everyone"),
    ("presentation", 1, "client"),
    ("clarification", 2, "consultants"),
    ("contract", 3, "client"),
    ("consultation", 4, "consultants"),
    ("summary", 5, "client"),
    ("learning", 6, "everyone"),
)

# minutes per phase for each preset (codev.md); 0 = phase left out
_CODEV_MINUTES = {
    60: (0, 5, 12, 5, 20, 8, 10),
    90: (5, 10, 15, 5, 30, 10, 15),
    120: (15, 10, 20, 10, 35, 15, 15),
}
DEFAULT_PRESET = "codev-90"


def _codev(total_min: int) -> Agenda:
    phases = []
    for row, minutes in zip(_CODEV_PHASES, _CODEV_MINUTES[total_min]):
        pid, number, speakers = row
        if minutes:
            texts = {code: languages.get(code).PHASES[pid] for code in LANGS}
            phases.append(Phase(pid, number, {code: name for code, (name, _) in texts.items()}, minutes * 60.0,
                                speakers, {code: rule for code, (_, rule) in texts.items()}))
    names = {code: languages.get(code).PRESETS[total_min] for code in LANGS}
    return Agenda(f"codev-{total_min}", names, tuple(phases))


PRESETS: dict[str, Agenda] = {f"codev-{m}": _codev(m) for m in _CODEV_MINUTES}


# --- TOML ----------------------------------------------------------------------

_AGENDA_KEYS = {"id", "name"}
_PHASE_KEYS = {"id", "number", "name", "minutes", "speakers", "rule"}


def _check_keys(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key '{key}' ({suggest(key, allowed)})")


def _text_per_lang(where: str, value: Any) -> dict[str, str]:
    """A name or rule: a plain string (all languages) or a table {fr = ..., en = ...}."""
    if isinstance(value, str):
        return {lang: value for lang in LANGS}
    if isinstance(value, dict) and value:
        for lang, text in value.items():
            if lang not in LANGS:
                raise ConfigError(
                    f"{where}: language '{lang}' is not available (use one of: {', '.join(LANGS)})")
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"{where}.{lang}: must be a non-empty text")
        return dict(value)
    raise ConfigError(f"{where}: must be a text or a table like {{ fr = \"...\", en = \"...\" }}")


def agenda_from_dict(data: dict[str, Any], source: str = "agenda") -> Agenda:
    _check_keys(source, data, {"agenda", "phases"})
    head = data.get("agenda", {})
    if not isinstance(head, dict):
        raise ConfigError(f"{source}: [agenda] must be a table")
    _check_keys(f"{source} [agenda]", head, _AGENDA_KEYS)
    agenda_id = str(head.get("id") or Path(source).stem)
    names = _text_per_lang(f"{source} [agenda] name", head.get("name", agenda_id))
    rows = data.get("phases")
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{source}: no phases: add [[phases]] tables with id, name and minutes")
    if len(rows) > MAX_PHASES:
        raise ConfigError(f"{source}: {len(rows)} phases is too many (at most {MAX_PHASES})")
    phases: list[Phase] = []
    seen: set[str] = set()
    numbers: set[int] = set()
    for i, row in enumerate(rows, start=1):
        where = f"{source} phase {i}"
        if not isinstance(row, dict):
            raise ConfigError(f"{where}: must be a [[phases]] table")
        _check_keys(where, row, _PHASE_KEYS)
        pid = row.get("id")
        if not isinstance(pid, str) or not pid.strip():
            raise ConfigError(f"{where}: missing 'id' (a short name such as \"clarification\")")
        where = f"{source} phase '{pid}'"
        if pid in seen:
            raise ConfigError(f"{where}: duplicate phase id; give each phase its own id")
        seen.add(pid)
        minutes = row.get("minutes")
        if isinstance(minutes, bool) or not isinstance(minutes, (int, float)):
            raise ConfigError(f"{where}: 'minutes' must be a number of minutes, e.g. minutes = 10")
        if not 0 < minutes <= MAX_PHASE_MIN:
            raise ConfigError(
                f"{where}: minutes = {minutes} is not a sensible length (use more than 0 and at most {MAX_PHASE_MIN})")
        speakers = row.get("speakers", "everyone")
        if speakers not in SPEAKERS:
            raise ConfigError(f"{where}: speakers = '{speakers}' ({suggest(str(speakers), set(SPEAKERS))})")
        number = row.get("number", i)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ConfigError(f"{where}: 'number' must be a whole number ≥ 0")
        if number in numbers:
            raise ConfigError(f"{where}: number {number} is used twice; give each phase its own number")
        numbers.add(number)
        phases.append(Phase(
            id=pid,
            number=number,
            names=_text_per_lang(f"{where} name", row.get("name", pid)),
            planned_s=float(minutes) * 60.0,
            speakers=speakers,
            rules=_text_per_lang(f"{where} rule", row["rule"]) if "rule" in row else {},
        ))
    return Agenda(agenda_id, names, tuple(phases))


def load_agenda_file(path: Path) -> Agenda:
    data = load_toml(path, "agenda file", f"check the path or use a preset ({', '.join(PRESETS)})")
    return agenda_from_dict(data, str(path))


def get_agenda(spec: str | None) -> Agenda:
    """A preset name (``codev-90``) or the path of a TOML agenda."""
    spec = spec or DEFAULT_PRESET
    if spec in PRESETS:
        return PRESETS[spec]
    if spec.endswith(".toml") or "/" in spec:
        return load_agenda_file(Path(spec))
    raise ConfigError(f"unknown agenda '{spec}': {suggest(spec, set(PRESETS))} (or give a .toml file)")


def _toml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def agenda_to_toml(agenda: Agenda) -> str:
    """The agenda as a TOML file a user can copy and edit (loads back identical)."""
    out = [
        "# Agenda for timekeeper. Copy this file, edit it, and run",
        "#   timekeeper run --agenda path/to/your-agenda.toml",
        "# minutes: planned length; speakers: client | consultants | everyone;",
        "# number: what people say in \"go to phase three\".",
        "",
        "[agenda]",
        f"id = {_toml_str(agenda.id)}",
        "name = { " + ", ".join(f"{k} = {_toml_str(v)}" for k, v in agenda.names.items()) + " }",
    ]
    for p in agenda.phases:
        minutes = p.planned_s / 60.0
        out += [
            "",
            "[[phases]]",
            f"id = {_toml_str(p.id)}",
            f"number = {p.number}",
            "name = { " + ", ".join(f"{k} = {_toml_str(v)}" for k, v in p.names.items()) + " }",
            f"minutes = {int(minutes) if minutes == int(minutes) else minutes}",
            f"speakers = {_toml_str(p.speakers)}",
        ]
        if p.rules:
            out.append("rule = { " + ", ".join(f"{k} = {_toml_str(v)}" for k, v in p.rules.items()) + " }")
    return "\n".join(out) + "\n"
