"""One session per folder, one writer per session.

``claim(folder, resume=...)`` is called before the journal is opened:

- a new session refuses a folder that already holds a journal (it would append a second
  session to it and overwrite its report): resume it or choose another folder;
- the writer takes an exclusive ``flock`` on ``FOLDER/journal.jsonl`` for as long as the
  session runs, so a second ``--resume`` of a running session is refused. The kernel drops
  the lock when the process dies, even after ``kill -9``: nothing stale can block a resume,
  and no lock file is left in the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

from timekeeper.errors import JournalError
from timekeeper.journal import JOURNAL_NAME

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock, the folder checks still hold
    fcntl = None  # type: ignore[assignment]



class SessionLock:
    """Held while a session writes its folder; ``release()`` (or process death) frees it."""

    def __init__(self, folder: Path, fd: int | None, created: Path | None = None) -> None:
        self.folder = folder
        self._fd = fd
        self.created = created  # the topmost folder claim() made, if any

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def abandon(self) -> None:
        """Release, and remove what claim() made if nothing was written: a session that
        could not start leaves nothing behind."""
        self.release()
        journal = self.folder / JOURNAL_NAME
        try:
            if [p.name for p in self.folder.iterdir()] != [JOURNAL_NAME] or journal.stat().st_size:
                return
            journal.unlink()
            folder = self.folder
            while self.created is not None:
                folder.rmdir()
                if folder == self.created:
                    break
                folder = folder.parent
        except OSError:
            pass

    def __enter__(self) -> "SessionLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def check_new(folder: Path) -> None:
    """Refuse a folder that already holds a session (before anything is created)."""
    folder = Path(folder)
    journal = folder / JOURNAL_NAME
    if journal.exists() and (not journal.is_file() or journal.stat().st_size > 0):
        raise JournalError(f"{folder} already holds a session: take it up with `timekeeper run --resume "
                           f"{folder}`, or give a new folder with --session-dir")
    if folder.exists() and not folder.is_dir():
        raise JournalError(f"{folder} is a file, not a folder: give a new folder with --session-dir")


def claim(folder: Path, *, resume: bool) -> SessionLock:
    """Make the folder if needed and lock its journal for this process; JournalError if
    another timekeeper writes it (or, for a new session, if it already holds one)."""
    folder = Path(folder)
    if not resume:
        check_new(folder)
    created = next((p for p in reversed([folder, *folder.parents]) if not p.exists()), None)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / JOURNAL_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as exc:
        SessionLock(folder, None, created).abandon()  # leave nothing behind
        raise JournalError(f"cannot write the session folder {folder} ({exc.strerror}); "
                           "choose a writable folder with --sessions-dir") from None
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise JournalError(f"{folder} is being written by another timekeeper right now: end that "
                               "session first, or give another folder") from None
    return SessionLock(folder, fd, created)
