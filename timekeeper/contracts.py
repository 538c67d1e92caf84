"""What each listening stage promises the next one: the typed contracts of the pipeline.

    Source --frames--> Vad --segments--> Listener --CommandDecision--> Pipeline (commands)
                                    \\-> Tracker --Turns--> Rules --SpeakerWarnings--> Pipeline

A Recognizer is the engine inside the Listener: one whole utterance in, one Hypothesis out.
The pipeline takes any object with these methods (tests hand it fakes), and
``timekeeper.stages.build_stages`` builds the real ones from settings.

Nothing here imports numpy at run time: the phone-loop helper process imports the asr
package and stays light.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from timekeeper.asr.listener import CommandDecision
    from timekeeper.audio.frames import Frame, Segment
    from timekeeper.events import Event, SpeakerWarning
    from timekeeper.session import PhaseContext
    from timekeeper.speakers.identify import Turn


class Word(NamedTuple):
    """One decoded word with its times, relative to the start of the utterance's samples.
    Fillers (``<sil>``, ``[noise]``, ``(NULL)``) may be included."""

    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Hypothesis:
    """A recogniser's final result for one whole utterance.

    ``confidence`` is on the engine's own scale (None: the engine gives none); ``words``
    are the decoded words with times when the engine gives them (empty otherwise);
    ``reject`` is the engine's own reason to refuse the utterance even if its text is a
    command (None: no objection); ``decode_s`` the time spent decoding; ``wake_ratio`` the
    built-in engine's score of the wake phrase alone (None: not computed); ``measures`` what
    the engine's acceptance checks measured (``timekeeper.asr.checks``; None: no checks ran)."""

    text: str
    confidence: float | None = None
    engine: str = ""
    words: tuple[Word, ...] = ()
    reject: str | None = None
    decode_s: float = 0.0
    wake_ratio: float | None = None
    measures: dict[str, float | None] | None = None


class Recognizer(Protocol):
    """Every engine. An engine may also offer the optional capabilities below (``FreeDecoder``,
    ``Answerer``, ``WakeJudge``); the listener asks ``isinstance(recognizer, FreeDecoder)`` etc.
    and does without the check when the engine lacks it."""

    name: str
    lang: str

    def recognize(self, samples: "np.ndarray") -> Hypothesis:
        """Decode one whole utterance (16 kHz mono int16); final result only."""
        ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


@runtime_checkable
class FreeDecoder(Protocol):
    """Optional: the same audio decoded again with the engine's whole vocabulary (no grammar),
    which the listener checks a matched command against (vosk). None: the engine already
    decodes freely, there is nothing to compare."""

    def free_decode(self, samples: "np.ndarray") -> str | None: ...


@runtime_checkable
class Answerer(Protocol):
    """Optional: decode a short yes / no answer (the listener's ``expect_answer`` window)."""

    def answer(self, samples: "np.ndarray") -> Hypothesis: ...


@runtime_checkable
class WakeJudge(Protocol):
    """Optional: the engine's judgement that the wake phrase of its last decode was clearly said
    (a refused command is then answered "sorry?"). Engines without it never say "sorry?"."""

    def wake_heard(self) -> bool: ...


class Source(Protocol):
    """Microphone or file. ``realtime``: True for a microphone (the clock is the wall
    clock), False for a file (the clock is the audio's own sample count)."""

    realtime: bool
    name: str

    def frames(self) -> Iterator["Frame"]: ...

    def close(self) -> None: ...


class Vad(Protocol):
    """Frames in, stretches of speech out."""

    def accept(self, frame: "Frame") -> list["Segment"]: ...

    def flush(self) -> list["Segment"]: ...


@runtime_checkable
class SpeakerMask(Protocol):
    """Optional: a second, more inclusive speech mask from the same VAD run, for the speaker
    tracker (``audio.vad`` ``speaker_config``). Without it the tracker hears the command segments."""

    has_speaker_mask: bool

    def speaker_segments(self) -> list["Segment"]: ...


class Listener(Protocol):
    """Voice commands: a segment in, a decision out (None: the segment was not examined)."""

    def accept(self, segment: "Segment") -> "CommandDecision | None": ...

    def reset(self) -> None:
        """The announcer spoke over the segment: forget the context."""
        ...

    def close(self) -> None: ...


class Tracker(Protocol):
    """Who speaks: segments in, finished turns out."""

    def accept(self, segment: "Segment") -> list["Turn"]: ...

    def flush(self) -> list["Turn"]: ...

    def pending(self) -> "Turn | None":
        """The turn still growing (the speaking rules watch it for monologues)."""
        ...


class Rules(Protocol):
    """The speaking rules: turns and ticks in, warnings out."""

    def on_turn(self, turn: "Turn", phase_ctx: "PhaseContext", now_s: float) -> list["SpeakerWarning"]: ...

    def on_tick(self, phase_ctx: "PhaseContext", now_s: float,
                ongoing: "Turn | None" = None) -> list["SpeakerWarning"]: ...

    def resume(self, events: "Iterable[Event]") -> None:
        """Take up a resumed journal's turns and warnings (tallies carry on)."""
        ...
