"""The recogniser's optional capabilities are part of its typed contract (``timekeeper.contracts``):
the listener uses an engine's free decoding, yes / no answers and "sorry?" judgement exactly when
the engine offers them, and each real engine offers what it says it does."""

from __future__ import annotations

import numpy as np

from timekeeper.asr.builtin import PocketsphinxRecognizer
from timekeeper.asr.listener import CommandListener
from timekeeper.asr.vosk_adapter import VoskRecognizer
from timekeeper.audio.frames import Segment
from timekeeper.commands import CommandKind
from timekeeper.contracts import Answerer, FreeDecoder, Hypothesis, WakeJudge


class Grammar:
    """A grammar-bound engine that hears every utterance as "time keeper next phase"."""

    name, lang = "fake", "en"

    def __init__(self) -> None:
        self.free_calls = 0

    def recognize(self, samples: np.ndarray) -> Hypothesis:
        return Hypothesis("time keeper next phase", engine=self.name)

    def reset(self) -> None: ...

    def close(self) -> None: ...


class GrammarWithFree(Grammar):
    """The same engine that can also decode freely: it hears the utterance was something else."""

    def free_decode(self, samples: np.ndarray) -> str | None:
        self.free_calls += 1
        return "the time we keep for the next face"


def utterance() -> Segment:
    return Segment(10.0, 11.5, np.zeros(24000, dtype=np.int16))


def test_free_decoding_is_used_exactly_when_the_engine_offers_it():
    plain, free = Grammar(), GrammarWithFree()
    assert not isinstance(plain, FreeDecoder)
    assert isinstance(free, FreeDecoder)

    d = CommandListener("en", plain).accept(utterance())
    assert d.accepted and d.command.kind is CommandKind.NEXT

    d = CommandListener("en", free).accept(utterance())
    assert not d.accepted and d.reason.startswith("free decoding disagrees") and free.free_calls == 1


def test_each_engine_offers_the_capabilities_it_claims():
    # vosk: free decoding, answers and the wake judgement; the built-in engine: no free decoding
    assert issubclass(VoskRecognizer, FreeDecoder)
    assert issubclass(VoskRecognizer, Answerer) and issubclass(VoskRecognizer, WakeJudge)
    assert not issubclass(PocketsphinxRecognizer, FreeDecoder)
    assert issubclass(PocketsphinxRecognizer, Answerer) and issubclass(PocketsphinxRecognizer, WakeJudge)
