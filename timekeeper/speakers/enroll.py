"""Enrollment: turn a recording of one person into a VoiceProfile (voice prints, no audio).

The clear-speech test adapts to the room: the noise floor is the quiet end of the
recording's 10 ms frame levels, the speech level its loud end; a frame is clear speech
when it stands well above the floor (half the way to the speech level, at least
``MIN_STEP_DB``). A recording whose speech barely rises above the room's noise is refused
("move closer"), so is one with less than ``MIN_SPEECH_S`` of clear speech ("speak N s
more"). The kept speech (with a little margin around it) is cut in 1.6 s windows with
50 % overlap; each window's GE2E embedding is one voice print.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np

from timekeeper.errors import EnrollmentError
from timekeeper.speakers import encoder as E
from timekeeper.speakers.profiles import VoiceProfile, check_name

MIN_SPEECH_S = 8.0
MIN_SNR_DB = 12.0  # loud end of the levels over the quiet end (50 ms levels) below which a
# recording is refused. Measured (bench voices, far seat): room noise alone 8 dB, speech at
# 0 dB SNR 9-10, at 5 dB 13-14, at 10 dB 17-19, at 15 dB 22-23.
MIN_STEP_DB = 4.0
FRAME = 160  # 10 ms
MAX_PRINTS = 60
PRINT_HOP = E.PARTIAL_FRAMES // 2


@dataclass(frozen=True)
class Clear:
    """What the clear-speech test found in a recording."""

    mask: np.ndarray  # per 10 ms frame
    speech_s: float
    snr_db: float  # speech level over the noise floor
    total_s: float


def analyse(samples: np.ndarray) -> Clear:
    x = E.to_float(samples)
    n = len(x) // FRAME
    if n < 10:
        return Clear(np.zeros(n, bool), 0.0, 0.0, len(x) / E.RATE_HZ)
    power = np.mean(x[: n * FRAME].reshape(n, FRAME) ** 2, axis=1)
    # levels over 50 ms: steady noise then varies by a few dB only, speech by tens
    level = 10 * np.log10(np.convolve(power, np.ones(5) / 5, "same") + 1e-12)
    floor = float(np.percentile(level, 5))
    loud = float(np.percentile(level, 95))
    snr = loud - floor
    step = max(MIN_STEP_DB, 0.5 * snr)
    on = (level > floor + step) & (level > -70.0)
    # bridge gaps under 0.1 s, drop blips under 0.1 s
    k = 10
    padded = np.convolve(on.astype(float), np.ones(k), "same") > 0
    on = padded & (np.convolve(on.astype(float), np.ones(k), "same") >= 3)
    return Clear(on, float(on.sum()) * FRAME / E.RATE_HZ, snr, len(x) / E.RATE_HZ)


def speech_seconds(samples: np.ndarray) -> float:
    return analyse(samples).speech_s


def speech_audio(samples: np.ndarray, clear: Clear, margin_frames: int = 10) -> np.ndarray:
    """The clear-speech stretches with ``margin_frames`` around them, joined (silences dropped)."""
    x = E.to_float(samples)
    keep = np.convolve(clear.mask.astype(float), np.ones(2 * margin_frames + 1), "same") > 0
    idx = np.repeat(keep, FRAME)
    return x[: len(idx)][idx]


def voice_prints(x: np.ndarray, max_prints: int = MAX_PRINTS) -> np.ndarray:
    """GE2E embeddings of 1.6 s windows (50 % overlap) of float speech audio."""
    mel = E.mel_power(E.normalize_volume(x))
    if len(mel) < E.PARTIAL_FRAMES:
        return E.forward(mel[None]) if len(mel) else np.zeros((0, E.HIDDEN), np.float32)
    starts = list(range(0, len(mel) - E.PARTIAL_FRAMES + 1, PRINT_HOP))
    if len(starts) > max_prints:
        starts = [starts[int(i)] for i in np.linspace(0, len(starts) - 1, max_prints)]
    return E.embed_frames(mel, starts)


def enroll_from_samples(
    name: str,
    samples_int16_16k: np.ndarray,
    *,
    min_speech_s: float = MIN_SPEECH_S,
    now: _dt.datetime | None = None,
) -> VoiceProfile:
    """Build ``name``'s profile from 16 kHz mono audio; EnrollmentError (saying what to do)
    when the recording is too noisy or too short."""
    name = check_name(name)
    clear = analyse(np.asarray(samples_int16_16k))
    if clear.total_s > 2 and clear.snr_db < MIN_SNR_DB:
        raise EnrollmentError(
            f"the recording of {name} is too noisy: the voice is only {clear.snr_db:.0f} dB above the room's "
            f"noise (need {MIN_SNR_DB:.0f} dB): move closer to the microphone or quieten the room, then record again"
        )
    if clear.speech_s < min_speech_s:
        more = min_speech_s - clear.speech_s
        raise EnrollmentError(
            f"only {clear.speech_s:.1f} s of clear speech for {name} in {clear.total_s:.0f} s of recording "
            f"(need {min_speech_s:g} s): speak for about {np.ceil(more * 1.5):.0f} s more, without long pauses"
        )
    prints = voice_prints(speech_audio(samples_int16_16k, clear))
    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).isoformat(timespec="seconds")
    return VoiceProfile(name=name, embeddings=prints, speech_s=clear.speech_s, created_at=stamp,
                        meta={"recording_s": round(clear.total_s, 1), "snr_db": round(clear.snr_db, 1),
                              "prints": int(len(prints))})


def describe(profile: VoiceProfile) -> str:
    """What an accepted enrollment kept, in one line."""
    snr = profile.meta.get("snr_db")
    room = ""
    if snr is not None:
        room = "; quiet room" if snr >= 25 else f"; noisy room ({snr:.0f} dB above the noise): fine"
    rec = profile.meta.get("recording_s")
    of = f" of {rec:.0f} s recorded" if rec else ""
    return (f"enrolled {profile.name}: {profile.speech_s:.1f} s of clear speech kept{of}, "
            f"{len(profile.embeddings)} voice prints{room}")
