"""The whole pipeline on the generator's 60-minute meeting: the same code as
`timekeeper run --input meeting.wav` (VAD, command listener, speaker tracker, speaking
rules, session, journal), timed with and without speaker identification, then graded
against the truth with the scorer.

    python -m bench.bench_pipeline [--preset meeting-60] [--voices DIR] [--live-s 120]

Prints replay speed (x real time), peak memory of every process (this one and the
phone-loop helper it starts), the share of time speaker identification adds, its CPU cost
per second of audio, the scorer's speech / speaker / command figures, and the live case:
a stretch of the meeting (``--live-s``, 120 s by default) fed at real-time pace through
the same pipeline, with the average CPU use of one core (all processes).
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


class TimedTracker:
    """The speaker tracker, with the CPU time its calls take (process time of this thread)."""

    def __init__(self, inner) -> None:
        self.inner, self.cpu_s = inner, 0.0

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name not in ("accept", "flush", "pending"):
            return attr

        def timed(*a, **kw):
            t0 = time.thread_time()
            try:
                return attr(*a, **kw)
            finally:
                self.cpu_s += time.thread_time() - t0
        return timed


class PacedSource:
    """A WAV replay whose frames arrive no faster than real time (the live case)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.realtime = False  # the audio's own clock: the same events as the replay
        self.name = inner.name

    def frames(self):
        t0 = time.perf_counter()
        for frame in self.inner.frames():
            wait = frame.end_s - (time.perf_counter() - t0)
            if wait > 0:
                time.sleep(wait)
            yield frame

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _cpu_all() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def replay(wav: Path, truth, profiles, session_dir: Path, *, speakers: bool, merge_gap_s: float = 1.0,
           paced: bool = False, timing: dict | None = None) -> float:
    from timekeeper.runner import RunOptions, run_session
    from timekeeper.stages import build_stages

    people = tuple(Participant(p.name, p.role) for p in truth.participants)
    settings = Settings(lang="en", participants=people, clock=ClockSettings())
    settings = replace(settings, listen=replace(settings.listen, input=str(wav), engine="builtin"))
    stages = build_stages(settings, phases=AGENDA.numbers, speakers=speakers, profiles=profiles,
                          tracker_options={"merge_gap_s": merge_gap_s})
    if stages.tracker is not None:
        stages.tracker = TimedTracker(stages.tracker)
    if paced:
        stages.source = PacedSource(stages.source)
    options = RunOptions(no_view=True, no_tts=True, no_report=True, session_dir=str(session_dir), input=str(wav))
    t0, c0 = time.perf_counter(), _cpu_all()
    run_session(options, out=io.StringIO(), err=io.StringIO(), stages=stages, settings=settings,
                agenda=AGENDA)
    wall = time.perf_counter() - t0
    if timing is not None:
        timing.update(wall_s=wall, cpu_s=_cpu_all() - c0,
                      tracker_cpu_s=stages.tracker.cpu_s if isinstance(stages.tracker, TimedTracker) else 0.0)
    return wall


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
    ap.add_argument("--live-s", type=float, default=120.0, help="seconds of the meeting fed at real-time pace")
    args = ap.parse_args()
    voices = args.voices or str(ROOT.parent / "shared" / "data" / "voices" / "librispeech-10")
    wav = presets.build(args.preset, args.cache, seed=0, voices_dir=voices)
    truth = Truth.load(truth_path(wav))
    profiles = [enroll_from_samples(n, read_int16(p))
                for n, p in sorted(truth.enrollment.items())]
    full: dict = {}
    live: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        without = replay(wav, truth, profiles, Path(tmp) / "plain", speakers=False)
        with_ids = replay(wav, truth, profiles, Path(tmp) / "full", speakers=True, merge_gap_s=args.merge_gap,
                          timing=full)
        events = list(read_journal(Path(tmp) / "full").events)
        if args.live_s > 0:
            import wave

            stretch = Path(tmp) / "stretch.wav"
            x = read_int16(wav)[: int(args.live_s * 16000)]
            with wave.open(str(stretch), "wb") as w:
                w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
                w.writeframes(x.tobytes())
            replay(stretch, truth, profiles, Path(tmp) / "live", speakers=True, paced=True, timing=live)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    d = truth.duration_s
    print(f"{args.preset}: {d / 60:.1f} min of audio, {len(truth.participants)} people")
    print(f"pipeline without speaker identification: {without:.1f} s = {d / without:.0f}x real time")
    print(f"pipeline with speaker identification:    {with_ids:.1f} s = {d / with_ids:.0f}x real time "
          f"(speaker identification adds {100 * (with_ids - without) / without:.0f} %)")
    print(f"peak memory: this process {rss_mb:.0f} MB RSS (with the meeting's audio in memory, and the generator's "
          f"when it had to build it: run again for the replay alone); the phone-loop helper process: "
          f"bench_listen_speed prints its own peak (RUSAGE_CHILDREN here would be its fork-time copy, {kids_mb:.0f} MB)")
    print(f"speaker identification: {full['tracker_cpu_s']:.1f} s CPU for {d / 60:.0f} min = "
          f"{full['tracker_cpu_s'] / d * 1000:.1f} ms CPU per second of audio "
          f"({100 * full['tracker_cpu_s'] / d:.1f} % of one core in real time)")
    if live:
        print(f"live case: {args.live_s:.0f} s of the meeting fed at real-time pace ({live['wall_s']:.0f} s wall): "
              f"{100 * live['cpu_s'] / live['wall_s']:.1f} % of one core on average (all processes), "
              f"speaker identification {100 * live['tracker_cpu_s'] / live['wall_s']:.1f} %")
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
