"""The locale a commitment is read with: where it comes from, and the dates it writes.

A record is read with its own ``locale`` field, else the file's default (``[defaults] locale``
in TOML, ``{"defaults": {"locale": ...}}`` in JSON), else the caller's (``--input-locale``,
``load_commitments(path, locale=...)``), else none. The locale sets how amounts are read
(:func:`calc.amounts.parse_amount`'s ``locale=``: ``3,2 Mrd. €`` in de_DE) and which dates
are read besides ISO ones.

Dates: ``YYYY-MM-DD`` (and ``YYYY-MM`` where a month will do) always. With a locale, also the
numeric short and medium forms CLDR gives it, with a four-digit year: day, month and year in
the locale's order with its separators: ``DD.MM.YYYY`` in de, ``DD/MM/YYYY`` in en_GB and fr,
``YYYY/MM/DD`` in ja, ``MM/DD/YYYY`` in en_US. A month-first form is read only in a locale that
names its territory (en_US, not en): a language alone is written both ways round, and
``02/03/2024`` would be a guess. Nothing else is read: no two-digit years, no month names.

>>> InputLocale("de_DE", "caller", option="--input-locale").date("15.02.2024")
datetime.date(2024, 2, 15)
>>> InputLocale("en", "file").date("02/03/2024") is None
True
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import cache
from typing import Literal

__all__ = ["InputLocale", "Origin", "known_locale"]

#: Where a record's locale came from: its own field, the file's defaults, the caller, nowhere.
Origin = Literal["record", "file", "caller", "none"]
_FROM = {
    "record": "from the record's locale field",
    "file": "from the file's [defaults] locale",
}


class InputLocale:
    """The locale a record is read with (``code`` None: none), where it came from, and how a
    reader of an error changes it: the caller's ``option`` (``--input-locale``), and whether
    the file format has ``[defaults]``."""

    __slots__ = ("code", "defaults", "option", "origin")

    def __init__(
        self,
        code: str | None,
        origin: Origin,
        *,
        option: str = "the locale argument",
        defaults: bool = True,
    ) -> None:
        self.code = code
        self.origin: Origin = origin if code is not None else "none"
        self.option = option
        self.defaults = defaults

    def note(self) -> str:
        """Which locale a value was read with and how to read it with another.

        >>> InputLocale("de_DE", "caller", option="--input-locale", defaults=False).note()
        "read with locale de_DE (from --input-locale); set the record's locale field or --input-locale"
        """
        if self.code is None:
            read = "read with no locale"
        else:
            read = f"read with locale {self.code} ({_FROM.get(self.origin, f'from {self.option}')})"
        if self.origin == "record":
            return f"{read}; change the record's locale field"
        if self.origin == "file":
            return f"{read}; set the record's locale field or change the file's [defaults] locale"
        places = ["the record's locale field", self.option]
        if self.defaults:
            places.insert(1, "the file's [defaults] locale")
        return f"{read}; set {', '.join(places[:-1])} or {places[-1]}"

    def date(self, text: str) -> _dt.date | None:
        """`text` read as one of the locale's numeric date forms; None if it is not one."""
        if self.code is None:
            return None
        for pattern, _shown in _forms(self.code)[0]:
            match = pattern.fullmatch(text)
            if match is not None:
                try:
                    return _dt.date(int(match["y"]), int(match["M"]), int(match["d"]))
                except ValueError:
                    return None
        return None

    def date_forms(self) -> tuple[str, ...]:
        """The locale's numeric date forms as a reader writes them (``DD.MM.YYYY``).

        >>> InputLocale("de_DE", "file").date_forms(), InputLocale(None, "none").date_forms()
        (('DD.MM.YYYY',), ())
        """
        if self.code is None:
            return ()
        return tuple(dict.fromkeys(shown for _pattern, shown in _forms(self.code)[0]))

    def date_refusal(self) -> str:
        """Why the locale's numeric dates are not read, if they are not; else ''.

        >>> InputLocale("en", "file").date_refusal()
        'en alone does not say whether dates are written month first (MM/DD/YYYY) or day first; name the territory, e.g. en_US or en_GB'
        """
        return "" if self.code is None else _forms(self.code)[1]


def known_locale(code: str) -> bool:
    """Whether babel knows the locale ``code`` (``de_DE``, ``ja``; not ``de-DE`` or ``xx``)."""
    return _locale(code) is not None


@cache
def _locale(code: str) -> object | None:
    from babel import Locale  # babel on first use (start-up time)
    from babel.core import UnknownLocaleError

    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


#: A field of a CLDR date pattern, a quoted literal, or any other character.
_TOKEN = re.compile(r"(?P<field>([A-Za-z])\2*)|'(?P<quoted>(?:[^']|'')*)'|(?P<other>.)", re.S)
_SHOWN = {"d": "DD", "M": "MM", "y": "YYYY"}
_DIGITS = {"d": "[0-9]{1,2}", "M": "[0-9]{1,2}", "y": "[0-9]{4}"}


@cache
def _forms(code: str) -> tuple[tuple[tuple[re.Pattern[str], str], ...], str]:
    """The numeric date forms of locale `code` as (pattern, shown), and why there are none."""
    locale = _locale(code)
    if locale is None:
        return (), ""
    formats = locale.date_formats  # type: ignore[attr-defined]
    forms: list[tuple[re.Pattern[str], str]] = []
    for width in ("short", "medium"):
        form = _numeric_form(formats[width].pattern)
        if form is not None:
            forms.append(form)
    month_first = [shown for _p, shown in forms if shown.index("MM") < shown.index("DD")]
    if month_first and locale.territory is None:  # type: ignore[attr-defined]
        return (), (
            f"{code} alone does not say whether dates are written month first "
            f"({month_first[0]}) or day first; name the territory, e.g. en_US or en_GB"
        )
    return tuple(forms), ""


def _numeric_form(pattern: str) -> tuple[re.Pattern[str], str] | None:
    """A CLDR date pattern as a regex with groups d, M, y and as shown; None unless numeric."""
    regex, shown, seen = [], [], set()
    for token in _TOKEN.finditer(pattern):
        field, quoted, other = token["field"], token["quoted"], token["other"]
        if field:
            letter = field[0]
            if letter not in _DIGITS or (letter == "M" and len(field) > 2) or letter in seen:
                return None  # a month name, a weekday, an era: not a numeric form
            seen.add(letter)
            regex.append(f"(?P<{letter}>{_DIGITS[letter]})")
            shown.append(_SHOWN[letter])
        elif quoted is not None:  # a literal such as 'г' (bg): may be left out
            regex.append(f"(?:{re.escape(quoted.replace(chr(39) * 2, chr(39)))})?")
        elif other.isspace():
            regex.append(r"\s*")
            shown.append(" ")
        elif other in "\u200e\u200f\u061c":  # direction marks (ar): may be left out
            regex.append(f"{other}?")
        else:
            regex.append(re.escape(other))
            shown.append(other)
    if seen != {"d", "M", "y"}:
        return None
    # What follows the last field ('г.' in bg) may be left out, and is not shown.
    last = max(i for i, part in enumerate(regex) if part.startswith("(?P<"))
    ends = max(i for i, part in enumerate(shown) if part in _SHOWN.values())
    tail = "".join(regex[last + 1 :])
    pattern = "".join(regex[: last + 1]) + (f"(?:{tail})?" if tail else "")
    return re.compile(pattern), " ".join("".join(shown[: ends + 1]).split())
