"""Taking a session up again after a crash (``timekeeper run --resume DIR``).

- ``resumable`` reads the journal a session can be taken up from (one line otherwise);
- ``resume_input`` decides what the resumed session listens to: the journaled input unless
  ``--input`` says otherwise; a replay goes on only as a replay, a live session only live;
- a replay is resumed by running the recording again from its start, writing nothing
  twice (``CatchUp``).

A replay is deterministic (the audio is the clock, the stages are pure), so the surest way
to take one up after a crash is to hear it again from the beginning: every stage (voice
activity, the command listener, the speaker tracker, the rules) is then in exactly the
state it had, and a command whose speech was being decoded at the crash is decided again.
``CatchUp`` stands in for the journal writer meanwhile: each batch the pipeline produces
is checked against the next batch of the journal and dropped, nothing is shown or said;
once the journal is used up, batches are written again. A batch that differs means the
recording is not the one the session was replaying: the resume stops with one line and
writes nothing.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Callable, Iterable, Sequence

from timekeeper.agenda import LANGS
from timekeeper.config import Settings, override
from timekeeper.errors import ConfigError, JournalError
from timekeeper.events import CommandHeard, Event, SessionResumed, SessionStarted
from timekeeper.journal import JournalContents, read_journal


def is_file_input(spec: str) -> bool:
    """A WAV path (a replay), not "" (keys only), "mic" or "mic:N"."""
    return bool(spec) and spec != "mic" and not spec.startswith("mic:")


def resumable(session_dir: Path, warn: Callable[[str], None]) -> JournalContents:
    """The journal a session can be taken up from; one line naming the fix otherwise."""
    contents = read_journal(session_dir)
    if contents.torn_lines:
        warn(f"timekeeper: {len(contents.torn_lines)} torn line(s) in the journal were skipped "
             f"(line {', '.join(map(str, contents.torn_lines))})")
    if contents.unknown:
        warn(f"timekeeper: {len(contents.unknown)} event(s) of a newer timekeeper were skipped "
             f"({', '.join(sorted({kind for _, kind in contents.unknown}))})")
    events = contents.events
    if not events or not isinstance(events[0], SessionStarted):
        raise JournalError(f"{session_dir}: the session never started (no session start in its journal); "
                           f"start a new one with --session-dir pointing elsewhere")
    if events[0].lang not in LANGS:
        raise JournalError(f"{session_dir}: the journal's language '{events[0].lang}' is not one this "
                           f"timekeeper speaks ({', '.join(LANGS)}); was it written by another version?")
    return contents


def resume_input(settings: Settings, started: SessionStarted, session_dir: Path) -> Settings:
    """What a resumed session listens to: the journaled input unless --input says otherwise;
    a replay goes on only as a replay of a recording, a live session only live."""
    given, was = settings.listen.input, started.input
    if not given:
        if is_file_input(was) and not Path(was).is_file():
            raise ConfigError(f"{session_dir} was a replay of {was}, which is gone: resume it with "
                              f"--input FILE.wav (the same recording)")
        return override(settings, **{"listen.input": was})
    if is_file_input(was) and not is_file_input(given):
        raise ConfigError(f"{session_dir} was a replay of {was}: a replay cannot go on live; resume it "
                          f"with --input {was}")
    if was and not is_file_input(was) and is_file_input(given):
        raise ConfigError(f"{session_dir} was a live session: a recording cannot take it up; resume it "
                          f"without --input {given}")
    return settings


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
