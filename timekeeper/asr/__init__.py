"""Speech recognition for voice commands: recognisers, phrase tables, the CommandListener."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from timekeeper.contracts import Hypothesis, Recognizer
from timekeeper.errors import ModelNotFound

if TYPE_CHECKING:
    from timekeeper.asr.phrases import PhraseTable

__all__ = ["Hypothesis", "Recognizer", "choose_recognizer"]



def _name(lang: str) -> str:
    from timekeeper import lang as languages

    return languages.get(lang).NAME if lang in languages.LANGS else lang


def choose_recognizer(lang: str, model_dir: Path | None = None, engine: str = "auto",
                      model_path: Path | None = None, wake: str | None = None,
                      phases: tuple[int, ...] | list[int] | None = None,
                      table: PhraseTable | None = None) -> Recognizer:
    """vosk when a model for ``lang`` is installed (or ``model_path`` given); else the built-in
    pocketsphinx recogniser for English; else ModelNotFound naming the install command.
    ``phases``: the agenda's phase numbers, the only ones "go to phase N" listens for;
    ``table``: the phrase table already expanded (then ``wake`` and ``phases`` are not used)."""
    if table is None:
        from timekeeper.asr.phrases import expand

        table = expand(lang, "default" if wake is None else wake, phases=phases)
    if engine not in ("auto", "vosk", "builtin"):
        from timekeeper.errors import ConfigError

        raise ConfigError(f"unknown engine {engine!r}: use auto, vosk or builtin")
    if engine in ("auto", "vosk"):
        path = model_path
        if path is None:
            from timekeeper.models.manager import ModelManager

            path = ModelManager(model_dir).installed_path(lang)
        if path is not None:
            from timekeeper.asr.vosk_adapter import VoskRecognizer

            return VoskRecognizer(path, table)
        if engine == "vosk":
            raise ModelNotFound(f"no {_name(lang)} speech model installed: "
                                f"run `timekeeper models install {lang}`")
    if lang == "en":
        from timekeeper.asr.builtin import PocketsphinxRecognizer

        return PocketsphinxRecognizer(table)
    raise ModelNotFound(f"no {_name(lang)} speech model installed: run `timekeeper models install {lang}`")
