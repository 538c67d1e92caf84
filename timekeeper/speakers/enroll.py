"""Enrollment: turn some seconds of a person's speech into a VoiceProfile.

Only frames of clear speech count: louder than the recording's noise floor by
``CLEAR_DB`` and within the speech range of its loudest part. Too little clear
speech raises EnrollmentError with the figure and the fix.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np

from timekeeper.errors import EnrollmentError
from timekeeper.speakers import features as F
from timekeeper.speakers.gmm import train_gmm
from timekeeper.speakers.profiles import VoiceProfile

MIN_SPEECH_S = 10.0
CLEAR_DB = 3.0
N_COMPONENTS = 32
_DB = 10.0 * np.log10(np.e)  # dB per natural-log unit of power


def clear_speech_frames(samples: np.ndarray) -> np.ndarray:
    """Feature rows (MFCC + deltas) of the clear-speech frames of ``samples``."""
    ff = F.mfcc(samples)
    if ff.n == 0:
        return ff.feats
    floor = np.percentile(ff.log_energy, 10)
    mask = F.speech_mask(ff.log_energy) & (ff.log_energy > floor + CLEAR_DB / _DB)
    return ff.feats[mask]


def speech_seconds(samples: np.ndarray) -> float:
    return len(clear_speech_frames(samples)) * F.HOP / F.RATE_HZ


def enroll_from_samples(
    name: str,
    samples_int16_16k: np.ndarray,
    *,
    min_speech_s: float = MIN_SPEECH_S,
    n_components: int = N_COMPONENTS,
    now: _dt.datetime | None = None,
) -> VoiceProfile:
    """Build ``name``'s profile from 16 kHz mono int16 audio; EnrollmentError if too little speech."""
    name = name.strip()
    if not name:
        raise EnrollmentError("a voice profile needs a name: timekeeper enroll NAME --from FILE.wav")
    x = np.asarray(samples_int16_16k)
    feats = clear_speech_frames(x)
    speech_s = len(feats) * F.HOP / F.RATE_HZ
    if speech_s < min_speech_s:
        raise EnrollmentError(
            f"only {speech_s:.1f} s of clear speech for {name}; need {min_speech_s:g} s: "
            f"speak a little longer"
        )
    gmm = train_gmm(feats, n_components)
    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).isoformat(timespec="seconds")
    return VoiceProfile(name=name, gmm=gmm, speech_s=speech_s, created_at=stamp)
