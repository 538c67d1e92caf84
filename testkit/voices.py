"""Where speech comes from: espeak-ng renders (cached on disk) and real recordings.

Every clip leaves here as float32 mono at 16 kHz, trimmed to its voiced extent with
an energy threshold, so the generator can place it with tight, exact truth.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from timekeeper.audio.frames import RATE_HZ
from timekeeper.errors import AudioFileError, ConfigError

REPO_DIR = Path(__file__).resolve().parents[1]
TEST_VOICES_DIR = REPO_DIR / "tests" / "data" / "voices" / "librispeech"
SHARED_VOICES_DIR = REPO_DIR.parent / "shared" / "data" / "voices" / "librispeech-10"

TRIM_FRAME = RATE_HZ // 100  # 10 ms
FADE = RATE_HZ // 500  # 2 ms fade at clip edges (does not change the extent)


def read_wav(path: Path) -> np.ndarray:
    """A 16-bit mono WAV as float32 in [-1, 1], resampled to 16 kHz if needed."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise AudioFileError(f"{path}: only 16-bit PCM WAV is supported; convert it with sox")
            rate, channels = w.getframerate(), w.getnchannels()
            data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    except (wave.Error, EOFError, FileNotFoundError) as exc:
        raise AudioFileError(f"{path}: unreadable WAV ({exc}); give a 16-bit PCM WAV file") from None
    x = data.astype(np.float32) / 32768.0
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    return resample(x, rate)


def write_wav(path: Path, samples: np.ndarray, rate_hz: int = RATE_HZ) -> None:
    """Write int16 (or float in [-1, 1]) samples as a mono 16-bit WAV, atomically."""
    if samples.dtype != np.int16:
        samples = np.clip(np.round(samples * 32767.0), -32768, 32767).astype(np.int16)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(samples.astype("<i2").tobytes())
    os.replace(tmp, path)


def resample(x: np.ndarray, rate_hz: int) -> np.ndarray:
    if rate_hz == RATE_HZ:
        return x.astype(np.float32, copy=False)
    from math import gcd

    from scipy.signal import resample_poly

    g = gcd(RATE_HZ, rate_hz)
    return resample_poly(x, RATE_HZ // g, rate_hz // g).astype(np.float32)


def frame_db(x: np.ndarray) -> np.ndarray:
    """RMS level of each 10 ms frame, in dBFS."""
    n = len(x) // TRIM_FRAME
    if n == 0:
        return np.full(1, -120.0)
    frames = x[: n * TRIM_FRAME].reshape(n, TRIM_FRAME).astype(np.float64)
    return 10 * np.log10((frames**2).mean(axis=1) + 1e-12)


def voiced_extent(x: np.ndarray) -> tuple[int, int]:
    """(first, last+1) sample of the voiced part: frames above max(peak-35 dB, floor+8 dB)."""
    db = frame_db(x)
    threshold = max(db.max() - 35.0, np.percentile(db, 10) + 8.0, -70.0)
    loud = np.flatnonzero(db > threshold)
    if len(loud) == 0:
        return 0, 0
    return int(loud[0] * TRIM_FRAME), int(min(len(x), (loud[-1] + 1) * TRIM_FRAME))


def trim(x: np.ndarray) -> np.ndarray:
    """The voiced part of a clip, with 2 ms fades so edges do not click."""
    a, b = voiced_extent(x)
    y = np.array(x[a:b], dtype=np.float32)
    if len(y) > 2 * FADE:
        ramp = np.linspace(0.0, 1.0, FADE, dtype=np.float32)
        y[:FADE] *= ramp
        y[-FADE:] *= ramp[::-1]
    return y


def active_rms_db(x: np.ndarray) -> float:
    """Level of the speech-active frames (within 30 dB of the loudest), in dBFS."""
    db = frame_db(x)
    active = db[db > db.max() - 30.0]
    return float(10 * np.log10(np.mean(10 ** (active / 10)) + 1e-12))


# --- espeak-ng ---------------------------------------------------------------


def cache_dir() -> Path:
    """Disk cache for espeak renders: $TIMEKEEPER_SYNTH_CACHE, else bench/cache/espeak."""
    env = os.environ.get("TIMEKEEPER_SYNTH_CACHE")
    if env:
        return Path(env)
    if (REPO_DIR / "bench").is_dir():
        return REPO_DIR / "bench" / "cache" / "espeak"
    return Path(tempfile.gettempdir()) / "timekeeper-espeak-cache"


@lru_cache(maxsize=1)
def espeak_version() -> str:
    try:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
    except (FileNotFoundError, subprocess.CalledProcessError):
        raise ConfigError("espeak-ng is not installed: sudo apt-get install espeak-ng") from None
    return out.stdout.strip()


@dataclass(frozen=True)
class EspeakVoice:
    """An espeak-ng voice with a variant, pitch (0-99) and speed (words per minute)."""

    voice: str  # e.g. "en-us+m3", "fr+f2"
    pitch: int = 50
    speed: int = 165

    @property
    def label(self) -> str:
        return f"espeak:{self.voice}:p{self.pitch}:s{self.speed}"

    def render(self, text: str) -> np.ndarray:
        """Trimmed 16 kHz float32 audio of ``text`` (cached on disk by content hash)."""
        key = hashlib.sha1(f"{espeak_version()}|{self.voice}|{self.pitch}|{self.speed}|{text}".encode()).hexdigest()
        path = cache_dir() / key[:2] / f"{key}.wav"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory() as tmp:
                raw = Path(tmp) / "raw.wav"
                cmd = ["espeak-ng", "-v", self.voice, "-p", str(self.pitch), "-s", str(self.speed), "-w", str(raw), "--stdin"]
                proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True)
                if proc.returncode != 0 or not raw.exists():
                    msg = proc.stderr.decode(errors="replace").strip().splitlines()
                    raise ConfigError(f"espeak-ng voice {self.voice!r} failed ({msg[-1] if msg else 'no output'}): "
                                      "pick a voice from `espeak-ng --voices`")
                write_wav(path, trim(read_wav(raw)))
        return read_wav(path)


# --- real recordings ---------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    """One real utterance: its id (file stem) and path."""

    id: str
    path: Path

    def load(self) -> np.ndarray:
        return _load_trimmed(self.path)


@lru_cache(maxsize=512)
def _load_trimmed(path: Path) -> np.ndarray:
    y = trim(read_wav(path))
    y.flags.writeable = False
    return y


def librispeech_speaker(voices_dir: Path, speaker: str) -> list[Recording]:
    """The utterances of one speaker folder, sorted by name."""
    folder = voices_dir / speaker
    files = sorted(folder.glob("*.wav")) if folder.is_dir() else []
    if not files:
        have = sorted(p.name for p in voices_dir.iterdir() if p.is_dir()) if voices_dir.is_dir() else []
        raise ConfigError(
            f"no recordings for voice 'librispeech:{speaker}' in {voices_dir}: "
            f"use one of {', '.join(have) or '(none)'} or point session.voices_dir at a folder of speaker folders"
        )
    return [Recording(p.stem, p) for p in files]


def list_speakers(voices_dir: Path) -> list[str]:
    if not voices_dir.is_dir():
        return []
    return sorted(p.name for p in voices_dir.iterdir() if p.is_dir() and any(p.glob("*.wav")))
