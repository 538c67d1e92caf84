"""CommandListener: speech segment in, CommandDecision out.

Acceptance needs all of:
- the segment's length fits a command, and it starts after a pause (the VAD boundary plus
  ``min_gap_before_s`` since the previous segment ended). These are cheap pre-filters:
  other segments are not examined at all, so an hour of conversation replays fast;
- the recogniser's final result for the whole segment, normalised, is exactly one phrase
  of the table (wake phrase + command), never a partial;
- the engine's own checks (built-in: the phone-loop ratio, no long pause inside);
- the confidence, when the engine gives one and ``min_confidence`` is set, reaches it;
- no speech in the segment outside the decoded phrase, when the engine gives word times.
  A grammar-bound decoder explains speech it cannot fit as silence: "I mean, go to phase
  three of the roadmap" comes out as "time keeper go to phase three" followed by two seconds
  of "silence" that are loud. Measured on distractors-60: this check removed every false
  command the phone-loop ratio let through, and no real command;
- the engine's checks again on what the listener measured (``outside_s``, ``command_speech``);
- "time keeper, <pause> next phase": a pause longer than the VAD's end silence cuts the phrase in
  two; a refused short segment is decoded again joined to the next one when that follows within
  ``join_gap_s`` (measured on the tuning split with half the commands said so: without it 29 %
  of those were obeyed at 15 dB, with it and the decoder changes 75 %);
- when the recogniser can decode the same audio without its grammar (vosk: ``free_decode``),
  that free decoding also contains the wake phrase and the command words
  (``free_min_agreement``, see ``asr.free_check``). Measured on the Korean model
  (bench/bench_commands_ko.py): the figures are in its docstring.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from timekeeper import lang as languages
from timekeeper.asr.free_check import agreement
from timekeeper.asr.normalize import Matcher, normalize
from timekeeper.asr.phrases import PhraseTable, expand
from timekeeper.contracts import Answerer, FreeDecoder, Recognizer, WakeJudge, Word
from timekeeper.audio.frames import Segment
from timekeeper.commands import Command


@dataclass(frozen=True)
class CommandDecision:
    text: str  # what the recogniser heard (normalised)
    start_s: float
    end_s: float
    accepted: bool
    command: Command | None
    reason: str  # "command", "not a command phrase", "low confidence 0.42", ...
    confidence: float | None = None
    decode_s: float = 0.0  # time spent decoding (latency beyond the endpoint)
    wake_heard: bool = False  # refused, but the wake phrase was clearly said: answer "sorry?"
    answer: str | None = None  # "yes" / "no" to a question (``expect_answer``), else None
    measures: dict | None = None  # the engine's check measures + "outside_s" (checks.py), when it gives them


@dataclass(frozen=True)
class ListenerConfig:
    min_duration_s: float = 0.5
    max_duration_s: float = 3.8  # measured: 4.5 s let 9.1 false commands per hour through, 3.8 s 5.1, same recall
    min_confidence: float | None = None  # on the engine's own scale (vosk: word confidence 0-1); None: no check
    min_gap_before_s: float = 0.6  # between segments (real silence ~0.3 s longer). Measured: 0.5 s 5.1 false/h,
    # 0.6 s 2.0 false/h with the same recall, 0.7 s 1.0 false/h but drops commands said after a 1 s pause
    max_outside_s: float = 0.2  # speech-level audio before the first / after the last decoded word
    answer_min_s: float = 0.2  # a spoken answer ("yes") is short and needs no pause before it
    answer_max_s: float = 2.5
    free_min_agreement: float | None = 1.0  # free decoding must hold every phrase word (1.0: exactly); None: no check
    # "time keeper, ... next phase": a pause after the wake phrase longer than the VAD's end silence
    # cuts it into two segments. A refused segment up to ``join_first_max_s`` long, said after a pause,
    # is decoded again joined to the next one when that starts within ``join_gap_s`` (None: never).
    join_gap_s: float | None = 0.6
    join_first_max_s: float = 1.6


def _speech_frames(samples: np.ndarray, rate: int = 16000) -> np.ndarray | None:
    """Per 10 ms: is it speech-level, i.e. above half-way (in dB) between the segment's quiet (10th
    percentile) and loud (95th percentile) frames? None when the segment is too short or flat."""
    hop = rate // 100
    n = len(samples) // hop
    if n < 10:
        return None
    x = np.asarray(samples[: n * hop], dtype=np.float32).reshape(n, hop)
    level = 10.0 * np.log10(np.mean(x * x, axis=1) + 1.0)
    quiet, loud = np.percentile(level, [10, 95])
    if loud - quiet < 6.0:
        return None
    return level > quiet + 0.5 * (loud - quiet)


def _spoken(words: Sequence[Word]) -> list[tuple[float, float]]:
    return [(b, e) for w, b, e in words if w and not w.startswith(("<", "[", "("))]


def speech_outside(samples: np.ndarray, words: Sequence[Word], rate: int = 16000) -> float:
    """Seconds of speech-level audio before the first or after the last decoded word (the larger).

    "Speech-level": see ``_speech_frames``. Reverberation tails and noise stay below it; a second
    sentence does not."""
    spoken = _spoken(words)
    speech = _speech_frames(samples, rate)
    if not spoken or speech is None:
        return 0.0
    n = len(speech)
    first = max(0, int(spoken[0][0] * 100) - 5)
    last = min(n, int(spoken[-1][1] * 100) + 10)
    return max(int(speech[:first].sum()), int(speech[last:].sum())) / 100


def command_speech(samples: np.ndarray, words: Sequence[Word], n_wake: int, rate: int = 16000) -> float | None:
    """Share of speech-level 10 ms frames under the command words (after the ``n_wake`` wake words).
    "Time keeper" said alone is decoded as "time keeper pause" with "pause" laid on the silence after
    it (or on the padding past the segment's end, which counts as silence): a share near 0."""
    spoken = _spoken(words)
    speech = _speech_frames(samples, rate)
    if len(spoken) <= n_wake or speech is None:
        return None
    a, b = int(spoken[n_wake][0] * 100), int(spoken[-1][1] * 100)
    if b <= a:
        return None
    return float(speech[a:b].sum()) / (b - a)


def join(first: Segment, second: Segment) -> Segment:
    """``first`` and ``second`` as one segment, the gap between them filled with the quietest
    20 ms of ``first`` (its background, not digital silence the models never heard)."""
    x = np.asarray(first.samples, dtype=np.int16)
    gap = max(0, int(round((second.start_s - first.end_s) * 16000)))
    hop = 320
    n = len(x) // hop
    if n:
        chunks = x[: n * hop].reshape(n, hop).astype(np.float64)
        quiet = x[int(np.argmin((chunks ** 2).mean(axis=1))) * hop:][:hop]
    else:
        quiet = np.zeros(1, dtype=np.int16)
    fill = np.resize(quiet, gap).astype(np.int16)
    return Segment(first.start_s, second.end_s, np.concatenate([x, fill, np.asarray(second.samples, np.int16)]))


class CommandListener:
    def __init__(self, lang: str, recognizer: Recognizer, wake: str | None = "default",
                 config: ListenerConfig | None = None, table: PhraseTable | None = None,
                 phases: tuple[int, ...] | list[int] | None = None) -> None:
        self.lang = lang
        self.recognizer = recognizer
        self.table = table or expand(lang, "default" if wake is None else wake, phases=phases)
        self.matcher = Matcher(self.table.phrases, lang)
        self.cfg = config or ListenerConfig()
        self._last_end_s: float | None = None
        self._pending: Segment | None = None  # a refused short segment the next one may complete
        self._answer_until: float | None = None
        self._ready: tuple | None = None  # (bounds, segment, decision, lead_s) decided ahead (prepare)
        words = languages.get(lang) if lang in languages.LANGS else None  # bench-only tables (ko) have none
        self._answers = {**{w: "yes" for w in words.YES}, **{w: "no" for w in words.NO}} if words else {}

    def expect_answer(self, until_s: float | None) -> None:
        """Until audio time ``until_s``, a segment is first heard as a yes / no answer (None: stop)."""
        self._answer_until = until_s

    def _answer(self, segment: Segment) -> CommandDecision | None:
        d = segment.duration_s
        if not self._answers or not self.cfg.answer_min_s <= d <= self.cfg.answer_max_s \
                or not isinstance(self.recognizer, Answerer):
            return None
        hyp = self.recognizer.answer(segment.samples)
        text = normalize(hyp.text, self.lang)
        words = text.split()
        if self.table.wake and text.startswith(self.table.wake):
            words = words[len(self.table.wake.split()):]
        answer = self._answers.get(" ".join(words))
        if answer is None or hyp.reject:
            return None  # not an answer: heard as a command below
        return CommandDecision(text, segment.start_s, segment.end_s, True, None, "answer", hyp.confidence,
                               hyp.decode_s, answer=answer)

    def accept(self, segment: Segment) -> CommandDecision | None:
        if self._answer_until is not None and segment.start_s <= self._answer_until:
            answered = self._answer(segment)
            if answered is not None:
                self._last_end_s = segment.end_s
                return answered
        prev_end, self._last_end_s = self._last_end_s, segment.end_s
        pending, self._pending = self._pending, None
        cfg = self.cfg
        if pending is not None and cfg.join_gap_s is not None and segment.start_s - pending.end_s <= cfg.join_gap_s \
                and segment.end_s - pending.start_s <= cfg.max_duration_s:
            joined = self._examine(join(pending, segment))
            if joined.command is not None:  # the two read as one command phrase: that is the reading
                self._ready = None
                return joined
        if not self._examines(segment, prev_end):
            return None
        ready, self._ready = self._ready, None
        if ready is not None and ready[0] == (segment.start_s, segment.end_s) \
                and np.array_equal(ready[1].samples, segment.samples):
            d, lead_s = ready[2], ready[3]  # decided during the pause: only what outlasted it is latency
            decided = dataclasses.replace(d, decode_s=max(0.0, d.decode_s - lead_s))
        else:
            decided = self._examine(segment)
        if not decided.accepted and segment.duration_s <= cfg.join_first_max_s:
            self._pending = segment
        return decided

    def _examines(self, segment: Segment, prev_end: float | None) -> bool:
        """The cheap pre-filters: command length, after a pause."""
        d = segment.duration_s
        if d < self.cfg.min_duration_s or d > self.cfg.max_duration_s:
            return False
        # no pause before it: not a command, whatever it says (and not worth decoding)
        return prev_end is None or segment.start_s - prev_end >= self.cfg.min_gap_before_s

    def prepare(self, segment: Segment, lead_s: float) -> None:
        """The VAD's candidate: ``segment`` closes in ``lead_s`` of audio unless speech comes back.
        Decided now, while the pause is confirmed, and handed out by ``accept`` if that very
        segment comes (the decision depends on the audio alone: it is the same either way)."""
        self._ready = None
        if not getattr(self.recognizer, "pure", False):
            return  # a recogniser that carries state from one decode to the next (vosk) decodes once
        if self._answer_until is not None and segment.start_s <= self._answer_until:
            return
        if self._examines(segment, self._last_end_s):
            self._ready = ((segment.start_s, segment.end_s), segment, self._examine(segment), lead_s)

    def _examine(self, segment: Segment) -> CommandDecision:
        """Decode ``segment`` and judge it (depends on its audio only)."""
        hyp = self.recognizer.recognize(segment.samples)
        text = normalize(hyp.text, self.lang)
        decode_s = hyp.decode_s

        cmd = self.matcher.match(text)
        outside = speech_outside(segment.samples, hyp.words) if cmd is not None and hyp.words else None
        measures = None
        if hyp.measures is not None:
            n_wake = len(self.table.wake.split())
            measures = {**hyp.measures, "outside_s": outside,
                        "command_speech": command_speech(segment.samples, hyp.words, n_wake) if hyp.words else None}

        def decision(ok: bool, cmd: Command | None, reason: str) -> CommandDecision:
            heard = not ok and cmd is not None and self._wake_heard()
            return CommandDecision(text, segment.start_s, segment.end_s, ok, cmd, reason, hyp.confidence, decode_s,
                                   wake_heard=heard, measures=measures)

        if cmd is None:
            return decision(False, None, "not a command phrase" if text else "nothing recognised")
        if hyp.reject:
            return decision(False, cmd, hyp.reject)
        if hyp.confidence is not None and self.cfg.min_confidence is not None \
                and hyp.confidence < self.cfg.min_confidence:
            return decision(False, cmd, f"low confidence {hyp.confidence:.2f}")
        if outside is not None:
            if outside > self.cfg.max_outside_s:
                return decision(False, cmd, f"speech around the command ({outside:.1f} s outside the phrase)")
        checks = getattr(self.recognizer, "checks", None)
        if measures is not None and checks is not None:  # the engine's checks on what the listener measured too
            why = checks.verdict(measures)
            if why:
                return decision(False, cmd, why)
        if isinstance(self.recognizer, FreeDecoder) and self.cfg.free_min_agreement is not None:
            t0 = time.perf_counter()
            heard = self.recognizer.free_decode(segment.samples)
            decode_s += time.perf_counter() - t0
            if heard is not None:
                score = agreement(text, heard, self.lang)
                if score < self.cfg.free_min_agreement:
                    return decision(False, cmd, f"free decoding disagrees ({score:.2f}): heard \"{heard}\"")
        return decision(True, cmd, "command")

    def _wake_heard(self) -> bool:
        """The engine's own judgement that the wake phrase of its last decode was clearly said
        (engines without one never say "sorry?")."""
        return bool(self.table.wake) and isinstance(self.recognizer, WakeJudge) and self.recognizer.wake_heard()

    def reset(self) -> None:
        """After the announcer spoke: forget context, reset the recogniser."""
        self._last_end_s = None
        self._ready = None
        self._pending = None
        self.recognizer.reset()

    def close(self) -> None:
        """End of the session: free the recogniser (and its helper process)."""
        self.recognizer.close()
