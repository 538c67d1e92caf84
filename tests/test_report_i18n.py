"""Numbers and durations as a French or English reader expects them."""

from __future__ import annotations

from timekeeper.report import i18n


def test_percent_and_decimals():
    assert i18n.pct(0.383, "fr") == "38\u202f%"  # narrow no-break space
    assert i18n.pct(0.383, "en") == "38%"
    assert i18n.pct(0.003, "fr") == "<1\u202f%" and i18n.pct(0.0, "en") == "0%" and i18n.pct(0.006, "en") == "1%"
    assert i18n.number(0.7226, "fr", 2) == "0,72" and i18n.number(0.7226, "en", 2) == "0.72"


def test_durations_and_clock():
    assert i18n.duration(80, "fr") == "1\u00a0min\u00a020\u00a0s"
    assert i18n.duration(360, "en") == "6\u00a0min"
    assert i18n.duration(6300, "fr") == "1\u00a0h\u00a045"
    assert i18n.duration(6300, "en") == "1\u00a0h\u00a045\u00a0min"
    assert i18n.clock(65) == "1:05" and i18n.clock(3725) == "1:02:05" and i18n.clock(None) == "–"


def test_french_texts_use_french_punctuation():
    for key, text in i18n.STRINGS["fr"].items():
        assert "'" not in text, key  # typographic apostrophe
        for mark in (";", "?", "!"):
            if mark in text:
                assert f"\u202f{mark}" in text, key
        if ":" in text:
            assert "\u00a0:" in text, key
    assert set(i18n.STRINGS["fr"]) == set(i18n.STRINGS["en"])


def test_names_joined_and_roles():
    assert i18n.join_names(["Ana", "Bob", "Chloé"], "fr") == "Ana, Bob et Chloé"
    assert i18n.join_names(["Ana", "Bob"], "en") == "Ana and Bob"
    assert i18n.role("animateur", "en") == "facilitator" and i18n.role("animateur", "fr") == "animateur"
    assert i18n.rule("client_in_consultation", "fr") == "le client a parlé pendant la consultation"
    assert i18n.rule("new_rule", "fr") == "new_rule"
