"""The numpy GE2E encoder against the reference package (Resemblyzer + torch, test-only).

Real LibriSpeech clips, clean, with noise and band-limited (8 kHz-sampled speech): the
mel spectrogram, every 1.6 s partial's embedding and the utterance embedding must agree
(cosine >= 0.99) with resemblyzer.VoiceEncoder on the same preprocessed audio.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from timekeeper.speakers import encoder as E

VOICES = Path(__file__).parent / "data" / "voices" / "librispeech"
CLIPS = ["1688/1688-142285-0000.wav", "1998/1998-15444-0002.wav", "533/533-1066-0003.wav",
         "3005/3005-163389-0001.wav", "367/367-130732-0000.wav"]


@pytest.fixture(scope="module")
def reference():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import resemblyzer  # test extras: setup.sh --test installs it with torch==2.13.0

        return resemblyzer, resemblyzer.VoiceEncoder("cpu", verbose=False)


def _variants(path: Path) -> dict[str, np.ndarray]:
    from scipy.signal import resample_poly

    from timekeeper.speakers.wavio import read_int16

    x = E.to_float(read_int16(path))
    rng = np.random.default_rng(0)
    noisy = x + rng.standard_normal(len(x)).astype(np.float32) * np.sqrt(np.mean(x**2) / 10 ** 1.5)
    band = resample_poly(resample_poly(x, 1, 2), 2, 1).astype(np.float32)
    return {"clean": x, "noisy15dB": noisy.astype(np.float32), "band8k": band}


@pytest.mark.parametrize("clip", CLIPS)
def test_embeddings_match_the_reference(reference, clip):
    rz, enc = reference
    for kind, x in _variants(VOICES / clip).items():
        wav = rz.preprocess_wav(x, source_sr=None)  # the reference's volume + silence trimming
        ref_mel = rz.wav_to_mel_spectrogram(wav)
        mel = E.mel_power(wav)
        assert mel.shape == ref_mel.shape
        assert np.abs(mel - ref_mel).max() <= 1e-3 * ref_mel.max(), kind
        ref_utt, ref_parts, _ = enc.embed_utterance(wav, return_partials=True)
        utt, parts = E.embed_utterance(wav)
        assert parts.shape == ref_parts.shape, kind
        assert float(utt @ ref_utt) >= 0.99, kind
        assert float(np.min(np.sum(parts * ref_parts, axis=1))) >= 0.99, kind


def test_volume_normalisation_matches_the_reference(reference):
    rz, _ = reference
    x = _variants(VOICES / CLIPS[0])["clean"] * 0.05
    ours = E.normalize_volume(x)
    theirs = rz.normalize_volume(x, -30, increase_only=True)
    assert np.allclose(ours, theirs, rtol=1e-4, atol=1e-6)
    loud = x * 40
    assert np.array_equal(E.normalize_volume(loud), loud)  # raised only, never lowered


def test_short_windows_and_batches_agree_with_one_at_a_time():
    from timekeeper.speakers.wavio import read_int16

    x = E.normalize_volume(E.to_float(read_int16(VOICES / CLIPS[1])))
    mel = E.mel_power(x)
    batch = E.embed_frames(mel, [0, 80, 160])
    one = np.vstack([E.embed_frames(mel, [s]) for s in (0, 80, 160)])
    assert np.allclose(batch, one, atol=1e-5)
    short = E.forward(mel[None, :60])  # 0.6 s: scored with what it has
    assert short.shape == (1, 256) and abs(np.linalg.norm(short) - 1) < 1e-5
