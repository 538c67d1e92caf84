"""What the facilitator can ask for, whatever the input (voice, keyboard, test)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class CommandKind(str, Enum):
    NEXT = "next"  # next phase (or start the first one)
    PREVIOUS = "previous"  # back to the previous phase
    GOTO = "goto"  # go to phase number ``arg`` (1-based, as on the agenda)
    PAUSE = "pause"
    RESUME = "resume"
    TIME_LEFT = "time_left"  # say how much time is left
    EXTEND = "extend"  # add ``arg`` minutes to the current phase
    SHORTEN = "shorten"  # remove ``arg`` minutes from the current phase
    REPEAT = "repeat"  # repeat the last announcement
    END = "end"  # end the session (asks for a confirmation first)
    UNDO = "undo"  # revert the last command that changed the clock


@dataclass(frozen=True)
class Command:
    kind: CommandKind
    arg: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", CommandKind(self.kind))

    def __str__(self) -> str:
        return self.kind.value if self.arg is None else f"{self.kind.value} {self.arg}"

    @classmethod
    def parse(cls, text: str) -> "Command":
        """A typed command, as ``str(command)`` writes it or a person types it: "next",
        "goto 3", "extend 2", "extend" (one minute), "time-left", "prev", "quit"...
        The one text-to-command parser (keys, the pipe, scripts and tests); ValueError
        names the fix."""
        words = text.strip().lower().replace("-", "_").split()
        if not words:
            raise ValueError("empty command: write one of " + ", ".join(k.value for k in CommandKind))
        try:
            kind = CommandKind(ALIASES.get(words[0], words[0]))
        except ValueError:
            raise ValueError(f"unknown command {text.strip()!r}: use one of "
                             f"{', '.join(k.value for k in CommandKind)} (with a number for goto/extend/shorten)") from None
        if len(words) > 2 or (len(words) == 2 and not words[1].isdigit()):
            raise ValueError(f"command {text.strip()!r}: write '{kind.value}' or '{kind.value} N'")
        arg = int(words[1]) if len(words) == 2 else None
        if arg is not None and kind not in (CommandKind.GOTO, CommandKind.EXTEND, CommandKind.SHORTEN):
            raise ValueError(f"command {text.strip()!r} takes no number: write '{kind.value}'")
        if kind in (CommandKind.EXTEND, CommandKind.SHORTEN) and arg is None:
            arg = 1
        if kind is CommandKind.GOTO and arg is None:
            raise ValueError(f"command {text.strip()!r} needs the phase number, e.g. 'goto 3'")
        return cls(kind, arg)


# Other words people type for a command.
ALIASES = {"prev": "previous", "back": "previous", "time": "time_left", "left": "time_left", "add": "extend",
           "remove": "shorten", "stop": "end", "quit": "end"}
