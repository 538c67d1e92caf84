"""Speaking-time ledger: seconds spoken, turns and longest monologue per person per phase.

Pure: turns in, figures out. A monologue is a run of one person's turns with no one
else speaking in between and no pause longer than ``break_s``.
"""

from __future__ import annotations

from dataclasses import dataclass

from timekeeper.speakers.identify import Turn

ALL = "*"  # phase key of the whole-session totals


@dataclass(frozen=True)
class SpeakerStats:
    speaking_s: float = 0.0
    turns: int = 0
    longest_monologue_s: float = 0.0


@dataclass
class _Run:
    speaker: str
    start_s: float
    end_s: float

    @property
    def length_s(self) -> float:
        return self.end_s - self.start_s


class MonologueTracker:
    """Follows the current run of one speaker (shared by the ledger and the rules)."""

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


class SpeakingLedger:
    """Accumulates turns per participant per phase (and for the whole session, key ``ALL``)."""

    def __init__(self, *, break_s: float = 3.0) -> None:
        self._stats: dict[str, dict[str, SpeakerStats]] = {}
        self._mono = MonologueTracker(break_s)
        self._run_phase: str | None = None

    def add(self, turn: Turn, phase_id: str | None) -> None:
        phase = phase_id or ""
        new_phase = self._run_phase != phase
        if new_phase:
            self._mono.run = None  # a monologue does not span phases
            self._run_phase = phase
        run = self._mono.add(turn.speaker, turn.start_s, turn.end_s)
        dur = max(0.0, turn.end_s - turn.start_s)
        for key in (phase, ALL):
            table = self._stats.setdefault(key, {})
            s = table.get(turn.speaker, SpeakerStats())
            table[turn.speaker] = SpeakerStats(
                round(s.speaking_s + dur, 3), s.turns + 1, round(max(s.longest_monologue_s, run.length_s), 3)
            )

    def stats(self, phase_id: str | None = ALL) -> dict[str, SpeakerStats]:
        """Figures per speaker for one phase (``ALL``: the whole session)."""
        return dict(self._stats.get(phase_id if phase_id is not None else "", {}))

    def phases(self) -> list[str]:
        return [p for p in self._stats if p != ALL]

    def speaking_s(self, speaker: str, phase_id: str | None = ALL) -> float:
        return self.stats(phase_id).get(speaker, SpeakerStats()).speaking_s

    def shares(self, phase_id: str | None = ALL) -> dict[str, float]:
        """Fraction of the phase's attributed speaking time per speaker."""
        st = self.stats(phase_id)
        total = sum(s.speaking_s for s in st.values())
        return {k: (s.speaking_s / total if total else 0.0) for k, s in st.items()}

    def rename(self, old: str, new: str) -> None:
        """A discovered voice gets a name: its figures move (merged if ``new`` already spoke)."""
        for table in self._stats.values():
            if old in table:
                a = table.pop(old)
                b = table.get(new, SpeakerStats())
                table[new] = SpeakerStats(
                    round(a.speaking_s + b.speaking_s, 3), a.turns + b.turns,
                    max(a.longest_monologue_s, b.longest_monologue_s),
                )
        self._mono.rename(old, new)
