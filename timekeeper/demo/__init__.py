"""``timekeeper demo``: a whole session in under a minute, with no microphone.

It replays a recorded three-minute codev session shipped with the package (``session.py``:
real recorded voices for the group, a synthetic facilitator who gives voice commands,
remarks full of command words that must be ignored), enrolls the participants' voices
from separate clips, runs it through the real pipeline (voice activity, command
recognition, speaker tracking, speaking rules, phase clock, announcements) and writes
the report.

Nothing here touches the user's own voice profiles: the demo's voices are enrolled in
memory and never saved.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TextIO

from timekeeper.config import ClockSettings, Settings
from timekeeper.i18n import msg

# The recorded session lasts about three minutes: codev-90's time boxes scaled down
# so that some phases run over and the warnings can be heard.
DEMO_SCALE = 0.032
DEMO_CLOCK = ClockSettings(warn_before_min=0.2, overrun_every_min=0.25, overrun_max=1, behind_warn_min=0.5)
COMMANDS_LANG = "en"  # the recorded facilitator speaks English to the timekeeper


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "timekeeper" / "demo"


def demo_agenda():
    """codev-90 played in about four minutes, named so in every language."""
    from timekeeper import lang as languages
    from timekeeper.agenda import PRESETS

    agenda = PRESETS["codev-90"].scaled(DEMO_SCALE)
    minutes = round(agenda.planned_s / 60)
    names = {code: languages.get(code).DEMO_AGENDA.format(minutes=minutes) for code in languages.LANGS}
    return dataclasses.replace(agenda, names=names)


def run_demo(lang: str = "en", *, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
             sessions_dir: Path | None = None, cache: Path | None = None, speak: bool | None = None,
             verbose: bool = False) -> int:
    from timekeeper.announce import has_sound_output
    from timekeeper.report.i18n import number
    from timekeeper.demo import session as recorded
    from timekeeper.runner import RunOptions, new_session_dir, run_session
    from timekeeper.speakers.enroll import enroll_from_samples
    from timekeeper.stages import build_stages

    t0 = time.perf_counter()
    demo = recorded.load()
    roles = {p.role: p.name for p in demo.participants}
    print(msg(lang, "demo.intro", minutes=round(demo.duration_s / 60), client=roles["client"],
              animateur=roles["animateur"], n=sum(p.role == "consultant" for p in demo.participants)), file=err)
    if lang != COMMANDS_LANG:
        print(msg(lang, "demo.commands_spoken_in"), file=err)
    digest = hashlib.sha1(demo.meeting.tobytes()).hexdigest()[:12]
    wav = (cache or cache_dir()) / f"session-{digest}.wav"
    if not wav.exists():
        demo.write_meeting(wav.with_suffix(".part")).replace(wav)
    profiles = [enroll_from_samples(name, clip) for name, clip in sorted(demo.enrollment.items())]
    print(msg(lang, "demo.enrolled", n=len(profiles), names=", ".join(p.name for p in profiles)), file=err)

    settings = Settings(lang=lang, agenda="codev-90", participants=demo.participants, clock=DEMO_CLOCK)
    settings = dataclasses.replace(settings, listen=dataclasses.replace(settings.listen, input=str(wav)))
    agenda = demo_agenda()
    stages = build_stages(settings, phases=agenda.numbers, lang=COMMANDS_LANG, profiles=profiles)
    if speak is None:
        speak = has_sound_output()
    base = sessions_dir or Path("sessions")
    folder = new_session_dir(base, f"demo-{lang}", datetime.now())
    options = RunOptions(no_view=True, speak=speak, no_tts=not speak, session_dir=str(folder),
                         input=str(wav), verbose=verbose)
    code = run_session(options, out=out, err=err, stages=stages, settings=settings, agenda=agenda)
    _print_summary(folder, lang, out)
    print(msg(lang, "demo.done", minutes=number(demo.duration_s / 60, lang),
              seconds=number(time.perf_counter() - t0, lang)), file=err)
    return code


def _print_summary(folder: Path, lang: str, out: TextIO) -> None:
    from timekeeper.report import load_summary
    from timekeeper.report.readout import key_lines

    summary = load_summary(folder, {})
    for line in key_lines(summary, lang):
        print(f"  {line}", file=out)
