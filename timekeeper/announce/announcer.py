"""Announcers: they say a sentence and publish when they are speaking.

``say(text, now_s)`` never blocks. Every announcer keeps the windows (session-clock
seconds) in which it is, or is expected to be, speaking; the listening side asks
``overlaps(start_s, end_s)`` to ignore the timekeeper's own voice plus a tail.

- ``TtsAnnouncer``: one worker thread owns the pyttsx3 engine and reads a queue (the
  pattern that avoids pyttsx3's run-loop and threading bugs). Windows start as an
  estimate and are corrected with the real start and end of playback.
- ``PrintAnnouncer``: prints (and rings the terminal bell); the fallback when there is
  no TTS or no sound output, and the default for replays.
- ``RecordingAnnouncer``: keeps what was said, for tests.
"""

from __future__ import annotations

import logging
import queue
import shutil
import subprocess
import sys
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from timekeeper import lang as languages
from timekeeper.clock import Clock
from timekeeper.clocktext import elapsed

log = logging.getLogger(__name__)

VOICES = languages.table("ESPEAK_VOICE")  # espeak-ng voice ids


def estimate_speech_s(text: str, rate_wpm: int = 165) -> float:
    """How long espeak-ng takes to say ``text`` (measured: within ~20 % at 165 wpm)."""
    words = max(1, len(text.split()))
    return 0.25 + words * 60.0 / max(60, rate_wpm) * 1.1


def stamp(t_s: float) -> str:
    """Session time as printed before each line: "[12:03]"."""
    return f"[{elapsed(t_s)}]"


def has_sound_output() -> bool:
    """True when ALSA lists a sound card (aplay -l), which playback needs."""
    if shutil.which("aplay") is None:
        return False
    try:
        result = subprocess.run(["aplay", "-l"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and "card " in result.stdout


@dataclass
class Window:
    start_s: float
    end_s: float


class Announcer:
    """Base class: keeps speaking windows and the last sentence; prints nothing."""

    def __init__(self, clock: Clock, lang: str = "fr", *, rate_wpm: int = 165,
                 tail_s: float = 0.6) -> None:
        self.clock = clock
        self.lang = lang
        self.rate_wpm = rate_wpm
        self.tail_s = tail_s
        self.last_text: str | None = None
        self._windows: list[Window] = []
        self._lock = threading.Lock()

    def say(self, text: str, now_s: float | None = None) -> tuple[float, float]:
        """Queue ``text``; returns its expected (start_s, end_s) on the session clock."""
        now = self.clock.now() if now_s is None else now_s
        window = self.reserve(text, now)
        self.deliver(text, window, now)
        return window.start_s, window.end_s

    def reserve(self, text: str, now_s: float) -> "Window":
        """Book the time ``text`` will take, without saying it yet (so it can be
        journaled first)."""
        with self._lock:
            start = max(now_s, self._windows[-1].end_s if self._windows else now_s)
            window = Window(start, start + estimate_speech_s(text, self.rate_wpm))
            self._windows.append(window)
            del self._windows[:-50]
        self.last_text = text
        return window

    def deliver(self, text: str, window: "Window", now_s: float) -> None:
        self._deliver(text, window, now_s)

    def repeat(self, now_s: float | None = None) -> tuple[float, float] | None:
        return self.say(self.last_text, now_s) if self.last_text else None

    def _deliver(self, text: str, window: Window, now_s: float) -> None:
        pass

    def overlaps(self, start_s: float, end_s: float) -> bool:
        """Does [start_s, end_s] touch a speaking window (plus the echo tail)?"""
        with self._lock:
            return any(start_s < w.end_s + self.tail_s and end_s > w.start_s for w in self._windows)

    def wait(self, timeout_s: float = 60.0) -> None:
        """Block until everything queued has been said (before recording someone)."""

    def close(self) -> None:
        pass


class RecordingAnnouncer(Announcer):
    """Keeps (start_s, text) pairs: what a listener would have heard, and when."""

    def __init__(self, clock: Clock, lang: str = "fr", **kw) -> None:
        super().__init__(clock, lang, **kw)
        self.said: list[tuple[float, str]] = []

    def _deliver(self, text: str, window: Window, now_s: float) -> None:
        self.said.append((now_s, text))


class PrintAnnouncer(Announcer):
    def __init__(self, clock: Clock, lang: str = "fr", *, stream: TextIO | None = None,
                 bell: bool = False, printer: Callable[[str], None] | None = None, **kw) -> None:
        super().__init__(clock, lang, **kw)
        self.stream = stream
        self.bell = bell
        self.printer = printer

    def _deliver(self, text: str, window: Window, now_s: float) -> None:
        if self.printer is not None:
            self.printer(f"{stamp(now_s)} {text}")
            return
        stream = self.stream or sys.stdout
        bell = "\a" if self.bell else ""
        stream.write(f"{bell}{stamp(now_s)} {text}\n")
        stream.flush()


class TtsAnnouncer(Announcer):
    """Speaks through pyttsx3 (espeak-ng) in its own thread.

    If the engine cannot start or the voice for the language is missing, it falls
    back to ``fallback`` (a PrintAnnouncer) with one warning line.
    """

    def __init__(self, clock: Clock, lang: str = "fr", *, voice: str = "",
                 fallback: Announcer | None = None, out_dir: Path | None = None,
                 realtime: bool = True, **kw) -> None:
        super().__init__(clock, lang, **kw)
        self.voice = voice or VOICES.get(lang, "gmw/en")
        self.fallback = fallback
        self.out_dir = out_dir  # write each announcement to a WAV instead of playing it
        self.files: list[Path] = []
        self.failed: str | None = None
        # In a replay the session clock is the audio's, not playback's: keep the estimates.
        self.realtime = realtime
        self._queue: queue.Queue[tuple[str, Window] | None] = queue.Queue()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)

    def _run(self) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
            engine.setProperty("voice", self.voice)
            engine.setProperty("rate", self.rate_wpm)
            engine.runAndWait()  # pyttsx3 applies properties in its run loop
            if engine.getProperty("voice") != self.voice:
                raise RuntimeError(f"voice {self.voice} not available")
        except Exception as exc:  # any engine failure means: print instead
            self.failed = str(exc) or type(exc).__name__
            self._ready.set()
            return
        self._ready.set()
        while True:
            item = self._queue.get()
            if item is None:
                self._queue.task_done()
                break
            text, window = item
            started = self.clock.now()
            try:
                if self.out_dir is not None:
                    path = self.out_dir / f"announcement-{len(self.files) + 1:03d}.wav"
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                    self.files.append(path)
                    ended = started + wav_duration_s(path)
                else:
                    engine.say(text)
                    engine.runAndWait()
                    ended = self.clock.now()
            except Exception as exc:
                log.warning("speech failed (%s); printing from now on", exc)
                self.failed = str(exc)
                ended = self.clock.now()
            if self.realtime or self.out_dir is not None:
                with self._lock:  # correct the estimate with what really happened
                    window.start_s, window.end_s = min(window.start_s, started), max(ended, started)
            self._queue.task_done()

    def _deliver(self, text: str, window: Window, now_s: float) -> None:
        if self.failed is not None:
            if self.fallback is not None:
                self.fallback._deliver(text, window, now_s)
            return
        self._queue.put((text, window))

    def wait(self, timeout_s: float = 60.0) -> None:
        if self.failed is not None:
            return
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        """Say what is queued, then stop the worker."""
        self._queue.put(None)
        self._thread.join(timeout=60)


def wav_duration_s(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def make_announcer(clock: Clock, lang: str, *, tts: bool, voice: str = "", rate_wpm: int = 165,
                   tail_s: float = 0.6, printer: Callable[[str], None] | None = None,
                   warn: Callable[[str], None] | None = None, realtime: bool = True,
                   stream: TextIO | None = None) -> Announcer:
    """The best announcer this machine allows, with one warning line when it falls back."""
    printed = PrintAnnouncer(clock, lang, rate_wpm=rate_wpm, tail_s=tail_s, bell=realtime, printer=printer,
                             stream=stream)
    if not tts:
        return printed
    reason = None
    if not has_sound_output():
        reason = "no sound output found"
    else:
        spoken = TtsAnnouncer(clock, lang, voice=voice, rate_wpm=rate_wpm, tail_s=tail_s, fallback=printed,
                              realtime=realtime)
        if spoken.failed is None:
            return spoken
        reason = f"speech engine unavailable ({spoken.failed})"
        spoken.close()
    (warn or (lambda m: print(m, file=sys.stderr)))(
        f"timekeeper: {reason}; announcements are printed (install espeak-ng and alsa-utils "
        "and check the speaker, or use --no-tts to silence this line)")
    return printed
