"""Grammars built from the phrase table: a compact JSGF (pocketsphinx) and phrase lists (vosk)."""

from __future__ import annotations

from timekeeper.asr.normalize import normalize
from timekeeper.asr.phrases import NUMBERS, TEMPLATES, PhraseTable, phase_words
from timekeeper.commands import CommandKind

# Common words that never occur in an English command: the "garbage" path of the JSGF
# grammar. Anything that is not exactly a command decodes more cheaply through these.
FILLER_EN = (
    "a the and uh um of to in it is you that he was for on are with as i his they be at have this from "
    "or had by but what all were we when your can said there use an each which she do if will up other "
    "about out many then them these so some her would make like him into has look see no way could "
    "people my than first been who its now find long down day did get come made may part yes okay right "
    "well know think really just going good thing sure let's because where why work need project team "
    "year week last mean actually maybe here said very much lot"
).split()


def jsgf(table: PhraseTable, filler: tuple[str, ...] | list[str] = (), filler_weight: float = 1.0) -> str:
    """A factorised JSGF grammar: ``wake <cmd>``, optionally in parallel with a filler loop."""
    lang = table.lang
    nums = " | ".join(NUMBERS[lang])
    phases = " | ".join(normalize(w, lang) for w, _ in phase_words(lang, table.phases))
    alts = []
    for template, kind in TEMPLATES[lang]:
        if kind is CommandKind.GOTO and not phases:
            continue
        t = template.replace("{n}", "<phase>" if kind is CommandKind.GOTO else "<num>").replace("{min}", "<min>")
        t = " ".join(normalize(w, lang) if not w.startswith("<") else w for w in t.split())
        if t not in alts:
            alts.append(t)
    body = "\n | ".join(alts)
    head = f"{table.wake} <cmd>" if table.wake else "<cmd>"
    g = ["#JSGF V1.0;", "grammar timekeeper;", f"<num> = {nums};", "<min> = minute | minutes;",
         *([f"<phase> = {phases};"] if phases else []), f"<cmd> = {body};"]
    words = set(table.words)
    fill = [w for w in filler if w not in words]
    if fill:
        g.append("<filler> = " + " | ".join(fill) + ";")
        g.append(f"public <utt> = /1/ {head} | /{filler_weight:g}/ <filler>+;")
    else:
        g.append(f"public <utt> = {head};")
    return "\n".join(g) + "\n"


def phrase_list(table: PhraseTable) -> list[str]:
    """Every full utterance, for a vosk grammar (``[unk]`` is added by the adapter)."""
    return sorted(table.phrases)
