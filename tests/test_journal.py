"""The journal: every event type round-trips, torn lines are survived, and a crashed
session resumes exactly where it was."""

from __future__ import annotations

import json
import random
import typing
from pathlib import Path

import pytest

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.clock import ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.events import ALL_EVENT_TYPES, Participant, PhasePlan, from_json
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session


def sample_value(tp):
    origin = typing.get_origin(tp)
    if tp is float:
        return 12.5
    if tp is int:
        return 3
    if tp is bool:
        return True
    if tp is str:
        return "Chloé « test »"
    if tp is PhasePlan:
        return PhasePlan("p1", "Clarification", 900.0, "consultants", "questions only", 2)
    if tp is Participant:
        return Participant("Dana", "client")
    if origin is tuple:
        return (sample_value(typing.get_args(tp)[0]),) * 2
    if origin is typing.Union or "UnionType" in str(type(tp)):
        return sample_value([a for a in typing.get_args(tp) if a is not type(None)][0])
    raise AssertionError(f"no sample for {tp}")


@pytest.mark.parametrize("cls", ALL_EVENT_TYPES, ids=lambda c: c.__name__)
def test_every_event_type_round_trips_through_json(cls):
    hints = typing.get_type_hints(cls)
    event = cls(**{name: sample_value(tp) for name, tp in hints.items() if name != "TYPES"})
    line = event.to_json()
    assert json.loads(line)["type"] == cls.__name__ and json.loads(line)["t_s"] == 12.5
    assert from_json(line) == event


def test_documented_event_types_match_the_code():
    doc = (Path(__file__).parent.parent / "docs" / "journal.md").read_text(encoding="utf-8")
    for cls in ALL_EVENT_TYPES:
        assert f"`{cls.__name__}`" in doc, f"{cls.__name__} is not documented in docs/journal.md"
        for name in typing.get_type_hints(cls):
            if name != "TYPES":
                assert f"`{name}`" in doc, f"field {name} of {cls.__name__} is not documented"


def test_torn_line_anywhere_is_skipped_and_reported(tmp_path):
    with JournalWriter(tmp_path, sync=False) as j:
        s = Session(PRESETS["codev-60"].plans("en"))
        j.write(s.start(0, agenda_id="codev-60", agenda_name="x", lang="en"))
        j.write(s.handle(Command(K.NEXT), 100))
        j.write(s.handle(Command(K.PAUSE), 200))
    path = tmp_path / "journal.jsonl"
    lines = path.read_text().splitlines()
    lines[2] = lines[2][:25]  # the middle batch (next: PhaseEnded + PhaseStarted) is torn
    path.write_text("\n".join(lines) + "\n")
    contents = read_journal(tmp_path)
    assert [e.type for e in contents.events] == ["SessionStarted", "PhaseStarted", "Paused"]
    assert contents.torn_lines == (3, 4)  # the torn line and the rest of its batch


def test_writer_after_a_torn_last_line_starts_a_fresh_line(tmp_path):
    path = tmp_path / "journal.jsonl"
    with JournalWriter(tmp_path, sync=False) as j:
        s = Session(PRESETS["codev-60"].plans("en"))
        j.write(s.start(0, agenda_id="codev-60", agenda_name="x", lang="en"))
    path.write_text(path.read_text() + '{"type":"Pau')
    with JournalWriter(tmp_path, sync=True) as j:
        j.write(s.handle(Command(K.PAUSE), 50))
    contents = read_journal(tmp_path)
    assert [e.type for e in contents.events] == ["SessionStarted", "PhaseStarted", "Paused"]
    assert contents.torn_lines == (3,)


def test_unwritable_session_folder_is_one_clear_error(tmp_path):
    from timekeeper.errors import JournalError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(JournalError, match="--sessions-dir"):
        JournalWriter(blocker / "session")


# --- crash and resume --------------------------------------------------------------

TICK = 0.25
SCRIPT = [  # (time, command) at times that are never tick times
    (130.1, Command(K.NEXT)), (400.1, Command(K.PAUSE)), (520.1, Command(K.TIME_LEFT)),
    (580.1, Command(K.RESUME)), (700.1, Command(K.EXTEND, 2)), (1500.1, Command(K.NEXT)),
    (1600.1, Command(K.PREVIOUS)), (1700.1, Command(K.GOTO, 4)), (2100.1, Command(K.SHORTEN, 1)),
    (2300.1, Command(K.NEXT)), (3400.1, Command(K.NEXT)), (3500.1, Command(K.REPEAT)),
    (4000.1, Command(K.NEXT)),
]
END_T = 4300.0


def drive(folder: Path, *, resume: bool = False) -> None:
    """A scripted replay of a 72-minute session (ticks every 0.25 s, commands), or its
    continuation from the journal after a crash."""
    clock = ManualClock()
    journal = JournalWriter(folder, sync=False)
    announcer = RecordingAnnouncer(clock, "fr")
    agenda = PRESETS["codev-60"]
    pipeline = Pipeline(Session(agenda.plans("fr")), journal, announcer, clock, lang="fr")
    after = -1.0
    if resume:
        events = read_journal(folder).events
        pipeline.resumed_from(events)
        after = max(e.t_s for e in events)
        clock.set(after)
    else:
        pipeline.start(agenda, Settings(lang="fr"), started_at="2026-11-27T10:00:00+00:00")
    commands = [(t, c) for t, c in SCRIPT if t > after]
    t = 0.0
    while t <= END_T and not pipeline.session.ended:
        while commands and commands[0][0] < t:
            when, command = commands.pop(0)
            clock.set(when)
            pipeline.command(command)
        if t > after:
            clock.set(t)
            pipeline.tick()
        t = round(t + TICK, 3)
    pipeline.finish()
    journal.close()


def comparable(folder: Path) -> list[dict]:
    return [e.to_dict() for e in read_journal(folder).events]


def test_crash_at_20_random_points_resumes_exactly(tmp_path):
    whole = tmp_path / "whole"
    drive(whole)
    reference = comparable(whole)
    assert len(reference) > 60
    lines = (whole / "journal.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    rng = random.Random(20261127)
    cuts = sorted(rng.sample(range(3, len(lines) - 1), 20))
    for i, cut in enumerate(cuts):
        folder = tmp_path / f"crash{i}"
        folder.mkdir()
        partial = "".join(lines[:cut])
        if i % 2:  # half the crashes also tear the line being written
            partial += lines[cut][: len(lines[cut]) // 2]
        (folder / "journal.jsonl").write_text(partial, encoding="utf-8")
        drive(folder, resume=True)
        assert comparable(folder) == reference, f"resume after a crash at line {cut} diverged"
