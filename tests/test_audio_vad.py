"""The energy voice activity detector (the fallback where Silero has no wheel): segments where speech is, robust to a noise floor, short pauses kept inside."""

from __future__ import annotations

import numpy as np

from timekeeper.audio.frames import Frame
from timekeeper.audio.vad import Vad


def frames_of(x: np.ndarray, n: int = 320):
    for i in range(0, len(x) - n + 1, n):
        yield Frame(i, x[i:i + n])


def speechlike(rng, seconds: float, level: float = 4000) -> np.ndarray:
    n = int(seconds * 16000)
    t = np.arange(n) / 16000
    env = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)  # syllable-rate modulation
    return (level * env * (np.sin(2 * np.pi * 180 * t) + 0.3 * rng.standard_normal(n))).astype(np.float64)


def run(vad: Vad, x: np.ndarray):
    out = []
    for f in frames_of(x.astype(np.int16)):
        out += vad.accept(f)
    return out + vad.flush()


def build(rng, parts, noise_rms=100.0):
    x = np.concatenate([speechlike(rng, d) if kind == "s" else np.zeros(int(d * 16000)) for kind, d in parts])
    return np.clip(x + noise_rms * rng.standard_normal(len(x)), -32768, 32767)


def test_segments_at_the_right_places_in_noise():
    rng = np.random.default_rng(0)
    x = build(rng, [("q", 2.0), ("s", 1.5), ("q", 1.0), ("s", 2.0), ("q", 1.0)], noise_rms=300)
    segs = run(Vad(engine="energy"), x)
    assert len(segs) == 2
    assert abs(segs[0].start_s - (2.0 - 0.2)) < 0.15 and abs(segs[0].end_s - 3.5) < 0.2  # pre-roll 0.2 s
    assert abs(segs[1].start_s - 4.3) < 0.15 and abs(segs[1].end_s - 6.5) < 0.2
    for s in segs:
        assert len(s.samples) == round((s.end_s - s.start_s) * 16000)


def test_short_pause_does_not_split_a_phrase_and_end_silence_is_configurable():
    rng = np.random.default_rng(1)
    x = build(rng, [("q", 1.0), ("s", 0.8), ("q", 0.25), ("s", 0.8), ("q", 1.0)])
    assert len(run(Vad(engine="energy"), x)) == 1  # 0.25 s pause < 0.3 s end-of-speech silence
    assert len(run(Vad(engine="energy", end_silence_s=0.15), x)) == 2


def test_adaptive_floor_ignores_steady_noise_and_blips():
    rng = np.random.default_rng(2)
    loud_noise = 2000 * rng.standard_normal(16000 * 8)  # a fan, much louder than quiet speech at -60 dB
    assert run(Vad(engine="energy"), loud_noise) == [] or all(s.duration_s < 0.5 for s in run(Vad(engine="energy"), loud_noise))
    blip = build(rng, [("q", 1.0), ("s", 0.08), ("q", 1.0)])
    assert run(Vad(engine="energy"), blip) == []


def test_long_speech_is_capped_and_deterministic():
    rng = np.random.default_rng(3)
    x = build(rng, [("q", 0.5), ("s", 12.0), ("q", 1.0)])
    segs = run(Vad(engine="energy", max_segment_s=5.0), x)
    assert len(segs) >= 3 and max(s.duration_s for s in segs) <= 5.3
    again = run(Vad(engine="energy", max_segment_s=5.0), x)
    assert [(s.start_s, s.end_s) for s in segs] == [(s.start_s, s.end_s) for s in again]


def test_noise_blips_in_a_pause_do_not_join_two_utterances():
    """Babble in the room: short bursts 6-7 dB over the floor during a 1 s pause. The pause
    still ends the first utterance, so a command said after it is a segment of its own."""
    rng = np.random.default_rng(3)
    x = build(rng, [("q", 2.0), ("s", 2.0), ("q", 1.0), ("s", 1.5), ("q", 1.0)], noise_rms=300)
    for start in (4.15, 4.4, 4.65):  # 40 ms blips at 2.2x the noise amplitude (+7 dB)
        i = int(start * 16000)
        x[i:i + 640] += 600 * rng.standard_normal(640)
    segs = run(Vad(engine="energy"), x)
    assert len(segs) == 2, [(round(s.start_s, 2), round(s.end_s, 2)) for s in segs]
    assert abs(segs[1].start_s - (5.0 - 0.2)) < 0.15
    joined = run(Vad(engine="energy", resume_db=5.0, end_silence_s=0.4), x)  # the old rule: any frame 5 dB up holds it open
    assert len(joined) == 1
