"""The one gate every fixing passes: on its way into the cache, and when it is read back.

A day's fixings (units of each currency per 1 EUR) are checked as a whole, against the rules
below; :func:`day_problems` lists every rule a day breaks, :func:`check_day` refuses a day that
breaks any. What the gate refuses is never stored and never used::

    the date        a TARGET business day, on or after 1999-01-04, not after today; for a dated
                    request the day asked for; for "latest", not before the last stored day
    the codes       three ASCII capitals from ISO 4217 (the ECB's list is part of it), EUR aside
    each rate       a finite decimal of sane size (at most 20 significant digits), between 1e-30
                    and 1e30 (the range --rate accepts), and within a factor of 2 of the
                    currency's previous fixing (the ECB has never moved a rate by half that)
    the day         carries every currency the previous fixing day carried

>>> import datetime
>>> from decimal import Decimal
>>> day = datetime.date(2026, 11, 3)
>>> before = (datetime.date(2026, 11, 2), {"USD": Decimal("1.1190")})
>>> check_day(day, {"USD": "1.1201"}, previous=before, today=day)
{'USD': Decimal('1.1201')}
>>> check_day(day, {"USD": "1e-10"}, previous=before, today=day)
Traceback (most recent call last):
...
rates.errors.FixingRefusedError: Refused the fixings of 2026-11-03: USD = '1e-10' is not within a factor of 2 of its previous fixing (1.1190 on 2026-11-02).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from .calendar import is_business_day
from .codes import ISO_4217
from .errors import FixingRefusedError

__all__ = ["FIRST_FIXING", "LARGEST_RATE", "SMALLEST_RATE", "check_day", "day_problems"]

FIRST_FIXING = _dt.date(1999, 1, 4)
SMALLEST_RATE, LARGEST_RATE = Decimal("1e-30"), Decimal("1e30")
#: How far one fixing may move from the previous one, as a factor either way.
BAND = Decimal(2)
MAX_DIGITS = 20
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
_CODE = re.compile(r"[A-Z]{3}")
_NUMBER = re.compile(r"[0-9]{1,40}(?:\.[0-9]{1,40})?(?:[eE][-+]?[0-9]{1,3})?")


if TYPE_CHECKING:  # pragma: no cover
    from typing import NotRequired, TypedDict, Unpack

    class GateContext(TypedDict):
        """What a day is checked against (the keyword arguments of :func:`day_problems`)."""

        previous: tuple[_dt.date, Mapping[str, Decimal]] | None
        today: _dt.date
        asked: NotRequired[_dt.date | None]
        latest_after: NotRequired[_dt.date | None]


def day_problems(
    day: _dt.date,
    per_eur: Mapping[str, object],
    *,
    previous: tuple[_dt.date, Mapping[str, Decimal]] | None,
    today: _dt.date,
    asked: _dt.date | None = None,
    latest_after: _dt.date | None = None,
) -> list[str]:
    """Every rule the fixings of `day` break, each as a phrase naming the value; [] if none.

    :param per_eur: currency code -> units per 1 EUR, as Decimal or as text
    :param previous: the fixing day before `day` and its values, or None if there is none
    :param today: the date taken as today
    :param asked: the day that was asked for, for a dated request
    :param latest_after: for a "latest" answer, the last day already stored
    """
    problems = _date_problems(day, today=today, asked=asked, latest_after=latest_after)
    if problems:  # another day's rates: comparing them with the day before says nothing more
        previous = None
    if not per_eur:
        problems.append("it carries no rates")
    before = previous[1] if previous is not None else {}
    for code, raw in per_eur.items():
        problems.extend(_rate_problems(code, raw, before.get(code), previous))
    missing = sorted(set(before) - set(per_eur) - {"EUR"})
    if missing and previous is not None:
        problems.append(f"it lacks {', '.join(missing)}, which {previous[0].isoformat()} carried")
    return problems


def check_day(
    day: _dt.date, per_eur: Mapping[str, object], **context: Unpack[GateContext]
) -> dict[str, Decimal]:
    """The fixings of `day` as Decimals (EUR left out), if they pass the gate.

    Takes what :func:`day_problems` takes.

    :raises FixingRefusedError: naming every rule the day breaks
    """
    problems = day_problems(day, per_eur, **context)
    if problems:
        raise FixingRefusedError(day, problems)
    passed = {code: _decimal(raw) for code, raw in per_eur.items() if code != "EUR"}
    return {code: value for code, value in passed.items() if value is not None}


def _date_problems(
    day: _dt.date, *, today: _dt.date, asked: _dt.date | None, latest_after: _dt.date | None
) -> list[str]:
    if type(day) is not _dt.date:
        return [f"its date {day!r} is not a date"]
    problems = []
    if day < FIRST_FIXING:
        problems.append(f"it is dated {day}, before the first ECB fixing ({FIRST_FIXING})")
    if day > today:
        problems.append(f"it is dated {day}, after today ({today})")
    elif not is_business_day(day):
        problems.append(f"it is dated {day} ({day:%A}), which is not a TARGET business day")
    if asked is not None and day != asked:
        problems.append(f"it is dated {day}, not {asked} as asked")
    if latest_after is not None and day < latest_after:
        problems.append(f"it is dated {day}, before the last day stored ({latest_after})")
    return problems


def _rate_problems(
    code: object,
    raw: object,
    before: Decimal | None,
    previous: tuple[_dt.date, Mapping[str, Decimal]] | None,
) -> list[str]:
    if not (isinstance(code, str) and _CODE.fullmatch(code)):
        return [f"{code!r} is not a currency code (three capital letters)"]
    if code not in ISO_4217:
        return [f"{code!r} is not an ISO 4217 currency code"]
    if code == "EUR":
        return [] if _decimal(raw) == 1 else [f"EUR = {raw!r}, but EUR is 1 per EUR"]
    value = _decimal(raw)
    if value is None:
        return [f"{code} = {_short(raw)} is not a decimal number"]
    if len(value.as_tuple().digits) > MAX_DIGITS:
        return [f"{code} = {_short(raw)} has more than {MAX_DIGITS} significant digits"]
    if not SMALLEST_RATE <= value <= LARGEST_RATE:
        return [f"{code} = {_short(raw)} is not between 1e-30 and 1e30"]
    if before is not None and previous is not None and not before / BAND <= value <= before * BAND:
        return [
            f"{code} = {_short(raw)} is not within a factor of 2 of its previous fixing"
            f" ({before} on {previous[0].isoformat()})"
        ]
    return []


def _decimal(raw: object) -> Decimal | None:
    """`raw` as a finite Decimal, or None if it is not one (floats and bools are not)."""
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Decimal(raw)
    if isinstance(raw, str) and _NUMBER.fullmatch(raw):
        try:
            return Decimal(raw)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return None
    return None


def _short(raw: object) -> str:
    """`raw` for a message: its repr, cut in the middle if it is long."""
    text = repr(raw)
    return text if len(text) <= 40 else f"{text[:18]}…{text[-18:]} ({len(text)} characters)"
