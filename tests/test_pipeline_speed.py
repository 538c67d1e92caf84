"""How the pipeline runs never changes what it decides: a replay gives the same events every
time, with the VAD and voice prints in a helper process or not, with the listener deciding
during the pause after a segment or not."""

from __future__ import annotations

import dataclasses
import io
from dataclasses import replace
from pathlib import Path

import pytest

from timekeeper.agenda import PRESETS
from timekeeper.audio.sources import open_source
from timekeeper.config import ClockSettings, Settings
from timekeeper.events import Participant, SessionStarted
from timekeeper.journal import read_journal
from timekeeper.stages import build_stages

AGENDA = PRESETS["codev-90"]


@pytest.fixture(scope="module")
def meeting(tmp_path_factory):
    presets = pytest.importorskip("testkit.presets")
    from testkit.truth import Truth, truth_path

    wav = presets.build("short-codev", tmp_path_factory.mktemp("speed"), seed=0)
    return wav, Truth.load(truth_path(wav))


def settings_for(wav: Path, truth) -> Settings:
    people = tuple(Participant(p.name, p.role) for p in truth.participants)
    s = Settings(lang="en", participants=people, clock=ClockSettings())
    return replace(s, listen=replace(s.listen, input=str(wav), engine="builtin"))


def decisions(wav: Path, truth, *, ahead: bool) -> tuple[list, int]:
    """The listener's decisions on ``wav`` (VAD → listener, as `run --input` builds them), and how
    many of them were decided ahead, during the pause."""
    stages = build_stages(settings_for(wav, truth), phases=AGENDA.numbers, speakers=False)
    listener = stages.listener
    prepared: list = []
    if ahead:
        def prepare(segment, lead_s):
            listener.prepare(segment, lead_s)
            if listener._ready is not None:
                prepared.append(listener._ready[2])
        stages.vad.on_candidate = prepare
    else:
        stages.vad.on_candidate = None
    out = []
    try:
        for frame in stages.source.frames():
            for seg in stages.vad.accept(frame):
                d = listener.accept(seg)
                if d is not None:
                    out.append(d)
        for seg in stages.vad.flush():
            d = listener.accept(seg)
            if d is not None:
                out.append(d)
    finally:
        stages.close()
    used = sum(1 for d in out if any(d is p or dataclasses.replace(p, decode_s=d.decode_s) == d for p in prepared))
    return out, used


def same(d) -> tuple:
    return dataclasses.replace(d, decode_s=0.0, measures=None), tuple(sorted((d.measures or {}).items()))


def test_deciding_during_the_pause_decides_the_same(meeting):
    wav, truth = meeting
    plain, _ = decisions(wav, truth, ahead=False)
    early, used = decisions(wav, truth, ahead=True)
    assert [same(d) for d in early] == [same(d) for d in plain]
    assert any(d.accepted for d in plain)
    assert used >= len(plain) // 2, f"only {used} of {len(plain)} decisions were taken during the pause"


def test_the_vad_candidate_is_the_segment_that_closes(meeting):
    wav, _ = meeting
    from timekeeper.audio.vad import Vad

    offered: list = []
    vad = Vad(on_candidate=lambda seg, lead_s: offered.append((seg, lead_s)))
    closed = []
    for frame in open_source(str(wav)).frames():
        closed += vad.accept(frame)
    matched = 0
    for seg in closed:
        before = [c for c, _ in offered if c.start_s == seg.start_s]
        if before and before[-1].end_s == seg.end_s:
            assert (before[-1].samples == seg.samples).all()
            matched += 1
    assert matched >= 0.9 * len(closed)
    assert all(0.0 < lead <= vad.cfg.end_silence_s - vad.cfg.tail_s + 1e-9 for _, lead in offered)


def replay_events(wav: Path, truth, session_dir: Path, monkeypatch, *, helper: bool, ahead: bool = True) -> list:
    """The journal of `run --input wav` (started_at blanked): the VAD and voice prints in the
    replay's helper process (``helper``) or in-process, deciding during pauses (``ahead``) or not."""
    from timekeeper.audio.ahead import AheadVad
    from timekeeper.runner import RunOptions, run_session
    from timekeeper.speakers.enroll import enroll_from_samples
    from timekeeper.speakers.wavio import read_int16

    monkeypatch.setenv("TIMEKEEPER_REPLAY_AHEAD", "1" if helper else "0")
    settings = settings_for(wav, truth)
    profiles = [enroll_from_samples(n, read_int16(p)) for n, p in sorted(truth.enrollment.items())]
    stages = build_stages(settings, phases=AGENDA.numbers, speakers=True, profiles=profiles)
    if not ahead:
        stages.vad.on_candidate = None
    options = RunOptions(no_view=True, no_tts=True, no_report=True, session_dir=str(session_dir), input=str(wav))
    run_session(options, out=io.StringIO(), err=io.StringIO(), stages=stages, settings=settings,
                agenda=AGENDA.scaled(0.032))  # as tests/test_end_to_end.py: the phases pass in 3 minutes
    assert isinstance(stages.vad, AheadVad) == helper
    return [replace(e, started_at="") if isinstance(e, SessionStarted) else e
            for e in read_journal(session_dir).events]


def test_a_replay_gives_the_same_events_every_time_however_it_runs(meeting, tmp_path, monkeypatch):
    wav, truth = meeting
    first = replay_events(wav, truth, tmp_path / "a", monkeypatch, helper=True)
    again = replay_events(wav, truth, tmp_path / "b", monkeypatch, helper=True)
    alone = replay_events(wav, truth, tmp_path / "c", monkeypatch, helper=False)  # deciding during pauses
    kinds = {type(e).__name__ for e in first}
    assert {"CommandHeard", "SpeakerTurn", "PhaseStarted"} <= kinds
    assert first == again == alone


def test_the_replay_helper_gives_the_vad_and_voice_prints_of_this_process(meeting):
    """Frame by frame the same segments (audio and voice prints) and the same ``in_speech``; a
    replay stopped midway (the session ended by voice) gets the segment open there."""
    from timekeeper.audio.ahead import AheadVad
    from timekeeper.audio.vad import Vad
    from timekeeper.speakers.identify import SpeakerTracker

    wav, _ = meeting
    frames = list(open_source(str(wav)).frames())
    mine, tracker = Vad(), SpeakerTracker([])
    since = None  # a frame a second into speech, past the first minute: where the replay stops
    for stop, frame in enumerate(frames):
        mine.accept(frame)
        since = (since or frame.start_s) if mine.in_speech else None
        if frame.start_s > 60 and since is not None and frame.start_s - since > 1.0:
            break
    mine = Vad()
    helper = AheadVad(str(wav), 320, mine, SpeakerTracker([]))
    try:
        n = 0
        for i, frame in enumerate(frames[: stop + 1]):
            here, there = mine.accept(frame), helper.accept(frame)
            assert [(s.start_s, s.end_s) for s in here] == [(s.start_s, s.end_s) for s in there], frame.start_s
            assert mine.in_speech == helper.in_speech, frame.start_s
            for a, b in zip(here, there):
                assert (a.samples == b.samples).all()
                hit = helper._prints.get(id(b.samples))
                if hit is not None and hit[1] is not None:
                    emb, spans = tracker.embed(a.samples)
                    assert (hit[1][0] == emb).all() and (hit[1][1] == spans).all()
                    n += 1
        assert n >= 10 and mine.in_speech
        rest_here, rest_there = mine.flush(), helper.flush()
        assert len(rest_here) == 1 and [(s.start_s, s.end_s) for s in rest_here] == [(s.start_s, s.end_s) for s in rest_there]
    finally:
        helper.close()
