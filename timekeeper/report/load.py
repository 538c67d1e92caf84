"""Read a session journal for the report, tolerating damage.

A crash can leave a torn line (half-written JSON) at the end of the journal, or in the
middle when the session was resumed and more lines were appended after it. Such lines
are skipped with a warning on stderr; everything readable is kept.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from timekeeper.errors import JournalError
from timekeeper.events import Event, from_json

log = logging.getLogger("timekeeper.report")

JOURNAL_NAME = "journal.jsonl"


@dataclass(frozen=True)
class Journal:
    events: tuple[Event, ...]
    skipped_lines: tuple[int, ...] = ()  # 1-based line numbers that could not be read
    path: Path | None = None


def parse_lines(lines: list[str], source: str = "journal") -> Journal:
    """Parse JSONL lines; unreadable lines are skipped and logged as warnings."""
    events: list[Event] = []
    skipped: list[int] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            events.append(from_json(text))
        except (ValueError, TypeError, KeyError) as exc:
            # json.JSONDecodeError is a ValueError; unknown types raise ValueError too
            skipped.append(number)
            reason = "torn or damaged line" if isinstance(exc, json.JSONDecodeError) else str(exc)
            log.warning("%s line %d skipped (%s)", source, number, reason)
    return Journal(tuple(events), tuple(skipped))


def journal_path(session_dir: Path) -> Path:
    session_dir = Path(session_dir)
    if session_dir.is_file() and session_dir.suffix == ".jsonl":
        return session_dir
    path = session_dir / JOURNAL_NAME
    if not session_dir.is_dir():
        raise JournalError(f"{session_dir}: no such session folder (give the folder that holds {JOURNAL_NAME})")
    if not path.is_file():
        raise JournalError(f"{session_dir}: no {JOURNAL_NAME} here (give the folder of a session run by 'timekeeper run')")
    return path


def read_journal(session_dir: Path) -> Journal:
    """Read SESSION_DIR/journal.jsonl (or a .jsonl file given directly)."""
    path = journal_path(session_dir)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JournalError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from exc
    text = raw.decode("utf-8", errors="replace")
    journal = parse_lines(text.splitlines(), str(path))
    if not journal.events:
        raise JournalError(f"{path}: no readable event; is it a timekeeper journal?")
    return Journal(journal.events, journal.skipped_lines, path)
