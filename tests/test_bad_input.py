"""Every bad input of issue 12 is one line naming the fix, a non-zero exit, nothing left
behind (no session folder), never a traceback."""

from __future__ import annotations

import json
import os
import resource
import signal
import struct
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from timekeeper.journal import read_journal

ROOT = Path(__file__).parent.parent


def tk(*args: str, stdin: str = "", preexec=None, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "timekeeper", *args], input=stdin, capture_output=True,
                          text=True, timeout=timeout, env=env, preexec_fn=preexec)


def refused(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# --- settings files -------------------------------------------------------------------

CONFIGS = [
    (b"[session]\nlang = \"fr\" # caf\xe9\n", ["not UTF-8", "line 2", "save it as UTF-8"]),
    (b"\xef\xbb\xbf[session]\nlang = \"fr\"\n", ["byte-order mark", "without BOM"]),
    (b"[clock]\nwarn_before_min = nan\n", ["clock.warn_before_min = nan", "plain number"]),
    (b"[clock]\nbehind_warn_min = inf\n", ["clock.behind_warn_min = inf", "plain number"]),
    (b"[clock]\noverrun_every_min = 1e308\n", ["overrun_every_min", "out of range", "from 0 to 60"]),
    (b"[announcer]\nearcon = \"beep\"\n", ["earcon", "'beep'", "word, bell, none"]),
    (b"[announcer]\nrate_wpm = 0\n", ["rate_wpm", "from 80 to 450"]),
    (b"[announcer]\nrate_wpm = 1000000\n", ["rate_wpm", "out of range"]),
    (b"[listen]\nwake_en = \"  \"\n", ["wake_en", "is empty", "'time keeper'"]),
    (b"[speaking]\nmonologe_s = 90\n", ["[speaking]", "monologe_s"]),
    (b"[speaking]\nmonologue_s = nan\n", ["speaking.monologue_s = nan"]),
]


@pytest.mark.parametrize("content,words", CONFIGS, ids=[w[0] for _, w in CONFIGS])
def test_a_bad_settings_file_is_one_line_and_leaves_nothing(tmp_path, content, words):
    cfg = tmp_path / "tk.toml"
    cfg.write_bytes(content)
    sessions = tmp_path / "sessions"
    result = tk("run", "--config", str(cfg), "--no-tts", "--sessions-dir", str(sessions), stdin="end\n")
    line = refused(result, *words)
    assert str(cfg) in line
    assert not sessions.exists()


# --- audio files ----------------------------------------------------------------------


def wav_header(rate: int = 16000, nbytes: int = 32000) -> bytes:
    return (b"RIFF" + struct.pack("<I", 36 + nbytes) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16) + b"data" + struct.pack("<I", nbytes))


def make_wav(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.wav"
    if kind == "header-only":
        path.write_bytes(wav_header())
    elif kind == "rate-0":
        path.write_bytes(wav_header(rate=0) + b"\0" * 32000)
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "8khz":
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes((np.random.default_rng(0).normal(0, 1000, 16000)).astype(np.int16).tobytes())
    return path


@pytest.mark.parametrize("kind,words", [
    ("header-only", ["is empty", "a header and no audio"]),
    ("rate-0", ["sample rate is 0 Hz", "re-export it"]),
    ("fifo", ["is a pipe or a device", "save the audio to a .wav file"]),
    ("8khz", ["8000 Hz", "too low for voice commands", "16 kHz"]),
])
def test_a_bad_recording_is_one_line_and_leaves_nothing(tmp_path, kind, words):
    wav = make_wav(tmp_path, kind)
    sessions = tmp_path / "sessions"
    result = tk("run", "--input", str(wav), "--lang", "en", "--no-tts", "--sessions-dir", str(sessions))
    refused(result, *words)
    assert not sessions.exists()


# --- journals -------------------------------------------------------------------------


def started_session(tmp_path: Path) -> Path:
    """A live session killed after its first phase change."""
    folder = tmp_path / "s"
    proc = subprocess.Popen([sys.executable, "-m", "timekeeper", "run", "--no-tts", "--lang", "en", "--no-report",
                             "--session-dir", str(folder)], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    proc.stdin.write("next\n")
    proc.stdin.flush()
    path = folder / "journal.jsonl"
    for _ in range(600):
        if path.exists() and path.read_text(encoding="utf-8").count('"PhaseStarted"') >= 2:
            break
        proc.wait(0.05) if proc.poll() is not None else None
        import time

        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return folder


def edit_journal(folder: Path, change) -> None:
    path = folder / "journal.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    change(lines)
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")


def test_a_t_s_that_is_not_a_number_is_skipped_not_a_traceback(tmp_path):
    folder = started_session(tmp_path)

    def spoil(lines):
        lines[-1]["t_s"] = "soon"

    edit_journal(folder, spoil)
    result = tk("report", str(folder), "--format", "md", "--out", "-")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="end\n")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "line" in result.stderr and read_journal(folder).events[-2].type == "SessionEnded"


def test_a_language_we_do_not_have_is_one_line(tmp_path):
    folder = started_session(tmp_path)

    def klingon(lines):
        lines[0]["lang"] = "tlh"

    edit_journal(folder, klingon)
    before = (folder / "journal.jsonl").read_bytes()
    refused(tk("run", "--resume", str(folder), "--no-tts", stdin="end\n"), "'tlh'", "fr, en")
    result = tk("report", str(folder), "--format", "md", "--out", "-")  # the report falls back on a language it has
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert (folder / "journal.jsonl").read_bytes() == before


def test_an_unknown_event_type_is_skipped_and_not_called_torn(tmp_path):
    folder = started_session(tmp_path)

    def newer(lines):
        extra = dict(lines[-1], type="Applause", volume_db=80)
        lines.append(dict(extra, batch=lines[-1]["batch"] + 1, n=1))

    edit_journal(folder, newer)
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="end\n")
    assert result.returncode == 0, result.stderr
    assert "torn" not in result.stderr and "newer timekeeper" in result.stderr and "Applause" in result.stderr
    contents = read_journal(folder)
    assert contents.torn_lines == () and [kind for _, kind in contents.unknown] == ["Applause"]


# --- a full disk --------------------------------------------------------------------------


def limit_file_size(max_bytes: int):
    """In the child: files may not grow past max_bytes (writes then fail with EFBIG, as on a full disk)."""
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def test_a_full_disk_at_start_is_one_line_and_leaves_nothing(tmp_path):
    sessions = tmp_path / "sessions"
    result = tk("run", "--no-tts", "--lang", "en", "--sessions-dir", str(sessions), stdin="end\n",
                preexec=limit_file_size(0))
    refused(result, "no space left", "free some space")
    assert not sessions.exists()


def test_a_full_disk_mid_session_keeps_the_journal_and_the_session_resumes(tmp_path):
    folder = tmp_path / "s"
    keys = "next\n" + "time_left\n" * 200 + "end\n"
    result = tk("run", "--no-tts", "--lang", "en", "--session-dir", str(folder), stdin=keys,
                preexec=limit_file_size(6000))
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert "no space left" in result.stderr.splitlines()[-1] and f"--resume {folder}" in result.stderr.splitlines()[-1]
    kept = read_journal(folder).events
    assert len(kept) > 5 and not any(e.type == "SessionEnded" for e in kept)
    result = tk("run", "--resume", str(folder), "--no-tts", "--no-report", stdin="end\n")  # space is back
    assert result.returncode == 0, result.stderr
    events = read_journal(folder).events
    assert events[: len(kept)] == kept and events[-2].type == "SessionEnded"
