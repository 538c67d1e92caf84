"""One to four plain-language lines a facilitator can read out, in French or English."""

from __future__ import annotations

from collections import Counter

from timekeeper.report import i18n
from timekeeper.report.i18n import t
from timekeeper.report.summary import UNKNOWN, PhaseSummary, Summary

OVERRUN_NOTICE_S = 30.0  # smaller overruns are not worth a sentence


def focus_phase(summary: Summary) -> PhaseSummary | None:
    """The phase the speaking line talks about: the consultation, else the first
    consultants' phase where someone spoke."""
    spoken = [p for p in summary.phases if p.ran and p.speaking_s]
    for p in spoken:
        if p.id == "consultation":
            return p
    return next((p for p in spoken if p.speakers == "consultants"), None)


def _sep(lang: str) -> str:
    return i18n.typography(lang, "semicolon") + " "


def journal_notes(s: Summary, lang: str) -> list[str]:
    """What the reader should know about the journal itself: unfinished, resumed, damaged."""
    notes = []
    if not s.ended:
        notes.append(t(lang, "not_ended", t=i18n.clock(s.elapsed_s)))
    if s.resumes:
        notes.append(i18n.tn(lang, "resumed", s.resumes))
    if s.skipped_lines:
        notes.append(i18n.tn(lang, "torn", s.skipped_lines))
    return notes


def other_time_lines(s: Summary, lang: str) -> list[str]:
    """Speech not given to a participant: unknown, unnamed voices, unattributed."""
    lines = []
    if s.unknown_s > 0:
        lines.append(f"{t(lang, 'unknown')}{i18n.colon(lang)} {i18n.clock(s.unknown_s)}")
    if s.unnamed_voices_s > 0:
        lines.append(f"{t(lang, 'unnamed_voices')}{i18n.colon(lang)} {i18n.clock(s.unnamed_voices_s)}")
    lines.append(f"{t(lang, 'unattributed')}{i18n.colon(lang)} {i18n.clock(s.unattributed_s)}")
    return lines


def key_lines(summary: Summary, lang: str) -> list[str]:
    lines: list[str] = []
    ran = [p for p in summary.phases if p.ran]
    worst = max(ran, key=lambda p: p.overrun_s, default=None)
    actual, planned = i18n.duration(summary.elapsed_s, lang), i18n.duration(summary.planned_s, lang)
    if worst is not None and worst.overrun_s >= OVERRUN_NOTICE_S:
        lines.append(t(lang, "line_time_over", actual=actual, planned=planned,
                       phase=i18n.typography(lang, "quote").format(worst.name),
                       over=i18n.duration(worst.overrun_s, lang)))
    elif ran:
        lines.append(t(lang, "line_time_ok", actual=actual, planned=planned))
    if not summary.has_speaker_data:
        lines.append(t(lang, "no_speaker_data"))
        return lines
    if summary.speech_s <= 0:
        lines.append(t(lang, "no_turns", time=i18n.duration(summary.unattributed_s, lang)))
        return lines
    phase = focus_phase(summary)
    if phase is not None:
        top = next((n for n in phase.speaking_s if n != UNKNOWN), None)
        silent = list(phase.silent)
        if top is not None:
            head = t(lang, "line_top", phase=phase.name, name=top, pct=i18n.pct(phase.share[top], lang))
        else:
            head = ""
    else:
        top_p = next((p for p in summary.people if p.speaking_s > 0), None)
        head = t(lang, "line_top_session", name=top_p.name, pct=i18n.pct(top_p.share, lang)) if top_p else ""
        silent = list(summary.silent_consultants)
    if silent:
        tail = t(lang, "line_silent_one" if len(silent) == 1 else "line_silent_many",
                 names=i18n.join_names(silent, lang))
    else:
        tail = t(lang, "line_all_spoke") if summary.consultants else ""
    text = _sep(lang).join(x for x in (head, tail) if x)
    if text:
        lines.append(i18n.capitalise(text) + ".")
    if summary.balance is not None:
        lines.append(t(lang, "line_balance", value=i18n.number(summary.balance, lang, 2)))
    if summary.warnings:
        counts = Counter(w.rule for w in summary.warnings).most_common(3)
        rules = ", ".join(i18n.rule(rule, lang) + (f"{i18n.NBSP}×{n}" if n > 1 else "") for rule, n in counts)
        lines.append(i18n.tn(lang, "line_breaks", len(summary.warnings), rule=rules))
    return lines
