"""What the timekeeper says, in French and English.

``MESSAGES[lang][key]`` are str.format templates; to add a language, add a
catalogue with the same keys (a test checks every catalogue has every key).
``announcement(event, lang)`` turns an event into the sentence to speak, or None
for events that are journaled but not spoken.
"""

from __future__ import annotations

from timekeeper.events import (
    CommandRejected,
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
)

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "session_started": "Début de la séance : {agenda}.",
        "phase_started": "Phase {number} : {name}. {duration}.",
        "time_warning": "Il reste {duration}.",
        "time_up": "Le temps est écoulé pour la phase {name}.",
        "overrun": "{name} : {duration} de dépassement.",
        "phase_ended_over": "{name} terminée avec {duration} de dépassement.",
        "behind": "Nous avons {duration} de retard ; les dernières phases ({squeezed}) risquent d'être écourtées.",
        "paused": "Chrono en pause.",
        "resumed": "On reprend. {left}",
        "extended": "{duration} de plus. {left}",
        "shortened": "{duration} de moins. {left}",
        "left": "Il reste {duration}.",
        "left_over": "Dépassement de cette phase : {duration}.",
        "left_none": "Le temps de cette phase est écoulé.",
        "status": "Il reste {duration} dans cette phase. {plan}",
        "status_over": "Dépassement de cette phase : {duration}. {plan}",
        "plan_behind": "Nous avons {duration} de retard sur le plan.",
        "plan_ahead": "Nous avons {duration} d'avance sur le plan.",
        "plan_on_time": "Nous sommes dans les temps.",
        "ended": "Fin de la séance. Durée : {duration}.",
        "ended_over": "Fin de la séance. Durée : {duration}, soit {over} de plus que prévu.",
        "ack": "D'accord.",
        "device_lost": "Le micro ne répond plus ; le chrono continue.",
        "device_restored": "Le micro est revenu.",
        "rejected.at_first_phase": "Nous sommes déjà à la première phase.",
        "rejected.not_paused": "Le chrono n'est pas en pause.",
        "rejected.already_paused": "Le chrono est déjà en pause.",
        "rejected.ended": "La séance est terminée.",
        "rejected.not_started": "La séance n'a pas commencé.",
        "rejected.no_such_phase": "Cette phase n'existe pas dans l'ordre du jour.",
        "rejected.already_there": "Nous sommes déjà dans cette phase.",
        "rejected.bad_minutes": "Je n'ai pas compris le nombre de minutes.",
        "rejected.too_short": "La phase ne peut pas durer moins d'une minute.",
        "rejected.already_started": "La séance a déjà commencé.",
        "speaker.monologue": "{name}, pensez à laisser la parole.",
        "speaker.client_in_consultation": "{name}, pendant la consultation, le client écoute.",
        "speaker.consultant_in_presentation": "Pendant l'exposé, laissons le client parler.",
        "speaker.dominant": "{name}, laissez un peu de place aux autres.",
        "speaker.silent": "{name}, nous aimerions vous entendre.",
        "and": "et",
        "hour": "heure",
        "hours": "heures",
        "minute": "minute",
        "minutes": "minutes",
        "one_minute": "une minute",
        "second": "seconde",
        "seconds": "secondes",
        # what the program prints (not said aloud)
        "cli.session_folder": "dossier de la séance : {path}",
        "cli.report": "rapport : {path}",
        "cli.journal": "journal : {path}",
        "cli.resumed": "timekeeper : séance {path} reprise à {t} s",
        "cli.heard": "entendu « {text} » à {at}",
        "cli.ignored": "ignoré « {text} » à {at} ({reason})",
        "cli.journaled_only": "({rule} : {speaker}, noté au journal seulement)",
        "cli.confirm_end": "Appuyez encore sur q dans les 3 secondes pour terminer la séance.",
        "cli.end_of_input": ("timekeeper : fin de l'entrée ; le chrono continue. Pour terminer, écrivez « end » "
                             "en dernière ligne, ou Ctrl+C (la séance se reprend avec --resume {path})."),
        "cli.line_refused": "timekeeper : ligne {n} refusée : {why}",
        "cli.not_a_command": "« {word} » n'est pas une commande ({commands})",
        "cli.no_number": "« {word} » ne prend pas de nombre",
        "cli.needs_phase": "« goto » attend un numéro de phase, p. ex. « goto 3 »",
        "cli.needs_minutes": "« {word} » attend un nombre de minutes entre 1 et {max}, p. ex. « {word} 2 »",
        "demo.no_fr_model": ("timekeeper : aucun modèle de reconnaissance français n'est installé, les commandes "
                             "vocales de la démo sont donc dites en anglais (`timekeeper models install fr` pour "
                             "des commandes en français) ; annonces et rapport sont en français"),
        "demo.preparing": "démo : préparation de l'audio de la séance ({preset}, en cache dans {cache})",
        "demo.enrolled": "démo : {n} voix apprises sur des extraits à part : {names}",
        "demo.done": "démo : {minutes:.1f} minutes de réunion rejouées et résumées en {seconds:.1f} s",
    },
    "en": {
        "session_started": "Starting the session: {agenda}.",
        "phase_started": "Phase {number}: {name}. {duration}.",
        "time_warning": "{duration} left.",
        "time_up": "Time is up for {name}.",
        "overrun": "{name}: {duration} over time.",
        "phase_ended_over": "{name} ended {duration} over time.",
        "behind": "We are {duration} behind; the last phases ({squeezed}) will be squeezed.",
        "paused": "Timer paused.",
        "resumed": "Resuming. {left}",
        "extended": "{duration} more. {left}",
        "shortened": "{duration} less. {left}",
        "left": "{duration} left.",
        "left_over": "This phase is {duration} over time.",
        "left_none": "No time left in this phase.",
        "status": "{duration} left in this phase. {plan}",
        "status_over": "This phase is {duration} over time. {plan}",
        "plan_behind": "We are {duration} behind the plan.",
        "plan_ahead": "We are {duration} ahead of the plan.",
        "plan_on_time": "We are on time.",
        "ended": "End of the session. It lasted {duration}.",
        "ended_over": "End of the session. It lasted {duration}, {over} more than planned.",
        "ack": "OK.",
        "device_lost": "The microphone stopped; the clock goes on.",
        "device_restored": "The microphone is back.",
        "rejected.at_first_phase": "We are already at the first phase.",
        "rejected.not_paused": "The timer is not paused.",
        "rejected.already_paused": "The timer is already paused.",
        "rejected.ended": "The session has ended.",
        "rejected.not_started": "The session has not started.",
        "rejected.no_such_phase": "There is no such phase on the agenda.",
        "rejected.already_there": "We are already in that phase.",
        "rejected.bad_minutes": "I did not get the number of minutes.",
        "rejected.too_short": "A phase cannot be shorter than one minute.",
        "rejected.already_started": "The session has already started.",
        "speaker.monologue": "{name}, time to let others in.",
        "speaker.client_in_consultation": "{name}, during the consultation the client listens.",
        "speaker.consultant_in_presentation": "During the presentation, let the client speak.",
        "speaker.dominant": "{name}, leave some room for the others.",
        "speaker.silent": "{name}, we would love to hear from you.",
        "and": "and",
        "hour": "hour",
        "hours": "hours",
        "minute": "minute",
        "minutes": "minutes",
        "one_minute": "one minute",
        "second": "second",
        "seconds": "seconds",
        # what the program prints (not said aloud)
        "cli.session_folder": "session folder: {path}",
        "cli.report": "report: {path}",
        "cli.journal": "journal: {path}",
        "cli.resumed": "timekeeper: resumed {path} at {t} s",
        "cli.heard": "heard \"{text}\" at {at}",
        "cli.ignored": "ignored \"{text}\" at {at} ({reason})",
        "cli.journaled_only": "({rule}: {speaker}, journaled only)",
        "cli.confirm_end": "Press q again within 3 seconds to end the session.",
        "cli.end_of_input": ("timekeeper: end of input; the clock keeps running. To end, send `end` as the last "
                             "line, or press Ctrl+C (the session can be taken up with --resume {path})."),
        "cli.line_refused": "timekeeper: line {n} refused: {why}",
        "cli.not_a_command": "\"{word}\" is not a command ({commands})",
        "cli.no_number": "\"{word}\" takes no number",
        "cli.needs_phase": "goto needs a phase number, e.g. \"goto 3\"",
        "cli.needs_minutes": "\"{word}\" needs a number of minutes from 1 to {max}, e.g. \"{word} 2\"",
        "demo.no_fr_model": ("timekeeper: no French speech model installed, so the demo's voice commands are "
                             "spoken in English (`timekeeper models install fr` for French commands); "
                             "announcements and report are in French"),
        "demo.preparing": "demo: preparing the session audio ({preset}, cached in {cache})",
        "demo.enrolled": "demo: enrolled {n} voices from separate clips: {names}",
        "demo.done": "demo: {minutes:.1f} minutes of meeting replayed and reported in {seconds:.1f} s",
    },
}

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


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


class Phrasebook:
    """Turns events into sentences; knows the phase names of the session."""

    def __init__(self, lang: str, names: dict[str, str] | None = None,
                 numbers: dict[str, int] | None = None) -> None:
        self.lang = lang
        self.names = dict(names or {})
        self.numbers = dict(numbers or {})

    def learn(self, event: SessionStarted) -> None:
        self.lang = event.lang
        self.names = {p.id: p.name for p in event.phases}
        self.numbers = {p.id: p.number for p in event.phases}

    def name(self, phase_id: str | None) -> str:
        return self.names.get(phase_id or "", phase_id or "")

    def say(self, event: Event) -> str | None:
        lang = self.lang
        d = lambda s: duration(s, lang)  # noqa: E731
        if isinstance(event, SessionStarted):
            self.learn(event)
            return msg(lang, "session_started", agenda=event.agenda_name)
        if isinstance(event, PhaseStarted):
            return msg(lang, "phase_started", number=self.numbers.get(event.phase_id, event.index + 1),
                       name=event.name, duration=capitalised(d(event.planned_s)))
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
