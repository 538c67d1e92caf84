"""French everywhere, and help that says what each command and option is for."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timekeeper.cli.main import build_parser
from timekeeper.events import CommandHeard

ROOT = Path(__file__).parent.parent


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action:
    return next(a for a in parser._actions if flag in a.option_strings)


def test_every_command_and_models_action_has_a_description():
    commands = subparsers(build_parser())
    for name in ("run", "listen", "devices", "models"):
        assert commands[name].description, name
    for name, action in subparsers(commands["models"]).items():
        assert action.description, f"models {name}"
    assert option(commands["listen"], "--lang").help and option(commands["agenda"], "--lang").help


def test_listen_defaults_to_the_language_run_defaults_to():
    from timekeeper.config import Settings

    args = build_parser().parse_args(["listen", "x.wav"])
    assert args.lang == Settings().lang


def test_run_help_and_the_key_hints_mention_0_to_9():
    from timekeeper.lang import LANGS, get

    assert "0-9" in subparsers(build_parser())["run"].description
    for code in LANGS:
        assert "0-9" in get(code).VIEW["keys"], code


def test_models_options_work_after_the_action_too():
    parser = build_parser()
    args = parser.parse_args(["models", "install", "--from", "x.zip", "--models-dir", "/tmp/m"])
    assert (args.models_action, args.from_zip, args.models_dir) == ("install", "x.zip", "/tmp/m")
    args = parser.parse_args(["models", "--models-dir", "/tmp/n", "path"])
    assert args.models_dir == "/tmp/n"


def test_a_french_session_prints_french(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    folder = tmp_path / "s"
    result = subprocess.run([sys.executable, "-m", "timekeeper", "run", "--lang", "fr", "--no-tts",
                             "--session-dir", str(folder)], input="next\nend\n", capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"dossier de la séance : {folder}" in result.stderr
    assert f"rapport : {folder / 'report.html'}" in result.stdout
    assert f"journal : {folder / 'journal.jsonl'}" in result.stdout
    for english in ("session folder:", "report:", "journal:"):
        assert english not in result.stdout + result.stderr


def test_a_heard_command_is_printed_in_french_as_a_sentence():
    from timekeeper.view import PlainView

    out = io.StringIO()
    view = PlainView(out, lang="fr")

    class Pipe:
        class phrases:
            lang = "fr"

    event = CommandHeard(91.0, "chrono ajoute une minutes", 90.2, 91.0, True, "extend 1", "", "voice")
    view.update(Pipe, 91.0, [event])
    line = out.getvalue()
    assert "entendu « chrono ajoute une minute » à 01:30" in line
    assert "extend" not in line and "heard" not in line


@pytest.mark.parametrize("lang,heard", [("en", 'heard "time keeper add one minute"'),
                                        ("fr", "entendu « time keeper add one minute »")])
def test_one_minutes_reads_one_minute(lang, heard):
    from timekeeper.view import PlainView

    out = io.StringIO()

    class Pipe:
        class phrases:
            pass

    Pipe.phrases.lang = lang
    PlainView(out).update(Pipe, 31.0, [CommandHeard(31.0, "time keeper add one minutes", 30.0, 31.0, True,
                                                    "extend 1", "", "voice")])
    assert heard in out.getvalue()
