"""Phase-aware speaking warnings, replayed with explicit times (pure)."""

from __future__ import annotations

import pytest

from timekeeper.clock import ManualClock
from timekeeper.errors import ConfigError
from timekeeper.events import Participant, SpeakerWarning, from_json
from timekeeper.speakers.identify import Turn
from timekeeper.speakers.rules import PhaseContext, RuleEngine, SpeakingRules

PEOPLE = [
    Participant("Alice", "client"),
    Participant("Bob", "consultant"),
    Participant("Chloé", "consultant"),
    Participant("David", "consultant"),
    Participant("Morgan", "animateur"),
]


def ctx(phase: str, speakers: str, start_s: float, now_s: float, planned_s: float) -> PhaseContext:
    return PhaseContext(phase, speakers, now_s - start_s, planned_s)


class Replay:
    """Feeds turns to the engine at their end time, ticking every 5 s in between."""

    def __init__(self, engine: RuleEngine, phase: str, speakers: str, start_s: float, planned_s: float) -> None:
        self.engine, self.phase, self.speakers = engine, phase, speakers
        self.start_s, self.planned_s = start_s, planned_s
        self.clock = ManualClock(start_s)
        self.events: list[SpeakerWarning] = []

    def ctx(self) -> PhaseContext:
        return ctx(self.phase, self.speakers, self.start_s, self.clock.now(), self.planned_s)

    def until(self, t_s: float) -> None:
        while self.clock.now() + 5.0 <= t_s:
            self.clock.advance(5.0)
            self.events += self.engine.on_tick(self.ctx(), self.clock.now())
        self.clock.set(t_s)

    def turn(self, who: str, start_s: float, end_s: float) -> list[SpeakerWarning]:
        self.until(end_s)
        out = self.engine.on_turn(Turn(who, start_s, end_s, 1.0), self.ctx(), self.clock.now())
        self.events += out
        return out


# --- rules -----------------------------------------------------------------------------


def test_monologue_is_warned_once_with_a_shorter_limit_in_clarification():
    eng = RuleEngine(SpeakingRules(), PEOPLE)
    r = Replay(eng, "clarification", "consultants", 0.0, 720.0)
    # Alice answers for 80 s in two turns: under the 90 s limit of clarification
    assert r.turn("Alice", 0, 50) == [] and r.turn("Alice", 51, 80) == []
    r.turn("Bob", 82, 86)
    # then 100 s without a real break
    r.turn("Alice", 88, 150)
    out = r.turn("Alice", 151, 190)
    assert [(w.rule, w.speaker, w.spoken) for w in out] == [("monologue", "Alice", True)]
    assert out[0].value_s == pytest.approx(102) and out[0].phase_id == "clarification"
    assert r.turn("Alice", 191, 260) == []  # the same monologue is not warned twice


def test_monologue_is_caught_while_it_lasts_from_the_open_turn():
    eng = RuleEngine(SpeakingRules(monologue_s=180.0), PEOPLE)
    c = PhaseContext("learning", "everyone", 100.0, 900.0)
    assert eng.on_tick(c, 100.0, ongoing=Turn("Bob", 0.0, 100.0, 1.0)) == []
    out = eng.on_tick(c, 185.0, ongoing=Turn("Bob", 0.0, 185.0, 1.0))
    assert [(w.rule, w.speaker) for w in out] == [("monologue", "Bob")]
    # when the finished turn arrives, it is the same monologue: no second warning
    assert eng.on_turn(Turn("Bob", 0.0, 200.0, 1.0), c, 201.0) == []


def test_client_speaking_in_consultation_beyond_the_tolerance():
    eng = RuleEngine(SpeakingRules(client_in_consultation_s=30.0), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 1000.0, 1200.0)
    r.turn("Bob", 1000, 1060)
    assert r.turn("Alice", 1061, 1081) == []  # 20 s: tolerated
    r.turn("Chloé", 1082, 1140)
    out = r.turn("Alice", 1141, 1156)  # 35 s in all
    assert [(w.rule, w.speaker, w.value_s) for w in out] == [("client_in_consultation", "Alice", 35.0)]
    assert r.turn("Alice", 1160, 1190) == []  # once per phase
    # in clarification the client answers questions: never this rule
    eng2 = RuleEngine(SpeakingRules(), PEOPLE)
    r2 = Replay(eng2, "clarification", "consultants", 0.0, 720.0)
    assert r2.turn("Alice", 0, 80) == []


def test_consultants_taking_the_floor_during_the_presentation():
    eng = RuleEngine(SpeakingRules(consultant_in_presentation_s=20.0), PEOPLE)
    r = Replay(eng, "presentation", "client", 0.0, 300.0)
    r.turn("Alice", 0, 60)
    assert r.turn("Bob", 61, 71) == []
    out = r.turn("Bob", 75, 90)
    assert [(w.rule, w.speaker) for w in out] == [("consultant_in_presentation", "Bob")]
    assert r.turn("Alice", 91, 150) == []  # the client presenting is the rule, not a break of it
    assert r.turn("Morgan", 151, 181) == []  # the animateur is not a consultant


def test_a_consultant_far_above_the_fair_share_once_a_third_through():
    # 600 s for 3 consultants: fair share 200 s; 2x of it pro rata once 1/3 through
    eng = RuleEngine(SpeakingRules(), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 0.0, 600.0)
    r.turn("Bob", 0, 150)  # 150 s at t=150 (1/4 through: too early to judge)
    assert not [w for w in r.events if w.rule == "dominant"]
    r.turn("Chloé", 151, 160)
    r.until(200.0)  # 1/3 through: Bob's 150 s > 2 * 200 * 1/3 = 133 s
    dom = [w for w in r.events if w.rule == "dominant"]
    assert [(w.speaker, w.value_s) for w in dom] == [("Bob", 150.0)]
    r.until(300.0)
    assert len([w for w in r.events if w.rule == "dominant"]) == 1


def test_a_silent_consultant_at_three_quarters_of_the_phase():
    eng = RuleEngine(SpeakingRules(), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 0.0, 400.0)
    r.turn("Bob", 0, 100)
    r.turn("Chloé", 101, 200)
    r.until(295.0)
    assert not [w for w in r.events if w.rule == "silent"]
    r.until(315.0)  # due at 300 s; nobody spoke since, so once the tracker has settled (SETTLE_S)
    silent = [w for w in r.events if w.rule == "silent"]
    assert [w.speaker for w in silent] == ["David"]
    r.until(395.0)
    assert len([w for w in r.events if w.rule == "silent"]) == 1
    # a new phase starts afresh
    r2 = Replay(eng, "learning", "everyone", 400.0, 600.0)
    r2.until(900.0)
    assert not [w for w in r2.events if w.rule == "silent"]  # "everyone" phases: not this rule


def test_nobody_is_named_aloud_twice_within_the_interval_but_every_warning_is_journaled():
    eng = RuleEngine(SpeakingRules(announce_interval_s=300.0, monologue_s=60.0), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 0.0, 1200.0)
    w1 = r.turn("Alice", 0, 40)  # 40 s of client: client_in_consultation
    w2 = r.turn("Alice", 41, 70)  # 70 s without a break: monologue
    assert [(w.rule, w.spoken) for w in w1] == [("client_in_consultation", True)]
    assert [(w.rule, w.spoken) for w in w2] == [("monologue", False)]  # named 30 s ago
    r.turn("Bob", 80, 100)
    w3 = r.turn("Alice", 400, 470)  # a new monologue 430 s after she was named
    assert [(w.rule, w.spoken) for w in w3] == [("monologue", True)]
    for w in w1 + w2 + w3:
        assert from_json(w.to_json()) == w


def test_one_spoken_remark_at_a_time_even_for_several_people():
    eng = RuleEngine(SpeakingRules(spoken_gap_s=60.0), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 0.0, 400.0)
    r.turn("Bob", 0, 20)
    r.until(315.0)  # Chloé and David both silent at three quarters (+ SETTLE_S)
    silent = [w for w in r.events if w.rule == "silent"]
    assert [(w.speaker, w.spoken) for w in silent] == [("Chloé", True), ("David", False)]
    eng2 = RuleEngine(SpeakingRules(spoken_gap_s=0.0), PEOPLE)
    r2 = Replay(eng2, "consultation", "consultants", 0.0, 400.0)
    r2.turn("Bob", 0, 20)
    r2.until(315.0)
    assert all(w.spoken for w in r2.events if w.rule == "silent")


def test_each_rule_can_be_switched_off_and_all_with_one_setting():
    def replay(rules: SpeakingRules) -> set[str]:
        eng = RuleEngine(rules, PEOPLE)
        pres = Replay(eng, "presentation", "client", 0.0, 300.0)
        pres.turn("Bob", 0, 30)
        cons = Replay(eng, "consultation", "consultants", 300.0, 600.0)
        cons.events = []
        cons.turn("Bob", 300, 520)  # monologue 220 s, dominant
        cons.turn("Alice", 521, 560)  # client 39 s
        cons.until(775.0)  # Chloé and David silent
        return {w.rule for w in pres.events + cons.events}

    assert replay(SpeakingRules()) == {
        "consultant_in_presentation", "monologue", "dominant", "client_in_consultation", "silent"}
    assert replay(SpeakingRules(enabled=False)) == set()
    assert replay(SpeakingRules(silent=False, dominant=False)) == {
        "consultant_in_presentation", "monologue", "client_in_consultation"}


def test_settings_from_a_toml_table_reject_unknown_keys_and_bad_values():
    s = SpeakingRules.from_dict({"enabled": True, "monologue_s": 120, "monologue_by_phase": {"clarification": 60},
                                 "client_quiet_phases": ["consultation"], "announce_interval_s": 600})
    assert s.monologue_s == 120.0 and s.monologue_by_phase == {"clarification": 60.0}
    assert s.announce_interval_s == 600.0
    with pytest.raises(ConfigError, match="monologue_sec.*monologue_s"):
        SpeakingRules.from_dict({"monologue_sec": 100})
    with pytest.raises(ConfigError, match="enabled"):
        SpeakingRules.from_dict({"enabled": "yes"})
    with pytest.raises(ConfigError, match="dominant_factor"):
        SpeakingRules.from_dict({"dominant_factor": -1})
    assert SpeakingRules.from_dict({}) == SpeakingRules()


CHLOE = PEOPLE[2].name


def test_silent_judges_on_turns_heard_up_to_the_moment_it_is_due():
    """The tracker hands turns over seconds late: a consultant who spoke just before the
    rule was due is not told "we would love to hear from you" (the demo told Beatrice)."""
    eng = RuleEngine(SpeakingRules(), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 0.0, 400.0)
    r.turn("Bob", 0, 100)
    r.turn(CHLOE, 101, 150)
    r.until(308.0)  # due at 300; David spoke 280-295, not handed over yet
    r.events += eng.on_turn(Turn("David", 280, 295, 1.0), r.ctx(), 308.0)
    r.until(330.0)
    assert not [w for w in r.events if w.rule == "silent"]


def test_a_turn_from_the_previous_phase_does_not_count_in_the_next():
    eng = RuleEngine(SpeakingRules(), PEOPLE)
    clar = Replay(eng, "clarification", "consultants", 0.0, 100.0)
    clar.turn("Bob", 0, 30)
    clar.turn(CHLOE, 31, 60)
    clar.turn("David", 61, 70)
    cons = Replay(eng, "consultation", "consultants", 100.0, 100.0)
    cons.until(102.0)
    cons.events += eng.on_turn(Turn("Bob", 92, 99, 1.0), cons.ctx(), 104.0)  # spoken in clarification
    cons.turn(CHLOE, 110, 150)
    cons.turn("David", 151, 170)
    cons.until(199.0)
    assert [w.speaker for w in cons.events if w.rule == "silent"] == ["Bob"]


def test_silent_waits_while_someone_is_speaking():
    """The demo named David at 63.2 s while he had been speaking since 63.16 s."""
    from types import SimpleNamespace

    eng = RuleEngine(SpeakingRules(), PEOPLE)
    r = Replay(eng, "consultation", "consultants", 0.0, 400.0)
    r.turn("Bob", 0, 100)
    r.turn(CHLOE, 101, 310)  # handed over after the rule is due (300)
    speaking = SimpleNamespace(speaker="unknown", start_s=311.0, end_s=311.0, score=0.0)
    for t in range(311, 330):  # David speaks; the tracker does not know it is him yet
        r.clock.set(float(t))
        r.events += eng.on_tick(r.ctx(), float(t), speaking)
    r.events += eng.on_turn(Turn("David", 311, 329, 1.0), r.ctx(), 330.0)
    r.until(360.0)
    assert not [w for w in r.events if w.rule == "silent"]
