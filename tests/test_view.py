"""The live view as the room sees it: it ticks from the clock, reads across the room,
and shows what a person says."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time

import pytest
from rich.console import Console

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.clock import ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.journal import JournalWriter
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session
from timekeeper.view import (
    LiveView, big_digits, large_digits, large_size, phase_clock, render, snapshot, use_large,
)


def live_pipeline(tmp_path, *, width=100, height=24, layout="compact", lang="en"):
    clock = ManualClock()
    console = Console(file=io.StringIO(), record=True, width=width, height=height, force_terminal=True,
                      color_system="standard")
    view = LiveView(console, layout=layout, min_interval_s=0.0)
    agenda = PRESETS["codev-60"]
    p = Pipeline(Session(agenda.plans(lang)), JournalWriter(tmp_path, sync=False),
                 RecordingAnnouncer(clock, lang), clock, lang=lang, view=view)
    p.start(agenda, Settings(lang=lang))
    return p, clock, view


def screen(view: LiveView) -> str:
    """What the view drew since the last look (the latest frame is last)."""
    return view.console.export_text(clear=True)


def test_the_clock_ticks_with_no_event(tmp_path):
    p, clock, view = live_pipeline(tmp_path)
    first = screen(view)
    assert all(row in first for row in big_digits("05:00"))
    for t in (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0):  # the loop's ticks, nothing happens
        clock.set(t)
        p.tick()
    later = screen(view)
    assert all(row in later for row in big_digits("04:58"))
    assert "Session 00:02 / 1:00:00" in later
    view.close()


def test_an_overrun_counts_up_in_red(tmp_path):
    p, clock, view = live_pipeline(tmp_path)
    clock.set(5 * 60 + 20.0)  # the presentation is 5 minutes
    p.tick()
    screen(view)
    clock.set(5 * 60 + 21.2)
    p.tick()  # no event: the overrun still moves on screen
    text = screen(view)
    assert all(row in text for row in big_digits("+00:21"))
    red = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=100)
    red.print(render(snapshot(p, clock.now())))
    out = red.file.getvalue()
    first_row = big_digits("+00:21")[0]
    assert "\x1b[1;31m" + first_row in out  # bold red
    view.close()


def test_phase_clock_counts_down_then_up():
    assert [phase_clock(x) for x in (300.0, 299.2, 0.4, 0.0, -0.3, -1.0, -83.9)] == [
        "05:00", "05:00", "00:01", "00:00", "+00:00", "+00:01", "+01:23"]


def test_large_layout_fills_a_third_of_the_screen_with_phase_and_next_beneath(tmp_path):
    p, clock, view = live_pipeline(tmp_path, width=120, height=40, layout="auto")
    screen(view)
    clock.set(62.0)
    p.tick()
    lines = screen(view).splitlines()
    assert len(lines) <= 40
    clock_rows = [i for i, line in enumerate(lines) if any(c in line for c in "█▀▄")]
    assert len(clock_rows) >= 40 / 3
    drawn = large_digits("03:58", *large_size("03:58", 116, 18))
    assert [lines[i].strip("│ ") for i in clock_rows] == [row.strip() for row in drawn]
    below = "\n".join(lines[clock_rows[-1]:])
    assert "Phase 1 · Presentation of the issue" in below
    assert "Next: 2 · Clarifying questions (12:00)" in below
    view.close()


def test_large_layout_is_automatic_on_a_big_terminal_only():
    assert use_large("auto", 120, 40) and not use_large("auto", 80, 24)
    assert use_large("large", 80, 24) and not use_large("compact", 200, 60)


def test_the_border_holds_whatever_is_said(tmp_path):
    p, clock, view = live_pipeline(tmp_path, width=90)
    clock.set(3.0)
    p.command(Command(K.TIME_LEFT))
    frame = screen(view).splitlines()
    panel = [line for line in frame if line.startswith("│")]
    assert panel and all(len(line) == 90 and line.endswith("│") for line in panel)
    assert "🔊" not in "".join(frame)
    view.close()


@pytest.mark.parametrize("lang,expected", [
    ("en", 'Command: ✓ "how much time is left"'),
    ("fr", "Commande : ✓ « combien de temps reste-t-il »"),
])
def test_the_panel_shows_what_a_person_says(tmp_path, lang, expected):
    p, clock, view = live_pipeline(tmp_path, lang=lang)
    clock.set(3.0)
    p.command(Command(K.TIME_LEFT))
    text = screen(view)
    assert expected in text and "time_left" not in text
    view.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_in_a_real_terminal_the_time_changes_without_input(tmp_path):
    """tmux capture-pane twice, 2 s apart, no key pressed: the session time moved."""
    sock = f"tk-test-{os.getpid()}"
    cmd = (f"{sys.executable} -m timekeeper run --lang en --no-tts --no-report "
           f"--session-dir {tmp_path / 's'}; sleep 30")
    subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-s", "v", "-x", "100", "-y", "30", cmd],
                   check=True, env={**os.environ, "TERM": "xterm-256color"})
    try:
        def capture() -> str:
            return subprocess.run(["tmux", "-L", sock, "capture-pane", "-p", "-t", "v"],
                                  capture_output=True, text=True, check=True).stdout

        deadline = time.monotonic() + 20
        while "Session 00:0" not in capture() and time.monotonic() < deadline:
            time.sleep(0.2)
        first = capture()
        time.sleep(2.0)
        second = capture()
        stamp = lambda text: [l for l in text.splitlines() if "Session 00:" in l]  # noqa: E731
        assert stamp(first) and stamp(second) and stamp(first) != stamp(second)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)


def test_the_rules_know_someone_is_speaking_before_the_tracker_does(tmp_path):
    """While the voice activity detector is in speech, the rules get an ongoing turn."""
    class Vad:
        in_speech = True

        def accept(self, frame):
            return []

    class Rules:
        seen = []

        def on_tick(self, ctx, now, ongoing=None):
            self.seen.append(ongoing)
            return []

    class Tracker:
        def pending(self):
            return None

    clock = ManualClock()
    agenda = PRESETS["codev-60"]
    rules = Rules()
    p = Pipeline(Session(agenda.plans("en")), JournalWriter(tmp_path, sync=False), RecordingAnnouncer(clock, "en"),
                 clock, lang="en", vad=Vad(), tracker=Tracker(), rules=rules)
    p.start(agenda, Settings(lang="en"))
    clock.set(1.0)
    p.tick()
    assert rules.seen[-1] is not None and rules.seen[-1].speaker == "unknown"
