"""Grade a run against a session's truth: speech detection, speakers, commands.

Pure functions of a ``Truth`` and a list of journal events. Times are seconds of audio.
Announcer speech in the truth is cut out of the scored time on both sides.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from timekeeper.events import CommandHeard, Event, SpeakerTurn, SpeechSegment
from testkit.truth import Truth

Span = tuple[float, float]
UNKNOWN_LABELS = frozenset({"unknown", ""})


# --- interval arithmetic -------------------------------------------------------


def merge(spans: Iterable[Span]) -> list[Span]:
    out: list[list[float]] = []
    for a, b in sorted((float(a), float(b)) for a, b in spans if b > a):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def total(spans: Iterable[Span]) -> float:
    return float(sum(b - a for a, b in spans))


def intersect(x: list[Span], y: list[Span]) -> list[Span]:
    """Intersection of two merged span lists."""
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        a, b = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if b > a:
            out.append((a, b))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(x: list[Span], y: list[Span]) -> list[Span]:
    """``x`` minus ``y`` (both merged)."""
    out = []
    for a, b in x:
        cur = a
        for c, d in y:
            if d <= cur or c >= b:
                continue
            if c > cur:
                out.append((cur, c))
            cur = max(cur, d)
        if cur < b:
            out.append((cur, b))
    return out


def _region(truth: Truth, collar_s: float = 0.0, ref: list[Span] | None = None) -> list[Span]:
    """Scored time: the whole file minus the announcer's speech (and collars around ref edges)."""
    region = subtract([(0.0, truth.duration_s)], merge((s.start_s, s.end_s) for s in truth.announcer))
    if collar_s > 0 and ref:
        edges = merge((t - collar_s, t + collar_s) for a, b in ref for t in (a, b))
        region = subtract(region, edges)
    return region


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    import numpy as np

    return round(float(np.percentile(values, q)), 3)


# --- speech detection ------------------------------------------------------------


@dataclass(frozen=True)
class SpeechScore:
    truth_s: float  # true speech in the scored region
    detected_s: float
    missed_s: float
    false_alarm_s: float
    missed_pct: float  # of true speech
    false_alarm_pct: float  # of true speech


def score_speech(truth: Truth, events: Iterable[Event], collar_s: float = 0.0) -> SpeechScore:
    ref_all = merge((t.start_s, t.end_s) for t in truth.speech_turns())
    region = _region(truth, collar_s, ref_all)
    ref = intersect(ref_all, region)
    hyp = intersect(merge((e.start_s, e.end_s) for e in events if isinstance(e, SpeechSegment)), region)
    ref_s, missed, fa = total(ref), total(subtract(ref, hyp)), total(subtract(hyp, ref))
    pct = (lambda x: round(100 * x / ref_s, 2) if ref_s else 0.0)
    return SpeechScore(round(ref_s, 3), round(total(hyp), 3), round(missed, 3), round(fa, 3), pct(missed), pct(fa))


# --- speakers --------------------------------------------------------------------


@dataclass(frozen=True)
class PersonScore:
    name: str
    truth_s: float
    detected_s: float
    error_s: float  # detected - truth
    truth_share_pct: float
    detected_share_pct: float
    error_pp: float  # percentage points
    labels: tuple[str, ...] = ()  # the hypothesis labels counted as this person


@dataclass(frozen=True)
class SpeakerScore:
    truth_s: float  # total true speaker time (overlaps count once per speaker)
    miss_s: float
    false_alarm_s: float
    confusion_s: float
    error_rate_pct: float  # identification error rate, labels as they are
    mapped_confusion_s: float
    mapped_error_rate_pct: float  # after the best one-to-one mapping of unknown labels
    mapping: dict[str, str] = field(default_factory=dict)  # "Voice 1" -> "Alice"
    persons: tuple[PersonScore, ...] = ()
    unmatched_labels: dict[str, float] = field(default_factory=dict)  # label -> seconds


def _segments(ref: dict[str, list[Span]], hyp: dict[str, list[Span]], region: list[Span]):
    """Yield (duration, true speakers, hypothesis labels) over elementary segments."""
    cuts = {t for spans in (*ref.values(), *hyp.values(), region) for s in spans for t in s}
    cuts_l = sorted(cuts)

    def active(spans_by: dict[str, list[Span]], mid: float) -> set[str]:
        out = set()
        for who, spans in spans_by.items():
            k = bisect.bisect_right(spans, (mid, float("inf"))) - 1
            if k >= 0 and spans[k][0] <= mid < spans[k][1]:
                out.add(who)
        return out

    for a, b in zip(cuts_l, cuts_l[1:]):
        mid = (a + b) / 2
        k = bisect.bisect_right(region, (mid, float("inf"))) - 1
        if k < 0 or not (region[k][0] <= mid < region[k][1]):
            continue
        yield b - a, active(ref, mid), active(hyp, mid)


def _error(ref, hyp, region, mapping: dict[str, str]) -> tuple[float, float, float, float]:
    miss = fa = conf = tot = 0.0
    for dt, r, h in _segments(ref, hyp, region):
        h2 = {mapping.get(x, x) for x in h}
        nr, nh = len(r), len(h)
        tot += nr * dt
        miss += max(0, nr - nh) * dt
        fa += max(0, nh - nr) * dt
        conf += (min(nr, nh) - len(r & h2)) * dt
    return miss, fa, conf, tot


def best_mapping(ref: dict[str, list[Span]], hyp: dict[str, list[Span]], region: list[Span]) -> dict[str, str]:
    """One-to-one mapping of labels that are not participant names to the speakers no label
    claims by name, maximising overlapping time (as in DER)."""
    free_labels = sorted(h for h in hyp if h not in ref and h not in UNKNOWN_LABELS)
    free_people = sorted(p for p in ref if p not in hyp)
    if not free_labels or not free_people:
        return {}
    overlap = defaultdict(float)
    for dt, r, h in _segments({p: ref[p] for p in free_people}, {x: hyp[x] for x in free_labels}, region):
        for x in h:
            for p in r:
                overlap[x, p] += dt
    from scipy.optimize import linear_sum_assignment

    import numpy as np

    m = np.array([[overlap[x, p] for p in free_people] for x in free_labels])
    rows, cols = linear_sum_assignment(-m)
    return {free_labels[i]: free_people[j] for i, j in zip(rows, cols) if m[i, j] > 0}


def score_speakers(truth: Truth, events: Iterable[Event], collar_s: float = 0.0) -> SpeakerScore:
    """Speaker figures; ``collar_s`` leaves that much time unscored around every truth
    turn's edges (0.25 s is the usual diarization convention)."""
    turns = truth.speech_turns()
    region = _region(truth, collar_s, [(t.start_s, t.end_s) for t in turns])
    ref: dict[str, list[Span]] = {p: [] for p in truth.speakers()}
    for t in turns:
        ref.setdefault(t.speaker, []).append((t.start_s, t.end_s))
    ref = {p: intersect(merge(s), region) for p, s in ref.items()}
    raw: dict[str, list[Span]] = defaultdict(list)
    for e in events:
        if isinstance(e, SpeakerTurn):
            raw[e.speaker].append((e.start_s, e.end_s))
    hyp = {label: intersect(merge(s), region) for label, s in raw.items()}
    miss, fa, conf, tot = _error(ref, hyp, region, {})
    mapping = best_mapping(ref, hyp, region)
    _, _, mconf, _ = _error(ref, hyp, region, mapping)

    per_label = {label: total(s) for label, s in hyp.items()}
    attributed = sum(v for label, v in per_label.items() if label not in UNKNOWN_LABELS)
    truth_total = sum(total(s) for s in ref.values())
    persons = []
    for name, spans in ref.items():
        labels = tuple(sorted(x for x in hyp if x == name or mapping.get(x) == name))
        det = total(merge(s for x in labels for s in hyp[x]))
        t_s = total(spans)
        t_share = 100 * t_s / truth_total if truth_total else 0.0
        d_share = 100 * det / attributed if attributed else 0.0
        persons.append(PersonScore(name, round(t_s, 3), round(det, 3), round(det - t_s, 3) + 0.0, round(t_share, 2),
                                   round(d_share, 2), round(d_share - t_share, 2) + 0.0, labels))  # + 0.0: no "-0.0"
    used = {x for p in persons for x in p.labels}
    rate = (lambda x: round(100 * x / tot, 2) if tot else 0.0)
    return SpeakerScore(
        truth_s=round(tot, 3), miss_s=round(miss, 3), false_alarm_s=round(fa, 3), confusion_s=round(conf, 3),
        error_rate_pct=rate(miss + fa + conf), mapped_confusion_s=round(mconf, 3),
        mapped_error_rate_pct=rate(miss + fa + mconf), mapping=mapping, persons=tuple(persons),
        unmatched_labels={x: round(v, 3) for x, v in sorted(per_label.items()) if x not in used},
    )


# --- commands ----------------------------------------------------------------------


@dataclass(frozen=True)
class CommandScore:
    truth_count: int
    accepted_count: int
    matched: int
    recall_pct: float
    false_accepts: int
    false_accepts_per_hour: float
    wrong_command: int  # accepted in a command's window, but a different command
    false_accepts_on_distractors: int  # false accepts whose utterance overlaps a distractor
    latency_median_s: float | None
    latency_p95_s: float | None
    rejected_in_window: int  # heard in a command's window but not accepted
    missed: tuple[str, ...] = ()  # "12.30 next" for each truth command not matched
    false: tuple[str, ...] = ()  # "40.10 pause 'text heard'" for each false accept
    recall_by_command: dict[str, float] = field(default_factory=dict)


def score_commands(truth: Truth, events: Iterable[Event], window_s: float = 3.0) -> CommandScore:
    """Accepted voice commands vs truth: same command, event time in [end_s, end_s + window_s]."""
    heard = sorted((e for e in events if isinstance(e, CommandHeard) and e.source == "voice"), key=lambda e: e.t_s)
    accepted = [e for e in heard if e.accepted]
    cmds = sorted(truth.commands, key=lambda c: c.end_s)
    taken = [False] * len(cmds)
    latencies: list[float] = []
    false, wrong, on_dis = [], 0, 0
    in_window = (lambda c, t: c.end_s <= t <= c.end_s + window_s)
    for e in accepted:
        k = next((i for i, c in enumerate(cmds) if not taken[i] and c.command == e.command and in_window(c, e.t_s)), None)
        if k is not None:
            taken[k] = True
            latencies.append(e.t_s - cmds[k].end_s)
            continue
        false.append(f"{e.t_s:.2f} {e.command} {e.text!r}")
        if any(in_window(c, e.t_s) and c.command != e.command for c in cmds):
            wrong += 1
        if any(d.start_s < e.end_s and e.start_s < d.end_s for d in truth.distractors):
            on_dis += 1
    rejected = sum(1 for e in heard if not e.accepted and any(in_window(c, e.t_s) for c in cmds))
    by_cmd: dict[str, list[bool]] = defaultdict(list)
    for c, ok in zip(cmds, taken):
        by_cmd[c.command].append(ok)
    hours = truth.duration_s / 3600
    return CommandScore(
        truth_count=len(cmds), accepted_count=len(accepted), matched=sum(taken),
        recall_pct=round(100 * sum(taken) / len(cmds), 2) if cmds else 0.0,
        false_accepts=len(false), false_accepts_per_hour=round(len(false) / hours, 2) if hours else 0.0,
        wrong_command=wrong, false_accepts_on_distractors=on_dis,
        latency_median_s=_pct(latencies, 50), latency_p95_s=_pct(latencies, 95), rejected_in_window=rejected,
        missed=tuple(f"{c.end_s:.2f} {c.command}" for c, ok in zip(cmds, taken) if not ok), false=tuple(false),
        recall_by_command={k: round(100 * sum(v) / len(v), 2) for k, v in sorted(by_cmd.items())},
    )


# --- all together -------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    duration_s: float
    speech: SpeechScore
    speakers: SpeakerScore
    commands: CommandScore

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def read_events(journal: str | Path) -> list[Event]:
    """Events of a journal file (or a session folder holding journal.jsonl)."""
    from timekeeper.journal import read_journal

    return list(read_journal(Path(journal)).events)


def score(truth: Truth, events: Iterable[Event] | str | Path, *, window_s: float = 3.0,
          collar_s: float = 0.0) -> Score:
    """Every figure at once; ``events`` may be a journal path."""
    evs = read_events(events) if isinstance(events, (str, Path)) else list(events)
    return Score(round(truth.duration_s, 3), score_speech(truth, evs, collar_s), score_speakers(truth, evs, collar_s),
                 score_commands(truth, evs, window_s))


def oracle_events(truth: Truth, latency_s: float = 0.5) -> list[Event]:
    """The events a perfect listener would produce (speech, speakers, accepted commands
    ``latency_s`` after each command ends), in time order. For tests of later stages."""
    evs: list[Event] = []
    for t in truth.speech_turns():
        evs.append(SpeechSegment(t.end_s, t.start_s, t.end_s))
        evs.append(SpeakerTurn(t.end_s, t.speaker, t.start_s, t.end_s))
    for c in truth.commands:
        evs.append(CommandHeard(c.end_s + latency_s, c.text, c.start_s, c.end_s, True, c.command))
    return sorted(evs, key=lambda e: e.t_s)
