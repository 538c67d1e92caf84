"""The session summary: pure computation from the journal's events.

``summarize(events, renames)`` walks the events once and returns a frozen ``Summary``:
per phase (planned / actual / overrun, who spoke, balance, rule breaks), per person
(speaking time, share, turns, longest turn, time per phase), unattributed and
unknown-voice time. Every renderer (HTML, Markdown, CSV, JSON) reads only this (the records
themselves are in ``timekeeper.report.model``; importing them from here works too).

Definitions (also in docs/report-schema.md):
- a person's *share* is their speaking time over all attributed speaking time (every
  SpeakerTurn, "unknown" included), in the whole session or in one phase;
- a *turn* is one holding of the floor: consecutive SpeakerTurns of the same speaker
  with no one else in between and gaps of at most ``MERGE_GAP_S`` count as one;
- *unattributed* time is voice activity (SpeechSegment) covered by no SpeakerTurn;
- the *balance index* is the normalised Shannon entropy of the members' speaking
  times: 1 = all spoke equally, 0 = one spoke alone; None when fewer than two members
  or nobody spoke. Members are the consultants (group, "consultants" phases), or the
  client and consultants ("everyone" phases).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from timekeeper.events import (
    Event, Paused, PhaseEnded, PhasePlan, PhaseStarted, Resumed, SessionEnded, SessionResumed, SessionStarted,
    SpeakerTurn, SpeakerWarning, SpeechSegment, TimeAdjusted, VoiceRenamed,
)
from timekeeper.report.model import PersonSummary, PhaseSummary, RuleBreak, Summary, Turn

__all__ = ["BALANCED_SPEAKERS", "MERGE_GAP_S", "UNKNOWN", "PersonSummary", "PhaseSummary", "RuleBreak",
           "Summary", "Turn", "balance_index", "summarize"]

MERGE_GAP_S = 2.0
UNKNOWN = "unknown"
_VOICE_RE = re.compile(r"^(Voice|Voix) \d+$")
BALANCED_SPEAKERS = ("consultants", "everyone")


# --- helpers ----------------------------------------------------------------------


def balance_index(values: Iterable[float]) -> float | None:
    """Normalised Shannon entropy of ``values`` (≥ 2 values, positive total), else None."""
    vals = [max(0.0, v) for v in values]
    total = sum(vals)
    if len(vals) < 2 or total <= 0:
        return None
    h = -sum((v / total) * math.log(v / total) for v in vals if v > 0)
    return h / math.log(len(vals))


def _union(intervals: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(i for i in intervals if i[1] > i[0]):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _subtract(base: list[tuple[float, float]], minus: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Both lists sorted and disjoint (from ``_union``)."""
    out: list[tuple[float, float]] = []
    j = 0
    for a, b in base:
        cur = a
        while j < len(minus) and minus[j][1] <= cur:
            j += 1
        k = j
        while k < len(minus) and minus[k][0] < b:
            ma, mb = minus[k]
            if ma > cur:
                out.append((cur, ma))
            cur = max(cur, mb)
            if cur >= b:
                break
            k += 1
        if cur < b:
            out.append((cur, b))
    return out


class _Renamer:
    def __init__(self, mapping: Mapping[str, str]):
        self.mapping = dict(mapping)

    def __call__(self, name: str) -> str:
        seen = {name}
        while name in self.mapping:
            name = self.mapping[name]
            if name in seen:
                break
            seen.add(name)
        return name


@dataclass
class _Visit:
    phase_id: str
    start_s: float
    end_s: float | None = None
    actual_s: float | None = None
    paused_s: float = 0.0


class _Phases:
    """Phase boundaries on the session clock: which phase was running at time t."""

    def __init__(self, starts: list[tuple[float, str | None]]):
        starts = sorted(starts, key=lambda x: x[0])
        self.times = [s for s, _ in starts]
        self.ids = [p for _, p in starts]

    def at(self, t: float) -> str | None:
        i = bisect.bisect_right(self.times, t) - 1
        return self.ids[i] if i >= 0 else None

    def split(self, start: float, end: float, first: str | None) -> list[tuple[float, float, str | None]]:
        """Cut [start, end) at every phase change strictly inside it."""
        pieces = []
        i = bisect.bisect_right(self.times, start)
        cur, cur_phase = start, first if first is not None else self.at(start)
        while i < len(self.times) and self.times[i] < end:
            b = self.times[i]
            if b > cur:
                pieces.append((cur, b, cur_phase))
                cur = b
            cur_phase = self.ids[i]
            i += 1
        pieces.append((cur, end, cur_phase))
        return pieces


# --- the summary ---------------------------------------------------------------------


def summarize(events: Iterable[Event], renames: Mapping[str, str] | None = None) -> Summary:
    """Summarise one session's journal events. Pure: no I/O, no clock.

    ``renames`` (old -> new) applies after the journal's own VoiceRenamed events and wins
    over them; it may rename a "Voice N" or a participant.
    """
    plans: list[PhasePlan] = []
    participants: dict[str, str] = {}  # name -> role, in order
    agenda_id = agenda_name = started_at = ""
    lang = "en"
    starts = 0
    resumed = 0  # SessionResumed events (run --resume)
    visits: list[_Visit] = []
    open_visit: _Visit | None = None
    pause_at: float | None = None
    planned_now: dict[str, float] = {}
    extra_plans: dict[str, PhaseStarted] = {}
    turns_raw: list[SpeakerTurn] = []
    segments: list[tuple[float, float]] = []
    warnings_raw: list[SpeakerWarning] = []
    journal_renames: dict[str, str] = {}
    elapsed: float | None = None
    ended = False
    paused_total = 0.0
    pauses: list[tuple[float, float]] = []
    first_t: float | None = None
    last_t = 0.0
    offset = 0.0

    def close(at: float) -> None:
        nonlocal open_visit
        if open_visit is not None:
            open_visit.end_s = max(open_visit.start_s, at)
            visits.append(open_visit)
            open_visit = None

    for ev in events:
        t = ev.t_s + offset
        if isinstance(ev, SessionStarted):
            starts += 1
            if starts == 1:
                plans = list(ev.phases)
                agenda_id, agenda_name, lang, started_at = ev.agenda_id, ev.agenda_name, ev.lang, ev.started_at
                first_t = t
            elif t < last_t - 1e-6:
                # a resumed session whose clock restarted: continue after the last event
                offset += last_t - t
                t = last_t
            for p in ev.phases:
                if all(q.id != p.id for q in plans):
                    plans.append(p)
            for person in ev.participants:
                participants.setdefault(person.name, person.role)
            ended = False
        elif isinstance(ev, PhaseStarted):
            close(t)
            open_visit = _Visit(ev.phase_id, t)
            planned_now.setdefault(ev.phase_id, ev.planned_s)
            extra_plans.setdefault(ev.phase_id, ev)
        elif isinstance(ev, PhaseEnded):
            # the engine's actual_s is cumulative over visits: visits are timed from
            # their own start/end and pauses; actual_s only serves a visit whose start is lost
            if open_visit is None or open_visit.phase_id != ev.phase_id:
                close(t)
                open_visit = _Visit(ev.phase_id, t - ev.actual_s)
                open_visit.actual_s = ev.actual_s
            planned_now[ev.phase_id] = ev.planned_s
            close(t)
        elif isinstance(ev, TimeAdjusted):
            planned_now[ev.phase_id] = ev.planned_s
        elif isinstance(ev, Paused):
            pause_at = t
        elif isinstance(ev, Resumed):
            paused = ev.paused_s if ev.paused_s > 0 else (t - pause_at if pause_at is not None else 0.0)
            paused_total += paused
            pauses.append((t - paused, t))
            if open_visit is not None:
                open_visit.paused_s += paused
            pause_at = None
        elif isinstance(ev, SessionEnded):
            close(t)
            elapsed, ended = ev.elapsed_s, True
        elif isinstance(ev, SpeakerTurn):
            if ev.end_s > ev.start_s:
                turns_raw.append(SpeakerTurn(t, ev.speaker, ev.start_s + offset, ev.end_s + offset,
                                             ev.phase_id, ev.score))
        elif isinstance(ev, SpeechSegment):
            segments.append((ev.start_s + offset, ev.end_s + offset))
        elif isinstance(ev, SpeakerWarning):
            warnings_raw.append(SpeakerWarning(t, ev.rule, ev.speaker, ev.phase_id, ev.value_s, ev.spoken))
        elif isinstance(ev, VoiceRenamed):
            journal_renames[ev.old] = ev.new
        elif isinstance(ev, SessionResumed):
            resumed += 1
        last_t = max(last_t, t)
    close(last_t)
    if first_t is None:
        first_t = 0.0
    if elapsed is None or starts > 1:
        elapsed = max(elapsed or 0.0, last_t - first_t)

    # phases known only from PhaseStarted (not in the recorded plan)
    for pid, ps in extra_plans.items():
        if all(p.id != pid for p in plans):
            plans.append(PhasePlan(pid, ps.name, ps.planned_s, ps.speakers))

    # --- names and roles
    rename = _Renamer({**journal_renames, **(renames or {})})
    roles: dict[str, str] = {}
    for name, role in participants.items():
        roles.setdefault(rename(name), role)

    def role_of(name: str) -> str:
        if name in roles:
            return roles[name]
        return "voice" if _VOICE_RE.match(name) else "consultant"

    # --- phase boundaries and turn splitting
    boundaries = _Phases([(v.start_s, v.phase_id) for v in visits]
                         + [(v.end_s, None) for v in visits
                            if v.end_s is not None and not any(w.start_s == v.end_s for w in visits)])
    pieces: list[Turn] = []
    for tr in sorted(turns_raw, key=lambda x: (x.start_s, x.end_s)):
        who = rename(tr.speaker)
        for a, b, pid in boundaries.split(tr.start_s, tr.end_s, tr.phase_id):
            if b > a:
                pieces.append(Turn(who, a, b, pid))

    # --- per person
    speaking: dict[str, float] = {}
    per_phase: dict[str, dict[str, float]] = {}
    for p in pieces:
        speaking[p.speaker] = speaking.get(p.speaker, 0.0) + p.duration_s
        if p.phase_id is not None:
            d = per_phase.setdefault(p.phase_id, {})
            d[p.speaker] = d.get(p.speaker, 0.0) + p.duration_s
    turn_count: dict[str, int] = {}
    longest: dict[str, float] = {}
    run_who, run_start, run_end = None, 0.0, 0.0
    for tr in sorted(turns_raw, key=lambda x: (x.start_s, x.end_s)):
        who = rename(tr.speaker)
        if who == run_who and tr.start_s - run_end <= MERGE_GAP_S:
            run_end = max(run_end, tr.end_s)
        else:
            run_who, run_start, run_end = who, tr.start_s, tr.end_s
            turn_count[who] = turn_count.get(who, 0) + 1
        longest[who] = max(longest.get(who, 0.0), run_end - run_start)

    speech_total = sum(speaking.values())
    names = [n for n in roles] + sorted(n for n in speaking if n not in roles and n != UNKNOWN)
    people = []
    for name in names:
        s = speaking.get(name, 0.0)
        people.append(PersonSummary(
            name=name, role=role_of(name), speaking_s=s,
            share=s / speech_total if speech_total > 0 else 0.0,
            turns=turn_count.get(name, 0), longest_turn_s=longest.get(name, 0.0),
            per_phase_s={pid: d[name] for pid, d in per_phase.items() if name in d},
        ))
    order = {n: i for i, n in enumerate(names)}
    people.sort(key=lambda p: (-p.speaking_s, order[p.name]))

    has_speaker_data = bool(turns_raw or segments)
    consultants = [n for n in names if role_of(n) == "consultant"]
    clients = [n for n in names if role_of(n) == "client"]

    # --- unattributed speech
    turn_union = _union((t.start_s, t.end_s) for t in turns_raw)
    unattributed = _subtract(_union(segments), turn_union)
    unattr_phase: dict[str | None, float] = {}
    for a, b in unattributed:
        for x, y, pid in boundaries.split(a, b, None):
            unattr_phase[pid] = unattr_phase.get(pid, 0.0) + (y - x)

    # --- warnings
    warnings = tuple(RuleBreak(w.t_s, w.rule, rename(w.speaker), w.phase_id, w.value_s, w.spoken)
                     for w in warnings_raw)

    # --- per phase
    numbers = [p.number for p in plans]
    if len(set(numbers)) < len(numbers):  # a journal from before phase numbers: count from 1
        numbers = list(range(1, len(plans) + 1))
    phases = []
    for index, plan in enumerate(plans):
        vs = [v for v in visits if v.phase_id == plan.id]
        actual = sum(v.actual_s if v.actual_s is not None
                     else max(0.0, (v.end_s or v.start_s) - v.start_s - v.paused_s) for v in vs)
        planned = planned_now.get(plan.id, plan.planned_s)
        spk = per_phase.get(plan.id, {})
        phase_total = sum(spk.values())
        if plan.speakers == "consultants":
            members = consultants
        elif plan.speakers == "everyone":
            members = clients + consultants
        else:
            members = []
        balance = balance_index(spk.get(m, 0.0) for m in members) if members else None
        silent = tuple(m for m in members if spk.get(m, 0.0) <= 0) if (vs and turns_raw) else ()
        phases.append(PhaseSummary(
            id=plan.id, name=plan.name, index=index, speakers=plan.speakers, rule=plan.rule,
            planned_s=planned, initial_planned_s=plan.planned_s,
            start_s=min(v.start_s for v in vs) if vs else None,
            end_s=max((v.end_s or v.start_s) for v in vs) if vs else None,
            actual_s=actual, overrun_s=max(0.0, actual - planned) if vs else 0.0,
            paused_s=sum(v.paused_s for v in vs), visits=len(vs),
            speaking_s=dict(sorted(spk.items(), key=lambda kv: -kv[1])),
            share={k: v / phase_total for k, v in spk.items()} if phase_total > 0 else {},
            unattributed_s=unattr_phase.get(plan.id, 0.0), unknown_s=spk.get(UNKNOWN, 0.0),
            balance=balance, silent=silent,
            warnings=tuple(w for w in warnings if w.phase_id == plan.id),
            number=numbers[index],
        ))

    return Summary(
        agenda_id=agenda_id, agenda_name=agenda_name, lang=lang, started_at=started_at,
        phases=tuple(phases), people=tuple(people),
        elapsed_s=elapsed, planned_s=sum(p.planned_s for p in phases),
        actual_s=sum(p.actual_s for p in phases), paused_s=paused_total,
        speech_s=speech_total, unattributed_s=sum(b - a for a, b in unattributed),
        unknown_s=speaking.get(UNKNOWN, 0.0),
        unnamed_voices_s=sum(s for n, s in speaking.items() if role_of(n) == "voice"),
        has_speaker_data=has_speaker_data,
        silent_consultants=tuple(c for c in consultants if speaking.get(c, 0.0) <= 0) if turns_raw else (),
        balance=balance_index(speaking.get(c, 0.0) for c in consultants),
        warnings=warnings, timeline=tuple(pieces), unattributed=tuple(unattributed),
        ended=ended, resumes=max(0, starts - 1) + resumed, renames=dict(rename.mapping), pauses=tuple(pauses),
    )
