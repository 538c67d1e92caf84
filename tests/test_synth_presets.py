"""Presets: the short sessions build in seconds with the truth other tests rely on."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from testkit import load_script, presets
from testkit.phrases import contains_wake_phrase
from testkit.truth import Truth, truth_path
from testkit.voices import SHARED_VOICES_DIR

SHORT_COMMANDS = ["next", "next", "time_left", "next", "extend 1", "next", "pause", "resume", "next", "next", "end"]


@pytest.mark.parametrize("name,lang,wake", [("short-codev", "en", "time keeper "), ("short-codev-fr", "fr", "chrono ")])
def test_short_codev_builds_fast_with_known_commands(tmp_path: Path, name: str, lang: str, wake: str) -> None:
    t0 = time.perf_counter()
    wav = presets.build(name, tmp_path)
    assert time.perf_counter() - t0 < 10
    truth = Truth.load(truth_path(wav))
    assert 150 < truth.duration_s < 270 and truth.lang == lang
    assert [c.command for c in truth.commands] == SHORT_COMMANDS
    assert all(c.text.startswith(wake) and c.speaker == truth.commands[0].speaker for c in truth.commands)
    assert len(truth.distractors) == 4 and not any(contains_wake_phrase(d.text) for d in truth.distractors)
    roles = Counter(p.role for p in truth.participants)
    assert roles == {"client": 1, "consultant": 3, "animateur": 1}
    # every participant speaks, and is enrolled with audio the session never uses
    spoken = Counter(t.speaker for t in truth.turns)
    assert set(spoken) == set(truth.speakers()) == set(truth.enrollment)
    assert all(Path(p).exists() for p in truth.enrollment.values())
    recorded = [t.source for t in truth.turns if t.source.startswith("librispeech:")]
    assert len(recorded) == len(set(recorded))  # no utterance used twice
    for who, sources in truth.enrollment_sources.items():
        assert not set(sources) & set(recorded)
    # commands are preceded by at least 0.7 s of silence from everyone
    for c in truth.commands:
        before = [t.end_s for t in truth.turns if t.end_s <= c.start_s]
        assert c.start_s - max(before, default=0) >= 0.7
        assert not any(t.start_s < c.end_s and c.start_s < t.end_s for t in truth.turns
                       if (t.start_s, t.end_s) != (c.start_s, c.end_s))
    if lang == "en":
        assert {p.voice for p in truth.participants if p.role != "animateur"} == {
            "librispeech:1998", "librispeech:533", "librispeech:1688", "librispeech:3005"}


def test_an_up_to_date_build_is_reused(tmp_path: Path) -> None:
    wav = presets.build("short-codev", tmp_path)
    stamp = wav.stat().st_mtime_ns
    t0 = time.perf_counter()
    assert presets.build("short-codev", tmp_path) == wav
    assert wav.stat().st_mtime_ns == stamp and time.perf_counter() - t0 < 2
    presets.build("short-codev", tmp_path, seed=1)
    assert wav.stat().st_mtime_ns != stamp


@pytest.mark.parametrize("name", presets.names())
def test_every_preset_script_is_valid(name: str) -> None:
    if name == "meeting-short" and not SHARED_VOICES_DIR.is_dir():
        pytest.skip("meeting-short needs the full librispeech-10 set")
    script = load_script(presets.script_for(name))
    assert script.turns and script.session.name == name


def test_long_presets_have_the_asked_shape() -> None:
    meeting = load_script(presets.script_for("meeting-60"))
    assert len(meeting.participants) == 8 and meeting.session.enroll_s == 30 and meeting.session.snr_db == 15
    assert 55 * 60 < sum(t.duration_s + t.gap_s for t in meeting.turns) < 70 * 60
    commands = load_script(presets.script_for("commands"))
    said = Counter(t.command for t in commands.turns)
    assert len(commands.participants) == 4 and all(said[c] >= 4 for c in presets.CANONICAL_COMMANDS)
    dis = load_script(presets.script_for("distractors-60"))
    assert not any(t.kind == "command" or contains_wake_phrase(t.text) for t in dis.turns)
    assert sum(t.kind == "distractor" for t in dis.turns) > 100


def test_unknown_preset_is_a_config_error(tmp_path: Path) -> None:
    from timekeeper.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown preset 'nope': use one of short-codev"):
        presets.build("nope", tmp_path)


def test_example_script_renders(tmp_path: Path) -> None:
    from testkit import generate

    example = Path(__file__).parent / "data" / "synth" / "example.toml"
    truth = generate(load_script(example), tmp_path / "example.wav")
    assert [c.command for c in truth.commands] == ["next", "time_left"]
    assert {t.speaker for t in truth.turns} == {"Alice", "Bob", "Max"}
    assert any(t.overlap for t in truth.turns) and set(truth.enrollment) == {"Alice", "Bob", "Max"}
    assert abs(truth.measured_snr_db - 20) < 0.5


def test_commands_preset_has_every_command_by_four_voices(tmp_path: Path) -> None:
    truth = Truth.load(truth_path(presets.build("commands", tmp_path)))
    assert len({c.speaker for c in truth.commands}) == 4
    by_voice = Counter((c.speaker, c.command) for c in truth.commands)
    assert all(by_voice[(v, c)] >= 1 for v in {c.speaker for c in truth.commands} for c in presets.CANONICAL_COMMANDS)
    assert abs(truth.measured_snr_db - 15) < 0.5 and truth.rt60_s > 0
    assert all(c.text.startswith("time keeper ") for c in truth.commands)
