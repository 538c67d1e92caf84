"""Keyboard control, which works with or without voice control.

In a terminal, single keys (no Enter): space pause/resume, n next, p previous,
+ / - one minute more or less, t time left, r repeat, q end, 0-9 go to phase.
From a pipe (no terminal), one command per line: "next", "pause", "goto 3",
"extend 2"... so sessions can be scripted.
"""

from __future__ import annotations

import os
import queue
import select
import sys
import threading
from typing import TextIO

from timekeeper.commands import Command, CommandKind

KEYS = {"n": "next", "p": "previous", "+": "extend 1", "=": "extend 1", "-": "shorten 1", "t": "time_left",
        "r": "repeat", "q": "end"}


def key_command(key: str, paused: bool) -> Command | None:
    """The command for one key press (space toggles pause, a digit goes to that phase)."""
    if key == " ":
        return Command(CommandKind.RESUME if paused else CommandKind.PAUSE)
    if key.isdigit():
        return Command.parse(f"goto {key}")
    text = KEYS.get(key.lower())
    return Command.parse(text) if text else None


def line_command(line: str) -> Command | None:
    """A typed command: "next", "pause", "goto 3", "extend 2", "time_left"... (None: not one)."""
    try:
        return Command.parse(line)
    except ValueError:
        return None


class KeyboardReader:
    """Reads keys (terminal) or lines (pipe) in a thread; ``poll()`` returns what came."""

    def __init__(self, stream: TextIO | None = None, *, is_paused=lambda: False) -> None:
        self.stream = stream or sys.stdin
        self.is_paused = is_paused
        self.closed = threading.Event()
        self._queue: queue.Queue[Command] = queue.Queue()
        self._tty = self.stream.isatty()
        self._saved = None
        if self._tty:
            import termios
            import tty

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        self._thread = threading.Thread(target=self._run, name="keyboard", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self.closed.is_set():
            if self._tty:
                ready, _, _ = select.select([self.stream], [], [], 0.2)
                if not ready:
                    continue
                key = os.read(self.stream.fileno(), 1).decode(errors="ignore")
                command = key_command(key, self.is_paused())
            else:
                line = self.stream.readline()
                if not line:
                    self.closed.set()  # end of input: the session goes on by voice
                    return
                command = line_command(line)
            if command is not None:
                self._queue.put(command)

    def poll(self) -> list[Command]:
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out

    def wait(self, timeout_s: float) -> list[Command]:
        try:
            first = self._queue.get(timeout=timeout_s)
        except queue.Empty:
            return []
        return [first] + self.poll()

    def close(self) -> None:
        self.closed.set()
        if self._saved is not None:
            import termios

            termios.tcsetattr(self.stream.fileno(), termios.TCSADRAIN, self._saved)
            self._saved = None
