"""The report files: JSON schema, Markdown, CSV, HTML, languages, and the command line."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from timekeeper.cli.main import main
from timekeeper.report import build_report, write_report
from timekeeper.report.jsonout import SCHEMA, validate

DATA = Path(__file__).parent / "data" / "report"


@pytest.fixture
def session(tmp_path):
    """A copy of the basic session folder (reports are written next to the journal)."""
    dst = tmp_path / "basic"
    shutil.copytree(DATA / "basic", dst)
    return dst


# --- JSON ---------------------------------------------------------------------------


def test_json_holds_the_documented_keys_and_types():
    doc = json.loads(build_report(DATA / "basic", "json"))
    assert validate(doc) == []
    phase = doc["phases"][2]
    for key, tp in {"id": str, "name": str, "planned_s": float, "start_s": float, "end_s": float,
                    "actual_s": float, "speaking_s": dict, "warnings": list}.items():
        assert isinstance(phase[key], tp), key
    assert phase["id"] == "consultation" and phase["speaking_s"] == {"Bob": 210.0, "Chloé": 60.0,
                                                                     "unknown": 30.0, "Alice": 30.0}
    person = next(p for p in doc["people"] if p["name"] == "Bob")
    assert {k: person[k] for k in ("role", "speaking_s", "share", "turns", "longest_turn_s")} == \
        {"role": "consultant", "speaking_s": 350.0, "share": round(350 / 1070, 4), "turns": 5,
         "longest_turn_s": 180.0}
    assert doc["unattributed_s"] == 30.0
    assert [w["rule"] for w in doc["warnings"]] == ["consultant_in_presentation", "client_in_consultation"]
    assert doc["lang"] == "en" and doc["schema"] == "timekeeper-report/1"


def test_json_schema_check_catches_wrong_types_and_missing_keys():
    doc = json.loads(build_report(DATA / "basic", "json"))
    doc["people"][0]["turns"] = "5"
    del doc["phases"][0]["actual_s"]
    doc["unattributed_s"] = None
    problems = validate(doc)
    assert any("people[0].turns" in p for p in problems)
    assert any("phases[0]: missing key 'actual_s'" in p for p in problems)
    assert any("unattributed_s" in p for p in problems)


def test_json_of_a_clock_only_session_is_valid_with_nulls_where_documented():
    doc = json.loads(build_report(DATA / "clock_only", "json"))
    assert validate(doc) == []
    assert doc["has_speaker_data"] is False and doc["balance"] is None
    assert all(p["speaking_s"] == {} for p in doc["phases"])


def test_schema_document_lists_every_key():
    text = (Path(__file__).parents[1] / "docs" / "report-schema.md").read_text(encoding="utf-8")
    keys = set(SCHEMA["properties"])
    keys |= set(SCHEMA["properties"]["phases"]["items"]["properties"])
    keys |= set(SCHEMA["properties"]["people"]["items"]["properties"])
    missing = [k for k in sorted(keys) if f"`{k}`" not in text]
    assert missing == []


# --- Markdown and CSV -------------------------------------------------------------------


def test_markdown_has_every_section_in_french():
    md = build_report(DATA / "basic", "md", "fr")
    for heading in ("# Compte rendu de séance", "## En quelques mots", "## Phases\u00a0: prévu et réel",
                    "## Temps de parole par personne", "## Temps de parole par phase",
                    "## Écarts aux règles de parole"):
        assert heading in md
    assert "| Consultation | 10:00 | 10:00 |  | Bob 64\u202f%, Chloé 18\u202f%" in md
    assert "| Bob | consultant | 5:50 | 33\u202f% |" in md
    assert "Voix inconnue\u00a0: 0:30" in md and "Parole attribuée à personne\u00a0: 0:30" in md
    assert "le client a parlé pendant la consultation" in md
    assert "entropie de Shannon normalisée" in md


def test_markdown_of_a_clock_only_session_says_speaking_was_not_recorded():
    md = build_report(DATA / "clock_only", "md", "en")
    assert "| Learning and evaluation | 5:00 | 6:20 | 1:20 |" in md
    assert "Speaking time was not recorded" in md
    assert "## Speaking time per person" not in md


def test_csv_rows_for_phases_people_and_warnings():
    rows = list(csv.DictReader(io.StringIO(build_report(DATA / "basic", "csv"))))
    phases = {r["phase_id"]: r for r in rows if r["record"] == "phase"}
    assert float(phases["clarification"]["actual_s"]) == 620 and float(phases["learning"]["overrun_s"]) == 80
    people = {r["person"]: r for r in rows if r["record"] == "person"}
    assert float(people["Alice"]["speaking_s"]) == 420 and people["Alice"]["turns"] == "5"
    cells = {(r["phase_id"], r["person"]): float(r["speaking_s"]) for r in rows if r["record"] == "person_phase"}
    assert cells[("consultation", "Bob")] == 210 and ("consultation", "Dana") not in cells
    assert [r["rule"] for r in rows if r["record"] == "warning"] == ["consultant_in_presentation",
                                                                     "client_in_consultation"]


# --- HTML ---------------------------------------------------------------------------


def test_html_is_self_contained_with_three_charts():
    page = build_report(DATA / "basic", "html", "en")
    assert page.count("<svg") == 3
    assert "<script" not in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only in-page references
    for section in ("Phases: planned and actual", "Speaking time per person", "Who spoke when",
                    "Speaking time per phase", "Speaking-rule breaks", "Balance index"):
        assert section in page
    assert "@page{size:A4" in page


def test_html_in_french_uses_french_typography():
    page = build_report(DATA / "basic", "html", "fr")
    assert '<html lang="fr">' in page
    assert "64\u202f%" in page and "0,48" in page  # narrow no-break space, decimal comma
    assert "Qui a parlé quand" in page and "Bob a parlé 64\u202f% du temps" in page


def test_html_escapes_names(tmp_path):
    src = (DATA / "basic" / "journal.jsonl").read_text(encoding="utf-8")
    (tmp_path / "journal.jsonl").write_text(src.replace('"Chloé"', '"<b>Chloé & co</b>"'), encoding="utf-8")
    page = build_report(tmp_path, "html")
    assert "<b>Chloé" not in page and "&lt;b&gt;Chloé &amp; co&lt;/b&gt;" in page


def test_html_of_a_clock_only_session_has_the_phase_chart_only():
    page = build_report(DATA / "clock_only", "html", "en")
    assert page.count("<svg") == 1 and "Speaking time was not recorded" in page


# --- writing and the command line -------------------------------------------------------


def test_write_report_default_path_next_to_the_journal(session):
    path = write_report(session, "md", None, "en", {"Voice 1": "Dana"})
    assert path == session / "report.md"
    assert "Voice 1" not in path.read_text(encoding="utf-8")


def test_cli_report_every_format(session, capsys):
    for fmt, ext in (("html", "html"), ("md", "md"), ("csv", "csv"), ("json", "json")):
        assert main(["report", str(session), "--format", fmt]) == 0
        assert capsys.readouterr().out.strip() == str(session / f"report.{ext}")
        assert (session / f"report.{ext}").stat().st_size > 200


def test_cli_rename_lang_and_out(session, tmp_path, capsys):
    out = tmp_path / "x" / "r.json"
    assert main(["report", str(session), "--format", "json", "--out", str(out), "--lang", "fr",
                 "--rename", "Voice 1=Dana", "--rename", "Bob = Robert"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["lang"] == "fr" and doc["renames"] == {"Voice 1": "Dana", "Bob": "Robert"}
    assert {p["name"] for p in doc["people"]} == {"Alice", "Robert", "Chloé", "Dana", "Eve"}


def test_cli_user_mistakes_give_one_line_and_exit_2(tmp_path, capsys):
    assert main(["report", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "no such session folder" in err and "Traceback" not in err
    assert main(["report", str(tmp_path)]) == 2
    assert "no journal.jsonl" in capsys.readouterr().err
    assert main(["report", str(DATA / "basic"), "--rename", "Voice 1", "--out", "-"]) == 2
    assert "OLD=NEW" in capsys.readouterr().err


def test_cli_reports_torn_lines_on_stderr(tmp_path):
    import subprocess
    import sys

    shutil.copytree(DATA / "crashed", tmp_path / "crashed")
    proc = subprocess.run([sys.executable, "-m", "timekeeper", "report", str(tmp_path / "crashed"), "--format", "md"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count(" is torn") == 2 and "line 23" in proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "crashed" / "report.md")
    assert "2 damaged journal lines were skipped." in (tmp_path / "crashed" / "report.md").read_text(encoding="utf-8")


# --- odd journals never crash the report ------------------------------------------------


def _odd_journals():
    from timekeeper.events import (Participant, PhasePlan, PhaseStarted, SessionStarted, SpeakerTurn,
                                   SpeechSegment)

    plans = (PhasePlan("a", "A", 60.0, "consultants"),)
    yield "only the start", [SessionStarted(0.0, "x", "X", "fr", plans, ())]
    yield "no plan, no people", [SessionStarted(0.0, "x", "X", "en", ()),
                                 SpeakerTurn(5.0, "Voice 2", 0.0, 5.0, None)]
    yield "no SessionStarted", [PhaseStarted(10.0, "a", 0, "A", 60.0, "consultants"),
                                SpeakerTurn(20.0, "Bob", 12.0, 20.0, "a")]
    yield "voice activity only", [SessionStarted(0.0, "x", "X", "en", plans, (Participant("Bob"),)),
                                  PhaseStarted(0.0, "a", 0, "A", 60.0, "consultants"),
                                  SpeechSegment(9.0, 1.0, 9.0)]
    yield "turn before any phase", [SessionStarted(0.0, "x", "X", "en", plans, (Participant("Bob"),)),
                                    SpeakerTurn(4.0, "Bob", 0.0, 4.0, None),
                                    PhaseStarted(3.0, "a", 0, "A", 60.0, "consultants")]


@pytest.mark.parametrize("name,events", list(_odd_journals()), ids=[n for n, _ in _odd_journals()])
def test_odd_journals_give_a_report_in_every_format(name, events, tmp_path):
    (tmp_path / "journal.jsonl").write_text("".join(e.to_json() + "\n" for e in events), encoding="utf-8")
    for fmt in ("html", "md", "csv", "json"):
        for lang in ("fr", "en"):
            text = build_report(tmp_path, fmt, lang)
            assert text.strip()
            if fmt == "json":
                assert validate(json.loads(text)) == []
                if name == "voice activity only" and lang == "en":
                    assert json.loads(text)["key_lines"][-1] == \
                        "Speech was detected (8\u00a0s) but no speaker was identified."
