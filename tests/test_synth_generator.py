"""The generator: truth checked sample by sample, determinism, room levels, enrollment."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from testkit import generate, load_script, render
from testkit.generator import REF_DBFS
from testkit.room import snr_db
from testkit.voices import active_rms_db, write_wav

R = 16000


def read_int16(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


@pytest.fixture
def tone_wav(tmp_path: Path) -> Path:
    """0.5 s silence, 1.0 s of 440 Hz, 0.3 s silence."""
    t = np.arange(R) / R
    x = np.concatenate([np.zeros(R // 2), 0.1 * np.sin(2 * np.pi * 440 * t), np.zeros(int(0.3 * R))])
    path = tmp_path / "tone.wav"
    write_wav(path, x.astype(np.float32))
    return path


def tiny(tone: Path, **session) -> dict:
    return {
        "session": {"lang": "en", "seed": 3, "lead_in_s": 0.5, "tail_s": 0.5, **session},
        "participants": [
            {"name": "Max", "role": "animateur", "voice": "espeak:en-us+m3"},
            {"name": "Alice", "role": "client", "voice": "librispeech:1998"},
            {"name": "Tone", "voice": "espeak:en"},
        ],
        "turns": [
            {"speaker": "Max", "kind": "command", "command": "next", "gap_s": 0.5},
            {"speaker": "Alice", "utterances": ["1998-15444-0007"], "gap_s": 0.8},
            {"speaker": "Tone", "audio": str(tone), "gap_s": 0.7},
            {"speaker": "Max", "kind": "distractor", "text": "Can we pause on that point for a second?", "overlap_s": 0.3},
            {"speaker": "Max", "text": "Thank you.", "gap_s": 1.0, "level_db": -6.0},
        ],
    }


def test_dry_truth_matches_the_audio_sample_by_sample(tmp_path: Path, tone_wav: Path) -> None:
    truth = generate(load_script(tiny(tone_wav)), tmp_path / "s.wav")
    x = read_int16(tmp_path / "s.wav")
    assert len(x) == round(truth.duration_s * R)
    turns = truth.turns
    assert [t.kind for t in turns] == ["command", "speech", "speech", "distractor", "speech"]
    spans = [(round(t.start_s * R), round(t.end_s * R)) for t in turns]
    # times are whole samples
    assert all(abs(t.start_s * R - a) < 1e-6 and abs(t.end_s * R - b) < 1e-6 for t, (a, b) in zip(turns, spans))
    # nothing outside the truth turns: the dry mix is exactly zero there
    voiced = np.zeros(len(x), dtype=bool)
    for a, b in spans:
        voiced[a:b] = True
    assert not np.any(x[~voiced])
    # tight edges: every turn has sound within 10 ms of its start and of its end
    for a, b in spans:
        assert np.any(x[a : a + 160]) and np.any(x[b - 160 : b])
    # gaps and overlaps are where the script put them
    assert spans[0][0] == round(1.0 * R)  # lead-in 0.5 + gap 0.5
    assert spans[1][0] == spans[0][1] + round(0.8 * R)
    assert spans[2][0] == spans[1][1] + round(0.7 * R)
    assert spans[3][0] == spans[2][1] - round(0.3 * R)
    assert [t.overlap for t in turns] == [False, False, True, True, False]
    # the tone turn is exactly the tone: 1.0 s at 440 Hz
    a, b = spans[2]
    assert b - a == R
    tone = x[a : a + int(0.29 * R)].astype(float)  # before the distractor starts
    crossings = np.count_nonzero((tone[:-1] < 0) & (tone[1:] >= 0)) / 0.29
    assert abs(crossings - 440) < 5
    # levels: each turn at the reference level plus its level_db
    cmd = x[spans[0][0] : spans[0][1]].astype(np.float32) / 32768
    quiet = x[spans[4][0] : spans[4][1]].astype(np.float32) / 32768
    assert abs(active_rms_db(cmd) - REF_DBFS) < 0.5
    assert abs(active_rms_db(quiet) - (REF_DBFS - 6)) < 0.5
    assert truth.gain_db == 0.0 and truth.noise == "none" and truth.measured_snr_db is None


def test_truth_lists_commands_distractors_and_sources(tmp_path: Path, tone_wav: Path) -> None:
    truth = generate(tiny(tone_wav), tmp_path / "s.wav")
    assert [(c.command, c.text, c.speaker, c.lang) for c in truth.commands] == [
        ("next", "time keeper next phase", "Max", "en")]
    assert truth.commands[0].start_s == truth.turns[0].start_s and truth.commands[0].end_s == truth.turns[0].end_s
    assert [d.text for d in truth.distractors] == ["Can we pause on that point for a second?"]
    assert truth.turns[1].source == "librispeech:1998-15444-0007"
    assert [p.name for p in truth.participants] == ["Max", "Alice", "Tone"]
    # the truth file round-trips and its paths resolve next to it
    from testkit.truth import Truth, truth_path

    again = Truth.load(truth_path(tmp_path / "s.wav"))
    assert again == truth and Path(again.wav) == tmp_path / "s.wav"
    assert Truth.from_json(again.to_json()) == again


def test_command_turn_is_wake_phrase_short_pause_then_command(tmp_path: Path, tone_wav: Path) -> None:
    script = tiny(tone_wav)
    script["turns"] = [{"speaker": "Max", "kind": "command", "command": "extend 2", "wake_pause_s": 0.4}]
    r = render(script)
    (c,) = r.truth.commands
    assert c.text == "time keeper add two minutes" and c.command == "extend 2"
    seg = r.samples[round(c.start_s * R) : round(c.end_s * R)]
    # a silent stretch of at least 0.35 s inside the utterance (the pause after the wake phrase)
    silent = (seg == 0).astype(int)
    runs = np.diff(np.flatnonzero(np.diff(np.concatenate([[0], silent, [0]]))))[::2]
    assert runs.max() >= 0.35 * R


def test_same_seed_same_bytes_other_seed_other_audio(tmp_path: Path, tone_wav: Path) -> None:
    script = load_script(tiny(tone_wav, noise="pink+babble", snr_db=12.0, rt60_s=0.3))
    generate(script, tmp_path / "a" / "s.wav", seed=7)
    generate(script, tmp_path / "b" / "s.wav", seed=7)
    generate(script, tmp_path / "c" / "s.wav", seed=8)
    a, b, c = ((tmp_path / d / "s.wav").read_bytes() for d in "abc")
    assert a == b
    assert a != c
    assert (tmp_path / "a" / "s.truth.json").read_bytes() == (tmp_path / "b" / "s.truth.json").read_bytes()


@pytest.mark.parametrize("noise,target", [("pink", 10.0), ("babble", 5.0), ("pink+babble", 15.0)])
def test_noise_is_mixed_at_the_asked_snr(tone_wav: Path, noise: str, target: float) -> None:
    r = render(tiny(tone_wav, noise=noise, snr_db=target, rt60_s=0.4))
    active = np.zeros(len(r.samples), dtype=bool)
    for t in r.truth.turns:
        active[round(t.start_s * R) : round(t.end_s * R)] = True
    assert abs(snr_db(r.speech, r.noise, active) - target) < 0.5
    # and in the int16 file itself: mix minus speech stem is the noise
    mix = r.samples.astype(np.float64) / 32767
    assert abs(snr_db(r.speech, mix - r.speech, active) - target) < 0.5
    assert abs(r.truth.measured_snr_db - target) < 0.5


def test_loud_scripts_are_scaled_down_instead_of_clipping(tone_wav: Path) -> None:
    script = tiny(tone_wav, noise="pink", snr_db=10.0, rt60_s=0.5)
    for t in script["turns"]:
        t["level_db"] = 24.0
    r = render(script)
    assert r.truth.gain_db < -10
    peak = np.abs(r.samples.astype(int)).max()
    assert peak <= 10 ** (-1 / 20) * 32767 + 1
    assert peak > 0.8 * 32767


def test_enrollment_is_written_and_never_reused_in_the_session(tmp_path: Path) -> None:
    script = {
        "session": {"enroll_s": 15.0, "rt60_s": 0.3, "noise": "pink", "snr_db": 20.0},
        "participants": [{"name": "Alice", "voice": "librispeech:1998"}, {"name": "Max", "voice": "en-us+m3"}],
        "turns": [{"speaker": "Alice", "utterances": "librispeech:auto", "duration_s": 30.0},
                  {"speaker": "Max", "text": "Thank you Alice."}],
    }
    truth = generate(script, tmp_path / "e.wav")
    assert set(truth.enrollment) == {"Alice", "Max"}
    for name, path in truth.enrollment.items():
        x = read_int16(Path(path))
        assert len(x) / R >= 15.0
    session_sources = {t.source for t in truth.turns}
    assert not session_sources & set(truth.enrollment_sources["Alice"])
    assert all(s.startswith("librispeech:1998-") for s in truth.enrollment_sources["Alice"])


def test_auto_utterances_never_repeat_unless_allowed() -> None:
    from timekeeper.errors import ConfigError

    script = {
        "participants": [{"name": "Zoe", "voice": "librispeech:367"}],  # 3 utterances, 18 s
        "turns": [{"speaker": "Zoe", "utterances": "librispeech:auto", "duration_s": 8.0}] * 3,
    }
    with pytest.raises(ConfigError, match="reuse_utterances"):
        render(script)
    script["session"] = {"reuse_utterances": True}
    r = render(script)
    assert len(r.truth.turns) >= 4


def test_announcer_speech_is_listed_apart_and_not_enrolled(tmp_path: Path) -> None:
    script = {
        "session": {"enroll_s": 3.0},
        "participants": [{"name": "Max", "role": "animateur", "voice": "en-us+m3"},
                         {"name": "Box", "role": "announcer", "voice": "en+f2"}],
        "turns": [{"speaker": "Max", "kind": "command", "command": "next"},
                  {"speaker": "Box", "kind": "announcer", "text": "Phase one, presentation, five minutes.", "gap_s": 0.6}],
    }
    truth = generate(script, tmp_path / "a.wav")
    assert [a.text for a in truth.announcer] == ["Phase one, presentation, five minutes."]
    assert truth.announcer[0].start_s == truth.turns[1].start_s and truth.turns[1].kind == "announcer"
    assert set(truth.enrollment) == {"Max"} and truth.speakers() == ["Max"]
    assert [t.speaker for t in truth.speech_turns()] == ["Max"]
