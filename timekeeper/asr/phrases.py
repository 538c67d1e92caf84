"""Wake phrases and command phrases, per language, expanded into every exact utterance.
The words are each language module's (``timekeeper.lang``: WAKE, NUMBERS, COMMANDS, CANONICAL).

A template is a list of words where ``{n}`` is a number word (1-10) and ``{min}`` is
"minute"/"minutes" (fr: "minute"/"minutes"); in "go to phase {n}" the numbers are the
agenda's phase numbers (0-10 when the agenda is not known). ``expand(lang, wake, phases)``
gives the full table ``{normalised phrase: Command}`` the matcher and the grammars are built
from. Listening only for phases that exist matters with a grammar-bound recogniser: with
"nine" in the grammar, a codev session (phases 0-6) heard "phase nine" in ordinary talk.
"""

from __future__ import annotations

from dataclasses import dataclass

from timekeeper import lang as languages
from timekeeper.commands import Command, CommandKind

K = CommandKind
DEFAULT_WAKE = {code: languages.get(code).WAKE for code in languages.LANGS}
NUMBERS: dict[str, dict[str, int]] = {code: languages.get(code).NUMBERS for code in languages.LANGS}
ZERO = {code: languages.get(code).ZERO for code in languages.LANGS}
TEMPLATES: dict[str, list[tuple[str, CommandKind]]] = {
    code: [(text, CommandKind(kind)) for text, kind in languages.get(code).COMMANDS] for code in languages.LANGS}
# Canonical phrasing for each command (what the synthetic sessions say; tests check they parse).
CANONICAL = {code: {CommandKind(kind): text for kind, text in languages.get(code).CANONICAL.items()}
             for code in languages.LANGS}
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
    if feminine and n in languages.get(lang).FEMININE:
        return languages.get(lang).FEMININE[n]
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
            for m in languages.get(lang).MINUTE_WORDS:  # people say "one minutes" / "deux minute" too
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
        n = 1 if command.arg is None else command.arg
        t = t.replace("{n}", number_word(lang, n, feminine="{min}" in t))
        singular, plural = languages.get(lang).MINUTE_WORDS
        t = t.replace("{min}", singular if n == 1 else plural)
    return f"{w} {t}".strip()
