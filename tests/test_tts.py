"""Text-to-speech that fails is noticed: the sentence is printed, a busy sound card is
named, a hung engine does not hold the exit."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from timekeeper.announce import PrintAnnouncer, TtsAnnouncer
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
