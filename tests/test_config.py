"""Agendas and settings: presets, TOML files, and one clear line for every mistake."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from timekeeper.agenda import PRESETS, agenda_from_dict, agenda_to_toml, get_agenda, load_agenda_file
from timekeeper.config import Settings, load_settings, override, parse_participants, settings_from_dict
from timekeeper.errors import ConfigError
from timekeeper.events import Participant

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("name,minutes,first", [("codev-60", 60, "presentation"),
                                                 ("codev-90", 90, "checkin"),
                                                 ("codev-120", 120, "checkin")])
def test_presets_follow_the_method(name, minutes, first):
    agenda = PRESETS[name]
    assert agenda.planned_s == minutes * 60
    assert agenda.phases[0].id == first
    consultation = next(p for p in agenda.phases if p.id == "consultation")
    assert consultation.speakers == "consultants" and consultation.number == 4
    presentation = next(p for p in agenda.phases if p.id == "presentation")
    assert presentation.speakers == "client"
    for phase in agenda.phases:
        assert phase.name("fr") != phase.name("en") or phase.id in ("clarification", "consultation")
        assert phase.rule("fr") and phase.rule("en")


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_shipped_config_files_say_what_the_presets_say(name):
    assert load_agenda_file(ROOT / "config" / f"{name}.toml") == PRESETS[name]
    assert (ROOT / "config" / f"{name}.toml").read_text(encoding="utf-8") == agenda_to_toml(PRESETS[name])


def test_default_agenda_is_codev_90():
    assert get_agenda(None).id == "codev-90"


def phases(**over):
    row = {"id": "a", "name": {"fr": "Un", "en": "One"}, "minutes": 10, "speakers": "client"}
    row.update(over)
    return {"agenda": {"id": "x", "name": "X"}, "phases": [row]}


@pytest.mark.parametrize("data,message", [
    (phases(minuts=3), "unknown key 'minuts' (did you mean 'minutes'?)"),
    (phases(minutes=-5), "minutes = -5 is not a sensible length"),
    (phases(minutes=100000), "is not a sensible length"),
    (phases(minutes="ten"), "'minutes' must be a number"),
    (phases(speakers="clients"), "did you mean 'client'?"),
    (phases(name={"de": "Eins"}), "language 'de' is not available"),
    ({"agenda": {"id": "x"}, "phases": [phases()["phases"][0]] * 2}, "duplicate phase id"),
    ({"agenda": {"id": "x"}}, "no phases"),
    ({"agenda": {"id": "x", "titel": "y"}, "phases": []}, "unknown key 'titel'"),
])
def test_agenda_mistakes_name_the_file_key_and_fix(data, message):
    with pytest.raises(ConfigError) as info:
        agenda_from_dict(data, "my.toml")
    assert message in str(info.value) and str(info.value).startswith("my.toml")
    assert "\n" not in str(info.value)


def test_agenda_file_errors(tmp_path):
    with pytest.raises(ConfigError, match="no such agenda file"):
        load_agenda_file(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[agenda\nid=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_agenda_file(bad)
    with pytest.raises(ConfigError, match="unknown agenda 'codev-100'"):
        get_agenda("codev-100")


def test_custom_agenda_round_trips(tmp_path):
    text = agenda_to_toml(agenda_from_dict(phases(minutes=7.5, rule="Un seul parle"), "x.toml"))
    agenda = agenda_from_dict(tomllib.loads(text), "x.toml")
    assert agenda.phases[0].planned_s == 450 and agenda.phases[0].rule("fr") == "Un seul parle"


def test_participants_from_the_command_line():
    people = parse_participants("Alice:client, Bob,Chloé ,David:animateur")
    assert people == (Participant("Alice", "client"), Participant("Bob", "consultant"),
                      Participant("Chloé", "consultant"), Participant("David", "animateur"))


@pytest.mark.parametrize("spec,message", [
    ("Alice:boss", "role 'boss' for Alice"),
    ("Alice:client,Bob:client", "more than one client"),
    ("Alice,alice", "listed twice"),
    ("Alice,:client", "has no name"),
])
def test_participant_mistakes(spec, message):
    with pytest.raises(ConfigError, match=message):
        parse_participants(spec)


def test_example_settings_file_loads():
    s = load_settings(ROOT / "config" / "timekeeper.toml")
    assert s.lang == "fr" and s.clock.warn_before_min == 1.0 and s.participants[0].role == "client"
    assert s.listen.wake_fr == "chrono" and s.speaking["enabled"] is True


@pytest.mark.parametrize("data,message", [
    ({"clock": {"warn_before": 2}}, "unknown key 'warn_before' (did you mean 'warn_before_min'?)"),
    ({"clok": {}}, "unknown table [clok] (did you mean 'clock'?)"),
    ({"clock": {"warn_before_min": -1.0}}, "cannot be negative"),
    ({"clock": {"overrun_max": "3"}}, "'overrun_max' must be a int"),
    ({"session": {"lang": "de"}}, "language 'de' is not available"),
    ({"announcer": {"tts": "yes"}}, "'tts' must be a bool"),
])
def test_settings_mistakes(data, message):
    with pytest.raises(ConfigError) as info:
        settings_from_dict(data, "tk.toml")
    assert message in str(info.value)


def test_flags_override_the_file():
    s = settings_from_dict({"session": {"lang": "fr"}, "listen": {"engine": "vosk"}})
    s2 = override(s, lang="en", agenda=None, **{"listen.input": "mic:2", "listen.engine": None})
    assert (s2.lang, s2.agenda, s2.listen.input, s2.listen.engine) == ("en", "codev-90", "mic:2", "vosk")
    assert Settings().lang == "fr"
