"""Guided enrollment round: the announcer asks each person in turn to speak.

For each name: ``say`` a prompt, record ``seconds`` of audio from a fresh source
(``open_source`` is injected: the microphone in real use, WAV files in tests), build
the profile; with too little clear speech, say so and ask again (up to ``tries``).
Only the profiles are kept; the audio is dropped as soon as the profile is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from timekeeper import lang as languages
from timekeeper.audio.frames import RATE_HZ, AudioSource
from timekeeper.errors import EnrollmentError
from timekeeper.speakers.enroll import MIN_SPEECH_S, enroll_from_samples
from timekeeper.speakers.profiles import VoiceProfile

PROMPTS: dict[str, dict[str, str]] = languages.table("ENROLL")  # type: ignore[assignment]


@dataclass(frozen=True)
class RoundResult:
    profiles: tuple[VoiceProfile, ...]
    failed: tuple[str, ...]


def record(source: AudioSource, seconds: float) -> np.ndarray:
    """Up to ``seconds`` of int16 audio from ``source`` (which is then closed)."""
    want = int(seconds * RATE_HZ)
    chunks: list[np.ndarray] = []
    n = 0
    try:
        for frame in source.frames():
            chunks.append(frame.samples)
            n += len(frame.samples)
            if n >= want:
                break
    finally:
        source.close()
    return np.concatenate(chunks)[:want] if chunks else np.zeros(0, np.int16)


def _print(text: str) -> None:
    print(text, flush=True)


def guided_round(
    names: list[str],
    open_source: Callable[[], AudioSource],
    *,
    say: Callable[[str], None] = _print,
    seconds: float = 25.0,
    tries: int = 3,
    lang: str = "en",
    min_speech_s: float = MIN_SPEECH_S,
) -> RoundResult:
    """Enroll each of ``names`` in turn; returns the profiles made and the names that failed."""
    text = PROMPTS.get(lang, PROMPTS["en"])
    profiles: list[VoiceProfile] = []
    failed: list[str] = []
    for name in names:
        say(text["ask"].format(name=name, seconds=int(round(seconds))))
        for attempt in range(tries):
            audio = record(open_source(), seconds)
            try:
                profiles.append(enroll_from_samples(name, audio, min_speech_s=min_speech_s))
            except EnrollmentError:
                from timekeeper.speakers.enroll import MIN_SNR_DB, analyse

                clear = analyse(audio)
                heard = clear.speech_s
                if attempt + 1 < tries:
                    say(text["noisy" if clear.snr_db < MIN_SNR_DB else "again"].format(name=name, heard=heard))
                    continue
                say(text["failed"].format(name=name))
                failed.append(name)
            else:
                say(text["ok"].format(name=name))
            break
    return RoundResult(tuple(profiles), tuple(failed))
