"""What the room hears is true, also over time, and reads as sentences."""

from __future__ import annotations

import pytest

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.clock import ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.events import Resumed, TimeAdjusted
from timekeeper.i18n import Phrasebook
from timekeeper.journal import JournalWriter
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session


def test_resuming_in_an_overrun_phase_says_it_is_over_time(tmp_path):
    """The issue's run: pause at 8 s in a 3-second phase, resume, ask the time left."""
    clock = ManualClock()
    announcer = RecordingAnnouncer(clock, "en")
    agenda = PRESETS["codev-90"].scaled(0.01)
    p = Pipeline(Session(agenda.plans("en")), JournalWriter(tmp_path, sync=False), announcer, clock, lang="en")
    p.start(agenda, Settings(lang="en"))
    for t, command in ((8.0, K.PAUSE), (8.5, K.RESUME), (8.6, K.TIME_LEFT)):
        clock.set(t)
        p.command(Command(command))
    said = [text for _, text in announcer.said]
    assert "Resuming. This phase is 5 seconds over time." in said
    assert not any("5 seconds left" in text for text in said)
    assert said[-1].startswith("This phase is 5 seconds over time.")


@pytest.mark.parametrize("lang,event,expected", [
    ("en", TimeAdjusted(0, "x", -60.0, 120.0, 60.0), "One minute less. One minute left."),
    ("en", TimeAdjusted(0, "x", 60.0, 240.0, 90.0), "One minute more. One minute 30 left."),
    ("en", TimeAdjusted(0, "x", -60.0, 120.0, -40.0), "One minute less. This phase is 40 seconds over time."),
    ("en", Resumed(0, "x", 4.0, 1.0), "Resuming. No time left in this phase."),
    ("en", Resumed(0, "x", 4.0, 125.0), "Resuming. 2 minutes left."),
    ("fr", TimeAdjusted(0, "x", -60.0, 120.0, 60.0), "Une minute de moins. Il reste une minute."),
    ("fr", Resumed(0, "x", 4.0, -5.0), "On reprend. Dépassement de cette phase : 5 secondes."),
])
def test_sentences_about_time_left(lang, event, expected):
    assert Phrasebook(lang).say(event) == expected
