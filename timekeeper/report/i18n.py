"""Report wording and number formatting, from each language module's ``REPORT`` and
``TYPOGRAPHY`` tables (``timekeeper.lang``).

French typography: decimal comma, a narrow no-break space (U+202F) before ``%`` and
before ``;`` ``!`` ``?``, a no-break space (U+00A0) before ``:`` and between a number
and its unit ("12 min"), « guillemets » and the typographic apostrophe (’).
"""

from __future__ import annotations

from timekeeper import clocktext
from timekeeper import lang as languages

LANGS = languages.LANGS
NNBSP = "\u202f"  # narrow no-break space
NBSP = "\u00a0"  # no-break space


def _typeset(code: str) -> dict[str, str]:
    apostrophe = languages.get(code).TYPOGRAPHY["apostrophe"]
    return {key: text.replace("'", apostrophe) for key, text in languages.get(code).REPORT.items()}


# The report's wording, with each language's own apostrophe (French: the typographic ’).
STRINGS: dict[str, dict[str, str]] = {code: _typeset(code) for code in LANGS}


def typography(lang_code: str, key: str) -> str:
    """How ``lang_code`` sets a colon, a semicolon, quotes, the decimal mark, a percent sign."""
    return lang_module(lang_code).TYPOGRAPHY[key]


def colon(lang_code: str) -> str:
    """A colon as the language sets it: French puts a no-break space before it."""
    return typography(lang_code, "colon")


def lang_module(code: str | None):
    return languages.get(check_lang(code))


def check_lang(lang: str | None) -> str:
    return lang if lang in LANGS else "en"


def t(lang: str, key: str, **kw: object) -> str:
    """The text for ``key`` in ``lang`` (English if missing), formatted with ``kw``."""
    text = STRINGS.get(lang, STRINGS["en"]).get(key) or STRINGS["en"].get(key, key)
    return text.format(**kw) if kw else text


def tn(lang: str, key: str, n: int, **kw: object) -> str:
    """``key_one`` or ``key_many`` by ``n`` (French: singular for 0 and 1)."""
    one = n in lang_module(lang).SINGULAR
    return t(lang, f"{key}_{'one' if one else 'many'}", n=n, **kw)


def number(value: float, lang: str, digits: int = 1) -> str:
    """``4.5`` -> "4.5" (en) / "4,5" (fr)."""
    return f"{value:.{digits}f}".replace(".", typography(lang, "decimal"))


def pct(share: float, lang: str, digits: int = 0) -> str:
    """0.383 -> "38 %" (narrow no-break space in French) / "38%" (English); a share
    too small to show but not zero reads "<1 %"."""
    smallest = 10.0 ** -digits
    if 0 < share * 100.0 < smallest / 2:
        text = "<" + number(smallest, lang, digits)
    else:
        text = number(share * 100.0, lang, digits)
    return text + typography(lang, "percent")


def duration(seconds: float, lang: str) -> str:
    """Human duration for sentences: "45 s", "6 min", "12 min 30 s", "1 h 05"."""
    sign = "-" if seconds < 0 else ""
    s = int(round(abs(seconds)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    sp = NBSP
    if h:
        return sign + typography(lang, "hours").format(h=h, m=m)
    if m and sec:
        return f"{sign}{m}{sp}min{sp}{sec:02d}{sp}s"
    if m:
        return f"{sign}{m}{sp}min"
    return f"{sign}{sec}{sp}s"


def clock(seconds: float | None) -> str:
    """Table form: "4:05", "1:02:05"; "–" for None."""
    return clocktext.clock(seconds)


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
