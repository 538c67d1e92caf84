"""Typed input: a refused line says why, the end of piped input says what happens next,
and q asks for confirmation (an ended session cannot be continued)."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timekeeper.commands import Command, CommandKind as K
from timekeeper.journal import read_journal
from timekeeper.keyboard import KeyboardReader, Refused, parse_line

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("line,why", [
    ("bogus", '"bogus" is not a command (next, previous, goto N'),
    ("extend -3", '"extend" needs a number of minutes from 1 to 60'),
    ("extend 0", '"extend" needs a number of minutes from 1 to 60'),
    ("shorten 99", '"shorten" needs a number of minutes from 1 to 60'),
    ("next 5", '"next 5" takes no number'),
    ("goto", "goto needs a phase number"),
    ("goto three", "goto needs a phase number"),
])
def test_a_line_that_is_not_a_command_is_refused_with_a_reason(line, why):
    with pytest.raises(Refused) as refused:
        parse_line(line, "en")
    assert why in str(refused.value)


def test_lines_that_are_commands():
    assert [parse_line(x) for x in ("next", "goto 3", "extend", "add 2", "time left", "time_left", "quit", "")] == [
        Command(K.NEXT), Command(K.GOTO, 3), Command(K.EXTEND, 1), Command(K.EXTEND, 2),
        Command(K.TIME_LEFT), Command(K.TIME_LEFT), Command(K.END), None]


def test_refusals_are_in_the_session_language():
    with pytest.raises(Refused) as refused:
        parse_line("bogus", "fr")
    assert "« bogus » n'est pas une commande" in str(refused.value)


class FakeTime:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_q_ends_only_when_pressed_again_within_3_seconds():
    notes: list[str] = []
    now = FakeTime()
    reader = KeyboardReader(io.StringIO(""), notify=notes.append, clock=now)
    reader.close()
    notes.clear()
    assert reader.key("q") is None
    assert notes == ["Press q again within 3 seconds to end the session."]
    now.t += 4.0
    assert reader.key("q") is None  # too late: asks again
    now.t += 2.0
    assert reader.key("q") == Command(K.END)
    assert reader.key("q") is None  # a fresh q starts over
    assert reader.key("n") == Command(K.NEXT)
    now.t += 1.0
    assert reader.key("q") is None  # another key in between cancels the first q


def run(args, env=None):
    return subprocess.Popen([sys.executable, "-m", "timekeeper", "run", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_piped_session_says_why_lines_are_refused(tmp_path):
    proc = run(["--no-tts", "--lang", "en", "--no-report", "--session-dir", str(tmp_path / "s")])
    out, err = proc.communicate("bogus\nextend -3\nnext 5\nnext\nend\n", timeout=60)
    assert proc.returncode == 0, err
    assert 'line 1 refused: "bogus" is not a command' in err
    assert 'line 2 refused: "extend" needs a number of minutes' in err
    assert 'line 3 refused: "next 5" takes no number' in err
    started = [e.phase_id for e in read_journal(tmp_path / "s").events if e.type == "PhaseStarted"]
    assert len(started) == 2  # only "next" moved the clock


def test_after_the_end_of_piped_input_the_clock_keeps_running_and_says_how_to_end(tmp_path):
    proc = run(["--no-tts", "--lang", "fr", "--no-report", "--session-dir", str(tmp_path / "s")])
    proc.stdin.write("next\n")
    proc.stdin.close()
    time.sleep(4.0)
    assert proc.poll() is None  # still running
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    err = proc.stderr.read()
    assert "fin de l'entrée ; le chrono continue" in err
    assert "Ctrl+C" in err and f"--resume {tmp_path / 's'}" in err
