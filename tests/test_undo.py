""""undo" / « annule »: the last command that changed the clock is reverted by ordinary events,
said aloud, journaled, and rebuilt exactly after a crash (--resume)."""

from __future__ import annotations

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.clock import ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.events import CommandHeard, Undone, from_json
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session

AGENDA = PRESETS["codev-60"]  # presentation (1) 5 min, clarification (2) 12 min, contract (3) ...


def make(tmp_path, lang="en"):
    clock = ManualClock()
    announcer = RecordingAnnouncer(clock, lang, tail_s=0.5)
    journal = JournalWriter(tmp_path, sync=False)
    p = Pipeline(Session(AGENDA.plans(lang)), journal, announcer, clock, lang=lang)
    p.start(AGENDA, Settings(lang=lang))
    return p, clock, announcer, journal


def voice(p, clock, t, kind, arg=None):
    clock.set(t)
    return p.command(Command(kind, arg), source="voice", heard=str(kind.value))


def said_after(announcer, t):
    return [text for at, text in announcer.said if at >= t]


def test_undo_a_misheard_next_phase_goes_back_and_says_so(tmp_path):
    p, clock, announcer, _ = make(tmp_path)
    voice(p, clock, 100.0, K.NEXT)
    assert p.status().phase.id == "clarification"
    voice(p, clock, 104.0, K.UNDO)
    st = p.status(104.0)
    assert st.phase.id == "presentation" and not st.paused
    assert st.elapsed_s == 100.0  # its 100 s are kept; the 4 s in between went to clarification
    assert said_after(announcer, 104.0) == ["Undone: next phase. Phase 1, 3 minutes 30 left."]  # 196 s


def test_undo_extend_pause_resume_and_goto_while_paused(tmp_path):
    p, clock, announcer, _ = make(tmp_path)
    voice(p, clock, 10.0, K.EXTEND, 2)
    assert p.status().planned_s == 420.0
    voice(p, clock, 12.0, K.UNDO)
    assert p.status().planned_s == 300.0
    assert said_after(announcer, 12.0) == ["Undone: add two minutes. Phase 1, 5 minutes left."]  # 288 s
    voice(p, clock, 20.0, K.PAUSE)
    voice(p, clock, 22.0, K.UNDO)
    assert not p.status().paused
    voice(p, clock, 30.0, K.PAUSE)
    voice(p, clock, 40.0, K.GOTO, 3)
    assert p.status().phase.id == "contract" and not p.status().paused
    voice(p, clock, 45.0, K.UNDO)  # back to the paused presentation
    st = p.status(45.0)
    assert st.phase.id == "presentation" and st.paused
    assert said_after(announcer, 45.0) == ["Undone: go to phase three. Phase 1, paused, 4 minutes 30 left."]
    voice(p, clock, 50.0, K.UNDO)  # and the pause before it
    assert not p.status(50.0).paused


def test_undo_reverts_commands_one_by_one_then_has_nothing_left(tmp_path):
    p, clock, announcer, _ = make(tmp_path)
    voice(p, clock, 10.0, K.NEXT)
    voice(p, clock, 20.0, K.TIME_LEFT)  # changes nothing: skipped by undo
    voice(p, clock, 30.0, K.SHORTEN, 1)
    voice(p, clock, 40.0, K.UNDO)
    assert (p.status().phase.id, p.status().planned_s) == ("clarification", 720.0)
    voice(p, clock, 50.0, K.UNDO)
    assert p.status().phase.id == "presentation"
    events = voice(p, clock, 60.0, K.UNDO)
    assert [e.type for e in events][-1] == "CommandRejected" and events[-1].reason == "nothing_to_undo"
    assert said_after(announcer, 60.0) == ["Nothing to undo."]


def test_undo_after_resume_replays_exactly(tmp_path):
    p, clock, _, journal = make(tmp_path, lang="fr")
    voice(p, clock, 100.0, K.NEXT)
    voice(p, clock, 150.0, K.EXTEND, 3)
    voice(p, clock, 160.0, K.UNDO)
    voice(p, clock, 200.0, K.GOTO, 4)
    journal.close()  # the crash
    events = read_journal(tmp_path).events
    undone = [e for e in events if isinstance(e, Undone)]
    assert [(u.t_s, u.command) for u in undone] == [(160.0, "extend 3")] and from_json(undone[0].to_json()) == undone[0]
    rebuilt = Session.from_events(events)
    assert rebuilt.status(200.0) == p.status(200.0)

    clock2 = ManualClock(200.0)
    announcer2 = RecordingAnnouncer(clock2, "fr", tail_s=0.5)
    journal2 = JournalWriter(tmp_path, sync=False)
    p2 = Pipeline(Session(), journal2, announcer2, clock2, lang="fr")
    p2.resumed_from(events)
    clock2.set(210.0)
    p2.command(Command(K.UNDO), source="voice", heard="chrono annule")  # reverts "go to phase 4"
    assert p2.status().phase.id == "clarification" and p2.status().planned_s == 720.0
    assert announcer2.said[0][1].startswith("Annulé : aller à la phase quatre. Phase 2, il reste")
    ref = Session.from_events(events)  # the same journal, undone without a pipeline
    ref.apply(CommandHeard(210.0, "chrono annule", 210.0, 210.0, True, "undo", "", "voice"))
    ref.handle(Command(K.UNDO), 210.0)
    assert ref.status(210.0) == p2.status(210.0)
    journal2.close()
    assert Session.from_events(read_journal(tmp_path).events).status(210.0) == p2.status(210.0)


def test_keyboard_undo_line_and_key():
    from timekeeper.keyboard import line_command

    assert line_command("undo") == Command(K.UNDO)


def test_every_command_that_moves_the_clock_says_what_it_did(tmp_path):
    p, clock, announcer, _ = make(tmp_path)
    expected = [(K.NEXT, None, "Phase 2: Clarifying questions"), (K.PREVIOUS, None, "Phase 1: Presentation"),
                (K.GOTO, 3, "Phase 3:"), (K.PAUSE, None, "Timer paused."), (K.RESUME, None, "Resuming."),
                (K.EXTEND, 2, "2 minutes more."), (K.SHORTEN, 1, "one minute less."),
                (K.UNDO, None, "Undone: take away one minute.")]
    for i, (kind, arg, words) in enumerate(expected):
        t = 10.0 * (i + 1)
        voice(p, clock, t, kind, arg)
        said = " ".join(said_after(announcer, t))
        assert words.lower() in said.lower() and said != "OK.", (kind, said)
