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

from timekeeper.audio.frames import RATE_HZ, AudioSource
from timekeeper.errors import EnrollmentError
from timekeeper.speakers.enroll import MIN_SPEECH_S, enroll_from_samples
from timekeeper.speakers.profiles import VoiceProfile

PROMPTS = {
    "en": {
        "ask": "{name}, please speak for about {seconds} seconds: say what you expect from today.",
        "again": "{name}, I heard only {heard:.0f} seconds of clear speech. Please speak again, a little longer.",
        "noisy": "{name}, your voice was hard to hear over the room. Please come closer to the microphone and speak again.",
        "ok": "Thank you {name}.",
        "failed": "{name}, I could not learn your voice; we will go on without it.",
    },
    "fr": {
        "ask": "{name}, parlez environ {seconds} secondes s'il vous plaît : dites ce que vous attendez de la séance.",
        "again": "{name}, je n'ai entendu que {heard:.0f} secondes de parole claire. Recommencez un peu plus longuement.",
        "noisy": "{name}, votre voix se distinguait mal du bruit de la salle. Approchez-vous du micro et recommencez.",
        "ok": "Merci {name}.",
        "failed": "{name}, je n'ai pas pu apprendre votre voix ; on continue sans elle.",
    },
}


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
                if attempt + 1 < tries:
                    key = "noisy" if clear.snr_db < MIN_SNR_DB else "again"
                    say(text[key].format(name=name, heard=clear.speech_s))
                    continue
                say(text["failed"].format(name=name))
                failed.append(name)
            else:
                say(text["ok"].format(name=name))
            break
    return RoundResult(tuple(profiles), tuple(failed))
