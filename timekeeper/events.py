"""Every event the pipeline produces, as small frozen dataclasses.

Each event is one line of the session journal: a JSON object with ``type`` (the
class name), ``t_s`` (seconds since the session started, on the session clock) and
the event's own fields. ``to_json`` / ``from_json`` round-trip every type (tested).
The list and meaning of fields is documented in docs/journal.md: other tools read
journals, so fields are only ever added, never renamed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class PhasePlan:
    """One phase of the agenda as recorded at session start."""

    id: str
    name: str
    planned_s: float
    speakers: str  # "client" | "consultants" | "everyone"
    rule: str = ""
    number: int = 0  # what people say in "go to phase three"


@dataclass(frozen=True)
class Participant:
    name: str
    role: str = "consultant"  # "client" | "consultant" | "animateur"


@dataclass(frozen=True)
class Event:
    t_s: float
    TYPES: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        Event.TYPES[cls.__name__] = cls

    @property
    def type(self) -> str:
        return type(self).__name__

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.type}
        d.update(dataclasses.asdict(self))
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return {k: v for k, v in typing.get_type_hints(cls).items() if k != "TYPES"}


def _convert(tp: Any, value: Any) -> Any:
    """Rebuild nested dataclasses and tuples from their JSON form."""
    origin = typing.get_origin(tp)
    if value is None:
        return None
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        hints = _hints(tp)
        return tp(**{k: _convert(hints[k], v) for k, v in value.items() if k in hints})
    if origin is tuple:
        args = typing.get_args(tp)
        inner = args[0] if args else Any
        return tuple(_convert(inner, v) for v in value)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        for arg in typing.get_args(tp):
            if arg is type(None):
                continue
            try:
                return _convert(arg, value)
            except (TypeError, ValueError):
                continue
        return value
    if tp is float and isinstance(value, int):
        return float(value)
    if origin is dict or tp is dict:
        return dict(value)
    return value


def from_dict(d: dict[str, Any]) -> Event:
    d = dict(d)
    name = d.pop("type", None)
    cls = Event.TYPES.get(name or "")
    if cls is None:
        raise ValueError(f"unknown event type {name!r}")
    hints = _hints(cls)
    kwargs = {k: _convert(hints[k], v) for k, v in d.items() if k in hints}
    return cls(**kwargs)


def from_json(line: str) -> Event:
    return from_dict(json.loads(line))


# --- session and clock -------------------------------------------------------


@dataclass(frozen=True)
class SessionStarted(Event):
    agenda_id: str
    agenda_name: str
    lang: str
    phases: tuple[PhasePlan, ...]
    participants: tuple[Participant, ...] = ()
    started_at: str = ""  # ISO 8601 wall time, for humans and reports
    warn_before_s: float = 60.0
    overrun_every_s: float = 120.0
    overrun_max: int = 3
    behind_warn_s: float = 300.0  # ScheduleWarning when a phase starts this late (0: off)
    input: str = ""  # what was listened to: "" (keys only), "mic", "mic:N", or the replayed WAV's path


@dataclass(frozen=True)
class PhaseStarted(Event):
    phase_id: str
    index: int  # 0-based position in the agenda
    name: str
    planned_s: float
    speakers: str
    behind_s: float = 0.0  # how far the whole plan is behind (negative: ahead)
    spent_s: float = 0.0  # running time the phase already had on earlier visits (0: first visit)


@dataclass(frozen=True)
class PhaseEnded(Event):
    phase_id: str
    index: int
    planned_s: float  # including extensions
    actual_s: float  # running time, pauses excluded
    overrun_s: float  # max(0, actual - planned)


@dataclass(frozen=True)
class TimeWarning(Event):
    """``remaining_s`` left in the phase (the configurable margin)."""

    phase_id: str
    remaining_s: float


@dataclass(frozen=True)
class TimeUp(Event):
    phase_id: str
    planned_s: float


@dataclass(frozen=True)
class OverrunReminder(Event):
    phase_id: str
    overrun_s: float
    count: int  # 1, 2, 3...


@dataclass(frozen=True)
class ScheduleWarning(Event):
    """The whole plan is behind: the last phases will be squeezed."""

    behind_s: float
    squeezed: tuple[str, ...] = ()  # ids of phases still to come


@dataclass(frozen=True)
class Paused(Event):
    phase_id: str


@dataclass(frozen=True)
class Resumed(Event):
    phase_id: str
    paused_s: float
    remaining_s: float = 0.0  # left in the phase when resuming


@dataclass(frozen=True)
class TimeAdjusted(Event):
    phase_id: str
    delta_s: float  # + extension, - shortening
    planned_s: float  # the phase's new planned length
    remaining_s: float = 0.0  # left in the phase after the change


@dataclass(frozen=True)
class StatusReported(Event):
    """Answer to "how much time is left?"."""

    phase_id: str | None
    remaining_s: float  # in the phase (negative when overrunning)
    behind_s: float  # whole plan (negative: ahead)
    paused: bool = False


@dataclass(frozen=True)
class CommandRejected(Event):
    command: str
    reason: str  # message key: "at_first_phase", "not_paused", "ended", ...


@dataclass(frozen=True)
class Undone(Event):
    """The last command that changed the clock (``command``, e.g. "next", "extend 2") is
    reverted. The events that revert it (PhaseEnded + PhaseStarted, Paused / Resumed,
    TimeAdjusted) follow in the same batch, so readers that ignore this event stay right;
    ``phase_id``, ``remaining_s`` and ``paused`` say where the clock is once they are applied."""

    command: str
    phase_id: str | None = None
    remaining_s: float = 0.0
    paused: bool = False


@dataclass(frozen=True)
class ConfirmationAsked(Event):
    """``command`` (e.g. "end") waits for a spoken yes or the key until ``until_s``."""

    command: str
    until_s: float


@dataclass(frozen=True)
class ConfirmationAnswered(Event):
    """How the question was answered: ``answer`` is "yes", "no", "key" or "timeout"."""

    command: str
    answer: str


@dataclass(frozen=True)
class SessionEnded(Event):
    elapsed_s: float  # session time (pauses included)
    planned_s: float
    behind_s: float


@dataclass(frozen=True)
class SessionResumed(Event):
    """``timekeeper run --resume`` took the session up again after ``down_s`` seconds."""

    down_s: float = 0.0


# --- listening side ----------------------------------------------------------


@dataclass(frozen=True)
class CommandHeard(Event):
    """An utterance the command path examined. ``accepted`` says if it was obeyed."""

    text: str  # what the recogniser heard
    start_s: float  # audio time of the utterance
    end_s: float
    accepted: bool
    command: str | None = None  # e.g. "next", "extend 2"
    reason: str = ""  # why rejected ("no wake phrase", "not a command", ...)
    source: str = "voice"  # "voice" | "keyboard" | "script"


@dataclass(frozen=True)
class CommandUnclear(Event):
    """The wake phrase was clearly heard but the command was refused (``reason``): the
    timekeeper says "sorry?" so the facilitator repeats, unless it said so less than
    ``[listen] sorry_every_s`` ago (``spoken`` false: journaled only)."""

    text: str
    reason: str
    spoken: bool = True


@dataclass(frozen=True)
class SpeechSegment(Event):
    """Voice activity: speech between start_s and end_s (audio time)."""

    start_s: float
    end_s: float


@dataclass(frozen=True)
class SpeakerTurn(Event):
    """``speaker`` (a participant name, "Voice N", or "unknown") held the floor."""

    speaker: str
    start_s: float
    end_s: float
    phase_id: str | None = None
    score: float = 0.0


@dataclass(frozen=True)
class SpeakerWarning(Event):
    rule: str  # "monologue", "client_in_consultation", "consultant_in_presentation", "dominant", "silent"
    speaker: str
    phase_id: str | None
    value_s: float = 0.0  # the figure that tripped the rule (seconds spoken, ...)
    spoken: bool = False  # announced aloud, or only journaled (rate limit)


@dataclass(frozen=True)
class Announced(Event):
    """The announcer said ``text`` (audio time from start_s to end_s, if known)."""

    text: str
    lang: str
    start_s: float = 0.0
    end_s: float = 0.0


@dataclass(frozen=True)
class DeviceLost(Event):
    device: str


@dataclass(frozen=True)
class DeviceRestored(Event):
    device: str
    lost_s: float


@dataclass(frozen=True)
class VoiceRenamed(Event):
    old: str
    new: str


ALL_EVENT_TYPES: tuple[type[Event], ...] = tuple(Event.TYPES.values())

__all__ = [name for name in list(globals()) if not name.startswith("_")]

