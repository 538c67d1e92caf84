"""How the pipeline runs never changes what it decides: a replay gives the same events every
time, with the listener deciding ahead during the pause after a segment or not."""

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


def replay_events(wav: Path, truth, session_dir: Path, *, ahead: bool) -> list:
    from timekeeper.runner import RunOptions, run_session
    from timekeeper.speakers.enroll import enroll_from_samples
    from timekeeper.speakers.wavio import read_int16

    settings = settings_for(wav, truth)
    profiles = [enroll_from_samples(n, read_int16(p)) for n, p in sorted(truth.enrollment.items())]
    stages = build_stages(settings, phases=AGENDA.numbers, speakers=True, profiles=profiles)
    if not ahead:
        stages.vad.on_candidate = None
    options = RunOptions(no_view=True, no_tts=True, no_report=True, session_dir=str(session_dir), input=str(wav))
    run_session(options, out=io.StringIO(), err=io.StringIO(), stages=stages, settings=settings,
                agenda=AGENDA.scaled(0.032))  # as tests/test_end_to_end.py: the phases pass in 3 minutes
    return [replace(e, started_at="") if isinstance(e, SessionStarted) else e
            for e in read_journal(session_dir).events]


def test_a_replay_gives_the_same_events_every_time_however_it_runs(meeting, tmp_path):
    wav, truth = meeting
    first = replay_events(wav, truth, tmp_path / "a", ahead=True)
    again = replay_events(wav, truth, tmp_path / "b", ahead=True)
    plain = replay_events(wav, truth, tmp_path / "c", ahead=False)
    kinds = {type(e).__name__ for e in first}
    assert {"CommandHeard", "SpeakerTurn", "PhaseStarted"} <= kinds
    assert first == again == plain
