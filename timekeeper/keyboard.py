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

KEYS = {
    "n": Command(CommandKind.NEXT),
    "p": Command(CommandKind.PREVIOUS),
    "+": Command(CommandKind.EXTEND, 1),
    "=": Command(CommandKind.EXTEND, 1),
    "-": Command(CommandKind.SHORTEN, 1),
    "t": Command(CommandKind.TIME_LEFT),
    "r": Command(CommandKind.REPEAT),
    "q": Command(CommandKind.END),
}


def key_command(key: str, paused: bool) -> Command | None:
    """The command for one key press (space toggles pause)."""
    if key == " ":
        return Command(CommandKind.RESUME if paused else CommandKind.PAUSE)
    if key.isdigit():
        return Command(CommandKind.GOTO, int(key))
    return KEYS.get(key.lower())


def line_command(line: str) -> Command | None:
    """A typed command: "next", "pause", "goto 3", "extend 2", "time_left"..."""
    words = line.strip().lower().replace("-", "_").split()
    if not words:
        return None
    aliases = {"previous": "previous", "prev": "previous", "back": "previous", "time": "time_left",
               "left": "time_left", "add": "extend", "remove": "shorten", "stop": "end", "quit": "end"}
    name = aliases.get(words[0], words[0])
    try:
        kind = CommandKind(name)
    except ValueError:
        return None
    arg = None
    if len(words) > 1:
        try:
            arg = int(words[1])
        except ValueError:
            return None
    if kind in (CommandKind.EXTEND, CommandKind.SHORTEN) and arg is None:
        arg = 1
    if kind is CommandKind.GOTO and arg is None:
        return None
    return Command(kind, arg)


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
