"""Crash harness: a WAV replay killed (kill -9) at 20 random points and resumed gives the
report of the uninterrupted run: the same phase times (within 0.3 s) and the same commands.

The session is the first 80 s of the generated short codev session (three spoken
"next phase", one "how much time is left", distractor talk): a full replay takes a few
seconds, and the 20 crash/resume pairs run two at a time."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from timekeeper.journal import read_journal
from timekeeper.report import build_report
from testkit import presets

ROOT = Path(__file__).parent.parent
KILLS = 20
CUT_S = 80.0


def tk_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "timekeeper", *args]


def env_for(base: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT), TIMEKEEPER_DATA=str(base / "data"))


def cut(src: Path, dst: Path, seconds: float) -> Path:
    with wave.open(str(src), "rb") as r:
        params = r.getparams()
        data = r.readframes(int(seconds * r.getframerate()))
    with wave.open(str(dst), "wb") as w:
        w.setparams(params)
        w.writeframes(data)
    return dst


def report_json(session: Path, env: dict) -> dict:
    """The JSON report (what `timekeeper report --format json` prints), built in-process."""
    return json.loads(build_report(session, "json"))


def voice_commands(session: Path) -> list[tuple]:
    return [(e.command, e.accepted, e.start_s) for e in read_journal(session).events
            if e.type == "CommandHeard" and e.source == "voice"]


def run_args(wav: Path, session: Path) -> list[str]:
    return tk_cmd("run", "--input", str(wav), "--lang", "en", "--scale", "0.032", "--no-tts", "--no-view",
                  "--no-report", "--session-dir", str(session))


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    base = tmp_path_factory.mktemp("crash")
    wav = presets.build("short-codev", base / "audio", seed=0)
    short = cut(wav, base / "short.wav", CUT_S)
    env = env_for(base)
    reference = base / "reference"
    t0 = time.monotonic()
    result = subprocess.run(run_args(short, reference), capture_output=True, text=True, env=env, timeout=300)
    full_s = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    return base, short, env, reference, full_s


def last_t(journal: Path) -> float:
    """The audio time the replay has reached, from the last whole line of its journal."""
    try:
        lines = journal.read_bytes().split(b"\n")[:-1]
        return float(json.loads(lines[-1])["t_s"]) if lines else -1.0
    except (OSError, ValueError, KeyError):
        return -1.0


def crash_and_resume(base: Path, wav: Path, env: dict, target_s: float, extra_s: float,
                     n: int) -> tuple[Path, float | None]:
    """Replay, kill -9 once the replay has reached ``target_s`` of audio (plus ``extra_s`` of
    wall time, to land anywhere inside the work that follows), resume, return the folder."""
    session = base / f"crash{n:02d}"
    proc = subprocess.Popen(run_args(wav, session), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    journal = session / "journal.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and last_t(journal) < target_s:
        time.sleep(0.005)
    time.sleep(extra_s)
    killed_at: float | None = None
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        events = read_journal(session).events
        killed_at = max(e.t_s for e in events)
    resumed = subprocess.run(tk_cmd("run", "--resume", str(session), "--no-tts", "--no-view", "--no-report"),
                             capture_output=True, text=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    return session, killed_at


def test_a_replay_killed_anywhere_resumes_to_the_uninterrupted_report(material):
    base, wav, env, reference, full_s = material
    expected = report_json(reference, env)
    expected_commands = voice_commands(reference)
    assert sum(1 for c in expected_commands if c[0] == "next" and c[1]) >= 3  # the session has commands to lose
    rng = random.Random(12)
    points = [(rng.uniform(0.0, CUT_S - 3), rng.uniform(0.0, 0.3), n) for n in range(KILLS)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda a: crash_and_resume(base, wav, env, *a), points))
    killed = [t for _, t in outcomes if t is not None]
    print(f"reference replay {full_s:.1f} s; killed at (s of audio): {sorted(killed)}")
    assert len(killed) >= KILLS * 0.7, f"only {len(killed)} runs were killed before their end"
    for session, killed_at in outcomes:
        got = report_json(session, env)
        where = f"{session.name} (killed at {killed_at} s of audio)"
        assert [p["id"] for p in got["phases"]] == [p["id"] for p in expected["phases"]], where
        for p, q in zip(got["phases"], expected["phases"]):
            for key in ("start_s", "end_s", "actual_s"):
                if q[key] is None:
                    assert p[key] is None, where
                else:
                    assert abs(p[key] - q[key]) <= 0.3, f"{where}: phase {p['id']} {key} {p[key]} != {q[key]}"
        assert voice_commands(session) == expected_commands, where
        events = read_journal(session).events
        times = [e.t_s for e in events]
        assert times == sorted(times), f"{where}: time goes backwards in the journal"
        status = [e for e in events if e.type == "CommandHeard" and e.source == "script"]
        if killed_at is not None and status:  # where we are: said at the time the replay took up again
            assert status[0].t_s >= killed_at, where
        assert sum(e.type == "SessionStarted" for e in events) == 1, where
