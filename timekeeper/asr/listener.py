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


def speech_outside(samples: np.ndarray, words: Sequence[Word], rate: int = 16000) -> float:
    """Seconds of speech-level audio before the first or after the last decoded word (the larger).

    Levels are taken per 10 ms; "speech-level" is above half-way (in dB) between the segment's
    quiet (10th percentile) and loud (95th percentile) frames. Reverberation tails and noise stay
    below it; a second sentence does not."""
    spoken = [(b, e) for w, b, e in words if w and not w.startswith(("<", "[", "("))]
    hop = rate // 100
    n = len(samples) // hop
    if not spoken or n < 10:
        return 0.0
    x = np.asarray(samples[: n * hop], dtype=np.float32).reshape(n, hop)
    level = 10.0 * np.log10(np.mean(x * x, axis=1) + 1.0)
    quiet, loud = np.percentile(level, [10, 95])
    if loud - quiet < 6.0:
        return 0.0
    speech = level > quiet + 0.5 * (loud - quiet)
    first = max(0, int(spoken[0][0] * 100) - 5)
    last = min(n, int(spoken[-1][1] * 100) + 10)
    return max(int(speech[:first].sum()), int(speech[last:].sum())) / 100


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
        if not self._examines(segment, prev_end):
            return None
        ready, self._ready = self._ready, None
        if ready is not None and ready[0] == (segment.start_s, segment.end_s) \
                and np.array_equal(ready[1].samples, segment.samples):
            d, lead_s = ready[2], ready[3]  # decided during the pause: only what outlasted it is latency
            return dataclasses.replace(d, decode_s=max(0.0, d.decode_s - lead_s))
        return self._examine(segment)

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
        measures = None if hyp.measures is None else {**hyp.measures, "outside_s": outside}

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
        self.recognizer.reset()

    def close(self) -> None:
        """End of the session: free the recogniser (and its helper process)."""
        self.recognizer.close()
