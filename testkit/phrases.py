"""The generator's own table of spoken commands: wake phrases and canonical texts.

The listening side builds its grammar from these texts plus synonyms; the generator
only ever speaks the canonical form, so a test knows exactly what was said.
"""

from __future__ import annotations

import re

from timekeeper.asr.phrases import CANONICAL
from timekeeper.commands import Command, CommandKind
from timekeeper.errors import ConfigError

LANGS = ("en", "fr")

WAKE_PHRASES: dict[str, str] = {"en": "time keeper", "fr": "chrono"}

# Every wake-phrase spelling a distractor must never contain (word-bounded).
WAKE_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("time keeper", "timekeeper"),
    "fr": ("chrono",),
}

_NUMBERS_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUMBERS_FR_M = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix")
_NUMBERS_FR_F = ("zéro", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix")

# The words after the wake phrase, per command kind: the product's canonical phrasing.
_BODIES: dict[str, dict[CommandKind, str]] = {
    lang: {kind: text.replace("{min}", "{minutes}") for kind, text in table.items()}
    for lang, table in CANONICAL.items()
}

# The canonical set: every kind once, with the arguments the contract names.
CANONICAL_COMMANDS: tuple[str, ...] = (
    "next", "previous", "goto 3", "pause", "resume", "time_left", "extend 2", "shorten 1", "repeat", "end",
)


def parse_command(text: str) -> Command:
    """``"extend 2"`` -> Command(EXTEND, 2). Raises ConfigError on anything else."""
    parts = text.strip().split()
    kinds = ", ".join(k.value for k in CommandKind)
    if not parts or parts[0] not in {k.value for k in CommandKind}:
        raise ConfigError(f"unknown command {text!r}: use one of {kinds} (with a number for goto/extend/shorten)")
    kind = CommandKind(parts[0])
    needs_arg = kind in (CommandKind.GOTO, CommandKind.EXTEND, CommandKind.SHORTEN)
    if needs_arg:
        if len(parts) != 2 or not parts[1].isdigit() or not 1 <= int(parts[1]) <= 10:
            raise ConfigError(f"command {text!r} needs a number from 1 to 10, e.g. '{kind.value} 2'")
        return Command(kind, int(parts[1]))
    if len(parts) != 1:
        raise ConfigError(f"command {text!r} takes no number: write '{kind.value}'")
    return Command(kind)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return lang


def command_parts(command: str | Command, lang: str) -> tuple[str, str]:
    """(wake phrase, the words after it) for a command in ``lang``."""
    cmd = command if isinstance(command, Command) else parse_command(command)
    check_lang(lang)
    body = _BODIES[lang][cmd.kind]
    n = cmd.arg or 0
    if lang == "en":
        words = _NUMBERS_EN[n]
        minutes = "minute" if n == 1 else "minutes"
    else:
        words = (_NUMBERS_FR_M if cmd.kind is CommandKind.GOTO else _NUMBERS_FR_F)[n]
        minutes = "minute" if n == 1 else "minutes"
    return WAKE_PHRASES[lang], body.format(n=words, minutes=minutes)


def command_text(command: str | Command, lang: str) -> str:
    """The canonical spoken text, e.g. ``"time keeper add two minutes"``."""
    wake, body = command_parts(command, lang)
    return f"{wake} {body}"


def contains_wake_phrase(text: str, lang: str | None = None) -> bool:
    """True if ``text`` contains any wake phrase (of ``lang``, or of every language)."""
    langs = (lang,) if lang else LANGS
    low = text.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", low) for la in langs for w in WAKE_WORDS[la])
