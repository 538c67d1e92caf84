"""The summary never contradicts itself: what it says in words agrees with its tables,
with the phase numbers the room heard, and with what was really done (--record, resume)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from timekeeper.agenda import PRESETS
from timekeeper.commands import Command, CommandKind as K
from timekeeper.events import Participant, SessionResumed, SpeakerTurn
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.report import build_report, load_summary
from timekeeper.report.readout import key_lines
from timekeeper.report.summary import summarize
from timekeeper.session import Session

ROOT = Path(__file__).parent.parent
PEOPLE = (Participant("Alice", "client"), Participant("Beatrice"), Participant("Chris"),
          Participant("David"), Participant("Morgan", "animateur"))


def short_session(overrun_s: float = 8.0, turns=()) -> list:
    """codev-90 scaled like the demo (phases of 10-60 s); the presentation overruns."""
    agenda = PRESETS["codev-90"].scaled(0.032)
    s = Session(agenda.plans("en"))
    events = s.start(0.0, agenda_id=agenda.id, agenda_name="demo", lang="en", participants=PEOPLE)
    t = 0.0
    for i, plan in enumerate(agenda.plans("en")):
        t += plan.planned_s + (overrun_s if plan.id == "presentation" else 0.0)
        events += s.tick(t)
        events += s.handle(Command(K.NEXT), t)
    events += [SpeakerTurn(a, who, a, b) for who, a, b in turns]
    return sorted(events, key=lambda e: e.t_s)


def test_a_short_phase_overrun_is_not_called_on_time():
    lines = key_lines(summarize(short_session(overrun_s=8.0)), "en")
    assert "every phase kept its time" not in lines[0]
    assert "“Presentation of the issue” overran by 8\u00a0s" in lines[0]


def test_a_long_phase_still_ignores_a_few_seconds():
    agenda = PRESETS["codev-90"]
    s = Session(agenda.plans("en"))
    events = s.start(0.0, agenda_id=agenda.id, agenda_name="x", lang="en")
    events += s.handle(Command(K.NEXT), 300.0 + 8.0)  # check-in: 5 minutes, 8 s over
    events += s.handle(Command(K.END), 400.0)
    assert "every phase kept its time" in key_lines(summarize(events), "en")[0]


def test_the_consultation_headline_names_a_consultant_not_the_facilitator():
    agenda = PRESETS["codev-90"].scaled(0.032)
    start = sum(p.planned_s for p in agenda.phases[:4]) + 8.0  # consultation start
    turns = [("Morgan", start + 1, start + 12), ("Beatrice", start + 13, start + 20),
             ("Chris", start + 21, start + 26), ("David", start + 27, start + 31)]
    lines = key_lines(summarize(short_session(turns=turns)), "en")
    headline = next(line for line in lines if line.startswith("In Consultation"))
    assert "Beatrice spoke" in headline and "Morgan" not in headline


def test_report_numbers_phases_as_announced(tmp_path):
    with JournalWriter(tmp_path, sync=False) as journal:
        journal.write(short_session())
    html = build_report(tmp_path, "html", "en")
    assert "0. Check-in and last client" in html and "6. Learning and evaluation" in html
    assert "7. Learning" not in html
    import json

    assert [p["number"] for p in json.loads(build_report(tmp_path, "json", "en"))["phases"]] == list(range(7))


def test_the_footer_says_when_audio_was_kept(tmp_path):
    with JournalWriter(tmp_path, sync=False) as journal:
        journal.write(short_session())
    assert "nothing was recorded" in build_report(tmp_path, "html", "en")
    (tmp_path / "audio.wav").write_bytes(b"RIFF")
    html = build_report(tmp_path, "html", "en")
    assert "nothing was recorded" not in html and "audio.wav" in html
    assert "audio.wav" in build_report(tmp_path, "md", "fr")


def test_a_real_resume_is_counted(tmp_path):
    folder = tmp_path / "s"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    first = subprocess.Popen([sys.executable, "-m", "timekeeper", "run", "--no-tts", "--lang", "en", "--no-report",
                              "--session-dir", str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    first.stdin.write("next\n")
    first.stdin.flush()
    journal = folder / "journal.jsonl"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "presentation" not in (journal.read_text() if journal.exists() else ""):
        time.sleep(0.1)
    first.kill()
    first.wait()
    result = subprocess.run([sys.executable, "-m", "timekeeper", "run", "--no-tts", "--resume", str(folder)],
                            input="end\n", capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert [e.type for e in read_journal(folder).events].count("SessionResumed") == 1
    assert load_summary(folder).resumes == 1
    assert "resumed once" in (folder / "report.html").read_text(encoding="utf-8")


def test_resumes_counted_from_the_journal():
    events = short_session()
    events.insert(5, SessionResumed(events[4].t_s, 12.0))
    assert summarize(events).resumes == 1


def test_without_profiles_the_start_up_line_promises_what_the_report_will_show(tmp_path):
    """No profile at all: the tracker labels every turn "unknown", and the warning says so."""
    import numpy as np

    from timekeeper.audio.frames import Segment
    from timekeeper.speakers.identify import SpeakerTracker
    from timekeeper.speakers.wavio import read_int16
    from timekeeper.stages import load_profiles

    said: list[str] = []
    assert load_profiles(["Alice", "Bob"], said.append, voices_dir=str(tmp_path)) == []
    assert "'unknown'" in said[0] and "Voice N" not in said[0]
    wav = sorted((ROOT / "tests" / "data" / "voices" / "librispeech").rglob("*.wav"))[0]
    samples = read_int16(wav)[: 16000 * 12]
    tracker = SpeakerTracker([])
    turns = tracker.accept(Segment(0.0, len(samples) / 16000, np.asarray(samples))) + tracker.flush()
    assert turns and {t.speaker for t in turns} == {"unknown"}


def test_every_consultant_spoke_and_a_silent_break_say_where():
    """ "every consultant spoke" is about the consultation; the break says its phase."""
    from timekeeper.events import SpeakerWarning

    agenda = PRESETS["codev-90"].scaled(0.032)
    start = sum(p.planned_s for p in agenda.phases[:4]) + 8.0
    turns = [("Beatrice", start + 1, start + 9), ("Chris", start + 10, start + 16), ("David", start + 17, start + 22)]
    events = short_session(turns=turns) + [SpeakerWarning(start - 20.0, "silent", "David", "clarification", 0.0, True)]
    lines = key_lines(summarize(sorted(events, key=lambda e: e.t_s)), "en")
    assert any("every consultant spoke" in line for line in lines)
    assert "One speaking-rule break recorded: consultant still silent late in the phase (Clarifying questions)." in lines
