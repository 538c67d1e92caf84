"""pyttsx3 as the synthesis engine: one thread for the whole process owns it.

pyttsx3 must be created and used in one thread, and its espeak driver initialises
libespeak-ng once per process with one global callback, so there is one engine per
process, owned by the thread below, which reads a queue of sentences. Each sentence is
written to a WAV with ``save_to_file`` + ``runAndWait`` (no sound card needed); the
announcer plays the file itself, so playback failures and times stay visible.

Found with pyttsx3 2.99 and espeak-ng 1.51 (measured, see tests/test_tts.py):
``setProperty`` errors (an unknown voice) are not raised, only sent to the "error"
topic, so the voice is checked with ``getProperty('voice')`` after each sentence; the
speaking rate in force at the first sentence stays for the whole process (later
``setProperty('rate')`` calls change nothing), so a different rate is refused and the
caller falls back to the espeak-ng program. A call that never returns is bounded by
the caller's timeout; the engine is then given up for the rest of the process.
"""

from __future__ import annotations

import queue
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path


class SpeechFailed(RuntimeError):
    """The engine or aplay failed (or hung) on one sentence; the message says how."""


class SpeechHung(SpeechFailed):
    """The pyttsx3 engine did not finish a sentence in time (it is given up)."""


@dataclass
class _Job:
    text: str
    path: Path
    voice: str
    rate_wpm: int
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


class Pyttsx3Engine:
    """The process's pyttsx3 engine, in its own thread; ``synthesise`` waits for it."""

    def __init__(self) -> None:
        self.broken: str | None = None  # why it cannot be used any more
        self.rate_wpm: int | None = None  # the rate espeak keeps (that of the first sentence)
        self.last_voice: str | None = None  # getProperty('voice') after the last sentence
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="pyttsx3", daemon=True)
        self._thread.start()

    def synthesise(self, text: str, path: Path, voice: str, rate_wpm: int, timeout_s: float) -> None:
        """Write ``text`` spoken by ``voice`` to the WAV ``path``; SpeechFailed if it cannot,
        SpeechHung if it takes more than ``timeout_s``."""
        if self.broken is not None:
            raise SpeechFailed(self.broken)
        if self.rate_wpm is not None and rate_wpm != self.rate_wpm:
            raise SpeechFailed(f"pyttsx3 keeps the rate of its first sentence ({self.rate_wpm} words/min)")
        job = _Job(text, path, voice, rate_wpm)
        self._jobs.put(job)
        if not job.done.wait(timeout_s):
            self.broken = f"pyttsx3 did not finish within {timeout_s:.0f} s"
            raise SpeechHung(self.broken)
        if job.error is not None:
            raise SpeechFailed(job.error)

    def _run(self) -> None:
        engine = None
        try:
            import pyttsx3

            engine = pyttsx3.init()
            driver = sys.modules.get("pyttsx3.drivers.espeak")
            if driver is not None:  # it prints "Audio saved to ..." on our console
                driver.print = lambda *args, **kwargs: None
        except Exception as exc:  # not installed, no libespeak-ng, no driver for this system
            self.broken = f"pyttsx3: {exc or type(exc).__name__}"
        while True:
            job = self._jobs.get()
            if engine is None:
                job.error = self.broken
            else:
                try:
                    self._one(engine, job)
                except SpeechFailed as exc:
                    job.error = str(exc)
                except Exception as exc:  # noqa: BLE001 - any engine failure falls back
                    job.error = f"pyttsx3: {exc}"
            job.done.set()

    def _one(self, engine, job: _Job) -> None:
        errors: list[object] = []
        written = threading.Event()
        tokens = [engine.connect("error", lambda **kw: errors.append(kw.get("exception"))),
                  engine.connect("finished-utterance", lambda **kw: written.set())]
        try:
            engine.setProperty("voice", job.voice)
            engine.setProperty("rate", job.rate_wpm)
            engine.save_to_file(job.text, str(job.path))
            engine.runAndWait()
            # the espeak driver returns before libespeak-ng (asynchronous) has written the file
            written.wait()
            if self.rate_wpm is None:
                self.rate_wpm = job.rate_wpm
        finally:
            for token in tokens:
                engine.disconnect(token)
        if errors:
            raise SpeechFailed(f"pyttsx3: {errors[0]}")
        voice = self.last_voice = engine.getProperty("voice")
        if voice != job.voice:
            raise SpeechFailed(f"pyttsx3 speaks with the voice {voice!r}, not {job.voice!r}")
        if not job.path.is_file() or job.path.stat().st_size <= 44:
            raise SpeechFailed("pyttsx3 wrote no sound")


_ENGINE: Pyttsx3Engine | None = None
_ENGINE_LOCK = threading.Lock()


def pyttsx3_engine() -> Pyttsx3Engine:
    """The process's pyttsx3 engine (started on first use)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = Pyttsx3Engine()
        return _ENGINE
