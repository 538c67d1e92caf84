"""The live terminal view (rich) and its plain-text twin for logs and pipes.

``render(snapshot)`` is pure (tested); ``LiveView`` redraws it a few times a second.
"""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from typing import TextIO

from timekeeper import lang as languages
from timekeeper.announce.announcer import stamp
from timekeeper.clocktext import clock
from timekeeper.events import CommandHeard, Event, PhasePlan, SpeakerWarning

LABELS: dict[str, dict[str, str]] = languages.table("VIEW")  # type: ignore[assignment]


def clock_text(seconds: float) -> str:
    return clock(seconds, pad_minutes=True)


def phase_clock(remaining_s: float) -> str:
    """The phase clock as shown: counts down ("04:59", whole seconds rounded up, so
    it reads 05:00 for the first second), then counts the overrun up ("+01:23")."""
    if remaining_s >= 0:
        return clock_text(math.ceil(remaining_s - 1e-6))
    return "+" + clock_text(math.floor(-remaining_s + 1e-6))


# A three-line block font for the compact clock.
_BIG = {
    "0": ("█▀█", "█ █", "▀▀▀"), "1": (" ▀█", "  █", "  ▀"), "2": ("▀▀█", "█▀▀", "▀▀▀"),
    "3": ("▀▀█", " ▀█", "▀▀▀"), "4": ("█ █", "▀▀█", "  ▀"), "5": ("█▀▀", "▀▀█", "▀▀▀"),
    "6": ("█▀▀", "█▀█", "▀▀▀"), "7": ("▀▀█", "  █", "  ▀"), "8": ("█▀█", "█▀█", "▀▀▀"),
    "9": ("█▀█", "▀▀█", "▀▀▀"), ":": ("   ", " ▀ ", " ▀ "), "-": ("   ", "▀▀▀", "   "),
    "+": (" ▄ ", "▀█▀", "   "),
}


def big_digits(text: str) -> list[str]:
    """``text`` (digits, ':', '+' and '-') as three lines of block characters."""
    return [" ".join(_BIG[c][row] for c in text if c in _BIG) for row in range(3)]


# A 3x5 pixel font for the large clock, scaled to the terminal.
_PIXELS = {
    "0": ("###", "#.#", "#.#", "#.#", "###"), "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"), "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"), "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"), "7": ("###", "..#", "..#", "..#", "..#"),
    "8": ("###", "#.#", "###", "#.#", "###"), "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."), "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
}
_WIDEST = "+00:00"  # the large clock keeps one size from countdown to overrun


def _pixel_rows(text: str) -> list[str]:
    glyphs = [_PIXELS[c] for c in text if c in _PIXELS]
    return [".".join(g[row] for g in glyphs) for row in range(5)]


def large_size(text: str, width: int, rows: int) -> tuple[int, int]:
    """(columns per pixel, half-rows per pixel) so that ``text`` fits ``width`` columns
    and is about ``rows`` rows tall (pixels at most twice as tall as wide)."""
    px = max(len(_pixel_rows(text)[0]), len(_pixel_rows(_WIDEST)[0]))
    kx = max(1, width // px)
    hy = max(1, min(2 * rows // 5, 2 * kx))
    return kx, hy


def large_digits(text: str, kx: int, hy: int) -> list[str]:
    """``text`` drawn with pixels ``kx`` columns wide and ``hy`` half-rows tall."""
    halves = [row.replace("#", "█" * kx).replace(".", " " * kx)
              for row in _pixel_rows(text) for _ in range(hy)]
    if len(halves) % 2:
        halves.append(" " * len(halves[0]))
    glyph = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return ["".join(glyph[(a != " ", b != " ")] for a, b in zip(top, bottom))
            for top, bottom in zip(halves[0::2], halves[1::2])]


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
    last_heard: str | None = None  # a full line: "Heard: ✓ « phase suivante »"
    warnings: tuple[str, ...] = ()
    last_announcement: str | None = None

    @property
    def next_plan(self) -> PhasePlan | None:
        if self.phase_index is None or self.phase_index + 1 >= len(self.plans):
            return None
        return self.plans[self.phase_index + 1]


def spoken_form(lang: str, command: str | None) -> str | None:
    """What a person says for a journaled command ("time_left" -> "how much time is left")."""
    from timekeeper.asr.phrases import CANONICAL, canonical_text
    from timekeeper.keyboard import line_command

    cmd = line_command(command or "")
    if cmd is None or lang not in CANONICAL:
        return None
    return canonical_text(lang, cmd, wake="")


def heard_text(event: CommandHeard, lang: str) -> str:
    """What to show of a command: the words heard (with "minute" agreeing with the number:
    the grammar also accepts "one minutes"), or for a key what a person would say."""
    from timekeeper.keyboard import line_command

    if event.source != "voice":
        return spoken_form(lang, event.command) or event.text
    cmd = line_command(event.command or "") if event.accepted else None
    if cmd is None or cmd.arg is None:
        return event.text
    words = languages.get(lang).MINUTE_WORDS  # (singular, plural)
    word = words[0] if cmd.arg == 1 else words[-1]
    return " ".join(word if w in words else w for w in event.text.split())


def heard_line(event: CommandHeard, lang: str) -> str:
    """The panel's line for the last command: what was said (or pressed), accepted or not."""
    lab = LABELS.get(lang, LABELS["en"])
    mark = "✓" if event.accepted else "✗"
    text = heard_text(event, lang)
    quoted = languages.get(lang).TYPOGRAPHY["heard"].format(text)
    return f"{lab['heard'] if event.source == 'voice' else lab['command']} {mark} {quoted}"


def snapshot(pipeline, now: float) -> Snapshot:
    st = pipeline.status(now)
    f = pipeline.figures
    lang = pipeline.phrases.lang
    heard = heard_line(f.last_heard, lang) if f.last_heard is not None else None
    return Snapshot(
        lang=lang, plans=pipeline.session.plans, phase_index=st.phase_index,
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


def _colour(s: Snapshot) -> str:
    return "yellow" if s.paused else ("red" if s.remaining_s < 0 else "green")


def _state(s: Snapshot, lab: dict[str, str]):
    from rich.text import Text

    over = s.remaining_s < 0
    if s.paused:
        return Text(lab["paused"], style="bold reverse yellow")
    return Text(lab["over"] if over else lab["left"], style="bold red" if over else "dim")


def _footer(s: Snapshot, lab: dict[str, str]) -> list:
    """Heard, warnings, the last announcement and the keys: plain characters only (an
    emoji's width differs between terminals and would break the panel's border)."""
    from rich.text import Text

    parts = []
    if s.last_heard:
        parts.append(Text(s.last_heard, style="dim"))
    for warning in s.warnings:
        parts.append(Text(f"! {warning}", style="yellow"))
    if s.last_announcement:
        parts.append(Text(f"{lab['said']} {s.last_announcement}"))
    parts.append(Text(lab["keys"], style="dim"))
    return parts


def _session_line(s: Snapshot, lab: dict[str, str]):
    from rich.text import Text

    return Text(f"{lab['session']} {clock_text(s.session_elapsed_s)} / {clock_text(s.session_planned_s)}"
                f" · {plan_text(s.behind_s, s.lang)}")


def render(s: Snapshot, *, width: int | None = None, height: int | None = None, large: bool = False):
    """A rich renderable of the whole screen: ``large`` (with the terminal's ``width``
    and ``height``) draws the phase clock across the room, else the compact layout."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    lab = LABELS.get(s.lang, LABELS["en"])
    if large and width and height and s.phase_index is not None and not s.ended:
        return render_large(s, width, height)
    parts = []
    if s.ended:
        parts.append(Text(lab["ended"], style="bold"))
    elif s.phase_index is not None:
        plan = s.plans[s.phase_index]
        title = Text(f"{lab['phase']} {plan.number} · {plan.name}", style="bold")
        colour = _colour(s)
        big = Text("\n".join(big_digits(phase_clock(s.remaining_s))), style=f"bold {colour}")
        done = (s.planned_s - s.remaining_s) / s.planned_s if s.planned_s else 0.0
        parts += [title, Text(plan.rule, style="italic dim"), big,
                  _state(s, lab).append("  ").append(bar(done), style=colour)]
    agenda = Text()
    for i, p in enumerate(s.plans):
        style = "bold reverse" if i == s.phase_index else ("dim" if s.phase_index is not None and i < s.phase_index else "")
        agenda.append(f" {p.number} {p.name} ({clock_text(p.planned_s)}) ", style=style)
        agenda.append("›" if i + 1 < len(s.plans) else "")
    parts.append(agenda)
    parts.append(_session_line(s, lab))
    if s.speaking_s:
        total = sum(s.speaking_s.values()) or 1.0
        table = Table.grid(padding=(0, 1))
        for name, secs in sorted(s.speaking_s.items(), key=lambda kv: -kv[1]):
            share = secs / total
            marker = f"◀ {lab['now']}" if name == s.current_speaker else ""
            table.add_row(Text(name[:18]), Text(bar(share, 30), style="cyan"),
                          Text(f"{share * 100:4.0f} %"), Text(marker, style="cyan"))
        parts.append(Panel(table, title=lab["speaking"], title_align="left"))
    parts += _footer(s, lab)
    return Panel(Group(*parts), title="timekeeper", title_align="left")


def render_large(s: Snapshot, width: int, height: int):
    """The clock for the room: the phase time at least a third of the terminal's height,
    the phase and the next one beneath it, then one line each for the rest."""
    from rich.align import Align
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    lab = LABELS.get(s.lang, LABELS["en"])
    plan = s.plans[s.phase_index]  # type: ignore[index]
    footer = _footer(s, lab)
    fixed = 2 + 1 + 1 + 1 + 1 + 1 + len(footer)  # border, spacer, state, phase, next, session, footer
    target = min(height - fixed, max(math.ceil(height / 3) + 2, int(height * 0.45)))
    clock = phase_clock(s.remaining_s)
    kx, hy = large_size(clock, width - 4, max(2, target))
    digits = Text("\n".join(large_digits(clock, kx, hy)), style=f"bold {_colour(s)}")
    nxt = s.next_plan
    following = (f"{lab['next']} {nxt.number} · {nxt.name} ({clock_text(nxt.planned_s)})" if nxt
                 else f"{lab['next']} {lab['last']}")
    parts = [Text(""), Align.center(digits), Align.center(_state(s, lab)),
             Align.center(Text(f"{lab['phase']} {plan.number} · {plan.name}", style="bold")),
             Align.center(Text(following)), Align.center(_session_line(s, lab), style="dim")]
    return Panel(Group(*parts, *footer), title="timekeeper", title_align="left")


def use_large(layout: str, width: int, height: int) -> bool:
    """``layout`` "large" / "compact", or "auto": large on a terminal of 30 rows and 80 columns or more."""
    if layout in ("large", "compact"):
        return layout == "large"
    return height >= 30 and width >= 80


class LiveView:
    """rich.Live redrawn on every batch of events, and from the clock when nothing
    happens: whenever the shown time changes (once a second), at most every
    ``min_interval_s`` of wall time (a fast replay need not draw every audio second)."""

    def __init__(self, console=None, *, layout: str = "auto", min_interval_s: float = 0.2) -> None:
        from rich.console import Console
        from rich.live import Live

        self.console = console or Console()
        self.layout = layout
        self.min_interval_s = min_interval_s
        self._shown: tuple | None = None
        self._drawn_at = -math.inf
        self._live = Live(console=self.console, auto_refresh=False, transient=False)
        self._live.start()

    def update(self, pipeline, now_s: float, events: list[Event]) -> None:
        self._draw(snapshot(pipeline, now_s))

    def refresh(self, pipeline, now_s: float) -> None:
        """No event: redraw if the clock shown on screen has changed."""
        if time.monotonic() - self._drawn_at < self.min_interval_s:
            return
        s = snapshot(pipeline, now_s)
        if self._key(s) != self._shown:
            self._draw(s)

    @staticmethod
    def _key(s: Snapshot) -> tuple:
        return (phase_clock(s.remaining_s), clock_text(s.session_elapsed_s), s.paused, s.ended)

    def _draw(self, s: Snapshot) -> None:
        width, height = self.console.size
        large = use_large(self.layout, width, height)
        self._live.update(render(s, width=width, height=height, large=large), refresh=True)
        self._shown = self._key(s)
        self._drawn_at = time.monotonic()

    def print(self, text: str) -> None:
        self.console.print(text, highlight=False, markup=False)

    def close(self) -> None:
        self._live.stop()


class PlainView:
    """One line per notable event: for pipes, logs and replays. The announcer prints
    what is said; this adds what was heard (with ``verbose``, also what was ignored)."""

    def __init__(self, stream: TextIO | None = None, *, verbose: bool = False, lang: str = "en") -> None:
        self.stream = stream or sys.stdout
        self.verbose = verbose
        self.lang = lang

    def update(self, pipeline, now_s: float, events: list[Event]) -> None:
        from timekeeper.i18n import msg

        lang = pipeline.phrases.lang if pipeline is not None else self.lang
        for event in events:
            if isinstance(event, CommandHeard) and event.source == "voice" and (event.accepted or self.verbose):
                at = clock_text(event.start_s)
                if event.accepted:
                    line = msg(lang, "cli.heard", text=heard_text(event, lang), at=at)
                else:
                    line = msg(lang, "cli.ignored", text=event.text, at=at, reason=event.reason)
                print(f"{stamp(now_s)} {line}", file=self.stream)
            elif isinstance(event, SpeakerWarning) and not event.spoken and self.verbose:
                line = msg(lang, "cli.journaled_only", rule=event.rule, speaker=event.speaker)
                print(f"{stamp(now_s)} {line}", file=self.stream)

    def print(self, text: str) -> None:
        print(text, file=self.stream)

    def close(self) -> None:
        pass
