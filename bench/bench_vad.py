"""Voice activity detection against the generator's truth: the energy detector and Silero VAD.

    python bench/bench_vad.py                  # tuning + test split, every condition, both detectors
    python bench/bench_vad.py --split test --vad "energy 0.4" --vad "silero 0.9/0.7 end 0.3" -v

Material (testkit, cached in bench/cache): real-voice conversation (librispeech-10 in ../shared)
with English commands spoken by espeak-ng voices, each said after 1-2 s of silence, the talk
going on 0.3-1.5 s after it; reverb 0.2-0.6 s; pink or babble noise at 20/15/10 dB. Voices are
split: the tuning sessions use talkers 1688 2033 2609 3080 367 and the TUNE_VOICES command
voices, the test sessions the five other talkers and TEST_VOICES. A detector setting is chosen
on the tuning split (most commands segmented as the listener needs them, then least missed +
false speech); the figures to quote are the test split's.

Figures, per condition and per voice:
- missed speech: share of true speech (the voiced extent of every clip, 10 ms frames) outside
  every segment; false speech: share of non-speech inside a segment, a collar of 0.25 s around
  each true boundary not counted (pre-roll, reverberation tails);
- each command as the listener sees it (ListenerConfig's limits): "ok" (one segment, of command
  length, after a pause), or why not: "no pause before", "too long" (joined to what came before:
  babble or talk), "joined to the talk after" (the talk resumed 0.3-1.5 s after the command, before
  the pause could end; the listener refuses that as speech around the command anyway), "too short",
  "split", "missed";
- boundary error of the command's segment: start and end minus the true ones (median, p90 |.|);
- CPU seconds per second of audio (process time of the detector alone).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from timekeeper.asr.listener import ListenerConfig  # noqa: E402
from timekeeper.audio.sources import open_source  # noqa: E402
from timekeeper.audio.vad import Vad  # noqa: E402

TALKERS = {"tune": ["1688", "2033", "2609", "3080", "367"], "test": ["1998", "2414", "3005", "3331", "533"]}
TUNE_VOICES = [("en-us+m3", 45, 160), ("en+f2", 60, 150), ("en-gb-scotland+m7", 40, 155), ("en-us+f4", 55, 170)]
TEST_VOICES = [("en+m1", 50, 165), ("en-us+f3", 65, 155), ("en-gb-x-rp+m5", 40, 170), ("en-029+f5", 55, 160)]
VOICES = {"tune": TUNE_VOICES, "test": TEST_VOICES}
CONDITIONS = [(noise, snr) for noise in ("pink", "babble") for snr in (20, 15, 10)]
COMMANDS = ("next", "previous", "goto 3", "pause", "resume", "time_left", "extend 2", "shorten 1", "repeat", "end")
N_COMMANDS = 24  # per session
COLLAR_S = 0.25

# Candidate settings, every value explicit ("energy 0.4": the detector as it shipped before).
def _silero(start: float, cont: float, resume: float | None = None, end: float = 0.4) -> dict:
    return {"engine": "silero", "start_p": start, "continue_p": cont, "resume_p": start if resume is None else resume,
            "end_silence_s": end}


SETTINGS: dict[str, dict] = {
    "energy 0.4": {"engine": "energy", "end_silence_s": 0.4},
    "energy 0.3": {"engine": "energy", "end_silence_s": 0.3},
    "silero 0.5/0.35": _silero(0.5, 0.35),  # Silero's own defaults
    "silero 0.4/0.25": _silero(0.4, 0.25),
    "silero 0.6/0.45": _silero(0.6, 0.45),
    "silero 0.7/0.5": _silero(0.7, 0.5),
    "silero 0.8/0.6": _silero(0.8, 0.6),
    "silero 0.9/0.7": _silero(0.9, 0.7),
    "silero 0.7/0.5 r0.9": _silero(0.7, 0.5, 0.9),
    "silero 0.7/0.5 end 0.3": _silero(0.7, 0.5, end=0.3),
    "silero 0.8/0.5 end 0.3": _silero(0.8, 0.5, end=0.3),
    "silero 0.8/0.6 end 0.3": _silero(0.8, 0.6, end=0.3),
    "silero 0.8/0.6 end 0.25": _silero(0.8, 0.6, end=0.25),
    "silero 0.85/0.65 end 0.3": _silero(0.85, 0.65, end=0.3),
    "silero 0.9/0.7 end 0.3": _silero(0.9, 0.7, end=0.3),  # chosen: timekeeper's default (VadConfig)
}


def script(split: str, noise: str, snr: int, seed: int = 0) -> dict:
    rng = np.random.default_rng([seed, 100, ["tune", "test"].index(split), ["pink", "babble"].index(noise), snr])
    talkers = [{"name": f"T{s}", "role": "consultant", "voice": f"librispeech:{s}"} for s in TALKERS[split]]
    voices = [{"name": f"V{i + 1} {v}", "role": "animateur", "voice": f"espeak:{v}", "pitch": p, "speed": sp}
              for i, (v, p, sp) in enumerate(VOICES[split])]
    turns: list[dict] = []
    last = ""
    for k in range(N_COMMANDS):
        for _ in range(int(rng.integers(1, 3))):  # one or two talk turns, then the command
            t = talkers[int(rng.integers(len(talkers)))]["name"]
            if t == last:
                continue
            turns.append({"speaker": t, "utterances": "librispeech:auto", "duration_s": round(float(rng.uniform(3, 9)), 2),
                          "gap_s": round(float(rng.uniform(0.3, 1.5)), 2)})
            last = t
        v = voices[k % len(voices)]["name"]
        turns.append({"speaker": v, "kind": "command", "command": COMMANDS[int(rng.integers(len(COMMANDS)))],
                      "gap_s": round(float(rng.uniform(1.0, 2.0)), 2), "level_db": round(float(rng.uniform(-4, 0)), 1)})
        last = v
        # the talk resumes 0.3-1.5 s after the command
        t = talkers[int(rng.integers(len(talkers)))]["name"]
        turns.append({"speaker": t, "utterances": "librispeech:auto", "duration_s": round(float(rng.uniform(3, 9)), 2),
                      "gap_s": round(float(rng.uniform(0.3, 1.5)), 2)})
        last = t
    rt60 = float(rng.choice([0.2, 0.3, 0.45, 0.6]))
    return {"session": {"name": f"vad-{split}-{noise}-{snr}", "lang": "en", "seed": 0, "rt60_s": rt60, "noise": noise,
                        "snr_db": float(snr), "voices_dir": "shared", "reuse_utterances": True},
            "participants": talkers + voices, "turns": turns}


def build(s: dict, cache: Path) -> dict:
    from testkit.generator import build_key, generate
    from testkit.script import load_script
    from testkit.truth import truth_path

    loaded = load_script(s)
    wav = cache / f"{s['session']['name']}.wav"
    tp = truth_path(wav)
    if not (wav.exists() and tp.exists() and json.loads(tp.read_text()).get("script_hash") == build_key(loaded)):
        generate(loaded, wav, seed=0)
    truth = json.loads(tp.read_text())
    truth["wav_path"] = str(wav)
    return truth


class _Replay:
    """Silero's probabilities for a WAV, computed once and replayed for every threshold setting."""

    def __init__(self, probs: list[float]) -> None:
        self.probs, self.i = probs, 0

    def reset(self) -> None:
        self.i = 0

    def process_samples(self, _samples) -> float:
        self.i += 1
        return self.probs[self.i - 1]


class _Record:
    def __init__(self, inner) -> None:
        self.inner, self.probs = inner, []

    def reset(self) -> None:
        self.inner.reset()

    def process_samples(self, samples) -> float:
        self.probs.append(self.inner.process_samples(samples))
        return self.probs[-1]


_FRAMES: dict[str, list] = {}
_PROBS: dict[str, list[float]] = {}
CPU: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # engine -> [CPU s, audio s], first pass only


def segments(wav: str, setting: dict) -> list:
    if wav not in _FRAMES:
        _FRAMES.clear()  # one WAV's frames at a time
        _FRAMES[wav] = list(open_source(wav).frames())
    frames = _FRAMES[wav]
    vad = Vad(**setting)
    engine = vad.engine
    probs_file = Path(wav).with_suffix(".silero.npy")  # Silero's output on this WAV, kept beside it
    if engine == "silero" and wav not in _PROBS and probs_file.exists() \
            and probs_file.stat().st_mtime >= Path(wav).stat().st_mtime:
        _PROBS[wav] = np.load(probs_file).tolist()
    if engine == "silero":
        if wav in _PROBS:
            vad._silero = _Replay(_PROBS[wav])
        else:
            vad._silero = rec = _Record(vad._silero)
    t0 = time.process_time()
    segs = [s for f in frames for s in vad.accept(f)] + vad.flush()
    if engine == "energy" or wav not in _PROBS:
        CPU[engine][0] += time.process_time() - t0
        CPU[engine][1] += frames[-1].end_s if frames else 0.0
    if engine == "silero" and wav not in _PROBS:
        _PROBS[wav] = rec.probs
        np.save(probs_file, np.array(rec.probs, dtype=np.float64))
    return segs


def command_outcome(c: dict, segs: list, cfg: ListenerConfig) -> tuple[str, float | None, float | None]:
    over = [i for i, s in enumerate(segs) if s.start_s < c["end_s"] and s.end_s > c["start_s"]]
    if not over:
        return "missed", None, None
    if len(over) > 1:
        return "split", None, None
    i = over[0]
    s = segs[i]
    errs = (s.start_s - c["start_s"], s.end_s - c["end_s"])
    if s.duration_s > cfg.max_duration_s:
        # the talk after it started before the pause could end: the listener refuses that anyway
        # ("speech around the command"), so it is counted apart from babble or talk before it
        after = s.start_s >= c["start_s"] - 0.5 and s.end_s > c["end_s"] + 0.5
        return ("joined to the talk after" if after else "too long"), *errs
    if s.duration_s < cfg.min_duration_s:
        return "too short", *errs
    if i > 0 and s.start_s - segs[i - 1].end_s < cfg.min_gap_before_s:
        return "no pause before", *errs
    return "ok", *errs


def score(truth: dict, segs: list) -> dict:
    n = int(truth["duration_s"] * 100) + 1
    det = np.zeros(n, dtype=bool)
    for s in segs:
        det[int(s.start_s * 100): int(np.ceil(s.end_s * 100))] = True
    true = np.zeros(n, dtype=bool)
    collar = np.zeros(n, dtype=bool)
    c = int(COLLAR_S * 100)
    per_speaker: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [true frames, missed frames]
    for t in truth["turns"]:
        a, b = int(round(t["start_s"] * 100)), int(round(t["end_s"] * 100))
        true[a:b] = True
        collar[max(0, a - c): a + c] = True
        collar[max(0, b - c): b + c] = True
        per_speaker[t["speaker"]][0] += b - a
        per_speaker[t["speaker"]][1] += int((~det[a:b]).sum())
    cfg = ListenerConfig()
    outcomes = [(c["speaker"], *command_outcome(c, segs, cfg)) for c in truth["commands"]]
    scored = ~true & ~collar
    return {"true": int(true.sum()), "missed": int((true & ~det).sum()), "nonspeech": int(scored.sum()),
            "false": int((det & scored).sum()), "speakers": dict(per_speaker), "commands": outcomes}


def merge(scores: list[dict]) -> dict:
    out = {"true": 0, "missed": 0, "nonspeech": 0, "false": 0, "speakers": defaultdict(lambda: [0, 0]), "commands": []}
    for s in scores:
        for k in ("true", "missed", "nonspeech", "false"):
            out[k] += s[k]
        for who, (t, m) in s["speakers"].items():
            out["speakers"][who][0] += t
            out["speakers"][who][1] += m
        out["commands"] += s["commands"]
    return out


def summary(s: dict) -> str:
    cmds = s["commands"]
    why = Counter(o for _, o, _, _ in cmds)
    ok = why.pop("ok", 0)
    starts = np.array([a for _, o, a, _ in cmds if a is not None])
    ends = np.array([b for _, o, _, b in cmds if b is not None])
    bound = (f"start {np.median(starts) * 1000:+.0f} ms (p90 |.| {np.percentile(np.abs(starts), 90) * 1000:.0f}), "
             f"end {np.median(ends) * 1000:+.0f} ms (p90 |.| {np.percentile(np.abs(ends), 90) * 1000:.0f})"
             if len(starts) else "no boundary")
    return (f"missed {100 * s['missed'] / max(1, s['true']):5.1f} %  false {100 * s['false'] / max(1, s['nonspeech']):5.1f} %  "
            f"commands ok {ok:3d}/{len(cmds)} = {100 * ok / max(1, len(cmds)):5.1f} %  "
            + (", ".join(f"{k} {v}" for k, v in why.most_common()) or "-") + f"  | {bound}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["tune", "test", "both"], default="both")
    ap.add_argument("--vad", action="append", help=f"settings to run (default all): {', '.join(SETTINGS)}")
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    ap.add_argument("-v", "--verbose", action="store_true", help="per voice too")
    args = ap.parse_args()
    names = args.vad or list(SETTINGS)
    splits = ["tune", "test"] if args.split == "both" else [args.split]
    truths = {(sp, nz, snr): build(script(sp, nz, snr), args.cache) for sp in splits for nz, snr in CONDITIONS}
    total_ok: dict[tuple[str, str], tuple[float, float]] = {}
    for split in splits:
        print(f"== {split} split: talkers {' '.join(TALKERS[split])}; command voices "
              f"{', '.join(v for v, _, _ in VOICES[split])}; {N_COMMANDS} commands per condition")
        per: dict[str, dict] = {name: {} for name in names}
        for nz, snr in CONDITIONS:  # condition by condition: one WAV in memory, Silero run once on it
            tr = truths[(split, nz, snr)]
            for name in names:
                per[name][(nz, snr)] = score(tr, segments(tr["wav_path"], SETTINGS[name]))
        for name in names:
            per_cond = per[name]
            allc = merge(list(per_cond.values()))
            print(f"-- {name}")
            for (nz, snr), s in per_cond.items():
                print(f"   {nz:6s} {snr:2d} dB  {summary(s)}")
            print(f"   all           {summary(allc)}")
            oks = sum(o == "ok" for _, o, _, _ in allc["commands"])
            total_ok[(split, name)] = (oks / len(allc["commands"]),
                                       -(allc["missed"] / allc["true"] + allc["false"] / allc["nonspeech"]))
            if args.verbose:
                for who, (t, m) in sorted(allc["speakers"].items()):
                    mine = [o for w, o, _, _ in allc["commands"] if w == who]
                    extra = f", commands ok {sum(o == 'ok' for o in mine)}/{len(mine)}" if mine else ""
                    print(f"     {who:28s} missed {100 * m / max(1, t):5.1f} %{extra}")
    for engine, (cpu, audio) in CPU.items():
        print(f"CPU {engine}: {1000 * cpu / audio:.1f} ms per second of audio ({audio / 60:.0f} min; "
              f"process time on a shared 2-core machine)")
    if "tune" in splits and len(names) > 1:
        best = max(names, key=lambda n: total_ok[("tune", n)])
        print(f"chosen on the tuning split: {best}")
        if "test" in splits:
            for n in dict.fromkeys(["energy 0.4", best]):
                if ("test", n) in total_ok:
                    print(f"  TEST split {n}: commands segmented for the listener {100 * total_ok[('test', n)][0]:.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
