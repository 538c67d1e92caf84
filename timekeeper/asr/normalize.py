"""Text normalisation and exact matching of an utterance against the phrase table."""

from __future__ import annotations

import re
import unicodedata

from timekeeper.commands import Command

_DIGITS = {
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"],
    "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"],
}
# one-word spellings a recogniser or a user may produce, mapped to the phrase-table form
_JOINED = {"en": {"timekeeper": "time keeper", "time-keeper": "time keeper"}, "fr": {}}
_NOISE = {"[unk]", "<unk>", "[noise]", "<sil>", "[laughter]", "++garbage++"}


def normalize(text: str, lang: str) -> str:
    """Lower case, NFC, apostrophes/hyphens → spaces ("reste-t-il" → "reste t il"),
    punctuation dropped, digits → words ("2 minutes" → "deux minutes"), noise tags removed."""
    t = unicodedata.normalize("NFC", text).lower()
    for k, v in _JOINED.get(lang, {}).items():
        t = re.sub(rf"\b{re.escape(k)}\b", v, t)
    t = re.sub(r"[’'`\-‐–—_]", " ", t)
    words = []
    for w in re.findall(r"\[[a-z]+\]|<[a-z]+>|[\w]+", t):
        if w in _NOISE:
            continue
        if w.isdigit():
            n = int(w)
            if n < len(_DIGITS.get(lang, _DIGITS["en"])):
                # French "1 minute" → "une minute" is handled by the table (un/une both listed)
                words.append(_DIGITS.get(lang, _DIGITS["en"])[n])
                continue
        words.append(w)
    return " ".join(words)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


class Matcher:
    """Exact match of a whole utterance (after normalisation, accents ignored)."""

    def __init__(self, phrases: dict[str, Command], lang: str) -> None:
        self.lang = lang
        self._table = {strip_accents(k): v for k, v in phrases.items()}

    def match(self, text: str) -> Command | None:
        return self._table.get(strip_accents(normalize(text, self.lang)))
