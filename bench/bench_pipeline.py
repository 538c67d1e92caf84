"""The whole pipeline on the generator's 60-minute meeting: the same code as
`timekeeper run --input meeting.wav` (VAD, command listener, speaker tracker, speaking
rules, session, journal), timed with and without speaker identification, then graded
against the truth with the scorer.

    python -m bench.bench_pipeline [--preset meeting-60] [--voices DIR] [--live-s 120] [--in-process]

Prints the load average (other processes on the same cores slow every figure), replay speed
(x real time; ``--in-process`` also without the replay helper of audio/ahead.py), peak memory of
every process (this one, the phone-loop helper, the replay helper), the share of time speaker
identification adds, its CPU cost per second of audio, the scorer's speech / speaker / command figures, and the live case:
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
        object.__setattr__(self, "inner", inner)
        object.__setattr__(self, "cpu_s", 0.0)

    def __setattr__(self, name, value) -> None:
        if name == "cpu_s":
            object.__setattr__(self, name, value)
        else:
            setattr(self.inner, name, value)  # e.g. the replay helper's voice prints (audio/ahead.py)

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
    peaks: dict = {}
    close = stages.close

    def closing() -> None:  # the helper processes' peak memory, read before they go
        helper = getattr(getattr(stages.listener, "recognizer", None), "helper_peak_mb", None)
        peaks["phone-loop helper"] = helper() if helper else None
        close()
        peaks["replay helper (VAD, voice prints)"] = getattr(stages.vad, "helper_peak_mb", None)
    stages.close = closing
    t0, c0 = time.perf_counter(), _cpu_all()
    run_session(options, out=io.StringIO(), err=io.StringIO(), stages=stages, settings=settings,
                agenda=AGENDA)
    wall = time.perf_counter() - t0
    if timing is not None:
        timing.update(wall_s=wall, cpu_s=_cpu_all() - c0, load=os.getloadavg()[0], peaks=peaks,
                      vad=type(stages.vad).__name__,
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
    ap.add_argument("--in-process", action="store_true",
                    help="also time the replay with its VAD and voice prints in this process (no helper)")
    args = ap.parse_args()
    voices = args.voices or str(ROOT.parent / "shared" / "data" / "voices" / "librispeech-10")
    wav = presets.build(args.preset, args.cache, seed=0, voices_dir=voices)
    truth = Truth.load(truth_path(wav))
    profiles = [enroll_from_samples(n, read_int16(p))
                for n, p in sorted(truth.enrollment.items())]
    full: dict = {}
    live: dict = {}
    plain: dict = {}
    alone: dict = {}
    rss0_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        without = replay(wav, truth, profiles, Path(tmp) / "plain", speakers=False, timing=plain)
        with_ids = replay(wav, truth, profiles, Path(tmp) / "full", speakers=True, merge_gap_s=args.merge_gap,
                          timing=full)
        if args.in_process:
            os.environ["TIMEKEEPER_REPLAY_AHEAD"] = "0"
            replay(wav, truth, profiles, Path(tmp) / "alone", speakers=True, merge_gap_s=args.merge_gap, timing=alone)
            os.environ.pop("TIMEKEEPER_REPLAY_AHEAD")
        events = list(read_journal(Path(tmp) / "full").events)
        if args.live_s > 0:
            import wave

            stretch = Path(tmp) / "stretch.wav"
            with wave.open(str(wav), "rb") as r:  # the stretch alone: the whole meeting would weigh on the peak
                head, x = r.getparams(), r.readframes(int(args.live_s * r.getframerate()))
            with wave.open(str(stretch), "wb") as w:
                w.setparams(head)
                w.writeframes(x)
            replay(stretch, truth, profiles, Path(tmp) / "live", speakers=True, paced=True, timing=live)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    d = truth.duration_s
    print(f"{args.preset}: {d / 60:.1f} min of audio, {len(truth.participants)} people; {os.cpu_count()} cores, "
          f"load average {load0:.1f} at the start (above the core count, other processes share the cores: "
          f"the wall-clock figures are pessimistic)")
    print(f"pipeline without speaker identification: {without:.1f} s = {d / without:.0f}x real time "
          f"(CPU {plain['cpu_s']:.0f} s all processes; load {plain['load']:.1f})")
    print(f"pipeline with speaker identification:    {with_ids:.1f} s = {d / with_ids:.0f}x real time "
          f"(speaker identification adds {100 * (with_ids - without) / without:.0f} %; CPU {full['cpu_s']:.0f} s "
          f"all processes; load {full['load']:.1f}; VAD: {full['vad']})")
    if alone:
        print(f"  the same in one process (TIMEKEEPER_REPLAY_AHEAD=0): {alone['wall_s']:.1f} s = "
              f"{d / alone['wall_s']:.0f}x real time (CPU {alone['cpu_s']:.0f} s; load {alone['load']:.1f})")
    helpers = ", ".join(f"{k} {v:.0f} MB" if v else f"{k} n/a" for k, v in full["peaks"].items())
    print(f"peak memory (RSS): this process {rss_mb:.0f} MB ({rss0_mb:.0f} MB before the replays: the meeting's "
          f"truth, profiles{', and the generator when it had to build the meeting' if rss0_mb > 400 else ''}); "
          f"{helpers}; children's reported maximum {kids_mb:.0f} MB")
    spk = full["cpu_s"] - plain["cpu_s"]
    print(f"speaker identification: {spk:.1f} s CPU for {d / 60:.0f} min (all processes, with minus without) = "
          f"{spk / d * 1000:.1f} ms CPU per second of audio ({100 * spk / d:.1f} % of one core in real time); "
          f"in this process {full['tracker_cpu_s']:.1f} s (the voice prints are "
          f"{'computed by the replay helper' if full['vad'] == 'AheadVad' else 'computed here'})")
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
