"""What a session summary is: the frozen records ``summarize`` returns and every renderer
(HTML, Markdown, CSV, JSON, the cycle report) reads. The definitions of share, turn,
unattributed time and balance are in ``timekeeper.report.summary`` (and docs/report-schema.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Turn:
    """A stretch of speech by one speaker inside one phase (after splitting)."""

    speaker: str
    start_s: float
    end_s: float
    phase_id: str | None

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class RuleBreak:
    t_s: float
    rule: str
    speaker: str
    phase_id: str | None
    value_s: float
    spoken: bool


@dataclass(frozen=True)
class PhaseSummary:
    id: str
    name: str
    index: int
    speakers: str  # client | consultants | everyone
    rule: str
    planned_s: float  # including extensions
    initial_planned_s: float
    start_s: float | None  # None: the phase was never run
    end_s: float | None
    actual_s: float  # pauses excluded, all visits summed
    overrun_s: float
    paused_s: float
    visits: int
    speaking_s: Mapping[str, float]  # person -> seconds (only people who spoke)
    share: Mapping[str, float]
    unattributed_s: float
    unknown_s: float
    balance: float | None
    silent: tuple[str, ...]  # expected speakers who did not speak (balanced phases)
    warnings: tuple[RuleBreak, ...]
    number: int = 0  # the phase's number as announced and said ("go to phase 3"): 0-6 in codev


    @property
    def ran(self) -> bool:
        return self.visits > 0

    @property
    def extended_s(self) -> float:
        return self.planned_s - self.initial_planned_s


@dataclass(frozen=True)
class PersonSummary:
    name: str
    role: str  # client | consultant | animateur | voice (an unnamed "Voice N")
    speaking_s: float
    share: float
    turns: int
    longest_turn_s: float
    per_phase_s: Mapping[str, float]


@dataclass(frozen=True)
class Summary:
    agenda_id: str
    agenda_name: str
    lang: str
    started_at: str
    phases: tuple[PhaseSummary, ...]
    people: tuple[PersonSummary, ...]  # by speaking time, most first
    elapsed_s: float  # session time, pauses included
    planned_s: float  # sum of the phases' planned time (extensions included)
    actual_s: float  # sum of the phases' actual time
    paused_s: float
    speech_s: float  # all attributed speaking time (SpeakerTurns)
    unattributed_s: float
    unknown_s: float  # turns labelled "unknown"
    unnamed_voices_s: float  # turns of "Voice N" not renamed
    has_speaker_data: bool
    silent_consultants: tuple[str, ...]
    balance: float | None
    warnings: tuple[RuleBreak, ...]
    timeline: tuple[Turn, ...]
    unattributed: tuple[tuple[float, float], ...]
    ended: bool
    resumes: int
    renames: Mapping[str, str] = field(default_factory=dict)
    skipped_lines: int = 0
    audio_kept: bool = False  # the session's audio was recorded (run --record: audio.wav)
    pauses: tuple[tuple[float, float], ...] = ()  # (start_s, end_s) of each pause

    def person(self, name: str) -> PersonSummary | None:
        return next((p for p in self.people if p.name == name), None)

    def phase(self, phase_id: str) -> PhaseSummary | None:
        return next((p for p in self.phases if p.id == phase_id), None)

    @property
    def clients(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.people if p.role == "client")

    @property
    def consultants(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.people if p.role == "consultant")
