"""The exchanges around voice commands: "end the session" asks first (yes / key / no / timeout),
and "sorry?" when the wake phrase was clearly heard but the command refused (rate-limited)."""

from __future__ import annotations


import numpy as np

from timekeeper.agenda import PRESETS
from timekeeper.announce import RecordingAnnouncer
from timekeeper.audio.frames import Segment
from timekeeper.clock import ManualClock
from timekeeper.commands import Command, CommandKind as K
from timekeeper.config import Settings
from timekeeper.dialog import Dialog
from timekeeper.journal import JournalWriter, read_journal
from timekeeper.asr.listener import CommandDecision as Decision  # the listener's own decision type
from timekeeper.pipeline import Pipeline
from timekeeper.session import Session




class Listener:
    def __init__(self, decisions):
        self.decisions = decisions
        self.expecting: list[float | None] = []

    def accept(self, segment):
        return self.decisions.get(round(segment.start_s, 3))

    def expect_answer(self, until_s):
        self.expecting.append(until_s)

    def reset(self):
        pass

    def close(self):
        pass


def seg(start, end):
    return Segment(start, end, np.zeros(int((end - start) * 16000), dtype=np.int16))


def make(tmp_path, decisions=None, lang="en", **dialog):
    dialog.setdefault("sorry", True)
    clock = ManualClock()
    announcer = RecordingAnnouncer(clock, lang, tail_s=0.5)
    journal = JournalWriter(tmp_path, sync=False)
    listener = Listener(decisions or {})
    agenda = PRESETS["codev-60"]
    p = Pipeline(Session(agenda.plans(lang)), journal, announcer, clock, lang=lang, listener=listener,
                 hears_itself=False, dialog=Dialog(**dialog))
    p.start(agenda, Settings(lang=lang))
    return p, clock, announcer, journal, listener


END = Decision("time keeper end the session", 30.0, 31.5, True, Command(K.END), "command")


def journal_types(journal, tmp_path):
    journal.close()
    return [e for e in read_journal(tmp_path).events if e.type.startswith(("Confirmation", "Session", "CommandUnclear"))]


def test_spoken_end_asks_then_a_spoken_yes_ends(tmp_path):
    yes = Decision("yes", 33.0, 33.4, True, None, "answer", answer="yes")
    p, clock, announcer, journal, listener = make(tmp_path, {30.0: END, 33.0: yes})
    clock.set(31.8)
    p.segment(seg(30.0, 31.5))
    assert not p.session.ended and announcer.said[-1] == (31.8, "End the session? Say yes, or press q.")
    assert listener.expecting == [37.8]
    clock.set(33.7)
    p.segment(seg(33.0, 33.4))
    assert p.session.ended and listener.expecting[-1] is None
    assert announcer.said[-1][1].startswith("End of the session.")
    kinds = [(e.type, getattr(e, "answer", None)) for e in journal_types(journal, tmp_path)]
    assert kinds == [("SessionStarted", None), ("ConfirmationAsked", None), ("ConfirmationAnswered", "yes"),
                     ("SessionEnded", None)]


def test_the_key_confirms_a_spoken_end(tmp_path):
    p, clock, _, journal, _ = make(tmp_path, {30.0: END})
    clock.set(31.8)
    p.segment(seg(30.0, 31.5))
    clock.set(34.0)
    p.command(Command(K.END), source="keyboard")  # q (pressed twice by the keyboard reader)
    assert p.session.ended
    answers = [e.answer for e in journal_types(journal, tmp_path) if e.type == "ConfirmationAnswered"]
    assert answers == ["key"]


def test_no_answer_or_no_keeps_the_session_going(tmp_path):
    no = Decision("non", 60.0, 60.3, True, None, "answer", answer="no")
    p, clock, announcer, journal, listener = make(tmp_path, {30.0: END, 50.0: END, 60.0: no}, lang="fr")
    clock.set(31.8)
    p.segment(seg(30.0, 31.5))
    assert announcer.said[-1][1] == "Terminer la séance ? Dites oui, ou appuyez sur q."
    clock.set(37.0)
    p.tick()
    assert not p.session.ended and p.dialog.asking  # 6 s from 31.8
    clock.set(38.0)
    p.tick()
    assert not p.session.ended and not p.dialog.asking and listener.expecting[-1] is None
    assert announcer.said[-1] == (38.0, "La séance continue.")
    clock.set(51.8)
    p.segment(seg(50.0, 51.5))
    clock.set(60.5)
    p.segment(seg(60.0, 60.3))
    assert not p.session.ended and announcer.said[-1] == (60.5, "La séance continue.")
    answers = [e.answer for e in journal_types(journal, tmp_path) if e.type == "ConfirmationAnswered"]
    assert answers == ["timeout", "no"]


def test_the_key_alone_and_confirm_end_s_zero_end_at_once(tmp_path):
    p, clock, _, _, _ = make(tmp_path / "a")
    clock.set(10.0)
    p.command(Command(K.END), source="keyboard")
    assert p.session.ended
    p, clock, _, _, _ = make(tmp_path / "b", {30.0: END}, confirm_s=0)
    clock.set(31.8)
    p.segment(seg(30.0, 31.5))
    assert p.session.ended


def refused(start, heard=True):
    return Decision("time keeper next phase", start, start + 1.5, False, Command(K.NEXT),
                    "speech around the command (0.6 s outside the phrase)", wake_heard=heard)


def test_sorry_when_the_wake_phrase_was_heard_but_the_command_refused(tmp_path):
    decisions = {10.0: refused(10.0), 15.0: refused(15.0), 40.0: refused(40.0), 70.0: refused(70.0, heard=False)}
    p, clock, announcer, journal, _ = make(tmp_path, decisions)
    for start in (10.0, 15.0, 40.0, 70.0):
        clock.set(start + 2)
        p.segment(seg(start, start + 1.5))
    sorry = [(t, text) for t, text in announcer.said if text == "Sorry?"]
    assert sorry == [(12.0, "Sorry?"), (42.0, "Sorry?")]  # 17 s is under the 20 s limit; 72 s: no wake
    unclear = [(e.t_s, e.spoken, e.reason) for e in journal_types(journal, tmp_path) if e.type == "CommandUnclear"]
    assert unclear == [(12.0, True, refused(0).reason), (17.0, False, refused(0).reason), (42.0, True, refused(0).reason)]
    assert p.status().phase.id == "presentation"


def test_sorry_can_be_turned_off_and_is_french_in_french(tmp_path):
    p, clock, announcer, _, _ = make(tmp_path / "off", {10.0: refused(10.0)}, sorry=False)
    clock.set(12.0)
    p.segment(seg(10.0, 11.5))
    assert all(text != "Sorry?" for _, text in announcer.said)
    p, clock, announcer, _, _ = make(tmp_path / "fr", {10.0: refused(10.0)}, lang="fr")
    clock.set(12.0)
    p.segment(seg(10.0, 11.5))
    assert announcer.said[-1] == (12.0, "Pardon ?")


def test_settings_reach_the_dialog(tmp_path):
    from timekeeper.config import load_settings

    path = tmp_path / "t.toml"
    path.write_text("[listen]\nconfirm_end_s = 4\nsorry = false\nsorry_every_s = 60\n", encoding="utf-8")
    listen = load_settings(path).listen
    assert (listen.confirm_end_s, listen.sorry, listen.sorry_every_s) == (4.0, False, 60.0)
