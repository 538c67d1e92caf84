"""What the timekeeper says: events turned into sentences.

``MESSAGES[lang][key]`` are str.format templates, the ``SAY`` table of each language
module in ``timekeeper.lang`` (a test checks every language has every key).
``announcement(event, lang)`` turns an event into the sentence to speak, or None
for events that are journaled but not spoken.
"""

from __future__ import annotations

from timekeeper import lang as languages
from timekeeper.events import (
    CommandRejected,
    CommandUnclear,
    ConfirmationAnswered,
    ConfirmationAsked,
    DeviceLost,
    DeviceRestored,
    Event,
    OverrunReminder,
    Paused,
    PhaseEnded,
    PhaseStarted,
    Resumed,
    ScheduleWarning,
    SessionEnded,
    SessionStarted,
    SpeakerWarning,
    StatusReported,
    TimeAdjusted,
    TimeUp,
    TimeWarning,
    Undone,
)

# what it says aloud (SAY) and the lines it prints (PRINT), one catalogue per language
MESSAGES: dict[str, dict[str, str]] = {
    code: {**languages.get(code).SAY, **languages.get(code).PRINT} for code in languages.LANGS}

OVERRUN_NOTE_S = 30.0  # a phase closed later than this past its time says by how much
NONE_LEFT_S = 2.5  # closer than this to the end of the time box: "no time left"


def msg(lang: str, key: str, **fields: object) -> str:
    catalogue = MESSAGES.get(lang, MESSAGES["en"])
    return catalogue.get(key, MESSAGES["en"][key]).format(**fields)


def duration(seconds: float, lang: str) -> str:
    """A length as people say it: "30 secondes", "une minute 30", "12 minutes"."""
    m = MESSAGES[lang]
    seconds = abs(seconds)
    if seconds < 55:
        s = max(5, int(round(seconds / 5.0)) * 5)
        return f"{s} {m['seconds']}"
    if seconds >= 3600:
        hours, rest = divmod(int(round(seconds / 60.0)), 60)
        head = f"{hours} {m['hour'] if hours == 1 else m['hours']}"
        return f"{head} {rest}" if rest else head
    if seconds < 600:  # half-minute steps below ten minutes
        halves = int(round(seconds / 30.0))
        minutes, half = divmod(halves, 2)
    else:
        minutes, half = int(round(seconds / 60.0)), 0
    head = m["one_minute"] if minutes == 1 else f"{minutes} {m['minutes']}"
    return f"{head} 30" if half else head


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {MESSAGES[lang]['and']} " + items[-1]


def command_words(command: str, lang: str) -> str:
    """A journaled command ("extend 2") as the room says it ("add two minutes")."""
    from timekeeper.asr.phrases import canonical_text  # noqa: PLC0415
    from timekeeper.commands import Command  # noqa: PLC0415

    kind, _, arg = command.partition(" ")
    try:
        return canonical_text(lang, Command(kind, int(arg) if arg else None), wake="")
    except ValueError:
        return command


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Phrasebook:
    """Turns events into sentences; knows the phase names of the session."""

    def __init__(self, lang: str, names: dict[str, str] | None = None,
                 numbers: dict[str, int] | None = None) -> None:
        self.lang = lang
        self.names = dict(names or {})
        self.numbers = dict(numbers or {})
        self._undone_at: float | None = None

    def learn(self, event: SessionStarted) -> None:
        self.lang = event.lang
        self.names = {p.id: p.name for p in event.phases}
        self.numbers = {p.id: p.number for p in event.phases}

    def name(self, phase_id: str | None) -> str:
        return self.names.get(phase_id or "", phase_id or "")

    def say(self, event: Event) -> str | None:
        lang = self.lang
        d = lambda s: duration(s, lang)  # noqa: E731
        if isinstance(event, Undone):
            self._undone_at = event.t_s  # the reverting events after it are said by this sentence
            key = "undone_over" if event.remaining_s < 0 else "undone_paused" if event.paused else "undone"
            return msg(lang, key, command=command_words(event.command, lang),
                       number=self.numbers.get(event.phase_id or "", ""), duration=d(event.remaining_s))
        if isinstance(event, (PhaseStarted, PhaseEnded, Paused, Resumed, TimeAdjusted)) \
                and event.t_s == self._undone_at:
            return None
        if isinstance(event, SessionStarted):
            self.learn(event)
            return msg(lang, "session_started", agenda=event.agenda_name)
        if isinstance(event, PhaseStarted):
            number = self.numbers.get(event.phase_id, event.index + 1)
            if event.spent_s > 0:  # back into a phase already used: what is left of its time box
                return msg(lang, "phase_back", number=number, name=event.name,
                           left=self.left(event.planned_s - event.spent_s))
            return msg(lang, "phase_started", number=number, name=event.name,
                       duration=capitalised(d(event.planned_s)))
        if isinstance(event, TimeWarning):
            return capitalised(msg(lang, "time_warning", duration=d(event.remaining_s)))
        if isinstance(event, TimeUp):
            return msg(lang, "time_up", name=self.name(event.phase_id))
        if isinstance(event, OverrunReminder):
            return msg(lang, "overrun", name=self.name(event.phase_id), duration=d(event.overrun_s))
        if isinstance(event, PhaseEnded):
            if event.overrun_s >= OVERRUN_NOTE_S:
                return msg(lang, "phase_ended_over", name=self.name(event.phase_id),
                           duration=d(event.overrun_s))
            return None
        if isinstance(event, ScheduleWarning):
            squeezed = _join([str(self.numbers.get(p, p)) for p in event.squeezed[-2:]], lang)
            return msg(lang, "behind", duration=d(event.behind_s), squeezed=squeezed)
        if isinstance(event, Paused):
            return msg(lang, "paused")
        if isinstance(event, Resumed):
            return msg(lang, "resumed", left=self.left(event.remaining_s))
        if isinstance(event, TimeAdjusted):
            key = "extended" if event.delta_s > 0 else "shortened"
            return capitalised(msg(lang, key, duration=d(event.delta_s), left=self.left(event.remaining_s)))
        if isinstance(event, StatusReported):
            return self.status(event.remaining_s, event.behind_s)
        if isinstance(event, CommandRejected):
            return msg(lang, f"rejected.{event.reason}")
        if isinstance(event, SessionEnded):
            if event.behind_s >= 60:
                return msg(lang, "ended_over", duration=d(event.elapsed_s), over=d(event.behind_s))
            return msg(lang, "ended", duration=d(event.elapsed_s))
        if isinstance(event, SpeakerWarning):
            return msg(lang, f"speaker.{event.rule}", name=event.speaker) if event.spoken else None
        if isinstance(event, ConfirmationAsked):
            return msg(lang, f"confirm.{event.command}")
        if isinstance(event, ConfirmationAnswered):
            return msg(lang, "confirm.kept") if event.answer in ("no", "timeout") else None
        if isinstance(event, CommandUnclear):
            return msg(lang, "sorry") if event.spoken else None
        if isinstance(event, DeviceLost):
            return msg(lang, "device_lost")
        if isinstance(event, DeviceRestored):
            return msg(lang, "device_restored")
        return None

    def left(self, remaining_s: float) -> str:
        """The time left as a sentence, true when over time too (durations are said in
        steps of 5 s, so under 2.5 s either way there is no time left)."""
        if remaining_s >= NONE_LEFT_S:
            return capitalised(msg(self.lang, "left", duration=duration(remaining_s, self.lang)))
        if remaining_s > -NONE_LEFT_S:
            return msg(self.lang, "left_none")
        return msg(self.lang, "left_over", duration=duration(remaining_s, self.lang))

    def plan(self, behind_s: float) -> str:
        if behind_s >= 60:
            return msg(self.lang, "plan_behind", duration=duration(behind_s, self.lang))
        if behind_s <= -60:
            return msg(self.lang, "plan_ahead", duration=duration(behind_s, self.lang))
        return msg(self.lang, "plan_on_time")

    def status(self, remaining_s: float, behind_s: float) -> str:
        if remaining_s >= NONE_LEFT_S:
            return capitalised(msg(self.lang, "status", duration=duration(remaining_s, self.lang),
                                   plan=self.plan(behind_s)))
        if remaining_s > -NONE_LEFT_S:
            return f"{msg(self.lang, 'left_none')} {self.plan(behind_s)}"
        return msg(self.lang, "status_over", duration=duration(remaining_s, self.lang),
                   plan=self.plan(behind_s))
