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
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such {kind}; {missing_hint}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a {kind}; {missing_hint}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ConfigError(f"{path}: starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}: not UTF-8 text (line {line}); save it as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from None
