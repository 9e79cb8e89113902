"""The field checks of a commitment record: each field read, checked and named when wrong.

A check is given ``bad(field, message)`` and calls it for every problem it finds, so that one
pass over a record reports all of its problems, each as ``field 'value' is wrong: fix``.
:func:`calc.commitments.load_text` runs them over each record.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from rates.codes import ISO_3166

from .errors import CalcError
from .inputlocale import InputLocale, known_locale
from .money import Money, validate_currency
from .press import PressAmount, parse_press
from .records import record

__all__ = [
    "CATEGORIES",
    "FIELDS",
    "Bad",
    "Category",
    "add_years",
    "amount",
    "announced",
    "category",
    "close_field",
    "country",
    "date",
    "extra",
    "has_surrogate",
    "keys",
    "last_day",
    "locale",
    "period",
    "period_end",
    "plan_of",
    "show",
    "text",
    "workers",
    "years",
    "years_between",
]

Category = Literal["infrastructure", "training", "research", "other"]
CATEGORIES: tuple[Category, ...] = ("infrastructure", "training", "research", "other")
FIELDS = (
    "company", "country", "category", "description", "amount", "currency", "announced",
    "period_years", "start", "end", "workers", "training_years", "source", "package", "locale",
)  # fmt: skip
_KNOWN = frozenset(FIELDS)
_UNDISCLOSED = {"", "undisclosed", "not disclosed", "n/a", "na", "none", "-", "—"}
_WORKER_SCALES = {"thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "billion": 9, "bn": 9}
_MAX_YEARS = Decimal(200)
#: No pledge comes near this many units of any currency; a larger figure is a typo.
_MAX_AMOUNT = Decimal(10) ** 21
#: Nor is any figure given to more decimal places than this (a typo, or a float gone wrong).
_MAX_DECIMALS = 20
#: A spending or training period shorter than this (about nine hours) is a typo.
_MIN_YEARS = Decimal("0.001")

#: Told of each problem: ``bad(field, message)``.
Bad = Callable[[str, str], None]


def keys(
    record: Mapping[str, object], bad: Bad
) -> tuple[dict[str, object], list[tuple[str, object]]]:
    """The record's fields by name (stripped, lower-cased), and the others as ``extra``: each
    ``(name as given, stripped; value)``, kept for the caller. A name given twice (in any case)
    or a value without a name is bad."""
    plan = plan_of(tuple(record))
    for key, spellings in plan.twice:
        shown = ", ".join(map(show, spellings))
        bad(key, f"field {key!r} is given {len(spellings)} times ({shown}); keep one")
    for k in plan.unnamed:
        bad("", f"a field has no name (its value is {show(record[k])}); name it or remove it")
    fields = {key: record[k] for k, key in plan.known}
    return fields, [(shown, record[k]) for k, shown in plan.others]


@record
class _Plan:
    """How to sort the fields of records with the same keys (every row of a CSV file). (A
    record, not a NamedTuple: typing compiles a NamedTuple's string annotations, start-up time.)"""

    known: tuple[tuple[str, str], ...]  # (key, field)
    others: tuple[tuple[str, str], ...]  # (key, name as shown)
    unnamed: tuple[str, ...]
    twice: tuple[tuple[str, tuple[str, ...]], ...]  # (field, its spellings)
    same: bool  # every field is named as spendcalc spells it (a key in lower case, unpadded)


@lru_cache(maxsize=256)
def plan_of(names: tuple[str, ...]) -> _Plan:
    """How the fields of a record with these keys are sorted (:func:`keys`); one plan for the
    records with the same keys."""
    normal = [str(k).strip().lower() for k in names]
    given: dict[str, list[str]] = {}
    for k, key in zip(names, normal, strict=True):
        given.setdefault(key, []).append(k)
    return _Plan(
        known=tuple((k, key) for k, key in zip(names, normal, strict=True) if key in _KNOWN),
        others=tuple(
            (k, str(k).strip()) for k, key in zip(names, normal, strict=True)
            if key and key not in _KNOWN
        ),
        unnamed=tuple(k for k, key in zip(names, normal, strict=True) if not key),
        twice=tuple((key, tuple(ks)) for key, ks in given.items() if len(ks) > 1),
        same=all(k == key for k, key in zip(names, normal, strict=True) if key in _KNOWN),
    )  # fmt: skip


def extra(pairs: list[tuple[str, object]], bad: Bad) -> tuple[tuple[str, str], ...]:
    """The fields spendcalc does not use, each value as text: numbers as written, dates ISO,
    ``true``/``false``, a list or table as JSON; nothing is left out or blanked. A name or value
    that is not valid text (a lone surrogate) is bad."""
    out = []
    for name, value in pairs:
        text = value if isinstance(value, str) else _as_text(name, value, bad)
        if has_surrogate(name):
            bad(
                name,
                f"field name {show(name)} is not valid text (a lone surrogate); fix its escapes",
            )
        elif has_surrogate(text):
            bad(name, f"{name} {show(value)} is not valid text (a lone surrogate); fix its escapes")
        out.append((name, text))
    return tuple(out)


def _as_text(name: str, value: object, bad: Bad) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    import json  # only a file with a list or table in an extra field needs it

    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (RecursionError, ValueError):
        bad(name, f"{name} nests lists or tables too deeply to keep; check the file")
        return ""


def close_field(key: str) -> str | None:
    """The field `key` is most likely a misspelling of, if any (``'ammount'`` -> ``'amount'``).

    >>> close_field("ammount"), close_field("Countries"), close_field("notes"), close_field("pages")
    ('amount', 'country', None, None)
    """
    import difflib  # only a file with an extra field needs it (start-up time of a report)

    close = difflib.get_close_matches(key.lower(), FIELDS, n=1, cutoff=0.75)
    return close[0] if close else None


def locale(record: Mapping[str, object], bad: Bad) -> str | None:
    """The record's own ``locale`` field, if it gives one babel knows."""
    code = text(record, "locale", bad)
    if not code:
        return None
    if not known_locale(code):
        bad(
            "locale",
            f"locale {show(code)} is not a locale babel knows; use one such as 'en_GB' or 'de_DE'",
        )
        return None
    return code


def text(record: Mapping[str, object], key: str, bad: Bad, required: bool = False) -> str:
    value = record.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            bad(key, f"{key} is missing; every commitment needs one")
        return ""
    if not isinstance(value, str):
        bad(key, f"{key} {show(value)} must be text")
        return ""
    if has_surrogate(value):
        bad(key, f"{key} {show(value)} is not valid text (a lone surrogate); fix its escapes")
        return ""
    return value.strip()


def category(text: str, bad: Bad) -> Category:
    wanted = text.lower() or "other"
    for category in CATEGORIES:
        if category == wanted:
            return category
    bad("category", f"category {show(wanted)} is not one of {', '.join(CATEGORIES)}")
    return "other"


def period_end(
    announced: _dt.date | None, start: _dt.date | None, period_years: Decimal | None, bad: Bad
) -> None:
    """The spending period given in years must end by the year 9999 (:func:`last_day`)."""
    if announced is not None and period_years is not None:
        if (start or announced).year + period_years < 9998:  # far from the end: no need to look
            return
        try:
            last_day(start or announced, period_years)
        except (ValueError, OverflowError):
            bad("period_years", f"period_years {period_years} runs past the year 9999")


def period(
    start: _dt.date | None, end: _dt.date | None, period_years: Decimal | None, bad: Bad
) -> None:
    if (start is None) != (end is None) and period_years is None:
        bad(
            "end" if end is None else "start",
            "give both start and end, or period_years, for the spending period",
        )
    if start and end and end < start:
        bad("end", f"end {end} is before start {start}")


def has_surrogate(text: str) -> bool:
    """Whether `text` holds a lone surrogate (U+D800 to U+DFFF): the one thing UTF-8 cannot
    encode. (No regex: a class of surrogates costs half a millisecond to compile.)"""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def show(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut short if long, so that a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"


def country(code: str, bad: Bad) -> str:
    if not code:
        return ""
    found, message = _country(code)
    if message:
        bad("country", message)
    return found


@lru_cache(maxsize=1024)
def _country(code: str) -> tuple[str, str]:
    """The ISO code `code` stands for, or what is wrong with it."""
    upper = code.upper()
    if upper == "UK":
        return "", "country 'UK' is not an ISO 3166-1 alpha-2 code; the United Kingdom is 'GB'"
    if len(upper) != 2 or not upper.isalpha() or upper not in ISO_3166:
        return "", f"country {show(code)} is not an ISO 3166-1 alpha-2 code (such as JP, GB, US)"
    return upper, ""


def announced(
    value: object, bad: Bad, locale: InputLocale | None = None
) -> tuple[_dt.date | None, bool]:
    """The announcement date, and whether it names only a month (``YYYY-MM``)."""
    if value is None or value == "":
        bad("announced", "announced is missing; give the date as YYYY-MM-DD or YYYY-MM")
        return None, False
    if isinstance(value, _dt.datetime):
        return _day_of(value), False
    if isinstance(value, _dt.date):
        return _same_day(value), False
    text = str(value).strip()
    if _MONTH.fullmatch(text):
        try:
            return _dt.date(int(text[:4]), int(text[5:]), 1), True
        except ValueError:
            pass
    else:
        day = _day(text, locale)
        if day is not None:
            return day, False
    bad("announced", f"announced {show(value)} is not a date; {_date_fix(text, locale, True)}")
    return None, False


def date(
    record: Mapping[str, object], key: str, bad: Bad, locale: InputLocale | None = None
) -> _dt.date | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return _day_of(value)
    if isinstance(value, _dt.date):
        return _same_day(value)
    text = str(value).strip()
    day = _day(text, locale)
    if day is None:
        bad(key, f"{key} {show(value)} is not a date; {_date_fix(text, locale, False)}")
    return day


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


def _day(text: str, locale: InputLocale | None) -> _dt.date | None:
    """`text` as an ISO date, or as one of the locale's numeric forms; None if neither."""
    if _ISO_DAY.fullmatch(text):
        return _iso_day(text)
    return None if locale is None else locale.date(text)


@lru_cache(maxsize=4096)
def _iso_day(text: str) -> _dt.date | None:
    """The date `text` (YYYY-MM-DD) names, or None (cached: a file repeats its dates)."""
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _day_of(moment: _dt.datetime) -> _dt.date:
    """The day of a date and time (cached: one date object for the records of one day)."""
    return moment.date()


@lru_cache(maxsize=4096)
def _same_day(day: _dt.date) -> _dt.date:
    """`day`, one object for the records of one day (a workbook gives each cell its own)."""
    return day


@lru_cache(maxsize=4096)
def _digits(figure: str | int) -> Decimal:
    """``Decimal(figure)``, one object for the records that give the same figure."""
    return Decimal(figure)


@lru_cache(maxsize=4096)
def _whole(number: Decimal) -> int:
    """``int(number)``, one object for the records that give the same count."""
    return int(number)


def _date_fix(text: str, locale: InputLocale | None, month: bool) -> str:
    """How to write the date: ISO, or the locale's forms; and, unless `text` is ISO in form,
    which locale it was read with."""
    iso = ("YYYY-MM-DD", "YYYY-MM") if month else ("YYYY-MM-DD",)
    if locale is None or _ISO_DAY.fullmatch(text) or _MONTH.fullmatch(text):
        return "write " + _either(iso)
    refusal = locale.date_refusal()
    fix = "write " + _either((*iso, *locale.date_forms())) + (f"; {refusal}" if refusal else "")
    return f"{fix} ({locale.note()})"


def _either(choices: tuple[str, ...]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return (
        " or ".join(choices) if len(choices) < 3 else f"{', '.join(choices[:-1])} or {choices[-1]}"
    )


_PLAIN_NUMBER = re.compile(r"\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9][0-9_]*)(?:\.[0-9]+)?\s*")


def _number(value: object) -> Decimal | None:
    """A finite Decimal from an int, a Decimal or plain text; None if it is not one."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 30:
        return _digits(value)  # the common case, quickly: '2', '3000000'
    if isinstance(value, (bool, float)):
        return None
    if isinstance(value, (int, Decimal)):
        number = _digits(value) if type(value) is int else Decimal(value)
    elif isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        # Commas only as thousands separators: "2,500,000"; "2,5" is not read as 25.
        number = Decimal(value.replace(",", "").replace("_", "").strip())
    else:
        return None
    return number if number.is_finite() else None


def years(record: Mapping[str, object], key: str, bad: Bad) -> Decimal | None:
    value = record.get(key)
    if value is None or value == "":
        return None
    number = _number(value)
    if number is None or number <= 0 or number > _MAX_YEARS:
        bad(key, f"{key} {show(value)} must be a positive number of years (at most {_MAX_YEARS})")
        return None
    if number < _MIN_YEARS:
        bad(key, f"{key} {show(value)} is under {_MIN_YEARS} years (about nine hours); check it")
        return None
    return number


#: A count written with its thousands grouped by one mark: "1,000", "12.500", "1 000".
_GROUPED_COUNT = re.compile(r"\s*[0-9]{1,3}(?:([.,' \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*\s*")


def workers(value: object, bad: Bad, locale: InputLocale | None = None) -> int | None:
    """A count of workers: a whole number (``3000000``, ``'3 million'``), its thousands grouped
    by the mark `locale` groups them with (``'1.000'`` in de_DE; ``','`` without a locale)."""
    if value is None or value == "":
        return None
    grouped = _GROUPED_COUNT.fullmatch(value) if isinstance(value, str) else None
    number: Decimal | None
    if grouped is not None and isinstance(value, str):
        mark = grouped.group(1)
        digits = "".join(c for c in value if c.isdigit())
        if mark not in _group_marks(None if locale is None else locale.code):
            said = "with no locale" if locale is None or locale.code is None else (
                f"with locale {locale.code}")  # fmt: skip
            bad(
                "workers",
                f"workers {show(value)} is not a count as read {said}: {mark!r} groups "
                "thousands in some locales and marks decimals in others; write it without "
                f"separators ({digits}), or set the locale it is written in",
            )
            return None
        number = _digits(digits)  # (then checked as any count is)
    else:
        number = _number(value)
    if number is None and isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*", value.lower())
        if match and match.group(2) in _WORKER_SCALES:
            number = Decimal(match.group(1)).scaleb(_WORKER_SCALES[match.group(2)])
    if number is None or number <= 0 or number != number.to_integral_value() or number > 10**11:
        bad(
            "workers",
            f"workers {show(value)} must be a whole number of people, such as 3000000 or '3 million'",
        )
        return None
    return _whole(number)


@lru_cache(maxsize=64)
def _group_marks(code: str | None) -> str:
    """The marks that group thousands in a count read with locale `code` (none: ',')."""
    if code is None:
        return ","
    from babel.numbers import get_group_symbol

    from .cldr import install

    install()
    group = get_group_symbol(code)
    return group + ("\u00a0 " if group in ("\u00a0", "\u202f") else "")


def amount(
    value: object, currency: object, bad: Bad, locale: InputLocale | None = None
) -> Money | None:
    """The amount of a record: Money, or None when undisclosed or wrong (and `bad` is told);
    :func:`worded_amount`'s money."""
    found = worded_amount(value, currency, bad, locale)
    return None if found is None else found.money


def worded_amount(
    value: object, currency: object, bad: Bad, locale: InputLocale | None = None
) -> PressAmount | None:
    """The amount of a record as the press worded it (:func:`calc.press.parse_press`: its
    qualifier, a range's high end, a conversion in brackets), or None when undisclosed or wrong
    (and `bad` is told).

    Text is read with `locale` (:func:`calc.amounts.parse_amount`), and a problem with it says
    which locale that was and how to change it; a plain number (``2500000``, ``"2,500,000"``
    without a locale) needs the record's ``currency``.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in _UNDISCLOSED):
        return None
    code_locale = None if locale is None else locale.code
    try:
        code = _currency(currency)
        # With a locale, text is read as the locale writes numbers ('2.500' is 2500 in de_DE).
        number = None if isinstance(value, str) and code_locale is not None else _number(value)
        if number is not None:
            return PressAmount(show(value), None, _amount_of_number(value, number, code))
        if not isinstance(value, str):
            raise _Wrong(
                "amount",
                f"amount {show(value)} is not an amount; write a number with a currency, or "
                "text such as '$2.9bn'",
            )
    except _Wrong as wrong:
        bad(wrong.field, wrong.message)
        return None
    found = _amount_of_text(value, code, code_locale)
    if isinstance(found, PressAmount):
        return found
    field, message = found
    if field == "amount" and locale is not None:
        message = f"{message} ({locale.note()})"
    bad(field, message)
    return None


class _Wrong(Exception):
    """A field found wrong inside the amount checks: which field and the message."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _currency(currency: object) -> str | None:
    """The record's currency field as a code; None if not given."""
    if currency is None or (isinstance(currency, str) and not currency.strip()):
        return None
    try:
        return validate_currency(currency if isinstance(currency, str) else repr(currency))
    except CalcError as exc:
        if len(repr(currency)) <= 40:
            raise _Wrong("currency", f"currency {currency!r}: {exc}") from None
        raise _Wrong(
            "currency", f"currency {show(currency)} is not an ISO 4217 currency code"
        ) from None


def _amount_of_number(value: object, number: Decimal, code: str | None) -> Money:
    """A plain number with the currency of its own field."""
    _check_size(value, number)
    if code is None:
        raise _Wrong(
            "currency",
            f"amount {show(value)} has no currency; add a currency field or write it as '$2.9bn'",
        )
    if number <= 0:
        raise _Wrong(
            "amount",
            f"amount {show(value)} must be positive; leave it empty if it is not disclosed",
        )
    _check_decimals(value, number)
    return Money(number, code)


@lru_cache(maxsize=16384)
def _amount_of_text(
    value: str, code: str | None, locale: str | None
) -> PressAmount | tuple[str, str]:
    """Text such as '$2.9bn', 'up to £2–3bn' (or '2.9bn' with a currency field) read with
    `locale`, or what is wrong with it as (field, message); cached, as a file repeats its
    amounts."""
    try:
        press = _parse(value, code, locale)
        for money in (press.money, press.high):
            if money is not None:
                _check_size(value, money.amount)
                _check_decimals(value, money.amount)
    except _Wrong as wrong:
        return wrong.field, wrong.message
    money = press.money
    if code is not None and money.currency != code:
        return "currency", f"amount {show(value)} is in {money.currency} but currency says {code}"
    return press


def _parse(value: str, code: str | None, locale: str | None) -> PressAmount:
    """`value` read with `locale`; with `code` (the currency field) also as '`value` `code`'."""
    try:
        return parse_press(value, locale=locale)
    except CalcError as exc:
        error = exc
    if code is not None:  # "2.5bn" with currency = "GBP": the currency is in its own field
        try:
            return parse_press(f"{value} {code}", locale=locale)
        except CalcError as exc:
            error = exc
    reason = str(getattr(error, "reason", error)).rstrip(".")
    raise _Wrong("amount", f"amount {show(value)} is not an amount: {reason}")


def _check_size(value: object, number: Decimal) -> None:
    if number >= _MAX_AMOUNT:
        raise _Wrong(
            "amount", f"amount {show(value)} is too large (at most 10**21 units); check the figure"
        )


def _check_decimals(value: object, number: Decimal) -> None:
    if _decimals(number) > _MAX_DECIMALS:
        raise _Wrong(
            "amount",
            f"amount {show(value)} has more than {_MAX_DECIMALS} decimal places; check the figure",
        )


def _decimals(number: Decimal) -> int:
    """Decimal places of ``number`` once trailing zeros are dropped (2.50 has 1)."""
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(-exponent - trailing_zeros, 0)


def add_years(day: _dt.date, years: Decimal) -> _dt.date:
    """The anniversary of `day` after `years` (a fraction of a year is taken as 365.25 days each).

    29 February moves to 28 February in a year that has none.

    >>> add_years(_dt.date(2024, 2, 29), Decimal(1)), add_years(_dt.date(2024, 1, 1), Decimal("0.5"))
    (datetime.date(2025, 2, 28), datetime.date(2024, 7, 1))

    :raises ValueError: if the anniversary is after the year 9999
    :raises OverflowError: likewise, from the days of a fraction
    """
    whole = int(years)
    try:
        moved = day.replace(year=day.year + whole)
    except ValueError:  # 29 February
        moved = day.replace(year=day.year + whole, day=28)
    fraction = years - whole
    return moved + _dt.timedelta(days=int(fraction * Decimal("365.25")))


def last_day(start: _dt.date, years: Decimal) -> _dt.date:
    """The last day of a spending period of `years` from `start`: the day before the anniversary.

    Periods include both their first and their last day, so two years from 2024-04-09 end on
    2026-04-08. A period shorter than a day is the day itself.

    >>> last_day(_dt.date(2024, 4, 9), Decimal(2)), last_day(_dt.date(2026, 1, 1), Decimal(4))
    (datetime.date(2026, 4, 8), datetime.date(2029, 12, 31))

    :raises ValueError: if the anniversary is after the year 9999 (see :func:`period_end`)
    """
    return max(start, add_years(start, years) - _dt.timedelta(days=1))


def years_between(start: _dt.date, end: _dt.date) -> Decimal:
    """The length in years of the period from `start` to `end`, both days included.

    Whole years count to the anniversary (2026-01-01..2029-12-31 is exactly 4 years, leap day or
    not); the days left over count 365.25 to the year, as in :func:`add_years`.

    >>> years_between(_dt.date(2026, 1, 1), _dt.date(2029, 12, 31))
    Decimal('4')
    >>> years_between(_dt.date(2024, 3, 1), _dt.date(2026, 2, 28))
    Decimal('2')
    """
    after = end.toordinal() + 1  # the day after the period, as an ordinal (no year-9999 limit)
    whole = max(end.year - start.year + 1, 0)
    while whole > 0:
        try:
            anniversary = add_years(start, Decimal(whole)).toordinal()
        except (ValueError, OverflowError):
            anniversary = after + 1
        if anniversary <= after:
            break
        whole -= 1
    rest = after - add_years(start, Decimal(whole)).toordinal()
    return Decimal(whole) + Decimal(rest) / Decimal("365.25") if rest else Decimal(whole)
