"""The one place the listening stages are built from settings.

``run``, ``demo``, ``listen``, ``whois`` and the benchmarks all come through here, so what
is measured is what runs. Each stage meets its contract in ``timekeeper.contracts``; the
heavy modules (numpy, pocketsphinx, vosk) are imported only when a stage is asked for.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from timekeeper.config import Settings
from timekeeper.contracts import Listener, Rules, Source, Tracker, Vad

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from timekeeper.asr.listener import CommandListener
    from timekeeper.speakers.profiles import VoiceProfile


@dataclass
class Stages:
    """The listening stages of one session (any may be None: keyboard only, no speakers...)."""

    source: Source | None = None
    vad: Vad | None = None
    listener: Listener | None = None
    tracker: Tracker | None = None
    rules: Rules | None = None

    def close(self) -> None:
        """Free the audio device, the recogniser and the helper processes."""
        if self.source is not None:
            self.source.close()
        if self.listener is not None:
            self.listener.close()
        if hasattr(self.vad, "close"):
            self.vad.close()

    def replay_ahead(self) -> None:
        """A replayed file: the VAD and the speakers' voice prints run ahead in a helper process,
        on the other core (``audio/ahead.py``; the same decisions). Not with one core, not for
        a microphone, not when TIMEKEEPER_REPLAY_AHEAD=0."""
        from timekeeper.audio.sources import WavSource
        from timekeeper.audio.vad import Vad

        if (os.cpu_count() or 1) < 2 or os.environ.get("TIMEKEEPER_REPLAY_AHEAD", "1") == "0" \
                or type(self.source) is not WavSource or type(self.vad) is not Vad:
            return
        from timekeeper.audio.ahead import AheadVad

        try:
            self.vad = AheadVad(self.source.path, self.source.frame_samples, self.vad, self.tracker)
        except OSError as exc:  # no processes here (sandbox, frozen app): one process it is
            log.warning("no helper process for the replay (%s); running in-process", exc)


def wake_phrase(settings: Settings, lang: str) -> str:
    """The wake phrase configured for ``lang`` ("default": the language's own)."""
    listen = settings.listen
    return {"fr": listen.wake_fr, "en": listen.wake_en}.get(lang, "default")


def build_listener(lang: str, *, engine: str = "auto", model: str | Path | None = None,
                   models_dir: str | Path | None = None, wake: str | None = "default",
                   phases: Sequence[int] | None = None) -> CommandListener:
    """The command listener and its recogniser, over one phrase table expanded once.
    ``wake``: "default" (the language's own), a phrase, or "" / None for none."""
    from timekeeper.asr import choose_recognizer
    from timekeeper.asr.listener import CommandListener
    from timekeeper.asr.phrases import expand

    table = expand(lang, "default" if wake is None else wake, phases=phases)
    recognizer = choose_recognizer(lang, Path(models_dir) if models_dir else None, engine,
                                   Path(model) if model else None, table=table)
    return CommandListener(lang, recognizer, table=table)


def load_profiles(names: Sequence[str], warn: Callable[[str], None], voices_dir: str | None = None) -> list:
    """The stored voice profiles of ``names``; who has none is named in one warning."""
    from timekeeper.speakers.profiles import ProfileStore

    store = ProfileStore(voices_dir) if voices_dir else ProfileStore()
    missing = [name for name in names if not store.has(name)]
    profiles = store.load_many([name for name in names if name not in missing])
    if missing:
        # what the tracker really does: new voices are told apart ("Voice N") only beside
        # enrolled ones; with no profile at all every turn is "unknown"
        label = "'Voice N' (or 'unknown' when too short to tell)" if profiles else "'unknown' (no enrolled voice to tell them apart)"
        warn(f"timekeeper: no voice profile for {', '.join(missing)}: their speech will count as "
             f"{label} (enroll with `timekeeper enroll NAME --from FILE.wav` or `timekeeper run --enroll`)")
    return profiles


def build_rules(settings: Settings) -> Rules:
    from timekeeper.speakers.rules import RuleEngine, SpeakingRules

    return RuleEngine(SpeakingRules.from_dict(settings.speaking), settings.participants)


def build_stages(settings: Settings, *, phases: Sequence[int] | None = None, lang: str | None = None,
                 warn: Callable[[str], None] = lambda _m: None, commands: bool = True,
                 speakers: bool | None = None, rules: bool = True, voices: Sequence[str] | None = None,
                 profiles: Sequence[VoiceProfile] | None = None, wake: str | None = None,
                 models_dir: str | Path | None = None, tracker_options: dict | None = None,
                 voices_dir: str | None = None) -> Stages:
    """The stages for ``settings.listen``: its input (none: keyboard only), the VAD, the
    command listener (``commands``) in ``lang`` (default: the session's), the speaker
    tracker (``speakers``, default ``settings.listen.speakers``) over ``profiles`` or the
    stored profiles of ``voices`` (default: the participants), and the speaking rules
    that watch it (``rules``). ``phases``: the agenda's numbers "go to phase N" accepts;
    ``wake`` overrides the configured wake phrase. Whatever cannot start (a model, an
    audio file, the speaking rules) raises here, before anything else is done."""
    listen = settings.listen
    if not listen.input:
        return Stages()
    from timekeeper.audio.sources import open_source
    from timekeeper.audio.vad import Vad as EnergyVad

    lang = lang or settings.lang
    stages = Stages(vad=EnergyVad())
    if commands:
        stages.listener = build_listener(lang, engine=listen.engine, model=listen.model or None,
                                         models_dir=models_dir,
                                         wake=wake_phrase(settings, lang) if wake is None else wake,
                                         phases=phases)
        # the listener decodes a segment while the VAD confirms the pause after it (0.2 s sooner)
        stages.vad.on_candidate = getattr(stages.listener, "prepare", None)
    try:
        stages.source = open_source(listen.input)
        if listen.speakers if speakers is None else speakers:
            from timekeeper.speakers.identify import SpeakerTracker

            if profiles is None:
                wanted = list(voices) if voices is not None else [p.name for p in settings.participants]
                profiles = load_profiles(wanted, warn, voices_dir)
            stages.tracker = SpeakerTracker(list(profiles), **(tracker_options or {}))
            if rules:
                stages.rules = build_rules(settings)
    except BaseException:
        stages.close()
        raise
    return stages
