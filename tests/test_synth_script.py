"""Session scripts (TOML/JSON) and the command phrase table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timekeeper.errors import ConfigError
from testkit import load_script
from testkit.phrases import CANONICAL_COMMANDS, command_text, contains_wake_phrase, parse_command
from testkit.texts import DISTRACTORS

TOML = """
[session]
lang = "fr"
seed = 4
noise = "pink"
snr_db = 15
rt60_s = 0.4

[[participants]]
name = "Amélie"
role = "animateur"
voice = "fr+f3"

[[turns]]
speaker = "Amélie"
kind = "command"
command = "extend 2"
gap_s = 1
"""


def test_toml_and_json_scripts_load_the_same(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text(TOML, encoding="utf-8")
    a = load_script(tmp_path / "s.toml")
    (tmp_path / "s.json").write_text(json.dumps(a.to_dict()), encoding="utf-8")
    b = load_script(tmp_path / "s.json")
    assert a == b
    assert a.session.snr_db == 15.0 and a.turns[0].gap_s == 1.0 and a.session.lang == "fr"
    assert a.digest() == b.digest()


def bad(tmp_path: Path, text: str) -> str:
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_script(tmp_path / "bad.toml")
    msg = str(exc.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("change,expect", [
    (("gap_s = 1", "gap = 1"), "unknown key 'turns[0].gap'"),
    (('speaker = "Amélie"\nkind', 'speaker = "Bob"\nkind'), "turns[0].speaker 'Bob' is not a participant"),
    (('command = "extend 2"', 'command = "extend"'), "needs a number"),
    (('command = "extend 2"', 'command = "louder"'), "unknown command 'louder'"),
    (('noise = "pink"', 'noise = "rain"'), "bad session.noise 'rain'"),
    (("snr_db = 15\n", ""), "snr_db is missing"),
    (('lang = "fr"', 'lang = "de"'), "unknown language 'de'"),
    (("gap_s = 1", 'gap_s = "long"'), "bad value 'long' for 'turns[0].gap_s'"),
    (('role = "animateur"', 'role = "boss"'), "bad participants[0].role 'boss'"),
    (("[session]", "[sesion]"), "unknown section 'sesion'"),
    (("gap_s = 1", "gap_s = = 1"), "is not valid TOML"),
])
def test_bad_scripts_say_which_key_and_how_to_fix(tmp_path: Path, change, expect) -> None:
    assert expect in bad(tmp_path, TOML.replace(*change))


def test_turn_content_rules() -> None:
    base = {"participants": [{"name": "Al", "voice": "librispeech:1998"}, {"name": "Mo", "voice": "en-us+m3"}]}
    cases = [
        ({"speaker": "Al", "text": "hello"}, "cannot say a text"),
        ({"speaker": "Al", "kind": "command", "command": "next"}, "needs an espeak voice"),
        ({"speaker": "Mo", "utterances": "librispeech:auto", "duration_s": 3}, "need a participant with voice"),
        ({"speaker": "Al", "utterances": "librispeech:auto"}, "needs duration_s > 0"),
        ({"speaker": "Mo"}, "exactly one of 'text', 'audio' or 'utterances'"),
        ({"speaker": "Mo", "kind": "command"}, "without 'command'"),
        ({"speaker": "Mo", "kind": "distractor", "text": "time keeper next phase"}, "contains a wake phrase"),
    ]
    for turn, expect in cases:
        with pytest.raises(ConfigError, match=expect):
            load_script({**base, "turns": [turn]})
    with pytest.raises(ConfigError, match="cannot read script"):
        load_script("/nonexistent/script.toml")


def test_unknown_voice_names_the_available_speakers() -> None:
    from testkit import render

    with pytest.raises(ConfigError, match="use one of 1688, 1998, 3005, 367, 533"):
        render({"participants": [{"name": "X", "voice": "librispeech:9999"}],
                "turns": [{"speaker": "X", "utterances": "librispeech:auto", "duration_s": 2}]})


def test_canonical_command_texts() -> None:
    assert [command_text(c, "en") for c in CANONICAL_COMMANDS] == [
        "time keeper next phase", "time keeper previous phase", "time keeper go to phase three",
        "time keeper pause", "time keeper resume", "time keeper how much time is left",
        "time keeper add two minutes", "time keeper take away one minute", "time keeper repeat",
        "time keeper end the session"]
    assert [command_text(c, "fr") for c in CANONICAL_COMMANDS] == [
        "chrono phase suivante", "chrono phase précédente", "chrono aller à la phase trois", "chrono pause",
        "chrono on reprend", "chrono combien de temps reste-t-il", "chrono ajoute deux minutes",
        "chrono une minute de moins", "chrono répète", "chrono fin de la séance"]
    assert command_text("extend 1", "en") == "time keeper add one minute"
    assert command_text("goto 1", "fr") == "chrono aller à la phase un"
    assert str(parse_command("shorten 3")) == "shorten 3"


def test_distractors_carry_command_words_but_no_wake_phrase() -> None:
    for lang, bank in DISTRACTORS.items():
        assert bank and not any(contains_wake_phrase(s) for s in bank)
    assert contains_wake_phrase("Chrono, pause") and contains_wake_phrase("the timekeeper said")
    assert not contains_wake_phrase("le chronomètre est en panne")
