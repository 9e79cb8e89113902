"""Share of GDP: a country's disclosed total as a fraction of its economy's GDP.

The GDP is the World Bank's, in current US dollars (NY.GDP.MKTP.CD), for the country's reference
year (:func:`calc.views.reference_date`: the year of its latest announcement, or of the policy's
date); where that year is not in the data, the latest year before it, and the share says so.
The totals are at current prices (with ``--real``, the nominal conversions), and where the report
currency is not USD the GDP is converted to it at the same policy, on the country's reference
date. Each calendar year of the country's profile (its amounts with a spending period, spread by
days, :mod:`calc.years`) is likewise a fraction of that year's GDP (or the latest before it), at
the same rate as the total.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal

from rates.value import Value

from .converter import Conversion, Converter, RatePolicy, total_of
from .money import Money
from .realterms import nominal
from .reference import ReferenceData
from .rows import ConvertedCommitment
from .years import spread
from .years import total as add_profiles

__all__ = ["GdpShare", "YearShare", "gdp_share"]

SERIES = "gdp_usd"


class YearShare(Value):
    """One calendar year's amount of a country as a fraction of GDP.

    :ivar gdp_year: the year of the GDP used (None: no data on or before ``year``)
    """

    __slots__ = ("year", "amount", "gdp_year", "gdp", "share")
    year: int
    amount: Money
    gdp_year: int | None
    gdp: Money | None
    share: Decimal | None

    def __init__(
        self, year: int, amount: Money, gdp_year: int | None, gdp: Money | None,
        share: Decimal | None,
    ) -> None:  # fmt: skip
        self._set(year=year, amount=amount, gdp_year=gdp_year, gdp=gdp, share=share)


class GdpShare(Value):
    """A country's disclosed total (current prices) over its GDP.

    :ivar year: the reference year the GDP is wanted for
    :ivar gdp_year: the year of the GDP used: ``year``, or the latest before it in the data
        (None: no GDP data on or before ``year``)
    :ivar gdp_usd: that GDP in current US dollars, as the World Bank gives it
    :ivar gdp: it in the report currency (at ``rate``; the same as ``gdp_usd`` in USD)
    :ivar share: ``total / gdp`` (None: nothing disclosed, or no GDP data)
    :ivar note: what is missing, or that an earlier year's GDP is used; '' otherwise
    :ivar years: each calendar year's share (:class:`YearShare`)
    """

    __slots__ = ("country", "total", "year", "gdp_year", "gdp_usd", "gdp", "share", "note",
                 "source", "rate", "years")  # fmt: skip
    country: str
    total: Money | None
    year: int
    gdp_year: int | None
    gdp_usd: Decimal | None
    gdp: Money | None
    share: Decimal | None
    note: str
    source: str
    rate: Conversion | None
    years: tuple[YearShare, ...]

    def __init__(
        self, country: str, total: Money | None, year: int, gdp_year: int | None,
        gdp_usd: Decimal | None, gdp: Money | None, share: Decimal | None, note: str,
        source: str = "", rate: Conversion | None = None, years: tuple[YearShare, ...] = (),
    ) -> None:  # fmt: skip
        self._set(country=country, total=total, year=year, gdp_year=gdp_year, gdp_usd=gdp_usd,
                  gdp=gdp, share=share, note=note, source=source, rate=rate, years=years)  # fmt: skip


def gdp_share(
    country: str,
    items: Sequence[ConvertedCommitment],
    reference: ReferenceData,
    on: _dt.date,
    *,
    currency: str,
    converter: Converter,
    policy: RatePolicy,
) -> GdpShare:
    """The share of GDP of ``country``'s disclosed ``items``, for the year of ``on`` (its
    reference date, at which a GDP in USD is converted to ``currency`` under ``policy``)."""
    disclosed = [(i.commitment, nominal(i.conversion)) for i in items if i.conversion is not None]
    total = total_of([c for _, c in disclosed], currency) if disclosed else None
    found = reference.latest(country, SERIES, on.year)
    if found is None:
        note = f"no GDP data for {on.year} or before"
        return GdpShare(country, total, on.year, None, None, None, None, note)
    usd = Money(found.value, "USD")
    rate = None
    if currency != "USD":
        rate = converter.convert_under(usd, currency, policy, announced=on)

    def in_currency(gdp_usd: Decimal) -> Money:
        money = Money(gdp_usd, "USD")
        if rate is None:
            return money
        return converter.convert_under(money, currency, policy, announced=on).result

    gdp = rate.result if rate is not None else usd
    note = ""
    if found.year != on.year:
        note = f"the {found.year} GDP, the latest in the data ({on.year} is not in it)"
    if total is None:
        note = "; ".join(filter(None, ["nothing disclosed", note]))
    dated = [
        spread(c.result, *period)
        for commitment, c in disclosed
        if (period := commitment.period) is not None
    ]
    years = []
    for year, amount in add_profiles(dated):
        that = reference.latest(country, SERIES, year)
        year_gdp = None if that is None else in_currency(that.value)
        share = None if year_gdp is None else amount / year_gdp
        years.append(YearShare(year, amount, that.year if that else None, year_gdp, share))
    return GdpShare(
        country, total, on.year, found.year, found.value, gdp,
        None if total is None else total / gdp, note, found.source, rate, tuple(years),
    )  # fmt: skip
