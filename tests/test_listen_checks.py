"""The false-trigger defence beyond the grammar: no speech outside the decoded phrase.

A grammar-bound decoder explains whatever it cannot fit as silence, so "time keeper next
phase of my project" can come out as "time keeper next phase" + "silence"."""

from __future__ import annotations

import numpy as np
import pytest

from timekeeper.asr.listener import CommandListener, command_speech, speech_outside
from timekeeper.audio.frames import Segment

RATE = 16000


def noisy(seconds: float, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 60, int(seconds * RATE))


def burst(x: np.ndarray, start_s: float, end_s: float, amp: float = 4000.0) -> None:
    t = np.arange(int(start_s * RATE), int(end_s * RATE))
    x[t] += amp * np.sin(2 * np.pi * 220 * t / RATE) * (1 + 0.5 * np.sin(2 * np.pi * 4 * t / RATE))


def test_speech_inside_the_phrase_only():
    x = noisy(2.5)
    burst(x, 0.3, 1.6)
    words = [("<sil>", 0.0, 0.3), ("time", 0.3, 0.7), ("keeper", 0.7, 1.1), ("pause", 1.1, 1.6), ("<sil>", 1.6, 2.5)]
    assert speech_outside(x.astype(np.int16), words) == 0.0


def test_speech_after_or_before_the_phrase_is_measured():
    x = noisy(3.0)
    burst(x, 0.3, 1.6)
    burst(x, 2.0, 2.8)  # "... of my project", decoded as silence
    words = [("time", 0.3, 0.7), ("keeper", 0.7, 1.1), ("pause", 1.1, 1.6)]
    assert speech_outside(x.astype(np.int16), words) == pytest.approx(0.8, abs=0.05)
    y = noisy(3.0)
    burst(y, 0.1, 0.9)  # "I mean," before it
    burst(y, 1.4, 2.6)
    assert speech_outside(y.astype(np.int16), [("next", 1.4, 2.0), ("phase", 2.0, 2.6)]) == pytest.approx(0.75, abs=0.1)


def test_command_words_laid_on_silence_are_refused():
    """"Time keeper" said alone, then silence: the grammar lays "pause" on the silence (or on the
    padding past the segment's end). The share of speech under the command words says so."""
    from timekeeper.asr.checks import DEFAULT_CHECKS

    x = noisy(2.0)
    burst(x, 0.3, 1.0)
    alone = [("time", 0.3, 0.6), ("keeper", 0.6, 1.0), ("pause", 1.3, 2.2)]
    assert command_speech(x.astype(np.int16), alone, 2) == pytest.approx(0.0, abs=0.05)
    burst(x, 1.3, 1.8)
    said = [("time", 0.3, 0.6), ("keeper", 0.6, 1.0), ("pause", 1.3, 1.8)]
    assert command_speech(x.astype(np.int16), said, 2) > 0.8
    burst_free = noisy(2.0)
    burst(burst_free, 0.3, 1.0)
    why = DEFAULT_CHECKS.verdict({"command_speech": command_speech(burst_free.astype(np.int16), alone, 2)})
    assert why is not None and why.startswith("no speech under the command words")
    assert DEFAULT_CHECKS.verdict({"command_speech": 0.9}) is None


def test_no_words_or_no_contrast_measures_nothing():
    assert speech_outside(noisy(2.0).astype(np.int16), [("pause", 0.5, 1.0)]) == 0.0
    assert speech_outside(noisy(2.0).astype(np.int16), [("<sil>", 0.0, 2.0)]) == 0.0


@pytest.fixture(scope="module")
def listener():
    from timekeeper.asr import choose_recognizer

    return CommandListener("en", choose_recognizer("en", engine="builtin", phases=range(7)), phases=range(7))


def spoken(text: str, start_s: float = 10.0) -> Segment:
    from testkit.voices import EspeakVoice

    audio = EspeakVoice("en-us+m3", 45, 160).render(text)
    x = np.concatenate([noisy(0.3), audio * 12000 + noisy(len(audio) / RATE, 1), noisy(0.3, 2)])
    return Segment(start_s, start_s + len(x) / RATE, x.astype(np.int16))


def test_a_command_alone_is_obeyed_and_with_talk_after_it_is_not(listener):
    listener.reset()
    alone = listener.accept(spoken("time keeper, next phase."))
    assert alone is not None and alone.accepted and str(alone.command) == "next", alone
    listener.reset()
    talk = listener.accept(spoken("time keeper, next phase of my project"))
    assert talk is None or not talk.accepted, talk


def test_the_check_alone_refuses_what_the_grammar_squeezed_in():
    """With the phone-loop ratio switched off, the grammar's answer for a sentence that merely
    contains a command is that command, and only the check stops it."""
    from timekeeper.asr.builtin import PocketsphinxRecognizer
    from timekeeper.asr.phrases import expand

    bare = CommandListener("en", PocketsphinxRecognizer(expand("en", phases=range(7)), min_ratio=None),
                           phases=range(7))
    alone = bare.accept(spoken("time keeper, next phase."))
    assert alone.accepted
    for text, heard in [("time keeper, next phase of my project", "time keeper next phase"),
                        ("I mean, go to phase three of the roadmap", "time keeper go to phase three")]:
        bare.reset()
        d = bare.accept(spoken(text))
        assert d.text == heard and not d.accepted and d.reason.startswith("speech around the command"), d


def test_a_command_needs_a_pause_before_it(listener):
    listener.reset()
    talk = spoken("so that is where the project stands today", 0.0)
    listener.accept(talk)
    right_after = spoken("time keeper, next phase.", talk.end_s + 0.3)
    assert listener.accept(right_after) is None  # not even examined
    after_a_pause = spoken("time keeper, next phase.", right_after.end_s + 1.0)
    d = listener.accept(after_a_pause)
    assert d is not None and d.accepted and str(d.command) == "next"
