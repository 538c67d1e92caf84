"""Rival grammars: how well the best command's audio fits the OTHER commands.

A grammar decode gives one best path; pocketsphinx's lattice N-best rarely holds a command of
another kind, so the margin between "start the clock" and "stop the clock" is measured by a
second decode through a grammar of the rivals alone: every wording of every other command kind,
or, for a command with a number, the same wordings with every other number. The grammars are
factorised like the main one (one slot for the number), built from the phrase table itself, so
a reworded table needs nothing here.
"""

from __future__ import annotations

from timekeeper.asr.phrases import NUMBERS, ZERO, PhraseTable
from timekeeper.commands import Command


def number_words(lang: str) -> dict[str, int]:
    return {**NUMBERS[lang], ZERO[lang]: 0}


def wordings(table: PhraseTable) -> dict[str, list[Command]]:
    """The table's phrases with each number word replaced by ``{n}``: wording -> its commands.
    ("time keeper add {n} minutes" -> [extend 1, extend 2, ...])."""
    nums = number_words(table.lang)
    out: dict[str, list[Command]] = {}
    for text, cmd in table.phrases.items():
        key = " ".join("{n}" if w in nums and cmd.arg is not None else w for w in text.split())
        out.setdefault(key, [])
        if cmd not in out[key]:
            out[key].append(cmd)
    return out


def rival_jsgf(table: PhraseTable, best: Command, numbers_only: bool, keep_own: bool = False) -> str | None:
    """A JSGF grammar of the commands that compete with ``best``: of every other kind, or (with
    ``numbers_only``) of the same kind with another number (``keep_own``: with every number, its
    own too: the fair reference, a grammar of the same size). None when there is none."""
    nums: dict[int, list[str]] = {}
    for w, n in number_words(table.lang).items():
        nums.setdefault(n, []).append(w)
    wake = table.wake.split()
    alts: list[str] = []
    for key, cmds in wordings(table).items():
        if numbers_only:
            args = sorted({c.arg for c in cmds if c.kind == best.kind and c.arg is not None
                           and (keep_own or c.arg != best.arg)})
        else:
            if any(c.kind == best.kind for c in cmds):
                continue
            args = sorted({c.arg for c in cmds if c.arg is not None})
        if "{n}" in key:
            if not args:
                continue
            key = key.replace("{n}", "(" + " | ".join(w for a in args for w in nums[a]) + ")")
        elif numbers_only:
            continue
        words = key.split()
        body = " ".join(words[len(wake):]) if wake and words[: len(wake)] == wake else key
        if body not in alts:
            alts.append(body)
    if not alts:
        return None
    head = f"{table.wake} <cmd>" if wake else "<cmd>"
    return "#JSGF V1.0;\ngrammar rival;\n<cmd> = " + "\n | ".join(alts) + f";\npublic <r> = {head};\n"
