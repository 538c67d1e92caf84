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
import errno
import json
import logging
import math
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
        self._broken = False
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
        try:
            self._fh.write("".join(lines))
            self._fh.flush()
            if self._sync:
                os.fsync(self._fh.fileno())
        except OSError as exc:
            self._broken = True
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) and self._batch == 0:
                raise JournalError(f"no space left to start a session in {self.path.parent} ({exc.strerror}); "
                                   "free some space and start again") from None
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise JournalError(
                    f"no space left to write {self.path} ({exc.strerror}): what was journaled is kept; "
                    f"free some space, then take the session up with `timekeeper run --resume "
                    f"{self.path.parent}`") from None
            raise JournalError(f"cannot write {self.path} ({exc.strerror}); take the session up with "
                               f"`timekeeper run --resume {self.path.parent}` once it is writable") from None
        self._batch += 1
        self.count += len(events)

    def close(self) -> None:
        if self._fh.closed:
            return
        try:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        except OSError:
            if not self._broken:
                raise
            try:  # the disk is full: what could not be written is dropped, the rest is kept
                self._fh.close()
            except OSError:
                pass

    def __enter__(self) -> "JournalWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class JournalContents:
    events: tuple[Event, ...]
    torn_lines: tuple[int, ...]  # 1-based numbers of lines that could not be read
    last_wall: float | None  # Unix time of the last good line
    batch_sizes: tuple[int, ...] = ()  # events of each kept batch, in order (they add up to len(events))
    unknown: tuple[tuple[int, str], ...] = ()  # (line, type) of events of a type this version does not know
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
    """Journal lines to events: torn lines and unfinished batches are skipped and logged.

    A line that is valid JSON but not a usable event (a ``t_s`` that is not a number) counts
    as torn; an event of a type this version does not know (written by a newer one) is
    skipped without breaking its batch, and reported apart."""
    events: list[Event] = []
    sizes: list[int] = []
    torn: list[int] = []
    unknown: list[tuple[int, str]] = []
    last_wall: float | None = None
    group: list[tuple[int, Event | None]] = []  # the batch being read: (line number, event or None if unknown)
    group_id: object = None
    group_n = 0

    def close_group() -> None:
        if group and len(group) == group_n:
            kept = [e for _, e in group if e is not None]
            events.extend(kept)
            if kept:
                sizes.append(len(kept))
        else:
            torn.extend(number for number, _ in group)  # an incomplete batch counts as torn
        group.clear()

    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        event: Event | None
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("not an event")
            wall = record.pop("wall", None)
            batch = record.pop("batch", None)
            n = record.pop("n", 1)
            if not isinstance(n, int) or isinstance(n, bool) or n < 1:
                raise ValueError("bad batch size")
            t = record.get("t_s")
            if not isinstance(t, (int, float)) or isinstance(t, bool) or not math.isfinite(t):
                raise ValueError("t_s is not a number")
            kind = record.get("type")
            if isinstance(kind, str) and kind not in Event.TYPES:
                event = None
                unknown.append((number, kind))
            else:
                event = from_dict(record)
        except (ValueError, TypeError, KeyError, AttributeError):
            torn.append(number)
            continue
        if batch is None or batch != group_id:
            close_group()
            group_id, group_n = batch, (n if batch is not None else 1)
        group.append((number, event))
        if isinstance(wall, (int, float)) and math.isfinite(wall):
            last_wall = float(wall)
        if batch is None:
            close_group()
            group_id = None
    close_group()
    torn.sort()
    for number in torn:
        log.warning("%s: line %d is torn or belongs to an unfinished batch; skipped", source, number)
    for number, kind in unknown:
        log.warning("%s: line %d is an event this version does not know (%s); skipped", source, number, kind)
    return JournalContents(tuple(events), tuple(torn), last_wall, tuple(sizes), tuple(unknown))


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
