"""How far apart the command phrases are: the confusability tables behind the phrase choice.

    python bench/bench_phrases.py              # English acoustic table + French and English phonetic pairs
    python bench/bench_phrases.py --snr 15     # the acoustic table in more noise

English: every phrase spoken by four espeak-ng voices (pink noise at --snr dB) and decoded by the
built-in engine against its own command and against every phrase meaning something else; the
margin (per-100-frame log score) is how much better it fits its own command. French: no French
model exists here, so the distance is phonetic, on espeak-ng's French phonemes (`espeak-ng -v fr -q
--ipa`), with the threshold read off the English pairs. tests/test_phrase_confusability.py fails
on a pair under the thresholds printed here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testkit.confusability import (  # noqa: E402
    MAX_PHONEME_EDITS,
    MAX_PHONETIC_RATIO,
    MIN_MARGIN,
    VOICES_EN,
    acoustic_table,
    pair_figures,
    phonetic_pairs,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snr", type=float, default=20.0, help="pink noise level in dB (default 20)")
    ap.add_argument("--pairs", type=int, default=15, help="phonetic pairs to print per language")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    rows = acoustic_table("en", snr_db=args.snr)
    figures = pair_figures(rows)
    failed = [r for r in rows if not r.decoded]
    print(f"English, built-in engine: {len(rows)} renders ({len(VOICES_EN)} voices: {', '.join(VOICES_EN)}), "
          f"pink noise {args.snr:g} dB, {time.perf_counter() - t0:.1f} s")
    print(f"{'phrase':28} {'command':10} {'closest other command':36} {'min margin':>10} {'confused':>9} "
          f"{'decoded right':>13}")
    for f in figures:
        flag = "  CLOSE" if f.confused or (not f.same_kind and f.min_margin < MIN_MARGIN) else ""
        other = f"{f.b} ({f.b_command})" if f.b else "(none fits)"
        print(f"{f.a:28} {str(f.a_command):10} {other:36} {f.min_margin:10.3f} {f.confused:>4}/{f.voices} "
              f"{f.decoded:>9}/{len(VOICES_EN)}{flag}")
    wrong = [r for r in rows if r.heard is not None and r.heard.kind is not r.unit.command.kind]
    print(f"taken for another command by the whole grammar: {len(wrong)}"
          + "".join(f"\n  {r.unit.body!r} by {r.voice} -> {r.heard}" for r in wrong))
    print(f"renders no phrase fitted at all: {len(failed)}"
          + "".join(f"\n  {r.unit.body!r} by {r.voice}" for r in failed))
    print(f"threshold: another command's phrase >= {MIN_MARGIN} below; a number never confused\n")
    for lang in ("fr", "en"):
        pairs = [p for p in phonetic_pairs(lang) if p.a.command.kind is not p.b.command.kind]
        print(f"{lang}: closest phrases of different commands (espeak-ng {lang} phonemes; close at <= "
              f"{MAX_PHONEME_EDITS} phonemes and <= {MAX_PHONETIC_RATIO} of the longer)")
        for p in sorted(pairs, key=lambda p: (not p.close, p.distance, p.ratio))[: args.pairs]:
            print(f"  {p}{'  CLOSE' if p.close else ''}")
        nums = [p for p in phonetic_pairs(lang) if p.a.command.kind is p.b.command.kind][:5]
        print(f"{lang}: closest numbers (guarded by the number check at run time)")
        for p in nums:
            print(f"  {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
