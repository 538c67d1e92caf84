"""Text-to-speech that fails is noticed: the sentence is printed, a busy sound card is
named, a hung engine does not hold the exit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import types
import wave
from pathlib import Path

import pytest

from timekeeper.announce import PrintAnnouncer, TtsAnnouncer, engines
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
    a, warnings = announcer(tmp_path, capsys, synth=(synth,), play=(play,), engine="espeak-ng")
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
    a, warnings = announcer(tmp_path, capsys, play=(play,), timeout_s=4.0)  # room for espeak-ng under load
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


def samples(path: Path) -> bytes:
    with wave.open(str(path), "rb") as w:
        return w.readframes(w.getnframes())


@pytest.mark.parametrize("lang,voice", [("fr", "roa/fr"), ("en", "gmw/en")])
def test_pyttsx3_writes_the_sentence_in_the_session_voice(tmp_path, lang, voice):
    pytest.importorskip("pyttsx3")
    text = "Phase deux : clarification. Quinze minutes."
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), lang, out_dir=tmp_path, warn=warnings.append)
    a.say(text)
    a.close()
    assert (a.failed, a.engine, warnings) == (None, "pyttsx3", [])
    assert engines.pyttsx3_engine().last_voice == voice  # getProperty('voice') after the sentence
    spoken = samples(a.files[0])
    assert len(spoken) > 50_000
    # the espeak-ng program with the same voice and rate says it just as long
    cli = tmp_path / "cli.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "165", "-w", str(cli), text], check=True)
    assert abs(wav_duration_s(a.files[0]) - wav_duration_s(cli)) < 0.1 * wav_duration_s(cli)
    # and the other language's voice says it differently
    other = {"fr": "gmw/en", "en": "roa/fr"}[lang]
    engines.pyttsx3_engine().synthesise(text, tmp_path / "other.wav", other, 165, 10.0)
    assert engines.pyttsx3_engine().last_voice == other
    assert samples(tmp_path / "other.wav") != spoken
    assert abs(wav_duration_s(tmp_path / "other.wav") - wav_duration_s(a.files[0])) > 0.2


def test_pyttsx3_says_many_sentences_in_a_row_without_hanging(tmp_path):
    pytest.importorskip("pyttsx3")
    play = script(tmp_path, "aplay", f'cp "$1" {tmp_path}/played-$$.wav')  # no sound card here
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "fr", play=(play,), warn=warnings.append, timeout_s=10.0)
    t0 = time.monotonic()
    sentences = [f"Il reste {n} minutes." for n in range(2, 14)]
    for text in sentences:
        a.say(text)
    a.wait(60)
    a.close()
    assert (a.failed, a.engine, warnings) == (None, "pyttsx3", [])
    played = sorted(tmp_path.glob("played-*.wav"))
    assert len(played) == len(sentences) and all(wav_duration_s(p) > 0.8 for p in played)
    assert time.monotonic() - t0 < 30.0


def test_without_pyttsx3_the_espeak_ng_program_speaks_with_one_warning(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # import pyttsx3 fails
    monkeypatch.setattr(engines, "_ENGINE", None)
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "fr", out_dir=tmp_path, warn=warnings.append)
    a.say("Chrono en pause.")
    a.say("Il reste une minute.")
    a.close()
    assert a.failed is None and a.engine == "espeak-ng"
    assert len(warnings) == 1 and warnings[0].startswith("timekeeper : pyttsx3 ne peut pas parler (pyttsx3: ")
    assert len(a.files) == 2 and all(wav_duration_s(p) > 0.5 for p in a.files)


def test_another_rate_than_the_engines_first_goes_to_the_program(tmp_path):
    pytest.importorskip("pyttsx3")
    engine = engines.pyttsx3_engine()
    engine.synthesise("Bonjour.", tmp_path / "first.wav", "roa/fr", 165, 10.0)
    assert engine.rate_wpm == 165  # espeak keeps the rate of the process's first sentence
    warnings: list[str] = []
    a = TtsAnnouncer(ManualClock(), "en", out_dir=tmp_path, rate_wpm=120, warn=warnings.append)
    a.say("Timer paused.")
    a.close()
    assert a.engine == "espeak-ng" and len(a.files) == 1
    assert len(warnings) == 1 and "keeps the rate of its first sentence" in warnings[0]


class HangingEngine:
    """A pyttsx3 engine that says the start-up check, then never returns."""

    def __init__(self):
        self.props, self.topics = {}, {}

    def connect(self, topic, cb):
        self.topics[topic] = cb
        return topic

    def disconnect(self, token):
        pass

    def setProperty(self, name, value):
        self.props[name] = value

    def getProperty(self, name):
        return self.props.get(name)

    def save_to_file(self, text, path):
        self.job = (text, path)

    def runAndWait(self):
        text, path = self.job
        if text != ".":
            time.sleep(3600)
        with wave.open(path, "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
            w.writeframes(b"\0\0" * 2205)
        self.topics["finished-utterance"]()


def test_a_pyttsx3_sentence_that_hangs_is_printed_and_the_program_takes_over(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyttsx3", types.SimpleNamespace(init=HangingEngine))
    monkeypatch.setattr(engines, "_ENGINE", None)
    clock = ManualClock(65.0)
    warnings: list[str] = []
    a = TtsAnnouncer(clock, "en", fallback=PrintAnnouncer(clock, "en"), out_dir=tmp_path,
                     warn=warnings.append, timeout_s=2.0)
    assert a.failed is None and a.engine == "pyttsx3"
    t0 = time.monotonic()
    a.say("Time is up.")
    a.say("Timer paused.")
    a.wait(30)
    a.close()
    assert time.monotonic() - t0 < 10.0
    assert capsys.readouterr().out == "[01:05] Time is up.\n"  # the hung one is printed
    assert len(warnings) == 1 and "did not finish within 2 s; this announcement is printed" in warnings[0]
    assert a.engine == "espeak-ng" and len(a.files) == 1 and wav_duration_s(a.files[0]) > 0.5


class LateEngine(HangingEngine):
    """Like pyttsx3 2.99's espeak driver: runAndWait returns before libespeak-ng's own
    thread has written the file, then "finished-utterance" comes."""

    def runAndWait(self):
        import threading

        text, path = self.job

        def later():
            time.sleep(0.3)
            with wave.open(path, "wb") as w:
                w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050)
                w.writeframes(b"\1\0" * 22050)
            self.topics["finished-utterance"]()

        threading.Thread(target=later, daemon=True).start()


def test_the_file_is_played_once_the_engine_has_finished_writing_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyttsx3", types.SimpleNamespace(init=LateEngine))
    monkeypatch.setattr(engines, "_ENGINE", None)
    a = TtsAnnouncer(ManualClock(), "en", out_dir=tmp_path, warn=pytest.fail)
    a.say("Timer paused.")
    a.close()
    assert a.engine == "pyttsx3" and wav_duration_s(a.files[0]) == 1.0
