"""Text-to-speech that fails is noticed: the sentence is printed, a busy sound card is
named, a hung engine does not hold the exit; pyttsx3 writes the sentences, and a WAV it
gets wrong (empty, cut, cancelled, at the wrong rate) is said by the espeak-ng program.

Every test hands the announcer its engine: the espeak-ng program (``engine=None``), a
fake pyttsx3 in a fresh ``Pyttsx3Engine`` (deterministic), or, in the tests named
``real_pyttsx3``, the process's real one. None needs a sound card (aplay is a script)."""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import pytest

from timekeeper.announce import PrintAnnouncer, TtsAnnouncer, engines, estimate_speech_s
from timekeeper.announce.announcer import wav_duration_s
from timekeeper.clock import ManualClock

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def announcer(tmp_path, capsys, **kw):
    clock = ManualClock(5.0)
    warnings: list[str] = []
    a = TtsAnnouncer(clock, "en", fallback=PrintAnnouncer(clock, "en"), warn=warnings.append, **kw)
    return a, warnings


def test_a_sentence_the_engine_cannot_say_is_printed(tmp_path, capsys):
    # espeak-ng, except that it fails on one sentence (the last argument is the text)
    synth = script(tmp_path, "espeak", 'for last; do :; done\ncase "$last" in *minute*) echo "espeak-ng: error" >&2; exit 1;; esac\nexec espeak-ng "$@"')
    play = script(tmp_path, "aplay", "exit 0")
    a, warnings = announcer(tmp_path, capsys, synth=(synth,), play=(play,))
    assert a.failed is None
    a.say("Timer paused.")
    a.say("One minute left.")
    a.say("Resuming.")
    a.close()
    out = capsys.readouterr().out
    assert "One minute left." in out and "Resuming." in out and "Timer paused." not in out
    assert len(warnings) == 1 and "speech failed (espeak: espeak-ng: error)" in warnings[0]


def test_a_busy_sound_card_is_named_tried_again_and_announcements_printed(tmp_path, capsys):
    tries = tmp_path / "tries"
    play = script(tmp_path, "aplay", f'echo x >> {tries}\n'
                  'echo "aplay: main:831: audio open error: Device or resource busy" >&2\nexit 1')
    a, warnings = announcer(tmp_path, capsys, play=(play,), retry_s=0.01)
    a.say("Phase 2: Clarifying questions. 12 minutes.")
    a.say("Timer paused.")
    a.close()
    out = capsys.readouterr().out
    assert "Phase 2: Clarifying questions. 12 minutes." in out and "Timer paused." in out
    assert len(warnings) == 1 and "Device or resource busy" in warnings[0]
    assert len(tries.read_text().split()) == 2  # tried once more, then printed


def test_a_hung_engine_is_bounded_at_exit_and_says_so(tmp_path, capsys):
    play = script(tmp_path, "aplay", "exec sleep 60")
    a, warnings = announcer(tmp_path, capsys, play=(play,), timeout_s=60.0, close_timeout_s=1.0)
    a.say("End of the session.")
    time.sleep(0.3)
    t0 = time.monotonic()
    a.close()
    assert time.monotonic() - t0 < 5.0
    assert any("did not finish within 1 s" in w for w in warnings)


def test_a_sentence_that_hangs_is_given_up_and_printed(tmp_path, capsys):
    play = script(tmp_path, "aplay", "exec sleep 60")
    a, warnings = announcer(tmp_path, capsys, play=(play,), timeout_s=8.0)  # room for espeak-ng under load
    assert a.failed is None
    a.say("Time is up.")
    a.wait(30)
    a.close()
    assert "Time is up." in capsys.readouterr().out
    assert "did not finish within" in warnings[0]


def test_the_warning_is_in_the_session_language(tmp_path, capsys):
    play = script(tmp_path, "aplay", 'echo "aplay: main:831: audio open error: Device or resource busy" >&2\nexit 1')
    clock = ManualClock()
    warnings: list[str] = []
    a = TtsAnnouncer(clock, "fr", fallback=PrintAnnouncer(clock, "fr"), warn=warnings.append, play=(play,),
                     retry_s=0.01)
    a.say("Chrono en pause.")
    a.close()
    assert "Chrono en pause." in capsys.readouterr().out
    assert warnings[0].startswith("timekeeper : la synthèse vocale a échoué (aplay: aplay: main:831: audio open "
                                  "error: Device or resource busy)")


def tone(path: Path, words: int, *, cut: bool = False) -> None:
    """What a fake engine writes: 0.15 s of sound per word, then 0.1 s of quiet (the
    sentence's final pause) unless ``cut`` (it then ends in the middle of a sound)."""
    frames = [int(8000 * math.sin(2 * math.pi * 300 * i / 22050)) for i in range(int(0.15 * 22050) * words)]
    if cut:
        frames = frames[:len(frames) // 2 - 17]
    else:
        frames += [0] * int(0.1 * 22050)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
        w.writeframes(struct.pack(f"<{len(frames)}h", *frames))


def wav_words(text: str) -> list[tuple[int, int]]:
    words, at = [], 0
    for word in text.split():
        at = text.index(word, at)
        words.append((at + 1, len(word)))
        at += len(word)
    return words


class FakePyttsx3:
    """pyttsx3's engine as its espeak driver behaves, sentence by sentence: ``plan`` maps
    a text to what goes wrong with it (default "good"). Set ``release`` to free a hang."""

    def __init__(self, plan: dict[str, str] | None = None, default_voice: str = "gmw/en"):
        self.plan = plan or {}
        self.props = {"voice": default_voice, "rate": 200}
        self.topics: dict[object, tuple[str, object]] = {}
        self.release = threading.Event()
        self.job = None

    def connect(self, topic, cb):
        token = object()
        self.topics[token] = (topic, cb)
        return token

    def disconnect(self, token):
        self.topics.pop(token, None)

    def notify(self, topic, **kw):
        for name, cb in list(self.topics.values()):
            if name == topic:
                cb(**kw)

    def setProperty(self, name, value):
        if name == "voice" and self.plan.get("voice") == "ignored":
            return  # pyttsx3 sends the error to nobody and keeps the old voice
        self.props[name] = value

    def getProperty(self, name):
        return self.props[name]

    def save_to_file(self, text, path):
        self.job = (text, path)

    def runAndWait(self):
        if self.job is None:
            return  # the empty loop that makes the driver idle
        (text, path), self.job = self.job, None
        what = self.plan.get(text, "good")
        words = wav_words(text)
        if what == "hang":
            self.release.wait(60)
        if what == "late":  # runAndWait returns before the file is written
            def later():
                time.sleep(0.3)
                self._good(path, words)
            threading.Thread(target=later, daemon=True).start()
            return
        if what == "empty":
            tone(path, 0)
            with wave.open(path, "wb") as w:
                w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
            self.notify("finished-utterance", completed=True)
        elif what == "cut":
            for location, length in words[:len(words) // 2]:
                self.notify("started-word", location=location, length=length)
            tone(path, len(words), cut=True)
            self.notify("finished-utterance", completed=True)
        elif what == "cancelled":
            self.notify("finished-utterance", completed=False)
            self._good(path, words)
        elif what == "rate-kept":  # a cancel put libespeak-ng's saved rate back
            self.props["rate"] = 200
            self._good(path, words)
        else:
            self._good(path, words)

    def _good(self, path, words):
        for location, length in words:
            self.notify("started-word", location=location, length=length)
        tone(path, len(words))
        self.notify("finished-utterance", completed=True)


def fake_engine(plan=None, **kw) -> tuple[engines.Pyttsx3Engine, FakePyttsx3]:
    fake = FakePyttsx3(plan, **kw)
    return engines.Pyttsx3Engine(init=lambda: fake), fake


def test_a_wav_pyttsx3_gets_wrong_is_said_by_the_program_with_one_warning(tmp_path, capsys):
    engine, _ = fake_engine({"One minute left.": "empty", "Time is up.": "cut", "Resuming now.": "cancelled",
                             "Two minutes left.": "rate-kept"})
    clock = ManualClock(5.0)
    warnings: list[str] = []
    a = TtsAnnouncer(clock, "en", fallback=PrintAnnouncer(clock, "en"), out_dir=tmp_path, warn=warnings.append,
                     engine=engine, rate_wpm=150)
    sentences = ["Timer paused.", "One minute left.", "Time is up.", "Resuming now.", "Two minutes left.",
                 "Phase two: clarifying questions."]
    for text in sentences:
        a.say(text)
    a.close()
    assert a.failed is None and a.engine_name == "pyttsx3"
    assert a.made_by == ["pyttsx3", "espeak-ng", "espeak-ng", "espeak-ng", "espeak-ng", "pyttsx3"]
    assert capsys.readouterr().out == ""  # every sentence was said, none only printed
    assert len(warnings) == 1 and warnings[0].startswith(
        "timekeeper: pyttsx3 wrote a bad sound file (pyttsx3 wrote an empty WAV); that announcement")
    # the program's WAVs hold the whole sentence, at the session's rate
    for text, path, by in zip(sentences, a.files, a.made_by):
        if by == "espeak-ng":
            assert abs(wav_duration_s(path) - estimate_speech_s(text, 150)) < 0.35 * wav_duration_s(path)


@pytest.mark.parametrize("what,why", [
    ("cut", "pyttsx3 stopped before the last word (at character 1 of 13)"),
    ("cancelled", "pyttsx3 cancelled the sentence it was writing"),
    ("rate-kept", "pyttsx3 kept the rate 200 words/min instead of 165"),
])
def test_each_way_pyttsx3_gets_a_wav_wrong_is_named(tmp_path, what, why):
    engine, _ = fake_engine({"Timer paused.": what, "One minute.": what})
    a = TtsAnnouncer(ManualClock(), "en", out_dir=tmp_path, warn=lambda m: None, engine=engine)
    with pytest.raises(engines.BadWav, match=why.replace("(", r"\(").replace(")", r"\)")):
        engine.synthesise("Timer paused.", tmp_path / "x.wav", "gmw/en", 165, 10.0)
    a.close()


def test_a_bad_wav_at_start_up_is_no_reason_to_give_pyttsx3_up(tmp_path):
    engine, _ = fake_engine({"1": "empty"})
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "fr", out_dir=tmp_path, warn=warnings.append, engine=engine)
    a.say("Chrono en pause.")
    a.close()
    assert a.failed is None and a.made_by == ["pyttsx3"]
    assert len(warnings) == 1 and warnings[0].startswith("timekeeper : pyttsx3 a écrit un fichier son défectueux")


def test_the_file_is_played_once_the_engine_has_finished_writing_it(tmp_path):
    engine, _ = fake_engine({"Timer paused.": "late"})
    a = TtsAnnouncer(ManualClock(), "en", out_dir=tmp_path, warn=pytest.fail, engine=engine)
    a.say("Timer paused.")
    a.close()
    assert a.made_by == ["pyttsx3"] and wav_duration_s(a.files[0]) == pytest.approx(0.4, abs=0.001)


def test_a_pyttsx3_sentence_that_hangs_is_printed_and_the_program_takes_over(tmp_path, capsys):
    engine, fake = fake_engine({"Time is up.": "hang"})
    clock = ManualClock(65.0)
    warnings: list[str] = []
    try:  # one timeout for both engines: room for the espeak-ng program on a loaded machine
        a = TtsAnnouncer(clock, "en", fallback=PrintAnnouncer(clock, "en"), out_dir=tmp_path,
                         warn=warnings.append, timeout_s=8.0, engine=engine)
        assert a.failed is None and a.engine_name == "pyttsx3"
        t0 = time.monotonic()
        a.say("Time is up.")
        a.say("Timer paused.")
        a.wait(60)
        a.close()
        assert time.monotonic() - t0 < 30.0
    finally:
        fake.release.set()
    assert capsys.readouterr().out == "[01:05] Time is up.\n"  # the hung one is printed
    assert len(warnings) == 1 and "did not finish within 8 s; this announcement is printed" in warnings[0]
    assert a.engine_name == "espeak-ng" and a.made_by == ["espeak-ng"] and wav_duration_s(a.files[0]) > 0.5


def test_without_pyttsx3_the_espeak_ng_program_speaks_with_one_warning(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # import pyttsx3 fails
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "fr", out_dir=tmp_path, warn=warnings.append, engine=engines.Pyttsx3Engine())
    a.say("Chrono en pause.")
    a.say("Il reste une minute.")
    a.close()
    assert a.failed is None and a.engine_name == "espeak-ng" and a.made_by == ["espeak-ng", "espeak-ng"]
    assert len(warnings) == 1 and warnings[0].startswith("timekeeper : pyttsx3 ne peut pas parler (pyttsx3: ")
    assert len(a.files) == 2 and all(wav_duration_s(p) > 0.5 for p in a.files)


def test_a_voice_pyttsx3_does_not_take_goes_to_the_program(tmp_path):
    engine, _ = fake_engine({"voice": "ignored"})  # it keeps speaking English
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "fr", out_dir=tmp_path, warn=warnings.append, engine=engine)
    a.say("Chrono en pause.")
    a.close()
    assert a.failed is None and a.made_by == ["espeak-ng"]
    assert len(warnings) == 1 and "pyttsx3 speaks with the voice 'gmw/en', not 'roa/fr'" in warnings[0]
    # and a voice nobody has: the start-up check fails, the caller says so in one line
    engine, _ = fake_engine({"voice": "ignored"})
    warnings.clear()
    a = TtsAnnouncer(ManualClock(), "fr", voice="xx/none", out_dir=tmp_path, warn=warnings.append, engine=engine)
    a.close()
    assert a.failed is not None and warnings == []


def test_what_makes_a_wav_bad(tmp_path):
    text = "Il reste une minute !"
    assert engines.last_word_at(text) == 14 and engines.last_word_at("!") == 0
    good, cut, empty, junk = (tmp_path / n for n in ("good.wav", "cut.wav", "empty.wav", "junk.wav"))
    tone(good, 4)
    tone(cut, 4, cut=True)
    tone(empty, 0)
    with wave.open(str(empty), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
    junk.write_bytes(b"RIFF")
    assert engines.check_wav(good, text, wav_words(text)) == pytest.approx(0.7, abs=0.001)
    assert engines.check_wav(good, text, []) > 0  # no word events: the other checks still hold
    assert engines.check_wav(cut, text, wav_words(text)) > 0  # it may end on a sound: espeak-ng's own can
    assert engines.check_wav(good, text, wav_words(text)[:3] + [(13, 1)]) > 0  # a position a character early
    for path, words, why in [(good, wav_words(text)[:3], "before the last word"), (cut, wav_words(text)[:2], "last word"),
                             (empty, [], "empty"), (junk, [], "no readable WAV")]:
        with pytest.raises(engines.BadWav, match=why):
            engines.check_wav(path, text, words)


# --- the real pyttsx3 (the process's one engine): correct WAVs, voice and rate ---

def real_engine() -> engines.Pyttsx3Engine:
    pytest.importorskip("pyttsx3")
    return engines.pyttsx3_engine()


def real_wav(engine, text, path, voice, rate) -> None:
    """A WAV from the real engine; a bad one (caught, counted by bench/bench_tts.py) is
    asked again, at most twice, since this test is about what a good one holds."""
    for attempt in range(3):
        try:
            engine.synthesise(text, path, voice, rate, 10.0)
            return
        except engines.BadWav:
            if attempt == 2:
                raise


@pytest.mark.parametrize("voice", ["roa/fr", "gmw/en"])
def test_real_pyttsx3_says_the_sentence_in_the_voice_and_rate_asked(tmp_path, voice):
    engine = real_engine()
    text = "Phase deux : clarification. Quinze minutes."
    lengths = {}
    for rate in (120, 220, 165):  # the rate changes from one sentence to the next
        path, cli = tmp_path / f"{rate}.wav", tmp_path / f"{rate}-cli.wav"
        real_wav(engine, text, path, voice, rate)
        assert engine.last_voice == voice  # getProperty('voice') after the sentence
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(cli), text], check=True)
        lengths[rate] = wav_duration_s(path)
        assert abs(lengths[rate] - wav_duration_s(cli)) < 0.1 * wav_duration_s(cli)
    assert lengths[120] > 1.5 * lengths[220]
    other = {"roa/fr": "gmw/en", "gmw/en": "roa/fr"}[voice]
    real_wav(engine, text, tmp_path / "other.wav", other, 165)
    assert engine.last_voice == other
    assert abs(wav_duration_s(tmp_path / "other.wav") - lengths[165]) > 0.2


def test_real_pyttsx3_says_many_sentences_in_a_row_none_silent(tmp_path):
    engine = real_engine()
    play = script(tmp_path, "aplay", f'cp "$1" {tmp_path}/played-$$.wav')  # no sound card here
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "fr", play=(play,), warn=warnings.append, engine=engine)
    t0 = time.monotonic()
    sentences = [f"Il reste {n} minutes." for n in range(2, 14)]
    for text in sentences:
        a.say(text)
    a.wait(60)
    a.close()
    assert a.failed is None and a.engine_name == "pyttsx3" and "pyttsx3" in a.made_by
    assert all("pyttsx3 wrote a bad sound file" in w for w in warnings) and len(warnings) <= 1
    played = sorted(tmp_path.glob("played-*.wav"))
    assert len(played) == len(sentences) and all(wav_duration_s(p) > 0.8 for p in played)
    assert time.monotonic() - t0 < 60.0


def test_a_session_speaks_with_pyttsx3_when_there_is_a_sound_card(monkeypatch):
    from timekeeper.announce import announcer as module

    engine, _ = fake_engine()
    made: list[object] = []
    monkeypatch.setattr(module, "has_sound_output", lambda: True)
    a = module.make_announcer(ManualClock(), "fr", tts=True, warn=pytest.fail,
                              engine=lambda: made.append(engine) or engine)
    a.close()
    assert isinstance(a, TtsAnnouncer) and a.engine is engine and made == [engine] and a.failed is None
    # without a sound card nothing is synthesised: printed, with one line saying why
    monkeypatch.setattr(module, "has_sound_output", lambda: False)
    warnings: list[str] = []
    a = module.make_announcer(ManualClock(), "en", tts=True, warn=warnings.append, engine=pytest.fail)
    assert isinstance(a, PrintAnnouncer) and len(warnings) == 1 and "no sound output found" in warnings[0]
