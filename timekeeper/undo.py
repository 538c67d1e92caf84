"""What "undo" / « annule » can revert: the clock events of each recent command.

Rebuilt from the journal like the rest of the session: an accepted ``CommandHeard`` of a
clock-changing command opens a group, the clock events after it (in its batch) fill it, an
``Undone`` removes the last non-empty group. ``last()`` says how to revert that group with
ordinary events, which ``Session`` emits: back to the phase it left (paused again if it was),
pause / resume the other way, or the minutes taken back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timekeeper.commands import CommandKind
from timekeeper.events import (
    CommandHeard,
    Event,
    Paused,
    PhaseEnded,
    PhaseStarted,
    Resumed,
    SessionEnded,
    TimeAdjusted,
    Undone,
)

MAX_UNDO = 10  # commands "undo" can go back through
UNDOABLE = {k.value for k in (CommandKind.NEXT, CommandKind.PREVIOUS, CommandKind.GOTO, CommandKind.PAUSE,
                              CommandKind.RESUME, CommandKind.EXTEND, CommandKind.SHORTEN)}
# The events a command changes the clock with (the warnings of a tick are not undone).
CLOCK_EVENTS = (PhaseEnded, PhaseStarted, Paused, Resumed, TimeAdjusted)


@dataclass(frozen=True)
class Revert:
    """How to revert one command."""

    command: str  # as journaled: "next", "goto 3", "extend 2"
    back_to: int | None = None  # the phase index it left
    paused_before: bool = False  # the clock was paused when it left that phase
    unpause: bool = False  # it paused the clock
    repause: bool = False  # it resumed the clock
    adjusted: TimeAdjusted | None = None  # the minutes it added or removed


@dataclass
class UndoLog:
    commands: list[tuple[str, list[Event]]] = field(default_factory=list)
    recording: bool = False

    def apply(self, event: Event) -> None:
        if isinstance(event, CommandHeard):
            self.recording = event.accepted and (event.command or "").split(" ")[0] in UNDOABLE
            if self.recording:
                self.commands = [c for c in self.commands if c[1]][-MAX_UNDO + 1:] + [(event.command or "", [])]
        elif isinstance(event, Undone):
            self.recording = False
            while self.commands and not self.commands[-1][1]:
                self.commands.pop()
            if self.commands:
                self.commands.pop()
        elif isinstance(event, SessionEnded):
            self.commands.clear()
            self.recording = False
        elif isinstance(event, CLOCK_EVENTS) and self.recording and self.commands:
            self.commands[-1][1].append(event)

    def last(self) -> Revert | None:
        done = [c for c in self.commands if c[1]]
        if not done:
            return None
        command, events = done[-1]
        left = next((e for e in events if isinstance(e, PhaseEnded)), None)
        if left is not None and any(isinstance(e, PhaseStarted) for e in events):
            return Revert(command, back_to=left.index, paused_before=any(isinstance(e, Resumed) for e in events))
        adjusted = [e for e in events if isinstance(e, TimeAdjusted)]
        if adjusted:
            return Revert(command, adjusted=adjusted[-1])
        return Revert(command, unpause=any(isinstance(e, Paused) for e in events),
                      repause=any(isinstance(e, Resumed) for e in events))
