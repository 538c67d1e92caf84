"""Speaker identification figures on simulated room meetings of real voices.

Usage: python bench/bench_speakers.py [--minutes 60] [--seed 1] [--quick]

Prints, for an 8-person meeting (librispeech-10 voices, each through their own seat:
reverb + distance, pink noise at 15 dB SNR; 30 s of enrollment each, through the same
room, never used in the meeting):
- per-person speaking-share error (percentage points), mean and max;
- identification error rate: share of the time that is speech in the truth and in a
  segment which goes to the wrong person or to "unknown" (time the segmenter missed is
  printed apart: the truth counts pauses inside utterances as speech);
- an accuracy-versus-enrollment-length table (5, 10, 20, 30 s);
- the same figures on a shorter meeting in which no utterance is used twice;
- an unknown (not enrolled) voice: how much of its speech went to a "Voice N";
- compute time per audio hour.
Speech segments come from timekeeper.audio.vad when available, else from a simple
energy detector (bench/speakers_sim.energy_segments).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# small matrix products per segment: BLAS threads only add spin-up cost (measured 4x slower
# with the default threads on 2 busy cores); the pipeline should set this too
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import speakers_sim as S  # noqa: E402

from timekeeper.audio.frames import Segment  # noqa: E402
from timekeeper.speakers.enroll import enroll_from_samples  # noqa: E402
from timekeeper.speakers.identify import SpeakerTracker, Turn  # noqa: E402

VOICES = Path("/work/shared/data/voices/librispeech-10")
GRID_S = 0.01


def segments_of(x: np.ndarray) -> list[Segment]:
    xi = S.to_int16(x)
    return [
        Segment(a, b, xi[int(a * S.RATE) : int(b * S.RATE)]) for a, b in S.energy_segments(x)
    ]


WALL: list[float] = []  # wall-clock seconds of the last run_tracker call


def run_tracker(profiles, segs: list[Segment], **kw) -> tuple[list[Turn], float]:
    """Turns and CPU seconds (all threads) of one tracker over the segments."""
    t0, w0 = time.process_time(), time.perf_counter()
    tr = SpeakerTracker(profiles, **kw)
    turns: list[Turn] = []
    for s in segs:
        turns += tr.accept(s)
    turns += tr.flush()
    WALL[:] = [time.perf_counter() - w0]
    return turns, time.process_time() - t0


def grid(turns, length_s: float, names: list[str]) -> np.ndarray:
    """Label per 10 ms cell: index in names, -1 for nobody, -2 for an unlisted name."""
    g = np.full(int(length_s / GRID_S) + 1, -1, int)
    for t in turns:
        k = names.index(t.speaker) if t.speaker in names else -2
        g[int(t.start_s / GRID_S) : int(t.end_s / GRID_S)] = k
    return g


def score(truth, turns, length_s: float, names: list[str]) -> dict:
    gt = grid(truth, length_s, names)
    gh = grid(turns, length_s, names)
    both = (gt >= 0) & (gh != -1)
    err = float(np.mean(gh[both] != gt[both]))
    missed = float(np.mean(gh[gt >= 0] == -1))
    true_share = np.array([np.sum(gt == k) for k in range(len(names))], float)
    true_share /= true_share.sum()
    hyp_time = np.array([sum(t.end_s - t.start_s for t in turns if t.speaker == n) for n in names])
    total_hyp = sum(t.end_s - t.start_s for t in turns)
    hyp_share = hyp_time / max(total_hyp, 1e-9)
    share_err = np.abs(hyp_share - true_share) * 100
    return {"id_err": err, "missed": missed, "share_mean": float(share_err.mean()), "share_max": float(share_err.max())}


def setup(rng, names, enroll_s=30.0, snr_db=15.0):
    voices = S.load_voices(VOICES)
    seats = {n: S.make_seat(rng) for n in voices}
    enroll_audio, rest = {}, {}
    for n in voices:
        a, used = S.enrollment_audio(voices[n], seats[n], 30.0, rng, snr_db)
        enroll_audio[n] = a
        rest[n] = voices[n][used:]
    return voices, seats, enroll_audio, rest


def profiles_for(names, enroll_audio, seconds: float):
    out = []
    for n in names:
        a = enroll_audio[n]
        # keep the first `seconds` of speech (plus its pauses): enrollment audio has 0.5 s gaps
        out.append(enroll_from_samples(n, S.to_int16(a[: int((seconds + seconds / 6) * S.RATE)]), min_speech_s=min(seconds * 0.6, 10)))
    return out


def sim_main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="skip the enrollment-length table")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    all_names = sorted(p.name for p in VOICES.iterdir() if p.is_dir())
    names = [n for n in all_names if n not in ("367", "3331")][:8]
    voices, seats, enroll_audio, rest = setup(rng, names)
    print(f"# speakers: {', '.join(names)} (enrolled 30 s each, through their seat, 15 dB SNR)")

    t0 = time.process_time()
    profiles = profiles_for(names, enroll_audio, 30.0)
    print(f"enrollment compute: {time.process_time() - t0:.1f} s for {len(names)} people")

    x, truth = S.build_meeting({n: rest[n] for n in names}, seats, args.minutes * 60, rng)
    length_s = len(x) / S.RATE
    t0 = time.process_time()
    segs = segments_of(x)
    seg_cpu = time.process_time() - t0
    turns, cpu = run_tracker(profiles, segs)
    r = score(truth, turns, length_s, names)
    print(f"\n## {args.minutes:g}-minute meeting, utterances reused ({len(segs)} segments, {len(turns)} turns)")
    print(f"speaking-share error: mean {r['share_mean']:.2f} pp, max {r['share_max']:.2f} pp")
    print(f"identification error rate: {r['id_err'] * 100:.1f} % of the speech time found by the segmenter "
          f"(true speech time not in any segment: {r['missed'] * 100:.1f} %, pauses inside utterances included)")
    print(f"compute: tracker {cpu:.1f} s CPU for {length_s / 60:.1f} min "
          f"= {cpu / (length_s / 3600):.1f} s per audio hour (energy segmenter: {seg_cpu:.1f} s)")
    voices_found = sorted({t.speaker for t in turns} - set(names))
    print(f"labels outside the enrolled set: {voices_found or 'none'}")

    # a shorter meeting in which no utterance is used twice
    rng2 = np.random.default_rng(args.seed + 100)
    x2, truth2 = S.build_meeting({n: rest[n] for n in names}, seats, 1e9, rng2, reuse=False)
    segs2 = segments_of(x2)
    turns2, cpu2 = run_tracker(profiles, segs2)
    r2 = score(truth2, turns2, len(x2) / S.RATE, names)
    print(f"\n## {len(x2) / S.RATE / 60:.1f}-minute meeting, no utterance used twice")
    print(f"speaking-share error: mean {r2['share_mean']:.2f} pp, max {r2['share_max']:.2f} pp")
    print(f"identification error rate: {r2['id_err'] * 100:.1f} %")

    # an unknown voice joins: 7 enrolled + one not enrolled
    unk = "367"
    names3 = names[:7]
    sub = {n: rest[n] for n in names3}
    sub[unk] = voices[unk]
    rng3 = np.random.default_rng(args.seed + 200)
    x3, truth3 = S.build_meeting(sub, seats, 1e9, rng3, reuse=False)
    turns3, _ = run_tracker([p for p in profiles if p.name in names3], segments_of(x3))
    unk_time = sum(t.end_s - t.start_s for t in truth3 if t.speaker == unk)
    g_t = grid(truth3, len(x3) / S.RATE, [unk])
    got: dict[str, float] = {}
    for t in turns3:
        a, b = int(t.start_s / GRID_S), int(t.end_s / GRID_S)
        got[t.speaker] = got.get(t.speaker, 0.0) + float(np.sum(g_t[a:b] == 0)) * GRID_S
    top = sorted(got.items(), key=lambda kv: -kv[1])[:3]
    print(f"\n## unknown voice {unk} ({unk_time:.0f} s) among 7 enrolled: its speech went to "
          + ", ".join(f"{k} {v / unk_time * 100:.0f} %" for k, v in top))
    r3 = score(truth3, [Turn(names3[0] if False else t.speaker, t.start_s, t.end_s, t.score) for t in turns3],
               len(x3) / S.RATE, names3)
    print(f"enrolled people in that meeting: identification error {r3['id_err'] * 100:.1f} %")

    if not args.quick:
        print("\n## accuracy vs enrollment length (same meetings)")
        print("| enrollment | 60-min ID error | share err mean/max (pp) | no-reuse ID error | share err mean/max |")
        print("|---|---|---|---|---|")
        for secs in (5, 10, 20, 30):
            profs = profiles_for(names, enroll_audio, float(secs))
            ta, _ = run_tracker(profs, segs)
            tb, _ = run_tracker(profs, segs2)
            ra = score(truth, ta, length_s, names)
            rb = score(truth2, tb, len(x2) / S.RATE, names)
            print(f"| {secs} s | {ra['id_err'] * 100:.1f} % | {ra['share_mean']:.2f} / {ra['share_max']:.2f} "
                  f"| {rb['id_err'] * 100:.1f} % | {rb['share_mean']:.2f} / {rb['share_max']:.2f} |")
    return 0


# --- the generator's sessions (testkit) ------------------------------------

CACHE = Path(__file__).resolve().parent / "cache"


def vad_segments(x_int16: np.ndarray) -> tuple[list[Segment], float]:
    """Speech segments from the shared VAD over 30 ms frames; returns them and CPU seconds."""
    from timekeeper.audio.frames import Frame
    from timekeeper.audio.vad import Vad

    t0 = time.process_time()
    vad = Vad()
    segs: list[Segment] = []
    hop = 480
    for i in range(0, len(x_int16), hop):
        segs += vad.accept(Frame(i, x_int16[i : i + hop]))
    segs += vad.flush()
    return segs, time.process_time() - t0


def read_int16(path: str | Path) -> np.ndarray:
    import wave

    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy()


def synth_profiles(truth, seconds: float | None = None) -> list:
    """Profiles from the generator's enrollment WAVs (about 30 s of room recording each),
    or from their first ``seconds`` of recording."""
    from timekeeper.speakers.enroll import enroll_from_samples

    out = []
    for name, path in sorted(truth.enrollment.items()):
        x = read_int16(path)
        if seconds is not None:
            x = x[: int(seconds * S.RATE)]
        out.append(enroll_from_samples(name, x, min_speech_s=0.5))
    return out


def synth_score(truth, turns: list[Turn]):
    from timekeeper.events import SpeakerTurn
    from testkit.score import score_speakers

    events = [SpeakerTurn(t_s=t.end_s, speaker=t.speaker, start_s=t.start_s, end_s=t.end_s, score=t.score) for t in turns]
    return score_speakers(truth, events)


def show(sc, label: str) -> tuple[float, float]:
    errs = [abs(p.error_pp) for p in sc.persons]
    mean, mx = float(np.mean(errs)), float(np.max(errs))
    conf_rate = 100 * sc.confusion_s / max(sc.truth_s - sc.miss_s, 1e-9)
    print(f"{label}: speaking-share error mean {mean:.2f} pp, max {mx:.2f} pp; "
          f"identification error {conf_rate:.1f} % of detected speech (confusion {sc.confusion_s:.0f} s); "
          f"DER-style total {sc.error_rate_pct:.1f} % (miss {sc.miss_s:.0f} s, false alarm {sc.false_alarm_s:.0f} s, "
          f"of {sc.truth_s:.0f} s)")
    return mean, mx


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="skip the enrollment-length table")
    ap.add_argument("--no-sim", action="store_true", help="skip the unknown-voice part (own room sim)")
    args = ap.parse_args(argv)
    from testkit import presets

    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}")
    results = {}
    for name in ("meeting-60", "meeting-short"):
        truth = presets.load(name, CACHE, seed=args.seed)
        x = read_int16(truth.wav)
        dur_h = len(x) / S.RATE / 3600
        segs, vad_cpu = vad_segments(x)
        t0 = time.process_time()
        profiles = synth_profiles(truth)
        enr_cpu = time.process_time() - t0
        turns, cpu = run_tracker(profiles, segs)
        print(f"\n## {name}: {dur_h * 60:.1f} min, {len(truth.speakers())} people, "
              f"{len(segs)} VAD segments, {len(turns)} turns, rt60 {truth.rt60_s} s, SNR {truth.snr_db} dB")
        sc = synth_score(truth, turns)
        show(sc, "30 s enrollment")
        for p in sc.persons:
            print(f"  {p.name:<9} truth {p.truth_share_pct:5.1f} %  detected {p.detected_share_pct:5.1f} %  "
                  f"error {p.error_pp:+.2f} pp  labels {', '.join(p.labels)}")
        if sc.unmatched_labels:
            print(f"  other labels: {sc.unmatched_labels}")
        print(f"compute: speaker ID {cpu:.1f} s CPU ({WALL[0]:.1f} s wall) = {cpu / dur_h:.1f} s CPU per audio hour "
              f"(VAD {vad_cpu:.1f} s, enrollment of {len(profiles)} people {enr_cpu:.1f} s)")
        results[name] = (truth, segs)

    if not args.quick:
        print("\n## accuracy vs enrollment length (seconds of enrollment recording per person; "
              "clear speech in brackets; the CLI refuses under 10 s of clear speech)")
        print("| enrollment | meeting-60 ID error | share err mean / max | closed-set ID error | "
              "meeting-short ID error | share err mean / max | closed-set ID error |")
        print("|---|---|---|---|---|---|---|")
        for secs in (5.0, 10.0, 20.0, 30.0):
            row = [f"{secs:g} s"]
            for name in ("meeting-60", "meeting-short"):
                truth, segs = results[name]
                profs = synth_profiles(truth, secs)
                clear = np.mean([p.speech_s for p in profs])
                row[0] = f"{secs:g} s ({clear:.1f} s)"
                turns, _ = run_tracker(profs, segs)
                sc = synth_score(truth, turns)
                errs = [abs(p.error_pp) for p in sc.persons]
                conf_rate = 100 * sc.confusion_s / max(sc.truth_s - sc.miss_s, 1e-9)
                closed, _ = run_tracker(profs, segs, cluster_unknown=False, reject=-1e9)
                scc = synth_score(truth, closed)
                closed_rate = 100 * scc.confusion_s / max(scc.truth_s - scc.miss_s, 1e-9)
                row += [f"{conf_rate:.1f} %", f"{np.mean(errs):.2f} / {np.max(errs):.2f} pp", f"{closed_rate:.1f} %"]
            print("| " + " | ".join(row) + " |")
    print("\n## a person who is not enrolled (meeting-60, 7 profiles): where their speech went")
    truth, segs = results["meeting-60"]
    profiles = synth_profiles(truth)
    for absent in ("Chris", "Ethan", "Fiona"):
        turns, _ = run_tracker([p for p in profiles if p.name != absent], segs)
        sc = synth_score(truth, turns)
        spans = [(t.start_s, t.end_s) for t in truth.speech_turns() if t.speaker == absent]
        got: dict[str, float] = {}
        for t in turns:
            for a, b in spans:
                o = min(b, t.end_s) - max(a, t.start_s)
                if o > 0:
                    got[t.speaker] = got.get(t.speaker, 0.0) + o
        tot = sum(got.values())
        top = sorted(got.items(), key=lambda kv: -kv[1])[:4]
        others = [abs(p.error_pp) for p in sc.persons if p.name != absent]
        print(f"{absent} absent: " + ", ".join(f"{k} {v / tot * 100:.0f} %" for k, v in top)
              + f"; the 7 enrolled: share error mean {np.mean(others):.2f} pp, max {np.max(others):.2f} pp")
    if not args.no_sim:
        print("\n## own room simulation (bench/speakers_sim.py): unknown voice")
        sim_main(["--minutes", "10", "--quick"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
