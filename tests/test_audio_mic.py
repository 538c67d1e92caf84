"""The microphone source with a fake PortAudio: native rate converted, overflows counted,
a vanished device noticed by the watchdog, silence keeps the clock running, reopen works."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

from timekeeper.audio.sources import MicSource, list_devices
from timekeeper.errors import AudioDeviceError


class FakeSd:
    """48 kHz microphone that can be unplugged and plugged back."""

    def __init__(self, blocks_before_unplug: int = 10**9) -> None:
        self.present = True
        self.blocks_before_unplug = blocks_before_unplug
        self.default = SimpleNamespace(device=(0, 0))
        self.opened_rates: list[int] = []
        self.overflow_every = 5

    def query_devices(self):
        return [{"name": "USB mic", "max_input_channels": 1, "default_samplerate": 48000.0}] if self.present else []

    def InputStream(self, device, channels, samplerate, dtype, callback):  # noqa: N802
        if not self.present:
            raise RuntimeError("device unavailable")
        self.opened_rates.append(samplerate)
        sd = self

        class Stream:
            def __init__(self):
                self.stop_flag = threading.Event()

            def start(self):
                def run():
                    n = 0
                    while not self.stop_flag.is_set() and sd.present:
                        block = (0.3 * np.sin(np.arange(480) * 2 * np.pi * 440 / 48000)).astype(np.float32)[:, None]
                        status = SimpleNamespace(input_overflow=(n % sd.overflow_every == 4))
                        callback(block, 480, None, status)
                        n += 1
                        if n == sd.blocks_before_unplug:
                            sd.present = False  # unplugged: callbacks just stop
                        time.sleep(0.01)
                threading.Thread(target=run, daemon=True).start()

            def stop(self):
                self.stop_flag.set()

            def close(self):
                pass

        return Stream()


def test_mic_converts_native_rate_and_counts_overflows():
    sd = FakeSd()
    mic = MicSource("", sd=sd)
    assert mic.realtime and sd.opened_rates == [] and "USB mic" in mic.name
    frames = []
    for f in mic.frames():
        frames.append(f)
        if len(frames) == 20:
            mic.close()
    assert sd.opened_rates == [48000]  # opened at its native rate, not 16 kHz
    assert all(len(f.samples) == 320 for f in frames)
    assert np.abs(np.concatenate([f.samples for f in frames])).max() > 5000
    assert mic.overflows >= 1


def test_vanished_device_is_reported_once_and_restored():
    sd = FakeSd(blocks_before_unplug=10)
    mic = MicSource("", sd=sd, watchdog_s=0.3, backoff_s=(0.1,))
    events: list[str] = []
    mic.on_device_event(events.append)
    silent_after_loss = 0
    t0 = time.monotonic()

    def replug():
        time.sleep(1.0)
        sd.present = True
        sd.blocks_before_unplug = 10**9

    threading.Thread(target=replug, daemon=True).start()
    last_pos = -320
    for f in mic.frames():
        assert f.start_sample == last_pos + 320  # no gap: the clock keeps running
        last_pos = f.start_sample
        if events == ["lost"] and not f.samples.any():
            silent_after_loss += 1
        if "restored" in events and silent_after_loss and f.samples.any():
            mic.close()
        if time.monotonic() - t0 > 5:
            mic.close()
    assert events == ["lost", "restored"]
    assert silent_after_loss >= 10  # ~0.2 s+ of silence frames while the device was away


def test_no_sound_card_gives_empty_list_and_clear_error():
    class NoCard:
        default = SimpleNamespace(device=(-1, -1))

        def query_devices(self):
            raise RuntimeError("Error querying device -1")

    assert list_devices(NoCard()) == []
    with pytest.raises(AudioDeviceError, match="no input device"):
        MicSource("", sd=NoCard())
