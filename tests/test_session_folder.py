"""One session per folder, one writer per session, and what a resume takes up (issue 12, 4-5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np

from timekeeper.journal import read_journal

ROOT = Path(__file__).parent.parent


def tk(*args: str, stdin: str = "", timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "timekeeper", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=env)


def start_live(folder: Path, keys: str = "next\n") -> subprocess.Popen:
    """A keyboard session that keeps running (its input stays open) until killed."""
    proc = subprocess.Popen([sys.executable, "-m", "timekeeper", "run", "--no-tts", "--lang", "en",
                             "--session-dir", str(folder), "--no-report"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    proc.stdin.write(keys)
    proc.stdin.flush()
    path = folder / "journal.jsonl"
    deadline = time.time() + 30
    while time.time() < deadline and not (path.exists() and path.read_text(encoding="utf-8").count("PhaseStarted") >= 2):
        time.sleep(0.05)
    return proc


def one_line(result: subprocess.CompletedProcess) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_a_finished_session_folder_is_not_reused(tmp_path):
    folder = tmp_path / "s"
    assert tk("run", "--no-tts", "--lang", "en", "--session-dir", str(folder), stdin="end\n").returncode == 0
    journal = (folder / "journal.jsonl").read_bytes()
    report = (folder / "report.html").read_bytes()
    result = tk("run", "--no-tts", "--lang", "en", "--session-dir", str(folder), stdin="next\nend\n")
    assert result.returncode == 2
    line = one_line(result)
    assert "already holds a session" in line and f"--resume {folder}" in line
    assert (folder / "journal.jsonl").read_bytes() == journal
    assert (folder / "report.html").read_bytes() == report


def test_an_ended_session_is_not_resumed(tmp_path):
    folder = tmp_path / "s"
    assert tk("run", "--no-tts", "--lang", "en", "--session-dir", str(folder), stdin="end\n").returncode == 0
    journal = (folder / "journal.jsonl").read_bytes()
    result = tk("run", "--resume", str(folder), "--no-tts", stdin="next\n")
    assert result.returncode == 0
    assert "has ended already" in result.stderr
    assert (folder / "journal.jsonl").read_bytes() == journal


def test_a_running_session_cannot_get_a_second_writer_but_a_killed_one_resumes(tmp_path):
    folder = tmp_path / "s"
    proc = start_live(folder)
    try:
        before = (folder / "journal.jsonl").read_bytes()
        result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="next\nend\n")
        assert result.returncode == 2
        line = one_line(result)
        assert "being written by another timekeeper" in line
        assert (folder / "journal.jsonl").read_bytes() == before
    finally:
        proc.kill()  # kill -9: the lock goes with the process
        proc.communicate()
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="end\n")
    assert result.returncode == 0, result.stderr
    assert read_journal(folder).events[-2].type == "SessionEnded"


def test_a_resume_after_long_downtime_journals_stale_reminders_without_saying_them(tmp_path):
    folder = tmp_path / "s"
    proc = start_live(folder)
    proc.kill()
    proc.communicate()
    path = folder / "journal.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:  # the laptop was off for an hour: clarification (15 min) is long over
        line["wall"] -= 3600
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="end\n")
    assert result.returncode == 0, result.stderr
    events = read_journal(folder).events
    stale = [e for e in events if e.type in ("TimeWarning", "TimeUp", "OverrunReminder")]
    assert {e.type for e in stale} >= {"TimeUp", "OverrunReminder"}  # journaled...
    first, end = events.index(stale[0]), next(i for i, e in enumerate(events) if getattr(e, "command", "") == "end")
    said = [e.text for e in events[first:end] if e.type == "Announced"]
    assert len(said) == 1 and "over time" in said[0], said  # ...and the room hears one status
    status = next(e for e in events if e.type == "StatusReported")
    assert status.remaining_s < -40 * 60
    times = [e.t_s for e in events]
    assert times == sorted(times)


def write_wav(path: Path, x: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(x.astype(np.int16).tobytes())
    return path


def tone_wav(path: Path, seconds: float = 3.0) -> Path:
    t = np.arange(int(16000 * seconds)) / 16000
    return write_wav(path, np.sin(2 * np.pi * 220 * t) * 3000 * (t % 1 < 0.5))


def speech_wav(path: Path, seconds: float = 3.0) -> Path:
    """A real voice (tests/data, librispeech 1998), cut or padded to ``seconds``: the voice
    activity detector (Silero) hears speech in it, as it does not in a tone."""
    src = Path(__file__).parent / "data" / "voices" / "librispeech" / "1998" / "1998-15444-0000.wav"
    with wave.open(str(src), "rb") as r:
        x = np.frombuffer(r.readframes(r.getnframes()), dtype=np.int16)
    n = int(16000 * seconds)
    x = np.concatenate([np.zeros(3200, dtype=np.int16), x])[:n]
    return write_wav(path, np.concatenate([x, np.zeros(n - len(x), dtype=np.int16)]))


def crashed_replay(tmp_path: Path) -> tuple[Path, Path]:
    """A replay whose journal stops before its end (as after kill -9)."""
    wav = speech_wav(tmp_path / "talk.wav")
    folder = tmp_path / "s"
    result = tk("run", "--input", str(wav), "--lang", "en", "--no-tts", "--no-report", "--session-dir", str(folder))
    assert result.returncode == 0, result.stderr
    path = folder / "journal.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    keep = [line for line in lines if '"SessionEnded"' not in line and '"PhaseEnded"' not in line]
    last_batch = json.loads(lines[-1])["batch"]
    path.write_text("".join(line + "\n" for line in keep if json.loads(line)["batch"] != last_batch),
                    encoding="utf-8")
    assert json.loads(keep[0])["input"] == str(wav.resolve())
    return wav, folder


def test_a_replay_resumes_from_its_recording_without_input_and_never_goes_live(tmp_path):
    wav, folder = crashed_replay(tmp_path)
    result = tk("run", "--resume", str(folder), "--input", "mic", "--no-tts", "--no-report")
    assert result.returncode == 2 and "a replay cannot go on live" in one_line(result)
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report")  # no --input: the journaled file
    assert result.returncode == 0, result.stderr
    assert "replaying" in result.stderr
    events = read_journal(folder).events
    assert events[-2].type == "SessionEnded" and abs(events[-2].t_s - 3.0) < 0.05  # the audio's end, not a clock
    assert sum(e.type == "SessionStarted" for e in events) == 1


def test_a_replay_whose_recording_is_gone_names_the_fix(tmp_path):
    wav, folder = crashed_replay(tmp_path)
    wav.rename(tmp_path / "elsewhere.wav")
    before = (folder / "journal.jsonl").read_bytes()
    result = tk("run", "--resume", str(folder), "--no-tts")
    assert result.returncode == 2
    assert "was a replay of" in one_line(result) and "--input" in one_line(result)
    other = tone_wav(tmp_path / "other.wav", seconds=1.0)  # another recording: refused, nothing written
    result = tk("run", "--resume", str(folder), "--input", str(other), "--no-tts")
    assert result.returncode == 2 and "does not give the journaled session" in result.stderr.splitlines()[-1]
    assert (folder / "journal.jsonl").read_bytes() == before


def test_a_speech_segment_and_the_command_decided_from_it_are_one_batch(tmp_path):
    """A crash while a command is decoded loses the segment with it: a resumed replay hears it again."""
    from timekeeper.agenda import PRESETS
    from timekeeper.announce import RecordingAnnouncer
    from timekeeper.asr.listener import CommandDecision
    from timekeeper.audio.frames import Segment
    from timekeeper.clock import ManualClock
    from timekeeper.commands import Command, CommandKind
    from timekeeper.config import Settings
    from timekeeper.journal import JournalWriter
    from timekeeper.pipeline import Pipeline
    from timekeeper.session import Session

    class Listener:
        def accept(self, segment):
            return CommandDecision("time keeper next phase", segment.start_s, segment.end_s, True,
                                   Command(CommandKind.NEXT), "command")

    clock = ManualClock()
    journal = JournalWriter(tmp_path, sync=False)
    agenda = PRESETS["codev-60"]
    p = Pipeline(Session(agenda.plans("en")), journal, RecordingAnnouncer(clock, "en"), clock, lang="en",
                 listener=Listener(), hears_itself=False)
    p.start(agenda, Settings(lang="en"))
    clock.set(32.0)
    p.segment(Segment(30.0, 31.6, np.zeros(25600, dtype=np.int16)))
    journal.close()
    lines = [json.loads(line) for line in (tmp_path / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    batch = {line["batch"] for line in lines if line["type"] in ("SpeechSegment", "CommandHeard", "PhaseStarted")
             and line["t_s"] == 32.0}
    assert len(batch) == 1
