"""The short exchanges around voice commands, kept apart from the clock: the confirmation
"end the session" needs, and "sorry?" when the wake phrase was clearly heard but the command
was refused. Pure: times in, events out (the pipeline journals and says them).

- A spoken END is not obeyed at once: ``ConfirmationAsked`` ("End the session? Say yes, or
  press q."), then a spoken yes or the key (an END from the keyboard or a script) within
  ``confirm_s`` ends the session (``ConfirmationAnswered`` "yes" / "key"); "no" or silence
  keeps it going ("no" / "timeout"). A question still open when a session is resumed is
  forgotten: the session goes on.
- A refused command whose wake phrase was clearly said gets ``CommandUnclear``, spoken as
  "sorry?" at most once every ``sorry_every_s`` (journaled with ``spoken`` false otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from timekeeper.commands import Command, CommandKind
from timekeeper.events import CommandUnclear, ConfirmationAnswered, ConfirmationAsked, Event


@dataclass
class Dialog:
    confirm_s: float = 6.0  # 0: a spoken "end the session" ends at once
    sorry: bool = False  # off by default (see [listen] sorry in config.py)
    sorry_every_s: float = 20.0
    until_s: float | None = None  # an open question waits until then
    _said_sorry_at: float | None = None

    @property
    def asking(self) -> bool:
        return self.until_s is not None

    def before(self, command: Command, source: str, now: float) -> tuple[list[Event], bool]:
        """(events to journal first, apply the command?) for a command about to be applied."""
        if command.kind is not CommandKind.END:
            return [], True
        if self.until_s is not None:  # the key (or "end the session" again) answers the question
            self.until_s = None
            return [ConfirmationAnswered(now, "end", "yes" if source == "voice" else "key")], True
        if source != "voice" or self.confirm_s <= 0:
            return [], True
        self.until_s = round(now + self.confirm_s, 3)
        return [ConfirmationAsked(now, "end", self.until_s)], False

    def answer(self, answer: str, now: float) -> tuple[list[Event], Command | None]:
        """A spoken yes / no: (events, the command to apply now or None)."""
        if self.until_s is None:
            return [], None
        self.until_s = None
        event = ConfirmationAnswered(now, "end", answer)
        return [event], Command(CommandKind.END) if answer == "yes" else None

    def expire(self, now: float) -> list[Event]:
        """The question's time is over: the session goes on."""
        if self.until_s is None or now <= self.until_s:
            return []
        self.until_s = None
        return [ConfirmationAnswered(now, "end", "timeout")]

    def unclear(self, text: str, reason: str, now: float) -> list[Event]:
        """A refused command whose wake phrase was clearly said."""
        if not self.sorry:
            return []
        spoken = self._said_sorry_at is None or now - self._said_sorry_at >= self.sorry_every_s
        if spoken:
            self._said_sorry_at = now
        return [CommandUnclear(now, text, reason, spoken)]
