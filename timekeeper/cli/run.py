"""``timekeeper run``: a live session (keyboard, microphone) or a replay of a WAV file."""

from __future__ import annotations

import argparse

from timekeeper.lang import LANGS
import sys

from timekeeper.cli.main import add_common


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "run", help="run a session: phase clock, announcements, voice commands",
        description="Run a co-development session. Keys: space pause/resume, n next, p previous, "
                    "0-9 go to phase N, +/- one minute, t time left, r repeat, q twice to end. From a "
                    "pipe, one command a line (next, previous, goto N, pause, resume, time_left, "
                    "extend N, shorten N, repeat, end). With --input, voice commands "
                    "and speaking time come from the microphone or a WAV file.")
    p.add_argument("--agenda", help="preset (codev-60, codev-90, codev-120) or a .toml agenda")
    p.add_argument("--config", help="settings file (see config/timekeeper.toml)")
    p.add_argument("--lang", choices=LANGS, help="session language (default fr)")
    p.add_argument("--participants", help='e.g. "Alice:client,Bob,Chloé,David:animateur"')
    p.add_argument("--input", help="mic, mic:N (device index or name), or a WAV file to replay")
    p.add_argument("--engine", choices=("auto", "vosk", "builtin"), help="command recogniser")
    p.add_argument("--model", help="path of a vosk model folder")
    p.add_argument("--voices", help="enrolled voices to recognise (comma-separated; default: the participants)")
    p.add_argument("--voices-dir", help="voice profile folder (default: the user's data folder, as `timekeeper enroll`)")
    p.add_argument("--enroll", action="store_true", help="open with a voice enrollment round")
    p.add_argument("--no-tts", action="store_true", help="print announcements instead of speaking")
    p.add_argument("--speak", action="store_true", help="speak announcements even when replaying a file")
    p.add_argument("--no-view", action="store_true", help="plain output instead of the live view")
    p.add_argument("--layout", choices=("auto", "large", "compact"), default="auto",
                   help="live view: large = the phase clock readable across the room (auto: large on a "
                        "terminal of 30 rows and 80 columns or more)")
    p.add_argument("--scale", type=float, help="multiply every time box (0.1 = a 9-minute rehearsal)")
    p.add_argument("--sessions-dir", help="where session folders go (default ./sessions)")
    p.add_argument("--session-dir", help="exact folder for this session's journal and report")
    p.add_argument("--resume", metavar="SESSION_DIR", help="take up a crashed session from its journal")
    p.add_argument("--record", action="store_true", help="keep the session's audio (off by default)")
    p.add_argument("--echo", action="store_true",
                   help="the replayed recording holds the timekeeper's own announcements (recorded live): "
                        "ignore them as a live session does")
    p.add_argument("--no-report", action="store_true", help="do not write the report at the end")
    add_common(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timekeeper.runner import RunOptions, run_session

    options = RunOptions.from_args(args)
    return run_session(options, out=sys.stdout, err=sys.stderr)
