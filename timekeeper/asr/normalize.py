"""Text normalisation and exact matching of an utterance against the phrase table."""

from __future__ import annotations

import re
import unicodedata

from timekeeper import lang as languages
from timekeeper.commands import Command

# number words 0-10 as written for digits, and one-word spellings of the wake phrase, per language
_DIGITS = {code: [languages.get(code).ZERO] + [next(w for w, v in languages.get(code).NUMBERS.items() if v == n)
                                                for n in range(1, 11)] for code in languages.LANGS}
_JOINED = {code: languages.get(code).WAKE_SPELLINGS for code in languages.LANGS}
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
