"""Grade a run against a generated session's truth.

    python -m bench.score TRUTH JOURNAL [--json] [--window 3] [--collar 0]

TRUTH is a ``.truth.json`` written by the generator (testkit); JOURNAL is a
journal.jsonl or the session folder holding it. Prints speech detection, speaker and
command figures (see testkit/score.py for their exact definitions).
"""

from __future__ import annotations

import argparse
import json
import sys

from timekeeper.errors import TimekeeperError


def _fmt(x: object) -> str:
    return "-" if x is None else f"{x:.2f}" if isinstance(x, float) else str(x)


def render(s) -> str:  # s: testkit.score.Score
    sp, spk, c = s.speech, s.speakers, s.commands
    lines = [f"audio: {s.duration_s / 60:.1f} min", "",
             "speech detection",
             f"  true speech {sp.truth_s:.1f} s   detected {sp.detected_s:.1f} s",
             f"  missed {sp.missed_s:.1f} s ({sp.missed_pct:.1f} %)   false alarm {sp.false_alarm_s:.1f} s "
             f"({sp.false_alarm_pct:.1f} %)", "",
             "speakers",
             f"  identification error rate {spk.error_rate_pct:.1f} %  (miss {spk.miss_s:.1f} s, false alarm "
             f"{spk.false_alarm_s:.1f} s, confusion {spk.confusion_s:.1f} s of {spk.truth_s:.1f} s)",
             f"  with best mapping of unknown labels {spk.mapped_error_rate_pct:.1f} %  "
             f"mapping {spk.mapping or '{}'}",
             f"  {'person':<12}{'true s':>9}{'found s':>9}{'err s':>8}{'true %':>8}{'found %':>9}{'err pp':>8}  labels"]
    for p in spk.persons:
        lines.append(f"  {p.name:<12}{p.truth_s:>9.1f}{p.detected_s:>9.1f}{p.error_s:>8.1f}{p.truth_share_pct:>8.1f}"
                     f"{p.detected_share_pct:>9.1f}{p.error_pp:>8.1f}  {', '.join(p.labels)}")
    if spk.unmatched_labels:
        lines.append(f"  labels matching nobody: {spk.unmatched_labels}")
    lines += ["", "commands",
              f"  recall {c.recall_pct:.1f} % ({c.matched}/{c.truth_count})   accepted {c.accepted_count}   "
              f"rejected in a command's window {c.rejected_in_window}",
              f"  false accepts {c.false_accepts} ({c.false_accepts_per_hour:.1f} per hour; wrong command "
              f"{c.wrong_command}, on distractors {c.false_accepts_on_distractors})",
              f"  latency from end of command: median {_fmt(c.latency_median_s)} s, p95 {_fmt(c.latency_p95_s)} s"]
    if c.recall_by_command:
        lines.append("  recall by command: " + ", ".join(f"{k} {v:.0f} %" for k, v in c.recall_by_command.items()))
    for m in c.missed:
        lines.append(f"  missed: {m}")
    for f in c.false:
        lines.append(f"  false accept: {f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.score", description=__doc__.splitlines()[0])
    ap.add_argument("truth", help="the session's .truth.json")
    ap.add_argument("journal", help="journal.jsonl or the session folder")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--window", type=float, default=3.0, help="seconds after a command's end an event may come (3)")
    ap.add_argument("--collar", type=float, default=0.0, help="seconds ignored around true speech edges (0)")
    args = ap.parse_args(argv)
    from testkit.score import score
    from testkit.truth import Truth

    try:
        result = score(Truth.load(args.truth), args.journal, window_s=args.window, collar_s=args.collar)
    except TimekeeperError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
