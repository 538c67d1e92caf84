"""Undo, the end confirmation and "sorry?" reached from a WAV, the way a user replays one:
`timekeeper run --input FILE.wav --lang en` with the built-in engine (espeak-ng voices, 20 dB
pink noise, a little reverberation)."""

from __future__ import annotations

import shutil

import pytest

from timekeeper.journal import read_journal

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def replay(tmp_path, turns, voice="espeak:en-us+m3", seed=0, config=""):
    testkit = pytest.importorskip("testkit")
    pytest.importorskip("pocketsphinx")
    from timekeeper.cli.main import main

    script = {"session": {"lang": "en", "snr_db": 20.0, "noise": "pink", "rt60_s": 0.2, "lead_in_s": 1.5,
                          "tail_s": 2.0, "seed": seed},
              "participants": [{"name": "Max", "voice": voice}],
              "turns": [{"speaker": "Max", **t} for t in turns]}
    wav = tmp_path / "room.wav"
    truth = testkit.generate(script, wav)
    session_dir = tmp_path / "session"
    settings = tmp_path / "timekeeper.toml"
    settings.write_text(config, encoding="utf-8")
    assert main(["run", "--input", str(wav), "--lang", "en", "--agenda", "codev-60", "--no-tts", "--config",
                 str(settings), "--no-report", "--no-view", "--session-dir", str(session_dir)]) == 0
    return read_journal(session_dir).events, truth


def of(events, kind):
    return [e for e in events if e.type == kind]


def test_spoken_end_is_confirmed_by_a_spoken_yes(tmp_path):
    events, truth = replay(tmp_path, [
        {"kind": "command", "command": "end", "gap_s": 1.5},
        {"kind": "speech", "text": "yes", "gap_s": 1.5},
        {"kind": "speech", "text": "so we stop here today", "gap_s": 2.0}])
    asked, answered, ended = of(events, "ConfirmationAsked"), of(events, "ConfirmationAnswered"), of(events, "SessionEnded")
    assert len(asked) == 1 and [a.answer for a in answered] == ["yes"]
    yes_end = truth.turns[1].end_s
    assert ended[0].t_s < yes_end + 1.0  # ended by the answer, not by the end of the file


def test_spoken_end_without_an_answer_keeps_the_session(tmp_path):
    events, truth = replay(tmp_path, [
        {"kind": "command", "command": "end", "gap_s": 1.5},
        {"kind": "command", "command": "next", "gap_s": 8.0}])
    assert [a.answer for a in of(events, "ConfirmationAnswered")] == ["timeout"]
    started = of(events, "PhaseStarted")
    assert [p.phase_id for p in started] == ["presentation", "clarification"]
    assert started[-1].t_s > of(events, "ConfirmationAnswered")[0].t_s


def test_undo_reverts_a_spoken_command(tmp_path):
    events, _ = replay(tmp_path, [
        {"kind": "command", "command": "next", "gap_s": 1.5},
        {"kind": "command", "command": "undo", "gap_s": 2.0}])
    assert [u.command for u in of(events, "Undone")] == ["next"]
    assert [p.phase_id for p in of(events, "PhaseStarted")] == ["presentation", "clarification", "presentation"]


def test_sorry_when_the_wake_phrase_is_clear_but_more_talk_follows(tmp_path):
    events, _ = replay(tmp_path, [
        {"kind": "speech", "text": "time keeper next phase of my project", "gap_s": 1.5}] * 3,
        config="[listen]\nsorry = true\n")
    unclear = of(events, "CommandUnclear")
    assert len(unclear) >= 2 and unclear[0].spoken
    assert not any(u.spoken for u in unclear[1:])  # within sorry_every_s (20 s): journaled only
    said = [a.text for a in of(events, "Announced")]
    assert said.count("Sorry?") == 1
    assert [p.phase_id for p in of(events, "PhaseStarted")] == ["presentation"]
    quiet, _ = replay(tmp_path / "off", [{"kind": "speech", "text": "time keeper next phase of my project",
                                          "gap_s": 1.5}])
    assert of(quiet, "CommandUnclear") == []  # off by default


@pytest.mark.parametrize("pause_s", [0.3, 0.6])
def test_a_pause_after_the_wake_phrase_is_obeyed(tmp_path, pause_s):
    """"Time keeper, ... next phase": a pause longer than the VAD's end silence cuts the phrase in two
    segments; the listener reads them together."""
    events, _ = replay(tmp_path, [{"kind": "command", "command": "next", "gap_s": 1.5, "wake_pause_s": pause_s}])
    assert [p.phase_id for p in of(events, "PhaseStarted")] == ["presentation", "clarification"]


def test_a_wake_phrase_then_talk_is_not_a_command(tmp_path):
    events, _ = replay(tmp_path, [
        {"kind": "speech", "text": "time keeper", "gap_s": 1.5},
        {"kind": "speech", "text": "the next phase of my project is hard", "gap_s": 0.5}])
    assert [p.phase_id for p in of(events, "PhaseStarted")] == ["presentation"]


def test_the_wake_phrase_alone_is_no_command(tmp_path):
    """"Time keeper" said alone is examined and refused (on the bench, some voices' "time keeper" was
    decoded "time keeper pause" on the silence after it: tests/test_listen_checks.py has that case)."""
    events, _ = replay(tmp_path, [{"kind": "speech", "text": "time keeper", "gap_s": 1.5},
                                  {"kind": "speech", "text": "time keeper", "gap_s": 2.5}])
    heard = of(events, "CommandHeard")
    assert heard and not any(h.accepted for h in heard), heard  # examined, refused
    assert of(events, "Paused") == [] and [p.phase_id for p in of(events, "PhaseStarted")] == ["presentation"]
