"""Benchmark and render check of the session report.

1. Builds the journal of a replayed 90-minute codev session (testkit.journals:
   the engine's event types, ~2000 events) and times building each report format from
   the journal (read + summarise + render), which must take under a second.
2. Opens the HTML reports in headless Chromium: the 90-minute session (French) and a
   session of 10 participants with long names (English); saves screenshots (PNG) and
   checks that the page renders, is not blank, and that no text overflows.

    python bench/bench_report.py [--out DIR] [--repeat N]

Exit status 1 if a figure misses its target or Chromium finds a problem.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from timekeeper.report import FORMATS, build_report, load_summary, write_report
from testkit import browser
from testkit.journals import make_session, write_session

BUDGET_S = 1.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "timekeeper-bench-report",
                    help="folder for the journals, reports and screenshots")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    ok = True

    s90 = write_session(args.out / "session-90min", make_session(seed=1, n_people=6, lang="fr"))
    s10 = write_session(args.out / "session-10-long-names",
                        make_session(seed=2, n_people=10, long_names=True, lang="en"))
    journal = s90 / "journal.jsonl"
    summary = load_summary(s90)
    n_events = sum(1 for line in journal.read_text(encoding="utf-8").splitlines() if line.strip())
    print(f"journal: {journal} — {n_events} events, {journal.stat().st_size / 1024:.0f} KiB, "
          f"session {summary.elapsed_s / 60:.1f} min, {len(summary.timeline)} turn pieces, "
          f"{len(summary.people)} people")

    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        load_summary(s90)
        times.append(time.perf_counter() - t0)
    print(f"read + summarise: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    for fmt in FORMATS:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            build_report(s90, fmt)
            times.append(time.perf_counter() - t0)
        verdict = "ok" if max(times) < BUDGET_S else "TOO SLOW"
        ok &= max(times) < BUDGET_S
        print(f"report {fmt:>4}: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms (target < {BUDGET_S * 1000:.0f} ms) {verdict}")

    if browser.find_chromium() is None:
        print("chromium: not installed (apt-get install chromium): render check SKIPPED")
        return 0 if ok else 1
    for folder, lang in ((s90, "fr"), (s10, "en")):
        html_path = write_report(folder, "html", None, lang, None)
        for name, window in (("a4", browser.A4_WINDOW), ("full", (1240, 4200))):
            png = args.out / f"{folder.name}-{lang}-{name}.png"
            t0 = time.perf_counter()
            browser.screenshot(html_path, png, window)
            blank = browser.png_is_blank(png)
            ok &= not blank
            print(f"screenshot {png} {browser.png_size(png)} in {time.perf_counter() - t0:.1f} s"
                  + (" BLANK" if blank else ""))
        for window in (browser.A4_WINDOW, browser.PRINT_WINDOW):
            problems = browser.layout_problems(html_path.read_text(encoding="utf-8"), window)
            ok &= not problems
            print(f"layout check {folder.name} ({lang}) at {window[0]} px: "
                  + ("no overflow, no error" if not problems else "; ".join(problems)))
        pages = browser.pdf_pages(html_path, args.out / f"{folder.name}-{lang}.pdf")
        print(f"printed on A4: {pages} page(s) -> {args.out / f'{folder.name}-{lang}.pdf'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
