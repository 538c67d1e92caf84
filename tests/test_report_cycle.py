"""The cycle view: sessions of one group side by side (hand-built journals)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from timekeeper.cli.main import main
from testkit import browser
from timekeeper.report.cycle import build_cycle_report, load_cycle, slope

DATA = Path(__file__).parent / "data" / "report"


def entropy(*values: float) -> float:
    total = sum(values)
    return -sum(v / total * math.log(v / total) for v in values if v) / math.log(len(values))


@pytest.fixture
def cycle_dirs(tmp_path):
    """Session 1 = basic (Alice client); session 2, two weeks later, Bob is client (same talk);
    session 3 = the clock-only session with Chloé as client (a week after that)."""
    text = (DATA / "basic" / "journal.jsonl").read_text(encoding="utf-8")
    swapped = (text.replace('{"name":"Alice","role":"client"},{"name":"Bob","role":"consultant"}',
                            '{"name":"Alice","role":"consultant"},{"name":"Bob","role":"client"}')
               .replace("2026-11-27T18:00", "2026-12-11T18:00"))
    assert swapped != text
    clock = ((DATA / "clock_only" / "journal.jsonl").read_text(encoding="utf-8")
             .replace("2026-11-27T18:00", "2026-12-18T18:00")
             .replace('{"name":"Alice","role":"client"}', '{"name":"Alice","role":"consultant"}')
             .replace('{"name":"Chloé","role":"consultant"}', '{"name":"Chloé","role":"client"}'))
    dirs = []
    # folder names in the wrong order: the view sorts by start time
    for name, body in (("c", clock), ("a", swapped), ("b", text)):
        d = tmp_path / name
        d.mkdir()
        (d / "journal.jsonl").write_text(body, encoding="utf-8")
        dirs.append(d)
    return dirs


def test_cycle_figures(cycle_dirs):
    c = load_cycle(cycle_dirs)
    assert [Path(s.dir).name for s in c.sessions] == ["b", "a", "c"]
    assert c.clients == ("Alice", "Bob", "Chloé")
    assert c.not_yet_client == ("Dana",)  # Eve is the animateur
    alice = next(m for m in c.members if m.name == "Alice")
    assert alice.speaking_s == 2 * 420 and alice.sessions == 3 and alice.times_client == 1
    assert alice.share == pytest.approx(840 / (2 * 1070))
    b1 = entropy(350, 150, 30)  # consultants Bob, Chloé, Dana
    b2 = entropy(420, 150, 30)  # consultants Alice, Chloé, Dana
    assert c.sessions[0].summary.balance == pytest.approx(b1)
    assert c.sessions[1].summary.balance == pytest.approx(b2)
    assert c.sessions[2].summary.balance is None  # clock only: no point on the trend
    assert c.balance_trend == pytest.approx(b2 - b1)


def test_slope():
    assert slope([0.5, 0.6, 0.7]) == pytest.approx(0.1)
    assert slope([0.8]) is None


def test_cycle_json_and_markdown(cycle_dirs):
    doc = json.loads(build_cycle_report(cycle_dirs, "json", "en"))
    assert doc["schema"] == "timekeeper-cycle/1"
    assert [s["clients"] for s in doc["sessions"]] == [["Alice"], ["Bob"], ["Chloé"]]
    assert doc["sessions"][0]["shares"]["Bob"] == round(350 / 1070, 4)
    assert doc["sessions"][2]["has_speaker_data"] is False and doc["sessions"][2]["balance"] is None
    assert doc["sessions"][2]["shares"] == {}
    assert {m["name"]: m["times_client"] for m in doc["members"]} == {"Alice": 1, "Bob": 1, "Chloé": 1, "Dana": 0,
                                                                     "Eve": 0}
    md = build_cycle_report(cycle_dirs, "md", "fr")
    assert "| Alice | 39\u202f% ★ | 39\u202f% | – | 39\u202f% |" in md  # no speaker data: no share
    assert "**A été client**\u00a0: Alice, Bob et Chloé" in md
    assert "**Pas encore client**\u00a0: Dana" in md
    assert "moins équilibré" in md  # 0.72 -> 0.64


@pytest.mark.skipif(browser.find_chromium() is None, reason="chromium is not installed (apt-get install chromium)")
def test_cycle_html_renders_cleanly(cycle_dirs):
    page = build_cycle_report(cycle_dirs, "html", "en")
    assert page.count("<svg") == 2 and "<script" not in page
    assert browser.layout_problems(page) == []


def test_cli_cycle_default_path_and_csv_refused(cycle_dirs, capsys):
    assert main(["report", "--cycle", *map(str, cycle_dirs), "--format", "md"]) == 0
    out = Path(capsys.readouterr().out.strip())
    assert out == cycle_dirs[0].parent / "cycle-report.md" and out.is_file()
    assert main(["report", "--cycle", *map(str, cycle_dirs), "--format", "csv"]) == 2
    assert "html, md or json" in capsys.readouterr().err
    assert main(["report", *map(str, cycle_dirs)]) == 2
    assert "--cycle" in capsys.readouterr().err


def test_cycle_of_a_sessions_folder_takes_every_session_in_it(cycle_dirs, capsys):
    parent = cycle_dirs[0].parent
    c = load_cycle([parent])
    assert [Path(s.dir).name for s in c.sessions] == ["b", "a", "c"]
    assert main(["report", "--cycle", str(parent), "--format", "json"]) == 0
    assert Path(capsys.readouterr().out.strip()) == parent / "cycle-report.json"
