"""Read a session journal for the report, tolerating damage.

A crash can leave a torn line (half-written JSON) at the end of the journal, or in the
middle when the session was resumed and more lines were appended after it. Such lines
are skipped with a warning on stderr; everything readable is kept.

Parsing is ``timekeeper.journal.parse_journal``'s: torn lines and unfinished batches are
skipped the same way as when a session is resumed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from timekeeper.errors import JournalError
from timekeeper.events import Event
from timekeeper.journal import JOURNAL_NAME, parse_journal

log = logging.getLogger("timekeeper.report")


@dataclass(frozen=True)
class Journal:
    events: tuple[Event, ...]
    skipped_lines: tuple[int, ...] = ()  # 1-based numbers of lines that could not be read
    path: Path | None = None


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
    journal = parse_journal(text.splitlines(), str(path))
    if not journal.events:
        raise JournalError(f"{path}: no readable event; is it a timekeeper journal?")
    return Journal(journal.events, journal.torn_lines, path)
