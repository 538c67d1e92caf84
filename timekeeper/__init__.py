"""timekeeper: an offline, voice-assisted timekeeper for co-development workshops."""

__version__ = "0.1.0"
