"""The HTML report: one self-contained file (inline CSS and SVG, no script, no external
resource) that reads well on screen and prints on A4.

Charts: planned vs actual per phase, share of speaking time per person, and who spoke
when across the phases. Long names are shortened in the charts (full name in a
tooltip) and wrap in the tables, so nothing overflows.
"""

from __future__ import annotations

from html import escape

from timekeeper.report import i18n
from timekeeper.report.i18n import t
from timekeeper.report.readout import journal_notes, key_lines, other_time_lines
from timekeeper.report.summary import UNKNOWN, PhaseSummary, Summary

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#1b998b", "#7b4fa0", "#7f8c8d")
GREY_UNKNOWN = "#a0a7b0"
GREY_UNATTRIBUTED = "#d5d9de"
PLANNED = "#cfd8e3"
OVERRUN = "#d9480f"
W = 1000  # SVG user units across
LABEL_W = 210  # left column of the person charts
CHAR_W = 8.6  # generous width of one character at 13 units (DejaVu Sans is wide)

CSS = """
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:#f4f5f7;color:#1f2933;font:15px/1.45 "DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif}
.page{max-width:1120px;margin:0 auto;background:#fff;padding:36px 44px 28px}
h1{font-size:26px;margin:0 0 4px;line-height:1.2;overflow-wrap:anywhere}
h2{font-size:17px;margin:26px 0 10px;padding-bottom:4px;border-bottom:2px solid #e4e7eb;color:#243b53}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#627d98;margin:0}
.meta{color:#486581;margin:6px 0 0;overflow-wrap:anywhere}
.meta b{color:#1f2933}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0 0;padding:0;list-style:none}
.chips li{display:inline-flex;align-items:center;gap:6px;border:1px solid #d9e2ec;border-radius:14px;padding:2px 10px 2px 6px;font-size:13px;max-width:100%;overflow-wrap:anywhere}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;flex:none}
.role{color:#829ab1;font-size:12px}
.note{background:#fff8e1;border-left:4px solid #f0b429;padding:6px 12px;margin:10px 0 0;font-size:13px}
.key{background:#f0f4f8;border-left:5px solid #334e68;padding:12px 18px;margin:18px 0 0;border-radius:0 6px 6px 0}
.key p{margin:4px 0;font-size:16px;overflow-wrap:anywhere}
.explain{color:#627d98;font-size:13px;margin:6px 0 0}
svg{display:block;width:100%;height:auto;margin:4px 0}
svg text{font-family:"DejaVu Sans","Segoe UI",Helvetica,Arial,sans-serif;fill:#1f2933}
svg .muted{fill:#627d98}
table{width:100%;border-collapse:collapse;font-size:13px;table-layout:fixed;margin:6px 0}
th,td{padding:4px 6px;border-bottom:1px solid #e4e7eb;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{color:#486581;font-weight:600;font-size:12px}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
th.cut{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
tr.total td{font-weight:600;border-top:2px solid #bcccdc}
.over{color:#d9480f;font-weight:600}
.warn{margin:4px 0;padding:0;list-style:none}
.warn li{padding:3px 0;border-bottom:1px dotted #d9e2ec;font-size:13px;overflow-wrap:anywhere}
.warn .when{color:#829ab1;font-variant-numeric:tabular-nums;margin-right:6px}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#486581;margin:2px 0 0;padding:0;list-style:none}
.legend li{display:inline-flex;align-items:center;gap:5px;overflow-wrap:anywhere;max-width:100%}
.sw{display:inline-block;width:12px;height:10px;border-radius:2px;flex:none}
footer{margin-top:26px;color:#9fb3c8;font-size:12px}
.empty{color:#627d98;font-style:italic}
svg,tr,.key,li{break-inside:avoid}
h2,h3{break-after:avoid}
@page{size:A4;margin:12mm}
@media print{body{background:#fff;font-size:10pt}.page{max-width:none;padding:0}h2{margin-top:16px}
 .key p{font-size:11pt}}
@media print,(max-width:860px){.page{padding:20px 16px}table{font-size:11px}th{font-size:10px}
 th,td{padding:3px 3px}}
"""


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def short(text: str, max_units: float, char_w: float = CHAR_W) -> str:
    """``text`` shortened with an ellipsis to fit about ``max_units`` wide."""
    n = max(3, int(max_units / char_w))
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def colours(names: list[str]) -> dict[str, str]:
    out = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(n for n in names if n != UNKNOWN)}
    out[UNKNOWN] = GREY_UNKNOWN
    return out


def page(title: str, body: str, lang: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<div class=\"page\">\n"
            f"{body}\n</div>\n</body>\n</html>\n")


def svg(height: float, inner: str, label: str) -> str:
    return (f'<svg viewBox="0 0 {W} {height:.0f}" role="img" aria-label="{esc(label)}" '
            f'xmlns="http://www.w3.org/2000/svg">{inner}</svg>')


def text(x: float, y: float, content: str, *, size: int = 13, anchor: str = "start", cls: str = "",
         weight: str = "", max_w: float | None = None, full: str | None = None) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if cls:
        attrs += f' class="{cls}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if max_w is not None:
        attrs += f' data-maxw="{max_w:.0f}"'
        content = short(content, max_w, CHAR_W * size / 13)
    title = f"<title>{esc(full)}</title>" if full and full != content else ""
    return f"<text {attrs}>{title}{esc(content)}</text>"


def rect(x: float, y: float, w: float, h: float, fill: str, extra: str = "") -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(0.0, w):.1f}" height="{h:.1f}" fill="{fill}"{extra}/>'


# --- charts -------------------------------------------------------------------------


def phases_chart(s: Summary, lang: str) -> str:
    """Planned (light bar) against actual (dark bar, overrun in orange) for each phase."""
    scale_s = max([max(p.planned_s, p.actual_s) for p in s.phases] + [1.0])
    bar_w = W - 4
    row_h, y = 44, 4
    parts = []
    for p in s.phases:
        label = f"{p.number}. {p.name}"
        figures = (f"{t(lang, 'legend_actual')} {i18n.clock(p.actual_s)} · {t(lang, 'legend_planned')} "
                   f"{i18n.clock(p.planned_s)}" if p.ran else t(lang, "not_run"))
        if p.overrun_s > 0:
            figures += f" · +{i18n.clock(p.overrun_s)}"
        parts.append(text(0, y + 14, label, weight="600", max_w=W - 290, full=label))
        parts.append(text(W, y + 14, figures, anchor="end", cls="muted", size=12))
        planned_w = bar_w * p.planned_s / scale_s
        parts.append(rect(0, y + 20, planned_w, 16, PLANNED, ' rx="3"'))
        if p.ran:
            in_time = min(p.actual_s, p.planned_s)
            parts.append(rect(0, y + 23, bar_w * in_time / scale_s, 10, "#334e68", ' rx="2"'))
            if p.overrun_s > 0:
                parts.append(rect(bar_w * p.planned_s / scale_s, y + 23, bar_w * p.overrun_s / scale_s, 10,
                                  OVERRUN, ' rx="2"'))
        if p.extended_s > 0:
            x = bar_w * p.initial_planned_s / scale_s
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 18}" y2="{y + 38}" stroke="#627d98" '
                         f'stroke-dasharray="3 2"/>')
        y += row_h
    return svg(y + 2, "".join(parts), t(lang, "phases"))


def share_chart(s: Summary, lang: str, col: dict[str, str]) -> str:
    """One bar per person (their share of all speaking time), then unknown and unattributed."""
    rows = [(p.name, i18n.role(p.role, lang), p.speaking_s, p.share, col[p.name]) for p in s.people]
    if s.unknown_s > 0:
        rows.append((t(lang, "unknown"), "", s.unknown_s, s.unknown_s / s.speech_s if s.speech_s else 0.0,
                     GREY_UNKNOWN))
    if s.unattributed_s > 0:  # not a share of attributed speech: time only, same scale
        rows.append((t(lang, "unattributed_short"), "", s.unattributed_s,
                     s.unattributed_s / s.speech_s if s.speech_s else 1.0, GREY_UNATTRIBUTED))
    top = max([r[3] for r in rows] + [0.01])
    x0, bar_max = LABEL_W + 10, W - LABEL_W - 10 - 150
    row_h, y = 26, 2
    parts = []
    for name, role, secs, share, colour in rows:
        parts.append(text(LABEL_W, y + 15, name, anchor="end", max_w=LABEL_W, full=f"{name} ({role})" if role else name))
        w = bar_max * share / top
        parts.append(rect(x0, y + 4, w, 16, colour, ' rx="3"'))
        figure = i18n.clock(secs) if colour == GREY_UNATTRIBUTED else f"{i18n.pct(share, lang)} · {i18n.clock(secs)}"
        parts.append(text(x0 + w + 6, y + 16, figure, size=12, cls="muted"))
        y += row_h
    return svg(y + 2, "".join(parts), t(lang, "people"))


def _ticks(elapsed_s: float) -> list[float]:
    for step in (60, 120, 300, 600, 900, 1800, 3600):
        if elapsed_s / step <= 10:
            break
    return [i * step for i in range(int(elapsed_s // step) + 1)]


def timeline_chart(s: Summary, lang: str, col: dict[str, str]) -> str:
    """One lane per person; phases as shaded bands; merged turns as coloured blocks."""
    end_s = max([s.elapsed_s] + [tr.end_s for tr in s.timeline] + [b for _, b in s.unattributed] + [1.0])
    start_s = min([0.0] + [p.start_s for p in s.phases if p.start_s is not None])
    x0, x1 = LABEL_W + 10, W - 6
    span = max(end_s - start_s, 1.0)

    def X(sec: float) -> float:
        return x0 + (x1 - x0) * (sec - start_s) / span

    lanes = [p.name for p in s.people]
    if s.unknown_s > 0:
        lanes.append(UNKNOWN)
    if s.unattributed:
        lanes.append("__unattributed__")
    lane_h, top = 20, 26
    height = top + lane_h * len(lanes) + 26
    parts = []
    bottom = top + lane_h * len(lanes)
    ran = sorted((p for p in s.phases if p.ran), key=lambda p: p.start_s or 0.0)
    for i, p in enumerate(ran):
        a, b = X(p.start_s or 0.0), X(p.end_s or p.start_s or 0.0)
        parts.append(rect(a, top - 4, b - a, bottom - top + 8, "#f0f4f8" if i % 2 == 0 else "#ffffff"))
        parts.append(f'<line x1="{a:.1f}" x2="{a:.1f}" y1="{top - 22}" y2="{bottom + 4}" stroke="#bcccdc"/>')
        label = f"{p.number}. {p.name}"
        if (b - a) > 6 * CHAR_W * 12 / 13:
            parts.append(text(a + 4, top - 9, label, size=12, cls="muted", max_w=b - a - 8, full=label))
        else:
            parts.append(text(a + 3, top - 9, str(p.number), size=12, cls="muted", max_w=max(b - a, 14),
                              full=label))
    for a, b in s.pauses:
        parts.append(rect(X(a), top - 4, X(b) - X(a), bottom - top + 8, "url(#tk-paused)"))
    # lanes
    blocks: dict[str, list[tuple[float, float]]] = {name: [] for name in lanes}
    min_gap = span / 1500  # merge what the eye cannot separate anyway
    for tr in s.timeline:
        lane = blocks.get(tr.speaker)
        if lane is None:
            continue
        if lane and tr.start_s - lane[-1][1] <= min_gap:
            lane[-1] = (lane[-1][0], max(lane[-1][1], tr.end_s))
        else:
            lane.append((tr.start_s, tr.end_s))
    blocks["__unattributed__"] = list(s.unattributed) if "__unattributed__" in blocks else []
    for i, name in enumerate(lanes):
        y = top + i * lane_h
        label = t(lang, "unknown") if name == UNKNOWN else (
            t(lang, "unattributed_short") if name == "__unattributed__" else name)
        parts.append(text(LABEL_W, y + 14, label, anchor="end", size=12, max_w=LABEL_W, full=label))
        parts.append(f'<line x1="{x0}" x2="{x1}" y1="{y + lane_h - 0.5:.1f}" y2="{y + lane_h - 0.5:.1f}" '
                     f'stroke="#e4e7eb"/>')
        colour = GREY_UNATTRIBUTED if name == "__unattributed__" else col.get(name, GREY_UNKNOWN)
        for a, b in blocks.get(name, []):
            parts.append(rect(X(a), y + 4, max(X(b) - X(a), 0.8), lane_h - 8, colour))
    for tick in _ticks(span):
        x = X(start_s + tick)
        if x > x1 - 24:  # the label would stick out of the chart
            continue
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom + 4}" y2="{bottom + 9}" stroke="#829ab1"/>')
        parts.append(text(x, bottom + 22, i18n.clock(tick), size=11, anchor="middle", cls="muted"))
    defs = ('<defs><pattern id="tk-paused" width="6" height="6" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            '<line x1="0" y1="0" x2="0" y2="6" stroke="#cbd2d9" stroke-width="2"/></pattern></defs>')
    return svg(height, defs + "".join(parts), t(lang, "timeline"))


# --- sections ---------------------------------------------------------------------------


def _header(s: Summary, lang: str, col: dict[str, str]) -> str:
    h = [f'<p class="kicker">{esc(t(lang, "title"))}</p>', f"<h1>{esc(s.agenda_name or s.agenda_id)}</h1>"]
    meta = []
    if s.started_at:
        meta.append(f"<b>{esc(t(lang, 'date'))}</b>{i18n.colon(lang)} {esc(s.started_at[:16].replace('T', ' '))}")
    meta.append(f"<b>{esc(t(lang, 'duration'))}</b>{i18n.colon(lang)} {esc(i18n.clock(s.elapsed_s))} "
                f"({esc(t(lang, 'planned').lower())} {esc(i18n.clock(s.planned_s))})")
    if s.paused_s > 0:
        meta.append(f"<b>{esc(t(lang, 'paused'))}</b>{i18n.colon(lang)} {esc(i18n.clock(s.paused_s))}")
    h.append(f'<p class="meta">{" · ".join(meta)}</p>')
    chips = [f'<li><span class="dot" style="background:{col.get(p.name, GREY_UNKNOWN)}"></span>{esc(p.name)}'
             f' <span class="role">{esc(i18n.role(p.role, lang))}</span></li>' for p in s.people]
    if chips:
        h.append(f'<ul class="chips" aria-label="{esc(t(lang, "participants"))}">{"".join(chips)}</ul>')
    notes = journal_notes(s, lang)
    h += [f'<p class="note">{esc(n)}</p>' for n in notes]
    lines = "".join(f"<p>{esc(line)}</p>" for line in key_lines(s, lang))
    h.append(f'<div class="key" aria-label="{esc(t(lang, "key_points"))}">{lines}</div>')
    return "<header>" + "".join(h) + "</header>"


def _who(p: PhaseSummary, lang: str, col: dict[str, str], limit: int = 5) -> str:
    out = []
    ranked = sorted(p.share.items(), key=lambda kv: -kv[1])
    if len(ranked) > limit + 1:
        ranked, rest = ranked[:limit], len(ranked) - limit
    else:
        rest = 0
    for name, share in ranked:
        label = t(lang, "unknown").lower() if name == UNKNOWN else name
        out.append(f'<span class="dot" style="background:{col.get(name, GREY_UNKNOWN)}"></span> '
                   f"{esc(label)} {esc(i18n.pct(share, lang))}")
    if rest:
        out.append(f'<span class="role">{esc(t(lang, "others", n=rest))}</span>')
    return "<br>".join(out)


def _phases_section(s: Summary, lang: str, col: dict[str, str]) -> str:
    legend = (f'<ul class="legend"><li><span class="sw" style="background:{PLANNED}"></span>'
              f'{esc(t(lang, "legend_planned"))}</li><li><span class="sw" style="background:#334e68"></span>'
              f'{esc(t(lang, "legend_actual"))}</li><li><span class="sw" style="background:{OVERRUN}"></span>'
              f'{esc(t(lang, "legend_overrun"))}</li></ul>')
    head = [(t(lang, "phase"), "", 24), (t(lang, "planned"), "n", 9), (t(lang, "actual"), "n", 9),
            (t(lang, "overrun"), "n", 12)]
    if s.has_speaker_data:
        head += [(t(lang, "who_spoke"), "", 23), (t(lang, "silent"), "", 13), (t(lang, "balance"), "n", 10)]
    cols = "".join(f'<col style="width:{w}%">' for _, _, w in head)
    ths = "".join(f'<th class="{c}">{esc(h)}</th>' for h, c, _ in head)
    rows = []
    for p in s.phases:
        over = f'<span class="over">+{esc(i18n.clock(p.overrun_s))}</span>' if p.overrun_s > 0 else ""
        ext = (f'<br><span class="role" title="{esc(t(lang, "extended"))}">(+{esc(i18n.clock(p.extended_s))})</span>'
               if p.extended_s > 0 else "")
        rule = f' title="{esc(p.rule)}"' if p.rule else ""
        cells = [f"<td{rule}>{esc(p.name)}<br><span class=\"role\">{esc(t(lang, 'speakers_' + p.speakers))}</span></td>",
                 f'<td class="n">{esc(i18n.clock(p.planned_s))}{ext}</td>',
                 f'<td class="n">{esc(i18n.clock(p.actual_s)) if p.ran else esc(t(lang, "not_run"))}</td>',
                 f'<td class="n">{over}</td>']
        if s.has_speaker_data:
            cells += [f"<td>{_who(p, lang, col)}</td>", f"<td>{esc(', '.join(p.silent))}</td>",
                      f'<td class="n">{esc(i18n.number(p.balance, lang, 2)) if p.balance is not None else ""}</td>']
        rows.append("<tr>" + "".join(cells) + "</tr>")
    total_over = max(0.0, s.actual_s - s.planned_s)
    rows.append(f'<tr class="total"><td>{esc(t(lang, "total"))}</td><td class="n">{esc(i18n.clock(s.planned_s))}</td>'
                f'<td class="n">{esc(i18n.clock(s.actual_s))}</td><td class="n">'
                f'{"+" + esc(i18n.clock(total_over)) if total_over > 0 else ""}</td>'
                + ("<td></td>" * 3 if s.has_speaker_data else "") + "</tr>")
    table = f"<table><colgroup>{cols}</colgroup><thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    return (f'<section id="phases"><h2>{esc(t(lang, "phases"))}</h2>{phases_chart(s, lang)}{legend}{table}</section>')


def _people_section(s: Summary, lang: str, col: dict[str, str]) -> str:
    ran = [p for p in s.phases if p.ran]
    head = (f'<tr><th style="width:22%">{esc(t(lang, "person"))}</th><th class="n">{esc(t(lang, "speaking"))}</th>'
            f'<th class="n">{esc(t(lang, "share"))}</th><th class="n">{esc(t(lang, "turns"))}</th>'
            f'<th class="n">{esc(t(lang, "longest"))}</th></tr>')
    rows = []
    for p in s.people:
        rows.append(f'<tr><td><span class="dot" style="background:{col[p.name]}"></span> {esc(p.name)} '
                    f'<span class="role">{esc(i18n.role(p.role, lang))}</span></td>'
                    f'<td class="n">{esc(i18n.clock(p.speaking_s))}</td><td class="n">{esc(i18n.pct(p.share, lang))}</td>'
                    f'<td class="n">{p.turns}</td><td class="n">{esc(i18n.clock(p.longest_turn_s))}</td></tr>')
    table = f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
    extra = other_time_lines(s, lang)
    if s.silent_consultants:
        extra.append(f"{t(lang, 'silent')}{i18n.colon(lang)} {i18n.join_names(list(s.silent_consultants), lang)}")
    balance = ""
    if s.balance is not None:
        balance = (f"<p><b>{esc(t(lang, 'balance_group'))}</b>{i18n.colon(lang)} "
                   f"{esc(i18n.number(s.balance, lang, 2))}</p>")
    balance += f'<p class="explain">{esc(t(lang, "balance_explain"))}</p>'
    matrix_head = "".join(f'<th class="n cut" title="{esc(p.name)}">{esc(p.number)}. {esc(p.name)}</th>'
                          for p in ran)
    matrix_rows = []
    for person in s.people:
        cells = []
        for ph in ran:
            secs = person.per_phase_s.get(ph.id, 0.0)
            share = ph.share.get(person.name, 0.0)
            shade = f' style="background:rgba(51,78,104,{0.05 + 0.35 * share:.2f})"' if secs > 0 else ""
            cells.append(f'<td class="n"{shade}>{esc(i18n.clock(secs)) if secs > 0 else "·"}</td>')
        matrix_rows.append(f"<tr><td>{esc(person.name)}</td>{''.join(cells)}</tr>")
    matrix = (f'<h2>{esc(t(lang, "per_phase"))}</h2><table><thead><tr><th style="width:18%">'
              f'{esc(t(lang, "person"))}</th>{matrix_head}</tr></thead><tbody>{"".join(matrix_rows)}</tbody></table>')
    return (f'<section id="people"><h2>{esc(t(lang, "people"))}</h2>{share_chart(s, lang, col)}{table}'
            f'<p class="meta">{" · ".join(esc(e) for e in extra)}</p>{balance}</section>'
            f'<section id="timeline"><h2>{esc(t(lang, "timeline"))}</h2>{timeline_chart(s, lang, col)}'
            f'{_timeline_legend(s, lang)}</section>'
            f'<section id="per-phase">{matrix}</section>')


def _timeline_legend(s: Summary, lang: str) -> str:
    items = [f"<li>{esc(p.number)}. {esc(p.name)}</li>" for p in s.phases if p.ran]
    if s.pauses:
        items.append('<li><span class="sw" style="background:repeating-linear-gradient(45deg,#fff 0 2px,'
                     f'#cbd2d9 2px 4px);border:1px solid #cbd2d9"></span>{esc(t(lang, "paused"))}</li>')
    return f'<ul class="legend">{"".join(items)}</ul>'


def _warnings_section(s: Summary, lang: str) -> str:
    if not s.warnings:
        body = f'<p class="empty">{esc(t(lang, "no_warnings"))}</p>'
    else:
        items = []
        for p in s.phases:
            if not p.warnings:
                continue
            lis = "".join(
                f'<li><span class="when">{esc(i18n.clock(w.t_s))}</span><b>{esc(w.speaker)}</b>{i18n.colon(lang)} '
                f'{esc(i18n.rule(w.rule, lang))}'
                + (f" ({esc(i18n.duration(w.value_s, lang))})" if w.value_s > 0 else "") + "</li>"
                for w in p.warnings)
            items.append(f"<h3 style=\"font-size:14px;margin:10px 0 2px\">{esc(p.name)}</h3><ul class=\"warn\">{lis}</ul>")
        other = [w for w in s.warnings if all(w.phase_id != p.id for p in s.phases)]
        if other:
            lis = "".join(f'<li><span class="when">{esc(i18n.clock(w.t_s))}</span><b>{esc(w.speaker)}</b>'
                          f'{i18n.colon(lang)} {esc(i18n.rule(w.rule, lang))}</li>' for w in other)
            items.append(f'<ul class="warn">{lis}</ul>')
        body = "".join(items)
    return f'<section id="warnings"><h2>{esc(t(lang, "warnings"))}</h2>{body}</section>'


def render(s: Summary, lang: str) -> str:
    col = colours([p.name for p in s.people])
    body = [_header(s, lang, col), _phases_section(s, lang, col)]
    if s.has_speaker_data:
        body += [_people_section(s, lang, col), _warnings_section(s, lang)]
    else:
        body.append(f'<p class="empty">{esc(t(lang, "no_speaker_data"))}</p>')
    body.append(f"<footer>{esc(t(lang, 'generated_audio' if s.audio_kept else 'generated'))}</footer>")
    return page(f"{t(lang, 'title')} — {s.agenda_name or s.agenda_id}", "\n".join(body), lang)
