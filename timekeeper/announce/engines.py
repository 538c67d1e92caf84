"""pyttsx3 as the synthesis engine: one thread for the whole process owns it.

pyttsx3 must be created and used in one thread, and its espeak driver initialises
libespeak-ng once per process with one global callback, so there is one engine per
process, owned by the thread below, which reads a queue of sentences. Each sentence is
written to a WAV with ``save_to_file`` + ``runAndWait`` (no sound card needed); the
announcer plays the file itself, so playback failures and times stay visible.

Found with pyttsx3 2.99 and espeak-ng 1.51 (bench/bench_tts.py measures it):

- libespeak-ng runs asynchronously and ``setProperty('rate')`` is only queued there;
  ``runAndWait`` ends with the driver's ``stop()``, which cancels whatever libespeak-ng
  is still busy with. A cancel that lands on the queued rate drops it (the sentence is
  said at the old rate) and leaves the driver "stopping", so it cancels the sentence it
  has just started: an empty, or cut, WAV (half of all sentences when rates change,
  bench_tts --raw). So the driver's ``stop`` is made a no-op (we never stop a file being
  written), and each sentence waits until libespeak-ng is idle before and after setting
  its properties, and after it is written.
- ``setProperty`` errors (an unknown voice) are not raised, only sent to the "error"
  topic; the voice and rate in force are read back with ``getProperty``.
- ``runAndWait`` may return before the WAV is written: "finished-utterance" is awaited.

Whatever is left, every WAV is checked: not empty, not cancelled ("finished-utterance"
with ``completed=False``), said at the rate asked, and not cut before the text's last
word (``check_wav``, from the "started-word" events). No check on how the WAV ends:
espeak-ng itself ends some sentences on a loud sound ("... or press q."). A bad WAV
raises ``BadWav``: the caller has that sentence synthesised by the espeak-ng program.
A call that never returns is bounded by the caller's timeout (``SpeechHung``); the
engine is then given up for the process.
"""

from __future__ import annotations

import queue
import re
import sys
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol


class SpeechFailed(RuntimeError):
    """The engine or aplay failed (or hung) on one sentence; the message says how."""


class SpeechHung(SpeechFailed):
    """The pyttsx3 engine did not finish a sentence in time (it is given up)."""


class BadWav(SpeechFailed):
    """pyttsx3 wrote an empty or cut WAV for this sentence (the next one may be fine)."""


class Synthesiser(Protocol):
    """Writes one sentence to a WAV; raises SpeechFailed (BadWav, SpeechHung) when it cannot."""

    name: str

    def synthesise(self, text: str, path: Path, voice: str, rate_wpm: int, timeout_s: float) -> None: ...


WORD_SLACK = 2  # espeak's word positions can land a character or two early (after a number, a ".")


def last_word_at(text: str) -> int:
    """1-based character position of the text's last word (a run with a letter or digit)."""
    found = [m.start() + 1 for m in re.finditer(r"\S+", text) if any(c.isalnum() for c in m.group())]
    return found[-1] if found else 0


def check_wav(path: Path, text: str, words: list[tuple[int, int]]) -> float:
    """The WAV's length in seconds; BadWav when it is empty or cut before the text's last
    word (``words``: the (location, length) of each "started-word" event: libespeak-ng
    sends them with the sound they start in, so a cut WAV misses the last ones)."""
    try:
        with wave.open(str(path), "rb") as w:
            frames, rate = w.getnframes(), w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise BadWav(f"pyttsx3 wrote no readable WAV ({exc})") from None
    if frames == 0:
        raise BadWav("pyttsx3 wrote an empty WAV")
    last = last_word_at(text)
    heard = max((loc for loc, _ in words), default=None)
    if heard is not None and heard < last - WORD_SLACK:
        raise BadWav(f"pyttsx3 stopped before the last word (at character {heard} of {len(text)})")
    return frames / float(rate)


@dataclass
class _Job:
    text: str
    path: Path
    voice: str
    rate_wpm: int
    error: SpeechFailed | None = None
    done: threading.Event = field(default_factory=threading.Event)


def _espeak_is_playing() -> Callable[[], int]:
    espeak = sys.modules.get("pyttsx3.drivers._espeak")
    return getattr(espeak, "IsPlaying", None) or (lambda: 0)


class Pyttsx3Engine:
    """A pyttsx3 engine in its own thread; ``synthesise`` waits for it. ``init`` makes
    the engine (``pyttsx3.init`` by default; tests hand their own)."""

    name = "pyttsx3"

    def __init__(self, init: Callable[[], object] | None = None, idle_s: float = 2.0,
                 keep_stop: bool = False) -> None:
        self.broken: str | None = None  # why it cannot be used any more
        self.last_voice: str | None = None  # getProperty('voice') after the last sentence
        self.idle_s = idle_s  # the longest wait for libespeak-ng to be idle
        self.keep_stop = keep_stop  # leave the driver's stop() as it is (bench_tts --raw)
        self._init = init
        self._is_playing: Callable[[], int] = lambda: 0
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="pyttsx3", daemon=True)
        self._thread.start()

    def synthesise(self, text: str, path: Path, voice: str, rate_wpm: int, timeout_s: float) -> None:
        """Write ``text`` spoken by ``voice`` at ``rate_wpm`` to the WAV ``path``; BadWav if
        that WAV is empty or cut, SpeechFailed if the engine cannot, SpeechHung if it takes
        more than ``timeout_s``."""
        if self.broken is not None:
            raise SpeechFailed(self.broken)
        job = _Job(text, path, voice, rate_wpm)
        self._jobs.put(job)
        if not job.done.wait(timeout_s):
            self.broken = f"pyttsx3 did not finish within {timeout_s:.0f} s"
            raise SpeechHung(self.broken)
        if job.error is not None:
            raise job.error

    def _start(self):
        if self._init is None:
            import pyttsx3

            engine = pyttsx3.init()
            driver = sys.modules.get("pyttsx3.drivers.espeak")
            if driver is not None:  # it prints "Audio saved to ..." on our console
                driver.print = lambda *args, **kwargs: None
            self._is_playing = _espeak_is_playing()
            espeak = getattr(getattr(engine, "proxy", None), "_driver", None)
            if type(espeak).__name__ == "EspeakDriver" and not self.keep_stop:
                # runAndWait's last step calls stop(), which cancels whatever libespeak-ng is
                # still doing: we never stop a file being written, so it does nothing
                espeak.stop = lambda: None
        else:
            engine = self._init()
        engine.runAndWait()  # an empty loop: the driver is idle, properties apply at once
        return engine

    def _run(self) -> None:
        engine = None
        try:
            engine = self._start()
        except Exception as exc:  # noqa: BLE001 - not installed, no libespeak-ng, no driver here
            self.broken = f"pyttsx3: {exc or type(exc).__name__}"
        while True:
            job = self._jobs.get()
            if engine is None:
                job.error = SpeechFailed(self.broken)
            else:
                try:
                    self._one(engine, job)
                except SpeechFailed as exc:
                    job.error = exc
                except Exception as exc:  # noqa: BLE001 - any engine failure falls back
                    job.error = SpeechFailed(f"pyttsx3: {exc}")
            job.done.set()

    def _idle(self, engine) -> None:
        """Wait until libespeak-ng has nothing queued (bounded: the checks catch the rest)."""
        proxy = getattr(engine, "proxy", None)
        busy = getattr(proxy, "isBusy", None) or (lambda: False)
        deadline = time.monotonic() + self.idle_s
        while (self._is_playing() or busy()) and time.monotonic() < deadline:
            time.sleep(0.002)

    def _one(self, engine, job: _Job) -> None:
        errors: list[object] = []
        words: list[tuple[int, int]] = []
        finished: list[bool] = []
        written = threading.Event()

        def on_finished(**kw) -> None:
            finished.append(bool(kw.get("completed", True)))
            written.set()

        self._idle(engine)
        tokens = [engine.connect("error", lambda **kw: errors.append(kw.get("exception"))),
                  engine.connect("started-word", lambda **kw: words.append((kw.get("location", 0),
                                                                             kw.get("length", 0)))),
                  engine.connect("finished-utterance", on_finished)]
        try:
            engine.setProperty("voice", job.voice)
            engine.setProperty("rate", job.rate_wpm)
            self._idle(engine)  # the rate is applied, not waiting to be cancelled
            engine.save_to_file(job.text, str(job.path))
            engine.runAndWait()
            written.wait()  # the espeak driver may return before libespeak-ng wrote the file
            self._idle(engine)
        finally:
            for token in tokens:
                engine.disconnect(token)
        if errors:
            raise SpeechFailed(f"pyttsx3: {errors[0]}")
        voice = self.last_voice = engine.getProperty("voice")
        if voice != job.voice:
            raise SpeechFailed(f"pyttsx3 speaks with the voice {voice!r}, not {job.voice!r}")
        if not all(finished):
            raise BadWav("pyttsx3 cancelled the sentence it was writing")
        rate = engine.getProperty("rate")
        if rate != job.rate_wpm:
            raise BadWav(f"pyttsx3 kept the rate {rate} words/min instead of {job.rate_wpm}")
        check_wav(job.path, job.text, [w for w in words if w[0] > 0])


_ENGINE: Pyttsx3Engine | None = None
_ENGINE_LOCK = threading.Lock()


def pyttsx3_engine() -> Pyttsx3Engine:
    """The process's pyttsx3 engine (started on first use)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _ENGINE = Pyttsx3Engine()
        return _ENGINE
