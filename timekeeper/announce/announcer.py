"""Announcers: they say a sentence and publish when they are speaking.

``say(text, now_s)`` never blocks. Every announcer keeps the windows (session-clock
seconds) in which it is, or is expected to be, speaking; the listening side asks
``overlaps(start_s, end_s)`` to ignore the timekeeper's own voice plus a tail.

- ``TtsAnnouncer``: one worker thread reads a queue; each sentence is synthesised to a
  WAV by pyttsx3 (``engines.py``; the espeak-ng program if pyttsx3 cannot) and played
  with aplay, noticing every failure. Windows start as an estimate and are
  corrected with the real start and end of playback.
- ``PrintAnnouncer``: prints (and rings the terminal bell); the fallback when there is
  no TTS or no sound output, and the default for replays.
- ``RecordingAnnouncer``: keeps what was said, for tests.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from timekeeper import lang as languages
from timekeeper.clock import Clock
from timekeeper.announce.engines import BadWav, SpeechFailed, SpeechHung, Synthesiser, pyttsx3_engine
from timekeeper.clocktext import elapsed

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

    def resume(self, text: str, start_s: float, end_s: float) -> None:
        """Take up a sentence a resumed journal says was said (``Announced``): it is the last
        sentence, and its window still counts (what is said next waits for its end, and the
        listener ignores it as before the crash), so a resumed session says the same as the
        whole one."""
        with self._lock:
            self._windows.append(Window(start_s, end_s))
            del self._windows[:-50]
        self.last_text = text

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


def _tail(stderr: str) -> str:
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


class TtsAnnouncer(Announcer):
    """Speaks in its own thread: each sentence is synthesised to a WAV by ``engine`` (the
    process's pyttsx3 engine in production, see ``make_announcer`` and engines.py; None:
    the ``espeak-ng -w`` program alone) and played with ``aplay`` by us, so every failure
    is seen, sentence by sentence — pyttsx3's own playback goes through
    ``os.system("aplay")`` and never learns that the sound card was busy.

    pyttsx3 falling short never means silence: a sentence whose WAV comes out empty or
    cut is synthesised by the espeak-ng program (one warning line, the first time); if
    pyttsx3 cannot start or speak the voice, the program takes over for good (one line);
    a pyttsx3 sentence that hangs is printed after ``timeout_s`` and later ones go to the
    program too.

    If the voice is missing, the sentence that fails and every later one go to
    ``fallback`` (a PrintAnnouncer), with one warning line (``warn``). A busy sound card
    is tried once more before giving up. Each program gets ``timeout_s`` (plus the
    sentence's length to play it); ``close`` waits at most ``close_timeout_s`` and says so.
    """

    def __init__(self, clock: Clock, lang: str = "fr", *, voice: str = "",
                 fallback: Announcer | None = None, out_dir: Path | None = None,
                 realtime: bool = True, warn: Callable[[str], None] | None = None,
                 engine: Synthesiser | None = None,
                 synth: tuple[str, ...] = ("espeak-ng",), play: tuple[str, ...] = ("aplay", "-q"),
                 timeout_s: float = 10.0, close_timeout_s: float = 15.0, retry_s: float = 0.5, **kw) -> None:
        super().__init__(clock, lang, **kw)
        self.voice = voice or VOICES.get(lang, "gmw/en")
        self.fallback = fallback
        self.out_dir = out_dir  # write each announcement to a WAV instead of playing it
        self.warn = warn or (lambda m: print(m, file=sys.stderr))
        self.synth, self.play = tuple(synth), tuple(play)
        self.timeout_s, self.close_timeout_s, self.retry_s = timeout_s, close_timeout_s, retry_s
        self.files: list[Path] = []
        self.made_by: list[str] = []  # the engine that synthesised each sentence
        self.failed: str | None = None
        # In a replay the session clock is the audio's, not playback's: keep the estimates.
        self.realtime = realtime
        self._proc: subprocess.Popen | None = None
        self._queue: queue.Queue[tuple[str, Window, float] | None] = queue.Queue()
        self.engine = engine  # None once it failed: the espeak-ng program speaks
        self._bad_wav_said = False
        try:  # the voice exists and an engine runs: one short word, not spoken
            with tempfile.TemporaryDirectory(prefix="timekeeper-tts-") as tmp:
                self._check(Path(tmp) / "check.wav")
        except SpeechFailed as exc:
            self.failed = str(exc)
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()

    @property
    def engine_name(self) -> str:
        return "espeak-ng" if self.engine is None else getattr(self.engine, "name", "pyttsx3")

    def _check(self, path: Path) -> None:
        if self.engine is None:
            self._synthesise("1", path)
            return
        try:
            self.engine.synthesise("1", path, self.voice, self.rate_wpm, self.timeout_s)
        except SpeechFailed as exc:  # the program must do; its failure is the announcer's
            self._synthesise("1", path)
            if isinstance(exc, BadWav):
                self._bad_wav(exc)
            else:
                self._give_up_engine(exc, warn_key="tts.engine_fallback")

    def _call(self, cmd: list[str], timeout_s: float) -> None:
        name = Path(cmd[0]).name
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, text=True)
        except OSError as exc:
            raise SpeechFailed(f"{name}: {exc.strerror or exc}") from exc
        try:
            _, err = self._proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.communicate()
            raise SpeechFailed(f"{name} did not finish within {timeout_s:.0f} s") from None
        finally:
            proc, self._proc = self._proc, None
        if proc.returncode != 0:
            raise SpeechFailed(f"{name}: {_tail(err) or f'exit code {proc.returncode}'}")

    def _synthesise(self, text: str, path: Path) -> None:
        self._call([*self.synth, "-v", self.voice, "-s", str(self.rate_wpm), "-w", str(path), text], self.timeout_s)
        if not path.is_file() or path.stat().st_size <= 44:
            raise SpeechFailed(f"{self.synth[0]} wrote no sound")

    def _make_wav(self, text: str, path: Path) -> None:
        """Synthesise with the engine, or the espeak-ng program when it cannot or wrote an
        empty or cut WAV; an engine that hangs raises SpeechHung (too late to say it)."""
        if self.engine is not None:
            try:
                self.engine.synthesise(text, path, self.voice, self.rate_wpm, self.timeout_s)
                self.made_by.append(self.engine_name)
                return
            except SpeechHung:
                raise
            except BadWav as exc:
                self._bad_wav(exc)
            except SpeechFailed as exc:
                self._give_up_engine(exc, warn_key="tts.engine_fallback")
        self._synthesise(text, path)
        self.made_by.append("espeak-ng")

    def _bad_wav(self, why: Exception) -> None:
        if not self._bad_wav_said:
            self._bad_wav_said = True
            self.warn(_msg(self.lang, "tts.engine_bad_wav", why=why))

    def _give_up_engine(self, why: Exception, *, warn_key: str) -> None:
        self.engine = None
        self.warn(_msg(self.lang, warn_key, why=why, s=f"{self.timeout_s:.0f}"))

    def _playback(self, path: Path) -> None:
        limit = wav_duration_s(path) + self.timeout_s
        try:
            self._call([*self.play, str(path)], limit)
        except SpeechFailed as exc:
            if "busy" not in str(exc).lower():
                raise
            time.sleep(self.retry_s)  # another program had the sound card: once more
            self._call([*self.play, str(path)], limit)

    def _speak(self, text: str, started: float) -> float:
        """Say one sentence; returns when it ended on the session clock."""
        if self.out_dir is not None:
            path = self.out_dir / f"announcement-{len(self.files) + 1:03d}.wav"
            self._make_wav(text, path)
            self.files.append(path)
            return started + wav_duration_s(path)
        with tempfile.TemporaryDirectory(prefix="timekeeper-tts-") as tmp:
            path = Path(tmp) / "sentence.wav"
            self._make_wav(text, path)
            self._playback(path)
        return self.clock.now()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                self._queue.task_done()
                break
            text, window, now_s = item
            if self.failed is not None:  # failed earlier: print what is left
                self._print(text, window, now_s)
                self._queue.task_done()
                continue
            started = self.clock.now()
            try:
                ended = self._speak(text, started)
            except SpeechHung as exc:  # this sentence is printed, later ones use the program
                self._give_up_engine(exc, warn_key="tts.engine_hung")
                self._print(text, window, now_s)
                ended = self.clock.now()
            except SpeechFailed as exc:
                self.failed = str(exc)
                self.warn(_msg(self.lang, "tts.failed", why=exc))
                self._print(text, window, now_s)
                ended = self.clock.now()
            if self.realtime or self.out_dir is not None:
                with self._lock:  # correct the estimate with what really happened
                    window.start_s, window.end_s = min(window.start_s, started), max(ended, started)
            self._queue.task_done()

    def _print(self, text: str, window: Window, now_s: float) -> None:
        if self.fallback is not None:
            self.fallback._deliver(text, window, now_s)

    def _deliver(self, text: str, window: Window, now_s: float) -> None:
        self._queue.put((text, window, now_s))

    def wait(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks and time.monotonic() < deadline:
            time.sleep(0.05)

    def close(self) -> None:
        """Say what is queued, then stop the worker; a hung engine is waited for
        ``close_timeout_s`` at most, and stopped, saying so."""
        self._queue.put(None)
        self._thread.join(timeout=self.close_timeout_s)
        if self._thread.is_alive():
            proc = self._proc
            if proc is not None:
                proc.kill()
            self.warn(_msg(self.lang, "tts.hung", s=f"{self.close_timeout_s:.0f}"))


def _msg(lang: str, key: str, **fields: object) -> str:
    from timekeeper.i18n import msg

    return msg(lang, key, **fields)


def wav_duration_s(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def make_announcer(clock: Clock, lang: str, *, tts: bool, voice: str = "", rate_wpm: int = 165,
                   tail_s: float = 0.6, printer: Callable[[str], None] | None = None,
                   warn: Callable[[str], None] | None = None, realtime: bool = True,
                   stream: TextIO | None = None,
                   engine: Callable[[], Synthesiser | None] = pyttsx3_engine) -> Announcer:
    """The best announcer this machine allows, with one warning line when it falls back:
    pyttsx3 (``engine()``, the process's) to a WAV that aplay plays, else the espeak-ng
    program, else printed."""
    printed = PrintAnnouncer(clock, lang, rate_wpm=rate_wpm, tail_s=tail_s, bell=realtime, printer=printer,
                             stream=stream)
    if not tts:
        return printed
    reason = None
    if not has_sound_output():
        reason = _msg(lang, "tts.no_sound")
    else:
        spoken = TtsAnnouncer(clock, lang, voice=voice, rate_wpm=rate_wpm, tail_s=tail_s, fallback=printed,
                              realtime=realtime, warn=warn, engine=engine())
        if spoken.failed is None:
            return spoken
        reason = _msg(lang, "tts.unavailable", why=spoken.failed)
        spoken.close()
    (warn or (lambda m: print(m, file=sys.stderr)))(
        _msg(lang, "tts.printed", reason=reason))
    return printed
