"""vosk adapter: loads a model by path only, grammar-restricted when the model allows it.

- never ``Model(lang=...)`` (which downloads and may exit the process);
- vosk's bare exceptions become ModelNotFound / ModelError;
- every grammar word is checked with ``vosk_model_find_word`` (vosk silently drops
  missing words): phrases with missing words are dropped with a warning naming them, and
  an error is raised when the wake phrase itself is missing;
- models without a runtime graph (no ``graph/HCLr.fst`` + ``graph/Gr.fst``) decode freely,
  our exact matcher does the restriction;
- the recogniser is recreated every ``recreate_every`` utterances (vosk's memory grows);
- ``free_decode(samples)``: the same utterance decoded again without the grammar (same model,
  free vocabulary). A grammar decode forces any speech onto command words, often with
  confidence 1.0; the listener accepts a command only when this free decoding also contains
  its words (the check vosk's maintainers recommend over confidence).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import numpy as np

from timekeeper.asr.phrases import PhraseTable
from timekeeper.contracts import Hypothesis, Word
from timekeeper.errors import ModelError, ModelNotFound

log = logging.getLogger(__name__)


def has_runtime_graph(model_path: Path) -> bool:
    g = Path(model_path) / "graph"
    return (g / "HCLr.fst").exists() and (g / "Gr.fst").exists()


def load_model(model_path: str | Path):  # -> vosk.Model
    p = Path(model_path)
    if not p.is_dir() or not (p / "am").is_dir() and not (p / "final.mdl").exists():
        raise ModelNotFound(f"no vosk model at {p}; run `timekeeper models install <lang>` or check --model")
    try:
        import vosk  # noqa: PLC0415

        vosk.SetLogLevel(-1)
        return vosk.Model(str(p))  # by path only
    except ImportError as exc:
        raise ModelNotFound("vosk is not installed: run `pip install vosk`") from exc
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        raise ModelError(f"the vosk model at {p} failed to load ({exc}); reinstall it with `timekeeper models install`") from exc


class VoskRecognizer:
    name = "vosk"

    def __init__(self, model_path: str | Path, table: PhraseTable | None = None, lang: str = "",
                 phrases: list[str] | None = None, recreate_every: int = 50, model=None) -> None:
        self.model_path = Path(model_path)
        self.lang = table.lang if table else lang
        self.model = model if model is not None else load_model(self.model_path)
        self.recreate_every = recreate_every
        self.grammar_mode = has_runtime_graph(self.model_path)
        wanted = phrases if phrases is not None else (sorted(table.phrases) if table else [])
        self.missing_words = sorted({w for p in wanted for w in p.split() if not self.has_word(w)})
        if table is not None and table.wake:
            lost = [w for w in table.wake.split() if w in self.missing_words]
            if lost:
                raise ModelError(f"the wake phrase word(s) {', '.join(lost)} are not in the model at "
                                 f"{self.model_path}; choose another wake phrase")
        if self.missing_words:
            log.warning("words missing from the model (phrases using them are dropped): %s",
                        ", ".join(self.missing_words))
        self.phrases = [p for p in wanted if not any(w in self.missing_words for w in p.split())]
        if wanted and not self.phrases:
            raise ModelError(f"none of the command words are in the model at {self.model_path} "
                             f"(missing: {', '.join(self.missing_words[:10])}); is it the right language?")
        if not self.grammar_mode and wanted:
            log.warning("model without runtime graph: free decoding, commands matched afterwards")
        self._count = 0
        self._wake = table.wake if table is not None else ""
        self._last_samples: np.ndarray | None = None
        self._free_last: tuple[np.ndarray, str] | None = None  # the last free decoding and its audio
        self._answer_rec = None
        self._rec = self._new_recognizer()

    def has_word(self, word: str) -> bool:
        try:
            return self.model.vosk_model_find_word(word) != -1
        except Exception:
            return False

    def _new_recognizer(self):
        import vosk  # noqa: PLC0415

        try:
            if self.grammar_mode and self.phrases:
                # "[unk]" lets off-grammar speech escape (some models, e.g. Korean, have none)
                g = self.phrases + (["[unk]"] if self.has_word("[unk]") else [])
                rec = vosk.KaldiRecognizer(self.model, 16000, json.dumps(g, ensure_ascii=False))
            else:
                rec = vosk.KaldiRecognizer(self.model, 16000)
            rec.SetWords(True)
        except Exception as exc:
            raise ModelError(f"vosk refused the recogniser ({exc})") from exc
        self._fed_s = 0.0
        return rec

    def recognize(self, samples: np.ndarray) -> Hypothesis:
        t0 = time.perf_counter()
        x = np.asarray(samples, dtype=np.int16)
        self._last_samples = x
        rec = self._rec
        offset_s = self._fed_s  # vosk's word times count from the recogniser's creation, not the call
        self._fed_s += len(x) / 16000
        rec.AcceptWaveform(x.tobytes())
        res = json.loads(rec.FinalResult())
        words = res.get("result", [])
        text = res.get("text", "")
        conf = min((w.get("conf", 1.0) for w in words), default=None)
        self._count += 1
        if self._count % self.recreate_every == 0:
            self._rec = self._new_recognizer()  # vosk's memory grows on long streams
        timed = tuple(Word(w.get("word", ""), float(w.get("start", 0.0)) - offset_s,
                           float(w.get("end", 0.0)) - offset_s) for w in words)
        return Hypothesis(text, conf, self.name, words=timed, decode_s=time.perf_counter() - t0)

    def answer(self, samples: np.ndarray) -> Hypothesis:
        """A yes / no answer to a question, alone or after the wake phrase ("[unk]" otherwise)."""
        import vosk  # noqa: PLC0415

        from timekeeper import lang as languages  # noqa: PLC0415

        if self._answer_rec is None:
            words = languages.get(self.lang)
            answers = [a for a in words.YES + words.NO if self.has_word(a)]
            head = self._wake + " " if self._wake else ""
            g = answers + [head + a for a in answers] + (["[unk]"] if self.has_word("[unk]") else [])
            self._answer_rec = (vosk.KaldiRecognizer(self.model, 16000, json.dumps(g, ensure_ascii=False))
                                if self.grammar_mode else vosk.KaldiRecognizer(self.model, 16000))
        t0 = time.perf_counter()
        rec = self._answer_rec
        rec.AcceptWaveform(np.asarray(samples, dtype=np.int16).tobytes())
        res = json.loads(rec.FinalResult())
        words_ = res.get("result", [])
        conf = min((w.get("conf", 1.0) for w in words_), default=None)
        return Hypothesis(res.get("text", ""), conf, self.name, decode_s=time.perf_counter() - t0)

    def wake_heard(self) -> bool:
        """The wake phrase of the last utterance was clearly said: the free decoding (no grammar)
        holds it too. Asked by the listener only for refused commands ("sorry?")."""
        if not self._wake or self._last_samples is None:
            return False
        free = self.free_decode(self._last_samples)
        return free is not None and f" {self._wake} " in f" {free} "

    def free_decode(self, samples: np.ndarray) -> str | None:
        """The utterance decoded with the model's own vocabulary (no grammar), or None when the
        recogniser already decodes freely (no runtime graph: ``recognize`` is the free decoding).
        Seen on the Korean model: the same audio decoded twice in one process can differ in a word
        (likely the look-ahead graph's cache of what earlier decodes composed, shared in the model)."""
        if not (self.grammar_mode and self.phrases):
            return None
        import vosk  # noqa: PLC0415

        x = np.asarray(samples, dtype=np.int16)
        last = self._free_last
        if last is not None and (last[0] is x or np.array_equal(last[0], x)):
            return last[1]  # the listener's check and "sorry?" ask about the same utterance: decode it once
        rec = vosk.KaldiRecognizer(self.model, 16000)  # fresh each time: no state, no growing memory
        rec.AcceptWaveform(x.tobytes())
        text = str(json.loads(rec.FinalResult()).get("text", ""))
        self._free_last = (x, text)
        return text

    def reset(self) -> None:
        self._rec.Reset()

    def close(self) -> None:
        self._rec = self._answer_rec = None
        self.model = None
