"""``timekeeper demo``: a whole session in under a minute, with no microphone.

It builds (once, then from the cache) a short generated codev session — real recorded
voices for the group, a synthetic animateur who gives voice commands, distractors that
must be ignored — enrolls the participants' voices from separate clips, replays the WAV
through the real pipeline (voice activity, command recognition, speaker tracking,
speaking rules, phase clock, announcements) and writes the report.

Nothing here touches the user's own voice profiles: the demo's voices are enrolled in
memory and never saved.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from timekeeper.agenda import PRESETS
from timekeeper.config import ClockSettings, Settings
from timekeeper.events import Participant
from timekeeper.i18n import msg

# The generated session lasts about three minutes: codev-90's time boxes scaled down
# so that some phases run over and the warnings can be heard.
DEMO_SCALE = 0.032
DEMO_CLOCK = ClockSettings(warn_before_min=0.2, overrun_every_min=0.25, overrun_max=1, behind_warn_min=0.5)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "timekeeper" / "demo"


def demo_preset(lang: str, french_model: bool) -> tuple[str, str]:
    """(preset name, language its commands are spoken in)."""
    if lang == "fr" and french_model:
        return "short-codev-fr", "fr"
    return "short-codev", "en"


def run_demo(lang: str = "en", *, out: TextIO = sys.stdout, err: TextIO = sys.stderr,
             sessions_dir: Path | None = None, cache: Path | None = None, speak: bool | None = None,
             verbose: bool = False) -> int:
    from timekeeper.announce import has_sound_output
    from timekeeper.models.manager import ModelManager
    from timekeeper.runner import RunOptions, new_session_dir, run_session
    from timekeeper.speakers.enroll import enroll_from_samples
    from timekeeper.stages import build_stages
    # TEMPORARY (issue 13 in progress): the generator moved out of the package to testkit/;
    # until the demo ships its own session, a clone's testkit is put on the path.
    try:
        import testkit  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from testkit import presets
    from testkit.truth import Truth, truth_path
    from timekeeper.speakers.wavio import read_int16

    t0 = time.perf_counter()
    french_model = ModelManager().installed_path("fr") is not None
    preset, audio_lang = demo_preset(lang, french_model)
    if lang == "fr" and audio_lang == "en":
        print(msg(lang, "demo.no_fr_model"), file=err)
    cache = cache or cache_dir()
    print(msg(lang, "demo.preparing", preset=preset, cache=cache), file=err)
    wav = presets.build(preset, cache, seed=0)
    truth = Truth.load(truth_path(wav))

    participants = tuple(Participant(p.name, p.role) for p in truth.participants)
    profiles = []
    for name, path in sorted(truth.enrollment.items()):
        profiles.append(enroll_from_samples(name, read_int16(path)))
    print(msg(lang, "demo.enrolled", n=len(profiles), names=", ".join(p.name for p in profiles)), file=err)

    settings = Settings(lang=lang, agenda="codev-90", participants=participants, clock=DEMO_CLOCK)
    settings = replace(settings, listen=replace(settings.listen, input=str(wav)))
    agenda = PRESETS["codev-90"].scaled(DEMO_SCALE)
    stages = build_stages(settings, phases=agenda.numbers, lang=audio_lang, profiles=profiles)
    if speak is None:
        speak = has_sound_output()
    base = sessions_dir or Path("sessions")
    folder = new_session_dir(base, f"demo-{lang}", datetime.now())
    options = RunOptions(no_view=True, speak=speak, no_tts=not speak, session_dir=str(folder),
                         input=str(wav), verbose=verbose)
    code = run_session(options, out=out, err=err, stages=stages, settings=settings, agenda=agenda)
    _print_summary(folder, lang, out)
    print(msg(lang, "demo.done", minutes=truth.duration_s / 60, seconds=time.perf_counter() - t0), file=err)
    return code


def _print_summary(folder: Path, lang: str, out: TextIO) -> None:
    try:
        from timekeeper.report import load_summary
        from timekeeper.report.readout import key_lines
    except ImportError:
        return
    summary = load_summary(folder, {})
    for line in key_lines(summary, lang):
        print(f"  {line}", file=out)
