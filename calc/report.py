"""The per-country report: pure functions from commitments to dataclasses, nothing formatted.

:func:`build_report` converts every disclosed amount into one currency under one
:class:`~calc.converter.RatePolicy`, then sums by country. Undisclosed amounts are counted as
undisclosed, never as zero. All figures are unrounded :class:`~calc.money.Money`; rounding is
for :mod:`calc.render`. :meth:`Report.to_dict` gives the JSON structure documented in the README.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal

from rates import RateError, today

from .commitments import Commitment
from .converter import Conversion, Converter, RatePolicy, total_of
from .errors import ReportError, add_context
from .format import territory_name
from .money import Money, validate_currency
from .reference import CountryData, load_reference

#: International-dollar totals: a division, to 28 significant digits.
_PPP_CONTEXT = Context(prec=28)


@dataclass(frozen=True, slots=True)
class ConvertedCommitment:
    """A commitment and, if its amount is disclosed, its conversion."""

    commitment: Commitment
    conversion: Conversion | None


@dataclass(frozen=True, slots=True)
class CountryRow:
    """One country's figures in the report currency.

    :ivar total: the disclosed total (undisclosed amounts are not in it, and not zero)
    :ivar share: ``total`` over the grand total (None when nothing is disclosed anywhere)
    :ivar per_worker_trained: ``total`` / ``workers`` ("commitment per worker trained")
    :ivar training_per_worker: disclosed training spend / ``workers`` (None: not disclosed)
    :ivar per_year: sum of each disclosed amount over its period's years
    :ivar per_year_complete: every disclosed amount had a period
    """

    country: str
    name: str
    local_currency: str | None
    commitments: int
    disclosed: int
    undisclosed: int
    total: Money
    share: Decimal | None
    workers: int | None
    per_worker_trained: Money | None
    training_spend: Money | None
    training_per_worker: Money | None
    training_per_worker_per_year: Money | None
    per_year: Money | None
    per_year_complete: bool


@dataclass(frozen=True, slots=True)
class CountryView:
    """Per-capita and PPP figures of one country, with the data year behind each.

    :ivar per_capita: the disclosed total over the population (None: no population data)
    :ivar local_total: the disclosed total in the local currency, at market rates, same policy
    :ivar ppp_total: ``local_total`` over the PPP factor, in international dollars
    :ivar note: why a figure is missing ("no data", or the rate that is missing); '' if none is
    """

    country: str
    population: int | None
    population_year: int | None
    per_capita: Money | None
    local_total: Money | None
    ppp_factor: Decimal | None
    ppp_total: Decimal | None
    ppp_year: int | None
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Comparison:
    """A country against the largest: ``ratio`` = its total / the largest's; ``difference`` = largest - it."""

    country: str
    against: str
    ratio: Decimal | None
    difference: Money


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows, unrounded."""

    currency: str
    policy: RatePolicy
    countries: tuple[CountryRow, ...]
    comparisons: tuple[Comparison, ...]
    conversions: tuple[ConvertedCommitment, ...]
    total: Money
    overrides: tuple[str, ...] = ()
    views: tuple[CountryView, ...] = ()
    per_capita: bool = False
    ppp: bool = False

    def view(self, code: str) -> CountryView:
        """The per-capita / PPP view of a country (``per_capita=`` or ``ppp=`` asked for)."""
        for view in self.views:
            if view.country == code.upper():
                return view
        raise KeyError(code)

    def country(self, code: str) -> CountryRow:
        """The row of a country by its ISO code."""
        for row in self.countries:
            if row.country == code.upper():
                return row
        raise KeyError(code)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready structure: Decimals as strings, dates ISO (schema ``spendcalc.report/1``)."""
        from .serialise import report_dict  # json and csv load only for the machine formats

        return report_dict(self)


def build_report(
    commitments: Iterable[Commitment],
    *,
    currency: str = "USD",
    policy: str | RatePolicy = "announced",
    converter: Converter | None = None,
    overrides: Iterable[str] = (),
    per_capita: bool = False,
    ppp: bool = False,
    reference: Mapping[str, CountryData] | None = None,
) -> Report:
    """Convert every commitment into ``currency`` and compare the countries.

    ``overrides`` (``"TWD=34.7"``, ``"USD/TWD=32.1"``) and any a
    :class:`~calc.commitments.CommitmentSet` carries are given to the rate book first.
    ``per_capita`` adds each country's total per head of population; ``ppp`` its total in
    international dollars (converted to the local currency at market rates under the same
    policy, then divided by the PPP factor). Both use ``reference`` (default: the bundled World
    Bank 2024 data); a country without data shows "no data".

    :raises ReportError: for an unknown policy or no commitments
    :raises rates.RateError: if an amount has no rate; the message starts with its location
    """
    currency = validate_currency(currency)
    policy = RatePolicy.parse(policy)
    items = list(commitments)
    if not items:
        raise ReportError("There are no commitments to report on.")
    overrides = (*getattr(commitments, "overrides", ()), *overrides)
    converter = converter or Converter()
    if overrides:
        converter = Converter(converter.book.with_overrides(overrides))
    converted = tuple(
        ConvertedCommitment(c, _convert(converter, c, currency, policy)) for c in items
    )
    zero = Money(Decimal(0), currency)
    by_country: dict[str, list[ConvertedCommitment]] = {}
    for item in converted:
        by_country.setdefault(item.commitment.country, []).append(item)
    rows, grand = _country_rows(by_country, zero)
    comparisons = _comparisons(rows)
    views: tuple[CountryView, ...] = ()
    if per_capita or ppp:
        if reference is None:
            reference = load_reference()
        views = tuple(
            _view(row, by_country[row.country], reference.get(row.country), converter, policy, ppp)
            for row in rows
        )
    return Report(
        currency, policy, tuple(rows), comparisons, converted, grand, tuple(overrides),
        views, per_capita, ppp,
    )  # fmt: skip


def _country_rows(
    by_country: Mapping[str, list[ConvertedCommitment]], zero: Money
) -> tuple[list[CountryRow], Money]:
    """One row per country, the largest disclosed total first, and the grand total."""
    currency = zero.currency
    totals = {
        code: total_of((i.conversion for i in group if i.conversion), currency)
        for code, group in by_country.items()
    }
    grand = total_of(
        (i.conversion for group in by_country.values() for i in group if i.conversion), currency
    )
    rows = [
        _country_row(code, group, totals[code], grand, zero) for code, group in by_country.items()
    ]
    rows.sort(key=lambda r: (-r.total.amount, r.country))
    return rows, grand


def _comparisons(rows: list[CountryRow]) -> tuple[Comparison, ...]:
    """Every country but the largest against the largest."""
    largest = rows[0]
    return tuple(
        Comparison(
            row.country,
            largest.country,
            row.total / largest.total if largest.total.amount else None,
            largest.total - row.total,
        )
        for row in rows[1:]
    )


def _view(
    row: CountryRow,
    group: list[ConvertedCommitment],
    data: CountryData | None,
    converter: Converter,
    policy: RatePolicy,
    ppp: bool,
) -> CountryView:
    if data is None:
        return CountryView(row.country, None, None, None, None, None, None, None, "", "no data")
    per_capita = row.total / data.population if data.population and row.disclosed else None
    local_total: Money | None = None
    ppp_total: Decimal | None = None
    note = ""
    # The PPP factor is in the currency the country used in its data year (HRK for Croatia's
    # 2022 factor, not the EUR it uses now).
    local = _local_currency(row.country, data.ppp_year) if data.ppp_year else row.local_currency
    if ppp and data.ppp is not None and local and row.disclosed:
        try:
            local_total = total_of(
                (
                    _converted(converter, i.commitment, amount, local, policy)
                    for i in group
                    if i.conversion is not None and (amount := i.commitment.amount) is not None
                ),
                local,
            )
            ppp_total = _PPP_CONTEXT.divide(local_total.amount, data.ppp)
        except RateError as exc:
            local_total, note = None, f"no {local} rate: {exc}"
    elif ppp and data.ppp is None:
        note = "no PPP data"
    return CountryView(
        row.country, data.population, data.population_year, per_capita, local_total,
        data.ppp, ppp_total, data.ppp_year, data.source, note,
    )  # fmt: skip


def _convert(
    converter: Converter, c: Commitment, currency: str, policy: RatePolicy
) -> Conversion | None:
    return None if c.amount is None else _converted(converter, c, c.amount, currency, policy)


def _converted(
    converter: Converter, c: Commitment, amount: Money, currency: str, policy: RatePolicy
) -> Conversion:
    """`amount` (the commitment's) in `currency`; a missing rate names the commitment."""
    try:
        return converter.convert_under(
            amount, currency, policy, announced=c.announced, period=c.period,
            month=c.announced_month_only,
        )  # fmt: skip
    except RateError as exc:
        add_context(exc, where=c.location or c.company)
        raise


def _country_row(
    code: str, group: list[ConvertedCommitment], total: Money, grand: Money, zero: Money
) -> CountryRow:
    disclosed = [(i.commitment, i.conversion.result) for i in group if i.conversion is not None]
    workers = sum(i.commitment.workers or 0 for i in group) or None
    training = [result for c, result in disclosed if c.category == "training"]
    training_spend = sum(training, zero) if training else None
    training_years = [i.commitment.training_years for i in group if i.commitment.training_years]
    per_year_parts = [result / c.years for c, result in disclosed if c.years]
    training_per_worker = training_spend / workers if training_spend and workers else None
    return CountryRow(
        country=code,
        name=_country_name(code),
        local_currency=_local_currency(code),
        commitments=len(group),
        disclosed=len(disclosed),
        undisclosed=len(group) - len(disclosed),
        total=total,
        share=(total / grand) if grand.amount else None,
        workers=workers,
        per_worker_trained=total / workers if workers and disclosed else None,
        training_spend=training_spend,
        training_per_worker=training_per_worker,
        training_per_worker_per_year=(
            training_per_worker / max(training_years)
            if training_per_worker is not None and training_years
            else None
        ),
        per_year=sum(per_year_parts, zero) if per_year_parts else None,
        per_year_complete=bool(disclosed) and len(per_year_parts) == len(disclosed),
    )


def _country_name(code: str, locale: str = "en") -> str:
    return territory_name(code, locale)


def _local_currency(code: str, year: int | None = None) -> str | None:
    """The country's legal tender today, or in the middle of ``year``."""
    from babel.numbers import get_territory_currencies  # babel on first use (start-up time)

    on = _dt.date(year, 7, 1) if year else today()
    found = get_territory_currencies(code, on, tender=True)
    return found[0] if found else None


def __getattr__(name: str) -> object:
    """``check_conversion`` and ``CheckResult`` from their old home (now :mod:`calc.check`),
    imported only when asked for (start-up time)."""
    if name in ("check_conversion", "CheckResult"):
        from . import check

        return getattr(check, name)
    raise AttributeError(f"module 'calc.report' has no attribute {name!r}")
