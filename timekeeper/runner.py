"""One session from options: ``prepare`` resolves settings, agenda, session folder (or
the journal to resume) and the listening stages (built in ``timekeeper.stages``);
``drive`` opens the journal, runs the pipeline to the end and writes the report. The
CLI's ``run`` and ``demo`` both come through here, so the live path and the tested path
are the same code."""

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
from typing import Any, Callable, Iterator, TextIO

from timekeeper.agenda import Agenda, get_agenda
from timekeeper.clock import AudioClock, Clock, MonotonicClock
from timekeeper.commands import Command, CommandKind
from timekeeper.config import Settings, load_settings, override, parse_participants
from timekeeper.errors import ConfigError, JournalError
from timekeeper.events import Announced, Event, SessionEnded, SessionResumed
from timekeeper.i18n import msg
from timekeeper.dialog import Dialog
from timekeeper.journal import JournalWriter
from timekeeper.pipeline import Pipeline
from timekeeper.resume import CatchUp, is_file_input, journal_batches, resumable, resume_input
from timekeeper.session import Session
from timekeeper.sessiondir import SessionLock, check_new, claim
from timekeeper.stages import Stages, build_stages

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
    voices_dir: str | None = None
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


def enroll_round(settings: Settings, lang: str, announcer, warn, voices_dir: str | None = None) -> None:
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
    store = ProfileStore(voices_dir)
    for profile in result.profiles:
        store.save(profile)
    if result.failed:
        warn(f"timekeeper: no voice profile for {', '.join(result.failed)}; their speech will count as 'Voice N'")


def check_rate(stages: Stages) -> None:
    """Commands need 16 kHz audio: a recording sampled lower is refused, not silently deaf."""
    from timekeeper.audio.frames import RATE_HZ
    from timekeeper.errors import AudioFileError

    rate = getattr(stages.source, "rate_hz", RATE_HZ)
    if stages.listener is not None and isinstance(rate, int) and rate < RATE_HZ:
        stages.close()
        raise AudioFileError(f"{stages.source.name}: sampled at {rate} Hz, too low for voice commands (they need "
                             f"{RATE_HZ} Hz); replay a recording made at 16 kHz or more")


@dataclass
class Prepared:
    """Everything a session needs before its journal is opened."""

    settings: Settings
    agenda: Agenda | None  # None when resumed: the journal holds the plan
    session_dir: Path
    stages: Stages
    history: tuple[Event, ...] = ()  # the resumed journal's events
    resume_t: float = 0.0
    last_wall: float | None = None
    batches: list[list[Event]] = dataclasses.field(default_factory=list)  # the resumed journal's batches
    lock: SessionLock | None = None  # a resumed folder is locked while prepared

    @property
    def ended(self) -> bool:
        return any(isinstance(e, SessionEnded) for e in self.history)

    @property
    def replay(self) -> bool:
        return self.stages.source is not None and not self.stages.source.realtime


def prepare(o: RunOptions, warn: Callable[[str], None], *, stages: Stages | None = None,
            settings: Settings | None = None, agenda: Agenda | None = None) -> Prepared:
    """Settings, agenda, session folder (or the journal to resume) and listening stages.
    Whatever can refuse to start (a model, an audio file, the speaking rules) is checked
    here, before the session folder is made, so a mistake leaves nothing behind."""
    settings = settings or resolve_settings(o)
    if is_file_input(settings.listen.input) and Path(settings.listen.input).is_file():
        # journaled as an absolute path, so a resume from another folder finds it
        settings = override(settings, **{"listen.input": str(Path(settings.listen.input).resolve())})
    history: tuple[Event, ...] = ()
    batches: list[list[Event]] = []
    resume_t, last_wall, lock = 0.0, None, None
    if o.resume:
        session_dir = Path(o.resume)
        contents = resumable(session_dir, warn)
        history, last_wall, batches = contents.events, contents.last_wall, journal_batches(contents)
        started = history[0]
        settings = dataclasses.replace(settings, lang=started.lang, participants=started.participants)
        resume_t = max(e.t_s for e in history)
        agenda, numbers = None, tuple(p.number for p in started.phases)
        if any(isinstance(e, SessionEnded) for e in history):  # nothing to listen to
            return Prepared(settings, agenda, session_dir, Stages(), history, resume_t, last_wall, batches)
        settings = resume_input(settings, started, session_dir)
        lock = claim(session_dir, resume=True)  # refused while another timekeeper writes it
    else:
        agenda = agenda or resolve_agenda(settings, o.scale)
        session_dir = Path(o.session_dir) if o.session_dir else new_session_dir(Path(settings.sessions_dir), agenda.id)
        check_new(session_dir)  # a finished session is never appended to
        numbers = agenda.numbers
    try:
        if o.enroll and not settings.participants:
            raise ConfigError('--enroll needs the participants: add --participants "Alice:client,Bob,Chloé"')
        if stages is None:
            voices = [v.strip() for v in o.voices.split(",") if v.strip()] if o.voices else None
            stages = build_stages(settings, phases=numbers, warn=warn, voices=voices, voices_dir=o.voices_dir)
            check_rate(stages)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    return Prepared(settings, agenda, session_dir, stages, history, resume_t, last_wall, batches, lock)


def run_session(o: RunOptions, *, out: TextIO, err: TextIO, stages: Stages | None = None,
                settings: Settings | None = None, agenda: Agenda | None = None) -> int:
    """Run one session to its end. The demo and benches may inject ready ``stages``,
    ``settings`` and ``agenda``; the rest is built from the options."""
    warn = lambda m: print(m, file=err)  # noqa: E731
    p = prepare(o, warn, stages=stages, settings=settings, agenda=agenda)
    if p.ended:
        warn(msg(p.settings.lang, "cli.ended_already", path=p.session_dir))
        if not o.no_report:
            report = write_report(p.session_dir, p.settings.lang, warn)
            if report is not None:
                print(msg(p.settings.lang, "cli.report", path=report), file=out)
        return 0
    lock = p.lock
    try:
        if lock is None:
            lock = claim(p.session_dir, resume=False)
        return drive(p, o, out=out, err=err)
    except JournalError:
        if lock is not None and not p.history:
            lock.abandon()  # a session that could not write its start leaves nothing behind
        raise
    finally:
        if lock is not None:
            lock.release()


def drive(p: Prepared, o: RunOptions, *, out: TextIO, err: TextIO) -> int:
    """Open the journal (before anything is announced), drive the pipeline to the end of
    the session, write the report."""
    warn = lambda m: print(m, file=err)  # noqa: E731
    settings, lang, st = p.settings, p.settings.lang, p.stages
    journal: Any = JournalWriter(p.session_dir, sync=not p.replay)
    if p.history and p.replay:  # hear the recording again from its start (timekeeper.resume)
        journal = CatchUp(journal, p.batches, settings.listen.input)
    if p.history and not p.replay:
        down_s = max(0.0, time.time() - p.last_wall) if p.last_wall else 0.0
        clock: Clock = MonotonicClock(offset_s=p.resume_t + down_s)
    else:
        clock = AudioClock() if p.replay else MonotonicClock()

    from timekeeper.announce import make_announcer
    from timekeeper.view import LiveView, PlainView

    view: Any
    if o.no_view or not out.isatty():
        view, printer = PlainView(out, verbose=o.verbose, lang=lang), None
    else:
        view = LiveView(layout=o.layout)
        printer = view.print
        warn = view.print  # a line written beside the live view would tear it
    a = settings.announcer
    announcer = make_announcer(clock, lang, tts=not o.no_tts and a.tts and (not p.replay or o.speak),
                               voice=a.voice, rate_wpm=a.rate_wpm, tail_s=a.tail_s, printer=printer,
                               warn=warn, realtime=not p.replay, stream=out)
    try:
        if o.enroll:
            enroll_round(settings, lang, announcer, warn, o.voices_dir)
            if st.tracker is not None:  # listen with the profiles just made
                from timekeeper.speakers.identify import SpeakerTracker
                from timekeeper.stages import load_profiles

                wanted = [v.strip() for v in o.voices.split(",") if v.strip()] if o.voices else \
                    [q.name for q in settings.participants]
                st.tracker = SpeakerTracker(load_profiles(wanted, lambda _m: None, o.voices_dir))
        if p.replay:
            st.replay_ahead()  # VAD and voice prints on the other core, same decisions
        pipeline = Pipeline(Session(p.agenda.plans(lang) if p.agenda else ()), journal, announcer, clock,
                            lang=lang, vad=st.vad, listener=st.listener, tracker=st.tracker, rules=st.rules,
                            view=view, ack=a.earcon, hears_itself=not p.replay or o.echo,
                            dialog=Dialog(settings.listen.confirm_end_s, settings.listen.sorry,
                                          settings.listen.sorry_every_s))
        if hasattr(st.source, "on_device_event"):
            st.source.on_device_event(lambda what: pipeline.device_event(what, st.source.name))
        if p.history and p.replay:
            first = [e for e in p.batches[0] if not isinstance(e, Announced)]
            for event in first:  # the start, as pipeline.start made it (checked like every batch)
                pipeline.session.apply(event)
            pipeline.emit(first, first[0].t_s)
            warn(msg(lang, "cli.replaying", path=p.session_dir, input=st.source.name, t=f"{p.resume_t:.0f}"))
        elif p.history:
            pipeline.resumed_from(p.history)
            warn(msg(lang, "cli.resumed", path=p.session_dir, t=f"{p.resume_t:.0f}"))
            now = round(max(pipeline.clock.now(), p.resume_t), 3)
            if pipeline.settle(now):  # stamped when they fell due: before the resume, time never goes back
                warn(msg(lang, "cli.settled"))
            pipeline.emit([SessionResumed(now, round(now - p.resume_t, 3))], now)
            pipeline.command(Command(CommandKind.TIME_LEFT), now, source="script")  # tell the room where we are
        else:
            pipeline.start(p.agenda, settings)
        warn(msg(lang, "cli.session_folder", path=p.session_dir))
        _loop(pipeline, st.source, o, p.session_dir, warn)
        pipeline.finish()
    finally:
        announcer.close()
        if hasattr(view, "close"):
            view.close()
        journal.close()
        st.close()
    if not o.no_report:
        report = write_report(p.session_dir, lang, warn)
        if report is not None:
            print(msg(lang, "cli.report", path=report), file=out)
    print(msg(lang, "cli.journal", path=journal.path), file=out)
    return 0


def _loop(pipeline: Pipeline, source: Any, o: RunOptions, session_dir: Path, notify=print) -> None:
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
        if getattr(pipeline.journal, "catching_up", False):
            frames = _caught_up(frames, pipeline)
        pipeline.run(frames, commands=keyboard.poll if keyboard else None)
    finally:
        if keyboard is not None:
            keyboard.close()


def _caught_up(frames: Iterator, pipeline: Pipeline) -> Iterator:
    """A resumed replay: once the journal is heard again to its end, tell where we are."""
    for frame in frames:
        yield frame
        if not pipeline.journal.catching_up:
            if not pipeline.session.ended:
                now = pipeline.clock.now()
                pipeline.emit([SessionResumed(round(now, 3), 0.0)], round(now, 3))  # an audio clock never stops
                pipeline.command(Command(CommandKind.TIME_LEFT), source="script")
            yield from frames
            return


def write_report(session_dir: Path, lang: str, warn) -> Path | None:
    try:
        from timekeeper.report import write_report as write
    except ImportError:
        return None
    return write(session_dir, "html", None, lang, {})
