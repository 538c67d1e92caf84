"""What the timekeeper says, in which voice, and when it is speaking."""

from __future__ import annotations

import string

import pytest

from timekeeper.announce import PrintAnnouncer, RecordingAnnouncer, TtsAnnouncer, estimate_speech_s
from timekeeper.announce.announcer import wav_duration_s
from timekeeper.clock import ManualClock
from timekeeper.i18n import MESSAGES, duration


def test_every_catalogue_has_every_key_with_the_same_fields():
    keys = set(MESSAGES["en"])
    for lang, catalogue in MESSAGES.items():
        assert set(catalogue) == keys, f"{lang} catalogue differs"
        for key in keys:
            fields_here = {f for _, f, _, _ in string.Formatter().parse(catalogue[key]) if f}
            fields_en = {f for _, f, _, _ in string.Formatter().parse(MESSAGES["en"][key]) if f}
            assert fields_here == fields_en, (lang, key)


@pytest.mark.parametrize("seconds,fr,en", [
    (12, "10 secondes", "10 seconds"), (30, "30 secondes", "30 seconds"),
    (60, "une minute", "one minute"), (95, "une minute 30", "one minute 30"),
    (300, "5 minutes", "5 minutes"), (890, "15 minutes", "15 minutes"),
    (3600, "1 heure", "1 hour"), (5530, "1 heure 32", "1 hour 32"), (7200, "2 heures", "2 hours"),
])
def test_durations_as_people_say_them(seconds, fr, en):
    assert duration(seconds, "fr") == fr and duration(seconds, "en") == en


def test_speaking_windows_queue_up_and_cover_the_echo_tail():
    clock = ManualClock(100.0)
    a = RecordingAnnouncer(clock, "en", tail_s=0.5)
    s1, e1 = a.say("Phase two: clarifying questions. Fifteen minutes.")
    s2, e2 = a.say("One minute left.")
    assert s1 == 100.0 and s2 == e1 and e2 > s2  # the second waits for the first
    assert a.overlaps(e2 + 0.4, e2 + 2)  # inside the tail
    assert not a.overlaps(e2 + 0.6, e2 + 2)
    assert not a.overlaps(90, 99.9)
    assert a.said == [(100.0, "Phase two: clarifying questions. Fifteen minutes."), (100.0, "One minute left.")]
    assert a.repeat() is not None and a.said[-1][1] == "One minute left."


def test_print_announcer_stamps_the_session_time(capsys):
    clock = ManualClock(125.0)
    PrintAnnouncer(clock, "fr").say("Il reste une minute.")
    assert capsys.readouterr().out == "[02:05] Il reste une minute.\n"


@pytest.mark.parametrize("lang,voice,text", [
    ("fr", "roa/fr", "Phase deux : clarification. Quinze minutes."),
    ("en", "gmw/en", "Phase two: clarifying questions. Fifteen minutes."),
])
def test_tts_worker_uses_the_language_voice_and_reports_real_timing(tmp_path, lang, voice, text):
    clock = ManualClock(10.0)
    a = TtsAnnouncer(clock, lang, out_dir=tmp_path)
    assert a.failed is None, a.failed
    assert a.voice == voice
    start, _ = a.say(text)
    a.close()
    assert len(a.files) == 1 and a.files[0].stat().st_size > 10_000
    real = wav_duration_s(a.files[0])
    assert abs(real - estimate_speech_s(text)) < 0.35 * real  # the estimate used for replays holds
    # the speaking window was corrected to the real length of the speech
    assert a.overlaps(start + real - 0.1, start + real - 0.05)
    assert not a.overlaps(start + real + a.tail_s + 0.05, start + real + 1)


def test_tts_voice_is_really_french():
    """The announcer's espeak-ng voices speak the session's language."""
    import subprocess

    for lang, voice in (("fr", "roa/fr"), ("en", "gmw/en")):
        listed = subprocess.run(["espeak-ng", f"--voices={lang}"], capture_output=True, text=True).stdout
        assert any(line.split()[4:5] == [voice] for line in listed.splitlines()[1:]), (lang, listed)


def test_unknown_voice_falls_back_to_printing(capsys):
    clock = ManualClock()
    fallback = PrintAnnouncer(clock, "fr")
    a = TtsAnnouncer(clock, "fr", voice="xx/none", fallback=fallback)
    assert a.failed is not None
    a.say("Chrono en pause.")
    a.close()
    assert "Chrono en pause." in capsys.readouterr().out
