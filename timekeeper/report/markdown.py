"""The Markdown report: short tables and the read-out lines, for pasting anywhere."""

from __future__ import annotations

from timekeeper.report import i18n
from timekeeper.report.i18n import t
from timekeeper.report.readout import journal_notes, key_lines, other_time_lines
from timekeeper.report.summary import UNKNOWN, PhaseSummary, Summary

BAR_WIDTH = 20


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def bar(share: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a share in [0, 1], in eighths of a character."""
    eighths = int(round(max(0.0, min(1.0, share)) * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (" ▏▎▍▌▋▊▉"[rest] if rest else "")


def _table(head: list[str], rows: list[list[str]], right: set[int] = frozenset()) -> list[str]:
    lines = ["| " + " | ".join(_esc(h) for h in head) + " |",
             "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|"]
    lines += ["| " + " | ".join(_esc(c) for c in row) + " |" for row in rows]
    return lines


def who_spoke(p: PhaseSummary, lang: str, limit: int = 4) -> str:
    names = [n for n in p.speaking_s if p.share.get(n, 0) > 0]
    parts = [f"{n if n != UNKNOWN else t(lang, 'unknown').lower()} {i18n.pct(p.share[n], lang)}"
             for n in names[:limit]]
    if len(names) > limit:
        parts.append("…")
    return ", ".join(parts)


def header_lines(s: Summary, lang: str) -> list[str]:
    out = []
    if s.started_at:
        out.append(f"**{t(lang, 'date')}**{i18n.colon(lang)} {s.started_at[:16].replace('T', ' ')}")
    out.append(f"**{t(lang, 'duration')}**{i18n.colon(lang)} {i18n.clock(s.elapsed_s)} "
               f"({t(lang, 'planned').lower()} {i18n.clock(s.planned_s)})")
    people = [f"{p.name} ({i18n.role(p.role, lang)})" for p in s.people if p.role != "voice"]
    if people:
        out.append(f"**{t(lang, 'participants')}**{i18n.colon(lang)} " + ", ".join(people))
    notes = journal_notes(s, lang)
    return out + notes


def render(s: Summary, lang: str) -> str:
    L: list[str] = [f"# {t(lang, 'title')} — {s.agenda_name or s.agenda_id}", ""]
    for line in header_lines(s, lang):
        L += [line + "  "]
    L += ["", f"## {t(lang, 'key_points')}", ""]
    L += [f"- {line}" for line in key_lines(s, lang)]

    L += ["", f"## {t(lang, 'phases')}", ""]
    head = [t(lang, "phase"), t(lang, "planned"), t(lang, "actual"), t(lang, "overrun")]
    if s.has_speaker_data:
        head += [t(lang, "who_spoke"), t(lang, "silent"), t(lang, "balance")]
    rows = []
    for p in s.phases:
        row = [p.name, i18n.clock(p.planned_s),
               i18n.clock(p.actual_s) if p.ran else t(lang, "not_run"),
               i18n.clock(p.overrun_s) if p.overrun_s > 0 else ""]
        if s.has_speaker_data:
            row += [who_spoke(p, lang), ", ".join(p.silent),
                    i18n.number(p.balance, lang, 2) if p.balance is not None else ""]
        rows.append(row)
    rows.append([f"**{t(lang, 'total')}**", i18n.clock(s.planned_s), i18n.clock(s.actual_s),
                 i18n.clock(max(0.0, s.actual_s - s.planned_s)) if s.actual_s > s.planned_s else ""]
                + ([""] * 3 if s.has_speaker_data else []))
    L += _table(head, rows, {1, 2, 3})

    if not s.has_speaker_data:
        L += ["", f"_{t(lang, 'no_speaker_data')}_", "", f"_{t(lang, 'generated_audio' if s.audio_kept else 'generated')}_", ""]
        return "\n".join(L)

    L += ["", f"## {t(lang, 'people')}", ""]
    rows = [[p.name, i18n.role(p.role, lang), i18n.clock(p.speaking_s), i18n.pct(p.share, lang),
             bar(p.share), str(p.turns), i18n.clock(p.longest_turn_s)] for p in s.people]
    L += _table([t(lang, "person"), t(lang, "role"), t(lang, "speaking"), t(lang, "share"), "",
                 t(lang, "turns"), t(lang, "longest")], rows, {2, 3, 5, 6})
    extra = other_time_lines(s, lang)
    L += [""] + [f"- {e}" for e in extra]

    L += ["", f"## {t(lang, 'per_phase')}", ""]
    ran = [p for p in s.phases if p.ran]
    rows = [[p.name] + [i18n.clock(p.per_phase_s.get(ph.id, 0.0)) if p.per_phase_s.get(ph.id) else "·"
                        for ph in ran] for p in s.people]
    L += _table([t(lang, "person")] + [ph.name for ph in ran], rows, set(range(1, len(ran) + 1)))

    L += ["", f"## {t(lang, 'warnings')}", ""]
    if s.warnings:
        names = {p.id: p.name for p in s.phases}
        for w in s.warnings:
            where = names.get(w.phase_id or "", w.phase_id or "")
            L.append(f"- {i18n.clock(w.t_s)} · {_esc(where)} · **{_esc(w.speaker)}**"
                     f"{i18n.colon(lang)} {i18n.rule(w.rule, lang)}"
                     + (f" ({i18n.duration(w.value_s, lang)})" if w.value_s > 0 else ""))
    else:
        L.append(t(lang, "no_warnings"))
    L += ["", f"_{t(lang, 'balance_explain')}_", "", f"_{t(lang, 'generated_audio' if s.audio_kept else 'generated')}_", ""]
    return "\n".join(L)
