"""Assembles a session from options: settings, agenda, journal, clock, announcer,
listening stages, view; runs it; writes the report. The CLI's ``run`` and ``demo``
both come through here, so the live path and the tested path are the same code."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import re
import time
import wave
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, TextIO

from timekeeper.agenda import Agenda, get_agenda
from timekeeper.clock import AudioClock, Clock, MonotonicClock
from timekeeper.commands import Command, CommandKind
from timekeeper.config import Settings, load_settings, override, parse_participants
from timekeeper.errors import ConfigError, JournalError
from timekeeper.events import SessionResumed, SessionStarted
from timekeeper.i18n import msg
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    agenda: str | None = None
    config: str | None = None
    lang: str | None = None
    participants: str | None = None
    input: str | None = None
    engine: str | None = None
    model: str | None = None
    voices: str | None = None
    enroll: bool = False
    no_tts: bool = False
    speak: bool = False
    no_view: bool = False
    scale: float | None = None
    sessions_dir: str | None = None
    session_dir: str | None = None
    resume: str | None = None
    record: bool = False
    no_report: bool = False
    verbose: bool = False
    echo: bool = False
    layout: str = "auto"

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "RunOptions":
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in vars(args).items() if k in names})


def resolve_settings(o: RunOptions) -> Settings:
    settings = load_settings(Path(o.config) if o.config else None)
    participants = parse_participants(o.participants) if o.participants else None
    return override(settings, lang=o.lang, agenda=o.agenda, participants=participants,
                    sessions_dir=o.sessions_dir,
                    **{"listen.input": o.input, "listen.engine": o.engine, "listen.model": o.model})


def resolve_agenda(settings: Settings, scale: float | None) -> Agenda:
    agenda = get_agenda(settings.agenda)
    if scale is not None:
        if not 0.01 <= scale <= 10:
            raise ConfigError(f"--scale {scale}: use a factor between 0.01 and 10 (0.1 = ten times shorter)")
        agenda = agenda.scaled(scale)
    return agenda


def new_session_dir(base: Path, agenda_id: str, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M")
    name = f"{stamp}_{re.sub(r'[^A-Za-z0-9_.-]+', '-', agenda_id)}"
    path = base / name
    n = 2
    while path.exists():
        path = base / f"{name}-{n}"
        n += 1
    return path


class Recorder:
    """Writes the frames it passes on to SESSION_DIR/audio.wav (only with --record)."""

    def __init__(self, frames, path: Path) -> None:
        self.frames = frames
        self.path = path

    def __iter__(self) -> Iterator:
        from timekeeper.audio.frames import RATE_HZ

        with wave.open(str(self.path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE_HZ)
            for frame in self.frames:
                out.writeframes(frame.samples.tobytes())
                yield frame


def build_listening(settings: Settings, session_lang: str, warn, voices: list[str] | None = None,
                    phases: tuple[int, ...] | None = None) -> tuple[Any, Any, Any, Any]:
    """(source, vad, listener, tracker) for ``settings.listen.input``; imports lazily."""
    from timekeeper.asr import choose_recognizer
    from timekeeper.asr.listener import CommandListener
    from timekeeper.audio.sources import open_source
    from timekeeper.audio.vad import Vad

    listen = settings.listen
    wake = listen.wake_fr if session_lang == "fr" else listen.wake_en
    recognizer = choose_recognizer(session_lang, engine=listen.engine, wake=wake,
                                   model_path=Path(listen.model) if listen.model else None, phases=phases)
    listener = CommandListener(session_lang, recognizer, wake=wake, phases=phases)
    source = open_source(listen.input)
    tracker = build_tracker(settings, warn, voices) if listen.speakers else None
    return source, Vad(), listener, tracker


def build_tracker(settings: Settings, warn, voices: list[str] | None = None) -> Any:
    """A speaker tracker over the enrolled voices of the participants (or ``voices``)."""
    from timekeeper.speakers.identify import SpeakerTracker
    from timekeeper.speakers.profiles import ProfileStore

    store = ProfileStore()
    known = {name.casefold() for name in store.names()}
    wanted = voices if voices is not None else [p.name for p in settings.participants]
    missing = [name for name in wanted if name.casefold() not in known]
    profiles = store.load_many([name for name in wanted if name.casefold() in known])
    if missing:
        warn(f"timekeeper: no voice profile for {', '.join(missing)}: their speech will count as "
             "'Voice N' (enroll with `timekeeper enroll NAME --from FILE.wav` or `timekeeper run --enroll`)")
    return SpeakerTracker(profiles)


def enroll_round(settings: Settings, lang: str, announcer, warn) -> None:
    """The check-in as a voice enrollment round: each participant speaks in turn."""
    from timekeeper.audio.sources import open_source
    from timekeeper.speakers.guided import guided_round
    from timekeeper.speakers.profiles import ProfileStore

    names = [p.name for p in settings.participants]
    spec = settings.listen.input or "mic"

    def say(text: str) -> None:
        announcer.say(text)
        announcer.wait()  # never record the prompt itself

    result = guided_round(names, lambda: open_source(spec), say=say, lang=lang)
    store = ProfileStore()
    for profile in result.profiles:
        store.save(profile)
    if result.failed:
        warn(f"timekeeper: no voice profile for {', '.join(result.failed)}; their speech will count as 'Voice N'")


def build_rules(settings: Settings) -> Any:
    from timekeeper.speakers.rules import RuleEngine, SpeakingRules

    return RuleEngine(SpeakingRules.from_dict(settings.speaking), settings.participants)


def run_session(o: RunOptions, *, out: TextIO, err: TextIO, stages: dict[str, Any] | None = None,
                settings: Settings | None = None, agenda: Agenda | None = None) -> int:
    """Run one session to its end. The demo and tests may inject ready ``stages``
    (source, vad, listener, tracker, rules, announcer), ``settings`` and ``agenda``."""
    stages = dict(stages or {})
    warn = lambda m: print(m, file=err)  # noqa: E731
    settings = settings or resolve_settings(o)
    resumed_events: tuple = ()
    resume_t = 0.0
    if o.resume:
        session_dir = Path(o.resume)
        contents = read_journal(session_dir)
        if contents.torn_lines:
            warn(f"timekeeper: {len(contents.torn_lines)} torn line(s) in the journal were skipped "
                 f"(line {', '.join(map(str, contents.torn_lines))})")
        resumed_events = contents.events
        last_wall = contents.last_wall
        if not resumed_events or not isinstance(resumed_events[0], SessionStarted):
            raise JournalError(f"{session_dir}: the journal has no session start; start a new session instead")
        started = resumed_events[0]
        settings = dataclasses.replace(settings, lang=started.lang, participants=started.participants)
        resume_t = max(e.t_s for e in resumed_events)
        agenda = None
    else:
        agenda = agenda or resolve_agenda(settings, o.scale)
        base = Path(settings.sessions_dir)
        session_dir = Path(o.session_dir) if o.session_dir else new_session_dir(base, agenda.id)
    lang = settings.lang

    # Whatever can refuse to start (a model, an audio file, the speaking rules) is checked
    # before the session folder is made, so a mistake leaves nothing behind; then the
    # journal is opened before anything is announced.
    if o.enroll and not settings.participants:
        raise ConfigError('--enroll needs the participants: add --participants "Alice:client,Bob,Chloé"')
    source, vad, listener, tracker, rules = (stages.get(k) for k in ("source", "vad", "listener", "tracker", "rules"))
    if settings.listen.input and source is None:
        voices = [v.strip() for v in o.voices.split(",") if v.strip()] if o.voices else None
        numbers = agenda.numbers if agenda else tuple(p.number for p in started.phases)  # resumed: from the journal
        source, vad, listener, tracker = build_listening(settings, lang, warn, voices, numbers)
    if tracker is not None and rules is None:
        rules = build_rules(settings)
    replay = source is not None and not source.realtime
    journal = JournalWriter(session_dir, sync=not replay)

    if resumed_events and not replay:
        down_s = max(0.0, time.time() - last_wall) if last_wall else 0.0
        clock: Clock = MonotonicClock(offset_s=resume_t + down_s)
    elif replay:
        clock = AudioClock()
    else:
        clock = MonotonicClock()

    from timekeeper.announce import make_announcer
    from timekeeper.view import LiveView, PlainView

    use_tts = not o.no_tts and settings.announcer.tts and (not replay or o.speak)
    view: Any
    if o.no_view or not out.isatty():
        view = PlainView(out, verbose=o.verbose, lang=lang)
        printer = None
    else:
        view = LiveView(layout=o.layout)
        printer = view.print
        warn = view.print  # a line written beside the live view would tear it
    announcer = stages.get("announcer") or make_announcer(
        clock, lang, tts=use_tts, voice=settings.announcer.voice, rate_wpm=settings.announcer.rate_wpm,
        tail_s=settings.announcer.tail_s, printer=printer, warn=warn, realtime=not replay,
        stream=out)

    try:
        if o.enroll:
            enroll_round(settings, lang, announcer, warn)
        pipeline = Pipeline(Session(agenda.plans(lang) if agenda else ()), journal, announcer, clock,
                            lang=lang, vad=vad, listener=listener, tracker=tracker, rules=rules,
                            view=view, ack=settings.announcer.earcon, hears_itself=not replay or o.echo)
        if hasattr(source, "on_device_event"):
            source.on_device_event(lambda what: pipeline.device_event(what, source.name))
        if resumed_events:
            pipeline.resumed_from(resumed_events)
            warn(msg(lang, "cli.resumed", path=session_dir, t=f"{resume_t:.0f}"))
            now = max(pipeline.clock.now(), resume_t)
            pipeline.emit([SessionResumed(round(now, 3), round(now - resume_t, 3))], round(now, 3))
            if not pipeline.session.ended:  # tell the room where we are
                pipeline.command(Command(CommandKind.TIME_LEFT), source="script")
        else:
            pipeline.start(agenda, settings)
        warn(msg(lang, "cli.session_folder", path=session_dir))
        _loop(pipeline, source, o, resume_t if replay else 0.0, session_dir, warn)
        pipeline.finish()
    finally:
        announcer.close()
        if hasattr(view, "close"):
            view.close()
        journal.close()
        if source is not None:
            source.close()
        if listener is not None and hasattr(listener, "close"):
            listener.close()
    if not o.no_report:
        report = write_report(session_dir, lang, warn)
        if report is not None:
            print(msg(lang, "cli.report", path=report), file=out)
    print(msg(lang, "cli.journal", path=journal.path), file=out)
    return 0


def _loop(pipeline: Pipeline, source: Any, o: RunOptions, skip_until_s: float, session_dir: Path,
          notify=print) -> None:
    from timekeeper.keyboard import KeyboardReader

    keyboard = None
    if source is None or source.realtime:
        keyboard = KeyboardReader(is_paused=lambda: pipeline.status().paused, lang=pipeline.phrases.lang,
                                  notify=notify, session_dir=session_dir)
    try:
        if source is None:  # keyboard only: wake up on keys and four times a second
            while not pipeline.session.ended:
                for command in keyboard.wait(0.25):
                    pipeline.command(command)
                pipeline.tick()
            return
        frames = source.frames()
        if o.record:
            frames = iter(Recorder(frames, session_dir / "audio.wav"))
        if skip_until_s > 0:  # a resumed replay: the audio before the crash was heard already
            frames = _skip(frames, skip_until_s, pipeline.clock)
        pipeline.run(frames, commands=keyboard.poll if keyboard else None)
    finally:
        if keyboard is not None:
            keyboard.close()


def _skip(frames, until_s: float, clock) -> Iterator:
    for frame in frames:
        if frame.end_s <= until_s:
            clock.advance_samples(len(frame.samples))
            continue
        yield frame


def write_report(session_dir: Path, lang: str, warn) -> Path | None:
    try:
        from timekeeper.report import write_report as write
    except ImportError:
        return None
    return write(session_dir, "html", None, lang, {})
