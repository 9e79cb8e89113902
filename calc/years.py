"""The calendar-year profile of amounts: each spread evenly over its spending period by days.

A spending period includes its first and its last day. An amount is spread over the calendar
years its period touches in proportion to the period's days in each year: every year but the
last gets ``amount × days in that year / days in the period`` (to 28 significant digits, where
the quotient does not end sooner), and the last year gets what remains. So the years of one
amount add up to it exactly, and, since sums of :class:`~calc.money.Money` are exact, so do the
years of any sum of amounts.

>>> import datetime
>>> [str(m) for _year, m in spread(Money("1461", "USD"), datetime.date(2026, 1, 1),
...                                 datetime.date(2029, 12, 31))]
['365 USD', '365 USD', '366 USD', '365 USD']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal

from .decimals import EXACT, quotient
from .money import Money

__all__ = ["Profile", "days", "spread", "spread_amount", "total"]

#: Amounts by calendar year, the years in order.
Profile = tuple[tuple[int, Money], ...]


def days(start: _dt.date, end: _dt.date) -> int:
    """The days from `start` to `end`, both included.

    >>> days(_dt.date(2026, 1, 1), _dt.date(2026, 12, 31))
    365
    """
    return (end - start).days + 1


def spread(amount: Money, start: _dt.date, end: _dt.date) -> Profile:
    """`amount` spread over the calendar years from `start` to `end` (both included) by days.

    The last year gets the remainder, so the parts add up to `amount` exactly.

    :raises ValueError: if `end` is before `start`
    """
    currency = amount.currency
    return tuple(
        (year, Money(part, currency)) for year, part in spread_amount(amount.amount, start, end)
    )


def spread_amount(amount: Decimal, start: _dt.date, end: _dt.date) -> list[tuple[int, Decimal]]:
    """:func:`spread` of a bare amount: its parts by year, as Decimals.

    >>> spread_amount(Decimal(10), _dt.date(2025, 12, 31), _dt.date(2026, 1, 1))
    [(2025, Decimal('5')), (2026, Decimal('5'))]

    :raises ValueError: if `end` is before `start`
    """
    if end < start:
        raise ValueError(f"The period {start}..{end} ends before it starts.")
    if start.year == end.year:
        return [(end.year, amount)]
    first = start.toordinal()
    length = Decimal(end.toordinal() - first + 1)
    parts = []
    given = Decimal(0)
    for year in range(start.year, end.year):
        last = _dt.date(year, 12, 31).toordinal()
        part = quotient(EXACT.multiply(amount, Decimal(last - first + 1)), length)
        parts.append((year, part))
        given = EXACT.add(given, part)
        first = last + 1
    parts.append((end.year, EXACT.subtract(amount, given)))
    return parts


def total(profiles: Iterable[Profile]) -> Profile:
    """The profiles added year by year (exact sums), the years in order."""
    years: dict[int, Money] = {}
    for profile in profiles:
        for year, money in profile:
            years[year] = years[year] + money if year in years else money
    return tuple(sorted(years.items()))
