"""Built-in English recogniser: pocketsphinx with the en-us model shipped in its wheel.

Two passes over each candidate segment:

1. a compact JSGF grammar ``wake <command>`` (fast, ~50 ms for 2 s): any speech is forced
   onto it, so its answer is only a candidate;
2. when that answer is a whole command phrase, a free phone-loop decode of the same audio:
   the score of the grammar path per frame minus the phone loop's (a likelihood ratio).
   Real commands fit the grammar almost as well as the free phones; other speech fits it
   much worse. Below ``min_ratio`` the hypothesis is marked rejected.

(A grammar with a loop of filler words or of phone-words in parallel was tried first: as
accurate at best, but 10-20 times slower.) The segment is padded with a little of its
own leading noise so the last word can end.
"""

from __future__ import annotations

import logging
import math
import os
import time

import numpy as np

from timekeeper.asr.grammar import FILLER_EN, jsgf
from timekeeper.asr.phrases import PhraseTable
from timekeeper.asr.recognizer import Hypothesis
from timekeeper.errors import ModelError, ModelNotFound

log = logging.getLogger(__name__)


class PocketsphinxRecognizer:
    name = "builtin"

    def __init__(self, table: PhraseTable, filler: bool = False, filler_weight: float = 1.0,
                 pad_s: float = 0.3, min_ratio: float | None = 0.04, **decoder_options: object) -> None:
        if table.lang != "en":
            raise ModelNotFound(f"the built-in recogniser speaks English only; run `timekeeper models install {table.lang}`")
        try:
            from pocketsphinx import Decoder, get_model_path  # noqa: PLC0415
        except ImportError as exc:
            raise ModelNotFound("pocketsphinx is not installed: run `pip install pocketsphinx`") from exc
        self.lang = "en"
        self.table = table
        self.pad_s = pad_s
        model = get_model_path()
        dict_path = os.path.join(model, "en-us", "cmudict-en-us.dict")
        try:
            self._decoder = Decoder(hmm=os.path.join(model, "en-us", "en-us"), dict=dict_path,
                                    loglevel="FATAL", **decoder_options)
        except Exception as exc:
            raise ModelError(f"the built-in English model failed to load ({exc}); reinstall pocketsphinx") from exc
        missing = [w for w in table.words if self._decoder.lookup_word(w) is None]
        if missing:
            raise ModelError(f"words not in the built-in dictionary: {', '.join(missing)}; change the wake phrase "
                             f"(\"timekeeper\" must be written \"time keeper\")")
        self.grammar = jsgf(table, FILLER_EN if filler else (), filler_weight)
        try:
            self._decoder.add_jsgf_string("commands", self.grammar)
            self._decoder.activate_search("commands")
            self._decoder.add_allphone_file("phones", os.path.join(model, "en-us", "en-us-phone.lm.bin"))
        except Exception as exc:
            raise ModelError(f"the command grammar was refused by pocketsphinx ({exc})") from exc
        self.min_ratio = min_ratio
        from timekeeper.asr.normalize import Matcher  # noqa: PLC0415

        self._matcher = Matcher(table.phrases, "en")

    def _decode(self, search: str, raw: bytes) -> tuple[str, float, int]:
        d = self._decoder
        if d.current_search() != search:
            d.activate_search(search)
        d.start_utt()
        d.process_raw(raw, full_utt=True)
        d.end_utt()
        h = d.hyp()
        if h is None:
            return "", 0.0, d.n_frames()
        return h.hypstr, float(h.score), d.n_frames()

    def phone_ratio(self, grammar_score: float, phone_score: float, n_frames: int) -> float:
        """Per-100-frame log ratio of the grammar path's score to the free phone loop's."""
        if grammar_score <= 0 or phone_score <= 0 or n_frames <= 0:
            return float("-inf")
        return (math.log(grammar_score) - math.log(phone_score)) / n_frames * 100

    def recognize(self, samples: np.ndarray) -> Hypothesis:
        x = np.asarray(samples, dtype=np.int16)
        if self.pad_s > 0 and len(x):
            lead = x[: min(len(x), 3200)]
            x = np.concatenate([x, np.resize(lead, int(self.pad_s * 16000))])
        t0 = time.perf_counter()
        raw = x.tobytes()
        text, g_score, n = self._decode("commands", raw)
        details: dict[str, object] = {}
        ratio = None
        if self.min_ratio is not None and self._matcher.match(text) is not None:
            _, p_score, _ = self._decode("phones", raw)
            ratio = self.phone_ratio(g_score, p_score, n)
            if ratio < self.min_ratio:
                details["reject"] = f"fits a command poorly (phone-loop ratio {ratio:.3f} < {self.min_ratio})"
        details["decode_s"] = time.perf_counter() - t0
        return Hypothesis(text, ratio, self.name, details)

    def reset(self) -> None:
        pass  # each segment is its own utterance

    def close(self) -> None:
        self._decoder = None
