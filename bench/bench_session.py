"""Replay a 3-hour session with a command every few seconds through the real pipeline
(session engine, journal on disk, phrasebook, recording announcer) and print events per
second and peak memory.

    python -m bench.bench_session [--hours 3] [--every 4]
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.clock import ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session

CHOICES = [Command(K.TIME_LEFT), Command(K.EXTEND, 1), Command(K.SHORTEN, 1), Command(K.PAUSE),
           Command(K.RESUME), Command(K.NEXT), Command(K.PREVIOUS), Command(K.GOTO, 3), Command(K.REPEAT)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hours", type=float, default=3.0)
    ap.add_argument("--every", type=float, default=4.0, help="seconds between commands")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    agenda = PRESETS["codev-120"].scaled(args.hours / 2.0)
    tracemalloc.start()
    with tempfile.TemporaryDirectory() as tmp:
        clock = ManualClock()
        journal = JournalWriter(Path(tmp), sync=False)
        pipeline = Pipeline(Session(agenda.plans("fr")), journal, RecordingAnnouncer(clock, "fr"), clock, lang="fr")
        t0 = time.perf_counter()
        pipeline.start(agenda, Settings(lang="fr"))
        end_s = args.hours * 3600
        t, next_command, commands = 0.0, args.every, 0
        while t < end_s:
            t = round(t + 0.25, 3)
            clock.set(t)
            if t >= next_command:
                command = rng.choice(CHOICES)
                if command.kind is K.NEXT and pipeline.status().phase_index == len(agenda.phases) - 1:
                    command = Command(K.PREVIOUS)
                pipeline.command(command, source="script")
                commands += 1
                next_command += args.every * rng.uniform(0.5, 1.5)
            pipeline.tick()
        pipeline.finish()
        journal.close()
        elapsed = time.perf_counter() - t0
        events = len(read_journal(Path(tmp)).events)
    _, peak_py = tracemalloc.get_traced_memory()
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"replayed {args.hours:g} h of session time: {commands} commands, {events} journaled events, "
          f"{int(end_s / 0.25)} ticks")
    print(f"wall time {elapsed:.2f} s  ({end_s / elapsed:,.0f}x real time)")
    print(f"events per second: {events / elapsed:,.0f}")
    print(f"peak memory: {peak_rss_mb:.0f} MB RSS, {peak_py / 1e6:.1f} MB Python heap")


if __name__ == "__main__":
    main()
