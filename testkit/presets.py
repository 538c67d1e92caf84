"""Scripted sessions everyone measures against. ``build(name, out_dir, seed)`` writes
``<out_dir>/<name>.wav`` + ``.truth.json`` (+ enrollment WAVs) and returns the WAV path;
an up-to-date build (same script hash and seed) is reused.

- short-codev / short-codev-fr: ~3.5 min compressed codev session, commands at known
  times (next x6, time_left, extend 1, pause/resume, end), distractors; builds in seconds.
- meeting-60: 8 real voices (librispeech-10), 60 min, reverb + pink noise at 15 dB,
  30 s enrollment per person disjoint from the meeting (meeting utterances are reused).
- meeting-short: the same 8 people, every meeting utterance used once.
- commands / commands-fr: every command by 4 espeak voices, reverb, 15 dB SNR.
- distractors-60 / distractors-60-fr: 1 h of talk full of command words, no wake phrase.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import numpy as np

from timekeeper.errors import ConfigError
from testkit.phrases import CANONICAL_COMMANDS
from testkit.script import load_script
from testkit.texts import DISTRACTORS, TALK, varied
from testkit.truth import Truth, truth_path

Script = dict[str, Any]

# --- short codev sessions ----------------------------------------------------

# (kind, who, value): "cmd" -> command; "say" -> seconds of speech; "dis" -> distractor index;
# optional 4th item: gap_s (negative: overlap with the previous turn).
_SHORT_PLAN: list[tuple[str, str, Any, float]] = [
    ("say", "anim", 4, 0.5),
    ("cmd", "anim", "next", 1.0),  # phase 1: presentation
    ("say", "client", 9, 1.0), ("say", "client", 8, 0.7), ("say", "client", 8, 0.6),
    ("cmd", "anim", "next", 1.2),  # phase 2: clarification
    ("say", "c1", 4, 0.8), ("say", "client", 6, 0.6), ("say", "c2", 4, -0.4), ("say", "client", 3, 0.5),
    ("dis", "anim", 0, 0.8),
    ("say", "c3", 4, 0.6),
    ("cmd", "anim", "time_left", 1.0),
    ("cmd", "anim", "next", 1.0),  # phase 3: contract
    ("say", "client", 7, 1.0), ("say", "c2", 4, 0.6),
    ("cmd", "anim", "extend 1", 1.0),
    ("say", "c1", 3, 1.0),
    ("cmd", "anim", "next", 1.0),  # phase 4: consultation
    ("say", "c3", 6, 1.0), ("say", "c1", 5, -0.5),
    ("dis", "anim", 1, 0.8),
    ("cmd", "anim", "pause", 1.0),
    ("cmd", "anim", "resume", 6.0),  # six seconds of silence while paused
    ("say", "c2", 6, 1.0),
    ("cmd", "anim", "next", 1.0),  # phase 5: summary
    ("say", "client", 7, 1.0), ("say", "client", 4, 0.7),
    ("dis", "anim", 2, 0.8),
    ("cmd", "anim", "next", 1.0),  # phase 6: learning
    ("say", "c1", 4, 0.8), ("say", "c2", 4, 0.6), ("say", "c3", 4, 0.6),
    ("dis", "anim", 3, 0.8),
    ("cmd", "anim", "end", 1.0),
]

_SHORT_DISTRACTORS = {
    "en": ("Can we pause on that point for a second?", "The next phase of my project starts in May.",
           "There is not much time left before the deadline.", "Let me add one minute to what she said."),
    "fr": ("On fait une pause ?", "La phase suivante du projet commence en mai.",
           "Combien de temps il nous reste ?", "J'ajoute deux minutes de contexte avant de répondre."),
}

_SHORT_CAST = {
    "en": {
        "client": {"name": "Alice", "role": "client", "voice": "librispeech:1998"},
        "c1": {"name": "Beatrice", "role": "consultant", "voice": "librispeech:533"},
        "c2": {"name": "Chris", "role": "consultant", "voice": "librispeech:1688"},
        "c3": {"name": "David", "role": "consultant", "voice": "librispeech:3005"},
        "anim": {"name": "Morgan", "role": "animateur", "voice": "espeak:en-us+m3", "pitch": 45, "speed": 160},
    },
    "fr": {
        "client": {"name": "Amélie", "role": "client", "voice": "espeak:fr+f3", "pitch": 60, "speed": 160},
        "c1": {"name": "Bruno", "role": "consultant", "voice": "espeak:fr+m1", "pitch": 40, "speed": 170},
        "c2": {"name": "Claire", "role": "consultant", "voice": "espeak:fr+f2", "pitch": 70, "speed": 155},
        "c3": {"name": "Denis", "role": "consultant", "voice": "espeak:fr-be+m4", "pitch": 35, "speed": 165},
        "anim": {"name": "Morgane", "role": "animateur", "voice": "espeak:fr+m7", "pitch": 50, "speed": 160},
    },
}

_WELCOME = {"en": "Welcome everyone. Today Alice brings a case, and I keep the process.",
            "fr": "Bienvenue à tous. Aujourd'hui Amélie apporte un cas, et je garde le cadre."}


def _assign(utts: list[tuple[str, float]], targets: list[float]) -> list[list[str]]:
    """Share a speaker's utterances (each used once) among turns wanting ``targets`` seconds:
    one each, longest to the longest wish, then the rest where the shortfall is largest."""
    if len(utts) < len(targets):
        raise ConfigError(f"only {len(utts)} recordings left for {len(targets)} turns: lower enroll_s")
    by_len = sorted(utts, key=lambda u: -u[1])
    order = sorted(range(len(targets)), key=lambda k: -targets[k])
    got: list[list[tuple[str, float]]] = [[] for _ in targets]
    for k, u in zip(order, by_len):
        got[k].append(u)
    for u in sorted(by_len[len(targets):], key=lambda u: u[1]):
        k = max(range(len(targets)), key=lambda j: targets[j] - sum(d for _, d in got[j]))
        if targets[k] - sum(d for _, d in got[k]) > 0.5 * u[1]:
            got[k].append(u)
    return [[i for i, _ in g] for g in got]


def _short(lang: str, seed: int, voices_dir: str | Path | None) -> Script:
    from testkit.generator import available_utterances

    cast = _SHORT_CAST[lang]
    session = {"name": f"short-codev{'' if lang == 'en' else '-fr'}", "lang": lang, "seed": 0,
               "rt60_s": 0.3, "noise": "pink", "snr_db": 20.0, "enroll_s": 18.0}
    skeleton = {"session": session, "participants": list(cast.values()),
                "turns": [{"speaker": cast["anim"]["name"], "text": "x"}]}
    free = available_utterances(load_script(skeleton), seed, voices_dir)
    wishes: dict[str, list[float]] = {}
    for kind, who, value, _ in _SHORT_PLAN:
        if kind == "say" and cast[who]["name"] in free:
            wishes.setdefault(cast[who]["name"], []).append(float(value))
    plan = {name: iter(_assign(free[name], w)) for name, w in wishes.items()}
    talk = iter(TALK[lang] * 3)
    turns: list[dict[str, Any]] = []
    for kind, who, value, gap in _SHORT_PLAN:
        p = cast[who]
        t: dict[str, Any] = {"speaker": p["name"]}
        if gap < 0:
            t["overlap_s"] = -gap
        else:
            t["gap_s"] = gap
        if kind == "cmd":
            t.update(kind="command", command=value)
        elif kind == "dis":
            t.update(kind="distractor", text=_SHORT_DISTRACTORS[lang][value])
        elif p["name"] in plan:
            t["utterances"] = next(plan[p["name"]])
        elif who == "anim":
            t["text"] = _WELCOME[lang]
        else:
            n = max(1, round(value / 2.5))
            t["text"] = " ".join(next(talk) for _ in range(n))
        turns.append(t)
    return {"session": session, "participants": list(cast.values()), "turns": turns}


# --- meetings of real voices -------------------------------------------------

_MEETING_CAST = [
    ("Alice", "client", "1998"), ("Beatrice", "consultant", "533"), ("Chris", "consultant", "1688"),
    ("David", "consultant", "3005"), ("Ethan", "consultant", "2033"), ("Fiona", "consultant", "3080"),
    ("Gabriel", "consultant", "2414"), ("Hugo", "animateur", "2609"),
]
# (phase, minutes) in the 60-minute default agenda
_MEETING_PHASES = [("presentation", 5), ("clarification", 12), ("contract", 5), ("consultation", 20),
                   ("summary", 8), ("learning", 10)]


def _meeting_session(name: str, reuse: bool) -> Script:
    return {
        "session": {"name": name, "lang": "en", "seed": 0, "rt60_s": 0.45, "noise": "pink", "snr_db": 15.0,
                    "enroll_s": 30.0, "voices_dir": "shared", "reuse_utterances": reuse},
        "participants": [{"name": n, "role": r, "voice": f"librispeech:{s}"} for n, r, s in _MEETING_CAST],
        "turns": [],
    }


def _meeting_turn(rng: np.random.Generator, phase: str, client: str, others: list[str]) -> tuple[str, float]:
    """Who speaks next and for how long, following the phase's speaking rule."""
    if phase in ("presentation", "summary"):
        if rng.random() < (0.08 if phase == "presentation" else 0.25):
            return others[int(rng.integers(len(others)))], float(rng.uniform(3, 6))
        return client, float(rng.uniform(12, 25))
    if phase in ("clarification", "contract"):
        if rng.random() < 0.5:
            return client, float(rng.uniform(6, 16))
        return others[int(rng.integers(len(others)))], float(rng.uniform(3, 7))
    if phase == "consultation":
        if rng.random() < 0.06:
            return client, float(rng.uniform(3, 6))
        return others[int(rng.integers(len(others)))], float(rng.uniform(8, 22))
    everyone = [client, *others]
    return everyone[int(rng.integers(len(everyone)))], float(rng.uniform(8, 20))


def _meeting60(seed: int) -> Script:
    script = _meeting_session("meeting-60", reuse=True)
    rng = np.random.default_rng([seed, 60])
    client, others = "Alice", [n for n, _, _ in _MEETING_CAST[1:]]
    turns, last = [], ""
    for phase, minutes in _MEETING_PHASES:
        spent = 0.0
        while spent < minutes * 60:
            who, dur = _meeting_turn(rng, phase, client, others)
            if who == last and who != client:
                continue
            gap = float(rng.uniform(0.3, 1.5))
            t: dict[str, Any] = {"speaker": who, "utterances": "librispeech:auto", "duration_s": round(dur, 2)}
            if turns and rng.random() < 0.08:
                t["overlap_s"] = round(float(rng.uniform(0.3, 1.0)), 2)
            else:
                t["gap_s"] = round(gap, 2)
            turns.append(t)
            spent += dur * 1.1 + gap  # whole utterances overshoot the wish
            last = who
    script["turns"] = turns
    return script


def _meeting_short(seed: int, voices_dir: str | Path | None) -> Script:
    from testkit.generator import available_utterances

    script = _meeting_session("meeting-short", reuse=False)
    script["turns"] = [{"speaker": "Alice", "utterances": "librispeech:auto", "duration_s": 1.0}]  # placeholder
    free = available_utterances(load_script(script), seed, voices_dir)
    rng = np.random.default_rng([seed, 61])
    queue = {name: [i for i, _ in ids] for name, ids in free.items()}
    turns: list[dict[str, Any]] = []
    order = ["Alice"] + [n for n, _, _ in _MEETING_CAST[1:]]
    # presentation: two client utterances, then rounds where each remaining voice speaks in turn
    turns.append({"speaker": "Alice", "utterances": queue["Alice"][:2], "gap_s": 1.0})
    del queue["Alice"][:2]
    while any(queue.values()):
        names = [n for n in order if queue[n]]
        rng.shuffle(names)
        for n in names:
            t: dict[str, Any] = {"speaker": n, "utterances": [queue[n].pop(0)]}
            if rng.random() < 0.1:
                t["overlap_s"] = round(float(rng.uniform(0.3, 0.8)), 2)
            else:
                t["gap_s"] = round(float(rng.uniform(0.3, 1.2)), 2)
            turns.append(t)
    script["turns"] = turns
    return script


# --- commands and distractors ------------------------------------------------

_COMMAND_VOICES = {
    "en": [("en-us+m3", 45, 160), ("en+f2", 60, 150), ("en-us+f4", 55, 170), ("en-gb-scotland+m7", 40, 155)],
    "fr": [("fr+m1", 40, 165), ("fr+f3", 60, 155), ("fr-be+m4", 35, 170), ("fr+f2", 70, 150)],
}


def _commands(lang: str, seed: int) -> Script:
    rng = np.random.default_rng([seed, 70])
    voices = _COMMAND_VOICES[lang]
    participants = [{"name": f"Voice {i + 1}", "role": "animateur", "voice": f"espeak:{v}", "pitch": p, "speed": s}
                    for i, (v, p, s) in enumerate(voices)]
    items = []
    for part in participants:
        extras = [f"goto {int(rng.integers(1, 7))}", f"extend {int(rng.integers(1, 6))}", f"shorten {int(rng.integers(1, 4))}"]
        for cmd in [*CANONICAL_COMMANDS, *[extras[i] for i in rng.choice(3, size=2, replace=False)]]:
            items.append((part["name"], cmd))
    order = rng.permutation(len(items))
    turns = [{"speaker": items[i][0], "kind": "command", "command": items[i][1],
              "gap_s": round(float(rng.uniform(1.5, 3.0)), 2), "level_db": round(float(rng.uniform(-6, 0)), 1)}
             for i in order]
    return {
        "session": {"name": f"commands{'' if lang == 'en' else '-fr'}", "lang": lang, "seed": 0, "rt60_s": 0.4,
                    "noise": "pink+babble", "snr_db": 15.0},
        "participants": participants,
        "turns": turns,
    }


def _distractors60(lang: str, seed: int) -> Script:
    rng = np.random.default_rng([seed, 80])
    synth = [{"name": f"Speaker {i + 1}", "role": "consultant", "voice": f"espeak:{v}", "pitch": p, "speed": s}
             for i, (v, p, s) in enumerate(_COMMAND_VOICES[lang])]
    real = [{"name": n, "role": "consultant", "voice": f"librispeech:{s}"}
            for n, _, s in _MEETING_CAST[:4]]
    dis = varied(DISTRACTORS[lang], lang, rng, 900)
    talk = varied(TALK[lang], lang, rng, 600)
    turns: list[dict[str, Any]] = []
    t_s = 0.0
    while t_s < 3600:
        gap = float(rng.uniform(0.3, 1.5))
        r = rng.random()
        if r < 0.4:
            p = real[int(rng.integers(len(real)))]
            want = float(rng.uniform(4, 12))
            turn: dict[str, Any] = {"speaker": p["name"], "utterances": "librispeech:auto", "duration_s": round(want, 2)}
            dur = want * 1.18  # whole utterances overshoot the wish, plus pauses between them
        else:
            p = synth[int(rng.integers(len(synth)))]
            kind, text = ("distractor", dis.pop()) if r < 0.75 else ("speech", talk.pop())
            turn = {"speaker": p["name"], "kind": kind, "text": text}
            # estimated from the word count (espeak speaks ~0.8 of its nominal words per minute)
            dur = len(text.split()) * 60 / p["speed"] * (0.81 if lang == "en" else 0.75)
        turn["gap_s"] = round(gap, 2)
        turns.append(turn)
        t_s += dur + gap
    return {
        "session": {"name": f"distractors-60{'' if lang == 'en' else '-fr'}", "lang": lang, "seed": 0,
                    "rt60_s": 0.4, "noise": "pink", "snr_db": 20.0, "reuse_utterances": True},
        "participants": synth + real,
        "turns": turns,
    }


PRESETS: dict[str, Callable[[int, str | Path | None], Script]] = {
    "short-codev": lambda seed, v: _short("en", seed, v),
    "short-codev-fr": lambda seed, v: _short("fr", seed, v),
    "meeting-60": lambda seed, v: _meeting60(seed),
    "meeting-short": _meeting_short,
    "commands": lambda seed, v: _commands("en", seed),
    "commands-fr": lambda seed, v: _commands("fr", seed),
    "distractors-60": lambda seed, v: _distractors60("en", seed),
    "distractors-60-fr": lambda seed, v: _distractors60("fr", seed),
}


def names() -> list[str]:
    return list(PRESETS)


def script_for(name: str, seed: int = 0, voices_dir: str | Path | None = None) -> Script:
    """The preset's script as a dict (what ``load_script`` accepts)."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}: use one of {', '.join(PRESETS)}")
    return PRESETS[name](seed, voices_dir)


def build(name: str, out_dir: str | Path, seed: int = 0, voices_dir: str | Path | None = None,
          force: bool = False) -> Path:
    """Build preset ``name`` into ``out_dir`` (reused when already built); returns the WAV path."""
    from testkit.generator import build_key, generate

    script = load_script(script_for(name, seed, voices_dir))
    out = Path(out_dir) / f"{name}.wav"
    tp = truth_path(out)
    if not force and out.exists() and tp.exists():
        try:
            old = json.loads(tp.read_text(encoding="utf-8"))
            if old.get("script_hash") == build_key(script, voices_dir) and old.get("seed") == seed and all(
                    (tp.parent / p).exists() for p in old.get("enrollment", {}).values()):
                return out
        except (OSError, ValueError):
            pass
    generate(script, out, seed=seed, voices_dir=voices_dir)
    return out


def load(name: str, out_dir: str | Path, seed: int = 0, voices_dir: str | Path | None = None) -> Truth:
    """Build if needed, then return the preset's truth (absolute paths)."""
    return Truth.load(truth_path(build(name, out_dir, seed, voices_dir)))
