"""The whole pipeline on the generator's 60-minute meeting: the same code as
`timekeeper run --input meeting.wav` (VAD, command listener, speaker tracker, speaking
rules, session, journal), timed with and without speaker identification, then graded
against the truth with the scorer.

    python -m bench.bench_pipeline [--preset meeting-60] [--voices DIR]

Prints replay speed (x real time), peak memory, the share of time speaker
identification adds, and the scorer's speech / speaker / command figures.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from timekeeper.agenda import PRESETS  # noqa: E402
from timekeeper.config import ClockSettings, Settings  # noqa: E402
from timekeeper.events import Participant  # noqa: E402
from timekeeper.journal import read_journal  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
AGENDA = PRESETS["codev-60"]  # the session the meeting is replayed as; its phases are what "go to phase N" hears


def replay(wav: Path, truth, profiles, session_dir: Path, *, speakers: bool, merge_gap_s: float = 1.0) -> float:
    from timekeeper.runner import RunOptions, run_session
    from timekeeper.stages import build_stages

    people = tuple(Participant(p.name, p.role) for p in truth.participants)
    settings = Settings(lang="en", participants=people, clock=ClockSettings())
    settings = replace(settings, listen=replace(settings.listen, input=str(wav), engine="builtin"))
    stages = build_stages(settings, phases=AGENDA.numbers, speakers=speakers, profiles=profiles,
                          tracker_options={"merge_gap_s": merge_gap_s})
    options = RunOptions(no_view=True, no_tts=True, no_report=True, session_dir=str(session_dir), input=str(wav))
    t0 = time.perf_counter()
    run_session(options, out=io.StringIO(), err=io.StringIO(), stages=stages, settings=settings,
                agenda=AGENDA)
    return time.perf_counter() - t0


def main() -> None:
    import numpy as np

    from timekeeper.speakers.enroll import enroll_from_samples
    from testkit import presets
    from testkit.score import score
    from testkit.truth import Truth, truth_path
    from timekeeper.speakers.wavio import read_int16

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="meeting-60")
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    ap.add_argument("--merge-gap", type=float, default=1.0, help="tracker: pauses shorter than this join a turn")
    ap.add_argument("--voices", help="librispeech-10 folder (default: ../shared/data/voices/librispeech-10)")
    args = ap.parse_args()
    voices = args.voices or str(ROOT.parent / "shared" / "data" / "voices" / "librispeech-10")
    wav = presets.build(args.preset, args.cache, seed=0, voices_dir=voices)
    truth = Truth.load(truth_path(wav))
    profiles = [enroll_from_samples(n, read_int16(p))
                for n, p in sorted(truth.enrollment.items())]
    with tempfile.TemporaryDirectory() as tmp:
        without = replay(wav, truth, profiles, Path(tmp) / "plain", speakers=False)
        with_ids = replay(wav, truth, profiles, Path(tmp) / "full", speakers=True, merge_gap_s=args.merge_gap)
        events = list(read_journal(Path(tmp) / "full").events)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    d = truth.duration_s
    print(f"{args.preset}: {d / 60:.1f} min of audio, {len(truth.participants)} people")
    print(f"pipeline without speaker identification: {without:.1f} s = {d / without:.0f}x real time")
    print(f"pipeline with speaker identification:    {with_ids:.1f} s = {d / with_ids:.0f}x real time "
          f"(speaker identification adds {100 * (with_ids - without) / without:.0f} %)")
    print(f"peak memory: {rss_mb:.0f} MB RSS (+ the phone-loop helper process: bench_listen_speed prints it)")
    s = score(truth, events).to_dict()
    sp, sd, cm = s["speakers"], s["speech"], s["commands"]
    print(f"speech detection: missed {sd['missed_s']:.0f} s, false alarm {sd['false_alarm_s']:.0f} s "
          f"of {sd['truth_s']:.0f} s")
    errors = [abs(p["error_pp"]) for p in sp["persons"]]
    print(f"speaking share error: mean {np.mean(errors):.2f} pp, max {max(errors):.2f} pp; identification "
          f"error rate {sp['error_rate_pct']:.1f} % (miss {sp['miss_s']:.0f} s, false alarm "
          f"{sp['false_alarm_s']:.0f} s, confusion {sp['confusion_s']:.0f} s)")
    collared = score(truth, events, collar_s=0.25).to_dict()["speakers"]
    print(f"with the usual 0.25 s collar around truth turn edges: identification error rate "
          f"{collared['error_rate_pct']:.1f} % (miss {collared['miss_s']:.0f} s, false alarm "
          f"{collared['false_alarm_s']:.0f} s, confusion {collared['confusion_s']:.0f} s)")
    print(f"commands accepted in a meeting with none: {cm['accepted_count']} "
          f"({cm['false_accepts_per_hour']:.1f} per hour)")


if __name__ == "__main__":
    main()
