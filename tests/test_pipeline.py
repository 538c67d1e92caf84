"""The consumer loop with fake stages: what is journaled, said and ignored, in order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.audio.frames import Frame, Segment
from timekeeper.clock import AudioClock, ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.events import Participant
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.asr.listener import CommandDecision as Decision  # the listener's own decision type
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session




@dataclass
class Turn:
    speaker: str
    start_s: float
    end_s: float
    score: float = 1.0


class FakeListener:
    def __init__(self, decisions):
        self.decisions = decisions
        self.resets = 0

    def accept(self, segment):
        return self.decisions.get(round(segment.start_s, 3))

    def reset(self):
        self.resets += 1

    def close(self):
        pass


class FakeTracker:
    def __init__(self):
        self.seen = []

    def accept(self, segment):
        self.seen.append(segment.start_s)
        return [Turn("Alice", segment.start_s, segment.end_s)]

    def flush(self):
        return []

    def pending(self):
        return None


def seg(start, end):
    return Segment(start, end, np.zeros(int((end - start) * 16000), dtype=np.int16))


def make(tmp_path, clock=None, **stages):
    clock = clock or ManualClock()
    announcer = RecordingAnnouncer(clock, "en", tail_s=0.5)
    journal = JournalWriter(tmp_path, sync=False)
    agenda = PRESETS["codev-60"]
    p = Pipeline(Session(agenda.plans("en")), journal, announcer, clock, lang="en", **stages)
    p.start(agenda, Settings(lang="en", participants=(Participant("Alice", "client"),)))
    return p, clock, announcer, journal


def test_voice_command_changes_phase_and_is_journaled_with_what_was_heard(tmp_path):
    listener = FakeListener({30.0: Decision("time keeper next phase", 30.0, 31.6, True, Command(K.NEXT), "command")})
    p, clock, announcer, journal = make(tmp_path, listener=listener)
    clock.set(32.0)
    p.segment(seg(30.0, 31.6))
    journal.close()
    events = read_journal(tmp_path).events
    heard = [e for e in events if e.type == "CommandHeard"][0]
    assert (heard.text, heard.accepted, heard.command, heard.source) == ("time keeper next phase", True, "next", "voice")
    assert (heard.start_s, heard.end_s, heard.t_s) == (30.0, 31.6, 32.0)
    started = [e for e in events if e.type == "PhaseStarted"]
    assert started[-1].phase_id == "clarification" and started[-1].t_s == 32.0
    assert announcer.said[-1] == (32.0, "Phase 2: Clarifying questions. 12 minutes.")


def test_rejected_utterance_is_journaled_and_changes_nothing(tmp_path):
    listener = FakeListener({30.0: Decision("the next phase of my project", 30, 32, False, None, "no wake phrase")})
    p, clock, _, journal = make(tmp_path, listener=listener)
    clock.set(33.0)
    p.segment(seg(30.0, 32.0))
    journal.close()
    events = read_journal(tmp_path).events
    heard = [e for e in events if e.type == "CommandHeard"][0]
    assert (heard.accepted, heard.reason) == (False, "no wake phrase")
    assert p.status().phase.id == "presentation"


def test_timekeeper_never_hears_itself(tmp_path):
    listener = FakeListener({0.5: Decision("time keeper next phase", 0.5, 2, True, Command(K.NEXT), "command")})
    tracker = FakeTracker()
    p, clock, announcer, journal = make(tmp_path, listener=listener, tracker=tracker)
    _, end = announcer.said and (0.0, announcer._windows[-1].end_s)
    clock.set(3.0)
    p.segment(seg(0.5, 2.0))  # during the opening announcement
    p.segment(seg(end + 0.3, end + 1.0))  # in the echo tail
    clock.set(end + 5)
    p.segment(seg(end + 2.0, end + 3.0))  # after: heard
    journal.close()
    events = read_journal(tmp_path).events
    assert listener.resets == 2
    assert p.status().phase.id == "presentation"
    assert [e.start_s for e in events if e.type == "SpeechSegment"] == [round(end + 2.0, 3)]
    assert tracker.seen == [end + 2.0]


def test_every_accepted_voice_command_is_acknowledged_in_the_same_batch(tmp_path):
    commands = [Command(K.PAUSE), Command(K.RESUME), Command(K.TIME_LEFT), Command(K.EXTEND, 2),
                Command(K.SHORTEN, 1), Command(K.GOTO, 4), Command(K.PREVIOUS), Command(K.REPEAT),
                Command(K.NEXT), Command(K.END)]
    p, clock, announcer, journal = make(tmp_path)
    for i, command in enumerate(commands):
        clock.set(100.0 + 40 * i)
        p.command(command, source="voice", heard=str(command))
    journal.close()
    lines = (tmp_path / "journal.jsonl").read_text().splitlines()
    import json
    batches = {}
    for line in lines:
        record = json.loads(line)
        batches.setdefault(record["batch"], []).append(record["type"])
    voiced = [b for b in batches.values() if b[0] == "CommandHeard"]
    assert len(voiced) == len(commands)
    for batch in voiced:
        assert "Announced" in batch, batch


def test_turns_are_attributed_to_the_phase_they_started_in(tmp_path):
    tracker = FakeTracker()
    p, clock, _, journal = make(tmp_path, tracker=tracker)
    clock.set(100.0)
    p.command(Command(K.NEXT))
    clock.set(101.0)
    p.segment(seg(95.0, 99.5))  # spoken before the phase change, closed after it
    journal.close()
    turn = [e for e in read_journal(tmp_path).events if e.type == "SpeakerTurn"][0]
    assert (turn.speaker, turn.phase_id, turn.start_s) == ("Alice", "presentation", 95.0)
    assert p.figures.speaking_s == {"Alice": pytest.approx(4.5)}


def test_audio_clock_drives_the_phase_clock(tmp_path):
    clock = AudioClock()
    p, _, announcer, journal = make(tmp_path, clock=clock)
    frame_n = 320
    silence = np.zeros(frame_n, dtype=np.int16)
    for i in range(int(6 * 60 * 16000 / frame_n)):  # six minutes of audio
        p.feed(Frame(i * frame_n, silence))
    journal.close()
    events = read_journal(tmp_path).events
    assert [(e.type, e.t_s) for e in events if e.type in ("TimeWarning", "TimeUp")] == [
        ("TimeWarning", 240.0), ("TimeUp", 300.0)]


def test_live_view_renders_clock_agenda_and_shares(tmp_path):
    from rich.console import Console

    from timekeeper.view import big_digits, render, snapshot

    tracker = FakeTracker()
    p, clock, _, journal = make(tmp_path, tracker=tracker)
    clock.set(60.0)
    p.segment(seg(10.0, 40.0))
    p.command(Command(K.PAUSE))
    console = Console(record=True, width=100)
    console.print(render(snapshot(p, 60.0)))
    text = console.export_text()
    assert "Phase 1 · Presentation of the issue" in text
    assert all(row in text for row in big_digits("04:00"))  # the big clock shows 4 minutes left
    assert "PAUSED" in text
    assert "Alice" in text and "100 %" in text
    assert "Timer paused." in text


def test_a_vanished_microphone_is_announced_once_and_the_clock_goes_on(tmp_path):
    p, clock, announcer, journal = make(tmp_path)
    clock.set(50.0)
    p.device_event("lost", "mic:2 (USB)")
    clock.set(290.0)
    p.tick()  # the phase clock keeps running without audio
    clock.set(300.0)
    p.device_event("restored", "mic:2 (USB)")
    journal.close()
    events = read_journal(tmp_path).events
    lost = [e for e in events if e.type == "DeviceLost"]
    back = [e for e in events if e.type == "DeviceRestored"]
    assert [e.t_s for e in lost] == [50.0] and back[0].lost_s == 250.0
    assert [e.type for e in events if e.type == "TimeWarning"] == ["TimeWarning"]
    assert "The microphone stopped; the clock goes on." in [text for _, text in announcer.said]


class VoiceTracker:
    """Attributes each segment to whoever the script says spoke then."""

    def __init__(self, who: dict[float, str]):
        self.who = who

    def accept(self, segment):
        return [Turn(self.who[segment.start_s], segment.start_s, segment.end_s)]

    def flush(self):
        return []

    def pending(self):
        return None


def test_a_resumed_session_keeps_the_speaking_rules_tallies(tmp_path):
    """Crash in the presentation after Bob spoke 15 s: once resumed, his next 10 s break the
    20 s rule, and Chloé, already warned before the crash, is not warned again — exactly the
    warnings of the same session run without a crash."""
    from timekeeper.journal import JournalWriter
    from timekeeper.speakers.rules import RuleEngine, SpeakingRules

    people = (Participant("Alice", "client"), Participant("Bob", "consultant"), Participant("Chloé", "consultant"))
    before = [(20.0, 45.0, "Chloé"), (55.0, 70.0, "Bob")]
    after = [(80.0, 90.0, "Bob"), (100.0, 110.0, "Chloé")]
    who = {start: name for start, _, name in before + after}
    agenda = PRESETS["codev-60"]

    def pipeline(folder, clock, resumed=None):
        rules = RuleEngine(SpeakingRules(consultant_in_presentation_s=20.0), people)
        p = Pipeline(Session(() if resumed else agenda.plans("en")), JournalWriter(folder, sync=False),
                     RecordingAnnouncer(clock, "en"), clock, lang="en", tracker=VoiceTracker(who), rules=rules,
                     hears_itself=False)
        if resumed:
            p.resumed_from(resumed)
        else:
            p.start(agenda, Settings(lang="en", participants=people))
        return p

    def speak(p, clock, turns):
        for start, end, _ in turns:
            clock.set(end + 0.5)
            p.segment(seg(start, end))
            p.tick()

    def warnings(folder):
        return [(e.rule, e.speaker, e.value_s, e.spoken) for e in read_journal(folder).events
                if e.type == "SpeakerWarning"]

    clock = ManualClock()
    whole = pipeline(tmp_path / "whole", clock)
    speak(whole, clock, before + after)
    whole.journal.close()

    clock = ManualClock()
    crashed = pipeline(tmp_path / "resumed", clock)
    speak(crashed, clock, before)
    crashed.journal.close()  # the process dies here
    resumed = pipeline(tmp_path / "resumed", clock, resumed=read_journal(tmp_path / "resumed").events)
    speak(resumed, clock, after)
    resumed.journal.close()

    expected = warnings(tmp_path / "whole")
    assert [(r, s) for r, s, _, _ in expected] == [("consultant_in_presentation", "Chloé"),
                                                   ("consultant_in_presentation", "Bob")]
    assert warnings(tmp_path / "resumed") == expected
