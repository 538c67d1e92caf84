"""Phrase tables, normalisation and exact matching, English and French."""

from __future__ import annotations

import pytest

from timekeeper.asr.grammar import jsgf, phrase_list
from timekeeper.asr.normalize import Matcher, normalize
from timekeeper.asr.phrases import canonical_text, expand
from timekeeper.commands import Command, CommandKind as K

CANON = {
    "en": [("time keeper next phase", "next"), ("time keeper previous phase", "previous"),
           ("time keeper go to phase three", "goto 3"), ("time keeper pause", "pause"),
           ("time keeper resume", "resume"), ("time keeper how much time is left", "time_left"),
           ("time keeper add two minutes", "extend 2"), ("time keeper take away one minute", "shorten 1"),
           ("time keeper repeat", "repeat"), ("time keeper end the session", "end"), ("time keeper undo the last command", "undo")],
    "fr": [("chrono phase suivante", "next"), ("chrono phase précédente", "previous"),
           ("chrono aller à la phase trois", "goto 3"), ("chrono pause", "pause"), ("chrono on reprend", "resume"),
           ("chrono combien de temps reste-t-il", "time_left"), ("chrono ajoute deux minutes", "extend 2"),
           ("chrono une minute de moins", "shorten 1"), ("chrono répète", "repeat"), ("chrono fin de la séance", "end"),
           ("chrono annule", "undo")],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_canonical_texts_parse(lang):
    m = Matcher(expand(lang).phrases, lang)
    for text, cmd in CANON[lang]:
        assert str(m.match(text)) == cmd, text


def test_generator_texts_parse_when_present():
    pytest.importorskip("testkit.phrases")
    from testkit.phrases import CANONICAL_COMMANDS, command_text, parse_command

    for lang in ("en", "fr"):
        m = Matcher(expand(lang).phrases, lang)
        for c in CANONICAL_COMMANDS + ("goto 7", "extend 1", "shorten 4"):
            assert m.match(command_text(c, lang)) == parse_command(c), (lang, c)


def test_french_normalisation():
    assert normalize("Chrono, combien de temps reste-t-il ?", "fr") == "chrono combien de temps reste t il"
    assert normalize("Chrono : ajoute 2 minutes !", "fr") == "chrono ajoute deux minutes"
    assert normalize("l'étape", "fr") == "l étape"
    m = Matcher(expand("fr").phrases, "fr")
    assert m.match("chrono ajoute 2 minutes") == Command(K.EXTEND, 2)
    assert m.match("chrono 1 minute de moins") == Command(K.SHORTEN, 1)
    assert m.match("chrono repete") == Command(K.REPEAT)  # accents lost by an engine
    assert m.match("CHRONO PHASE PRÉCÉDENTE") == Command(K.PREVIOUS)
    assert m.match("chrono il reste combien de temps") == Command(K.TIME_LEFT)
    assert m.match("chrono va à la phase dix") == Command(K.GOTO, 10)


@pytest.mark.parametrize("lang,text", [
    ("en", "the next phase of my project"), ("en", "next phase"), ("en", "time keeper"),
    ("en", "time keeper next phase please"), ("en", "time keeper add eleven minutes"),
    ("en", "so time keeper pause"), ("fr", "la phase suivante du projet"), ("fr", "on fait une pause"),
    ("fr", "chrono"), ("fr", "phase suivante"), ("fr", "chrono ajoute deux minutes de contexte"),
])
def test_anything_but_a_whole_command_is_refused(lang, text):
    assert Matcher(expand(lang).phrases, lang).match(text) is None


def test_timekeeper_one_word_and_digits():
    m = Matcher(expand("en").phrases, "en")
    assert m.match("Timekeeper, add 3 minutes.") == Command(K.EXTEND, 3)
    assert m.match("timekeeper go to phase 2") == Command(K.GOTO, 2)


def test_wake_phrase_configurable_and_optional():
    t = expand("fr", "minuteur")
    assert all(p.startswith("minuteur ") for p in t.phrases)
    assert Matcher(t.phrases, "fr").match("minuteur pause") == Command(K.PAUSE)
    assert Matcher(t.phrases, "fr").match("chrono pause") is None
    bare = expand("en", "")
    assert Matcher(bare.phrases, "en").match("next phase") == Command(K.NEXT)


def test_canonical_text_round_trip():
    for lang in ("en", "fr"):
        m = Matcher(expand(lang).phrases, lang)
        for cmd in [Command(K.NEXT), Command(K.GOTO, 4), Command(K.EXTEND, 1), Command(K.SHORTEN, 5), Command(K.END)]:
            assert m.match(canonical_text(lang, cmd)) == cmd
    assert canonical_text("fr", Command(K.EXTEND, 1)) == "chrono ajoute une minute"


def test_grammars():
    t = expand("fr")
    g = jsgf(t)
    assert "public <utt> = chrono <cmd>;" in g and "<num> = un | une | deux" in g
    assert "reste t il" in g
    phrases = phrase_list(t)
    assert "chrono combien de temps reste t il" in phrases and "chrono ajoute deux minutes" in phrases
    en = jsgf(expand("en"), filler=["uh", "pause", "the", "project"])
    assert "<filler> = uh | project;" in en  # command words never in the filler loop


def test_goto_listens_only_for_the_agendas_phases():
    t = expand("en", phases=[0, 1, 2, 3, 4, 5, 6])
    m = Matcher(t.phrases, "en")
    assert m.match("time keeper go to phase zero") == Command(K.GOTO, 0)  # check-in
    assert m.match("time keeper go to phase six") == Command(K.GOTO, 6)
    assert m.match("time keeper go to phase nine") is None  # no such phase: not in the grammar either
    assert m.match("time keeper add nine minutes") == Command(K.EXTEND, 9)  # minutes keep 1-10
    g = jsgf(t)
    assert "<phase> = zero | one | two | three | four | five | six;" in g
    assert "go to phase <phase>" in g and "add <num> <min>" in g
    fr = expand("fr", phases=[1, 2])
    assert Matcher(fr.phrases, "fr").match("chrono aller à la phase deux") == Command(K.GOTO, 2)
    assert not [p for p in fr.phrases if p.endswith("phase trois")]
    assert expand("en").phases == tuple(range(11))  # agenda unknown: 0-10
