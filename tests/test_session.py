"""The session engine: every command and warning path, exact times, both languages."""

from __future__ import annotations

import time

import pytest

from timekeeper.agenda import PRESETS
from timekeeper.commands import Command, CommandKind as K
from timekeeper.events import (
    CommandRejected,
    OverrunReminder,
    PhaseEnded,
    PhaseStarted,
    Resumed,
    ScheduleWarning,
    SessionEnded,
    SessionStarted,
    StatusReported,
    TimeAdjusted,
    TimeUp,
    TimeWarning,
)
from timekeeper.i18n import Phrasebook
from timekeeper.session import Session

MIN = 60.0


def started(preset: str = "codev-90", lang: str = "fr", t0: float = 0.0, **kw) -> tuple[Session, list]:
    agenda = PRESETS[preset]
    s = Session(agenda.plans(lang))
    events = s.start(t0, agenda_id=agenda.id, agenda_name=agenda.name(lang), lang=lang, **kw)
    return s, events


def of(events, cls):
    return [e for e in events if isinstance(e, cls)]


def tick_through(s: Session, until: float, step: float = 1.0, start: float = 0.0) -> list:
    out, t = [], start
    while t <= until:
        out += s.tick(t)
        t += step
    return out


def test_start_opens_first_phase_with_its_length():
    s, ev = started()
    assert isinstance(ev[0], SessionStarted) and ev[0].agenda_id == "codev-90"
    first = of(ev, PhaseStarted)[0]
    assert (first.phase_id, first.planned_s, first.t_s) == ("checkin", 5 * MIN, 0.0)
    assert s.status(0).phase.id == "checkin"


def test_warning_timeup_and_three_overrun_reminders_at_exact_times():
    s, _ = started()
    ev = tick_through(s, 20 * MIN, step=7.3)  # a coarse, irregular tick must not move the times
    warn, up, rem = of(ev, TimeWarning), of(ev, TimeUp), of(ev, OverrunReminder)
    assert [w.t_s for w in warn] == [4 * MIN] and warn[0].remaining_s == MIN
    assert [u.t_s for u in up] == [5 * MIN]
    assert [r.t_s for r in rem] == [7 * MIN, 9 * MIN, 11 * MIN]  # every 2 min, at most 3
    assert [r.count for r in rem] == [1, 2, 3]


def test_custom_margins_and_reminders_off():
    s, _ = started(warn_before_s=2 * MIN, overrun_every_s=60, overrun_max=0)
    ev = tick_through(s, 20 * MIN, step=10)
    assert [w.t_s for w in of(ev, TimeWarning)] == [3 * MIN]
    assert of(ev, OverrunReminder) == []


def test_no_warning_when_phase_shorter_than_margin():
    agenda = PRESETS["codev-90"].scaled(0.1)  # check-in: 30 s, margin 60 s
    s = Session(agenda.plans("en"))
    s.start(0, agenda_id="x", agenda_name="x", lang="en")
    ev = tick_through(s, 40)
    assert of(ev, TimeWarning) == [] and [u.t_s for u in of(ev, TimeUp)] == [30.0]


def test_next_previous_goto_and_phase_lengths():
    s, _ = started()
    ev = s.handle(Command(K.NEXT), 4 * MIN + 3)
    ended = of(ev, PhaseEnded)[0]
    assert (ended.phase_id, ended.actual_s, ended.overrun_s) == ("checkin", 243.0, 0.0)
    assert of(ev, PhaseStarted)[0].phase_id == "presentation"
    ev = s.handle(Command(K.GOTO, 4), 10 * MIN)
    assert of(ev, PhaseStarted)[0].phase_id == "consultation"
    ev = s.handle(Command(K.PREVIOUS), 11 * MIN)
    assert of(ev, PhaseStarted)[0].phase_id == "contract"


def test_revisited_phase_keeps_its_spent_time_and_does_not_rewarn():
    s, _ = started()
    s.handle(Command(K.NEXT), 4.5 * MIN)  # check-in used 4.5 of 5 min (warning given)
    s.handle(Command(K.PREVIOUS), 6 * MIN)
    st = s.status(6 * MIN)
    assert st.phase.id == "checkin" and st.remaining_s == pytest.approx(30.0)
    ev = tick_through(s, 7 * MIN, start=6 * MIN)
    assert of(ev, TimeWarning) == []  # already within the last minute: not said again
    assert [u.t_s for u in of(ev, TimeUp)] == [6.5 * MIN]


def test_pause_freezes_the_phase_clock():
    s, _ = started()
    s.handle(Command(K.PAUSE), 1 * MIN)
    assert tick_through(s, 30 * MIN, start=1 * MIN) == []  # nothing happens while paused
    ev = s.handle(Command(K.RESUME), 30 * MIN)
    assert of(ev, Resumed)[0].paused_s == 29 * MIN and of(ev, Resumed)[0].remaining_s == 4 * MIN
    ev = tick_through(s, 40 * MIN, start=30 * MIN)
    assert [w.t_s for w in of(ev, TimeWarning)] == [33 * MIN]
    assert s.status(33 * MIN).paused is False


def test_pause_counts_against_the_whole_plan():
    s, _ = started()
    s.handle(Command(K.PAUSE), 1 * MIN)
    s.handle(Command(K.RESUME), 11 * MIN)
    assert s.status(11 * MIN).behind_s == pytest.approx(10 * MIN)


def test_extend_and_shorten_move_the_warnings():
    s, _ = started()
    ev = s.handle(Command(K.EXTEND, 2), 1 * MIN)
    adj = of(ev, TimeAdjusted)[0]
    assert (adj.delta_s, adj.planned_s, adj.remaining_s) == (120.0, 7 * MIN, 6 * MIN)
    ev = tick_through(s, 8 * MIN, start=1 * MIN)
    assert [w.t_s for w in of(ev, TimeWarning)] == [6 * MIN]
    assert [u.t_s for u in of(ev, TimeUp)] == [7 * MIN]
    ev = s.handle(Command(K.SHORTEN, 1), 8 * MIN)
    assert of(ev, TimeAdjusted)[0].planned_s == 6 * MIN


def test_extension_after_time_up_rearms_the_warnings():
    s, _ = started()
    tick_through(s, 5 * MIN + 10)
    s.handle(Command(K.EXTEND, 3), 5 * MIN + 10)  # now 2 min 50 left
    ev = tick_through(s, 9 * MIN, start=5 * MIN + 11)
    assert [w.t_s for w in of(ev, TimeWarning)] == [7 * MIN]
    assert [u.t_s for u in of(ev, TimeUp)] == [8 * MIN]


@pytest.mark.parametrize("setup,command,reason", [
    ([], Command(K.PREVIOUS), "at_first_phase"),
    ([], Command(K.RESUME), "not_paused"),
    ([Command(K.PAUSE)], Command(K.PAUSE), "already_paused"),
    ([], Command(K.GOTO, 9), "no_such_phase"),
    ([], Command(K.GOTO, 0), "already_there"),
    ([], Command(K.EXTEND, 0), "bad_minutes"),
    ([], Command(K.EXTEND, 500), "bad_minutes"),
    ([], Command(K.SHORTEN, 5), "too_short"),
    ([Command(K.END)], Command(K.NEXT), "ended"),
])
def test_invalid_moves_are_answered_not_crashed(setup, command, reason):
    s, _ = started()
    for c in setup:
        s.handle(c, 10)
    ev = s.handle(command, 20)
    assert of(ev, CommandRejected) == [CommandRejected(20, str(command), reason)]


def test_commands_before_start_are_rejected():
    s = Session(PRESETS["codev-60"].plans("en"))
    assert of(s.handle(Command(K.NEXT), 0), CommandRejected)[0].reason == "not_started"


def test_next_after_last_phase_ends_session_and_totals():
    s, _ = started("codev-60", "en")
    t = 0.0
    for plan in s.plans:
        t += plan.planned_s + 60  # every phase one minute late
        ev = s.handle(Command(K.NEXT), t)
    end = of(ev, SessionEnded)[0]
    assert end.elapsed_s == 66 * MIN and end.planned_s == 60 * MIN and end.behind_s == 6 * MIN
    assert s.ended and s.status(t).phase is None


def test_schedule_warning_when_late_names_the_squeezed_phases():
    s, _ = started("codev-90", "en")
    s.handle(Command(K.NEXT), 12 * MIN)  # check-in took 12 of 5 minutes
    ev = s.handle(Command(K.NEXT), 22 * MIN)  # presentation on time: still 7 behind
    sw = of(ev, ScheduleWarning)[0]
    assert sw.behind_s == 7 * MIN and sw.squeezed[-2:] == ("summary", "learning")
    book = Phrasebook("en", {p.id: p.name for p in s.plans}, {p.id: p.number for p in s.plans})
    assert book.say(sw) == "We are 7 minutes behind; the last phases (5 and 6) will be squeezed."
    book.lang = "fr"
    assert book.say(sw) == "Nous avons 7 minutes de retard ; les dernières phases (5 et 6) risquent d'être écourtées."


def test_time_left_reports_phase_and_plan():
    s, _ = started()
    s.handle(Command(K.NEXT), 8 * MIN)  # 3 minutes late
    ev = s.handle(Command(K.TIME_LEFT), 10 * MIN)
    st = of(ev, StatusReported)[0]
    assert (st.phase_id, st.remaining_s, st.behind_s) == ("presentation", 8 * MIN, 3 * MIN)


def test_repeat_changes_nothing():
    s, _ = started()
    before = s.status(30)
    assert s.handle(Command(K.REPEAT), 30) == []
    assert s.status(30) == before


def test_rebuilding_from_events_gives_the_same_state():
    s, events = started()
    for t, c in [(200, Command(K.NEXT)), (300, Command(K.PAUSE)), (400, Command(K.RESUME)),
                 (500, Command(K.EXTEND, 2)), (900, Command(K.GOTO, 4))]:
        events += tick_through(s, t, start=t - 100, step=13) + s.handle(c, t)
    rebuilt = Session.from_events(events)
    assert rebuilt.status(1000) == s.status(1000)
    assert rebuilt.tick(2000) == s.tick(2000)


@pytest.mark.parametrize("lang,expected", [
    ("fr", ["Phase 0 : Accueil et retour du client précédent. 5 minutes.", "Il reste une minute.",
            "Le temps est écoulé pour la phase Accueil et retour du client précédent.",
            "Accueil et retour du client précédent : 2 minutes de dépassement.",
            "Accueil et retour du client précédent terminée avec 2 minutes 30 de dépassement.",
            "Phase 1 : Exposé de la problématique. 10 minutes."]),
    ("en", ["Phase 0: Check-in and last client's follow-up. 5 minutes.", "One minute left.",
            "Time is up for Check-in and last client's follow-up.",
            "Check-in and last client's follow-up: 2 minutes over time.",
            "Check-in and last client's follow-up ended 2 minutes 30 over time.",
            "Phase 1: Presentation of the issue. 10 minutes."]),
])
def test_spoken_sentences_in_both_languages(lang, expected):
    s, ev = started(lang=lang)
    ev += tick_through(s, 7.5 * MIN)
    ev += s.handle(Command(K.NEXT), 7.5 * MIN)
    book = Phrasebook(lang)
    said = [t for t in (book.say(e) for e in ev) if t]
    assert said[1:] == expected


def test_120_minute_session_replays_in_well_under_a_second():
    s, events = started("codev-120", "en")
    t0 = time.perf_counter()
    t, step = 0.0, 0.25  # the pipeline ticks four times a second: 29 000 ticks
    ends = {}
    acc = 0.0
    for plan in s.plans:
        ends[plan.id] = acc + plan.planned_s + 30
        acc = ends[plan.id]
    order = list(ends.values())
    while t < 120 * MIN + 300:
        events += s.tick(t)
        if order and t >= order[0]:
            events += s.handle(Command(K.NEXT), t)
            order.pop(0)
        t = round(t + step, 3)
    elapsed = time.perf_counter() - t0
    assert s.ended
    assert len(of(events, TimeUp)) == len(s.plans)
    assert elapsed < 1.0, f"replay took {elapsed:.2f} s"


@pytest.mark.parametrize("lang, expected", [
    ("en", ["Phase 1: Presentation of the issue. 10 minutes.",
            "Back to phase 0: Check-in and last client's follow-up. 30 seconds left.",
            "Back to phase 1: Presentation of the issue. 8 minutes 30 left.",
            "Back to phase 0: Check-in and last client's follow-up. This phase is 2 minutes 30 over time.",
            "Phase 4: Consultation. 30 minutes."]),
    ("fr", ["Phase 1 : Exposé de la problématique. 10 minutes.",
            "Retour à la phase 0 : Accueil et retour du client précédent. Il reste 30 secondes.",
            "Retour à la phase 1 : Exposé de la problématique. Il reste 8 minutes 30.",
            "Retour à la phase 0 : Accueil et retour du client précédent. Dépassement de cette phase : 2 minutes 30.",
            "Phase 4 : Consultation. 30 minutes."]),
])
def test_going_back_into_a_phase_announces_the_time_left_in_its_box(lang, expected):
    """A facilitator going back to a phase already used hears what is left of its time box (what
    the clock shows and the warnings count down), not the phase's whole length again."""
    s, ev = started(lang=lang)
    book = Phrasebook(lang)
    book.say(ev[0])
    moves = [(4.5 * MIN, Command(K.NEXT)),  # check-in used 4.5 of its 5 min
             (6 * MIN, Command(K.PREVIOUS)),  # back: 30 s left
             (9 * MIN, Command(K.NEXT)),  # check-in now 2.5 min over; presentation had 1.5 of 10 min
             (10 * MIN, Command(K.GOTO, 0)),
             (11 * MIN, Command(K.GOTO, 4))]  # never visited: its whole length
    said = [book.say(e) for t, c in moves for e in of(s.handle(c, t), PhaseStarted)]
    assert said == expected
