"""What the generator's animateur says: each command's canonical text (the language
modules' CANONICAL, the same the listening side expands with its synonyms). The generator
only ever speaks the canonical form, so a test knows exactly what was said.
"""

from __future__ import annotations

import re

from timekeeper import lang as languages
from timekeeper.asr.phrases import canonical_text
from timekeeper.commands import Command
from timekeeper.errors import ConfigError

LANGS = languages.LANGS

WAKE_PHRASES: dict[str, str] = {lang: languages.get(lang).WAKE for lang in LANGS}

# Every wake-phrase spelling a distractor must never contain (word-bounded).
WAKE_WORDS: dict[str, tuple[str, ...]] = {
    lang: (languages.get(lang).WAKE, *languages.get(lang).WAKE_SPELLINGS) for lang in LANGS}

# The canonical set: every kind once, with the arguments the contract names.
CANONICAL_COMMANDS: tuple[str, ...] = (
    "next", "previous", "goto 3", "pause", "resume", "time_left", "extend 2", "shorten 1", "repeat", "end",
)


def parse_command(text: str) -> Command:
    """``"extend 2"`` -> Command(EXTEND, 2) (``Command.parse``), with a number the generator
    can say (1-10). Raises ConfigError on anything else."""
    try:
        command = Command.parse(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    written = len(text.split()) == 2  # a script says its number: "extend" alone is not one minute here
    if command.arg is not None and (not written or not 1 <= command.arg <= 10):
        raise ConfigError(f"command {text!r} needs a number from 1 to 10, e.g. '{command.kind.value} 2'")
    return command


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return lang


def command_parts(command: str | Command, lang: str) -> tuple[str, str]:
    """(wake phrase, the words after it) for a command in ``lang``."""
    cmd = command if isinstance(command, Command) else parse_command(command)
    check_lang(lang)
    return WAKE_PHRASES[lang], canonical_text(lang, cmd, wake="")


def command_text(command: str | Command, lang: str) -> str:
    """The canonical spoken text, e.g. ``"time keeper add two minutes"``."""
    wake, body = command_parts(command, lang)
    return f"{wake} {body}"


def contains_wake_phrase(text: str, lang: str | None = None) -> bool:
    """True if ``text`` contains any wake phrase (of ``lang``, or of every language)."""
    langs = (lang,) if lang else LANGS
    low = text.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", low) for la in langs for w in WAKE_WORDS[la])
