"""Times as figures, one formatter per use (spoken and written durations are each language's:
``timekeeper.i18n.duration`` says "une minute 30", ``timekeeper.report.i18n.duration``
writes "1 min 30 s").

- ``clock``: a length or a time of day on a clock face — tables, the live view, agendas:
  "4:05" ("04:05" with ``pad_minutes``), "1:02:05", "-0:30"; "–" for None.
- ``elapsed``: a position in a recording or session, for log lines: "02:03", "02:03.5".
"""

from __future__ import annotations


def clock(seconds: float | None, *, pad_minutes: bool = False) -> str:
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(int(round(abs(seconds))), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes:02d}:{secs:02d}" if pad_minutes else f"{sign}{minutes}:{secs:02d}"


def elapsed(t_s: float, decimals: int = 0) -> str:
    """Minutes (never hours) and seconds since the start; whole seconds are truncated."""
    minutes, secs = divmod(t_s, 60)
    if decimals == 0:
        return f"{int(minutes):02d}:{int(secs):02d}"
    return f"{int(minutes):02d}:{secs:0{3 + decimals}.{decimals}f}"
