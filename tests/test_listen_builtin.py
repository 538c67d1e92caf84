"""The built-in English recogniser: the same audio always gets the same answer, whether the
phone loop runs in the helper process or in-process, and a dead helper costs nothing but time."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from timekeeper.asr.builtin import PocketsphinxRecognizer
from timekeeper.asr.phrases import expand

RATE = 16000
TABLE = expand("en", phases=range(7))


def spoken(text: str, seed: int = 0) -> np.ndarray:
    from testkit.voices import EspeakVoice

    rng = np.random.default_rng(seed)
    audio = EspeakVoice("en+f2", 60, 150).render(text) * 12000
    x = np.concatenate([rng.normal(0, 60, 4800), audio + rng.normal(0, 60, len(audio)), rng.normal(0, 60, 4800)])
    return x.astype(np.int16)


@pytest.fixture(scope="module")
def recognizers():
    helped, alone = PocketsphinxRecognizer(TABLE), PocketsphinxRecognizer(TABLE, parallel=False)
    yield helped, alone
    helped.close()
    alone.close()


def test_helper_process_and_in_process_agree(recognizers):
    helped, alone = recognizers
    assert helped._helper is not None and helped._helper.alive and alone._helper is None
    for text in ["time keeper, next phase.", "time keeper, add two minutes.", "the next phase of my project"]:
        x = spoken(text)
        helped.settle()
        a, b = helped.recognize(x), alone.recognize(x)
        assert (a.text, a.confidence, a.reject) == (b.text, b.confidence, b.reject)
    first = spoken("time keeper, next phase.")
    assert helped.recognize(first).text == "time keeper next phase"


def test_the_answer_does_not_depend_on_what_came_before(recognizers):
    _, alone = recognizers
    x = spoken("time keeper, pause.")
    before = alone.recognize(x)
    alone.recognize(spoken("so the budget for next year is the real question here", 3) * 3)
    after = alone.recognize(x)
    assert (before.text, before.confidence) == (after.text, after.confidence)


def test_a_dead_helper_is_replaced_by_in_process_decoding(caplog):
    rec = PocketsphinxRecognizer(TABLE)
    x = spoken("time keeper, next phase.")
    rec.settle()
    expected = rec.recognize(x)
    rec._helper._proc.kill()
    rec._helper._proc.wait()
    with caplog.at_level(logging.WARNING, logger="timekeeper.asr.builtin"):
        got = rec.recognize(x)
        again = rec.recognize(x)
    assert (got.text, got.confidence) == (expected.text, expected.confidence)
    assert (again.text, again.confidence) == (expected.text, expected.confidence)
    assert not rec._helper.alive
    assert len([r for r in caplog.records if "phone-loop helper" in r.getMessage()]) == 1
    rec.close()
