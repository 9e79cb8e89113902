"""Rates over a period: the daily series of a pair, and its average.

:class:`~rates.RateBook` answers ``series`` and ``average`` with these functions.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING

from . import misses
from .calendar import missed_fixings
from .ecb import FIRST_ECB_FIXING
from .errors import InvalidRateError, RateNotFoundError, UnsupportedCurrencyError
from .rate import RATE_CONTEXT, Overrides, Rate, check_code

if TYPE_CHECKING:
    from .book import RateBook


def series(
    book: RateBook, overrides: Overrides, base: str, quote: str, start: _dt.date, end: _dt.date
) -> list[Rate]:
    """One rate per fixing date from ``start`` to ``end`` on which both currencies are quoted.

    :raises RateNotFoundError: if there is no such fixing in the period
    """
    base, quote = check_code(base), check_code(quote)
    if end < start:
        raise InvalidRateError(f"The period {start} to {end} ends before it starts.")
    earliest = max(start, FIRST_ECB_FIXING, book.first_fixing)
    fixings = book.fixings
    first = max(fixings.index_on_or_before(earliest - _dt.timedelta(days=1)) + 1, 0)
    last = fixings.index_on_or_before(min(end, book.last_fixing))
    rates: list[Rate] = []
    plain = [c for c in (base, quote) if c != "EUR" and overrides.for_day(c, end) is None]
    for index in range(first, last + 1):
        if any(fixings.value(code, index) is None for code in plain):
            continue  # not quoted that day: skipped without building an error for it
        day = fixings.date(index)
        try:
            rates.append(book.rate(base, quote, day))
        except UnsupportedCurrencyError:
            raise
        except RateNotFoundError:
            continue
    if not rates:
        raise misses.empty_period(fixings, (base, quote), start, end, plain)
    return rates


def average(
    book: RateBook, overrides: Overrides, base: str, quote: str, start: _dt.date, end: _dt.date
) -> Rate:
    """The mean of the daily rates from ``start`` to ``end``, to 28 significant digits.

    The period is cut to the fixings that exist: the Rate's ``period`` is the first and last
    fixing averaged. It is stale when a TARGET business day after the book's last fixing, up to
    the end of the period or yesterday, whichever is first, has no fixing known.
    """
    daily = series(book, overrides, base, quote, start, end)
    total = reduce(RATE_CONTEXT.add, (r.value for r in daily), Decimal(0))
    value = RATE_CONTEXT.divide(total, Decimal(len(daily)))
    sources = tuple(dict.fromkeys(source for r in daily for source in r.sources))
    period = (daily[0].fixing_date, daily[-1].fixing_date)
    until = min(end, book.today() - _dt.timedelta(days=1))
    return Rate(
        check_code(base), check_code(quote), value, None, period[1], sources,
        stale=missed_fixings(book.last_fixing, until), fixings=len(daily), period=period,
    )  # fmt: skip
