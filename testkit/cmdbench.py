"""Material for bench/bench_commands.py: commands said by many synthetic voices inside real-voice
conversation, and an hour of real-voice conversation with near misses and no command.

Voices come from three offline synthesis families (espeak-ng, festival, flite) and are split BY
VOICE into a tuning set and a test set; the real talkers (librispeech, ../shared) are split the
same way. The phrases are every phrase group of the product's own table (``expand``): each
wording once per voice, with a number that cycles, so a reworded table is benched as it is.

Each command is placed as a real user says it: someone talks, 1-2 s of silence, the command,
0.8-2 s of silence, someone talks again. Each scene has its own room (reverberation time 0.2-0.6
s), and pink or babble noise at the reel's SNR (speech power of the command against the noise).

Everything is rendered once into the cache folder (bench/cache/cmdbench) and reused.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from testkit import room
from testkit.voices import (SHARED_VOICES_DIR, TEST_VOICES_DIR, active_rms_db, list_speakers, read_wav, trim,
                            write_wav)
from timekeeper.asr.phrases import expand
from timekeeper.audio.frames import RATE_HZ

VERSION = 1  # bump when the same parameters would render differently
SNRS = (20, 15, 10)
REF_DBFS = -26.0
# People say "time keeper, next phase" with a short pause after the wake phrase: this share of the
# commands is rendered as the wake phrase, COMMA_S of silence, then the command (each part by the
# same voice), so the pause checks and the VAD meet it (a pause over the VAD's end silence splits it).
COMMA_SHARE = 0.5
COMMA_S = (0.2, 0.6)


@dataclass(frozen=True)
class Voice:
    family: str  # espeak | festival | flite
    name: str
    speed: int = 165  # espeak only (words per minute)
    pitch: int = 50  # espeak only

    @property
    def label(self) -> str:
        return f"{self.family}:{self.name}"

    def render(self, text: str, cache: Path) -> np.ndarray:
        key = hashlib.sha1(f"{VERSION}|{self}|{text}".encode()).hexdigest()
        path = cache / "voices" / key[:2] / f"{key}.wav"
        if not path.exists():
            with tempfile.TemporaryDirectory() as tmp:
                raw = Path(tmp) / "raw.wav"
                if self.family == "espeak":
                    cmd = ["espeak-ng", "-v", self.name, "-s", str(self.speed), "-p", str(self.pitch), "-w", str(raw), text]
                elif self.family == "festival":
                    txt = Path(tmp) / "t.txt"
                    txt.write_text(text)
                    cmd = ["text2wave", "-eval", f"(voice_{self.name})", str(txt), "-o", str(raw)]
                elif self.family == "flite":
                    cmd = ["flite", "-voice", self.name, "-t", text, "-o", str(raw)]
                else:
                    raise ValueError(self.family)
                proc = subprocess.run(cmd, capture_output=True)
                if proc.returncode != 0 or not raw.exists():
                    raise RuntimeError(f"{self.label} failed on {text!r}: {proc.stderr.decode(errors='replace')[-200:]}")
                write_wav(path, trim(read_wav(raw)))
        return read_wav(path)


# Split by voice: no test voice (or its base voice with another variant) is in the tuning set.
VOICES: dict[str, dict[str, tuple[Voice, ...]]] = {
    "en": {
        "tuning": (Voice("espeak", "en-us+m3", 160), Voice("espeak", "en-gb+f2", 170, 60),
                   Voice("espeak", "en-gb-x-rp+m7", 150, 40), Voice("espeak", "en-gb-x-gbclan+m2", 175),
                   Voice("festival", "kal_diphone"), Voice("flite", "awb"), Voice("flite", "slt")),
        "test": (Voice("espeak", "en-029+f4", 165, 55), Voice("espeak", "en-us-nyc+f3", 180),
                 Voice("espeak", "en-gb-x-gbcwmd+f1", 155, 65), Voice("espeak", "en-gb-scotland+m1", 145, 45),
                 Voice("festival", "ked_diphone"), Voice("festival", "cmu_us_slt_arctic_hts"),
                 Voice("flite", "kal16"), Voice("flite", "rms")),
    },
    # French: espeak-ng is the only offline French family here (festival/flite speak English).
    "fr": {
        "tuning": (Voice("espeak", "fr+m3", 160), Voice("espeak", "fr-be+f2", 170, 60),
                   Voice("espeak", "fr+m7", 150, 40)),
        "test": (Voice("espeak", "fr-ch+f4", 165, 55), Voice("espeak", "fr+f3", 180),
                 Voice("espeak", "fr-be+m1", 145, 45), Voice("espeak", "fr+m2", 175)),
    },
}

TALKERS = {"tuning": ("1688", "1998", "2033", "2414", "2609"), "test": ("3005", "3080", "3331", "367", "533")}

# Said with a pause before, by the split's synthetic voices, inside the conversation: command words,
# the wake phrase, or both, but never a command phrase.
NEAR_MISSES = {
    "en": ("the time keeper role rotates", "let's keep time", "stop the clock on this debate",
           "the next phase of my project", "the time keeper said we have ten minutes",
           "time keeper is a good job", "who is the time keeper today", "we need more time",
           "add two more people to the team", "phase three was hard", "can you repeat the question",
           "I will pause here", "let's move on", "how much time do you spend on it", "go back to your seat",
           "the session ended late", "start with the numbers", "remove the second slide", "keep it short",
           "next time we meet", "time is up for me", "the keeper of the records", "take away the chairs",
           "time keeper, thank you", "that was the previous phase"),
    "fr": ("le chrono tourne", "on arrête là pour ce sujet", "la phase suivante de mon projet",
           "le chrono a dit qu'il reste dix minutes", "qui tient le chrono aujourd'hui", "on reprend demain",
           "ajoute deux personnes à l'équipe", "la phase trois était dure", "tu peux répéter la question",
           "je fais une pause", "fin de la discussion", "combien de temps tu passes dessus"),
}


def talker_dir() -> Path:
    return SHARED_VOICES_DIR if list_speakers(SHARED_VOICES_DIR) else TEST_VOICES_DIR


def phrase_groups(lang: str, phases: tuple[int, ...]) -> list[list[tuple[str, object]]]:
    """The product's phrase table grouped by wording: "time keeper add {n} {min}" is one group,
    listing every (text, Command) of it with the minute form that agrees with the number."""
    from timekeeper.asr.phrases import NUMBERS, ZERO

    table = expand(lang, phases=phases)
    numbers = set(NUMBERS[lang]) | {ZERO[lang]}
    groups: dict[str, list[tuple[str, object]]] = {}
    for text, cmd in table.phrases.items():
        words = text.split()
        if cmd.arg is not None and any(w == "minute" and cmd.arg != 1 or w == "minutes" and cmd.arg == 1 for w in words):
            continue
        key = " ".join("{n}" if w in numbers else "{min}" if w in ("minute", "minutes") else w for w in words)
        groups.setdefault(key, []).append((text, cmd))
    return [groups[k] for k in sorted(groups)]


def _talker_clips(split: str) -> list[tuple[str, np.ndarray]]:
    out = []
    d = talker_dir()
    have = set(list_speakers(d))
    for spk in TALKERS[split]:
        if spk not in have:
            continue
        for p in sorted((d / spk).glob("*.wav")):
            out.append((spk, trim(read_wav(p))))
    if not out:
        raise RuntimeError(f"no librispeech talkers of the {split} split in {d}")
    return out


def _cut(rng: np.random.Generator, x: np.ndarray, lo_s: float, hi_s: float) -> np.ndarray:
    """A piece of ``x`` between ``lo_s`` and ``hi_s`` long that starts and ends on quiet 10 ms frames."""
    hop = RATE_HZ // 100
    n = len(x) // hop
    if n * hop <= hi_s * RATE_HZ:
        return x
    level = 10 * np.log10(np.mean(x[: n * hop].reshape(n, hop).astype(np.float64) ** 2, axis=1) + 1e-12)
    quiet = np.flatnonzero(level < np.percentile(level, 25))
    if len(quiet) < 2:
        return x[: int(hi_s * RATE_HZ)]
    for _ in range(20):
        a = int(rng.choice(quiet))
        ok = quiet[(quiet > a + lo_s * 100) & (quiet < a + hi_s * 100)]
        if len(ok):
            return trim(x[a * hop: int(rng.choice(ok)) * hop])
    return x[: int(hi_s * RATE_HZ)]


def _level(x: np.ndarray, dbfs: float) -> np.ndarray:
    return (x * np.float32(10 ** ((dbfs - active_rms_db(x)) / 20))).astype(np.float32)


class _Reel:
    """Pieces of speech placed on a timeline; each scene (a stretch of the timeline) has its own
    room and its own noise kind; the noise level follows the reel's SNR against REF_DBFS speech."""

    def __init__(self, rng: np.random.Generator, babble_clips: list[np.ndarray]) -> None:
        self.rng = rng
        self.pieces: list[tuple[int, np.ndarray, np.ndarray]] = []  # start, dry, tail
        self.scenes: list[tuple[int, str, float]] = []  # start sample, noise kind, snr
        self.t = int(0.5 * RATE_HZ)
        self.babble_clips = babble_clips
        self.tail = room.room_impulse(rng, 0.4)

    def scene(self, noise: str, snr: float, rt60_s: float) -> None:
        self.scenes.append((self.t, noise, snr))
        self.tail = room.room_impulse(self.rng, rt60_s, drr_db=float(self.rng.uniform(0.0, 6.0)))

    def add(self, x: np.ndarray, dbfs: float) -> tuple[float, float]:
        start = self.t
        self.pieces.append((start, _level(x, dbfs), self.tail))
        self.t += len(x)
        return start / RATE_HZ, self.t / RATE_HZ

    def pause(self, s: float) -> None:
        self.t += int(s * RATE_HZ)

    def render(self) -> np.ndarray:
        n = self.t + RATE_HZ
        speech = np.zeros(n, dtype=np.float32)
        for start, dry, tail in self.pieces:
            wet = room.reverberate(dry, tail, 1.0)
            k = min(len(wet), n - start)
            speech[start: start + k] += wet[:k]
        ref_power = 10 ** (REF_DBFS / 10)
        pink = room.steady_noise(self.rng, n, "pink")
        bab = room.babble(self.rng, n, self.babble_clips)
        noise = np.zeros(n, dtype=np.float32)
        bounds = [s for s, _, _ in self.scenes] + [n]
        for (s, kind, snr), e in zip(self.scenes, bounds[1:]):
            src = pink if kind == "pink" else bab
            noise[s:e] = src[s:e] * np.float32(np.sqrt(ref_power / 10 ** (snr / 10)))
        y, _ = room.peak_normalise(speech + noise)
        return room.to_int16(y)


def _paths(cache: Path, name: str) -> tuple[Path, Path]:
    d = cache / "cmdbench"
    return d / f"{name}.wav", d / f"{name}.truth.json"


def _done(name: str, cache: Path, rng_key: str) -> tuple[Path, dict] | None:
    wav, tj = _paths(cache, name)
    if wav.exists() and tj.exists():
        truth = json.loads(tj.read_text())
        if truth.get("key") == rng_key:
            return wav, truth
    return None


def _save(name: str, cache: Path, samples: np.ndarray, truth: dict) -> tuple[Path, dict]:
    wav, tj = _paths(cache, name)
    write_wav(wav, samples)
    tj.write_text(json.dumps(truth, indent=1))
    return wav, truth


def _seed(*parts: object) -> int:
    return int(hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _begin(split: str, key: str) -> tuple[np.random.Generator, list[tuple[str, np.ndarray]], _Reel]:
    """A reel's random generator (seeded by its key), the split's talkers and an empty reel."""
    rng = np.random.default_rng(_seed(key))
    talk = _talker_clips(split)
    return rng, talk, _Reel(rng, [c for _, c in talk])


def _said(rng: np.random.Generator, voice: Voice, text: str, wake: str, cache: Path,
          share: float) -> tuple[np.ndarray, float]:
    """``text`` as ``voice`` says it: in one go, or (``share`` of the time) the wake phrase, a
    pause of COMMA_S, then the rest. Returns the audio and the pause (0.0: none)."""
    if not share or not wake or not text.startswith(wake + " ") or rng.random() >= share:
        return voice.render(text, cache), 0.0
    pause = float(rng.uniform(*COMMA_S))
    head, rest = voice.render(wake, cache), voice.render(text[len(wake) + 1:], cache)
    return np.concatenate([head, np.zeros(int(pause * RATE_HZ), dtype=head.dtype), rest]), pause


def commands_reel(lang: str, split: str, snr: int, cache: Path, phases: tuple[int, ...],
                  comma: float = COMMA_SHARE) -> tuple[Path, dict]:
    """Every phrase group by every voice of ``split``, inside conversation, at ``snr`` dB; ``comma``:
    the share said with a pause after the wake phrase (0: none, the material of the first bench)."""
    groups = phrase_groups(lang, phases)
    voices = VOICES[lang][split]
    key = f"v{VERSION}|{lang}|{split}|{snr}|{[v.label for v in voices]}|{[g[0][0] for g in groups]}|{phases}"
    name = f"commands-{lang}-{split}-{snr}dB"
    if comma:
        key += f"|comma {comma} {COMMA_S}"
        name += f"-comma{comma:g}"
    if (hit := _done(name, cache, key)) is not None:
        return hit
    rng, talk, reel = _begin(split, key)
    wake = expand(lang, phases=phases).wake
    items = [(vi, gi) for vi in range(len(voices)) for gi in range(len(groups))]
    rng.shuffle(items)
    cmds = []
    for k, (vi, gi) in enumerate(items):
        voice, group = voices[vi], groups[gi]
        text, cmd = group[(vi + gi) % len(group)]
        rt60 = float(rng.uniform(0.2, 0.6))
        reel.scene("pink" if k % 2 == 0 else "babble", snr, rt60)
        spk, clip = talk[int(rng.integers(len(talk)))]
        reel.add(_cut(rng, clip, 2.0, 6.0), REF_DBFS + float(rng.uniform(-3, 3)))
        reel.pause(float(rng.uniform(1.0, 2.0)))
        said, comma_s = _said(rng, voice, text, wake, cache, comma)
        a, b = reel.add(said, REF_DBFS)
        cmds.append({"start_s": round(a, 3), "end_s": round(b, 3), "command": str(cmd), "text": text,
                     "comma_s": round(comma_s, 3),
                     "voice": voice.label, "family": voice.family, "snr": snr,
                     "noise": reel.scenes[-1][1], "rt60_s": round(rt60, 2)})
        reel.pause(float(rng.uniform(0.8, 2.0)))
    samples = reel.render()
    truth = {"key": key, "lang": lang, "split": split, "snr": snr, "duration_s": len(samples) / RATE_HZ,
             "commands": cmds}
    return _save(name, cache, samples, truth)


def distractor_reel(lang: str, split: str, cache: Path, minutes: float = 60.0) -> tuple[Path, dict]:
    """``minutes`` of real-voice conversation of ``split``'s talkers, pieces of utterances with
    short and long pauses, 20/15/10 dB pink or babble noise, and the near misses said by the split's
    synthetic voices after a pause. No command is spoken."""
    voices = VOICES[lang][split]
    key = f"v{VERSION}|{lang}|{split}|{minutes}|{[v.label for v in voices]}|{NEAR_MISSES[lang]}"
    name = f"distractors-{lang}-{split}-{minutes:g}min"
    if (hit := _done(name, cache, key)) is not None:
        return hit
    rng, talk, reel = _begin(split, key)
    near = []
    end = minutes * 60 * RATE_HZ
    k = 0
    while reel.t < end:
        if k % 12 == 0:  # a new scene about every minute
            reel.scene("pink" if (k // 12) % 2 == 0 else "babble", SNRS[(k // 24) % 3], float(rng.uniform(0.2, 0.6)))
        k += 1
        r = rng.random()
        if r < 0.12:
            text = NEAR_MISSES[lang][int(rng.integers(len(NEAR_MISSES[lang])))]
            voice = voices[int(rng.integers(len(voices)))]
            reel.pause(float(rng.uniform(1.0, 2.0)))
            a, b = reel.add(voice.render(text, cache), REF_DBFS)
            near.append({"start_s": round(a, 3), "end_s": round(b, 3), "text": text, "voice": voice.label})
        else:
            _, clip = talk[int(rng.integers(len(talk)))]
            piece = _cut(rng, clip, 0.6, 3.5) if r < 0.6 else _cut(rng, clip, 3.0, 12.0)
            reel.add(piece, REF_DBFS + float(rng.uniform(-4, 3)))
        reel.pause(float(rng.uniform(1.0, 2.5)) if rng.random() < 0.35 else float(rng.uniform(0.15, 0.8)))
    samples = reel.render()
    truth = {"key": key, "lang": lang, "split": split, "duration_s": len(samples) / RATE_HZ, "commands": [],
             "near_misses": near}
    return _save(name, cache, samples, truth)


def check_tools(lang: str) -> list[str]:
    """The synthesis programs the voices of ``lang`` need that are missing (names for apt-get)."""
    need = {v.family for s in VOICES[lang].values() for v in s}
    prog = {"espeak": ("espeak-ng", "espeak-ng"), "festival": ("text2wave", "festival festvox-kallpc16k "
            "festvox-kdlpc16k festvox-us-slt-hts"), "flite": ("flite", "flite")}
    return [prog[f][1] for f in sorted(need) if shutil.which(prog[f][0]) is None]


def clean_label(label: str) -> str:
    return re.sub(r"[^a-z0-9+_-]", "_", label.lower())
