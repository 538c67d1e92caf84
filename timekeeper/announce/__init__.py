"""Spoken announcements (pyttsx3, or the espeak-ng program, to a WAV that aplay plays, in a
worker thread) and their fallbacks."""

from timekeeper.announce.announcer import (
    Announcer,
    PrintAnnouncer,
    RecordingAnnouncer,
    TtsAnnouncer,
    estimate_speech_s,
    has_sound_output,
    make_announcer,
)

__all__ = ["Announcer", "PrintAnnouncer", "RecordingAnnouncer", "TtsAnnouncer",
           "estimate_speech_s", "has_sound_output", "make_announcer"]
