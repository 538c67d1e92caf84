"""Wake phrases and command phrases, per language, expanded into every exact utterance.

A template is a list of words where ``{n}`` is a number word (1-10) and ``{min}`` is
"minute"/"minutes" (fr: "minute"/"minutes"); in "go to phase {n}" the numbers are the
agenda's phase numbers (0-10 when the agenda is not known). ``expand(lang, wake, phases)``
gives the full table ``{normalised phrase: Command}`` the matcher and the grammars are built
from. Listening only for phases that exist matters with a grammar-bound recogniser: with
"nine" in the grammar, a codev session (phases 0-6) heard "phase nine" in ordinary talk.
"""

from __future__ import annotations

from dataclasses import dataclass

from timekeeper.commands import Command, CommandKind

DEFAULT_WAKE = {"en": "time keeper", "fr": "chrono"}

NUMBERS = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
           "nine": 9, "ten": 10},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
           "huit": 8, "neuf": 9, "dix": 10},
}

K = CommandKind
# Chosen for acoustic distance, not for the number of synonyms: no two phrases for different
# commands differ by one short word ("start / stop the clock", "add / remove", "go to the next /
# previous phase" were dropped). tests/test_phrase_confusability.py measures it: English by
# decoding every phrase spoken by four espeak-ng voices against all the others (built-in engine),
# French by a phonetic distance on espeak-ng's French phonemes (no French model here);
# `python bench/bench_phrases.py` prints both tables.
TEMPLATES: dict[str, list[tuple[str, CommandKind]]] = {
    "en": [
        ("next phase", K.NEXT), ("move on", K.NEXT),
        ("previous phase", K.PREVIOUS), ("go back a phase", K.PREVIOUS),
        ("go to phase {n}", K.GOTO),
        ("pause", K.PAUSE), ("pause the clock", K.PAUSE),
        ("resume", K.RESUME), ("carry on", K.RESUME),
        ("how much time is left", K.TIME_LEFT), ("how much time do we have", K.TIME_LEFT),
        ("add {n} {min}", K.EXTEND), ("give us {n} more {min}", K.EXTEND),
        ("take away {n} {min}", K.SHORTEN),
        ("repeat", K.REPEAT), ("say that again", K.REPEAT),
        ("end the session", K.END),
        ("undo", K.UNDO),
    ],
    "fr": [
        ("phase suivante", K.NEXT), ("on passe à la suite", K.NEXT),
        ("phase précédente", K.PREVIOUS), ("reviens en arrière", K.PREVIOUS),
        ("aller à la phase {n}", K.GOTO), ("va à la phase {n}", K.GOTO),
        ("pause", K.PAUSE), ("mets en pause", K.PAUSE),
        ("on reprend", K.RESUME), ("continue", K.RESUME),
        ("combien de temps reste t il", K.TIME_LEFT), ("il reste combien de temps", K.TIME_LEFT),
        ("ajoute {n} {min}", K.EXTEND), ("rajoute {n} {min}", K.EXTEND),
        ("{n} {min} de moins", K.SHORTEN),
        ("répète", K.REPEAT), ("tu peux répéter", K.REPEAT),
        ("fin de la séance", K.END), ("termine la séance", K.END),
        ("annule", K.UNDO), ("annule ça", K.UNDO),
    ],
}

# Canonical phrasing for each command (what the synthetic sessions say; tests check they parse).
CANONICAL = {
    "en": {K.NEXT: "next phase", K.PREVIOUS: "previous phase", K.GOTO: "go to phase {n}", K.PAUSE: "pause",
           K.RESUME: "resume", K.TIME_LEFT: "how much time is left", K.EXTEND: "add {n} {min}",
           K.SHORTEN: "take away {n} {min}", K.REPEAT: "repeat", K.END: "end the session", K.UNDO: "undo"},
    "fr": {K.NEXT: "phase suivante", K.PREVIOUS: "phase précédente", K.GOTO: "aller à la phase {n}",
           K.PAUSE: "pause", K.RESUME: "on reprend", K.TIME_LEFT: "combien de temps reste-t-il",
           K.EXTEND: "ajoute {n} {min}", K.SHORTEN: "{n} {min} de moins", K.REPEAT: "répète",
           K.END: "fin de la séance", K.UNDO: "annule"},
}


ZERO = {"en": "zero", "fr": "zéro"}
ALL_PHASES = tuple(range(11))


@dataclass(frozen=True)
class PhraseTable:
    lang: str
    wake: str  # normalised wake phrase ("" when none is required)
    phrases: dict[str, Command]  # normalised full utterance (wake included) → command
    phases: tuple[int, ...] = ALL_PHASES  # the numbers "go to phase N" accepts

    @property
    def words(self) -> list[str]:
        seen: dict[str, None] = {}
        for p in self.phrases:
            for w in p.split():
                seen[w] = None
        return list(seen)


def supported_languages() -> list[str]:
    return sorted(TEMPLATES)


def number_word(lang: str, n: int, feminine: bool = False) -> str:
    if n == 0:
        return ZERO[lang]
    if lang == "fr" and n == 1:
        return "une" if feminine else "un"
    return next(w for w, v in NUMBERS[lang].items() if v == n)


def phase_words(lang: str, phases: tuple[int, ...]) -> list[tuple[str, int]]:
    """Number words for phase numbers, as people say them ("zéro", "un", "deux"...)."""
    return [(number_word(lang, n), n) for n in phases]


def _expand_template(lang: str, template: str, kind: CommandKind,
                     phases: tuple[int, ...]) -> list[tuple[str, int | None]]:
    if "{n}" not in template:
        return [(template, None)]
    out = []
    numbers = phase_words(lang, phases) if kind is K.GOTO else NUMBERS[lang].items()
    for word, n in numbers:
        if "{min}" in template:
            mins = ["minute", "minutes"]  # people say "one minutes" / "deux minute" too
            for m in mins:
                out.append((template.replace("{n}", word).replace("{min}", m), n))
        else:
            out.append((template.replace("{n}", word), n))
    return out


def expand(lang: str, wake: str | None = "default", max_number: int = 10,
           phases: tuple[int, ...] | list[int] | None = None) -> PhraseTable:
    """Every accepted utterance for ``lang``; ``wake=None`` or "" for commands without wake phrase;
    ``phases``: the agenda's phase numbers (default 0-10)."""
    from timekeeper.asr.normalize import normalize  # noqa: PLC0415

    if lang not in TEMPLATES:
        from timekeeper.errors import ConfigError

        raise ConfigError(f"unknown language {lang!r}; use one of: {', '.join(supported_languages())}")
    w = DEFAULT_WAKE[lang] if wake == "default" else (wake or "")
    w = normalize(w, lang)
    nums = tuple(sorted({int(n) for n in (ALL_PHASES if phases is None else phases) if 0 <= int(n) <= 10}))
    table: dict[str, Command] = {}
    for template, kind in TEMPLATES[lang]:
        for text, n in _expand_template(lang, template, kind, nums):
            if n is not None and n > max_number:
                continue
            cmd = Command(kind, n) if kind in (K.GOTO, K.EXTEND, K.SHORTEN) else Command(kind)
            key = normalize(f"{w} {text}", lang)
            table.setdefault(key, cmd)
    return PhraseTable(lang, w, table, nums)


def canonical_text(lang: str, command: Command, wake: str | None = "default") -> str:
    """The canonical sentence for a command, e.g. "chrono ajoute deux minutes"."""
    w = DEFAULT_WAKE[lang] if wake == "default" else (wake or "")
    t = CANONICAL[lang][command.kind]
    if "{n}" in t:
        n = command.arg or 1
        t = t.replace("{n}", number_word(lang, n, feminine="{min}" in t))
        t = t.replace("{min}", "minute" if n == 1 else "minutes")
    return f"{w} {t}".strip()
