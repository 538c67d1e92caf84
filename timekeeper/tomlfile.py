"""Reading TOML settings files, with one-line errors that name the fix."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any, Iterable

from timekeeper.errors import ConfigError


def suggest(key: str, allowed: Iterable[str]) -> str:
    """"did you mean 'x'?" for a near miss, else the list of what is allowed."""
    allowed = sorted(allowed)
    close = difflib.get_close_matches(key, allowed, n=1)
    return f"did you mean '{close[0]}'?" if close else f"allowed: {', '.join(allowed)}"


def load_toml(path: Path, kind: str, missing_hint: str) -> dict[str, Any]:
    """The TOML file as a dict; ConfigError (one line) when missing, unreadable or invalid."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {kind}; {missing_hint}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
