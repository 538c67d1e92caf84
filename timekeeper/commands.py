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
