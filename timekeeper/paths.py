"""Where timekeeper keeps the user's data (models, voice profiles)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir(override: str | Path | None = None) -> Path:
    """``override``, else $TIMEKEEPER_DATA, else $XDG_DATA_HOME/timekeeper, else ~/.local/share/timekeeper."""
    if override:
        return Path(override)
    if os.environ.get("TIMEKEEPER_DATA"):
        return Path(os.environ["TIMEKEEPER_DATA"])
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "timekeeper"
