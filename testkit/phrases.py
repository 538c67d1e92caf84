"""What the generator's animateur says: each command's canonical text (the language
modules' CANONICAL, the same the listening side expands with its synonyms). The generator
only ever speaks the canonical form, so a test knows exactly what was said.
"""

from __future__ import annotations

import re

from timekeeper import lang as languages
from timekeeper.asr.phrases import canonical_text
from timekeeper.commands import Command, CommandKind
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
