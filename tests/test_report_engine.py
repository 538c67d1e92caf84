"""The summary of a journal written by the real session engine (timekeeper.session),
with a phase visited twice, an extension and a pause: the engine's PhaseEnded.actual_s
is cumulative over visits, and the report must not count a visit twice."""

from __future__ import annotations

import pytest

from timekeeper.commands import Command, CommandKind
from timekeeper.events import Participant, PhasePlan, SpeakerTurn
from timekeeper.report.summary import summarize
from timekeeper.session import Session

PLANS = (PhasePlan("presentation", "Presentation", 300.0, "client"),
         PhasePlan("clarification", "Clarification", 600.0, "consultants"),
         PhasePlan("consultation", "Consultation", 900.0, "consultants"))


def run_engine() -> list:
    s = Session(PLANS)
    ev = list(s.start(0.0, agenda_id="t", agenda_name="T", lang="en",
                      participants=(Participant("Ana", "client"), Participant("Ben"), Participant("Cy"))))

    def cmd(kind: CommandKind, now: float, arg: int | None = None) -> None:
        ev.extend(s.tick(now))
        ev.extend(s.handle(Command(kind, arg), now))

    cmd(CommandKind.NEXT, 320.0)          # presentation: 320 s
    cmd(CommandKind.EXTEND, 400.0, 2)     # clarification planned 600 + 120
    cmd(CommandKind.PAUSE, 500.0)
    cmd(CommandKind.RESUME, 560.0)        # 60 s paused
    cmd(CommandKind.PREVIOUS, 800.0)      # clarification visit 1: 800 - 320 - 60 = 420 s
    cmd(CommandKind.NEXT, 900.0)          # presentation again: 100 s (total 420)
    cmd(CommandKind.NEXT, 1300.0)         # clarification visit 2: 400 s (total 820)
    cmd(CommandKind.END, 2000.0)          # consultation: 700 s
    ev += [SpeakerTurn(790.0, "Ben", 700.0, 790.0, "clarification"),
           SpeakerTurn(850.0, "Ana", 780.0, 850.0, "clarification")]  # tagged late: 800-850 is presentation
    return sorted(ev, key=lambda e: e.t_s)


def test_engine_journal_phases_visits_and_turn_split():
    events = run_engine()
    ended = [e for e in events if type(e).__name__ == "PhaseEnded" and e.phase_id == "clarification"]
    assert [e.actual_s for e in ended] == [420.0, 820.0]  # the engine's figure is cumulative
    summary = summarize(events)
    got = {p.id: (p.visits, p.actual_s, p.planned_s, p.paused_s) for p in summary.phases}
    assert got == {"presentation": (2, 420.0, 300.0, 0.0),
                   "clarification": (2, 820.0, 720.0, 60.0),
                   "consultation": (1, 700.0, 900.0, 0.0)}
    assert summary.phase("clarification").overrun_s == pytest.approx(100.0)
    assert summary.elapsed_s == 2000.0 and summary.ended
    assert dict(summary.phase("clarification").speaking_s) == {"Ben": 90.0, "Ana": 20.0}
    assert dict(summary.phase("presentation").speaking_s) == {"Ana": 50.0}


def test_journal_written_by_the_journal_writer_is_read_back(tmp_path):
    from timekeeper.journal import JournalWriter
    from timekeeper.report import load_summary

    events = run_engine()
    with JournalWriter(tmp_path, sync=False, wall=lambda: 1_800_000_000.0) as journal:
        journal.write(events)
    summary = load_summary(tmp_path)  # lines carry an extra "wall" field
    assert summary.skipped_lines == 0
    assert summary.phase("clarification").actual_s == 820.0
