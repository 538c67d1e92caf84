"""A language is one module of timekeeper/lang: every module defines the same words, and a
new module is all a new language needs."""

from __future__ import annotations

import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from timekeeper import lang as languages
from timekeeper.agenda import PRESETS
from timekeeper.commands import CommandKind

REFERENCE = "en"
OWN_WORDS = {"WAKE_SPELLINGS", "NUMBERS", "FEMININE"}  # each language has its own keys there


def public(module) -> dict[str, object]:
    return {k: v for k, v in vars(module).items() if k.isupper()}


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_french_and_english_are_there_french_first():
    assert languages.LANGS[:1] == ("fr",) and set(languages.LANGS) >= {"fr", "en"}


@pytest.mark.parametrize("code", [c for c in languages.LANGS if c != REFERENCE])
def test_every_language_defines_the_same_words(code):
    ref, other = public(languages.get(REFERENCE)), public(languages.get(code))
    assert set(other) == set(ref), f"{code}.py: names differ from {REFERENCE}.py"
    for name, value in ref.items():
        mine = other[name]
        assert type(mine) is type(value), f"{code}.{name}"
        if isinstance(value, dict) and name not in OWN_WORDS:
            assert set(mine) == set(value), f"{code}.{name}: keys differ ({set(mine) ^ set(value)})"
            for key, text in value.items():
                if isinstance(text, str):
                    assert fields(mine[key]) == fields(text), f"{code}.{name}[{key!r}]: fields differ"
                    assert mine[key].strip(), f"{code}.{name}[{key!r}] is empty"


@pytest.mark.parametrize("code", languages.LANGS)
def test_every_language_can_say_and_understand_everything(code):
    words = languages.get(code)
    kinds = {k.value for k in CommandKind}
    assert {kind for _, kind in words.COMMANDS} == kinds  # every command can be said
    assert set(words.CANONICAL) == kinds
    assert set(words.NUMBERS.values()) == set(range(1, 11))
    assert set(words.PHASES) == {p.id for a in PRESETS.values() for p in a.phases}
    assert set(words.PRESETS) == {int(a.split("-")[1]) for a in PRESETS}
    assert len(words.MINUTE_WORDS) == 2 and words.WAKE.strip()


def test_an_unknown_language_is_one_clear_error():
    from timekeeper.errors import ConfigError

    with pytest.raises(ConfigError, match="language 'de' is not available .use one of: fr, en"):
        languages.get("de")


def test_a_new_language_is_one_new_module(tmp_path):
    """Copy the package, add lang/xx.py (English with marked words), and the CLI offers it,
    announces in it, understands its commands and prints its agenda: nothing else to edit."""
    root = Path(languages.__file__).resolve().parents[1]
    shutil.copytree(root, tmp_path / "timekeeper", ignore=shutil.ignore_patterns("__pycache__"))
    source = (root / "lang" / "en.py").read_text(encoding="utf-8")
    source = source.replace('"Starting the session: {agenda}."', '"XX start: {agenda}."')
    source = source.replace('"Presentation of the issue"', '"XX presentation"')
    source = source.replace('NAME = "English"', 'NAME = "Toy"')
    (tmp_path / "timekeeper" / "lang" / "xx.py").write_text(source, encoding="utf-8")

    def timekeeper(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "timekeeper", *args], cwd=tmp_path, input=stdin,
                              capture_output=True, text=True, timeout=120,
                              env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})

    plan = timekeeper("agenda", "codev-60", "--lang", "xx")
    assert plan.returncode == 0, plan.stderr
    assert "XX presentation" in plan.stdout
    run = timekeeper("run", "--lang", "xx", "--agenda", "codev-60", "--no-tts", "--no-view", "--no-report",
                     "--session-dir", str(tmp_path / "s"), stdin="next\nend\n")
    assert run.returncode == 0, run.stderr
    assert "XX start: Co-development, 60 minutes." in run.stdout
    assert "Phase 1: XX presentation." in run.stdout
    check = subprocess.run([sys.executable, "-c", "from timekeeper.asr.phrases import expand; "
                            "print(expand('xx').phrases[' '.join(['time keeper', 'next phase'])])"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60,
                           env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert check.stdout.strip() == "next", check.stderr  # its command phrases are understood
