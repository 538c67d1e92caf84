"""The one consumer loop: audio frames and commands in, journaled events out.

Threads live only at the edges (the microphone callback, the keyboard reader, the
announcer's worker); everything here runs in one thread, in the order things happened.
For every batch of events the order is fixed: journal first (flushed, with what will
be said of them), then the view, then the announcer — so nothing announced can be lost
in a crash.

The pipeline takes its stages ready-made (``timekeeper.stages`` builds them), so tests
can hand it fakes for one stage and the real thing for the others; each stage's contract
is a Protocol in ``timekeeper.contracts`` (Vad, Listener, Tracker, Rules).
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import TYPE_CHECKING, Callable, Iterable, Protocol

from timekeeper.agenda import Agenda
from timekeeper.announce import Announcer
from timekeeper.clock import AudioClock, Clock
from timekeeper.commands import Command, CommandKind
from timekeeper.config import Settings
from timekeeper.contracts import Listener, Rules, SpeakerMask, Tracker, Vad
from timekeeper.dialog import Dialog
from timekeeper.events import (
    Announced,
    CommandHeard,
    DeviceLost,
    DeviceRestored,
    Event,
    PhaseStarted,
    SessionStarted,
    SpeakerTurn,
    SpeakerWarning,
    SpeechSegment,
)
from timekeeper.i18n import Phrasebook, msg
from timekeeper.journal import JournalWriter
from timekeeper.session import PhaseContext, Session, Status

if TYPE_CHECKING:
    from timekeeper.asr.listener import CommandDecision
    from timekeeper.audio.frames import Frame, Segment
    from timekeeper.speakers.identify import Turn

log = logging.getLogger(__name__)


class View(Protocol):
    def update(self, pipeline: "Pipeline", now_s: float, events: list[Event]) -> None: ...


@dataclass
class LiveFigures:
    """What the live view shows beside the clock (derived from events only)."""

    speaking_s: dict[str, float] = field(default_factory=dict)
    current_speaker: str | None = None
    last_heard: CommandHeard | None = None
    warnings: list[str] = field(default_factory=list)
    last_announcement: str | None = None

    def add(self, event: Event, text: str | None) -> None:
        if isinstance(event, SpeakerTurn):
            self.speaking_s[event.speaker] = self.speaking_s.get(event.speaker, 0.0) + (
                event.end_s - event.start_s)
            self.current_speaker = event.speaker
        elif isinstance(event, CommandHeard):
            self.last_heard = event
        elif isinstance(event, SpeakerWarning) and text:
            self.warnings = (self.warnings + [text])[-3:]
        if text and not isinstance(event, Announced):
            self.last_announcement = text


class Pipeline:
    def __init__(self, session: Session, journal: JournalWriter, announcer: Announcer,
                 clock: Clock, *, lang: str, vad: Vad | None = None, listener: Listener | None = None,
                 tracker: Tracker | None = None, rules: Rules | None = None, view: View | None = None,
                 ack: str = "word", tick_s: float = 0.25, hears_itself: bool = True,
                 dialog: Dialog | None = None) -> None:
        self.session = session
        self.journal = journal
        self.announcer = announcer
        self.clock = clock
        self.phrases = Phrasebook(lang)
        self.vad = vad
        self.listener = listener
        self.tracker = tracker
        self.rules = rules
        self.view = view
        self.ack = ack
        self.tick_s = tick_s
        # Live, the microphone hears the announcer: its windows are ignored. A replayed
        # recording holds the announcer's voice only if it was recorded live (--echo).
        self.hears_itself = hears_itself
        self.dialog = dialog or Dialog()  # "end the session?" and "sorry?"
        self.figures = LiveFigures()
        self._next_tick = 0.0
        self._phase_times: list[float] = []  # PhaseStarted times, for turn attribution
        self._phase_ids: list[str] = []
        self._lost_at: float | None = None

    # --- lifecycle ----------------------------------------------------------------

    def start(self, agenda: Agenda, settings: Settings, *, started_at: str | None = None) -> None:
        now = self._now()
        cs = settings.clock
        events = self.session.start(
            now, agenda_id=agenda.id, agenda_name=agenda.name(settings.lang), lang=settings.lang,
            participants=settings.participants,
            started_at=started_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
            warn_before_s=cs.warn_before_min * 60.0, overrun_every_s=cs.overrun_every_min * 60.0,
            overrun_max=cs.overrun_max, behind_warn_s=cs.behind_warn_min * 60.0, input=settings.listen.input)
        self.emit(events, now)

    def resumed_from(self, events: Iterable[Event]) -> None:
        """Take up a journal's history without writing or saying it again; the speaking
        rules take it up too (their tallies and the warnings already given)."""
        events = list(events)
        if self.rules is not None:
            self.rules.resume(events)
        for event in events:
            self.session.apply(event)
            self._learn(event)
            self.figures.add(event, None)
            if isinstance(event, Announced):
                self.announcer.resume(event.text, event.start_s, event.end_s)

    def settle(self, now: float | None = None) -> list[Event]:
        """After a resume: journal what fell due while the session was down, without saying
        it (the room hears where we are instead of a pile of stale reminders)."""
        now = self._now() if now is None else now
        events = list(self.session.tick(now))
        if events:
            self.journal.write(events)
            for event in events:
                self._learn(event)
                self.figures.add(event, None)
        return events

    def _learn(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            self.phrases.learn(event)
        elif isinstance(event, PhaseStarted):
            self._phase_times.append(event.t_s)
            self._phase_ids.append(event.phase_id)

    # --- events out ---------------------------------------------------------------

    def emit(self, events: list[Event], now: float, *, ack: bool = False, repeat: bool = False) -> list[str]:
        """Journal the events and what will be said of them (one batch), then show them,
        then say them. ``ack``: acknowledge a command if nothing else is said;
        ``repeat``: say the last sentence again. Returns what was said."""
        if not events:
            if self.view is not None and hasattr(self.view, "refresh"):
                self.view.refresh(self, now)  # the clock on screen moves without events
            return []
        texts: list[tuple[Event, str | None]] = []
        for event in events:
            self._learn(event)
            texts.append((event, self.phrases.say(event)))
        said = [text for _, text in texts if text]
        if repeat and self.announcer.last_text:
            said.append(self.announcer.last_text)
        if ack and not said and self.ack == "word":
            said.append(msg(self.phrases.lang, "ack"))
        windows = [self.announcer.reserve(text, now) for text in said]
        replaying = getattr(self.journal, "catching_up", False)  # a resumed replay hearing its past again
        self.journal.write(list(events) + [
            Announced(now, text, self.phrases.lang, round(w.start_s, 3), round(w.end_s, 3))
            for text, w in zip(said, windows)])
        for event, text in texts:
            self.figures.add(event, text)
        if replaying:
            return said
        if self.view is not None:
            self.view.update(self, now, events)
        for text, window in zip(said, windows):
            self.announcer.deliver(text, window, now)
        return said

    # --- inputs -------------------------------------------------------------------

    def command(self, command: Command, now: float | None = None, *, source: str = "keyboard",
                heard: str = "", start_s: float | None = None, end_s: float | None = None,
                before: list[Event] | None = None) -> list[Event]:
        """Apply a command from any source; journals what was heard with it (after ``before``,
        events of the same batch)."""
        now = self._now() if now is None else now
        said = CommandHeard(now, heard or str(command), now if start_s is None else start_s,
                            now if end_s is None else end_s, True, str(command), "", source)
        events: list[Event] = list(before or []) + [said]
        self.session.apply(said)  # what "undo" reverts starts here (rebuilt the same on resume)
        if command.kind is CommandKind.REPEAT:
            self.emit(events, now, repeat=True)
            return events
        asked, go = self.dialog.before(command, source, now)
        events += asked
        if go:
            events += self.session.handle(command, now)
        self._expect_answer()
        self.emit(events, now, ack=source == "voice")
        return events

    def _expect_answer(self) -> None:
        if self.listener is not None and hasattr(self.listener, "expect_answer"):
            self.listener.expect_answer(self.dialog.until_s)

    def tick(self, now: float | None = None) -> None:
        now = self._now() if now is None else now
        events: list[Event] = list(self.session.tick(now))
        if self.dialog.asking:
            events += self.dialog.expire(now)
            self._expect_answer()
        if self.rules is not None:
            ctx = self.phase_context(now)
            if ctx is not None:
                ongoing = self.tracker.pending() if self.tracker is not None else None
                if ongoing is None and getattr(self.vad, "in_speech", False):
                    # someone is speaking, who is not known until the pause: no remark over them
                    ongoing = SimpleNamespace(speaker="unknown", start_s=now, end_s=now, score=0.0)
                events += self.rules.on_tick(ctx, now, ongoing)
        self.emit(events, now)

    def feed(self, frame: Frame) -> None:
        """One audio frame: advance an audio clock, run the stages, tick on time."""
        if isinstance(self.clock, AudioClock):
            self.clock.advance_samples(len(frame.samples))
        now = self._now()
        if self.vad is not None:
            for segment in self.vad.accept(frame):
                self.segment(segment, now)
            self._speaker_segments(now)
        if now >= self._next_tick:
            self._next_tick = now + self.tick_s
            self.tick(now)

    def segment(self, segment: Segment, now: float | None = None) -> None:
        """A stretch of speech: commands first, then who said it."""
        now = self._now() if now is None else now
        if self.hears_itself and self.announcer.overlaps(segment.start_s, segment.end_s):
            if self.listener is not None:
                self.listener.reset()  # the timekeeper never obeys itself
            return
        # The segment and the decision taken from it are one batch: a crash while decoding
        # loses both, never the command alone (a resumed replay hears the segment again).
        events: list[Event] = [SpeechSegment(now, round(segment.start_s, 3), round(segment.end_s, 3))]
        decision = self.listener.accept(segment) if self.listener is not None else None
        if decision is not None:
            self._decision(decision, now, events)
        else:
            self.emit(events, now)
        if self.tracker is not None and not self.session.ended and not self._has_speaker_mask():
            self._turns(self.tracker.accept(segment), now)

    def _has_speaker_mask(self) -> bool:
        return isinstance(self.vad, SpeakerMask) and self.vad.has_speaker_mask

    def _speaker_segments(self, now: float) -> None:
        """Who speaks is judged on the VAD's speaker mask when it has one (more of the speech
        than the command segments: audio/vad.py ``speaker_config``)."""
        if not self._has_speaker_mask():
            return
        for segment in self.vad.speaker_segments():
            if self.tracker is None or self.session.ended:
                continue
            if self.hears_itself and self.announcer.overlaps(segment.start_s, segment.end_s):
                continue
            self._turns(self.tracker.accept(segment), now)

    def _decision(self, d: CommandDecision, now: float, before: list[Event]) -> None:
        if getattr(d, "answer", None) is not None:
            answered, command = self.dialog.answer(d.answer, now)
            self._expect_answer()
            heard = CommandHeard(now, d.text, round(d.start_s, 3), round(d.end_s, 3), True, d.answer, "answer", "voice")
            events: list[Event] = [*before, heard, *answered]
            if command is not None:
                events += self.session.handle(command, now)
            self.emit(events, now)
        elif d.accepted and d.command is not None:
            self.command(d.command, now, source="voice", heard=d.text, start_s=d.start_s, end_s=d.end_s,
                         before=before)
        else:
            heard = CommandHeard(now, d.text, round(d.start_s, 3), round(d.end_s, 3), False,
                                 str(d.command) if d.command else None, d.reason, "voice")
            self.session.apply(heard)
            sorry = self.dialog.unclear(d.text, d.reason, now) if getattr(d, "wake_heard", False) else []
            self.emit([*before, heard, *sorry], now)

    def _turns(self, turns: list[Turn], now: float) -> None:
        for turn in turns:
            event = SpeakerTurn(now, turn.speaker, round(turn.start_s, 3), round(turn.end_s, 3),
                                self.phase_at(turn.start_s), round(float(turn.score), 3))
            events: list[Event] = [event]
            if self.rules is not None:
                ctx = self.phase_context(now)
                if ctx is not None:
                    events += self.rules.on_turn(turn, ctx, now)
            self.emit(events, now)

    def device_event(self, what: str, device: str) -> None:
        """The microphone vanished ("lost") or came back ("restored"); the clock goes on."""
        now = self._now()
        if what == "lost":
            self._lost_at = now
            self.emit([DeviceLost(now, device)], now)
        elif what == "restored":
            lost_s = now - self._lost_at if self._lost_at is not None else 0.0
            self._lost_at = None
            self.emit([DeviceRestored(now, device, round(lost_s, 3))], now)

    def finish(self, *, end_session: bool = True) -> None:
        """End of input: flush the stages, end the session if still running."""
        now = self._now()
        if self.vad is not None:
            for segment in self.vad.flush():
                self.segment(segment, now)
            self._speaker_segments(now)
        if self.tracker is not None:
            self._turns(self.tracker.flush(), now)
        self.tick(now)
        if end_session and not self.session.ended:
            self.emit(self.session.handle(Command(CommandKind.END), now), now)

    def run(self, frames: Iterable, *, stop: Callable[[], bool] | None = None,
            commands: Callable[[], list[Command]] | None = None) -> None:
        """Drive the pipeline from an audio source until it ends or the session does."""
        for frame in frames:
            if commands is not None:
                for cmd in commands():
                    self.command(cmd)
            self.feed(frame)
            if self.session.ended or (stop is not None and stop()):
                break

    def _now(self) -> float:
        return round(self.clock.now(), 3)

    # --- questions -----------------------------------------------------------------

    def status(self, now: float | None = None) -> Status:
        return self.session.status(self._now() if now is None else now)

    def phase_at(self, t_s: float) -> str | None:
        i = bisect.bisect_right(self._phase_times, t_s) - 1
        return self._phase_ids[i] if i >= 0 else (self._phase_ids[0] if self._phase_ids else None)

    def phase_context(self, now: float) -> PhaseContext | None:
        return self.session.status(now).context()
