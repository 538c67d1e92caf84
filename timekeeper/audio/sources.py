"""Audio sources: WAV files and microphones, both yielding 16 kHz mono int16 Frames.

``open_source("mic" | "mic:N" | "mic:NAME" | "path/to/file.wav")`` is the one entry point.
Only this module touches sound devices. sounddevice is imported lazily.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from timekeeper.audio.frames import RATE_HZ, Frame
from timekeeper.audio.resample import Framer, StreamResampler, float_to_int16, pcm_to_float_mono, to_mono
from timekeeper.errors import AudioDeviceError, AudioFileError

log = logging.getLogger(__name__)

FRAME_MS = 20
FRAME_SAMPLES = RATE_HZ * FRAME_MS // 1000
_READ_BLOCK_S = 4.0


# --- files ---------------------------------------------------------------------------


class WavSource:
    """A WAV file (8/16/24/32-bit PCM or float, any rate, any channel count), read as fast
    as the consumer goes; the audio's own sample count is the clock (``realtime=False``)."""

    realtime = False

    def __init__(self, path: str | Path, frame_ms: int = FRAME_MS) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.frame_samples = RATE_HZ * frame_ms // 1000
        if self.path.is_dir():
            raise AudioFileError(f"{path}: is a folder; give a .wav file or `mic`")
        if self.path.exists() and not self.path.is_file():
            raise AudioFileError(f"{path}: is a pipe or a device, not a file: save the audio to a .wav file "
                                 "and replay that (or use `mic`)")
        if not self.path.is_file():
            raise AudioFileError(f"{path}: no such audio file (give a .wav file or `mic`)")
        self._closed = False
        self._probe()

    def _probe(self) -> None:
        try:
            with wave.open(str(self.path), "rb") as w:
                self.rate_hz = w.getframerate()
                self.channels = w.getnchannels()
                self.width = w.getsampwidth()
                self.n_frames = w.getnframes()
                if self.rate_hz > 0 and self.n_frames > 0 and not w.readframes(1):
                    self.n_frames = 0  # a header announcing audio that is not there
            self._float_data = None
        except (wave.Error, EOFError) as exc:
            self._float_data = self._read_with_scipy(exc)
        except OSError as exc:
            raise AudioFileError(f"{self.path}: cannot read ({exc.strerror or exc}); check the file permissions") from exc
        if self.rate_hz <= 0:
            raise AudioFileError(f"{self.path}: the WAV header says the sample rate is {self.rate_hz} Hz, so the "
                                 f"file is damaged; re-export it (`sox IN -r 16000 -c 1 -b 16 OUT.wav`)")
        if self.n_frames <= 0:
            raise AudioFileError(f"{self.path}: the audio file is empty (a header and no audio); record or pick "
                                 "another file")

    def _read_with_scipy(self, first_exc: Exception) -> np.ndarray:
        """Float and WAVE_FORMAT_EXTENSIBLE files that the ``wave`` module refuses."""
        try:
            from scipy.io import wavfile

            rate, data = wavfile.read(str(self.path))
        except Exception as exc:  # scipy raises ValueError / plain Exception on junk
            raise AudioFileError(
                f"{self.path}: not a readable WAV file ({first_exc}); convert it with "
                f"`sox IN -r 16000 -c 1 -b 16 OUT.wav`"
            ) from exc
        if data.dtype.kind == "f":
            x = data.astype(np.float32)
        elif data.dtype == np.uint8:
            x = (data.astype(np.float32) - 128.0) / 128.0
        else:
            x = data.astype(np.float32) / float(np.iinfo(data.dtype).max + 1)
        self.rate_hz = int(rate)
        self.channels = 1 if x.ndim == 1 else x.shape[1]
        self.width = data.dtype.itemsize
        mono = to_mono(x, self.channels)
        self.n_frames = len(mono)
        return mono

    @property
    def duration_s(self) -> float:
        return self.n_frames / self.rate_hz

    def frames(self) -> Iterator[Frame]:
        res = StreamResampler(self.rate_hz, RATE_HZ)
        framer = Framer(self.frame_samples)
        for block in self._blocks():
            if self._closed:
                return
            for start, s in framer.push(float_to_int16(res.process(block))):
                yield Frame(start, s)
        tail = float_to_int16(res.flush())
        for start, s in framer.push(tail) + framer.flush():
            yield Frame(start, s)

    def _blocks(self) -> Iterator[np.ndarray]:
        step = int(self.rate_hz * _READ_BLOCK_S)
        if self._float_data is not None:
            for i in range(0, len(self._float_data), step):
                yield self._float_data[i : i + step]
            return
        try:
            with wave.open(str(self.path), "rb") as w:
                while True:
                    raw = w.readframes(step)
                    if not raw:
                        return
                    yield pcm_to_float_mono(raw, self.width, self.channels)
        except (wave.Error, EOFError, OSError) as exc:
            raise AudioFileError(f"{self.path}: the audio file is damaged ({exc}); re-export it") from exc

    def close(self) -> None:
        self._closed = True


# --- devices ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    channels: int
    default_rate_hz: int
    is_default: bool = False


def _sounddevice() -> Any:
    try:
        import sounddevice as sd  # noqa: PLC0415
    except (ImportError, OSError) as exc:
        raise AudioDeviceError(
            f"sound system unavailable ({exc}); install PortAudio (`apt install libportaudio2`) or use --input FILE.wav"
        ) from exc
    return sd


def list_devices(sd: Any = None) -> list[DeviceInfo]:
    """Input devices known to PortAudio (frozen at start: PortAudio has no hot-plug)."""
    sd = sd or _sounddevice()
    try:
        devices = sd.query_devices()
        default_in = sd.default.device[0] if sd.default.device is not None else -1
    except Exception as exc:  # PortAudioError when there is no sound card at all
        log.debug("query_devices failed: %s", exc)
        return []
    out = []
    for i, d in enumerate(devices):
        if int(d.get("max_input_channels", 0)) > 0:
            out.append(DeviceInfo(i, str(d["name"]), int(d["max_input_channels"]),
                                  int(round(float(d.get("default_samplerate", 0) or 0))), i == default_in))
    return out


def resolve_device(spec: str, devices: list[DeviceInfo]) -> DeviceInfo:
    """"" (default), an index, or part of a name → the input device."""
    if not devices:
        raise AudioDeviceError("no input device found; plug in a microphone or use --input FILE.wav")
    if spec == "":
        return next((d for d in devices if d.is_default), devices[0])
    if spec.isdigit():
        for d in devices:
            if d.index == int(spec):
                return d
        raise AudioDeviceError(f"no input device number {spec}; run `timekeeper devices` to see the list")
    matches = [d for d in devices if spec.lower() in d.name.lower()]
    if not matches:
        raise AudioDeviceError(f"no input device named like {spec!r}; run `timekeeper devices` to see the list")
    return matches[0]


DeviceEventHandler = Callable[[str], None]


class MicSource:
    """A microphone opened at its native rate, converted to 16 kHz mono (``realtime=True``).

    The PortAudio callback only copies blocks into a queue. A watchdog notices when no
    callback came for ``watchdog_s`` (a vanished device: PortAudio reports nothing), reports
    ``"lost"`` once to the ``on_device_event`` handlers, keeps yielding silent frames so the
    clock runs, and reopens the device with backoff; ``"restored"`` when it is back.
    """

    realtime = True

    def __init__(self, spec: str = "", frame_ms: int = FRAME_MS, watchdog_s: float = 2.0,
                 backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0), sd: Any = None) -> None:
        self._sd = sd or _sounddevice()
        self.device = resolve_device(spec, list_devices(self._sd))
        self.name = f"mic:{self.device.index} ({self.device.name})"
        self.frame_samples = RATE_HZ * frame_ms // 1000
        self.watchdog_s = watchdog_s
        self.backoff_s = backoff_s
        self.overflows = 0
        self.lost = False
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue()
        self._handlers: list[DeviceEventHandler] = []
        self._stream: Any = None
        self._stop = threading.Event()
        self._last_callback = time.monotonic()

    def on_device_event(self, handler: DeviceEventHandler) -> None:
        """``handler("lost")`` / ``handler("restored")``, called from the consumer thread."""
        self._handlers.append(handler)

    def _emit(self, what: str) -> None:
        for h in self._handlers:
            try:
                h(what)
            except Exception:  # a broken handler must not stop the audio
                log.exception("device event handler failed")

    def _callback(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        # Only copy and enqueue: an exception here would silently stop all later callbacks.
        if status and getattr(status, "input_overflow", False):
            self.overflows += 1
        self._last_callback = time.monotonic()
        self._queue.put(indata.copy())

    def _open(self) -> None:
        rate = self.device.default_rate_hz or 48000
        try:
            self._stream = self._sd.InputStream(device=self.device.index, channels=1, samplerate=rate,
                                                dtype="float32", callback=self._callback)
            self._stream.start()
        except Exception as exc:
            self._stream = None
            raise AudioDeviceError(f"cannot open {self.name} at {rate} Hz ({exc}); check `timekeeper devices`") from exc
        self._rate = rate
        self._last_callback = time.monotonic()

    def _close_stream(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:
                pass
            self._stream = None

    def frames(self) -> Iterator[Frame]:
        self._open()
        res = StreamResampler(self._rate, RATE_HZ)
        framer = Framer(self.frame_samples)
        frame_s = self.frame_samples / RATE_HZ
        next_retry = lost_since = 0.0
        attempt = silent = 0
        while not self._stop.is_set():
            try:
                block = self._queue.get(timeout=0.05)
            except queue.Empty:
                block = None
            now = time.monotonic()
            if block is not None and not self.lost:
                mono = block[:, 0] if block.ndim == 2 else block
                for start, s in framer.push(float_to_int16(res.process(mono))):
                    yield Frame(start, s)
                continue
            if not self.lost and now - self._last_callback >= self.watchdog_s:
                self.lost = True
                lost_since, silent, attempt, next_retry = self._last_callback, 0, 0, now
                log.warning("%s: no audio for %.1f s, device lost", self.name, self.watchdog_s)
                self._close_stream()
                self._emit("lost")
            if not self.lost:
                continue
            # keep the clock running with silence, paced by the wall clock
            due = int((now - lost_since) / frame_s) - silent
            for _ in range(max(0, due)):
                yield Frame(framer.position, np.zeros(self.frame_samples, dtype=np.int16))
                framer.position += self.frame_samples
                silent += 1
            if now >= next_retry:
                try:
                    self._reopen()
                except AudioDeviceError as exc:
                    log.debug("reopen failed: %s", exc)
                    next_retry = now + self.backoff_s[min(attempt, len(self.backoff_s) - 1)]
                    attempt += 1
                else:
                    self.lost = False
                    res = StreamResampler(self._rate, RATE_HZ)
                    log.warning("%s: device back", self.name)
                    self._emit("restored")
        self._close_stream()

    def _reopen(self) -> None:
        if hasattr(self._sd, "_terminate"):  # re-scan devices: PortAudio's list is frozen
            try:
                self._sd._terminate()
                self._sd._initialize()
            except Exception as exc:
                raise AudioDeviceError(f"PortAudio re-init failed: {exc}") from exc
        devices = list_devices(self._sd)
        matches = [d for d in devices if d.name == self.device.name] or [d for d in devices if d.index == self.device.index]
        if not matches:
            raise AudioDeviceError(f"{self.device.name} not present")
        self.device = matches[0]
        while not self._queue.empty():
            self._queue.get_nowait()
        self._open()

    def close(self) -> None:
        self._stop.set()
        self._close_stream()


def open_source(spec: str) -> WavSource | MicSource:
    """``"mic"``, ``"mic:N"``, ``"mic:NAME"`` or a WAV file path."""
    if spec == "mic" or spec.startswith("mic:"):
        return MicSource(spec[4:] if spec.startswith("mic:") else "")
    return WavSource(spec)
