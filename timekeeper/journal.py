"""The session journal: append-only JSON lines, written before anything is announced.

Each line is one event (``Event.to_dict()``) plus three bookkeeping fields:
``wall`` (the Unix time it was written, so a resumed live session knows how long it
was down), ``batch`` and ``n``: the events one input produced (a command, a tick) are
written together as batch number ``batch`` of ``n`` lines, in one write. Lines are
flushed at once and, in live sessions, fsync'ed: a crash loses nothing that was
announced. A torn line (the process died mid-write) is skipped and reported, wherever
it is, and so is the rest of its batch: the state rebuilt from a journal is always one
the session really was in.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from timekeeper.errors import JournalError
from timekeeper.events import Event, from_dict

JOURNAL_NAME = "journal.jsonl"
log = logging.getLogger(__name__)


class JournalWriter:
    """Appends events to SESSION_DIR/journal.jsonl.

    ``sync=True`` (live sessions) fsyncs every line; replays only flush, and fsync
    when closed, so a 90-minute replay stays fast.
    """

    def __init__(self, session_dir: Path, *, sync: bool = True, wall=time.time) -> None:
        self.path = Path(session_dir) / JOURNAL_NAME
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "a", encoding="utf-8")
        except OSError as exc:
            raise JournalError(
                f"cannot write the session journal in {self.path.parent} ({exc.strerror}); "
                "choose a writable folder with --sessions-dir") from None
        self._sync = sync
        self._wall = wall
        self.count = 0
        self._ends_clean()
        self._batch = last_batch(self.path) + 1

    def _ends_clean(self) -> None:
        """After a torn line, start on a fresh line so the next event stays readable."""
        if self.path.stat().st_size:
            with open(self.path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":
                    self._fh.write("\n")
                    self._fh.flush()

    def write(self, events: Iterable[Event]) -> None:
        """Append one batch (all of it or, after a crash, recognisably none of it)."""
        events = list(events)
        if not events:
            return
        wall = round(self._wall(), 3)
        lines = []
        for event in events:
            record = event.to_dict()
            record.update(wall=wall, batch=self._batch, n=len(events))
            lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._fh.write("".join(lines))
        self._fh.flush()
        if self._sync:
            os.fsync(self._fh.fileno())
        self._batch += 1
        self.count += len(events)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def __enter__(self) -> "JournalWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class JournalContents:
    events: tuple[Event, ...]
    torn_lines: tuple[int, ...]  # 1-based numbers of lines that could not be read
    last_wall: float | None  # Unix time of the last good line
    path: Path | None = None  # the journal file read


def read_journal(path: Path) -> JournalContents:
    """Read SESSION_DIR/journal.jsonl (or a journal file given directly), skipping torn
    lines: the one reader for resuming a session, the report and the benches."""
    path = Path(path)
    if not path.exists():
        raise JournalError(f"no journal at {path}: no such session folder (give the folder of a session "
                           f"started by `timekeeper run`, which holds {JOURNAL_NAME})")
    if path.is_dir():
        path = path / JOURNAL_NAME
        if not path.is_file():
            raise JournalError(f"{path.parent}: no {JOURNAL_NAME} here (give the folder of a session "
                               "started by `timekeeper run`)")
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise JournalError(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    return dataclasses.replace(parse_journal(raw.splitlines(), str(path)), path=path)


def parse_journal(lines: Iterable[str], source: str = "journal") -> JournalContents:
    """Journal lines to events: torn lines and unfinished batches are skipped and logged."""
    events: list[Event] = []
    torn: list[int] = []
    last_wall: float | None = None
    group: list[tuple[int, Event]] = []  # the batch being read: (line number, event)
    group_id: object = None
    group_n = 0

    def close_group() -> None:
        if group and len(group) == group_n:
            events.extend(e for _, e in group)
        else:
            torn.extend(number for number, _ in group)  # an incomplete batch counts as torn
        group.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an event")
            wall = record.pop("wall", None)
            batch = record.pop("batch", None)
            n = record.pop("n", 1)
            event = from_dict(record)
        except (ValueError, TypeError, KeyError, AttributeError):
            torn.append(number)
            continue
        if batch is None or batch != group_id:
            close_group()
            group_id, group_n = batch, (n if batch is not None else 1)
        group.append((number, event))
        if isinstance(wall, (int, float)):
            last_wall = float(wall)
        if batch is None:
            close_group()
            group_id = None
    close_group()
    torn.sort()
    for number in torn:
        log.warning("%s: line %d is torn or belongs to an unfinished batch; skipped", source, number)
    return JournalContents(tuple(events), tuple(torn), last_wall)


def last_batch(path: Path) -> int:
    """The highest batch number in a journal (-1 when there is none)."""
    highest = -1
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    highest = max(highest, int(json.loads(line).get("batch", -1)))
                except (ValueError, TypeError, AttributeError):
                    continue
    except FileNotFoundError:
        pass
    return highest
