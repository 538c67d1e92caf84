"""Report wording in French and English, and number formatting for each language.

French typography: decimal comma, a narrow no-break space (U+202F) before ``%`` and
before ``;`` ``!`` ``?``, a no-break space (U+00A0) before ``:`` and between a number
and its unit ("12 min"), « guillemets » and the typographic apostrophe (’).
"""

from __future__ import annotations

LANGS = ("fr", "en")
NNBSP = "\u202f"  # narrow no-break space


def colon(lang: str) -> str:
    """A colon as the language sets it: French puts a no-break space before it."""
    return f"{NBSP}:" if lang == "fr" else ":"
NBSP = "\u00a0"  # no-break space

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Session report",
        "cycle_title": "Cycle report",
        "agenda": "Agenda",
        "date": "Date",
        "duration": "Duration",
        "planned": "Planned",
        "actual": "Actual",
        "overrun": "Overrun",
        "phase": "Phase",
        "phases": "Phases: planned and actual",
        "start": "Start",
        "end": "End",
        "person": "Person",
        "role": "Role",
        "speaking": "Speaking time",
        "share": "Share",
        "turns": "Turns",
        "longest": "Longest turn",
        "people": "Speaking time per person",
        "per_phase": "Speaking time per phase",
        "timeline": "Who spoke when",
        "warnings": "Speaking-rule breaks",
        "no_warnings": "No speaking-rule break was recorded.",
        "balance": "Balance",
        "balance_group": "Balance index (consultants, whole session)",
        "balance_explain": ("The balance index is the normalised Shannon entropy of the "
                            "consultants' speaking shares: 1 means every consultant spoke "
                            "equally, 0 means one consultant did all the talking."),
        "key_points": "In a few words",
        "participants": "Participants",
        "who_spoke": "Who spoke",
        "silent": "Did not speak",
        "unattributed": "Speech not attributed to anyone",
        "unknown": "Unknown voice",
        "unattributed_short": "Unattributed",
        "others": "+{n} others",
        "unnamed_voices": "Voices not named",
        "no_speaker_data": ("Speaking time was not recorded in this session (clock only): "
                            "the report shows the phases only."),
        "no_turns": "Speech was detected ({time}) but no speaker was identified.",
        "not_ended": "The journal stops at {t} without the end of the session (interrupted?).",
        "resumed_one": "The session was resumed once after an interruption.",
        "resumed_many": "The session was resumed {n} times after an interruption.",
        "torn_one": "One damaged journal line was skipped.",
        "torn_many": "{n} damaged journal lines were skipped.",
        "paused": "Paused",
        "extended": "Extended",
        "not_run": "not run",
        "total": "Total",
        "legend_planned": "planned",
        "legend_actual": "actual",
        "legend_overrun": "overrun",
        "role_client": "client",
        "role_consultant": "consultant",
        "role_animateur": "facilitator",
        "role_voice": "unnamed voice",
        "role_unknown": "unknown",
        "rule_monologue": "long monologue",
        "rule_client_in_consultation": "client spoke during the consultation",
        "rule_consultant_in_presentation": "consultant spoke during the presentation",
        "rule_dominant": "one person dominated",
        "rule_silent": "consultant silent",
        "speakers_client": "client speaks",
        "speakers_consultants": "consultants speak",
        "speakers_everyone": "everyone speaks",
        "at": "at",
        # plain-language lines
        "line_top": "In {phase}, {name} spoke {pct} of the time",
        "line_top_session": "Over the session, {name} spoke {pct} of the time",
        "line_silent_one": "{names} did not speak",
        "line_silent_many": "{names} did not speak",
        "line_all_spoke": "every consultant spoke",
        "line_time_ok": "The session took {actual} for {planned} planned; every phase kept its time.",
        "line_time_over": "The session took {actual} for {planned} planned; {phase} overran by {over}.",
        "line_balance": "Balance among consultants: {value} (1 = perfectly even).",
        "line_breaks_one": "One speaking-rule break recorded: {rule}.",
        "line_breaks_many": "{n} speaking-rule breaks recorded: {rule}.",
        "and": "and",
        # cycle
        "sessions": "Sessions",
        "session": "Session",
        "client": "Client",
        "clients_so_far": "Has been client",
        "not_yet_client": "Not yet client",
        "cycle_shares": "Share of speaking time per session",
        "cycle_share_total": "Over the cycle",
        "balance_trend": "Balance trend",
        "trend_up": "more even over the cycle",
        "trend_down": "less even over the cycle",
        "trend_flat": "stable over the cycle",
        "generated": "Generated by timekeeper from the session journal; nothing was recorded.",
    },
    "fr": {
        "title": "Compte rendu de séance",
        "cycle_title": "Bilan du cycle",
        "agenda": "Déroulé",
        "date": "Date",
        "duration": "Durée",
        "planned": "Prévu",
        "actual": "Réel",
        "overrun": "Dépassement",
        "phase": "Phase",
        "phases": "Phases\u00a0: prévu et réel",
        "start": "Début",
        "end": "Fin",
        "person": "Personne",
        "role": "Rôle",
        "speaking": "Temps de parole",
        "share": "Part",
        "turns": "Prises de parole",
        "longest": "Plus longue intervention",
        "people": "Temps de parole par personne",
        "per_phase": "Temps de parole par phase",
        "timeline": "Qui a parlé quand",
        "warnings": "Écarts aux règles de parole",
        "no_warnings": "Aucun écart aux règles de parole n'a été relevé.",
        "balance": "Équilibre",
        "balance_group": "Indice d'équilibre (consultants, toute la séance)",
        "balance_explain": ("L'indice d'équilibre est l'entropie de Shannon normalisée des parts "
                            "de parole des consultants\u00a0: 1 signifie que tous les consultants "
                            "ont parlé autant, 0 qu'un seul consultant a tout dit."),
        "key_points": "En quelques mots",
        "participants": "Participants",
        "who_spoke": "Qui a parlé",
        "silent": "N'a pas parlé",
        "unattributed": "Parole attribuée à personne",
        "unknown": "Voix inconnue",
        "unattributed_short": "Non attribué",
        "others": "+{n}\u00a0autres",
        "unnamed_voices": "Voix non nommées",
        "no_speaker_data": ("Le temps de parole n'a pas été enregistré pendant cette séance "
                            "(chronomètre seul)\u00a0: le compte rendu ne montre que les phases."),
        "no_turns": "De la parole a été détectée ({time}) mais aucun orateur n'a été identifié.",
        "not_ended": "Le journal s'arrête à {t} sans la fin de séance (interruption\u202f?).",
        "resumed_one": "La séance a repris une fois après une interruption.",
        "resumed_many": "La séance a repris {n}\u00a0fois après une interruption.",
        "torn_one": "Une ligne abîmée du journal a été ignorée.",
        "torn_many": "{n}\u00a0lignes abîmées du journal ont été ignorées.",
        "paused": "En pause",
        "extended": "Prolongé",
        "not_run": "non tenue",
        "total": "Total",
        "legend_planned": "prévu",
        "legend_actual": "réel",
        "legend_overrun": "dépassement",
        "role_client": "client",
        "role_consultant": "consultant",
        "role_animateur": "animateur",
        "role_voice": "voix non nommée",
        "role_unknown": "inconnu",
        "rule_monologue": "monologue trop long",
        "rule_client_in_consultation": "le client a parlé pendant la consultation",
        "rule_consultant_in_presentation": "un consultant a parlé pendant l'exposé",
        "rule_dominant": "une personne a monopolisé la parole",
        "rule_silent": "consultant silencieux",
        "speakers_client": "le client parle",
        "speakers_consultants": "les consultants parlent",
        "speakers_everyone": "tout le monde parle",
        "at": "à",
        "line_top": "En phase «\u00a0{phase}\u00a0», {name} a parlé {pct} du temps",
        "line_top_session": "Sur l'ensemble de la séance, {name} a parlé {pct} du temps",
        "line_silent_one": "{names} n'a pas parlé",
        "line_silent_many": "{names} n'ont pas parlé",
        "line_all_spoke": "tous les consultants ont parlé",
        "line_time_ok": "La séance a duré {actual} pour {planned} prévues\u202f; chaque phase a tenu son temps.",
        "line_time_over": "La séance a duré {actual} pour {planned} prévues\u202f; {phase} a débordé de {over}.",
        "line_balance": "Équilibre entre consultants\u00a0: {value} (1 = parfaitement réparti).",
        "line_breaks_one": "Un écart aux règles de parole\u00a0: {rule}.",
        "line_breaks_many": "{n}\u00a0écarts aux règles de parole\u00a0: {rule}.",
        "and": "et",
        "sessions": "Séances",
        "session": "Séance",
        "client": "Client",
        "clients_so_far": "A été client",
        "not_yet_client": "Pas encore client",
        "cycle_shares": "Part du temps de parole par séance",
        "cycle_share_total": "Sur le cycle",
        "balance_trend": "Évolution de l'équilibre",
        "trend_up": "plus équilibré au fil du cycle",
        "trend_down": "moins équilibré au fil du cycle",
        "trend_flat": "stable au fil du cycle",
        "generated": "Produit par timekeeper à partir du journal de séance\u202f; rien n'a été enregistré.",
    },
}


# French typography: the typographic apostrophe everywhere in the French texts
STRINGS["fr"] = {key: text.replace("'", "\u2019") for key, text in STRINGS["fr"].items()}


def check_lang(lang: str | None) -> str:
    return lang if lang in LANGS else "en"


def t(lang: str, key: str, **kw: object) -> str:
    """The text for ``key`` in ``lang`` (English if missing), formatted with ``kw``."""
    text = STRINGS.get(lang, STRINGS["en"]).get(key) or STRINGS["en"].get(key, key)
    return text.format(**kw) if kw else text


def tn(lang: str, key: str, n: int, **kw: object) -> str:
    """``key_one`` or ``key_many`` by ``n`` (French singular for 0 and 1)."""
    one = n <= 1 if lang == "fr" else n == 1
    return t(lang, f"{key}_{'one' if one else 'many'}", n=n, **kw)


def number(value: float, lang: str, digits: int = 1) -> str:
    """``4.5`` -> "4.5" (en) / "4,5" (fr)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "fr" else text


def pct(share: float, lang: str, digits: int = 0) -> str:
    """0.383 -> "38 %" (narrow no-break space in French) / "38%" (English); a share
    too small to show but not zero reads "<1 %"."""
    smallest = 10.0 ** -digits
    if 0 < share * 100.0 < smallest / 2:
        text = "<" + number(smallest, lang, digits)
    else:
        text = number(share * 100.0, lang, digits)
    return f"{text}{NNBSP}%" if lang == "fr" else f"{text}%"


def duration(seconds: float, lang: str) -> str:
    """Human duration for sentences: "45 s", "6 min", "12 min 30 s", "1 h 05"."""
    sign = "-" if seconds < 0 else ""
    s = int(round(abs(seconds)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    sp = NBSP
    if h:
        return f"{sign}{h}{sp}h{sp}{m:02d}" + ("" if lang == "fr" else f"{sp}min")
    if m and sec:
        return f"{sign}{m}{sp}min{sp}{sec:02d}{sp}s"
    if m:
        return f"{sign}{m}{sp}min"
    return f"{sign}{sec}{sp}s"


def clock(seconds: float | None) -> str:
    """Table form: "4:05", "1:02:05"; "–" for None."""
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    s = int(round(abs(seconds)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{sign}{h}:{m:02d}:{sec:02d}" if h else f"{sign}{m}:{sec:02d}"


def join_names(names: list[str], lang: str) -> str:
    """["A", "B", "C"] -> "A, B and C" / "A, B et C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {t(lang, 'and')} " + names[-1]


def role(role_name: str, lang: str) -> str:
    return t(lang, f"role_{role_name}") if f"role_{role_name}" in STRINGS["en"] else role_name


def rule(rule_name: str, lang: str) -> str:
    return t(lang, f"rule_{rule_name}") if f"rule_{rule_name}" in STRINGS["en"] else rule_name


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
