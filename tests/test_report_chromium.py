"""The HTML report in headless Chromium: renders, is not blank, nothing overflows, even
with 10 participants with long names; and a 90-minute session's reports build fast."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from timekeeper.report import FORMATS, build_report, write_report
from testkit import browser
from testkit.journals import make_session, write_session

DATA = Path(__file__).parent / "data" / "report"
needs_chromium = pytest.mark.skipif(browser.find_chromium() is None,
                                    reason="chromium is not installed (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """10 participants with long names, an unnamed voice and unknown speech."""
    return write_session(tmp_path_factory.mktemp("crowded"),
                         make_session(seed=2, n_people=10, long_names=True, lang="en", scale=0.2))


@needs_chromium
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_renders_without_overflow_for_ten_long_names(crowded, lang, tmp_path):
    page = build_report(crowded, "html", lang)
    assert "Krzysztof Wojciechowski-Brzęczyszczykiewicz" in page
    assert browser.layout_problems(page) == []
    assert browser.layout_problems(page, browser.PRINT_WINDOW) == []  # the width of a printed A4 page
    png = browser.screenshot(write_report(crowded, "html", tmp_path / "r.html", lang, None), tmp_path / "r.png")
    assert browser.png_size(png) == browser.A4_WINDOW
    assert not browser.png_is_blank(png)


@needs_chromium
@pytest.mark.parametrize("folder", ["basic", "clock_only", "crashed"])
def test_hand_built_sessions_render_cleanly(folder):
    assert browser.layout_problems(build_report(DATA / folder, "html", "fr")) == []


@needs_chromium
def test_report_prints_on_a_few_a4_pages(tmp_path):
    html_path = write_report(DATA / "basic", "html", tmp_path / "r.html", "en", None)
    assert 1 <= browser.pdf_pages(html_path, tmp_path / "r.pdf") <= 3
    assert b"/MediaBox [0 0 594.9" in (tmp_path / "r.pdf").read_bytes()  # A4: 595 x 842 pt


@needs_chromium
def test_layout_check_does_catch_overflow():
    bad = ('<!DOCTYPE html><html><body><h1>x</h1><div style="width:100px">' + "a" * 300 + "</div>"
           '<svg viewBox="0 0 100 20"><text x="90" y="10" data-maxw="5">a long label</text></svg></body></html>')
    problems = browser.layout_problems(bad)
    assert any(p.startswith("overflow: <div>") for p in problems)
    assert any("svg label too wide" in p for p in problems)
    assert any("outside its chart" in p for p in problems)


def test_ninety_minute_session_reports_build_in_under_a_second(tmp_path):
    folder = write_session(tmp_path / "s90", make_session(seed=1, n_people=6, lang="fr"))
    assert sum(1 for _ in (folder / "journal.jsonl").open(encoding="utf-8")) > 1500
    for fmt in FORMATS:
        t0 = time.perf_counter()
        text = build_report(folder, fmt)
        assert time.perf_counter() - t0 < 1.0, fmt
        assert len(text) > 1000
