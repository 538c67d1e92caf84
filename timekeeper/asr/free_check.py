"""Does a free-vocabulary decoding of an utterance also contain the command it was matched to?

A grammar-bound decoder (vosk with a grammar) explains any speech with the grammar's words, often
with confidence 1.0. Decoding the same audio again with the model's whole vocabulary and asking
that the result also holds the wake phrase and the command words is the check vosk's maintainers
recommend. ``agreement`` scores it: every word of the phrase is looked for, in order, among the
free words (one to three adjacent free words joined, since a free decoder may split a word);
the score is the worst word's similarity, 1.0 when each word is there exactly. Accents are ignored
and Hangul is compared letter by letter (jamo), so a near-miss scores between 0 and 1.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from timekeeper.asr.normalize import normalize, strip_accents

MAX_JOIN = 3  # adjacent free words tried as one


def _letters(word: str) -> str:
    # NFD splits accents off Latin letters (dropped) and Hangul syllables into jamo (kept)
    return strip_accents(word)


def agreement(phrase: str, heard: str, lang: str) -> float:
    """0-1: how well ``heard`` (free decoding) contains every word of ``phrase``, in order."""
    want = [_letters(w) for w in normalize(phrase, lang).split()]
    got = [_letters(w) for w in normalize(heard, lang).split()]
    if not want:
        return 1.0
    pos, worst = 0, 1.0
    for w in want:
        best, best_end = 0.0, -1
        for i in range(pos, len(got)):
            for j in range(i + 1, min(len(got), i + MAX_JOIN) + 1):
                cand = "".join(got[i:j])
                r = 1.0 if cand == w else SequenceMatcher(None, w, cand, autojunk=False).ratio()
                if r > best:
                    best, best_end = r, j
            if best == 1.0:
                break
        if best_end < 0:
            return 0.0
        worst, pos = min(worst, best), best_end
    return worst
