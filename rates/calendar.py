"""The TARGET calendar: the days on which the ECB publishes its reference rates.

The ECB publishes on TARGET business days: Monday to Friday except New Year's Day, Good Friday,
Easter Monday, 1 May, 25 and 26 December (the closing days since 2002; in 1999-2001 a few other
days were closed too, which the bundled history records as they were).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from functools import lru_cache


def easter_sunday(year: int) -> _dt.date:
    """Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm.

    >>> easter_sunday(2024)
    datetime.date(2024, 3, 31)
    """
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return _dt.date(year, month, day + 1)


@lru_cache(maxsize=64)
def target_holidays(year: int) -> frozenset[_dt.date]:
    """The TARGET closing days of ``year`` that fall on a weekday or weekend alike.

    >>> sorted(d.isoformat() for d in target_holidays(2024))
    ['2024-01-01', '2024-03-29', '2024-04-01', '2024-05-01', '2024-12-25', '2024-12-26']
    """
    easter = easter_sunday(year)
    return frozenset(
        {
            _dt.date(year, 1, 1),
            easter - _dt.timedelta(days=2),
            easter + _dt.timedelta(days=1),
            _dt.date(year, 5, 1),
            _dt.date(year, 12, 25),
            _dt.date(year, 12, 26),
        }
    )


def is_business_day(day: _dt.date) -> bool:
    """Whether the ECB publishes reference rates on ``day`` (TARGET calendar)."""
    return day.weekday() < 5 and day not in target_holidays(day.year)


def previous_business_day(day: _dt.date) -> _dt.date:
    """``day`` itself if it is a TARGET business day, else the last one before it."""
    while not is_business_day(day):
        day -= _dt.timedelta(days=1)
    return day


def business_days(after: _dt.date, until: _dt.date) -> Iterator[_dt.date]:
    """The TARGET business days after ``after`` up to and including ``until``."""
    day = after + _dt.timedelta(days=1)
    while day <= until:
        if is_business_day(day):
            yield day
        day += _dt.timedelta(days=1)


def missed_fixings(after: _dt.date, until: _dt.date) -> bool:
    """Whether a TARGET business day after ``after``, up to and including ``until``, exists: a
    fixing published on it would be newer than one of ``after`` (the test of a stale rate).

    >>> missed_fixings(_dt.date(2026, 10, 30), _dt.date(2026, 11, 1))  # a Friday, then Sunday
    False
    >>> missed_fixings(_dt.date(2026, 10, 30), _dt.date(2026, 11, 2))
    True
    """
    return next(business_days(after, until), None) is not None
