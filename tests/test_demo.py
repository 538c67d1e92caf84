"""`timekeeper demo` as a newcomer runs it: from the installed package (the clone nowhere on
the path), in an empty folder, no microphone, under a minute, a report."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    return next(out.glob("timekeeper-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed into its own folder (what a fresh venv's site-packages would hold)."""
    site = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                           "--target", str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return site


def test_the_package_holds_the_product_and_the_demo_session_not_the_test_kit(wheel):
    archive = zipfile.ZipFile(wheel)
    names = archive.namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"timekeeper", wheel.name.split("-py3")[0] + ".dist-info"}, top
    modules = {Path(n).stem for n in names if n.endswith(".py")}
    assert not modules & {"generator", "presets", "score", "room", "script", "truth", "journals", "browser",
                          "build_demo"}, modules
    assert {"timekeeper/demo/session.npz", "timekeeper/demo/session.json", "timekeeper/demo/SOURCE.md",
            "timekeeper/demo/LICENSE.TXT"} <= set(names)  # the recorded session travels with its licence
    # the speaker encoder's weights travel too, with their licence (2.6 MB of the wheel)
    assert {"timekeeper/speakers/model/ge2e.npz", "timekeeper/speakers/model/LICENSE",
            "timekeeper/speakers/model/SOURCE.md"} <= set(names)
    assert archive.getinfo("timekeeper/demo/session.npz").file_size < 5e6  # "a few MB at most"


def isolated(site: Path, tmp_path: Path) -> dict[str, str]:
    """No site initialisation (so the clone's editable install is not seen), the installed
    package first, then only the third-party libraries."""
    libs = sysconfig.get_paths()["purelib"]
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), libs]),
                XDG_CACHE_HOME=str(tmp_path / "cache"), TIMEKEEPER_DATA=str(tmp_path / "data"))


def test_the_installed_package_does_not_reach_the_clone(installed, tmp_path):
    probe = subprocess.run([sys.executable, "-S", "-c", "import timekeeper, importlib.util; "
                            "print(timekeeper.__file__); print(importlib.util.find_spec('testkit'))"],
                           capture_output=True, text=True, timeout=60, env=isolated(installed, tmp_path),
                           cwd=tmp_path)
    where, testkit = probe.stdout.split()
    assert Path(where).is_relative_to(installed) and testkit == "None", probe.stderr


@pytest.mark.parametrize("lang,phase_line,summary_word,heard,report,intro", [
    ("en", "Phase 1: Presentation of the issue.", "Balance among consultants",
     'heard "time keeper next phase"', "report: ",
     "demo: a recorded 3-minute codev session (client Alice, facilitator Morgan, 3 consultants)"),
    ("fr", "Phase 1 : Exposé de la problématique.", "Équilibre entre consultants",
     "entendu « time keeper next phase »", "rapport : ",
     "démo : une séance de codéveloppement enregistrée de 3 minutes (client Alice, animateur Morgan, 3 consultants)"),
])
def test_demo_replays_a_session_and_writes_its_report(installed, tmp_path, lang, phase_line, summary_word, heard,
                                                      report, intro):
    empty = tmp_path / "empty"
    empty.mkdir()
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, "-S", "-m", "timekeeper", "demo", "--lang", lang],
                            capture_output=True, text=True, timeout=120, env=isolated(installed, tmp_path),
                            cwd=empty)
    elapsed = time.perf_counter() - t0
    assert result.returncode == 0, result.stderr
    assert elapsed < 60, f"the demo took {elapsed:.0f} s"
    assert result.stderr.splitlines()[0].startswith(intro)  # the first line says what is replayed
    out = result.stdout
    assert phase_line in out
    assert heard in out  # a voice command drove the clock
    assert "one minutes" not in out  # what was heard is shown as a sentence
    assert summary_word in out
    reports = list((empty / "sessions").glob("*/report.html"))
    assert len(reports) == 1 and f"{report}{reports[0].relative_to(empty)}" in out
    assert "Alice" in reports[0].read_text(encoding="utf-8")
    assert not (tmp_path / "data" / "voices").exists()  # the user's voice profiles are untouched
    if lang == "fr":
        assert "l'animateur donne les commandes vocales en anglais" in result.stderr
        for english in ("heard ", "report:", "journal:", "session folder:", "demo:"):
            assert english not in out + result.stderr, english
