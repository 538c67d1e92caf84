"""WAV sources of any layout become fixed-size 16 kHz mono frames; bad files fail in one line."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from timekeeper.audio.frames import RATE_HZ
from timekeeper.audio.resample import StreamResampler
from timekeeper.audio.sources import WavSource, open_source, resolve_device, DeviceInfo
from timekeeper.errors import AudioDeviceError, AudioFileError


def tone(rate: int, seconds: float, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return 0.5 * np.sin(2 * np.pi * freq * t)


def write_wav(path: Path, x: np.ndarray, rate: int, width: int, channels: int) -> Path:
    data = np.repeat(x[:, None], channels, axis=1).reshape(-1)
    if width == 1:
        raw = (np.clip(data, -1, 1) * 127 + 128).astype(np.uint8).tobytes()
    elif width == 2:
        raw = (data * 32767).astype("<i2").tobytes()
    elif width == 3:
        v = (data * (2**23 - 1)).astype(np.int32)
        raw = np.stack([v & 255, (v >> 8) & 255, (v >> 16) & 255], axis=1).astype(np.uint8).tobytes()
    else:
        raw = (data * (2**31 - 1)).astype("<i4").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(raw)
    return path


def read_all(src) -> tuple[list, np.ndarray]:
    frames = list(src.frames())
    return frames, np.concatenate([f.samples for f in frames])


@pytest.mark.parametrize("rate,width,channels", [(16000, 2, 1), (44100, 2, 2), (48000, 3, 1), (8000, 1, 1),
                                                  (22050, 4, 2)])
def test_any_layout_becomes_16k_mono_frames(tmp_path, rate, width, channels):
    p = write_wav(tmp_path / "a.wav", tone(rate, 1.0), rate, width, channels)
    src = open_source(str(p))
    assert src.realtime is False
    frames, x = read_all(src)
    assert {len(f.samples) for f in frames} == {320}  # 20 ms, fixed
    assert [f.start_sample for f in frames] == [i * 320 for i in range(len(frames))]
    assert abs(len(x) - RATE_HZ) <= 320
    # the tone survives: level ~0.5/sqrt(2) of full scale, and its frequency is 440 Hz
    mid = x[2000:14000].astype(float) / 32768
    assert 0.3 < np.sqrt(np.mean(mid**2)) < 0.4
    spec = np.abs(np.fft.rfft(mid))
    assert abs(np.argmax(spec) * RATE_HZ / len(mid) - 440) < 5


def test_float_wav_is_read(tmp_path):
    from scipy.io import wavfile

    p = tmp_path / "f.wav"
    wavfile.write(p, 32000, tone(32000, 0.5).astype(np.float32))
    frames, x = read_all(WavSource(p))
    assert abs(len(x) - 8000) <= 320 and np.abs(x).max() > 10000


def test_resampler_is_block_size_independent():
    x = tone(48000, 0.5).astype(np.float32)
    whole = StreamResampler(48000, 16000)
    a = np.concatenate([whole.process(x), whole.flush()])
    parts = StreamResampler(48000, 16000)
    pieces = [parts.process(x[i:i + 441]) for i in range(0, len(x), 441)] + [parts.flush()]
    b = np.concatenate(pieces)
    assert len(a) == len(b) == 8000
    assert np.max(np.abs(a - b)) < 1e-4


@pytest.mark.parametrize("content", [b"", b"RIFF\x00\x00\x00\x00WAVEjunk", b"not audio at all" * 10])
def test_bad_files_raise_one_line_errors(tmp_path, content):
    p = tmp_path / "bad.wav"
    p.write_bytes(content)
    with pytest.raises(AudioFileError) as e:
        list(open_source(str(p)).frames())
    assert "\n" not in str(e.value) and "bad.wav" in str(e.value)


def test_empty_wav_and_missing_file(tmp_path):
    p = write_wav(tmp_path / "empty.wav", np.zeros(0), 16000, 2, 1)
    with pytest.raises(AudioFileError, match="empty"):
        open_source(str(p))
    with pytest.raises(AudioFileError, match="no such audio file"):
        open_source(str(tmp_path / "nope.wav"))


def test_device_resolution():
    devs = [DeviceInfo(0, "HDA Intel PCH: ALC3246 Analog", 2, 48000), DeviceInfo(3, "USB PnP Sound Device", 1, 44100, True)]
    assert resolve_device("", devs).index == 3  # the default one
    assert resolve_device("0", devs).index == 0
    assert resolve_device("usb", devs).index == 3
    with pytest.raises(AudioDeviceError, match="timekeeper devices"):
        resolve_device("7", devs)
    with pytest.raises(AudioDeviceError, match="no input device"):
        resolve_device("", [])
