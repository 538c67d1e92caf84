"""The live view for the room: how much of the terminal the phase clock fills in the
large layout, and what one redraw costs.

    python bench/bench_view.py

Prints, for common terminal sizes, the rows the clock's digits take (the issue asks for
at least a third of the height) and the median time to render one frame.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402

from timekeeper.agenda import PRESETS  # noqa: E402
from timekeeper.announce import RecordingAnnouncer  # noqa: E402
from timekeeper.clock import ManualClock  # noqa: E402
from timekeeper.config import Settings  # noqa: E402
from timekeeper.journal import JournalWriter  # noqa: E402
from timekeeper.pipeline import Pipeline  # noqa: E402
from timekeeper.session import Session  # noqa: E402
from timekeeper.view import render, snapshot, use_large  # noqa: E402

SIZES = [(80, 24), (80, 30), (100, 30), (120, 40), (160, 48), (200, 60)]


def main() -> None:
    clock = ManualClock()
    agenda = PRESETS["codev-90"]
    with tempfile.TemporaryDirectory() as tmp:
        p = Pipeline(Session(agenda.plans("en")), JournalWriter(Path(tmp), sync=False),
                     RecordingAnnouncer(clock, "en"), clock, lang="en")
        p.start(agenda, Settings(lang="en"))
        clock.set(7 * 60 + 3.0)  # check-in (5 min) is 2:03 over: the widest clock, "+02:03"
        print(f"{'terminal':>9}  {'layout':<7} {'clock rows':>10} {'of height':>9}  {'render ms':>9}")
        for width, height in SIZES:
            large = use_large("auto", width, height)
            s = snapshot(p, clock.now())
            times = []
            for _ in range(20):
                console = Console(file=io.StringIO(), width=width, height=height, record=True)
                t0 = time.perf_counter()
                console.print(render(s, width=width, height=height, large=large))
                times.append(time.perf_counter() - t0)
            lines = console.export_text().splitlines()
            digits = [any(c in line for c in "█▀▄") for line in lines]
            first = digits.index(True)
            rows = (digits[first:] + [False]).index(False)  # the clock: the first block of such rows
            print(f"{width:>4}x{height:<4}  {'large' if large else 'compact':<7} {rows:>10} "
                  f"{rows / height:>9.0%}  {statistics.median(times) * 1000:>9.1f}")


if __name__ == "__main__":
    main()
