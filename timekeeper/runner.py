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
from timekeeper.agenda import LANGS
from timekeeper.catchup import CatchUp, journal_batches
from timekeeper.events import Announced, SessionEnded, SessionStarted
from timekeeper.journal import JOURNAL_NAME, JournalWriter, read_journal
from timekeeper.sessiondir import LOCK_NAME, check_new, claim
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


def is_file_input(spec: str) -> bool:
    """A WAV path (a replay), not "" (keys only), "mic" or "mic:N"."""
    return bool(spec) and spec != "mic" and not spec.startswith("mic:")


def _resumable(session_dir: Path, warn) -> tuple[tuple, Any]:
    """(events, contents) of a journal a session can be taken up from; one line otherwise."""
    contents = read_journal(session_dir)
    if contents.torn_lines:
        warn(f"timekeeper: {len(contents.torn_lines)} torn line(s) in the journal were skipped "
             f"(line {', '.join(map(str, contents.torn_lines))})")
    if contents.unknown:
        warn(f"timekeeper: {len(contents.unknown)} event(s) of a newer timekeeper were skipped "
             f"({', '.join(sorted({kind for _, kind in contents.unknown}))})")
    events = contents.events
    if not events or not isinstance(events[0], SessionStarted):
        raise JournalError(f"{session_dir}: the session never started (no session start in its journal); "
                           f"start a new one with --session-dir pointing elsewhere")
    if events[0].lang not in LANGS:
        raise JournalError(f"{session_dir}: the journal's language '{events[0].lang}' is not one this "
                           f"timekeeper speaks ({', '.join(LANGS)}); was it written by another version?")
    return events, contents


def _resume_input(o: RunOptions, settings: Settings, started: SessionStarted, session_dir: Path) -> Settings:
    """What a resumed session listens to: the journaled input unless --input says otherwise;
    a replay goes on only as a replay of a recording, a live session only live."""
    given = settings.listen.input
    was = started.input
    if not given:
        if is_file_input(was) and not Path(was).is_file():
            raise ConfigError(f"{session_dir} was a replay of {was}, which is gone: resume it with "
                              f"--input FILE.wav (the same recording)")
        return override(settings, **{"listen.input": was})
    if is_file_input(was) and not is_file_input(given):
        raise ConfigError(f"{session_dir} was a replay of {was}: a replay cannot go on live; resume it "
                          f"with --input {was}")
    if was and not is_file_input(was) and is_file_input(given):
        raise ConfigError(f"{session_dir} was a live session: a recording cannot take it up; resume it "
                          f"without --input {given}")
    return settings


def run_session(o: RunOptions, *, out: TextIO, err: TextIO, stages: dict[str, Any] | None = None,
                settings: Settings | None = None, agenda: Agenda | None = None) -> int:
    """Run one session to its end. The demo and tests may inject ready ``stages``
    (source, vad, listener, tracker, rules, announcer), ``settings`` and ``agenda``."""
    stages = dict(stages or {})
    warn = lambda m: print(m, file=err)  # noqa: E731
    settings = settings or resolve_settings(o)
    if is_file_input(settings.listen.input) and Path(settings.listen.input).is_file():
        # journaled as an absolute path, so a resume from another folder finds it
        settings = override(settings, **{"listen.input": str(Path(settings.listen.input).resolve())})
    resumed_events: tuple = ()
    resumed_batches: list = []
    resume_t = 0.0
    lock = None
    if o.resume:
        session_dir = Path(o.resume)
        resumed_events, contents = _resumable(session_dir, warn)
        lock = claim(session_dir, resume=True)  # refused while another timekeeper writes it
        last_wall = contents.last_wall
        started = resumed_events[0]
        settings = dataclasses.replace(settings, lang=started.lang, participants=started.participants)
        settings = _resume_input(o, settings, started, session_dir)
        resume_t = max(e.t_s for e in resumed_events)
        resumed_batches = journal_batches(contents)
        agenda = None
        if any(isinstance(e, SessionEnded) for e in resumed_events):
            lock.release()
            warn(f"timekeeper: the session in {session_dir} has ended already; nothing to resume")
            if not o.no_report:
                report = write_report(session_dir, started.lang, warn)
                if report is not None:
                    print(f"report: {report}", file=out)
            return 0
    else:
        agenda = agenda or resolve_agenda(settings, o.scale)
        base = Path(settings.sessions_dir)
        session_dir = Path(o.session_dir) if o.session_dir else new_session_dir(base, agenda.id)
        check_new(session_dir)  # a finished session is not appended to
    lang = settings.lang
    try:
        return _run(o, out, err, warn, stages, settings, agenda, session_dir, lock, lang,
                    resumed_events, resumed_batches, resume_t, last_wall if o.resume else None)
    finally:
        if lock is not None:
            lock.release()


def _run(o, out, err, warn, stages, settings, agenda, session_dir, lock, lang,
         resumed_events, resumed_batches, resume_t, last_wall) -> int:
    # Whatever can refuse to start (a model, an audio file, the speaking rules) is checked
    # before the session folder is made, so a mistake leaves nothing behind; then the
    # journal is opened before anything is announced.
    if o.enroll and not settings.participants:
        raise ConfigError('--enroll needs the participants: add --participants "Alice:client,Bob,Chloé"')
    source, vad, listener, tracker, rules = (stages.get(k) for k in ("source", "vad", "listener", "tracker", "rules"))
    if settings.listen.input and source is None:
        voices = [v.strip() for v in o.voices.split(",") if v.strip()] if o.voices else None
        numbers = agenda.numbers if agenda else tuple(p.number for p in resumed_events[0].phases)
        source, vad, listener, tracker = build_listening(settings, lang, warn, voices, numbers)
    if tracker is not None and rules is None:
        rules = build_rules(settings)
    replay = source is not None and not source.realtime
    if lock is None:
        lock = claim(session_dir, resume=False)
    new_folder = not resumed_events
    journal: Any = JournalWriter(session_dir, sync=not replay)
    if resumed_events and replay:  # hear the recording again from its start (timekeeper.catchup)
        journal = CatchUp(journal, resumed_batches, settings.listen.input)

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
        view = PlainView(out, verbose=o.verbose)
        printer = None
    else:
        view = LiveView()
        printer = view.print
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
        if resumed_events and replay:
            first = [e for e in resumed_batches[0] if not isinstance(e, Announced)]
            for event in first:  # the start, as pipeline.start made it (checked like every batch)
                pipeline.session.apply(event)
            pipeline.emit(first, first[0].t_s)
            warn(f"timekeeper: resuming {session_dir}: replaying {source.name} again up to {resume_t:.0f} s "
                 "(nothing is written twice)")
        elif resumed_events:
            pipeline.resumed_from(resumed_events)
            warn(f"timekeeper: resumed {session_dir} at {resume_t:.0f} s")
            if pipeline.settle():
                warn("timekeeper: what fell due while the session was down is journaled, not announced")
            pipeline.command(Command(CommandKind.TIME_LEFT), source="script")  # tell the room where we are
        else:
            pipeline.start(agenda, settings)
        print(f"session folder: {session_dir}", file=err)
        _loop(pipeline, source, o, session_dir)
        pipeline.finish()
    except JournalError:
        if new_folder and journal.count == 0:
            _remove_empty(session_dir)  # nothing was journaled: leave nothing behind
        raise
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
            print(f"report: {report}", file=out)
    print(f"journal: {journal.path}", file=out)
    return 0


def _remove_empty(session_dir: Path) -> None:
    """Remove a session folder that holds nothing but an empty journal and the lock."""
    try:
        names = {p.name for p in session_dir.iterdir()}
        if names <= {JOURNAL_NAME, LOCK_NAME} and (session_dir / JOURNAL_NAME).stat().st_size == 0:
            for name in names:
                (session_dir / name).unlink()
            session_dir.rmdir()
    except OSError:
        pass


def _loop(pipeline: Pipeline, source: Any, o: RunOptions, session_dir: Path) -> None:
    from timekeeper.keyboard import KeyboardReader

    keyboard = None
    if source is None or source.realtime:
        keyboard = KeyboardReader(is_paused=lambda: pipeline.status().paused)
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
        if getattr(pipeline.journal, "catching_up", False):
            frames = _caught_up(frames, pipeline)
        pipeline.run(frames, commands=keyboard.poll if keyboard else None)
    finally:
        if keyboard is not None:
            keyboard.close()


def _caught_up(frames, pipeline: Pipeline) -> Iterator:
    """A resumed replay: once the journal is heard again to its end, tell where we are."""
    for frame in frames:
        yield frame
        if not pipeline.journal.catching_up:
            if not pipeline.session.ended:
                pipeline.command(Command(CommandKind.TIME_LEFT), source="script")
            yield from frames
            return


def write_report(session_dir: Path, lang: str, warn) -> Path | None:
    try:
        from timekeeper.report import write_report as write
    except ImportError:
        return None
    return write(session_dir, "html", None, lang, {})
