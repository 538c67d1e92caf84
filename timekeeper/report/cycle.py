"""The cycle view: several sessions of one group side by side.

Each member's share of speaking time per session and over the cycle, who has been
client (and who not yet), and the trend of the consultants' balance index.
Formats: Markdown, HTML (self-contained, inline SVG), JSON ("timekeeper-cycle/1").
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from timekeeper.errors import ConfigError, JournalError
from timekeeper.report import i18n
from timekeeper.report.i18n import t
from timekeeper.report.summary import Summary

SCHEMA_ID = "timekeeper-cycle/1"
TREND_FLAT = 0.02  # slope (balance per session) below which the trend is "stable"


@dataclass(frozen=True)
class CycleSession:
    dir: str
    summary: Summary

    @property
    def label(self) -> str:
        return self.summary.started_at[:10] or Path(self.dir).name


@dataclass(frozen=True)
class Member:
    name: str
    sessions: int
    speaking_s: float
    share: float
    times_client: int


@dataclass(frozen=True)
class Cycle:
    sessions: tuple[CycleSession, ...]
    members: tuple[Member, ...]
    clients: tuple[str, ...]
    not_yet_client: tuple[str, ...]
    balance_trend: float | None


def slope(values: Sequence[float]) -> float | None:
    """Least-squares slope of ``values`` against 0, 1, 2...; None with fewer than 2."""
    n = len(values)
    if n < 2:
        return None
    mx, my = (n - 1) / 2, sum(values) / n
    return sum((i - mx) * (v - my) for i, v in enumerate(values)) / sum((i - mx) ** 2 for i in range(n))


def summarize_cycle(sessions: Sequence[tuple[str, Summary]]) -> Cycle:
    """Pure: the cycle of already summarised sessions (sorted by start time, then folder)."""
    ordered = sorted((CycleSession(d, s) for d, s in sessions), key=lambda c: (c.summary.started_at, c.dir))
    names: list[str] = []
    for c in ordered:
        for p in c.summary.people:
            if p.role != "voice" and p.name not in names:
                names.append(p.name)
    total = sum(c.summary.speech_s for c in ordered)
    members = []
    for name in names:
        present = [c.summary.person(name) for c in ordered]
        speaking = sum(p.speaking_s for p in present if p is not None)
        members.append(Member(name, sum(p is not None for p in present), speaking,
                              speaking / total if total > 0 else 0.0,
                              sum(name in c.summary.clients for c in ordered)))
    clients = [n for c in ordered for n in c.summary.clients]
    clients = list(dict.fromkeys(clients))
    never = [m.name for m in members if m.name not in clients
             and any((p := c.summary.person(m.name)) is not None and p.role != "animateur" for c in ordered)]
    balances = [c.summary.balance for c in ordered if c.summary.balance is not None]
    members.sort(key=lambda m: -m.speaking_s)
    return Cycle(tuple(ordered), tuple(members), tuple(clients), tuple(never), slope(balances))


def session_dirs(dirs: Sequence[Path]) -> list[Path]:
    """The session folders: each DIR holding a journal, or the sub-folders of a DIR
    that do (``--cycle sessions/`` takes every session in it)."""
    from timekeeper.journal import JOURNAL_NAME

    out: list[Path] = []
    for d in map(Path, dirs):
        if d.is_dir() and not (d / JOURNAL_NAME).is_file():
            found = sorted(sub for sub in d.iterdir() if (sub / JOURNAL_NAME).is_file())
            if found:
                out += found
                continue
        out.append(d)  # read_journal names the problem if there is no journal
    return out


def load_cycle(dirs: Sequence[Path], renames: Mapping[str, str] | None = None) -> Cycle:
    from timekeeper.report import load_summary

    if not dirs:
        raise ConfigError("--cycle needs at least one session folder")
    return summarize_cycle([(str(d), load_summary(d, renames)) for d in session_dirs(dirs)])


def _trend_text(c: Cycle, lang: str) -> str:
    if c.balance_trend is None:
        return ""
    key = "trend_flat" if abs(c.balance_trend) < TREND_FLAT else ("trend_up" if c.balance_trend > 0 else "trend_down")
    return t(lang, key)


def _share(c: CycleSession, name: str) -> float | None:
    p = c.summary.person(name)
    return None if p is None or not c.summary.has_speaker_data else p.share


# --- JSON -------------------------------------------------------------------------------


def to_dict(c: Cycle, lang: str) -> dict[str, Any]:
    r = lambda x, d=3: None if x is None else round(float(x), d)  # noqa: E731
    return {
        "schema": SCHEMA_ID,
        "lang": lang,
        "sessions": [{
            "dir": s.dir, "started_at": s.summary.started_at,
            "agenda": {"id": s.summary.agenda_id, "name": s.summary.agenda_name},
            "clients": list(s.summary.clients), "elapsed_s": r(s.summary.elapsed_s),
            "planned_s": r(s.summary.planned_s),
            "overrun_s": r(max(0.0, s.summary.actual_s - s.summary.planned_s)),
            "balance": r(s.summary.balance, 4), "has_speaker_data": s.summary.has_speaker_data,
            "shares": {p.name: r(p.share, 4) for p in s.summary.people if s.summary.has_speaker_data},
            "speaking_s": {p.name: r(p.speaking_s) for p in s.summary.people if s.summary.has_speaker_data},
        } for s in c.sessions],
        "members": [{"name": m.name, "sessions": m.sessions, "speaking_s": r(m.speaking_s),
                     "share": r(m.share, 4), "times_client": m.times_client} for m in c.members],
        "clients": list(c.clients),
        "not_yet_client": list(c.not_yet_client),
        "balance_trend": r(c.balance_trend, 4),
    }


# --- Markdown -------------------------------------------------------------------------


def render_md(c: Cycle, lang: str) -> str:
    from timekeeper.report.markdown import _table, bar

    colon = i18n.colon(lang)
    L = [f"# {t(lang, 'cycle_title')}", ""]
    head = [t(lang, "session"), t(lang, "client"), t(lang, "duration"), t(lang, "planned"), t(lang, "balance")]
    rows = [[s.label, ", ".join(s.summary.clients), i18n.clock(s.summary.elapsed_s), i18n.clock(s.summary.planned_s),
             i18n.number(s.summary.balance, lang, 2) if s.summary.balance is not None else "–"] for s in c.sessions]
    L += [f"## {t(lang, 'sessions')}", ""] + _table(head, rows, {2, 3, 4})
    L += ["", f"## {t(lang, 'cycle_shares')}", ""]
    head = [t(lang, "person")] + [s.label for s in c.sessions] + [t(lang, "cycle_share_total"), ""]
    rows = []
    for m in c.members:
        cells = [(i18n.pct(v, lang) + (" ★" if m.name in s.summary.clients else "")) if (v := _share(s, m.name))
                 is not None else "–" for s in c.sessions]
        rows.append([m.name] + cells + [i18n.pct(m.share, lang), bar(m.share, 12)])
    L += _table(head, rows, set(range(1, len(c.sessions) + 2)))
    L += ["", "★ = " + t(lang, "client").lower(), ""]
    L.append(f"**{t(lang, 'clients_so_far')}**{colon} {i18n.join_names(list(c.clients), lang) or '–'}  ")
    L.append(f"**{t(lang, 'not_yet_client')}**{colon} {i18n.join_names(list(c.not_yet_client), lang) or '–'}  ")
    balances = [i18n.number(s.summary.balance, lang, 2) for s in c.sessions if s.summary.balance is not None]
    if balances:
        L.append(f"**{t(lang, 'balance_trend')}**{colon} {' → '.join(balances)}"
                 + (f" ({_trend_text(c, lang)})" if _trend_text(c, lang) else ""))
    L += ["", f"_{t(lang, 'balance_explain')}_", ""]
    return "\n".join(L)


# --- HTML ---------------------------------------------------------------------------------


def render_html(c: Cycle, lang: str) -> str:
    from timekeeper.report.html import LABEL_W, W, colours, esc, page, svg, text

    col = colours([m.name for m in c.members])
    colon = i18n.colon(lang)
    # stacked bars: one per session, each member's share
    parts, y = [], 4
    x0, width = LABEL_W + 10, W - LABEL_W - 16
    for s in c.sessions:
        label = s.label + (f" · {', '.join(s.summary.clients)}" if s.summary.clients else "")
        parts.append(text(LABEL_W, y + 17, label, anchor="end", size=12, max_w=LABEL_W, full=label))
        x = x0
        order = {m.name: i for i, m in enumerate(c.members)}  # same order in every bar
        for p in sorted(s.summary.people, key=lambda p: order.get(p.name, len(order))):
            w = width * p.share
            if w <= 0:
                continue
            parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="20" '
                         f'fill="{col.get(p.name, "#a0a7b0")}" stroke="#fff" stroke-width="1">'
                         f"<title>{esc(p.name)} {esc(i18n.pct(p.share, lang))}</title></rect>")
            if w > 44:
                parts.append(text(x + 4, y + 18, i18n.pct(p.share, lang), size=11, max_w=w - 6))
            x += w
        if not s.summary.has_speaker_data:
            parts.append(text(x0 + 4, y + 18, t(lang, "no_speaker_data"), size=11, cls="muted", max_w=width - 8))
        y += 30
    shares_svg = svg(y + 2, "".join(parts), t(lang, "cycle_shares"))
    legend = "".join(f'<li><span class="sw" style="background:{col[m.name]}"></span>{esc(m.name)}</li>'
                     for m in c.members)
    # balance trend
    pts = [(i, s.summary.balance) for i, s in enumerate(c.sessions) if s.summary.balance is not None]
    trend_svg = ""
    if pts:
        h, left, right = 150, 90, W - 60
        n = max(len(c.sessions) - 1, 1)
        X = lambda i: left + (right - left) * (i / n if len(c.sessions) > 1 else 0.5)  # noqa: E731
        Y = lambda v: 20 + (h - 50) * (1 - v)  # noqa: E731
        g = [f'<line x1="{left}" x2="{right}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#e4e7eb"/>'
             + text(left - 8, Y(v) + 4, i18n.number(v, lang, 1), size=11, anchor="end", cls="muted")
             for v in (0.0, 0.5, 1.0)]
        g.append('<polyline fill="none" stroke="#334e68" stroke-width="2.5" points="'
                 + " ".join(f"{X(i):.1f},{Y(v):.1f}" for i, v in pts) + '"/>')
        for i, v in pts:
            g.append(f'<circle cx="{X(i):.1f}" cy="{Y(v):.1f}" r="4.5" fill="#334e68"/>')
            g.append(text(X(i), Y(v) + (18 if v > 0.8 else -9), i18n.number(v, lang, 2), size=11, anchor="middle"))
        for i, s in enumerate(c.sessions):
            g.append(text(X(i), h - 8, s.label, size=11, anchor="middle", cls="muted",
                          max_w=max(60.0, (right - left) / max(len(c.sessions), 1) - 8)))
        trend_svg = svg(h, "".join(g), t(lang, "balance_trend"))
    # table
    ths = "".join(f'<th class="n">{esc(s.label)}</th>' for s in c.sessions)
    rows = [f'<tr><td>{esc(t(lang, "client"))}</td>'
            + "".join(f"<td class=\"n\">{esc(', '.join(s.summary.clients))}</td>" for s in c.sessions) + "<td></td></tr>",
            f'<tr><td>{esc(t(lang, "duration"))}</td>'
            + "".join(f'<td class="n">{esc(i18n.clock(s.summary.elapsed_s))}</td>' for s in c.sessions) + "<td></td></tr>"]
    for m in c.members:
        cells = []
        for s in c.sessions:
            v = _share(s, m.name)
            star = " ★" if m.name in s.summary.clients else ""
            cells.append(f'<td class="n">{esc(i18n.pct(v, lang)) + star if v is not None else "–"}</td>')
        rows.append(f'<tr><td><span class="dot" style="background:{col[m.name]}"></span> {esc(m.name)}</td>'
                    + "".join(cells) + f'<td class="n"><b>{esc(i18n.pct(m.share, lang))}</b></td></tr>')
    table = (f'<table><thead><tr><th style="width:24%">{esc(t(lang, "person"))}</th>{ths}'
             f'<th class="n">{esc(t(lang, "cycle_share_total"))}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    trend = _trend_text(c, lang)
    body = [f'<header><p class="kicker">{esc(t(lang, "cycle_title"))}</p>'
            f'<h1>{esc(c.sessions[0].summary.agenda_name if c.sessions else "")}</h1>'
            f'<p class="meta"><b>{esc(t(lang, "sessions"))}</b>{colon} {len(c.sessions)} · '
            f'<b>{esc(t(lang, "clients_so_far"))}</b>{colon} {esc(i18n.join_names(list(c.clients), lang) or "–")} · '
            f'<b>{esc(t(lang, "not_yet_client"))}</b>{colon} {esc(i18n.join_names(list(c.not_yet_client), lang) or "–")}'
            f"</p></header>",
            f'<section><h2>{esc(t(lang, "cycle_shares"))}</h2>{shares_svg}<ul class="legend">{legend}</ul>{table}</section>']
    if trend_svg:
        body.append(f'<section><h2>{esc(t(lang, "balance_trend"))}</h2>{trend_svg}'
                    + (f'<p class="meta">{esc(i18n.capitalise(trend))}.</p>' if trend else "")
                    + f'<p class="explain">{esc(t(lang, "balance_explain"))}</p></section>')
    body.append(f"<footer>{esc(t(lang, 'generated'))}</footer>")
    return page(t(lang, "cycle_title"), "\n".join(body), lang)


# --- entry points ----------------------------------------------------------------------------


def build_cycle_report(dirs: Sequence[Path], fmt: str = "html", lang: str | None = None,
                       renames: Mapping[str, str] | None = None) -> str:
    c = load_cycle(dirs, renames)
    lang = i18n.check_lang(lang or (c.sessions[0].summary.lang if c.sessions else "en"))
    if fmt == "json":
        return json.dumps(to_dict(c, lang), ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return render_md(c, lang)
    if fmt == "html":
        return render_html(c, lang)
    raise ConfigError(f"the cycle view is written as html, md or json, not '{fmt}'")


def write_cycle_report(dirs: Sequence[Path], fmt: str = "html", out: Path | None = None, lang: str | None = None,
                       renames: Mapping[str, str] | None = None) -> Path:
    """Write the cycle view; default path: <common parent of the folders>/cycle-report.<ext>."""
    text_out = build_cycle_report(dirs, fmt, lang, renames)
    if out is None:
        parents = [str(Path(d).resolve().parent) for d in session_dirs(dirs)]
        out = Path(os.path.commonpath(parents)) / f"cycle-report.{fmt}"
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text_out, encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"{out}: cannot write the cycle report ({exc.strerror}); choose another --out") from exc
    return out
