"""The JSON report (schema "timekeeper-report/1", documented in docs/report-schema.md).

``SCHEMA`` is a JSON Schema (draft 2020-12 subset); ``validate`` checks a document
against it with no third-party library (types, required keys, items, maps).
"""

from __future__ import annotations

import json
from typing import Any

from timekeeper.report.i18n import LANGS
from timekeeper.report.readout import key_lines
from timekeeper.report.summary import RuleBreak, Summary

SCHEMA_ID = "timekeeper-report/1"
BALANCE_MEASURE = "normalised Shannon entropy of speaking time (1 = even, 0 = one speaker)"


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None else round(float(x), digits)


def _warning(w: RuleBreak) -> dict[str, Any]:
    return {"t_s": _r(w.t_s), "rule": w.rule, "speaker": w.speaker, "phase_id": w.phase_id,
            "value_s": _r(w.value_s), "spoken": w.spoken}


def to_dict(s: Summary, lang: str) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "lang": lang,
        "agenda": {"id": s.agenda_id, "name": s.agenda_name},
        "started_at": s.started_at,
        "ended": s.ended,
        "resumes": s.resumes,
        "skipped_lines": s.skipped_lines,
        "elapsed_s": _r(s.elapsed_s),
        "planned_s": _r(s.planned_s),
        "actual_s": _r(s.actual_s),
        "paused_s": _r(s.paused_s),
        "has_speaker_data": s.has_speaker_data,
        "speech_s": _r(s.speech_s),
        "unattributed_s": _r(s.unattributed_s),
        "unknown_s": _r(s.unknown_s),
        "unnamed_voices_s": _r(s.unnamed_voices_s),
        "balance": _r(s.balance, 4),
        "balance_measure": BALANCE_MEASURE,
        "silent_consultants": list(s.silent_consultants),
        "renames": dict(s.renames),
        "key_lines": key_lines(s, lang),
        "phases": [{
            "id": p.id, "name": p.name, "index": p.index, "number": p.number, "speakers": p.speakers,
            "planned_s": _r(p.planned_s), "initial_planned_s": _r(p.initial_planned_s),
            "start_s": _r(p.start_s), "end_s": _r(p.end_s), "actual_s": _r(p.actual_s),
            "overrun_s": _r(p.overrun_s), "paused_s": _r(p.paused_s), "visits": p.visits,
            "speaking_s": {k: _r(v) for k, v in p.speaking_s.items()},
            "share": {k: _r(v, 4) for k, v in p.share.items()},
            "unattributed_s": _r(p.unattributed_s), "unknown_s": _r(p.unknown_s),
            "balance": _r(p.balance, 4), "silent": list(p.silent),
            "warnings": [_warning(w) for w in p.warnings],
        } for p in s.phases],
        "people": [{
            "name": p.name, "role": p.role, "speaking_s": _r(p.speaking_s), "share": _r(p.share, 4),
            "turns": p.turns, "longest_turn_s": _r(p.longest_turn_s),
            "per_phase_s": {k: _r(v) for k, v in p.per_phase_s.items()},
        } for p in s.people],
        "warnings": [_warning(w) for w in s.warnings],
        "timeline": [{"speaker": t.speaker, "start_s": _r(t.start_s), "end_s": _r(t.end_s),
                      "phase_id": t.phase_id} for t in s.timeline],
    }


def render(s: Summary, lang: str) -> str:
    return json.dumps(to_dict(s, lang), ensure_ascii=False, indent=1) + "\n"


# --- schema --------------------------------------------------------------------------

_NUM = {"type": "number"}
_NUM_OR_NULL = {"type": ["number", "null"]}
_STR = {"type": "string"}
_SECONDS_MAP = {"type": "object", "additionalProperties": _NUM}
_WARNING = {
    "type": "object",
    "required": ["t_s", "rule", "speaker", "phase_id", "value_s", "spoken"],
    "properties": {"t_s": _NUM, "rule": _STR, "speaker": _STR, "phase_id": {"type": ["string", "null"]},
                   "value_s": _NUM, "spoken": {"type": "boolean"}},
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "type": "object",
    "required": ["schema", "lang", "agenda", "started_at", "ended", "resumes", "skipped_lines",
                 "elapsed_s", "planned_s", "actual_s", "paused_s", "has_speaker_data", "speech_s",
                 "unattributed_s", "unknown_s", "unnamed_voices_s", "balance", "balance_measure",
                 "silent_consultants", "renames", "key_lines", "phases", "people", "warnings", "timeline"],
    "properties": {
        "schema": {"type": "string", "const": SCHEMA_ID},
        "lang": {"type": "string", "enum": list(LANGS)},
        "agenda": {"type": "object", "required": ["id", "name"], "properties": {"id": _STR, "name": _STR}},
        "started_at": _STR,
        "ended": {"type": "boolean"},
        "resumes": {"type": "integer"},
        "skipped_lines": {"type": "integer"},
        "elapsed_s": _NUM, "planned_s": _NUM, "actual_s": _NUM, "paused_s": _NUM,
        "has_speaker_data": {"type": "boolean"},
        "speech_s": _NUM, "unattributed_s": _NUM, "unknown_s": _NUM, "unnamed_voices_s": _NUM,
        "balance": _NUM_OR_NULL,
        "balance_measure": _STR,
        "silent_consultants": {"type": "array", "items": _STR},
        "renames": {"type": "object", "additionalProperties": _STR},
        "key_lines": {"type": "array", "items": _STR},
        "phases": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "name", "index", "speakers", "planned_s", "initial_planned_s", "start_s",
                         "end_s", "actual_s", "overrun_s", "paused_s", "visits", "speaking_s", "share",
                         "unattributed_s", "unknown_s", "balance", "silent", "warnings"],
            "properties": {
                "id": _STR, "name": _STR, "index": {"type": "integer"}, "number": {"type": "integer"},
                "speakers": {"type": "string", "enum": ["client", "consultants", "everyone"]},
                "planned_s": _NUM, "initial_planned_s": _NUM, "start_s": _NUM_OR_NULL, "end_s": _NUM_OR_NULL,
                "actual_s": _NUM, "overrun_s": _NUM, "paused_s": _NUM, "visits": {"type": "integer"},
                "speaking_s": _SECONDS_MAP, "share": _SECONDS_MAP,
                "unattributed_s": _NUM, "unknown_s": _NUM, "balance": _NUM_OR_NULL,
                "silent": {"type": "array", "items": _STR},
                "warnings": {"type": "array", "items": _WARNING},
            },
        }},
        "people": {"type": "array", "items": {
            "type": "object",
            "required": ["name", "role", "speaking_s", "share", "turns", "longest_turn_s", "per_phase_s"],
            "properties": {
                "name": _STR,
                "role": {"type": "string", "enum": ["client", "consultant", "animateur", "voice"]},
                "speaking_s": _NUM, "share": _NUM, "turns": {"type": "integer"},
                "longest_turn_s": _NUM, "per_phase_s": _SECONDS_MAP,
            },
        }},
        "warnings": {"type": "array", "items": _WARNING},
        "timeline": {"type": "array", "items": {
            "type": "object", "required": ["speaker", "start_s", "end_s", "phase_id"],
            "properties": {"speaker": _STR, "start_s": _NUM, "end_s": _NUM,
                           "phase_id": {"type": ["string", "null"]}},
        }},
    },
}

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(doc: Any, schema: dict[str, Any] = SCHEMA, where: str = "$") -> list[str]:
    """Problems found in ``doc`` (empty list: valid)."""
    problems: list[str] = []
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        if not any(_TYPES[tp](doc) for tp in allowed):
            return [f"{where}: expected {'/'.join(allowed)}, got {type(doc).__name__}"]
    if "const" in schema and doc != schema["const"]:
        problems.append(f"{where}: expected {schema['const']!r}")
    if "enum" in schema and doc not in schema["enum"]:
        problems.append(f"{where}: {doc!r} not in {schema['enum']}")
    if isinstance(doc, dict):
        for key in schema.get("required", []):
            if key not in doc:
                problems.append(f"{where}: missing key '{key}'")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in doc.items():
            if key in props:
                problems += validate(value, props[key], f"{where}.{key}")
            elif isinstance(extra, dict):
                problems += validate(value, extra, f"{where}.{key}")
    if isinstance(doc, list) and "items" in schema:
        for i, item in enumerate(doc):
            problems += validate(item, schema["items"], f"{where}[{i}]")
    return problems
