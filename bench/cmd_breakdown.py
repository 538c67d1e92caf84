"""Where the command bench's losses come from (printed by bench/bench_commands.py).

- misses by reason (the listener's refusal, or the pre-filter that skipped the segment), per SNR
  and per voice family;
- wrong and false commands: which checks let each one through, i.e. for every check, how many of
  them its strictest swept value would have refused, and what that costs in obeyed commands.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict

# refusal texts -> one short key ("fits a command poorly (phone-loop ratio -0.031 < -0.025)" -> "fits poorly")
_KEYS = (
    ("skipped: no pause before", "skipped: no pause before"), ("skipped: segment too long", "skipped: too long"),
    ("skipped: too short", "skipped: too short"), ("fits a command poorly", "fits poorly"),
    ("too close to another command", "margin"), ("number unclear", "number check"),
    ("wake phrase", "wake length"), ("too fast", "rate"),
    ("speech around", "speech outside"), ("not a command phrase", "not a command phrase"),
    ("nothing recognised", "nothing recognised"), ("no speech segment", "no speech segment"),
    ("free decoding", "free decoding"), ("no speech under the command", "command speech"), ("low confidence", "low confidence"),
)


def reason_key(reason: str) -> str:
    for part, key in (("pause after the wake phrase", "wake pause"), ("pause inside", "pause inside")):
        if part in reason:
            return key
    for prefix, key in _KEYS:
        if reason.startswith(prefix):
            return key
    return re.split(r" \(|: ", reason)[0]


def _grid(rows: list[dict], col: str, title: str) -> None:
    cols = sorted({str(r[col]) for r in rows}, key=lambda s: (not s.isdigit(), -int(s) if s.isdigit() else 0, s))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    for r in rows:
        total[str(r[col])] += 1
        if r["outcome"] == "missed":
            counts[reason_key(r["why"])][str(r[col])] += 1
    print(f"\nmissed by reason, per {title} (% of the commands of the column)")
    print(f"  {'reason':<26}" + "".join(f"{c:>12}" for c in cols))
    for key in sorted(counts, key=lambda k: -sum(counts[k].values())):
        print(f"  {key:<26}" + "".join(f"{100 * counts[key][c] / total[c]:>11.1f}%" for c in cols))


def misses(rows: list[dict]) -> None:
    _grid(rows, "snr", "SNR (dB)")
    _grid(rows, "family", "voice family")


def caught_by(fig_of, base, sweep: dict[str, list[float]], wrong_false) -> None:
    """For every swept check at its strictest value (the others at ``base``): how many of the
    base's wrong commands and false commands it refuses, and the obeyed commands it costs.
    ``fig_of(checks)`` gives the bench's figures; ``wrong_false(fig)`` -> (obeyed, wrong, false) keys."""
    b_ok, b_wrong, b_false = wrong_false(fig_of(base))
    print(f"\nwhat let the wrong and false commands through (base: {len(b_wrong)} wrong, {len(b_false)} false):"
          f" each check at its strictest swept value, the others as they are")
    print(f"  {'check':<30}{'wrong refused':>15}{'false refused':>15}{'obeyed lost':>13}")
    for name, values in sweep.items():
        lo = name.startswith(("min_", "margin"))
        strict = max(values) if lo else min(values)
        ok, wrong, false = wrong_false(fig_of(dataclasses.replace(base, **{name: strict})))
        print(f"  {name + ' = ' + format(strict, 'g'):<30}{len(b_wrong - wrong):>15}{len(b_false - false):>15}"
              f"{len(b_ok - ok):>13}")
