"""Phase-aware speaking warnings, following the codev rules (pure, explicit times).

Rules (each can be switched off; ``enabled = false`` switches all off):
- ``monologue``: someone speaks beyond ``monologue_s`` without a pause of
  ``monologue_break_s`` and without anyone else speaking (per-phase limits in
  ``monologue_by_phase``, e.g. 90 s in clarification). Once per monologue.
- ``client_in_consultation``: the client's speaking time in a phase listed in
  ``client_quiet_phases`` exceeds ``client_in_consultation_s``. Once per phase.
- ``consultant_in_presentation``: a consultant's speaking time in a phase listed in
  ``consultants_quiet_phases`` exceeds ``consultant_in_presentation_s``. Once per person per phase.
- ``dominant``: in a phase where consultants share the floor (speakers = "consultants"),
  once ``dominant_after_fraction`` of the planned time has passed, a consultant has spoken
  more than ``dominant_factor`` × the fair share (planned length / number of consultants)
  × the fraction of the phase elapsed. Once per person per phase.
- ``silent``: in such a phase, at ``silent_after_fraction`` of the planned time, a
  consultant has not spoken at all — judged on the turns heard up to that moment, which
  the tracker hands over seconds late: so once a later turn has come in, or ``SETTLE_S``
  after, and not while someone is speaking. Turns spoken before the phase began never
  count in it. Once per person per phase.

Gentle: every warning is returned (the journal records it), but ``spoken`` is True only
if the person was not named aloud in the last ``announce_interval_s`` seconds and no
other warning was spoken in the last ``spoken_gap_s`` seconds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from timekeeper.errors import ConfigError
from timekeeper.tomlfile import suggest
from timekeeper.events import Event, Participant, PhaseStarted, SpeakerTurn, SpeakerWarning, VoiceRenamed
from timekeeper.session import PhaseContext
from timekeeper.speakers.identify import Turn

RULES = ("monologue", "client_in_consultation", "consultant_in_presentation", "dominant", "silent")
SETTLE_S = 12.0  # the speaker tracker hands a turn over up to its hold_s (10 s) after it was spoken


@dataclass(frozen=True)
class SpeakingRules:
    """Settings of the [speaking] table."""

    enabled: bool = True
    announce_interval_s: float = 300.0
    spoken_gap_s: float = 60.0
    monologue: bool = True
    monologue_s: float = 180.0
    monologue_by_phase: Mapping[str, float] = field(default_factory=lambda: {"clarification": 90.0})
    monologue_break_s: float = 3.0
    client_in_consultation: bool = True
    client_in_consultation_s: float = 30.0
    client_quiet_phases: tuple[str, ...] = ("consultation",)
    consultant_in_presentation: bool = True
    consultant_in_presentation_s: float = 20.0
    consultants_quiet_phases: tuple[str, ...] = ("presentation",)
    dominant: bool = True
    dominant_factor: float = 2.0
    dominant_after_fraction: float = 1 / 3
    silent: bool = True
    silent_after_fraction: float = 0.75

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], where: str = "[speaking]") -> "SpeakingRules":
        """Build from a TOML table; unknown keys and wrong types raise ConfigError."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for key, value in d.items():
            if key not in fields:
                raise ConfigError(f"{where}: unknown key '{key}' ({suggest(key, fields)})")
            default = getattr(defaults, key)
            if isinstance(default, bool):
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}: {key} must be true or false, not {value!r}")
            elif isinstance(default, float):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                    raise ConfigError(f"{where}: {key} must be a number of seconds (or a fraction) ≥ 0, not {value!r}")
                value = float(value)
            elif isinstance(default, tuple):
                if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{where}: {key} must be a list of phase ids, not {value!r}")
                value = tuple(value)
            elif isinstance(default, Mapping):
                if not isinstance(value, Mapping) or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()
                ):
                    raise ConfigError(f"{where}: {key} must be a table of phase id = seconds, not {value!r}")
                value = {str(k): float(v) for k, v in value.items()}
            kwargs[key] = value
        return cls(**kwargs)


@dataclass
class _Run:
    speaker: str
    start_s: float
    end_s: float

    @property
    def length_s(self) -> float:
        return self.end_s - self.start_s


class MonologueTracker:
    """Follows the current run of one speaker: their turns with no one else speaking in
    between and no pause longer than ``break_s``."""

    def __init__(self, break_s: float = 3.0) -> None:
        self.break_s = break_s
        self.run: _Run | None = None
        self.run_id = 0

    def add(self, speaker: str, start_s: float, end_s: float) -> _Run:
        r = self.run
        if r is not None and r.speaker == speaker and start_s - r.end_s <= self.break_s:
            r.end_s = max(r.end_s, end_s)
        else:
            self.run = r = _Run(speaker, start_s, end_s)
            self.run_id += 1
        return r

    def rename(self, old: str, new: str) -> None:
        if self.run is not None and self.run.speaker == old:
            self.run.speaker = new


class RuleEngine:
    """Turns and ticks in, SpeakerWarning events out. After a crash, ``resume`` takes up
    the journal so tallies and warnings already given carry on."""

    def __init__(self, settings: SpeakingRules, participants: list[Participant] | tuple[Participant, ...]) -> None:
        self.settings = settings
        self.roles = {p.name: p.role for p in participants}
        self._phase: str | None = None
        self._phase_t = 0.0  # when the current phase started (its running time counted back from now)
        self._heard_until = 0.0  # end of the latest turn received: speech before it has all come in
        self._spoken: dict[str, float] = {}  # per speaker, this phase
        self._fired: set[tuple[str, str]] = set()  # (rule, speaker) this phase
        self._mono = MonologueTracker(settings.monologue_break_s)
        self._mono_warned_run = -1
        self._last_named: dict[str, float] = {}
        self._last_spoken: float | None = None

    # --- public --------------------------------------------------------------------

    def resume(self, events: Iterable[Event]) -> None:
        """Rebuild the state from a journal's events, as if their turns had just been heard:
        this phase's speaking time, the current monologue, the warnings already given (and
        who was named aloud when), so a resumed session neither forgets nor repeats."""
        for event in events:
            if isinstance(event, PhaseStarted):
                self._enter_phase(event.phase_id, event.t_s)
            elif isinstance(event, SpeakerTurn) and self.settings.enabled:
                self._heard_until = max(self._heard_until, event.end_s)
                self._spoken[event.speaker] = self._spoken.get(event.speaker, 0.0) + max(
                    0.0, event.end_s - event.start_s)
                self._mono.add(event.speaker, event.start_s, event.end_s)
            elif isinstance(event, SpeakerWarning):
                self._fired.add((event.rule, event.speaker))
                if event.rule == "monologue":
                    self._mono_warned_run = self._mono.run_id
                if event.spoken:
                    self._last_named[event.speaker] = event.t_s
                    self._last_spoken = event.t_s
            elif isinstance(event, VoiceRenamed):
                self.rename(event.old, event.new)

    def rename(self, old: str, new: str) -> None:
        if old in self._spoken:
            self._spoken[new] = self._spoken.get(new, 0.0) + self._spoken.pop(old)
        self._mono.rename(old, new)

    def on_turn(self, turn: Turn, phase_ctx: PhaseContext, now_s: float) -> list[SpeakerWarning]:
        self._enter(phase_ctx, now_s)
        self._heard_until = max(self._heard_until, turn.end_s)
        if not self.settings.enabled or turn.end_s <= self._phase_t:
            return []  # spoken in an earlier phase, known only now (the tracker holds turns a while)
        who = turn.speaker
        self._spoken[who] = self._spoken.get(who, 0.0) + max(0.0, turn.end_s - turn.start_s)
        self._mono.add(who, turn.start_s, turn.end_s)
        out = self._check_monologue(phase_ctx, now_s, self._mono.run)
        s = self.settings
        role = self.roles.get(who)
        pid = phase_ctx.phase_id
        if s.client_in_consultation and role == "client" and pid in s.client_quiet_phases:
            if self._spoken[who] > s.client_in_consultation_s:
                out += self._fire("client_in_consultation", who, pid, self._spoken[who], now_s)
        if s.consultant_in_presentation and role == "consultant" and pid in s.consultants_quiet_phases:
            if self._spoken[who] > s.consultant_in_presentation_s:
                out += self._fire("consultant_in_presentation", who, pid, self._spoken[who], now_s)
        out += self._check_dominant(phase_ctx, now_s)
        return out

    def on_tick(self, phase_ctx: PhaseContext, now_s: float, ongoing: Turn | None = None) -> list[SpeakerWarning]:
        """Time passes. ``ongoing``: the turn still being spoken (SpeakerTracker.pending()),
        so a monologue is caught while it lasts."""
        self._enter(phase_ctx, now_s)
        if not self.settings.enabled:
            return []
        out: list[SpeakerWarning] = []
        if ongoing is not None and ongoing.speaker != "unknown" and ongoing.end_s > ongoing.start_s:
            # the same run the finished turn will extend later: warned once
            out += self._check_monologue(phase_ctx, now_s, self._mono.add(ongoing.speaker, ongoing.start_s, ongoing.end_s))
        out += self._check_dominant(phase_ctx, now_s)
        s = self.settings
        if s.silent and phase_ctx.speakers == "consultants" and phase_ctx.planned_s > 0:
            due = s.silent_after_fraction * phase_ctx.planned_s
            # silent only on what has been heard up to the moment the rule is due: the tracker
            # hands turns over seconds late, and "we would love to hear from you" said to
            # someone who just spoke is worse than saying it a little later
            late = phase_ctx.elapsed_s - due  # how long ago the rule became due
            # and never while someone is speaking (it may be them; one does not talk over people)
            if late >= 0 and ongoing is None and (self._heard_until >= now_s - late or late >= SETTLE_S):
                for name, role in self.roles.items():
                    if role == "consultant" and self._spoken.get(name, 0.0) <= 0.0:
                        out += self._fire("silent", name, phase_ctx.phase_id, 0.0, now_s)
        return out

    # --- rules ---------------------------------------------------------------------

    def _enter(self, ctx: PhaseContext, now_s: float) -> None:
        self._enter_phase(ctx.phase_id, now_s - ctx.elapsed_s)

    def _enter_phase(self, phase_id: str, start_t: float) -> None:
        if phase_id != self._phase:
            self._phase = phase_id
            self._phase_t = start_t
            self._spoken = {}
            self._fired = set()
            self._mono.run = None

    def _limit(self, phase_id: str) -> float:
        return float(self.settings.monologue_by_phase.get(phase_id, self.settings.monologue_s))

    def _check_monologue(self, ctx: PhaseContext, now_s: float, run) -> list[SpeakerWarning]:
        if run is None or not self.settings.monologue or run.speaker == "unknown":
            return []
        if run.length_s <= self._limit(ctx.phase_id) or self._mono_warned_run == self._mono.run_id:
            return []
        self._mono_warned_run = self._mono.run_id
        return [self._warning("monologue", run.speaker, ctx.phase_id, run.length_s, now_s)]

    def _check_dominant(self, ctx: PhaseContext, now_s: float) -> list[SpeakerWarning]:
        s = self.settings
        if not s.dominant or ctx.speakers != "consultants" or ctx.planned_s <= 0:
            return []
        frac = ctx.elapsed_s / ctx.planned_s
        consultants = [n for n, r in self.roles.items() if r == "consultant"]
        if frac < s.dominant_after_fraction or not consultants:
            return []
        fair = ctx.planned_s / len(consultants) * min(frac, 1.0)
        out: list[SpeakerWarning] = []
        for name in consultants:
            spoken = self._spoken.get(name, 0.0)
            if spoken > s.dominant_factor * fair:
                out += self._fire("dominant", name, ctx.phase_id, spoken, now_s)
        return out

    def _fire(self, rule: str, who: str, phase_id: str, value_s: float, now_s: float) -> list[SpeakerWarning]:
        if (rule, who) in self._fired:
            return []
        self._fired.add((rule, who))
        return [self._warning(rule, who, phase_id, value_s, now_s)]

    def _warning(self, rule: str, who: str, phase_id: str, value_s: float, now_s: float) -> SpeakerWarning:
        last = self._last_named.get(who)
        spoken = last is None or now_s - last >= self.settings.announce_interval_s
        if self._last_spoken is not None and now_s - self._last_spoken < self.settings.spoken_gap_s:
            spoken = False  # one gentle remark at a time
        if spoken:
            self._last_named[who] = now_s
            self._last_spoken = now_s
        return SpeakerWarning(t_s=now_s, rule=rule, speaker=who, phase_id=phase_id,
                              value_s=round(float(value_s), 1), spoken=spoken)
