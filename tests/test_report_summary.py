"""The session summary against hand-built journals with known figures.

tests/data/report/basic/journal.jsonl (made by make_fixtures.py), on one session clock:
  presentation  0-310    planned 300        Alice 0-240, Bob 240-260 (rule break)
  clarification 310-1030 planned 600 +120   Bob 310-370, Alice 370-430, Chloé 430-490,
                paused 600-700              Alice 490-550, Voice 1 700-760,
                                            Bob 1000-1060 (crosses into the consultation at 1030)
  consultation  1030-1630 planned 600       Bob 1060-1180, Chloé 1200-1260, unknown 1260-1290,
                                            Alice 1300-1330 (rule break), Bob 1400-1460; Dana silent
  learning      1630-2010 planned 300       Alice, Bob, Chloé, Dana, Eve 30 s each
  speech segments not covered by a turn: 1330-1350 and 1700-1710
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from timekeeper.events import (
    Participant, PhaseEnded, PhasePlan, PhaseStarted, SessionEnded, SessionStarted, SpeakerTurn,
    VoiceRenamed,
)
from timekeeper.report import load_summary
from timekeeper.journal import parse_journal
from timekeeper.journal import read_journal
from timekeeper.report.readout import key_lines
from timekeeper.report.summary import balance_index, summarize

DATA = Path(__file__).parent / "data" / "report"


def entropy(*values: float) -> float:
    total = sum(values)
    return -sum(v / total * math.log(v / total) for v in values if v) / math.log(len(values))


@pytest.fixture(scope="module")
def basic():
    return load_summary(DATA / "basic")


# --- phases -----------------------------------------------------------------------


def test_phases_planned_actual_overrun(basic):
    got = {p.id: (p.start_s, p.end_s, p.planned_s, p.actual_s, p.overrun_s) for p in basic.phases}
    assert got == {
        "presentation": (0, 310, 300, 310, 10),
        "clarification": (310, 1030, 600 + 120, 1030 - 310 - 100, 0),  # extension; pause excluded
        "consultation": (1030, 1630, 600, 600, 0),
        "learning": (1630, 2010, 300, 380, 80),
    }
    clar = basic.phase("clarification")
    assert clar.extended_s == 120 and clar.paused_s == 100
    assert basic.planned_s == 300 + 720 + 600 + 300
    assert basic.elapsed_s == 2010 and basic.ended and basic.resumes == 0


def test_who_spoke_in_each_phase_with_turn_split_at_phase_change(basic):
    # Bob's turn 1000-1060 counts 30 s in the clarification and 30 s in the consultation
    assert dict(basic.phase("presentation").speaking_s) == {"Alice": 240, "Bob": 20}
    assert dict(basic.phase("clarification").speaking_s) == {"Alice": 120, "Bob": 60 + 30, "Chloé": 60,
                                                            "Voice 1": 60}
    assert dict(basic.phase("consultation").speaking_s) == {"Bob": 30 + 120 + 60, "Chloé": 60,
                                                           "unknown": 30, "Alice": 30}
    cons = basic.phase("consultation")
    assert cons.share["Bob"] == pytest.approx(210 / 330)
    assert sum(cons.share.values()) == pytest.approx(1.0)


def test_rule_breaks_listed_per_phase(basic):
    assert [(w.rule, w.speaker, w.value_s) for w in basic.phase("presentation").warnings] == \
        [("consultant_in_presentation", "Bob", 20)]
    assert [(w.rule, w.speaker) for w in basic.phase("consultation").warnings] == \
        [("client_in_consultation", "Alice")]
    assert basic.phase("learning").warnings == ()
    assert len(basic.warnings) == 2


def test_balance_per_phase_where_expected(basic):
    assert basic.phase("presentation").balance is None  # the client's phase: no balance expected
    # consultants Bob, Chloé, Dana: 90/60/0 in the clarification, 210/60/0 in the consultation
    assert basic.phase("clarification").balance == pytest.approx(entropy(90, 60, 0))
    assert basic.phase("consultation").balance == pytest.approx(entropy(210, 60, 0))
    # everyone's phase: client + consultants (not the animateur), 30 s each
    assert basic.phase("learning").balance == pytest.approx(1.0)
    assert basic.phase("consultation").silent == ("Dana",)
    assert basic.phase("learning").silent == ()


# --- people -----------------------------------------------------------------------


def test_people_totals_shares_turns_longest(basic):
    total = 420 + 350 + 150 + 30 + 30 + 60 + 30  # everyone, unknown included
    assert basic.speech_s == total
    rows = {p.name: (p.role, p.speaking_s, p.turns, p.longest_turn_s) for p in basic.people}
    assert rows == {
        "Alice": ("client", 240 + 120 + 30 + 30, 5, 240),
        # Bob's 1000-1060 and 1060-1180 are one holding of the floor: 180 s
        "Bob": ("consultant", 20 + 60 + 60 + 120 + 60 + 30, 5, 180),
        "Chloé": ("consultant", 60 + 60 + 30, 3, 60),
        "Dana": ("consultant", 30, 1, 30),
        "Eve": ("animateur", 30, 1, 30),
        "Voice 1": ("voice", 60, 1, 60),
    }
    assert basic.person("Alice").share == pytest.approx(420 / total)
    assert [p.name for p in basic.people][:3] == ["Alice", "Bob", "Chloé"]  # most first
    assert dict(basic.person("Bob").per_phase_s) == {"presentation": 20, "clarification": 90,
                                                    "consultation": 210, "learning": 30}


def test_group_balance_silent_unattributed_unknown(basic):
    assert basic.balance == pytest.approx(entropy(350, 150, 30))
    assert basic.silent_consultants == ()  # Dana spoke in the learning round
    assert basic.unknown_s == 30
    assert basic.unnamed_voices_s == 60
    assert basic.unattributed_s == pytest.approx(20 + 10)
    assert basic.phase("consultation").unattributed_s == pytest.approx(20)
    assert basic.phase("learning").unattributed_s == pytest.approx(10)


def test_read_out_lines_english_and_french(basic):
    en = key_lines(basic, "en")
    assert "“Learning and evaluation” overran by 1\u00a0min\u00a020\u00a0s" in en[0]
    assert en[1] == "In Consultation, Bob spoke 64% of the time; Dana did not speak."
    fr = key_lines(basic, "fr")
    assert fr[1] == "En phase «\u00a0Consultation\u00a0», Bob a parlé 64\u202f% du temps\u202f; Dana n\u2019a pas parlé."
    assert "0,72" in fr[2] and "0.72" in en[2]  # decimal comma in French
    assert en[3] == ("2 speaking-rule breaks recorded: consultant spoke during the presentation, "
                     "client spoke during the consultation.")
    assert fr[3].startswith("2\u00a0écarts aux règles de parole\u00a0: un consultant a parlé pendant l’exposé")


# --- renaming ---------------------------------------------------------------------


def test_rename_a_voice_on_the_command_line():
    s = load_summary(DATA / "basic", {"Voice 1": "Dana"})
    dana = s.person("Dana")
    assert dana.speaking_s == 90 and dana.role == "consultant" and dana.turns == 2
    assert s.person("Voice 1") is None and s.unnamed_voices_s == 0
    assert s.phase("clarification").speaking_s["Dana"] == 60
    assert s.phase("clarification").silent == ()
    assert s.balance == pytest.approx(entropy(350, 150, 90))


def test_rename_a_participant_and_rename_events_in_the_journal():
    j = read_journal(DATA / "basic")
    events = list(j.events) + [VoiceRenamed(2010.0, "Voice 1", "Zoé")]
    s = summarize(events, {"Bob": "Robert"})
    assert s.person("Zoé").speaking_s == 60
    assert s.person("Robert").speaking_s == 350 and s.person("Robert").role == "consultant"
    assert s.person("Bob") is None
    assert [w.speaker for w in s.phase("presentation").warnings] == ["Robert"]
    # the command line wins over the journal
    s2 = summarize(events, {"Voice 1": "Dana"})
    assert s2.person("Zoé") is None and s2.person("Dana").speaking_s == 90


# --- damaged and partial journals --------------------------------------------------------


def test_clock_only_session_still_reports_phases():
    s = load_summary(DATA / "clock_only")
    assert not s.has_speaker_data
    assert [(p.id, p.actual_s, p.overrun_s) for p in s.phases] == [
        ("presentation", 310, 10), ("clarification", 620, 0), ("consultation", 600, 0), ("learning", 380, 80)]
    assert s.speech_s == 0 and s.balance is None and s.silent_consultants == ()
    assert all(p.silent == () and p.balance is None for p in s.phases)
    lines = key_lines(s, "en")
    assert "overran" in lines[0]
    assert "not recorded" in lines[1]
    assert "n\u2019a pas été enregistré" in key_lines(s, "fr")[1]


@pytest.mark.parametrize("folder", ["crashed", "crashed_restarted"])
def test_crashed_then_resumed_session(folder, caplog):
    caplog.set_level("WARNING")
    s = load_summary(DATA / folder)
    # two torn lines (mid-file at the crash, and the last line) are skipped and reported
    assert s.skipped_lines == 2
    torn = [r.getMessage() for r in caplog.records if "torn" in r.getMessage()]
    assert len(torn) == 2 and "line 23" in torn[0]
    # the phases are whole: the consultation sums its two visits when it was started again
    assert [(p.id, p.actual_s) for p in s.phases] == [
        ("presentation", 310), ("clarification", 620), ("consultation", 600), ("learning", 380)]
    assert s.phase("consultation").visits == (2 if folder == "crashed_restarted" else 1)
    assert s.resumes == (1 if folder == "crashed_restarted" else 0)
    # Alice's consultation turn was the torn line: its speech is now unattributed
    assert s.phase("consultation").speaking_s.get("Alice") is None
    assert s.person("Alice").speaking_s == 420 - 30
    assert s.unattributed_s == pytest.approx(30 + 10)
    assert s.elapsed_s == 2010 and s.ended


def test_resumed_session_whose_clock_restarted_continues_after_the_last_event():
    plans = (PhasePlan("a", "A", 60.0, "everyone"), PhasePlan("b", "B", 60.0, "everyone"))
    people = (Participant("X", "consultant"), Participant("Y", "consultant"))
    events = [SessionStarted(0.0, "t", "T", "en", plans, people),
              PhaseStarted(0.0, "a", 0, "A", 60.0, "everyone"),
              SpeakerTurn(40.0, "X", 10.0, 40.0, "a"),
              # crash at 40; the new process counts from 0 again
              SessionStarted(0.0, "t", "T", "en", plans, people),
              PhaseStarted(0.0, "a", 0, "A", 60.0, "everyone"),
              SpeakerTurn(20.0, "Y", 0.0, 20.0, "a"),
              PhaseEnded(30.0, "a", 0, 60.0, 30.0, 0.0),
              PhaseStarted(30.0, "b", 1, "B", 60.0, "everyone"),
              SpeakerTurn(50.0, "X", 30.0, 50.0, "b"),
              PhaseEnded(90.0, "b", 1, 60.0, 60.0, 0.0),
              SessionEnded(90.0, 90.0, 120.0, -30.0)]
    s = summarize(events)
    assert s.phase("a").actual_s == 40 + 30 and s.phase("a").visits == 2
    assert s.phase("b").start_s == 70 and s.phase("b").actual_s == 60
    assert dict(s.phase("a").speaking_s) == {"X": 30, "Y": 20}
    assert s.elapsed_s == 130


def test_torn_line_parsing_keeps_everything_else():
    good = SpeakerTurn(5.0, "X", 0.0, 5.0, "a").to_json()
    j = parse_journal([good, good[:20], "", good, '{"type":"NoSuchEvent","t_s":1}'])
    assert len(j.events) == 2 and j.torn_lines == (2,)
    assert j.unknown == ((5, "NoSuchEvent"),)  # a newer timekeeper's event: skipped, not called torn


def test_report_reader_matches_events_from_json():
    from timekeeper.events import from_json

    lines = (DATA / "basic" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert list(read_journal(DATA / "basic").events) == [from_json(line) for line in lines]


def test_balance_index_definition():
    assert balance_index([10, 10, 10]) == pytest.approx(1.0)
    assert balance_index([10, 0, 0]) == pytest.approx(0.0)
    assert 0 < balance_index([30, 10]) < 1
    assert balance_index([5]) is None and balance_index([0, 0]) is None
