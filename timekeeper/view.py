"""The live terminal view (rich) and its plain-text twin for logs and pipes.

``render(snapshot)`` is pure (tested); ``LiveView`` redraws it a few times a second.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from timekeeper import lang as languages
from timekeeper.announce.announcer import stamp
from timekeeper.events import CommandHeard, Event, PhasePlan, SpeakerWarning

LABELS: dict[str, dict[str, str]] = languages.table("VIEW")  # type: ignore[assignment]


def clock_text(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes:02d}:{secs:02d}"


# A three-line block font for the big clock, readable across a room.
_BIG = {
    "0": ("█▀█", "█ █", "▀▀▀"), "1": (" ▀█", "  █", "  ▀"), "2": ("▀▀█", "█▀▀", "▀▀▀"),
    "3": ("▀▀█", " ▀█", "▀▀▀"), "4": ("█ █", "▀▀█", "  ▀"), "5": ("█▀▀", "▀▀█", "▀▀▀"),
    "6": ("█▀▀", "█▀█", "▀▀▀"), "7": ("▀▀█", "  █", "  ▀"), "8": ("█▀█", "█▀█", "▀▀▀"),
    "9": ("█▀█", "▀▀█", "▀▀▀"), ":": ("   ", " ▀ ", " ▀ "), "-": ("   ", "▀▀▀", "   "),
}


def big_digits(text: str) -> list[str]:
    """``text`` (digits, ':' and '-') as three lines of block characters."""
    return [" ".join(_BIG[c][row] for c in text if c in _BIG) for row in range(3)]


def bar(fraction: float, width: int = 40) -> str:
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True)
class Snapshot:
    lang: str
    plans: tuple[PhasePlan, ...]
    phase_index: int | None
    remaining_s: float
    planned_s: float
    paused: bool
    ended: bool
    session_elapsed_s: float
    session_planned_s: float
    behind_s: float
    speaking_s: dict[str, float] = field(default_factory=dict)
    current_speaker: str | None = None
    last_heard: str | None = None
    warnings: tuple[str, ...] = ()
    last_announcement: str | None = None


def snapshot(pipeline, now: float) -> Snapshot:
    st = pipeline.status(now)
    f = pipeline.figures
    heard = None
    if f.last_heard is not None:
        mark = "✓" if f.last_heard.accepted else "✗"
        heard = f"{mark} " + languages.get(pipeline.phrases.lang).TYPOGRAPHY["heard"].format(f.last_heard.text)
    return Snapshot(
        lang=pipeline.phrases.lang, plans=pipeline.session.plans, phase_index=st.phase_index,
        remaining_s=st.remaining_s, planned_s=st.planned_s, paused=st.paused, ended=st.ended,
        session_elapsed_s=st.session_elapsed_s, session_planned_s=st.session_planned_s,
        behind_s=st.behind_s, speaking_s=dict(f.speaking_s), current_speaker=f.current_speaker,
        last_heard=heard, warnings=tuple(f.warnings), last_announcement=f.last_announcement)


def plan_text(behind_s: float, lang: str) -> str:
    lab = LABELS[lang]
    if behind_s >= 60:
        return f"{clock_text(behind_s)} {lab['behind']}"
    if behind_s <= -60:
        return f"{clock_text(-behind_s)} {lab['ahead']}"
    return lab["on_time"]


def render(s: Snapshot):
    """A rich renderable of the whole screen."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    lab = LABELS.get(s.lang, LABELS["en"])
    parts = []
    if s.ended:
        parts.append(Text(lab["ended"], style="bold"))
    elif s.phase_index is not None:
        plan = s.plans[s.phase_index]
        over = s.remaining_s < 0
        title = Text(f"{lab['phase']} {plan.number} · {plan.name}", style="bold")
        colour = "yellow" if s.paused else ("red" if over else "green")
        lines = big_digits(("-" if over else "") + clock_text(abs(s.remaining_s)))
        big = Text("\n".join(lines), style=f"bold {colour}")
        state = lab["paused"] if s.paused else (lab["over"] if over else lab["left"])
        done = (s.planned_s - s.remaining_s) / s.planned_s if s.planned_s else 0.0
        parts += [title, Text(plan.rule, style="italic dim"), big,
                  Text(f"{state}  ", style="bold reverse yellow" if s.paused else "dim").append(
                      bar(done), style=colour)]
    agenda = Text()
    for i, p in enumerate(s.plans):
        style = "bold reverse" if i == s.phase_index else ("dim" if s.phase_index is not None and i < s.phase_index else "")
        agenda.append(f" {p.number} {p.name} ({clock_text(p.planned_s)}) ", style=style)
        agenda.append("›" if i + 1 < len(s.plans) else "")
    parts.append(agenda)
    parts.append(Text(f"{lab['session']} {clock_text(s.session_elapsed_s)} / {clock_text(s.session_planned_s)}"
                      f" · {plan_text(s.behind_s, s.lang)}"))
    if s.speaking_s:
        total = sum(s.speaking_s.values()) or 1.0
        table = Table.grid(padding=(0, 1))
        for name, secs in sorted(s.speaking_s.items(), key=lambda kv: -kv[1]):
            share = secs / total
            marker = f"◀ {lab['now']}" if name == s.current_speaker else ""
            table.add_row(Text(name[:18]), Text(bar(share, 30), style="cyan"),
                          Text(f"{share * 100:4.0f} %"), Text(marker, style="cyan"))
        parts.append(Panel(table, title=lab["speaking"], title_align="left"))
    if s.last_heard:
        parts.append(Text(f"{lab['heard']} {s.last_heard}", style="dim"))
    for warning in s.warnings:
        parts.append(Text(f"⚠ {warning}", style="yellow"))
    if s.last_announcement:
        parts.append(Text(f"🔊 {s.last_announcement}"))
    parts.append(Text(lab["keys"], style="dim"))
    return Panel(Group(*parts), title="timekeeper", title_align="left")


class LiveView:
    """rich.Live redrawn on every update (the pipeline updates ~4 times a second)."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.live import Live

        self.console = console or Console()
        self._live = Live(console=self.console, auto_refresh=False, transient=False)
        self._live.start()

    def update(self, pipeline, now_s: float, events: list[Event]) -> None:
        self._live.update(render(snapshot(pipeline, now_s)), refresh=True)

    def print(self, text: str) -> None:
        self.console.print(text)

    def close(self) -> None:
        self._live.stop()


class PlainView:
    """One line per notable event: for pipes, logs and replays. The announcer prints
    what is said; this adds what was heard (with ``verbose``, also what was ignored)."""

    def __init__(self, stream: TextIO | None = None, *, verbose: bool = False) -> None:
        self.stream = stream or sys.stdout
        self.verbose = verbose

    def update(self, pipeline, now_s: float, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, CommandHeard) and event.source == "voice" and (event.accepted or self.verbose):
                heard = f"heard \"{event.text}\" at {clock_text(event.start_s)}"
                what = f"-> {event.command}" if event.accepted else f"ignored ({event.reason})"
                print(f"{stamp(now_s)} {heard} {what}", file=self.stream)
            elif isinstance(event, SpeakerWarning) and not event.spoken and self.verbose:
                print(f"{stamp(now_s)} ({event.rule}: {event.speaker}, journaled only)", file=self.stream)

    def print(self, text: str) -> None:
        print(text, file=self.stream)

    def close(self) -> None:
        pass
