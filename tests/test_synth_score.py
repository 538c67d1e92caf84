"""The scorer on a hand-built truth and journal whose errors are known (numbers by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timekeeper.events import CommandHeard, SpeakerTurn, SpeechSegment
from testkit.score import score, score_commands, score_speakers, score_speech
from testkit.truth import Truth, TruthCommand, TruthParticipant, TruthSpan, TruthTurn


def T(speaker: str, a: float, b: float, kind: str = "speech") -> TruthTurn:
    return TruthTurn(speaker, a, b, False, kind, "")


@pytest.fixture
def truth() -> Truth:
    # A [10,20] [70,72 command]; B [18,30]; C [31,33 command] [40,45 distractor] [45,50]; announcer [60,65]
    return Truth(
        wav="x.wav", duration_s=100.0,
        participants=(TruthParticipant("A", "client", "v"), TruthParticipant("B", "consultant", "v"),
                      TruthParticipant("C", "animateur", "v"), TruthParticipant("Ann", "announcer", "v")),
        turns=(T("A", 10, 20), T("B", 18, 30), T("C", 31, 33, "command"), T("C", 40, 45, "distractor"),
               T("C", 45, 50), T("Ann", 60, 65, "announcer"), T("A", 70, 72, "command")),
        commands=(TruthCommand("B", "time keeper how much time is left", "time_left", "en", 27, 29),
                  TruthCommand("C", "time keeper next phase", "next", "en", 31, 33),
                  TruthCommand("A", "time keeper pause", "pause", "en", 70, 72)),
        distractors=(TruthSpan("the next phase of my project", 40, 45),),
        announcer=(TruthSpan("Phase two, clarification", 60, 65),),
    )


SPEECH = [SpeechSegment(29, 9, 29), SpeechSegment(33, 31, 33), SpeechSegment(55, 42, 55),
          SpeechSegment(64, 61, 64), SpeechSegment(71.5, 70, 71.5)]
SPEAKERS = [SpeakerTurn(19, "A", 10, 19), SpeakerTurn(30, "Voice 1", 19, 30), SpeakerTurn(33, "A", 31, 33),
            SpeakerTurn(50, "Voice 2", 40, 50), SpeakerTurn(72, "A", 70, 72), SpeakerTurn(82, "B", 80, 82)]
HEARD = [
    CommandHeard(33.8, "time keeper next phase", 31, 33, True, "next"),  # hit, 0.8 s
    CommandHeard(34.0, "time keeper next phase", 31, 33, True, "next"),  # duplicate: false accept
    CommandHeard(35.0, "time keeper next", 31, 33, False, None, "not a command"),  # rejected in window
    CommandHeard(45.5, "pause", 40.5, 44.9, True, "pause"),  # false accept on the distractor
    CommandHeard(50.0, "next", 46, 48, False, None, "no wake phrase"),  # rejected, in no window
    CommandHeard(73.0, "time keeper resume", 70, 72, True, "resume"),  # wrong command
    CommandHeard(74.5, "time keeper pause", 70, 72, True, "pause"),  # hit, 2.5 s
    CommandHeard(90.0, "", 90, 90, True, "end", source="keyboard"),  # not voice: ignored
]


def test_speech_detection_missed_and_false_alarm(truth: Truth) -> None:
    s = score_speech(truth, SPEECH)
    # true speech [10,30] [31,33] [40,50] [70,72] = 34 s; the announcer's [60,65] is not scored
    assert s.truth_s == 34.0
    assert s.missed_s == 3.5  # [29,30] + [40,42] + [71.5,72]
    assert s.false_alarm_s == 6.0  # [9,10] + [50,55]; [61,64] is announcer time
    assert s.detected_s == 36.5
    assert s.missed_pct == round(100 * 3.5 / 34, 2) and s.false_alarm_pct == round(100 * 6 / 34, 2)


def test_speech_collar_ignores_edges(truth: Truth) -> None:
    s = score_speech(truth, SPEECH, collar_s=0.5)
    # the [71.5,72] miss is inside the collar of 72; the [29,30] miss loses its last 0.5 s
    assert s.missed_s == pytest.approx(0.5 + 1.5 + 0.0)


def test_speaker_identification_error_and_mapping(truth: Truth) -> None:
    s = score_speakers(truth, SPEAKERS)
    assert s.truth_s == 36.0  # 12 s each, the A/B overlap counted for both
    assert s.miss_s == 2.0  # [18,20]: two speakers, one label
    assert s.false_alarm_s == 2.0  # "B" at [80,82], nobody spoke
    assert s.confusion_s == 23.0  # [19,20] 1 + [20,30] 10 + [31,33] 2 + [40,50] 10
    assert s.error_rate_pct == 75.0  # 27 / 36
    # "A" and "B" are names taken as they are, so only C is free: Voice 2 -> C
    assert s.mapping == {"Voice 2": "C"}
    assert s.mapped_confusion_s == 13.0
    assert s.mapped_error_rate_pct == round(100 * 17 / 36, 2)
    people = {p.name: p for p in s.persons}
    assert set(people) == {"A", "B", "C"}
    assert (people["A"].truth_s, people["A"].detected_s, people["A"].error_s) == (12.0, 13.0, 1.0)
    assert (people["B"].detected_s, people["B"].error_s) == (2.0, -10.0)
    assert (people["C"].detected_s, people["C"].labels) == (10.0, ("Voice 2",))
    # shares: truth 12/36 each; found A 13/36, B 2/36, C 10/36 (of 36 s attributed in all)
    assert people["A"].truth_share_pct == 33.33
    assert people["A"].detected_share_pct == 36.11 and people["A"].error_pp == 2.78
    assert people["B"].error_pp == -27.78 and people["C"].error_pp == -5.56
    assert s.unmatched_labels == {"Voice 1": 11.0}


def test_perfect_speakers_score_zero(truth: Truth) -> None:
    perfect = [SpeakerTurn(t.end_s, t.speaker, t.start_s, t.end_s) for t in truth.speech_turns()]
    s = score_speakers(truth, perfect)
    assert (s.error_rate_pct, s.miss_s, s.false_alarm_s, s.confusion_s) == (0.0, 0.0, 0.0, 0.0)
    assert all(p.error_s == 0 and p.error_pp == 0 for p in s.persons)


def test_commands_recall_false_accepts_latency(truth: Truth) -> None:
    c = score_commands(truth, HEARD)
    assert (c.truth_count, c.accepted_count, c.matched) == (3, 5, 2)
    assert c.recall_pct == 66.67
    assert c.false_accepts == 3 and c.false_accepts_per_hour == 108.0  # 3 in 100 s
    assert c.wrong_command == 1 and c.false_accepts_on_distractors == 1
    assert c.latency_median_s == 1.65 and c.latency_p95_s == 2.415  # from [0.8, 2.5]
    assert c.rejected_in_window == 1
    assert c.missed == ("29.00 time_left",)
    assert c.recall_by_command == {"next": 100.0, "pause": 100.0, "time_left": 0.0}


def test_late_events_do_not_count(truth: Truth) -> None:
    late = [CommandHeard(33 + 3.2, "time keeper next phase", 31, 33, True, "next")]
    c = score_commands(truth, late)
    assert c.matched == 0 and c.false_accepts == 1
    assert score_commands(truth, late, window_s=4.0).matched == 1


def test_bench_score_reads_a_journal_and_prints_json(truth: Truth, tmp_path: Path, capsys) -> None:
    from bench.score import main

    truth_file = tmp_path / "s.truth.json"
    truth.save(truth_file)
    journal = tmp_path / "journal.jsonl"
    journal.write_text("".join(e.to_json() + "\n" for e in [*SPEECH, *SPEAKERS, *HEARD]), encoding="utf-8")
    assert main([str(truth_file), str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(score(truth, [*SPEECH, *SPEAKERS, *HEARD]).to_dict()))
    assert out["speakers"]["error_rate_pct"] == 75.0 and out["commands"]["matched"] == 2
    assert main([str(truth_file), str(journal)]) == 0
    text = capsys.readouterr().out
    assert "identification error rate 75.0 %" in text and "recall 66.7 % (2/3)" in text


def test_bench_score_bad_truth_is_one_line_error(tmp_path: Path, capsys) -> None:
    from bench.score import main

    (tmp_path / "journal.jsonl").write_text("", encoding="utf-8")
    assert main([str(tmp_path / "missing.truth.json"), str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot read truth file") and "\n" not in err


def test_oracle_events_score_perfectly_on_a_generated_session(tmp_path: Path) -> None:
    from testkit import presets
    from testkit.score import oracle_events
    from testkit.truth import truth_path

    truth = Truth.load(truth_path(presets.build("short-codev", tmp_path)))
    s = score(truth, oracle_events(truth, latency_s=0.7))
    assert (s.speech.missed_s, s.speech.false_alarm_s, s.speakers.error_rate_pct) == (0.0, 0.0, 0.0)
    assert s.commands.recall_pct == 100.0 and s.commands.false_accepts == 0
    assert s.commands.latency_median_s == 0.7
