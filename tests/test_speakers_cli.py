"""Enrollment from files and in a guided round, `voices list | remove`, `whois`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

from bench import speakers_sim as S
from timekeeper.audio.frames import Frame
from timekeeper.cli.main import main
from timekeeper.speakers.guided import guided_round

VOICES = Path(__file__).parent / "data" / "voices" / "librispeech"


class ArraySource:
    """An AudioSource over an int16 array (what a microphone would give), in 20 ms frames."""

    realtime = False

    def __init__(self, samples: np.ndarray, name: str = "test") -> None:
        self.samples, self.name, self.closed = samples, name, False

    def frames(self) -> Iterator[Frame]:
        for i in range(0, len(self.samples), 320):
            yield Frame(i, self.samples[i : i + 320])

    def close(self) -> None:
        self.closed = True


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """Room recordings (reverb + 15 dB noise) of two people: 30 s each, and a short one."""
    rng = np.random.default_rng(11)
    voices = S.load_voices(VOICES)
    out = tmp_path_factory.mktemp("rec")
    files = {}
    for who in ("533", "3005"):
        seat = S.make_seat(rng)
        audio, used = S.enrollment_audio(voices[who], seat, 30.0, rng)
        files[who] = out / f"{who}.wav"
        S.write_wav(files[who], audio)
        meet = S.add_noise(np.concatenate([S.through_seat(u, seat)[: len(u)] for u in voices[who][used : used + 2]]), 15.0, rng)
        files[who + "-meeting"] = meet
    short, _ = S.enrollment_audio(voices["1998"], S.make_seat(rng), 4.0, rng)
    files["short"] = out / "short.wav"
    S.write_wav(files["short"], short)
    meeting = np.concatenate([files["533-meeting"], np.zeros(S.RATE, np.float32), files["3005-meeting"]])
    files["meeting"] = out / "meeting.wav"
    S.write_wav(files["meeting"], meeting)
    files["boundary_s"] = (len(files["533-meeting"]) + S.RATE) / S.RATE
    return files


def test_enroll_from_wav_then_list_whois_and_remove(recordings, tmp_path, capsys):
    vdir = str(tmp_path / "voices")
    assert main(["enroll", "Alice", "--from", str(recordings["533"]), "--voices-dir", vdir]) == 0
    assert main(["enroll", "Bob", "--from", str(recordings["3005"]), "--voices-dir", vdir]) == 0
    assert "enrolled Alice" in capsys.readouterr().out
    # the profile is model parameters, small, never the recording
    files = sorted((tmp_path / "voices").iterdir())
    assert [f.name.split("-")[0] for f in files] == ["alice", "bob"]
    assert all(f.stat().st_size < 200_000 < recordings["533"].stat().st_size for f in files)
    assert np.asarray(json.loads(files[0].read_text())["embeddings"]).shape[1] == 256

    assert main(["voices", "list", "--voices-dir", vdir]) == 0
    out = capsys.readouterr().out
    assert "Alice" in out and "Bob" in out

    assert main(["whois", str(recordings["meeting"]), "--voices-dir", vdir]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if " - " in ln]
    assert lines[0].split()[3] == "Alice" and lines[-1].split()[3] == "Bob"
    first_bob = next(ln for ln in lines if ln.split()[3] == "Bob")
    m, s = first_bob.split()[0].split(":")
    assert abs(int(m) * 60 + float(s) - recordings["boundary_s"]) < 1.5
    assert "speaking time:" in out

    assert main(["whois", str(recordings["meeting"]), "--voices", "Bob", "--voices-dir", vdir]) == 0
    assert "Alice" not in capsys.readouterr().out

    assert main(["voices", "remove", "Alice", "--voices-dir", vdir]) == 0
    assert [f.name.split("-")[0] for f in (tmp_path / "voices").iterdir()] == ["bob"]


def test_cli_mistakes_print_one_line_and_exit_2(recordings, tmp_path, capsys):
    vdir = str(tmp_path / "voices")
    assert main(["enroll", "Zoe", "--from", str(recordings["short"]), "--voices-dir", vdir]) == 2
    err = capsys.readouterr().err
    assert "only" in err and "Zoe" in err and "s more" in err and len(err.strip().splitlines()) == 1
    assert main(["enroll", "Zoe", "--from", str(tmp_path / "missing.wav"), "--voices-dir", vdir]) == 2
    assert "no such audio file" in capsys.readouterr().err
    assert main(["voices", "remove", "Nobody", "--voices-dir", vdir]) == 2
    assert "no voice profile for 'Nobody'" in capsys.readouterr().err
    assert main(["whois", str(recordings["meeting"]), "--voices-dir", vdir]) == 2
    assert "enroll" in capsys.readouterr().err
    assert main(["enroll", "--voices-dir", vdir]) == 2


def test_guided_round_asks_each_person_and_asks_again_when_too_little_speech(recordings):
    from timekeeper.speakers.wavio import read_int16

    said: list[str] = []
    takes = iter([
        read_int16(recordings["short"]),  # Alice mumbles: too little
        read_int16(recordings["533"]),  # Alice again: fine
        read_int16(recordings["3005"]),  # Bob: fine
    ])
    sources: list[ArraySource] = []

    def open_source() -> ArraySource:
        sources.append(ArraySource(next(takes)))
        return sources[-1]

    result = guided_round(["Alice", "Bob"], open_source, say=said.append, seconds=40.0)
    assert [p.name for p in result.profiles] == ["Alice", "Bob"] and result.failed == ()
    assert said[0].startswith("Alice, please speak")
    assert "Alice, I heard only" in said[1] and "again" in said[1]
    assert said[2] == "Thank you Alice." and said[3].startswith("Bob, please speak")
    assert all(s.closed for s in sources) and len(sources) == 3


def test_guided_round_gives_up_after_the_last_try_and_the_cli_says_who_is_missing(recordings, tmp_path, capsys):
    from timekeeper.cli.enroll import run
    from timekeeper.speakers.wavio import read_int16

    short = read_int16(recordings["short"])
    good = read_int16(recordings["3005"])
    takes = iter([good] + [short] * 3)
    said: list[str] = []
    import argparse

    args = argparse.Namespace(name=None, from_wav=None, participants="Bob, Chloé", input="mic", seconds=40.0,
                              lang="fr", voices_dir=str(tmp_path / "v"))
    rc = run(args, say=said.append, open_source=lambda: ArraySource(next(takes)))
    out = capsys.readouterr().out
    assert rc == 1 and "enrolled Bob" in out and "not enrolled: Chloé" in out
    assert said[-1].startswith("Chloé, je n'ai pas pu")
    assert [f.name.split("-")[0] for f in (tmp_path / "v").iterdir()] == ["bob"]


def test_whois_json_turns_and_a_warning_for_participants_without_a_profile(recordings, tmp_path, capsys):
    vdir = str(tmp_path / "voices")
    assert main(["enroll", "Alice", "--from", str(recordings["533"]), "--voices-dir", vdir]) == 0
    assert main(["enroll", "Bob", "--from", str(recordings["3005"]), "--voices-dir", vdir]) == 0
    capsys.readouterr()
    assert main(["whois", str(recordings["meeting"]), "--json", "--voices-dir", vdir,
                 "--participants", "Alice:client,Bob,Chloé"]) == 0
    cap = capsys.readouterr()
    data = json.loads(cap.out)
    assert data["missing_profiles"] == ["Chloé"]
    assert "no voice profile for Chloé" in cap.err and "enroll" in cap.err
    turns = data["turns"]
    assert all(set(t) == {"speaker", "start_s", "end_s", "score"} for t in turns)
    assert turns[0]["speaker"] == "Alice" and turns[-1]["speaker"] == "Bob"
    assert all(0 <= t["start_s"] < t["end_s"] and -1 <= t["score"] <= 1 for t in turns)
    first_bob = next(t for t in turns if t["speaker"] == "Bob")
    assert abs(first_bob["start_s"] - recordings["boundary_s"]) < 1.5
    assert data["speaking_s"]["Alice"] > 3 and data["speaking_s"]["Bob"] > 3


def test_run_uses_the_profiles_of_voices_dir(recordings, tmp_path, capsys):
    vdir = tmp_path / "voices"
    assert main(["enroll", "Alice", "--from", str(recordings["533"]), "--voices-dir", str(vdir)]) == 0
    assert main(["enroll", "Bob", "--from", str(recordings["3005"]), "--voices-dir", str(vdir)]) == 0
    capsys.readouterr()
    sdir = tmp_path / "s"
    rc = main(["run", "--input", str(recordings["meeting"]), "--lang", "en", "--no-tts", "--no-view",
               "--participants", "Alice:client,Bob,Chloé", "--voices-dir", str(vdir), "--session-dir", str(sdir),
               "--engine", "builtin", "--no-report"])
    err = capsys.readouterr().err
    assert rc == 0
    assert "no voice profile for Chloé" in err and "Alice" not in err.split("no voice profile for")[1]
    events = [json.loads(ln) for ln in (sdir / "journal.jsonl").read_text().splitlines() if ln.strip()]
    spoken = {e.get("speaker") for e in events if e.get("type") == "SpeakerTurn"}
    assert {"Alice", "Bob"} <= spoken


NAMES = ["李雷", "王芳", "Иван", "Zoe", "Zoë 🚀", "Alice", "ALICE", "Chloé", "Chloe", ".", "*", "x" * 300]


def test_unicode_and_look_alike_names_get_one_file_each_and_remove_is_exact(recordings, tmp_path, capsys):
    from timekeeper.speakers.profiles import ProfileStore, VoiceProfile

    vdir = tmp_path / "voices"
    store = ProfileStore(vdir)
    emb = np.eye(256, dtype=np.float32)[:4]
    for i, name in enumerate(NAMES):
        store.save(VoiceProfile(name, np.roll(emb, i, axis=1), 10.0 + i))
    files = sorted(vdir.iterdir())
    assert len(files) == len(NAMES) and all(len(f.name) < 80 for f in files)
    assert sorted(store.names()) == sorted(NAMES)
    for i, name in enumerate(NAMES):  # each name reads back its own profile
        assert store.load(name).speech_s == 10.0 + i
    # decomposed "Zoë" (e + combining diaeresis) is the same person as composed
    assert store.load("Zoe\u0308 🚀").name == "Zoë 🚀"
    assert main(["voices", "remove", "Chloe", "--voices-dir", str(vdir)]) == 0
    assert "Chloé" in store.names() and "Chloe" not in store.names()
    assert main(["voices", "remove", "chloe", "--voices-dir", str(vdir)]) == 2
    assert "did you mean 'Chloé'" in capsys.readouterr().err
    assert main(["voices", "remove", "*", "--voices-dir", str(vdir)]) == 0
    assert "." in store.names() and "*" not in store.names()
    assert main(["voices", "remove", "alice", "--voices-dir", str(vdir)]) == 2
    assert {"Alice", "ALICE"} <= set(store.names())
    assert main(["voices", "remove", "x" * 300, "--voices-dir", str(vdir)]) == 0
    assert main(["voices", "list", "--voices-dir", str(vdir)]) == 0
    out = capsys.readouterr().out
    assert "李雷" in out and "Zoë 🚀" in out and "ALICE" in out
    assert len(store.names()) == len(NAMES) - 3


def test_enroll_cli_with_unicode_names_keeps_both_people(recordings, tmp_path, capsys):
    vdir = str(tmp_path / "voices")
    for name, rec in (("李雷", "533"), ("王芳", "3005"), ("Иван", "533")):
        assert main(["enroll", name, "--from", str(recordings[rec]), "--voices-dir", vdir]) == 0
    assert main(["enroll", "bad\nname", "--from", str(recordings["533"]), "--voices-dir", vdir]) == 2
    assert "control characters" in capsys.readouterr().err
    assert len(list((tmp_path / "voices").iterdir())) == 3
