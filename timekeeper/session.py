"""The session engine: a pure state machine over the agenda.

It never reads the time, sleeps, prints or speaks. Callers pass ``now`` (seconds on
the session clock) and get typed events back. State changes only through
``apply(event)``, so replaying a journal's events rebuilds the exact state
(``Session.from_events``): that is how a crashed session resumes.

Time-based events (warning, time up, overrun reminders) carry the exact time their
threshold was crossed, whatever the caller's tick rate, so a replay is exact.

Two halves: ``timekeeper.session_state`` holds the state, ``apply`` and what reads it
(``status``); this module the decisions: ``start``, ``tick``, ``handle`` (and undo).
"""

from __future__ import annotations

from typing import Iterable

from timekeeper.commands import Command, CommandKind
from timekeeper.events import (
    CommandRejected, Event, OverrunReminder, Participant, Paused, PhaseEnded, PhasePlan, PhaseStarted,
    Resumed, ScheduleWarning, SessionEnded, SessionStarted, StatusReported, TimeAdjusted, TimeUp,
    TimeWarning, Undone,
)
from timekeeper.session_state import PhaseContext, SessionState, Status

__all__ = ["MAX_ADJUST_MIN", "PhaseContext", "Session", "SessionState", "Status"]

MAX_ADJUST_MIN = 60


class Session(SessionState):
    """``Session(plans)``, then ``start(now, ...)``; or ``Session.from_events(journal)``."""

    def __init__(self, plans: Iterable[PhasePlan] = ()) -> None:
        super().__init__()
        self._pending_plans = tuple(plans)

    # --- decisions -----------------------------------------------------------------

    def _emit(self, out: list[Event], event: Event) -> None:
        self.apply(event)
        out.append(event)

    def start(self, now: float, *, agenda_id: str, agenda_name: str, lang: str,
              participants: Iterable[Participant] = (), started_at: str = "",
              warn_before_s: float = 60.0, overrun_every_s: float = 120.0,
              overrun_max: int = 3, behind_warn_s: float = 300.0, input: str = "") -> list[Event]:
        """Start the session and its first phase."""
        if self._s.started:
            return [CommandRejected(now, "start", "already_started")]
        if not self._pending_plans:
            raise ValueError("an agenda needs at least one phase")
        out: list[Event] = []
        self._emit(out, SessionStarted(now, agenda_id, agenda_name, lang, self._pending_plans,
                                       tuple(participants), started_at, warn_before_s,
                                       overrun_every_s, overrun_max, behind_warn_s, input))
        self._enter(out, 0, now)
        return out

    def _enter(self, out: list[Event], index: int, now: float) -> None:
        s = self._s
        plan = s.plans[index]
        behind = round(self._behind(now, index), 3)
        self._emit(out, PhaseStarted(now, plan.id, index, plan.name, s.planned[index],
                                     plan.speakers, behind_s=behind, spent_s=round(s.spent[index], 3)))
        if s.behind_warn_s > 0 and behind >= s.behind_warn_s and index + 1 < len(s.plans):
            squeezed = tuple(p.id for p in s.plans[index + 1:])
            self._emit(out, ScheduleWarning(now, behind, squeezed))

    def _leave(self, out: list[Event], now: float) -> None:
        s = self._s
        if s.current is None:
            return
        if s.paused_since is not None:
            self._emit(out, Resumed(now, s.plans[s.current].id, round(now - s.paused_since, 3),
                                    round(s.planned[s.current] - self._elapsed(now), 3)))
        index = s.current
        planned = s.planned[index]
        actual = s.spent[index] + self._visit_running(now)
        self._emit(out, PhaseEnded(now, s.plans[index].id, index, planned, round(actual, 3),
                                   round(max(0.0, actual - planned), 3)))

    def _end(self, out: list[Event], now: float) -> None:
        s = self._s
        planned = sum(p.planned_s for p in s.plans)
        elapsed = now - s.start_t
        self._emit(out, SessionEnded(now, round(elapsed, 3), planned, round(elapsed - planned, 3)))

    def tick(self, now: float) -> list[Event]:
        """Time-based events due up to ``now``, each stamped with its exact time."""
        s = self._s
        out: list[Event] = []
        if not s.started or s.ended or s.current is None or s.paused_since is not None:
            return out
        plan = s.plans[s.current]
        planned = s.planned[s.current]
        elapsed = self._elapsed(now)
        # Time at which the phase's running time reached x (no pause in between).
        def when(x: float) -> float:
            return round(now - (elapsed - x), 6)

        if not s.warned and s.warn_before_s > 0 and planned > s.warn_before_s \
                and elapsed >= planned - s.warn_before_s:
            if elapsed < planned:
                self._emit(out, TimeWarning(when(planned - s.warn_before_s), plan.id, s.warn_before_s))
            else:
                s.warned = True  # skipped straight to time up
        if not s.timed_up and elapsed >= planned:
            self._emit(out, TimeUp(when(planned), plan.id, planned))
        if s.timed_up and s.overrun_every_s > 0:
            while s.reminders < s.overrun_max:
                n = s.reminders + 1
                due = planned + n * s.overrun_every_s
                if elapsed < due:
                    break
                self._emit(out, OverrunReminder(when(due), plan.id, n * s.overrun_every_s, n))
        return out

    def handle(self, command: Command, now: float) -> list[Event]:
        """Apply a command at ``now``; events due before it come first."""
        s = self._s
        out = self.tick(now)
        kind = command.kind
        name = str(command)

        def reject(reason: str) -> list[Event]:
            self._emit(out, CommandRejected(now, name, reason))
            return out

        if not s.started:
            return reject("not_started")
        if s.ended:
            return reject("ended")
        current = s.current if s.current is not None else -1
        if kind is CommandKind.NEXT:
            self._leave(out, now)
            if current + 1 >= len(s.plans):
                self._end(out, now)
            else:
                self._enter(out, current + 1, now)
        elif kind is CommandKind.PREVIOUS:
            if current <= 0:
                return reject("at_first_phase")
            self._leave(out, now)
            self._enter(out, current - 1, now)
        elif kind is CommandKind.GOTO:
            if command.arg not in s.number_of:
                return reject("no_such_phase")
            target = s.number_of.index(command.arg)
            if target == current:
                return reject("already_there")
            self._leave(out, now)
            self._enter(out, target, now)
        elif kind is CommandKind.PAUSE:
            if s.paused_since is not None:
                return reject("already_paused")
            self._emit(out, Paused(now, s.plans[current].id))
        elif kind is CommandKind.RESUME:
            if s.paused_since is None:
                return reject("not_paused")
            remaining = s.planned[current] - self._elapsed(now)
            self._emit(out, Resumed(now, s.plans[current].id, round(now - s.paused_since, 3),
                                    round(remaining, 3)))
            out.extend(self.tick(now))
        elif kind is CommandKind.TIME_LEFT:
            st = self.status(now)
            self._emit(out, StatusReported(now, st.phase.id if st.phase else None,
                                           round(st.remaining_s, 3), round(st.behind_s, 3), st.paused))
        elif kind in (CommandKind.EXTEND, CommandKind.SHORTEN):
            minutes = command.arg
            if minutes is None or not 0 < minutes <= MAX_ADJUST_MIN:
                return reject("bad_minutes")
            delta = minutes * 60.0 * (1 if kind is CommandKind.EXTEND else -1)
            new_planned = s.planned[current] + delta
            if new_planned < 60.0:
                return reject("too_short")
            remaining = new_planned - self._elapsed(now)
            self._emit(out, TimeAdjusted(now, s.plans[current].id, delta, new_planned, round(remaining, 3)))
            out.extend(self.tick(now))
        elif kind is CommandKind.END:
            self._leave(out, now)
            self._end(out, now)
        elif kind is CommandKind.UNDO:
            return self._undo(out, now) or reject("nothing_to_undo")
        elif kind is CommandKind.REPEAT:
            pass  # the announcer repeats its last message; nothing changes here
        return out

    def _undo(self, out: list[Event], now: float) -> list[Event] | None:
        """Revert the last command that changed the clock with ordinary events (so a report or
        any reader sees where the clock went). Time goes on meanwhile."""
        s = self._s
        r = s.undo.last()
        if r is None:
            return None
        s.undo.recording = False  # what follows reverts, it is not a command to undo later
        at = len(out)
        if r.back_to is not None:
            self._leave(out, now)
            self._enter(out, r.back_to, now)
            if r.paused_before:
                self._emit(out, Paused(now, s.plans[r.back_to].id))
        elif r.adjusted is not None and self._index_of(r.adjusted.phase_id) is not None:
            index = self._index_of(r.adjusted.phase_id)
            planned = s.planned[index] - r.adjusted.delta_s
            remaining = planned - (self._elapsed(now) if index == s.current else s.spent[index])
            self._emit(out, TimeAdjusted(now, r.adjusted.phase_id, -r.adjusted.delta_s, planned, round(remaining, 3)))
        elif r.unpause and s.paused_since is not None and s.current is not None:
            remaining = s.planned[s.current] - self._elapsed(now)
            self._emit(out, Resumed(now, s.plans[s.current].id, round(now - s.paused_since, 3), round(remaining, 3)))
        elif r.repause and s.paused_since is None and s.current is not None:
            self._emit(out, Paused(now, s.plans[s.current].id))
        st = self.status(now)
        undone = Undone(now, r.command, st.phase.id if st.phase else None, round(st.remaining_s, 3), st.paused)
        self.apply(undone)  # first in the batch (the journal's order), applied last: the same state
        out.insert(at, undone)
        out.extend(self.tick(now))
        return out
