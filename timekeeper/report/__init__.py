"""After-session reports built from the journal alone (schema: docs/report-schema.md).

``write_report`` is what ``timekeeper run`` calls at the end of a session and what
``timekeeper report`` calls; ``build_report`` returns the text without writing it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Mapping

from timekeeper.errors import ConfigError, JournalError

FORMATS = {"html": "html", "md": "md", "csv": "csv", "json": "json"}  # format -> file extension


def _renderer(fmt: str):
    if fmt == "html":
        from timekeeper.report.html import render
    elif fmt == "md":
        from timekeeper.report.markdown import render
    elif fmt == "csv":
        from timekeeper.report.csvout import render
    elif fmt == "json":
        from timekeeper.report.jsonout import render
    else:
        raise ConfigError(f"unknown report format '{fmt}' (use one of: {', '.join(FORMATS)})")
    return render


def parse_renames(items: list[str] | None) -> dict[str, str]:
    """["Voice 1=Bob", ...] -> {"Voice 1": "Bob"}."""
    out: dict[str, str] = {}
    for item in items or []:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise ConfigError(f"--rename '{item}': write it as OLD=NEW, e.g. --rename \"Voice 1=Bob\"")
        out[old.strip()] = new.strip()
    return out


def load_summary(session_dir: Path, renames: Mapping[str, str] | None = None):
    """Read SESSION_DIR/journal.jsonl and summarise it (torn lines skipped, counted)."""
    from timekeeper.errors import JournalError
    from timekeeper.journal import read_journal
    from timekeeper.report.summary import summarize

    journal = read_journal(Path(session_dir))
    if not journal.events:
        raise JournalError(f"{journal.path}: no readable event; is it a timekeeper journal?")
    summary = summarize(journal.events, renames or {})
    return dataclasses.replace(summary, skipped_lines=len(journal.torn_lines),
                               audio_kept=(Path(session_dir) / "audio.wav").is_file())


def localise(summary, lang: str):
    """Phase and agenda names in ``lang`` when the session ran in another language and
    used the built-in codev names (names a group wrote itself are kept as they are)."""
    if lang == summary.lang:
        return summary
    try:
        from timekeeper.agenda import PRESETS
    except ImportError:  # pragma: no cover - the agenda module is part of the package
        return summary
    known = {}
    for agenda in PRESETS.values():
        for phase in agenda.phases:
            known[(phase.id, phase.name(summary.lang))] = phase.name(lang)
    phases = tuple(dataclasses.replace(p, name=known.get((p.id, p.name), p.name)) for p in summary.phases)
    agenda = PRESETS.get(summary.agenda_id)
    name = summary.agenda_name
    if agenda is not None and agenda.name(summary.lang) == name:
        name = agenda.name(lang)
    return dataclasses.replace(summary, phases=phases, agenda_name=name)


def build_report(session_dir: Path, fmt: str = "html", lang: str | None = None,
                 renames: Mapping[str, str] | None = None) -> str:
    from timekeeper.report.i18n import check_lang

    render = _renderer(fmt)
    summary = load_summary(session_dir, renames)
    lang = check_lang(lang or summary.lang)
    return render(localise(summary, lang), lang)


def write_report(session_dir: Path, fmt: str = "html", out: Path | None = None, lang: str | None = None,
                 renames: Mapping[str, str] | None = None) -> Path:
    """Write the report of one session; default path SESSION_DIR/report.<ext>. Returns the path."""
    session_dir = Path(session_dir)
    text = build_report(session_dir, fmt, lang, renames)
    folder = session_dir if session_dir.is_dir() else session_dir.parent
    path = Path(out) if out is not None else folder / f"report.{FORMATS[fmt]}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise JournalError(f"{path}: cannot write the report ({exc.strerror}); choose another --out") from exc
    return path
