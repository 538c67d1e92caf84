"""Voice commands as a new user meets them: the TEST split of voices never used for tuning.

    python bench/bench_commands.py                  # built-in English, test split: 20/15/10 dB + 1 h distractors
    python bench/bench_commands.py --split tuning --sweep   # where the thresholds come from
    python bench/bench_commands.py --snr 15 --minutes 20    # a quicker look
    python bench/bench_commands.py --engine vosk --model PATH --lang fr
    python bench/bench_commands.py --legacy [...]   # the previous bench (48 commands, 4 voices)
    python bench/bench_commands.py --split test --snr 15,10 --minutes 20 --comma 0 --reuse --as-decided --label before
        # figures of a run kept in bench/cache (here: main before the comma material and its changes)

Material (testkit/cmdbench.py, rendered once into bench/cache/cmdbench): every phrase group of the
product's phrase table said by every voice of the split (espeak-ng, festival, flite), 1-2 s after
real-voice conversation (librispeech), reverberation 0.2-0.6 s, pink or babble noise, one reel
per SNR, half of the commands said with a 0.2-0.6 s pause after the wake phrase ("time keeper,
next phase"; ``--comma``); and an hour of real-voice conversation with near misses and no command.

Each reel is replayed through what `timekeeper run --input FILE.wav --lang en` builds
(stages.build_stages: the same source, VAD, recogniser and listener), frame by frame.
A command is obeyed when an accepted decision overlapping it carries its command, wrong when it
carries another, missed otherwise (with the reason). Latency: from the command's true end to the
audio time its segment was decided (VAD endpoint) plus the decode time measured here.

Ablation: every candidate decision keeps its check measures (timekeeper/asr/checks.py), so the
bench re-judges them with each check off, and with each candidate check on, and prints obeyed /
wrong / false per hour for each.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import cmd_breakdown  # noqa: E402
from testkit import cmdbench  # noqa: E402
from timekeeper.asr.checks import DEFAULT_CHECKS, Checks  # noqa: E402


@dataclasses.dataclass
class Rec:
    """One examined segment: what the listener decided, when, and its check measures."""
    start_s: float
    end_s: float
    at_s: float  # audio time the decision was taken (segment emitted by the VAD)
    decode_s: float
    accepted: bool
    command: str | None
    text: str
    reason: str
    measures: dict | None


def replay(wav: Path, lang: str, engine: str, model: Path | None, agenda: str) -> tuple[list[Rec], float]:
    """Decisions for ``wav`` through the stages `timekeeper run --input wav` builds (stages.build_stages;
    no speaker tracking: it does not touch commands)."""
    from timekeeper.agenda import get_agenda
    from timekeeper.config import Settings, override
    from timekeeper.stages import build_stages

    settings = override(Settings(), lang=lang, agenda=agenda, **{"listen.input": str(wav),
                        "listen.engine": engine, "listen.model": str(model or "")})
    stages = build_stages(settings, phases=get_agenda(agenda).numbers, speakers=False)
    source, vad, listener = stages.source, stages.vad, stages.listener
    settle = getattr(listener.recognizer, "settle", None)
    recs: list[Rec] = []
    t0 = time.perf_counter()
    now = 0.0

    def handle(seg) -> None:
        if settle is not None and seg.duration_s >= listener.cfg.min_duration_s:
            settle()  # live, the segment's own length passes before it ends: the helper is idle by then
        d = listener.accept(seg)
        if d is not None:
            recs.append(Rec(d.start_s, d.end_s, now, d.decode_s, d.accepted, str(d.command) if d.command else None,
                            d.text, d.reason, d.measures))
        else:  # why the listener did not look at it (its cheap pre-filters)
            cfg = listener.cfg
            why = ("skipped: too short" if seg.duration_s < cfg.min_duration_s else "skipped: segment too long"
                   if seg.duration_s > cfg.max_duration_s else "skipped: no pause before")
            recs.append(Rec(seg.start_s, seg.end_s, now, 0.0, False, None, "", why, None))

    for f in source.frames():
        now += len(f.samples) / 16000
        for seg in vad.accept(f):
            handle(seg)
    for seg in vad.flush():
        handle(seg)
    stages.close()
    return recs, time.perf_counter() - t0


def judged(recs: list[Rec], checks: Checks | None) -> list[Rec]:
    """``recs`` re-judged with ``checks`` (None: as the listener decided)."""
    if checks is None:
        return recs
    out = []
    for r in recs:
        if r.command is None or r.measures is None:
            out.append(r)
            continue
        reason = checks.verdict(r.measures)
        out.append(dataclasses.replace(r, accepted=reason is None, reason=reason or "command"))
    return out


def score(recs: list[Rec], truth: dict) -> tuple[list[dict], list[Rec]]:
    """Per truth command its outcome (obeyed / wrong / missed + why, latency); accepted decisions
    overlapping no command (false commands)."""
    used: set[int] = set()
    rows = []
    for c in truth["commands"]:
        near = [i for i, r in enumerate(recs) if r.start_s < c["end_s"] and r.end_s > c["start_s"]]
        acc = [i for i in near if recs[i].accepted]
        row = dict(c)
        if acc:
            r = recs[acc[0]]
            used.update(acc)
            row["outcome"] = "obeyed" if r.command == c["command"] else "wrong"
            row["heard"] = r.text
            row["endpoint_s"] = r.at_s - c["end_s"]
            row["latency_s"] = r.at_s - c["end_s"] + r.decode_s
        else:
            row["outcome"] = "missed"
            looked = [i for i in near if not recs[i].reason.startswith("skipped")] or near
            row["why"] = recs[looked[0]].reason if near else "no speech segment"
            row["heard"] = recs[looked[0]].text if near else ""
        rows.append(row)
    false = [r for i, r in enumerate(recs) if r.accepted and i not in used
             and not any(r.start_s < c["end_s"] and r.end_s > c["start_s"] for c in truth["commands"])]
    return rows, false


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:5.1f} %" if n else "    -  "


def tally(rows: list[dict]) -> tuple[int, int, int, int]:
    n = len(rows)
    return n, sum(r["outcome"] == "obeyed" for r in rows), sum(r["outcome"] == "wrong" for r in rows), \
        sum(r["outcome"] == "missed" for r in rows)


def table(rows: list[dict], key: str, title: str) -> None:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[str(r[key])].append(r)
    print(f"\n{title:<28}{'n':>5}{'obeyed':>10}{'wrong':>10}{'missed':>10}")
    for k in sorted(groups, key=lambda s: (not s.isdigit(), -int(s) if s.isdigit() else 0, s)):
        n, ok, wrong, miss = tally(groups[k])
        print(f"{k:<28}{n:>5}{pct(ok, n):>10}{pct(wrong, n):>10}{pct(miss, n):>10}")
    n, ok, wrong, miss = tally(rows)
    print(f"{'all':<28}{n:>5}{pct(ok, n):>10}{pct(wrong, n):>10}{pct(miss, n):>10}")


def figures(reels: list[tuple[list[Rec], dict]], dis: tuple[list[Rec], dict] | None,
            checks: Checks | None) -> dict:
    rows, false_in_reels, conv_s = [], [], 0.0
    for recs, truth in reels:
        r, f = score(judged(recs, checks), truth)
        rows += r
        false_in_reels += [(truth["snr"], x.start_s) for x in f]
        conv_s += truth["duration_s"] - sum(c["end_s"] - c["start_s"] for c in truth["commands"])
    out = {"rows": rows, "false_reels": len(false_in_reels), "false_keys": false_in_reels, "conv_h": conv_s / 3600}
    if dis is not None:
        recs, truth = dis
        out["false_dis"] = [r for r in judged(recs, checks) if r.accepted]
        out["dis_h"] = truth["duration_s"] / 3600
    return out


def summary(fig: dict) -> str:
    n, ok, wrong, _ = tally(fig["rows"])
    by_snr = defaultdict(list)
    for r in fig["rows"]:
        by_snr[r["snr"]].append(r)
    snr = " ".join(f"{s}dB {pct(tally(v)[1], len(v)).strip()}/{pct(tally(v)[2], len(v)).strip()}"
                   for s, v in sorted(by_snr.items(), reverse=True))
    dis = f"{len(fig['false_dis']) / fig['dis_h']:5.2f}/h" if "false_dis" in fig else "   -  "
    conv = fig["false_reels"] / fig["conv_h"] if fig["conv_h"] else 0.0
    return f"obeyed {pct(ok, n)} wrong {pct(wrong, n)} | false {dis} (+{conv:.2f}/h in reels) | {snr}"


# Candidate checks (thresholds chosen on the tuning split with --sweep); the ablation adds each.
CANDIDATES: dict[str, dict[str, float]] = {
    "min_margin": {"min_margin": 0.004}, "min_number_margin": {"min_number_margin": 0.004},
    "max_rate": {"max_rate": 16.0}, "wake_s": {"min_wake_s": 0.3, "max_wake_s": 1.0},
}
SWEEP: dict[str, list[float]] = {
    "min_ratio": [-0.07, -0.06, -0.05, -0.045, -0.04, -0.035, -0.03, -0.025, -0.02, -0.015, -0.01, -0.005], "max_pause_s": [0.1, 0.15, 0.2, 0.3, 0.5],
    "min_margin": [0.0, 0.003, 0.006, 0.01, 0.015, 0.02], "min_number_margin": [0.0, 0.003, 0.006, 0.01, 0.015],
    "min_wake_s": [0.35, 0.4, 0.45, 0.5, 0.55], "max_wake_s": [0.85, 0.95, 1.1, 1.3],
    "max_rate": [12.0, 13.0, 14.0, 16.0, 20.0], "max_outside_s": [0.1, 0.2, 0.3, 0.5],
    "max_wake_pause_s": [0.4, 0.6, 0.8, 1.0], "min_command_speech": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
}


def objective(fig: dict) -> float:
    """Obeyed %, less penalties past the targets: wrong > 1 % at the worst SNR, false > 0.5 per hour
    (distractor hour and conversation between commands together)."""
    n, ok, _, _ = tally(fig["rows"])
    by_snr: dict[int, list[dict]] = defaultdict(list)
    for r in fig["rows"]:
        by_snr[r["snr"]].append(r)
    worst_wrong = max(100 * tally(v)[2] / len(v) for v in by_snr.values())
    hours = fig["conv_h"] + fig.get("dis_h", 0.0)
    false_h = (fig["false_reels"] + len(fig.get("false_dis", []))) / hours
    return 100 * ok / n - 10 * max(0.0, worst_wrong - 1.0) - 5 * max(0.0, false_h - 0.5)


def choose(reels, dis, base: Checks) -> Checks:
    """Coordinate descent over SWEEP (two passes) on ``objective``: the thresholds to write into
    checks.py, chosen on the split given (the tuning split)."""
    best, best_v = base, objective(figures(reels, dis, base))
    for _ in range(2):
        for name, values in SWEEP.items():
            for v in values:
                c = dataclasses.replace(best, **{name: v})
                val = objective(figures(reels, dis, c))
                if val > best_v + 1e-9:
                    best, best_v = c, val
    return best


def ablation(reels, dis, base: Checks) -> None:
    print(f"\nablation (same decodes, re-judged; base = the product's checks)")
    print(f"  {'base':<30} {summary(figures(reels, dis, base))}")
    for name in base.names():
        if getattr(base, name) is not None:
            print(f"  {'without ' + name:<30} {summary(figures(reels, dis, base.off(name)))}")
    for name, change in CANDIDATES.items():
        if all(getattr(base, k) is None for k in change):
            extra = ", ".join(f"{k}={v:g}" for k, v in change.items())
            print(f"  {'with ' + extra:<30} {summary(figures(reels, dis, dataclasses.replace(base, **change)))}")
    print(f"  {'no check at all':<30} {summary(figures(reels, dis, base.off(*base.names())))}")


def sweep(reels, dis, base: Checks) -> None:
    print("\nsweep (one threshold at a time, the others at base)")
    for name, values in SWEEP.items():
        for v in values:
            fig = figures(reels, dis, dataclasses.replace(base, **{name: v}))
            print(f"  {name + ' = ' + format(v, 'g'):<30} {summary(fig)}")
    chosen = choose(reels, dis, base)
    print(f"\nchosen on this split (objective {objective(figures(reels, dis, chosen)):.1f}): {chosen}")
    print(f"  {summary(figures(reels, dis, chosen))}")


def outcome_keys(fig: dict) -> tuple[set, set, set]:
    """(obeyed, wrong, false) as sets of keys, to tell which ones a change gains or loses."""
    key = [(r["snr"], r["start_s"]) for r in fig["rows"]]
    ok = {k for k, r in zip(key, fig["rows"]) if r["outcome"] == "obeyed"}
    wrong = {k for k, r in zip(key, fig["rows"]) if r["outcome"] == "wrong"}
    false = set(fig["false_keys"]) | {("dis", r.start_s) for r in fig.get("false_dis", [])}
    return ok, wrong, false


def load_or_replay(wav: Path, truth: dict, args, tag: str) -> list[Rec]:
    import hashlib

    sig = hashlib.sha1(truth["key"].encode()).hexdigest()[:8]  # a re-rendered reel is replayed again
    label = f"-{args.label}" if args.label else ""
    path = args.cache / "cmdbench" / f"records-{tag}-{args.engine}-{sig}{label}.json"
    if args.reuse and path.exists():
        return [Rec(**r) for r in json.loads(path.read_text())]
    recs, wall = replay(wav, args.lang, args.engine, args.model, args.agenda)
    print(f"  {tag}: {truth['duration_s'] / 60:.0f} min of audio replayed in {wall:.0f} s, "
          f"{sum(not r.reason.startswith('skipped') for r in recs)} of {len(recs)} speech segments examined", flush=True)
    path.write_text(json.dumps([dataclasses.asdict(r) for r in recs]))
    return recs


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--legacy" in argv:
        from bench.commands_legacy import main as legacy

        return legacy([a for a in argv if a != "--legacy"])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en")
    ap.add_argument("--engine", default="builtin", choices=["auto", "builtin", "vosk"])
    ap.add_argument("--model", type=Path)
    ap.add_argument("--split", default="test", choices=["test", "tuning"])
    ap.add_argument("--snr", default="20,15,10", help="comma-separated SNRs in dB (of 20, 15, 10)")
    ap.add_argument("--minutes", type=float, default=60.0, help="distractor conversation length (0: none)")
    ap.add_argument("--agenda", default="codev-90")
    ap.add_argument("--comma", type=float, default=cmdbench.COMMA_SHARE,
                    help="share of commands said with a 0.2-0.6 s pause after the wake phrase (0: the first bench's material)")
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "cache")
    ap.add_argument("--sweep", action="store_true", help="print obeyed/wrong/false for threshold sweeps")
    ap.add_argument("--reuse", action="store_true", help="re-judge the last run's recorded decisions (no decoding)")
    ap.add_argument("--as-decided", action="store_true",
                    help="with --reuse: the recorded decisions as the code of that run took them (previous figures)")
    ap.add_argument("--label", default="", help="records kept under this name (--label before: the code before a change)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    from timekeeper.agenda import get_agenda

    missing = cmdbench.check_tools(args.lang)
    if missing:
        print(f"bench_commands: missing synthesis programs: run ./setup.sh --bench "
              f"(apt-get install {' '.join(missing)})", file=sys.stderr)
        return 2
    phases = get_agenda(args.agenda).numbers
    snrs = [int(s) for s in args.snr.split(",")]
    voices = cmdbench.VOICES[args.lang][args.split]
    print(f"split {args.split}: {len(voices)} voices ({', '.join(v.label for v in voices)}); talkers "
          f"{', '.join(cmdbench.TALKERS[args.split])}; engine {args.engine}, lang {args.lang}, agenda {args.agenda}")
    reels = []
    for snr in snrs:
        wav, truth = cmdbench.commands_reel(args.lang, args.split, snr, args.cache, phases, args.comma)
        tag = f"{args.lang}-{args.split}-{snr}dB" + (f"-comma{args.comma:g}" if args.comma else "")
        reels.append((load_or_replay(wav, truth, args, tag), truth))
    dis = None
    if args.minutes > 0:
        wav, truth = cmdbench.distractor_reel(args.lang, args.split, args.cache, args.minutes)
        dis = (load_or_replay(wav, truth, args, f"{args.lang}-{args.split}-dis{args.minutes:g}"), truth)
    # as the listener decided; with --reuse, the recorded measures re-judged by today's checks
    fig = figures(reels, dis, DEFAULT_CHECKS if args.reuse and not args.as_decided else None)
    rows = fig["rows"]
    table(rows, "voice", "voice")
    table(rows, "family", "family")
    table(rows, "snr", "SNR (dB)")
    table(rows, "noise", "noise")
    if any(r.get("comma_s") for r in rows):
        table([{**r, "comma": "pause after wake" if r["comma_s"] else "no pause"} for r in rows], "comma", "said")
    n, ok, wrong, miss = tally(rows)
    print(f"\ncommands: {n}, obeyed {pct(ok, n)}, taken as a different command {pct(wrong, n)}, missed {pct(miss, n)}")
    whys: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["outcome"] == "missed":
            whys[r["why"].split(" (")[0].split(": ")[0] if not r["why"].startswith("skipped") else r["why"]] += 1
    print("why missed: " + "; ".join(f"{k} {v}" for k, v in sorted(whys.items(), key=lambda kv: -kv[1])))
    confusions: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["outcome"] == "wrong":
            confusions[f"{r['text']!r} -> {r['heard']!r}"] += 1
    for k, v in sorted(confusions.items(), key=lambda kv: -kv[1])[: (50 if args.verbose else 10)]:
        print(f"  wrong x{v}: {k}")
    lat = np.array([r["latency_s"] for r in rows if r["outcome"] == "obeyed"])
    if len(lat):
        end = np.array([r["endpoint_s"] for r in rows if r["outcome"] == "obeyed"])
        dec = np.array([r.decode_s for recs, _ in reels for r in recs if not r.reason.startswith("skipped")])
        print(f"latency from the end of the spoken command to the decision: p50 {np.median(lat):.2f} s, p95 "
              f"{np.percentile(lat, 95):.2f} s = VAD endpoint (audio time) p50 {np.median(end):.2f} s, p95 "
              f"{np.percentile(end, 95):.2f} s + decode p50 {np.median(dec) * 1000:.0f} ms, p95 "
              f"{np.percentile(dec, 95) * 1000:.0f} ms (wall time on this machine: its load counts)")
    print(f"false commands in the conversation between commands: {fig['false_reels']} in {fig['conv_h']:.2f} h")
    if dis is not None:
        false = fig["false_dis"]
        print(f"false commands in {fig['dis_h'] * 60:.0f} min of real-voice conversation + near misses: "
              f"{len(false)} = {len(false) / fig['dis_h']:.2f} per hour")
        near = dis[1]["near_misses"]
        for r in false:
            nm = [m["text"] for m in near if m["start_s"] < r.end_s and m["end_s"] > r.start_s]
            m = " ".join(f"{k}={v:.3g}" for k, v in (r.measures or {}).items() if v is not None)
            print(f"  false {r.start_s:8.2f} {r.command} heard {r.text!r}" + (f" (near miss {nm[0]!r})" if nm else "")
                  + f" [{m}]")
    cmd_breakdown.misses(rows)
    cmd_breakdown.caught_by(lambda c: figures(reels, dis, c), DEFAULT_CHECKS, SWEEP, outcome_keys)
    ablation(reels, dis, DEFAULT_CHECKS)
    if args.sweep:
        sweep(reels, dis, DEFAULT_CHECKS)
    return 0


if __name__ == "__main__":
    from timekeeper.errors import TimekeeperError

    try:
        raise SystemExit(main())
    except TimekeeperError as exc:  # no model for the language, bad agenda...
        print(f"bench_commands: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
