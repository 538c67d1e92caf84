"""Resuming a replay: run the recording again from its start, writing nothing twice.

A replay is deterministic (the audio is the clock, the stages are pure), so the surest way
to take one up after a crash is to hear it again from the beginning: every stage (voice
activity, the command listener, the speaker tracker, the rules) is then in exactly the
state it had, and a command whose speech segment was journaled but whose decision was not
(the crash fell while it was being decoded) is decided again. ``CatchUp`` stands in for
the journal writer meanwhile: each batch the pipeline produces is checked against the
next batch of the journal and dropped, nothing is shown or said; once the journal is
used up, batches are written again. A batch that differs means the recording is not the
one the session was replaying: the resume stops with one line and writes nothing.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Sequence

from timekeeper.errors import JournalError
from timekeeper.events import CommandHeard, Event, SessionResumed
from timekeeper.journal import JournalContents


def journal_batches(contents: JournalContents) -> list[list[Event]]:
    """The journal's kept batches, in order."""
    batches: list[list[Event]] = []
    i = 0
    for size in contents.batch_sizes:
        batches.append(list(contents.events[i: i + size]))
        i += size
    return batches


def written_by_resume(batch: Sequence[Event]) -> bool:
    """A batch a previous resume wrote (the resume itself, "where we are"): no replay produces it again."""
    return any(isinstance(e, SessionResumed) or (isinstance(e, CommandHeard) and e.source == "script")
               for e in batch)


def _signature(events: Iterable[Event]) -> list[tuple[str, float]]:
    return [(e.type, round(float(e.t_s), 3)) for e in events]


class CatchUp:
    """A journal writer that drops (after checking) the batches the journal already has."""

    def __init__(self, writer, batches: Iterable[Sequence[Event]], input_name: str = "the recording") -> None:
        self.writer = writer
        self.path = writer.path
        self.input_name = input_name
        self._pending = deque(b for b in batches if not written_by_resume(b))
        self.last_t_s = 0.0  # time of the last batch matched

    @property
    def catching_up(self) -> bool:
        return bool(self._pending)

    def write(self, events: Iterable[Event]) -> None:
        events = list(events)
        if not events:
            return
        if not self._pending:
            self.writer.write(events)
            return
        expected = self._pending.popleft()
        if _signature(events) != _signature(expected):
            got = _signature(events)[0]
            want = _signature(expected)[0]
            raise JournalError(
                f"{self.input_name} does not give the journaled session (at {min(got[1], want[1]):.1f} s the "
                f"journal has {want[0]}, the audio gives {got[0]}): resume with the --input the session was "
                "started with")
        self.last_t_s = max(self.last_t_s, max(e.t_s for e in events))

    @property
    def count(self) -> int:
        return self.writer.count

    def close(self) -> None:
        self.writer.close()
