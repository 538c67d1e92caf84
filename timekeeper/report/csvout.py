"""The CSV report: one tidy table (one row per fact) for spreadsheets and pivot tables.

Columns are fixed (``COLUMNS``); the ``record`` column says what a row is:
``session`` (totals), ``phase`` (one per phase), ``person`` (one per person),
``person_phase`` (a person's speaking time in one phase), ``warning`` (a rule break).
Numbers use a dot and seconds; cells that do not apply are empty.
"""

from __future__ import annotations

import csv
import io

from timekeeper.report.summary import Summary

COLUMNS = ("record", "phase_id", "phase", "person", "role", "start_s", "end_s", "planned_s",
           "actual_s", "overrun_s", "speaking_s", "share", "turns", "longest_turn_s",
           "unattributed_s", "balance", "rule", "value_s")


def _n(x: float | None, digits: int = 3) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def rows(s: Summary) -> list[dict[str, str]]:
    out = [{"record": "session", "start_s": _n(0.0), "end_s": _n(s.elapsed_s), "planned_s": _n(s.planned_s),
            "actual_s": _n(s.actual_s), "overrun_s": _n(max(0.0, s.actual_s - s.planned_s)),
            "speaking_s": _n(s.speech_s), "unattributed_s": _n(s.unattributed_s), "balance": _n(s.balance, 4)}]
    for p in s.phases:
        out.append({"record": "phase", "phase_id": p.id, "phase": p.name, "start_s": _n(p.start_s),
                    "end_s": _n(p.end_s), "planned_s": _n(p.planned_s), "actual_s": _n(p.actual_s),
                    "overrun_s": _n(p.overrun_s), "speaking_s": _n(sum(p.speaking_s.values())),
                    "unattributed_s": _n(p.unattributed_s), "balance": _n(p.balance, 4)})
    names = {p.id: p.name for p in s.phases}
    for person in s.people:
        out.append({"record": "person", "person": person.name, "role": person.role,
                    "speaking_s": _n(person.speaking_s), "share": _n(person.share, 4),
                    "turns": str(person.turns), "longest_turn_s": _n(person.longest_turn_s)})
    for p in s.phases:
        for name, secs in p.speaking_s.items():
            out.append({"record": "person_phase", "phase_id": p.id, "phase": p.name, "person": name,
                        "speaking_s": _n(secs), "share": _n(p.share.get(name, 0.0), 4)})
    for w in s.warnings:
        out.append({"record": "warning", "phase_id": w.phase_id or "", "phase": names.get(w.phase_id or "", ""),
                    "person": w.speaker, "start_s": _n(w.t_s), "rule": w.rule, "value_s": _n(w.value_s)})
    return out


def render(s: Summary, lang: str) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(s))
    return buf.getvalue()
