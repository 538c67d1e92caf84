"""The command phrases are far apart: no two phrases for different commands differ by a short word.

English is measured acoustically with the built-in engine (every phrase spoken by four espeak-ng
voices, decoded against all the others); French phonetically on espeak-ng's French phonemes, as no
French model exists here. `python bench/bench_phrases.py` prints the same tables."""

from __future__ import annotations

import shutil

import pytest

from timekeeper.asr.phrases import CANONICAL, TEMPLATES
from timekeeper.commands import CommandKind

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


@pytest.fixture(scope="module")
def english_rows():
    pytest.importorskip("pocketsphinx")
    from testkit.confusability import acoustic_table

    return acoustic_table("en")


def test_english_phrases_of_different_commands_never_close(english_rows):
    from testkit.confusability import MIN_MARGIN, pair_figures

    decoded = [r for r in english_rows if r.decoded]
    assert len(decoded) >= 0.95 * len(english_rows)  # the voices are understood at all
    figures = pair_figures(english_rows)
    close = [f for f in figures if not f.same_kind and (f.confused or f.min_margin < MIN_MARGIN)]
    assert close == [], "\n".join(f"{f.a!r} -> {f.b!r} ({f.b_command}): {f.min_margin:.3f}" for f in close)
    # decoded against the product's whole grammar, at most 1 % of the renders are taken for another
    # kind of command (the target for wrong commands). Measured: 1 of 172, "next phase" by
    # en-029+f4 heard as "add eight minute" (the run-time margin check is what refuses it).
    wrong = [r for r in english_rows if r.heard is not None and r.heard.kind is not r.unit.command.kind]
    assert len(wrong) <= 0.01 * len(english_rows), "\n".join(f"{r.unit.body!r} by {r.voice} -> {r.heard}" for r in wrong)
    # and every phrase is decoded right by at least half of the voices (a phrase too short to be
    # heard, like "undo" alone, would fail here)
    weak = [f for f in figures if 2 * f.decoded < f.voices]
    assert weak == [], [(f.a, f.decoded) for f in weak]


def test_english_numbers_confused_only_where_known(english_rows):
    from testkit.confusability import KNOWN_NUMBER_CONFUSIONS, pair_figures

    numbers = [f for f in pair_figures(english_rows) if f.same_kind and f.confused]
    new = [f for f in numbers if frozenset({f.a_command.arg, f.b_command.arg}) not in KNOWN_NUMBER_CONFUSIONS]
    assert new == [], "\n".join(f"{f.a!r} -> {f.b!r}: {f.min_margin:.3f}" for f in new)
    assert all(f.confused <= 1 for f in numbers)  # never by more than one voice of four


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_phonetically_close_pair(lang):
    from testkit.confusability import phonetic_pairs

    close = [p for p in phonetic_pairs(lang) if p.a.command.kind is not p.b.command.kind and p.close]
    assert close == [], "\n".join(map(str, close))


def test_the_phonetic_measure_flags_the_pairs_that_were_dropped():
    from testkit.confusability import MAX_PHONEME_EDITS, MAX_PHONETIC_RATIO, edit_distance, phonemes

    def close(a: str, b: str, lang: str) -> bool:
        pa, pb = phonemes(a, lang), phonemes(b, lang)
        d = edit_distance(pa, pb)
        return d <= MAX_PHONEME_EDITS and d / max(len(pa), len(pb)) <= MAX_PHONETIC_RATIO

    assert close("stop the clock", "start the clock", "en")
    assert close("add two minutes", "remove two minutes", "en")
    assert close("go to phase three", "go to phase zero", "en")
    assert close("ajoute deux minutes", "enlève deux minutes", "fr")
    assert not close("next phase", "previous phase", "en")


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_every_command_has_a_phrase(lang):
    assert {k for _, k in TEMPLATES[lang]} == set(CommandKind)
    assert set(CANONICAL[lang]) == set(CommandKind)
