"""Write the hand-built journals used by tests/test_report_*.py (run once; the output is committed).

basic/        a 4-phase session with known figures (see tests/test_report_summary.py)
clock_only/   the same phases with no speaker data
crashed/      basic, interrupted during the consultation (torn line), resumed, and with
              a torn last line
crashed_restarted/  the same, resumed by a process that journaled SessionStarted again
"""

from __future__ import annotations

from pathlib import Path

from timekeeper.events import (
    Participant, Paused, PhaseEnded, PhasePlan, PhaseStarted, Resumed, SessionEnded, SessionStarted,
    SpeakerTurn, SpeakerWarning, SpeechSegment, TimeAdjusted,
)

HERE = Path(__file__).parent
PHASES = (
    PhasePlan("presentation", "Presentation of the issue", 300.0, "client"),
    PhasePlan("clarification", "Clarifying questions", 600.0, "consultants"),
    PhasePlan("consultation", "Consultation", 600.0, "consultants"),
    PhasePlan("learning", "Learning and evaluation", 300.0, "everyone"),
)
PEOPLE = (Participant("Alice", "client"), Participant("Bob", "consultant"),
          Participant("Chloé", "consultant"), Participant("Dana", "consultant"),
          Participant("Eve", "animateur"))


def start(t=0.0):
    return SessionStarted(t, "test-4", "Test agenda", "en", PHASES, PEOPLE, "2026-11-27T18:00:00+01:00")


def turn(who, a, b, pid):
    return SpeakerTurn(b, who, float(a), float(b), pid, 0.8)


def part1():
    return [
        start(),
        PhaseStarted(0.0, "presentation", 0, "Presentation of the issue", 300.0, "client"),
        turn("Alice", 0, 240, "presentation"),
        turn("Bob", 240, 260, "presentation"),
        SpeechSegment(260.0, 0.0, 260.0),
        SpeakerWarning(260.0, "consultant_in_presentation", "Bob", "presentation", 20.0, True),
        PhaseEnded(310.0, "presentation", 0, 300.0, 310.0, 10.0),
        PhaseStarted(310.0, "clarification", 1, "Clarifying questions", 600.0, "consultants"),
        turn("Bob", 310, 370, "clarification"),
        turn("Alice", 370, 430, "clarification"),
        turn("Chloé", 430, 490, "clarification"),
        turn("Alice", 490, 550, "clarification"),
        Paused(600.0, "clarification"),
        Resumed(700.0, "clarification", 100.0),
        turn("Voice 1", 700, 760, "clarification"),
        TimeAdjusted(760.0, "clarification", 120.0, 720.0),
        turn("Bob", 1000, 1060, "clarification"),  # spans the change of phase at 1030
        PhaseEnded(1030.0, "clarification", 1, 720.0, 620.0, 0.0),
        PhaseStarted(1030.0, "consultation", 2, "Consultation", 600.0, "consultants"),
        turn("Bob", 1060, 1180, "consultation"),
        turn("Chloé", 1200, 1260, "consultation"),
        turn("unknown", 1260, 1290, "consultation"),
    ]


def part2():
    return [
        turn("Alice", 1300, 1330, "consultation"),
        SpeechSegment(1350.0, 1320.0, 1350.0),
        SpeakerWarning(1330.0, "client_in_consultation", "Alice", "consultation", 30.0, False),
        turn("Bob", 1400, 1460, "consultation"),
    ]


def part3():
    return [
        PhaseEnded(1630.0, "consultation", 2, 600.0, 600.0, 0.0),
        PhaseStarted(1630.0, "learning", 3, "Learning and evaluation", 300.0, "everyone"),
        turn("Alice", 1640, 1670, "learning"),
        turn("Bob", 1670, 1700, "learning"),
        SpeechSegment(1712.0, 1700.0, 1712.0),
        turn("Chloé", 1710, 1740, "learning"),
        turn("Dana", 1740, 1770, "learning"),
        turn("Eve", 1770, 1800, "learning"),
        PhaseEnded(2010.0, "learning", 3, 300.0, 380.0, 80.0),
        SessionEnded(2010.0, 2010.0, 1920.0, 90.0),
    ]


def write(folder: str, lines: list[str]) -> None:
    d = HERE / folder
    d.mkdir(exist_ok=True)
    (d / "journal.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def main() -> None:
    write("basic", [e.to_json() for e in part1() + part2() + part3()])
    clock = [e for e in part1() + part2() + part3()
             if not isinstance(e, (SpeakerTurn, SpeechSegment, SpeakerWarning))]
    write("clock_only", [e.to_json() for e in clock])
    # crash while writing Alice's consultation turn; the resumed session appends after
    # the torn line on the same session clock; the last line is torn too
    torn = part2()[0].to_json()[:37]
    tail = [e.to_json() for e in part2()[1:] + part3()] + ['{"type":"Announced","t_s":2011.0,"text":"Th']
    write("crashed", [e.to_json() for e in part1()] + [torn] + tail)
    # the same, resumed by a process that wrote SessionStarted and PhaseStarted again
    again = [start(1300.0), PhaseStarted(1300.0, "consultation", 2, "Consultation", 600.0, "consultants")]
    write("crashed_restarted", [e.to_json() for e in part1()] + [torn] + [e.to_json() for e in again] + tail)

if __name__ == "__main__":
    main()
