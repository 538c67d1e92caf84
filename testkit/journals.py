"""A realistic, deterministic journal of a codev session, for benchmarks and layout tests.

``make_session`` produces the event stream the engine and the listening side would
journal for a whole session: phases with warnings, time-up and overrun reminders, a
pause, an extension, voice commands and announcements, voice activity split into
short segments, speaker turns following each phase's speaking rule (with a silent
consultant, an unnamed voice, some "unknown" speech) and rule-break warnings.
"""

from __future__ import annotations

import random
from pathlib import Path

from timekeeper.agenda import PRESETS
from timekeeper.events import (
    Announced, CommandHeard, Event, OverrunReminder, Participant, Paused, PhaseEnded, PhasePlan,
    PhaseStarted, Resumed, SessionEnded, SessionStarted, SpeakerTurn, SpeakerWarning, SpeechSegment,
    TimeAdjusted, TimeUp, TimeWarning,
)

CODEV_90 = PRESETS["codev-90"]
NAMES = ("Alice", "Bruno", "Chloé", "Dana", "Étienne", "Fatou", "Gaspard", "Hélène", "Igor", "Jeanne")
LONG_NAMES = ("Marie-Bernadette de La Tour-Montgolfier", "Jean-Baptiste Oluwaseun Abernathy-Fitzgerald",
              "Anne-Sophie Vandenberghe-Kowalczyk", "Guillaume Théodore Saint-Exupéry",
              "Maximilien Aurélien Delacroix-Beaumarchais", "Krzysztof Wojciechowski-Brzęczyszczykiewicz",
              "Alexandra Konstantinopoulou", "Pierre-Emmanuel Dupont-Aignan", "Zoé", "Bartholomew Featherstonehaugh")


def _agenda(lang: str, scale: float) -> tuple[PhasePlan, ...]:
    return tuple(PhasePlan(p.id, p.name(lang), p.planned_s * scale, p.speakers) for p in CODEV_90.phases)


def make_session(seed: int = 1, n_people: int = 6, long_names: bool = False, lang: str = "fr",
                 scale: float = 1.0, client_index: int = 0, started_at: str = "2026-11-27T18:00:00+01:00"
                 ) -> list[Event]:
    """Events of one session: a client, an animateur and ``n_people - 2`` consultants.

    ``scale`` multiplies every time box (1.0: the 90-minute agenda); ``client_index``
    picks the client among the group (the animateur stays the second name).
    """
    rnd = random.Random(seed)
    pool = LONG_NAMES if long_names else NAMES
    names = [pool[i % len(pool)] + ("" if i < len(pool) else f" {i}") for i in range(n_people)]
    client_index = client_index % n_people if client_index % n_people != 1 else 0
    client, animateur = names[client_index], names[1]
    consultants = [n for n in names if n not in (client, animateur)]
    names = [client, animateur] + consultants
    silent = consultants[-1] if len(consultants) >= 3 else None
    people = ((Participant(client, "client"), Participant(animateur, "animateur"))
              + tuple(Participant(c, "consultant") for c in consultants))
    plans = _agenda(lang, scale)
    ev: list[Event] = [SessionStarted(0.0, "codev-90", CODEV_90.name(lang), lang, plans, people, started_at)]
    now = 0.0

    def talk(who: str, start: float, length: float, pid: str) -> float:
        """Voice activity in short segments, and diarised turns of at most 15 s."""
        end = start + length
        t = start
        while t < end - 0.2:
            seg_end = min(end, t + rnd.uniform(1.5, 8.0))
            ev.append(SpeechSegment(seg_end, round(t, 3), round(seg_end, 3)))
            t = seg_end + rnd.uniform(0.15, 0.5)
        t = start
        while t < end - 0.2:
            turn_end = min(end, t + rnd.uniform(6.0, 15.0))
            ev.append(SpeakerTurn(turn_end, who, round(t, 3), round(turn_end, 3), pid, round(rnd.uniform(0.5, 0.95), 3)))
            t = turn_end
        return end

    behind = 0.0
    for index, plan in enumerate(plans):
        ev.append(PhaseStarted(now, plan.id, index, plan.name, plan.planned_s, plan.speakers, round(behind, 3)))
        ev.append(Announced(now, f"{plan.name}, {plan.planned_s / 60:.0f} minutes", lang, now, now + 3.0))
        start = now
        planned = plan.planned_s
        length = planned * rnd.uniform(0.9, 1.25)
        paused = 0.0
        if plan.id == "clarification":
            ev.append(TimeAdjusted(start + 0.6 * planned, plan.id, 120.0 * scale, planned + 120.0 * scale))
            planned += 120.0 * scale
            length = planned * 1.1
        t = start + 3.5
        if plan.id == "consultation":  # consultants in turn; the client breaks in once
            order = [c for c in consultants if c != silent]
        speakers_for = {
            "client": [client] * 8 + consultants[:1],
            "consultants": [c for c in consultants if c != silent] + [client] * 3,
            "everyone": names,
        }[plan.speakers]
        last = None
        while t < start + length - 5:
            if plan.id == "consultation" and rnd.random() < 0.9:
                who = order[int((t - start) / 90) % len(order)]
            elif plan.speakers == "client":  # the client holds the floor, a consultant slips in
                who = client if rnd.random() < 0.85 else rnd.choice(consultants)
            else:
                who = rnd.choice([s for s in speakers_for if s != last] or speakers_for)
            if rnd.random() < 0.03:
                who = "Voice 1"
            elif rnd.random() < 0.03:
                who = "unknown"
            mean = {"client": 60.0, "consultants": 25.0, "everyone": 30.0}[plan.speakers] * scale
            length_s = min(max(2.0, rnd.lognormvariate(0, 0.5) * mean), start + length - t)
            if who == client and plan.id == "consultation":
                length_s = min(length_s, 35.0)
                ev.append(SpeakerWarning(t + length_s, "client_in_consultation", client, plan.id, round(length_s, 1),
                                         rnd.random() < 0.5))
            if plan.id == "presentation" and who in consultants:
                length_s = min(length_s, 20.0)
                ev.append(SpeakerWarning(t + length_s, "consultant_in_presentation", who, plan.id,
                                         round(length_s, 1), rnd.random() < 0.3))
            t = talk(who, t, length_s, plan.id)
            if length_s > 150 * scale:
                ev.append(SpeakerWarning(t, "monologue", who, plan.id, round(length_s, 1), True))
            if rnd.random() < 0.05:  # noise nobody could attribute
                ev.append(SpeechSegment(t + 1.2, round(t + 0.2, 3), round(t + 1.2, 3)))
            last = who
            t += rnd.uniform(0.3, 2.5)
            if plan.id == "consultation" and not paused and t > start + length / 2:
                ev.append(Paused(t, plan.id))
                paused = 240.0 * scale
                t += paused
                ev.append(Resumed(t, plan.id, paused, round(start + planned + paused - t, 3)))
                length += paused
            if planned > 60 and not any(isinstance(e, TimeWarning) and e.phase_id == plan.id for e in ev[-40:]) \
                    and t > start + paused + planned - 60:
                ev.append(TimeWarning(start + paused + planned - 60, plan.id, 60.0))
        end = start + length
        if length - paused > planned:
            ev.append(TimeUp(start + paused + planned, plan.id, planned))
            over = length - paused - planned
            for k in range(1, int(over // (120 * scale)) + 1):
                ev.append(OverrunReminder(start + paused + planned + k * 120 * scale, plan.id, 120.0 * scale * k, k))
        if silent and plan.speakers == "consultants":
            ev.append(SpeakerWarning(end - 1, "silent", silent, plan.id, 0.0, False))
        ev.append(CommandHeard(end, "timekeeper phase suivante" if lang == "fr" else "timekeeper next phase",
                               end - 1.5, end, True, "next"))
        actual = length - paused
        ev.append(PhaseEnded(end, plan.id, index, planned, round(actual, 3), round(max(0.0, actual - planned), 3)))
        behind += actual - planned
        now = end
    total_planned = sum(p.planned_s for p in plans)
    ev.append(SessionEnded(now, round(now, 3), total_planned, round(now - total_planned, 3)))
    ev.sort(key=lambda e: e.t_s)  # the journal is in time order
    return ev


def write_session(folder: Path, events: list[Event]) -> Path:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "journal.jsonl"
    path.write_text("".join(e.to_json() + "\n" for e in events), encoding="utf-8")
    return folder
