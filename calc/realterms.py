"""Real terms: amounts in constant prices of a base year, by a stated method and price index.

Two methods (``deflator=``):

- ``target`` (the default): convert each amount at the report's rate policy, then move it from
  the price level of its announcement to the base year's annual average with the report
  currency's price index;
- ``source`` (the OECD DAC's order): move each amount, in its own currency, with that currency's
  price index to the base year, then convert it at the average of the base year's daily ECB
  fixings.

A currency's price index: for USD, the BLS CPI-U (CUUR0000SA0), monthly, so an amount announced
in November 2023 moves to 2024 prices by CPI-U 2024 annual average / CPI-U 2023-11; for any
other currency, an annual index chained from the World Bank's CPI inflation (FP.CPI.TOTL.ZG) of
the currency's economy (EUR: the euro area, ``EMU``), so 2023 to 2024 is 1 + the 2024 inflation
/ 100. The currency's economy is the country whose ISO 3166 code begins its ISO 4217 code, where
CLDR says it is or was legal tender (GBP: GB, CHF: CH); a currency without one has no index.

Every factor is an exact fraction (:class:`Factor`), and a real-terms figure is one exact
quotient, amount x rate x factor (:class:`Deflated`). A base year, month or year outside the
data is an error that names the last one available, never a guess.

>>> cpi_u().factor(_dt.date(2023, 11, 30), 2024)
Factor(numerator=Decimal('313.689'), denominator=Decimal('307.051'), index='CPI-U', start='2023-11', base=2024)
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from rates import RateError
from rates.value import Value

from .converter import Conversion, Converter, RatePolicy
from .decimals import EXACT, quotient, trimmed
from .errors import ReportError, add_context
from .money import Money
from .rows import ConvertedCommitment

if TYPE_CHECKING:
    from rates import Rate

    from .reference import ReferenceData

__all__ = [
    "CPI_U_CITATION",
    "METHODS",
    "Deflated",
    "Factor",
    "Method",
    "PriceIndex",
    "RealTerms",
    "cpi_u",
    "deflate",
    "economy",
    "nominal",
    "parse_base",
]

Method = Literal["target", "source"]
#: The methods of ``--deflator``: convert then deflate (target), or deflate then convert (source).
METHODS: tuple[Method, ...] = ("target", "source")
CPI_U_FILE = os.path.join(os.path.dirname(__file__), "data", "cpi-u.csv")
CPI_U_CITATION = (
    "US Bureau of Labor Statistics, CPI-U, all items, U.S. city average, not seasonally "
    "adjusted (CUUR0000SA0, 1982-84 = 100)"
)
_INFLATION = "cpi_inflation"
_ONE = Decimal(1)


class Factor(Value):
    """The factor that moves an amount from the price level of ``start`` (a month ``2023-11``
    or a year ``2023``) to the annual average of ``base``: ``numerator / denominator`` exactly.
    """

    __slots__ = ("numerator", "denominator", "index", "start", "base")
    numerator: Decimal
    denominator: Decimal
    index: str
    start: str
    base: int

    def __init__(
        self, numerator: Decimal, denominator: Decimal, index: str, start: str, base: int
    ) -> None:
        self._set(numerator=numerator, denominator=denominator, index=index, start=start,
                  base=base)  # fmt: skip

    @property
    def value(self) -> Decimal:
        """The factor as one quotient (:func:`calc.decimals.quotient`)."""
        return quotient(self.numerator, self.denominator)


class Deflated(Conversion):
    """A conversion in constant prices: ``source`` at ``rate``, times ``factor``, exactly.

    :ivar nominal: the conversion at the report's rate policy (current prices)
    :ivar factor: the deflator (:class:`Factor`)
    :ivar method: ``target`` (``rate`` is the policy's, the factor the report currency's) or
        ``source`` (the factor is the amount's currency's, ``rate`` the base year's average)
    """

    __slots__ = ("nominal", "factor", "method")
    nominal: Conversion
    factor: Factor
    method: Method

    def __init__(
        self, source: Money, rate: Rate, nominal: Conversion, factor: Factor, method: Method
    ) -> None:
        self._set(source=source, rate=rate, factor=factor)
        numerator, denominator = self.exact
        result = Money(trimmed(quotient(numerator, denominator)), rate.quote)
        self._set(result=result, nominal=nominal, method=method)

    @property
    def exact(self) -> tuple[Decimal, Decimal]:
        """The result as the exact quotient: amount x rate numerator x factor numerator over
        rate denominator x factor denominator."""
        numerator, denominator = self.rate.ratio
        return (
            EXACT.multiply(EXACT.multiply(self.source.amount, numerator), self.factor.numerator),
            EXACT.multiply(denominator, self.factor.denominator),
        )


def nominal(conversion: Conversion) -> Conversion:
    """The conversion at current prices: a :class:`Deflated` one's ``nominal``, else itself."""
    return conversion.nominal if isinstance(conversion, Deflated) else conversion


class PriceIndex:
    """The price index of one currency: ``factor(day, base)`` from ``day``'s price level to
    ``base``'s annual average.

    :ivar name: what the report calls it (``CPI-U``, ``GB CPI``)
    :ivar citation: its source and series
    :ivar first_year, last_year: the years it has an annual level for
    """

    def __init__(
        self,
        currency: str,
        name: str,
        citation: str,
        years: tuple[int, int],
        factor: Callable[[_dt.date, int], Factor],
    ) -> None:
        self.currency = currency
        self.name = name
        self.citation = citation
        self.first_year, self.last_year = years
        self.factor = factor

    def check_base(self, base: int) -> None:
        """:raises ReportError: if ``base`` has no annual level, naming the years there are"""
        if base > self.last_year:
            raise ReportError(
                f"There is no {self.name} annual average for {base}: the last year available "
                f"is {self.last_year} (use --real {self.last_year} or --real latest)."
            )
        if base < self.first_year:
            raise ReportError(
                f"There is no {self.name} annual average for {base}: the first year available "
                f"is {self.first_year}."
            )


@lru_cache(maxsize=1)
def cpi_u() -> PriceIndex:
    """The US CPI-U, monthly, with its annual averages (``calc/data/cpi-u.csv``)."""
    import csv  # only real terms read it (start-up time)

    monthly: dict[tuple[int, int], Decimal] = {}
    annual: dict[int, Decimal] = {}
    with open(CPI_U_FILE, encoding="utf-8", newline="") as file:
        file.readline()  # the source line
        for row in csv.DictReader(file):
            year, month = int(row["year"]), int(row["period"][1:])
            if month == 13:
                annual[year] = Decimal(row["cpi_u"])
            else:
                monthly[year, month] = Decimal(row["cpi_u"])
    last_month = max(monthly)

    def factor(day: _dt.date, base: int) -> Factor:
        index.check_base(base)
        month = f"{day.year:04d}-{day.month:02d}"
        level = monthly.get((day.year, day.month))
        if level is None:
            why = (
                f"the last month available is {last_month[0]:04d}-{last_month[1]:02d}"
                if (day.year, day.month) > last_month
                else "the BLS published no index for that month"
            )
            raise ReportError(f"There is no CPI-U for {month}: {why}.")
        return Factor(annual[base], level, "CPI-U", month, base)

    index = PriceIndex("USD", "CPI-U", CPI_U_CITATION, (min(annual), max(annual)), factor)
    return index


def economy(currency: str) -> str | None:
    """The economy whose prices a currency's amounts are measured by: ``EMU`` for EUR, else the
    country whose ISO 3166 code begins the ISO 4217 code, if the currency is or was its legal
    tender (CLDR); None if there is none.

    >>> economy("GBP"), economy("EUR"), economy("XAF")
    ('GB', 'EMU', None)
    """
    if currency == "EUR":
        return "EMU"
    from babel.numbers import get_territory_currencies  # babel on first use (start-up time)

    from rates import today

    country = currency[:2]
    found = get_territory_currencies(country, _dt.date(1999, 1, 1), today(), tender=True)
    return country if currency in found else None


def chained(currency: str, reference: ReferenceData, fix: str = "") -> PriceIndex:
    """The annual price index of ``currency``'s economy, chained from its CPI inflation.

    :raises ReportError: if the currency has no economy or the economy no inflation data (the
        message ends with ``fix``)
    """
    place = economy(currency)
    rates = {} if place is None else reference.series(place, _INFLATION)
    if not rates:
        why = (
            "it is not the legal tender of a country whose code it begins with"
            if place is None
            else f"the World Bank data have no CPI inflation for {place}"
        )
        raise ReportError(f"There is no price index for {currency}: {why}{fix}.")
    label = "euro-area (EMU)" if place == "EMU" else place
    name = "euro-area CPI" if place == "EMU" else f"{place} CPI"
    citation = f"{reference.source(_INFLATION)}, chained into an annual index"
    first, last = min(rates) - 1, max(rates)  # the first rate moves from the year before it

    def growth(year: int) -> Decimal:
        rate = rates.get(year)
        if rate is None:
            bound = f"the last year available is {last}" if year > last else "a gap in the data"
            raise ReportError(f"There is no {label} CPI inflation for {year}: {bound}.")
        return EXACT.add(_ONE, rate.scaleb(-2, EXACT))

    def factor(day: _dt.date, base: int) -> Factor:
        index.check_base(base)
        start = day.year
        if start < first:
            raise ReportError(f"There is no {name} for {start}: the first year is {first}.")
        product = _ONE
        for year in range(min(start, base) + 1, max(start, base) + 1):
            product = EXACT.multiply(product, growth(year))
        numerator, denominator = (product, _ONE) if base >= start else (_ONE, product)
        return Factor(numerator, denominator, name, str(start), base)

    index = PriceIndex(currency, name, citation, (first, last), factor)
    return index


class RealTerms(Value):
    """What a report's real terms are: base year, method, report currency and the indices.

    :ivar indices: ``(currency, name, citation)`` of each price index used
    """

    __slots__ = ("base", "method", "currency", "indices")
    base: int
    method: Method
    currency: str
    indices: tuple[tuple[str, str, str], ...]

    def __init__(
        self, base: int, method: Method, currency: str, indices: tuple[tuple[str, str, str], ...]
    ) -> None:
        self._set(base=base, method=method, currency=currency, indices=indices)

    def describe(self) -> str:
        """The title's phrase: ``in constant 2024 US dollars, CPI-U``."""
        from babel.numbers import get_currency_name  # babel on first use (start-up time)

        money = f"in constant {self.base} {get_currency_name(self.currency, 2, 'en')}"
        names = ", ".join(dict.fromkeys(name for _c, name, _s in self.indices))
        if self.method == "target":
            return f"{money}, {names}"
        return (
            f"{money}, OECD DAC method: each amount deflated in its own currency ({names}) to "
            f"{self.base}, then converted at the {self.base} average ECB rate"
        )


def parse_base(real: int | str) -> int | Literal["latest"]:
    """A base year given as ``2024`` or ``"latest"``.

    :raises ReportError: for anything else
    """
    text = str(real).strip().lower()
    if text == "latest":
        return "latest"
    if isinstance(real, bool) or not text.isdigit() or len(text) != 4:
        raise ReportError(f"{real!r} is not a base year; give a year such as 2024, or 'latest'.")
    return int(text)


def check_method(method: str) -> Method:
    """:raises ReportError: for a method that is not ``target`` or ``source``"""
    for known in METHODS:
        if known == str(method).strip().lower():
            return known
    raise ReportError(f"{method!r} is not a deflator method; use 'target' or 'source'.")


def deflate(
    items: Iterable[ConvertedCommitment],
    *,
    real: int | str,
    method: str,
    currency: str,
    converter: Converter,
    reference: Callable[[], ReferenceData],
) -> tuple[tuple[ConvertedCommitment, ...], RealTerms]:
    """The items in constant prices of ``real`` (a year or ``latest``) by ``method``, and what
    the report says of it. ``reference`` loads the World Bank data when an index needs it.

    :raises ReportError: for a base year, month or year outside the data (naming the last one
        available), or a currency without a price index; the message starts with the
        commitment's location where it is about one
    """
    how = check_method(method)
    wanted = parse_base(real)
    items = tuple(items)
    indices: dict[str, PriceIndex] = {}

    fix = "; report in another currency" if how == "target" else "; use --deflator target"

    def index(code: str) -> PriceIndex:
        if code not in indices:
            indices[code] = cpi_u() if code == "USD" else chained(code, reference(), fix)
        return indices[code]

    needed = [currency] if how == "target" else sorted(
        {i.conversion.source.currency for i in items if i.conversion is not None}
    )  # fmt: skip
    used = [index(code) for code in needed]
    base = min((i.last_year for i in used), default=0) if wanted == "latest" else wanted
    for each in used:
        each.check_base(base)
    out = []
    for item in items:
        conversion = item.conversion
        if conversion is None:
            out.append(item)
            continue
        c = item.commitment
        try:
            if how == "target":
                factor, rate = index(currency).factor(c.announced, base), conversion.rate
            else:
                factor = index(conversion.source.currency).factor(c.announced, base)
                rate = _base_year_rate(converter, conversion.source.currency, currency, base)
        except (ReportError, RateError) as exc:
            add_context(exc, where=c.location or c.company)
            raise
        deflated = Deflated(conversion.source, rate, conversion, factor, how)
        out.append(ConvertedCommitment(c, deflated, item.partial))
    terms = RealTerms(base, how, currency, tuple((i.currency, i.name, i.citation) for i in used))
    return tuple(out), terms


def _base_year_rate(converter: Converter, base: str, quote: str, year: int) -> Rate:
    """The average of the year's daily fixings (no conversion within one currency)."""
    if base == quote:
        return converter.book.rate(base, quote, _dt.date(year, 12, 31))
    period = (_dt.date(year, 1, 1), _dt.date(year, 12, 31))
    return converter.rate_for(base, quote, RatePolicy("average"), period=period)
