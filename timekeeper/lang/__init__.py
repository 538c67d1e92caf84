"""The languages timekeeper speaks: one module of data per language (``fr.py``, ``en.py``).

Each module holds every word the program says or understands in that language: the wake
phrase, command phrases and number words, announcements, the live view's labels, the
guided enrollment prompts, the codev phase names and rules, the report's wording and
typography. Adding a language is adding one module with the same names and keys
(tests/test_lang.py checks them) — the CLI's ``--lang`` choices, the settings check and
the recogniser's phrase table all come from here.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from timekeeper.errors import ConfigError

DEFAULT = "fr"  # the session language when none is given


def _available() -> tuple[str, ...]:
    codes = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return tuple(sorted(codes, key=lambda c: (c != DEFAULT, c)))  # the default first, as --help lists them


LANGS: tuple[str, ...] = _available()


@cache
def get(code: str) -> ModuleType:
    """The language module for ``code`` ("fr", "en"); ConfigError naming the choices if none."""
    if code not in LANGS:
        raise ConfigError(f"language '{code}' is not available (use one of: {', '.join(LANGS)})")
    return importlib.import_module(f"{__name__}.{code}")


def table(name: str) -> dict[str, object]:
    """``{code: module.NAME}`` over every language, e.g. ``table("SAY")``."""
    return {code: getattr(get(code), name) for code in LANGS}
