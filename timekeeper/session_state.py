"""The session's state: what the events so far made of it, and what can be read from it.

The event-sourced half of the session engine (``timekeeper.session``): ``apply(event)`` is
the only place state changes, so replaying a journal rebuilds the exact state
(``from_events``); ``status(now)`` and the properties read it. ``Session`` adds the
decisions (time and commands in, events out), which change the state only through
``apply``. Pure: no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Self

from timekeeper.events import (
    Event, OverrunReminder, Participant, Paused, PhaseEnded, PhasePlan, PhaseStarted, Resumed, SessionEnded,
    SessionStarted, TimeAdjusted, TimeUp, TimeWarning,
)
from timekeeper.undo import UndoLog


@dataclass(frozen=True)
class PhaseContext:
    """What the speaking rules need to know about the current phase."""

    phase_id: str
    speakers: str  # "client" | "consultants" | "everyone"
    elapsed_s: float
    planned_s: float


@dataclass(frozen=True)
class Status:
    """A snapshot for views and answers."""

    started: bool
    ended: bool
    phase_index: int | None
    phase: PhasePlan | None
    elapsed_s: float  # running time in the current phase (all visits, pauses excluded)
    planned_s: float  # current phase's planned length, with extensions
    remaining_s: float  # negative when overrunning
    paused: bool
    session_elapsed_s: float
    session_planned_s: float
    behind_s: float  # projected end minus planned end (negative: ahead)

    @property
    def overrun_s(self) -> float:
        return max(0.0, -self.remaining_s)

    def context(self) -> PhaseContext | None:
        if self.phase is None or self.ended:
            return None
        return PhaseContext(self.phase.id, self.phase.speakers, self.elapsed_s, self.planned_s)


@dataclass
class _State:
    plans: tuple[PhasePlan, ...] = ()
    number_of: tuple[int, ...] = ()
    participants: tuple[Participant, ...] = ()
    lang: str = "fr"
    warn_before_s: float = 60.0
    overrun_every_s: float = 120.0
    overrun_max: int = 3
    behind_warn_s: float = 300.0
    start_t: float = 0.0
    started: bool = False
    ended: bool = False
    current: int | None = None
    planned: list[float] = field(default_factory=list)  # per phase, with extensions
    spent: list[float] = field(default_factory=list)  # running time of finished visits
    visit_start: float = 0.0
    visit_paused: float = 0.0  # pause time in the current visit
    paused_since: float | None = None
    warned: bool = False
    timed_up: bool = False
    reminders: int = 0
    last_t: float = 0.0
    undo: UndoLog = field(default_factory=UndoLog)  # what "undo" can revert (undo.py)


class SessionState:
    """The state of a session and what can be read from it; it changes only by ``apply``."""

    def __init__(self) -> None:
        self._s = _State()

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> Self:
        """Rebuild a session from its journal: the exact state after its last event."""
        session = cls()
        for event in events:
            session.apply(event)
        return session

    # --- state -------------------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Advance the state by one event (the only place state changes)."""
        s = self._s
        s.last_t = max(s.last_t, event.t_s)
        if isinstance(event, SessionStarted):
            s.plans = tuple(event.phases)
            s.number_of = tuple(p.number for p in s.plans)
            s.start_t = event.t_s
            s.behind_warn_s = event.behind_warn_s
            s.participants = tuple(event.participants)
            s.lang = event.lang
            s.warn_before_s = event.warn_before_s
            s.overrun_every_s = event.overrun_every_s
            s.overrun_max = event.overrun_max
            s.planned = [p.planned_s for p in s.plans]
            s.spent = [0.0] * len(s.plans)
            s.started = True
        elif isinstance(event, PhaseStarted):
            s.current = event.index
            s.visit_start = event.t_s
            s.visit_paused = 0.0
            s.paused_since = None
            self._reset_flags(event.t_s)
        elif isinstance(event, PhaseEnded):
            if s.current is not None:
                s.spent[s.current] += self._visit_running(event.t_s)
            s.current = None
            s.paused_since = None
        elif isinstance(event, Paused):
            s.paused_since = event.t_s
        elif isinstance(event, Resumed):
            if s.paused_since is not None:
                s.visit_paused += event.t_s - s.paused_since
            s.paused_since = None
        elif isinstance(event, TimeAdjusted):
            index = self._index_of(event.phase_id)
            if index is not None:
                s.planned[index] = event.planned_s
                if index == s.current:
                    self._reset_flags(event.t_s)
        elif isinstance(event, TimeWarning):
            s.warned = True
        elif isinstance(event, TimeUp):
            s.warned = s.timed_up = True
        elif isinstance(event, OverrunReminder):
            s.reminders = max(s.reminders, event.count)
        elif isinstance(event, SessionEnded):
            s.ended = True
            s.current = None
        s.undo.apply(event)

    def _index_of(self, phase_id: str) -> int | None:
        for i, plan in enumerate(self._s.plans):
            if plan.id == phase_id:
                return i
        return None

    def _visit_running(self, now: float) -> float:
        s = self._s
        paused = s.visit_paused + (now - s.paused_since if s.paused_since is not None else 0.0)
        return max(0.0, now - s.visit_start - paused)

    def _elapsed(self, now: float) -> float:
        s = self._s
        if s.current is None:
            return 0.0
        return s.spent[s.current] + self._visit_running(now)

    def _reset_flags(self, now: float) -> None:
        """Warnings already due when a phase is (re)entered or resized are not repeated."""
        s = self._s
        remaining = s.planned[s.current] - self._elapsed(now) if s.current is not None else 0.0
        s.timed_up = remaining <= 0
        s.warned = s.timed_up or (s.warn_before_s > 0 and remaining <= s.warn_before_s)
        s.reminders = int(-remaining // s.overrun_every_s) if s.timed_up and s.overrun_every_s > 0 else 0

    def _behind(self, now: float, index: int | None = None) -> float:
        """Projected end of the whole plan minus its planned end (positive: late).

        The projection assumes the current (or given) phase and every later one take
        their remaining planned time."""
        s = self._s
        index = s.current if index is None else index
        if index is None:
            return now - s.start_t - sum(p.planned_s for p in s.plans) if s.ended else 0.0
        elapsed = self._elapsed(now) if index == s.current else s.spent[index]
        projected = now + max(0.0, s.planned[index] - elapsed)
        projected += sum(max(0.0, s.planned[i] - s.spent[i]) for i in range(index + 1, len(s.plans)))
        return projected - s.start_t - sum(p.planned_s for p in s.plans)

    def status(self, now: float) -> Status:
        s = self._s
        phase = s.plans[s.current] if s.current is not None else None
        elapsed = self._elapsed(now)
        planned = s.planned[s.current] if s.current is not None else 0.0
        return Status(
            started=s.started,
            ended=s.ended,
            phase_index=s.current,
            phase=phase,
            elapsed_s=elapsed,
            planned_s=planned,
            remaining_s=planned - elapsed,
            paused=s.paused_since is not None,
            session_elapsed_s=now - s.start_t if s.started else 0.0,
            session_planned_s=sum(p.planned_s for p in s.plans),
            behind_s=self._behind(now) if s.started else 0.0,
        )

    @property
    def plans(self) -> tuple[PhasePlan, ...]:
        return self._s.plans

    @property
    def participants(self) -> tuple[Participant, ...]:
        return self._s.participants

    @property
    def lang(self) -> str:
        return self._s.lang

    @property
    def ended(self) -> bool:
        return self._s.ended

    @property
    def last_t_s(self) -> float:
        return self._s.last_t
