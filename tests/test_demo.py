"""`timekeeper demo` as a newcomer runs it: no microphone, under a minute, a report."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("lang,phase_line,summary_word,heard,report", [
    ("en", "Phase 1: Presentation of the issue.", "Balance among consultants",
     'heard "time keeper next phase"', "report: "),
    ("fr", "Phase 1 : Exposé de la problématique.", "Équilibre entre consultants",
     "entendu « time keeper next phase »", "rapport : "),
])
def test_demo_replays_a_session_and_writes_its_report(tmp_path, lang, phase_line, summary_word, heard, report):
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"),
               TIMEKEEPER_DATA=str(tmp_path / "data"))
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "timekeeper", "demo", "--lang", lang,
                             "--sessions-dir", str(tmp_path / "sessions")],
                            capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path)
    elapsed = time.perf_counter() - t0
    assert result.returncode == 0, result.stderr
    assert elapsed < 60, f"the demo took {elapsed:.0f} s"
    out = result.stdout
    assert phase_line in out
    assert heard in out  # a voice command drove the clock
    assert "one minutes" not in out  # what was heard is shown as a sentence
    assert summary_word in out
    reports = list((tmp_path / "sessions").glob("*/report.html"))
    assert len(reports) == 1 and f"{report}{reports[0]}" in out
    assert "Alice" in reports[0].read_text(encoding="utf-8")
    assert not (tmp_path / "data" / "voices").exists()  # the user's voice profiles are untouched
    if lang == "fr":
        assert "aucun modèle de reconnaissance français" in result.stderr
        for english in ("heard ", "report:", "journal:", "session folder:", "demo:"):
            assert english not in out + result.stderr, english
