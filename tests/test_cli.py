"""The command line as a facilitator meets it: instant help, one-line errors, scripted
sessions, and resuming after a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timekeeper.journal import read_journal

ROOT = Path(__file__).parent.parent


def tk(*args: str, stdin: str = "", timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "timekeeper", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=cwd)


def test_version_and_help():
    assert tk("--version").stdout.startswith("timekeeper ")
    out = tk("--help").stdout
    for command in ("run", "agenda"):
        assert command in out
    assert "--input" in tk("run", "--help").stdout


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from timekeeper.cli.main import build_parser; build_parser(); "
            "print(','.join(m for m in ('numpy','vosk','sounddevice','pocketsphinx','pyttsx3','rich') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert result.returncode == 0 and result.stdout.strip() == ""


@pytest.mark.parametrize("args,fix", [
    (["run", "--agenda", "codev-100"], "unknown agenda 'codev-100'"),
    (["run", "--config", "/nonexistent/tk.toml"], "no such settings file"),
    (["run", "--participants", "Alice:boss"], "role 'boss' for Alice"),
    (["run", "--lang", "de"], "invalid choice: 'de'"),
    (["run", "--scale", "0"], "--scale 0"),
    (["run", "--resume", "/nonexistent/session"], "no journal at"),
    (["agenda", "missing.toml"], "no such agenda file"),
    (["run", "--input", "/nonexistent/meeting.wav", "--lang", "en"], "no such audio file"),
    (["run", "--input", "mic:99", "--lang", "en"], "device"),
    (["run", "--input", "meeting.wav", "--lang", "fr"], "no French speech model installed"),
])
def test_user_mistakes_are_one_line_and_exit_2(args, fix, tmp_path):
    result = tk(*args, "--sessions-dir", str(tmp_path)) if args[0] == "run" else tk(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and fix in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    if args[0] == "run":
        assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_bad_config_file_names_file_and_key(tmp_path):
    cfg = tmp_path / "tk.toml"
    cfg.write_text("[clock]\nwarn_befor_min = 2\n", encoding="utf-8")
    result = tk("run", "--config", str(cfg))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"timekeeper: {cfg} [clock]: unknown key 'warn_befor_min' "
                                     "(did you mean 'warn_before_min'?)")


def journal_types(folder: Path) -> list[str]:
    return [e.type for e in read_journal(folder).events]


def test_scripted_session_from_a_pipe(tmp_path):
    folder = tmp_path / "s"
    result = tk("run", "--no-tts", "--lang", "en", "--agenda", "codev-60", "--session-dir", str(folder),
                "--participants", "Alice:client,Bob", stdin="next\npause\nresume\nextend 2\nprevious\nend\n")
    assert result.returncode == 0, result.stderr
    assert "Phase 2: Clarifying questions. 12 minutes." in result.stdout
    assert "Timer paused." in result.stdout
    assert f"journal: {folder / 'journal.jsonl'}" in result.stdout
    events = read_journal(folder).events
    started = [e for e in events if e.type == "PhaseStarted"]
    assert [e.phase_id for e in started] == ["presentation", "clarification", "presentation"]
    assert [e.type for e in events if e.type in ("TimeAdjusted", "SessionEnded")] == ["TimeAdjusted", "SessionEnded"]
    assert events[0].participants[0].name == "Alice"


def test_resume_with_torn_journal(tmp_path):
    folder = tmp_path / "s"
    proc = subprocess.Popen([sys.executable, "-m", "timekeeper", "run", "--no-tts", "--lang", "fr",
                             "--session-dir", str(folder), "--no-report"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    proc.stdin.write("next\nnext\nextend 3\n")
    proc.stdin.flush()
    path = folder / "journal.jsonl"
    deadline = time.time() + 30
    while time.time() < deadline and not (path.exists() and "TimeAdjusted" in path.read_text(encoding="utf-8")):
        time.sleep(0.1)
    proc.kill()  # the laptop crashes
    proc.communicate()
    path.write_text(path.read_text(encoding="utf-8") + '{"type":"PhaseEnd', encoding="utf-8")
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="time_left\nend\n")
    assert result.returncode == 0, result.stderr
    assert "torn line" in result.stderr
    assert "Il reste 18 minutes dans cette phase" in result.stdout  # clarification 15 + 3
    events = read_journal(folder).events
    ended = [e for e in events if e.type == "PhaseEnded"]
    assert ended[-1].phase_id == "clarification" and ended[-1].planned_s == 18 * 60
    assert events[-1].type == "Announced" and events[-2].type == "SessionEnded"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[-3:]]
    assert all("batch" in line for line in lines)
