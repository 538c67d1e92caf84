"""Read a session journal for the report, tolerating damage.

A crash can leave a torn line (half-written JSON) at the end of the journal, or in the
middle when the session was resumed and more lines were appended after it. Such lines
are skipped with a warning on stderr (by ``timekeeper.journal.read_journal``);
everything readable is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timekeeper.errors import JournalError
from timekeeper.events import Event
from timekeeper.journal import JOURNAL_NAME
from timekeeper.journal import read_journal as _read


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
    contents = _read(path)
    if not contents.events:
        raise JournalError(f"{path}: no readable event; is it a timekeeper journal?")
    return Journal(contents.events, contents.torn_lines, path)
