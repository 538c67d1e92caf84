"""Our own exceptions. Every user mistake becomes one of these, and the CLI prints
``str(exc)`` as one line and exits with ``exc.exit_code``: never a traceback."""

from __future__ import annotations


class TimekeeperError(Exception):
    """Base of every error a user can cause. The message names the fix."""

    exit_code = 2


class ConfigError(TimekeeperError):
    """A bad settings or agenda file, or a bad command-line value."""


class ModelNotFound(TimekeeperError):
    """A speech model is missing or unusable."""


class ModelError(TimekeeperError):
    """A model archive or install that cannot be used (checksum, unsafe paths...)."""


class AudioDeviceError(TimekeeperError):
    """No microphone, a vanished microphone, or a device that refuses to open."""


class AudioFileError(TimekeeperError):
    """An unreadable, empty or unsupported audio file."""


class JournalError(TimekeeperError):
    """A session folder or journal that cannot be read or resumed."""


class EnrollmentError(TimekeeperError):
    """Not enough clean speech to build a voice profile, or an unknown profile."""
