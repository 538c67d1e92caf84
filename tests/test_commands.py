"""One text-to-command parser for keys, the pipe, scripts and tests."""

from __future__ import annotations

import pytest

from timekeeper.commands import Command, CommandKind as K
from timekeeper.keyboard import key_command, line_command


@pytest.mark.parametrize("text,command", [
    ("next", Command(K.NEXT)), ("prev", Command(K.PREVIOUS)), ("goto 3", Command(K.GOTO, 3)),
    ("goto 0", Command(K.GOTO, 0)), ("extend", Command(K.EXTEND, 1)), ("add 2", Command(K.EXTEND, 2)),
    ("time-left", Command(K.TIME_LEFT)), ("  Quit ", Command(K.END)), ("shorten 4", Command(K.SHORTEN, 4)),
])
def test_typed_commands(text, command):
    assert Command.parse(text) == command == line_command(text)


def test_every_command_reads_back_what_it_writes():
    for command in [Command(k) for k in K if k not in (K.GOTO, K.EXTEND, K.SHORTEN)] + [
            Command(K.GOTO, 2), Command(K.EXTEND, 3), Command(K.SHORTEN, 1)]:
        assert Command.parse(str(command)) == command


@pytest.mark.parametrize("text,fix", [
    ("louder", "unknown command 'louder': use one of next, previous"), ("goto", "needs the phase number"),
    ("pause 3", "takes no number"), ("extend two", "write 'extend' or 'extend N'"), ("", "empty command"),
])
def test_what_is_not_a_command_says_how_to_write_it(text, fix):
    with pytest.raises(ValueError, match=fix):
        Command.parse(text)
    assert line_command(text) is None  # the pipe ignores it


def test_keys_are_commands_too():
    assert key_command("n", paused=False) == Command(K.NEXT)
    assert key_command("+", paused=False) == Command(K.EXTEND, 1)
    assert key_command("4", paused=False) == Command(K.GOTO, 4)
    assert key_command(" ", paused=True) == Command(K.RESUME)
    assert key_command("x", paused=False) is None
