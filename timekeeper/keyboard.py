"""Keyboard control, which works with or without voice control.

In a terminal, single keys (no Enter): space pause/resume, n next, p previous,
+ / - one minute more or less, t time left, r repeat, q twice end, 0-9 go to phase.
From a pipe (no terminal), one command per line: "next", "pause", "goto 3",
"extend 2"... so sessions can be scripted; any other line is refused, saying why.
"""

from __future__ import annotations

import os
import queue
import select
import sys
import threading
import time
from typing import TextIO

from timekeeper.commands import ALIASES, Command, CommandKind

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


class Refused(ValueError):
    """A typed line that is not a command; ``str()`` says why, in the session's language."""


PIPE_COMMANDS = "next, previous, goto N, pause, resume, time_left, extend N, shorten N, repeat, end"


def parse_line(line: str, lang: str = "en") -> Command | None:
    """A typed command (``Command.parse``: "next", "pause", "goto 3", "extend 2"...); None
    for an empty line; raises ``Refused`` naming the fix in the session's language."""
    from timekeeper.i18n import msg
    from timekeeper.session import MAX_ADJUST_MIN

    text = line.strip()
    if not text:
        return None
    if text.lower().startswith("time left"):
        text = "time_left" + text[len("time left"):]
    try:
        command = Command.parse(text)
    except ValueError:
        words = text.lower().replace("-", "_").split()
        kind = ALIASES.get(words[0], words[0])
        if kind not in {k.value for k in CommandKind}:
            raise Refused(msg(lang, "cli.not_a_command", word=text, commands=PIPE_COMMANDS)) from None
        if kind == CommandKind.GOTO.value:
            raise Refused(msg(lang, "cli.needs_phase")) from None
        if kind in (CommandKind.EXTEND.value, CommandKind.SHORTEN.value):
            raise Refused(msg(lang, "cli.needs_minutes", word=words[0], max=MAX_ADJUST_MIN)) from None
        raise Refused(msg(lang, "cli.no_number", word=text)) from None
    if command.kind in (CommandKind.EXTEND, CommandKind.SHORTEN) and not 0 < (command.arg or 0) <= MAX_ADJUST_MIN:
        raise Refused(msg(lang, "cli.needs_minutes", word=text.split()[0].lower(), max=MAX_ADJUST_MIN))
    return command


def line_command(line: str) -> Command | None:
    """``parse_line`` without the reason: None for anything that is not a command."""
    try:
        return parse_line(line)
    except Refused:
        return None


CONFIRM_S = 3.0  # q ends the session only if pressed again within this time


class KeyboardReader:
    """Reads keys (terminal) or lines (pipe) in a thread; ``poll()`` returns what came.

    ``notify(text)`` receives what the person typing should read: why a line was refused,
    "press q again to end", and that the clock keeps running after the end of piped input."""

    def __init__(self, stream: TextIO | None = None, *, is_paused=lambda: False, lang: str = "en",
                 notify=None, session_dir=None, clock=time.monotonic) -> None:
        self.stream = stream or sys.stdin
        self.is_paused = is_paused
        self.lang = lang
        self.notify = notify or (lambda text: print(text, file=sys.stderr))
        self.session_dir = session_dir
        self.clock = clock
        self.closed = threading.Event()
        self._queue: queue.Queue[Command] = queue.Queue()
        self._tty = self.stream.isatty()
        self._saved = None
        self._q_at: float | None = None
        self._lines = 0
        if self._tty:
            import termios
            import tty

            fd = self.stream.fileno()
            self._saved = termios.tcgetattr(fd)
            tty.setcbreak(fd)
        self._thread = threading.Thread(target=self._run, name="keyboard", daemon=True)
        self._thread.start()

    def key(self, key: str) -> Command | None:
        """One key press; q must be pressed twice within ``CONFIRM_S`` (an ended session
        cannot be continued)."""
        from timekeeper.i18n import msg

        command = key_command(key, self.is_paused())
        if command is None or command.kind is not CommandKind.END:
            self._q_at = None
            return command
        now = self.clock()
        if self._q_at is not None and now - self._q_at <= CONFIRM_S:
            self._q_at = None
            return command
        self._q_at = now
        self.notify(msg(self.lang, "cli.confirm_end"))
        return None

    def line(self, line: str) -> Command | None:
        """One line from a pipe; a line that is not a command is refused, saying why."""
        from timekeeper.i18n import msg

        self._lines += 1
        try:
            return parse_line(line, self.lang)
        except Refused as why:
            self.notify(msg(self.lang, "cli.line_refused", n=self._lines, why=why))
            return None

    def _run(self) -> None:
        from timekeeper.i18n import msg

        while not self.closed.is_set():
            if self._tty:
                ready, _, _ = select.select([self.stream], [], [], 0.2)
                if not ready:
                    continue
                command = self.key(os.read(self.stream.fileno(), 1).decode(errors="ignore"))
            else:
                line = self.stream.readline()
                if not line:
                    self.closed.set()  # end of input: the session goes on (by voice, or until Ctrl+C)
                    self.notify(msg(self.lang, "cli.end_of_input", path=self.session_dir or "SESSION_DIR"))
                    return
                command = self.line(line)
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
