"""One to four plain-language lines a facilitator can read out, in French or English."""

from __future__ import annotations

from collections import Counter

from timekeeper.report import i18n
from timekeeper.report.i18n import t
from timekeeper.report.summary import UNKNOWN, PhaseSummary, Summary

OVERRUN_NOTICE_S = 30.0  # smaller overruns are not worth a sentence in a phase of 5 minutes or more,
OVERRUN_NOTICE_FRACTION = 0.1  # nor below a tenth of a shorter phase's time box


def overran(p: PhaseSummary) -> bool:
    """Did the phase notably overrun its time box (relative to its length)?"""
    return p.overrun_s >= max(1.0, min(OVERRUN_NOTICE_S, OVERRUN_NOTICE_FRACTION * p.planned_s))


def _speaks_for(role: str, speakers: str) -> bool:
    """Is a person of ``role`` one of the expected speakers of a phase (the facilitator never is)?"""
    if speakers == "consultants":
        return role in ("consultant", "voice")
    if speakers == "everyone":
        return role in ("client", "consultant", "voice")
    return role == "client"


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
    worst = max((p for p in ran if overran(p)), key=lambda p: p.overrun_s, default=None)
    actual, planned = i18n.duration(summary.elapsed_s, lang), i18n.duration(summary.planned_s, lang)
    if worst is not None:
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
        roles = {p.name: p.role for p in summary.people}
        top = next((n for n in phase.speaking_s
                    if n != UNKNOWN and _speaks_for(roles.get(n, "consultant"), phase.speakers)), None)
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
        names = {p.id: p.name for p in summary.phases}

        def where(rule: str) -> str:  # in which phases: "every consultant spoke" is about another one
            if rule in ("client_in_consultation", "consultant_in_presentation"):
                return ""  # the rule's name says it
            phases = list(dict.fromkeys(names.get(w.phase_id or "", "") for w in summary.warnings if w.rule == rule))
            return f" ({', '.join(p for p in phases if p)})" if any(phases) else ""

        rules = ", ".join(i18n.rule(rule, lang) + (f"{i18n.NBSP}×{n}" if n > 1 else "") + where(rule)
                          for rule, n in counts)
        lines.append(i18n.tn(lang, "line_breaks", len(summary.warnings), rule=rules))
    return lines
