"""Render a session script to a 16 kHz mono WAV plus its ground truth.

Deterministic for a seed: the timeline, the room and the noise each draw from their
own seeded generator, and espeak renders are cached by content.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from timekeeper.audio.frames import RATE_HZ
from timekeeper.errors import ConfigError
from testkit import room
from testkit.phrases import command_parts, parse_command
from testkit.script import ParticipantSpec, Script, TurnSpec, load_script
from testkit.texts import ENROLLMENT
from testkit.truth import (Truth, TruthCommand, TruthParticipant, TruthSpan, TruthTurn,
                                    truth_path)
from testkit.voices import (SHARED_VOICES_DIR, TEST_VOICES_DIR, EspeakVoice, Recording,
                                     active_rms_db, librispeech_speaker, list_speakers, read_wav,
                                     trim, write_wav)

REF_DBFS = -26.0  # active speech level of a participant at level_db = 0, before the room
INTRA_PAUSE_S = (0.25, 0.6)  # between the utterances of one turn
GENERATOR_VERSION = 4  # bump when the same script would render differently (invalidates builds)


@dataclass(frozen=True, eq=False)
class Rendered:
    """The mix and its stems (after the peak-normalisation gain), the truth, enrollment audio."""

    samples: np.ndarray  # int16, what goes in the WAV
    speech: np.ndarray  # float32, reverberant speech only
    noise: np.ndarray  # float32, noise only
    truth: Truth
    enrollment: dict[str, np.ndarray]  # name -> int16 samples


@dataclass
class _Piece:
    turn_index: int
    speaker: str
    kind: str
    text: str
    source: str
    dry: np.ndarray  # normalised to REF_DBFS
    gain_db: float  # participant + turn level
    start: int = 0


def resolve_voices_dir(script: Script, voices_dir: str | Path | None = None) -> Path:
    """The folder of librispeech speaker folders: argument, script, else the test copy."""
    if voices_dir:
        return Path(voices_dir)
    if script.session.voices_dir:
        d = script.session.voices_dir
        if d == "shared":
            return SHARED_VOICES_DIR
        return (script.base_dir / d) if not Path(d).is_absolute() else Path(d)
    return TEST_VOICES_DIR


def _espeak(p: ParticipantSpec) -> EspeakVoice:
    voice = p.voice.split(":", 1)[1] if p.voice.startswith("espeak:") else p.voice
    return EspeakVoice(voice, p.pitch, p.speed)


def _voice_lang(p: ParticipantSpec, default: str) -> str:
    v = _espeak(p).voice.lower()
    return "fr" if v.startswith("fr") else "en" if v.startswith("en") else default


def _normalise(x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return x
    return (x * np.float32(10 ** ((REF_DBFS - active_rms_db(x)) / 20))).astype(np.float32)


class _Pool:
    """A recorded speaker's utterances: enrollment set aside first, then drawn for turns."""

    def __init__(self, name: str, recs: list[Recording], rng: np.random.Generator, reuse: bool) -> None:
        self.name, self.reuse = name, reuse
        self.order = [recs[i] for i in rng.permutation(len(recs))]
        self.by_id = {r.id: r for r in recs}
        self.enrolled: list[Recording] = []
        self.free = list(self.order)
        self.used: set[str] = set()

    def reserve_enrollment(self, seconds: float) -> list[Recording]:
        """Longest utterances first (few, long clips) until ``seconds`` are reached."""
        total = 0.0
        by_length = sorted(self.free, key=lambda r: -len(r.load()))
        while total < seconds and len(by_length) > 1:
            rec = by_length.pop(0)
            self.free.remove(rec)
            self.enrolled.append(rec)
            total += len(rec.load()) / RATE_HZ
        return self.enrolled

    def take_auto(self, duration_s: float, where: str) -> list[Recording]:
        chosen: list[Recording] = []
        need = duration_s
        while need > 1.0 or not chosen:
            if not self.free:
                if not self.reuse:
                    raise ConfigError(
                        f"{where}: {self.name} has no unused recording left ({len(self.used)} used, "
                        f"{len(self.enrolled)} kept for enrollment): lower duration_s or set session.reuse_utterances = true")
                self.free = [r for r in self.order if r not in self.enrolled]
            window = self.free[:4]
            best = min(window, key=lambda r: abs(len(r.load()) / RATE_HZ - need))
            self.free.remove(best)
            self.used.add(best.id)
            chosen.append(best)
            need -= len(best.load()) / RATE_HZ
        return chosen

    def take_ids(self, ids: tuple[str, ...], where: str) -> list[Recording]:
        out = []
        for i in ids:
            if i not in self.by_id:
                raise ConfigError(f"{where}: no utterance {i!r} for {self.name}: use one of {', '.join(sorted(self.by_id))}")
            if self.by_id[i] in self.enrolled:
                raise ConfigError(f"{where}: utterance {i!r} is kept for {self.name}'s enrollment: pick another")
            out.append(self.by_id[i])
            self.used.add(i)
            if self.by_id[i] in self.free:
                self.free.remove(self.by_id[i])
        return out


class _Builder:
    def __init__(self, script: Script, seed: int, voices_dir: Path) -> None:
        self.script, self.seed, self.voices_dir = script, seed, voices_dir
        self.rng = np.random.default_rng([seed, 0])
        self.pools: dict[str, _Pool] = {}
        for p in script.participants:
            if p.is_recorded:
                recs = librispeech_speaker(voices_dir, p.voice.split(":", 1)[1])
                self.pools[p.name] = _Pool(p.name, recs, np.random.default_rng([seed, 3, len(self.pools)]),
                                           script.session.reuse_utterances)

    # --- clips ---------------------------------------------------------------

    def enrollment_clips(self) -> dict[str, list[tuple[np.ndarray, str]]]:
        """name -> [(clip, source)], set aside before any turn draws from the pools."""
        s = self.script.session
        out: dict[str, list[tuple[np.ndarray, str]]] = {}
        if s.enroll_s <= 0:
            return out
        for k, p in enumerate(self.script.participants):
            if p.role == "announcer":
                continue
            if p.is_recorded:
                recs = self.pools[p.name].reserve_enrollment(s.enroll_s)
                out[p.name] = [(_normalise(r.load()), f"librispeech:{r.id}") for r in recs]
            else:
                lang, voice, clips, total = _voice_lang(p, s.lang), _espeak(p), [], 0.0
                bank = ENROLLMENT[lang]
                i = k
                while total < s.enroll_s:
                    clip = _normalise(voice.render(bank[i % len(bank)]))
                    clips.append((clip, f"{voice.label}:{bank[i % len(bank)]}"))
                    total += len(clip) / RATE_HZ
                    i += 1
                out[p.name] = clips
        return out

    def turn_pieces(self, i: int, t: TurnSpec) -> list[_Piece]:
        p = self.script.participant(t.speaker)
        where = f"turns[{i}]"
        gain = p.level_db + t.level_db

        def piece(x: np.ndarray, text: str, source: str) -> _Piece:
            if len(x) == 0:
                raise ConfigError(f"{where}: the audio is silent; give a clip with speech")
            return _Piece(i, t.speaker, t.kind, text, source, _normalise(x), gain)

        if t.kind == "command":
            lang = t.lang or self.script.session.lang
            voice = _espeak(p)
            if t.text:
                return [piece(voice.render(t.text), t.text, voice.label)]
            wake, body = command_parts(t.command, lang)
            pause = np.zeros(int(round(t.wake_pause_s * RATE_HZ)), dtype=np.float32)
            a, b = _normalise(voice.render(wake)), _normalise(voice.render(body))
            return [piece(np.concatenate([a, pause, b]), f"{wake} {body}", voice.label)]
        if t.text:
            voice = _espeak(p)
            return [piece(voice.render(t.text), t.text, voice.label)]
        if t.audio:
            path = Path(t.audio) if Path(t.audio).is_absolute() else self.script.base_dir / t.audio
            if not path.exists():
                raise ConfigError(f"{where}.audio: no file {path}; check the path (relative to the script)")
            return [piece(trim(read_wav(path)), "", f"file:{path.name}")]
        pool = self.pools[t.speaker]
        recs = (pool.take_auto(t.duration_s, where) if t.utterances == "librispeech:auto"
                else pool.take_ids(tuple(t.utterances), where))
        return [piece(r.load(), "", f"librispeech:{r.id}") for r in recs]

    # --- timeline ------------------------------------------------------------

    def place(self) -> list[_Piece]:
        s = self.script.session
        pieces: list[_Piece] = []
        lead = int(round(s.lead_in_s * RATE_HZ))
        prev_start = floor_end = lead
        for i, t in enumerate(self.script.turns):
            segs = self.turn_pieces(i, t)
            if t.overlap_s > 0 and pieces:
                start = max(prev_start, floor_end - int(round(t.overlap_s * RATE_HZ)))
            else:
                start = floor_end + int(round(t.gap_s * RATE_HZ))
            pos = start
            for j, seg in enumerate(segs):
                if j:
                    pos += int(round(self.rng.uniform(*INTRA_PAUSE_S) * RATE_HZ))
                seg.start = pos
                pos += len(seg.dry)
                pieces.append(seg)
            prev_start, floor_end = start, max(floor_end, pos)
        return pieces


def available_utterances(script: Script, seed: int, voices_dir: str | Path | None = None
                         ) -> dict[str, list[tuple[str, float]]]:
    """For each recorded participant, (utterance id, trimmed seconds) left after enrollment is
    set aside, in the order ``librispeech:auto`` would draw them. Lets a script use each once."""
    b = _Builder(script, seed, resolve_voices_dir(script, voices_dir))
    if script.session.enroll_s > 0:
        for pool in b.pools.values():
            pool.reserve_enrollment(script.session.enroll_s)
    return {name: [(r.id, len(r.load()) / RATE_HZ) for r in pool.free] for name, pool in b.pools.items()}


def build_key(script: Script, voices_dir: str | Path | None = None) -> str:
    """Identifies what a build depends on: the script's content and the voices folder."""
    import hashlib

    vdir = resolve_voices_dir(script, voices_dir).resolve()
    return hashlib.sha1(f"{GENERATOR_VERSION}|{script.digest()}|{vdir}".encode()).hexdigest()[:16]


def _overlaps(pieces: list[_Piece]) -> list[bool]:
    spans = [(p.start, p.start + len(p.dry), p.speaker) for p in pieces]
    flags = []
    for k, (a, b, who) in enumerate(spans):
        flags.append(any(a2 < b and a < b2 and w2 != who for j, (a2, b2, w2) in enumerate(spans) if j != k))
    return flags


def _babble_clips(script: Script, voices_dir: Path) -> list[np.ndarray]:
    names = {p.voice.split(":", 1)[1] for p in script.participants if p.is_recorded}
    speakers = list_speakers(voices_dir)
    others = [s for s in speakers if s not in names] or speakers
    clips = [r.load() for s in others for r in librispeech_speaker(voices_dir, s)][:40]
    if not clips:
        from testkit.texts import TALK

        voice = EspeakVoice("en+m1")
        clips = [voice.render(text) for text in TALK["en"][:12]]
    return clips


def _noise(script: Script, rng: np.random.Generator, n: int, voices_dir: Path) -> np.ndarray:
    kind = script.session.noise
    if kind in ("pink", "brown"):
        return room.steady_noise(rng, n, kind)
    if kind == "babble":
        return room.babble(rng, n, _babble_clips(script, voices_dir))
    if kind == "pink+babble":
        mix = room.steady_noise(rng, n, "pink") + room.babble(rng, n, _babble_clips(script, voices_dir))
        return (mix / np.float32(np.sqrt(2.0))).astype(np.float32)
    return np.zeros(n, dtype=np.float32)


def _mix(script: Script, placed: list[tuple[int, np.ndarray, float, str]], n: int, active: np.ndarray,
         tails: dict[str, np.ndarray], noise_rng: np.random.Generator, voices_dir: Path
         ) -> tuple[np.ndarray, np.ndarray, float | None, float]:
    """Sum the clips through the room, add noise at the SNR, normalise. Returns (speech, noise, snr, gain_db)."""
    s = script.session
    speech = np.zeros(n, dtype=np.float32)
    for start, dry, gain_db, who in placed:
        wet = room.reverberate(dry, tails[who], 10 ** (gain_db / 20))
        k = min(len(wet), n - start)
        speech[start : start + k] += wet[:k]
    noise = np.zeros(n, dtype=np.float32)
    measured = None
    if s.noise != "none" and s.snr_db is not None:
        noise = room.scale_noise(speech, _noise(script, noise_rng, n, voices_dir), active, s.snr_db)
        measured = round(room.snr_db(speech, noise, active), 3)
    _, gain_db = room.peak_normalise(speech + noise)
    g = np.float32(10 ** (gain_db / 20))
    return speech * g, noise * g, measured, gain_db


def _slug(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "voice"


def render(script: Script | str | Path | dict[str, Any], seed: int | None = None,
           voices_dir: str | Path | None = None) -> Rendered:
    """Build the session in memory (see ``generate`` to write it)."""
    if not isinstance(script, Script):
        script = load_script(script)
    seed = script.session.seed if seed is None else int(seed)
    vdir = resolve_voices_dir(script, voices_dir)
    s = script.session
    b = _Builder(script, seed, vdir)
    enroll_clips = b.enrollment_clips()
    pieces = b.place()
    room_rng = np.random.default_rng([seed, 2])
    tails = {p.name: room.room_impulse(room_rng, s.rt60_s) for p in script.participants}
    tail_len = max((len(t) for t in tails.values()), default=0)
    end = max(p.start + len(p.dry) for p in pieces)
    n = end + int(round(s.tail_s * RATE_HZ)) + tail_len
    active = np.zeros(n, dtype=bool)
    for p in pieces:
        active[p.start : p.start + len(p.dry)] = True
    placed = [(p.start, p.dry, p.gain_db, p.speaker) for p in pieces]
    speech, noise, measured, gain_db = _mix(script, placed, n, active, tails, np.random.default_rng([seed, 1]), vdir)
    samples = room.to_int16(speech + noise)

    enrollment: dict[str, np.ndarray] = {}
    for k, (name, clips) in enumerate(enroll_clips.items()):
        pause = int(0.5 * RATE_HZ)
        pos, placed_e = int(0.3 * RATE_HZ), []
        for c, _ in clips:
            placed_e.append((pos, c, script.participant(name).level_db, name))
            pos += len(c) + pause
        ne = pos + tail_len
        act = np.zeros(ne, dtype=bool)
        for st, c, _, _ in placed_e:
            act[st : st + len(c)] = True
        sp, no, _, _ = _mix(script, placed_e, ne, act, tails, np.random.default_rng([seed, 4, k]), vdir)
        enrollment[name] = room.to_int16(sp + no)

    flags = _overlaps(pieces)
    turns, commands, distractors, announcer = [], [], [], []
    for p, ov in zip(pieces, flags):
        a, z = p.start / RATE_HZ, (p.start + len(p.dry)) / RATE_HZ
        turns.append(TruthTurn(p.speaker, a, z, ov, p.kind, p.text, p.source, p.turn_index))
        t = script.turns[p.turn_index]
        if p.kind == "command":
            cmd = str(parse_command(t.command))
            commands.append(TruthCommand(p.speaker, p.text, cmd, t.lang or s.lang, a, z))
        elif p.kind == "distractor":
            distractors.append(TruthSpan(p.text, a, z))
        elif p.kind == "announcer":
            announcer.append(TruthSpan(p.text, a, z))
    participants = tuple(
        TruthParticipant(p.name, p.role, p.voice if p.is_recorded else _espeak(p).label) for p in script.participants
    )
    truth = Truth(
        wav="", duration_s=n / RATE_HZ, rate_hz=RATE_HZ, seed=seed, lang=s.lang, participants=participants,
        turns=tuple(turns), commands=tuple(commands), distractors=tuple(distractors), announcer=tuple(announcer),
        snr_db=s.snr_db if s.noise != "none" else None, measured_snr_db=measured, rt60_s=s.rt60_s, noise=s.noise,
        gain_db=round(gain_db, 3), name=s.name,
        enrollment_sources={name: [src for _, src in clips] for name, clips in enroll_clips.items()}, script_hash=build_key(script, voices_dir),
    )
    return Rendered(samples, speech, noise, truth, enrollment)


def generate(script: Script | str | Path | dict[str, Any], out_wav: str | Path, seed: int | None = None,
             voices_dir: str | Path | None = None) -> Truth:
    """Write ``out_wav`` (16 kHz mono int16), ``<stem>.truth.json`` and, when the script asks
    for enrollment, ``<stem>.enroll-<name>.wav`` per participant. Returns the truth with
    absolute paths (the file keeps them relative to its folder)."""
    out_wav = Path(out_wav)
    r = render(script, seed, voices_dir)
    write_wav(out_wav, r.samples)
    enroll = {}
    for name, samples in r.enrollment.items():
        path = out_wav.with_name(f"{out_wav.stem}.enroll-{_slug(name)}.wav")
        write_wav(path, samples)
        enroll[name] = path.name
    truth = dataclasses.replace(r.truth, wav=out_wav.name, enrollment=enroll)
    tp = truth_path(out_wav)
    truth.save(tp)
    return Truth.load(tp)
