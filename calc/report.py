"""The report: pure functions from commitments to dataclasses, nothing formatted.

:func:`build_report` converts every disclosed amount into one currency under one
:class:`~calc.converter.RatePolicy`, groups the commitments into packages and sums them by
country, by company and by package. A *package* is what one company announced for one country
on one day, or what the commitments' ``package`` field groups; workers belong to their package,
so "commitment per worker trained" is a package's disclosed amount over its own workers, and a
country's or a company's figure counts only the packages that name workers and disclose an
amount (the rows are :mod:`calc.rows`'s; the filters :mod:`calc.select`'s).

Undisclosed amounts are counted as undisclosed, never as zero: a row with nothing disclosed has
``total`` None, no share, no per-worker figure, and is left out of the comparisons
(:attr:`Report.left_out`). Each row also has a calendar-year profile (:mod:`calc.years`): its
amounts with a spending period spread over it by days, which add up exactly to its
``dated_total``. All figures are unrounded :class:`~calc.money.Money`; rounding is for
:mod:`calc.render`. :meth:`Report.to_dict` gives the JSON structure documented in the README.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any, Literal

from rates import RateError, today

from .commitments import Commitment
from .converter import Conversion, Converter, RatePolicy, total_of
from .decimals import Rounding, check_rounding
from .errors import ReportError, add_context
from .format import territory_name
from .money import Money, validate_currency
from .provenance import cut_short
from .reference import CountryData, load_reference
from .rows import (
    CompanyRow,
    ConvertedCommitment,
    CountryRow,
    Figures,
    PackageRow,
    Row,
    find,
    group,
    package_id,
)
from .select import Filters, select
from .years import Profile

__all__ = [
    "GROUPINGS",
    "CompanyRow",
    "Comparison",
    "ConvertedCommitment",
    "CountryRow",
    "CountryView",
    "Figures",
    "Grouping",
    "PackageRow",
    "Report",
    "Row",
    "build_report",
    "package_id",
]

#: International-dollar totals: a division, to 28 significant digits.
_PPP_CONTEXT = Context(prec=28)

Grouping = Literal["country", "company", "package"]
#: What the rows of a report's main table can be.
GROUPINGS: tuple[Grouping, ...] = ("country", "company", "package")


@dataclass(frozen=True, slots=True)
class CountryView:
    """Per-capita and PPP figures of one country, with the data year behind each.

    :ivar per_capita: the disclosed total over the population (None: no population data, or
        nothing disclosed)
    :ivar local_total: the disclosed total in the local currency, at market rates, same policy
    :ivar ppp_total: ``local_total`` over the PPP factor, in international dollars
    :ivar note: why a figure is missing ("no data", "nothing disclosed", or the rate that is
        missing); '' if none is
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
    """A row against the largest: ``ratio`` = its total / the largest's; ``difference`` =
    largest - it. ``key`` and ``against`` are the rows' keys (:attr:`Figures.key`)."""

    key: str
    against: str
    ratio: Decimal | None
    difference: Money

    @property
    def country(self) -> str:
        """``key``: the country's code when the rows are countries."""
        return self.key


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report shows, unrounded.

    ``countries``, ``companies`` and ``packages`` are each sorted largest disclosed total
    first, rows with nothing disclosed last; ``by`` says which of them is the main table
    (:attr:`rows`), which ``comparisons`` compare. ``filters`` are the ``(kind, values)`` the
    commitments were chosen by. ``years``, ``dated_total`` and ``undated`` are the whole
    report's (see :class:`Figures`).
    """

    currency: str
    policy: RatePolicy
    countries: tuple[CountryRow, ...]
    comparisons: tuple[Comparison, ...]
    conversions: tuple[ConvertedCommitment, ...]
    total: Money | None
    overrides: tuple[str, ...] = ()
    views: tuple[CountryView, ...] = ()
    per_capita: bool = False
    ppp: bool = False
    companies: tuple[CompanyRow, ...] = ()
    packages: tuple[PackageRow, ...] = ()
    by: Grouping = "country"
    filters: Filters = ()
    years: Profile = ()
    dated_total: Money | None = None
    undated: Profile = ()
    undated_commitments: int = 0
    rounding: Rounding = "half-up"

    @property
    def rows(self) -> tuple[Row, ...]:
        """The rows of the main table: countries, companies or packages (``by``)."""
        return _main(self.by, self.countries, self.companies, self.packages)

    @property
    def largest(self) -> Row | None:
        """The row with the largest disclosed total; None when nothing is disclosed."""
        return next((row for row in self.rows if row.total is not None), None)

    @property
    def left_out(self) -> tuple[Row, ...]:
        """The rows with nothing disclosed: never compared, never the largest."""
        return tuple(row for row in self.rows if row.total is None)

    def row(self, key: str) -> Row:
        """A row of the main table by its key (:attr:`Figures.key`)."""
        return find(self.rows, key)

    def view(self, code: str) -> CountryView:
        """The per-capita / PPP view of a country (``per_capita=`` or ``ppp=`` asked for)."""
        for view in self.views:
            if view.country == code.upper():
                return view
        raise KeyError(code)

    def country(self, code: str) -> CountryRow:
        """The row of a country by its ISO code."""
        return find(self.countries, code.upper())

    def company(self, name: str) -> CompanyRow:
        """The row of a company by its name."""
        return find(self.companies, name)

    def package(self, id: str) -> PackageRow:
        """The row of a package by its id (``Microsoft/GB/2023-11-30``, :func:`package_id`)."""
        return find(self.packages, id)

    def to_frame(self, kind: str = "countries") -> Any:
        """A pandas DataFrame of ``countries`` (the main table), ``conversions`` or ``years``,
        with exact Decimal values and provenance columns (:func:`calc.frames.report_frame`)."""
        from .frames import report_frame

        return report_frame(self, kind)

    def _repr_html_(self) -> str:
        """The report as a notebook shows it: its tables in HTML (:func:`calc.html.report_html`)."""
        from .html import report_html

        return report_html(self, fragment=True)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready structure: Decimals as strings, dates ISO (schema ``spendcalc.report/2``)."""
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
    by: str = "country",
    companies: Iterable[str] = (),
    countries: Iterable[str] = (),
    categories: Iterable[str] = (),
    rounding: Rounding = "half-up",
) -> Report:
    """Convert every commitment into ``currency`` and compare the countries (or, with ``by``,
    the companies or the packages).

    ``overrides`` (``"TWD=34.7"``, ``"USD/TWD=32.1"``) and any a
    :class:`~calc.commitments.CommitmentSet` carries are given to the rate book first; where
    both give a currency a rate, ``overrides`` wins, with a warning naming both.
    ``rounding`` (``"half-up"`` or ``"half-even"``) is the rule every figure is shown by.
    ``per_capita`` adds each country's total per head of population; ``ppp`` its total in
    international dollars (converted to the local currency at market rates under the same
    policy, then divided by the PPP factor). Both use ``reference`` (default: the bundled World
    Bank 2024 data); a country without data shows "no data".

    ``companies``, ``countries`` and ``categories`` keep only the commitments they name (any
    case; a country by its code or English name); several of one kind are alternatives, and
    the kinds are all required (:func:`calc.select.select`).

    :raises ReportError: for an unknown policy or grouping, no commitments, or a filter that
        matches none (naming the value and the choices)
    :raises rates.RateError: if an amount has no rate; the message starts with its location
    """
    currency = validate_currency(currency)
    policy = RatePolicy.parse(policy)
    grouping = _grouping(by)
    items = list(commitments)
    if not items:
        raise ReportError("There are no commitments to report on.")
    items, filters = select(items, companies=companies, countries=countries, categories=categories)
    rounding = check_rounding(rounding)
    overrides = _overrides(tuple(getattr(commitments, "overrides", ())), tuple(overrides))
    converter = converter or Converter()
    if overrides:
        converter = Converter(converter.book.with_overrides(overrides))
    converted = tuple(_converted_item(converter, c, currency, policy) for c in items)
    grand, everything, country_rows, company_rows, package_rows = group(converted, _country)
    views: tuple[CountryView, ...] = ()
    if per_capita or ppp:
        if reference is None:
            reference = load_reference()
        by_country: dict[str, list[ConvertedCommitment]] = {}
        for item in converted:
            by_country.setdefault(item.commitment.country, []).append(item)
        views = tuple(
            _view(row, by_country[row.country], reference.get(row.country), converter, policy, ppp)
            for row in country_rows
        )
    return Report(
        currency, policy, country_rows,
        _comparisons(_main(grouping, country_rows, company_rows, package_rows)), converted, grand, tuple(overrides),
        views, per_capita, ppp, company_rows, package_rows, grouping, filters,
        everything.years, everything.dated_total, everything.undated,
        everything.undated_commitments, rounding,
    )  # fmt: skip


def _main(
    by: Grouping,
    countries: tuple[CountryRow, ...],
    companies: tuple[CompanyRow, ...],
    packages: tuple[PackageRow, ...],
) -> tuple[Row, ...]:
    """The rows of the main table of a report ``by`` country, company or package."""
    rows: dict[str, tuple[Row, ...]] = {
        "country": countries, "company": companies, "package": packages
    }  # fmt: skip
    return rows[by]


def _grouping(by: str) -> Grouping:
    for grouping in GROUPINGS:
        if grouping == str(by).strip().lower():
            return grouping
    raise ReportError(f"{by!r} is not a grouping; use country, company or package.")


def _comparisons(rows: Sequence[Row]) -> tuple[Comparison, ...]:
    """Every row with a disclosed total but the largest, against the largest."""
    disclosed = [(row.key, row.total) for row in rows if row.total is not None]
    if not disclosed:
        return ()
    against, largest = disclosed[0]
    return tuple(
        Comparison(key, against, total / largest if largest.amount else None, largest - total)
        for key, total in disclosed[1:]
    )


def _view(
    row: CountryRow,
    group: list[ConvertedCommitment],
    data: CountryData | None,
    converter: Converter,
    policy: RatePolicy,
    ppp: bool,
) -> CountryView:
    """The per-capita and PPP figures of `row`; with nothing disclosed, none (never zero)."""
    undisclosed = "nothing disclosed" if row.total is None else ""
    if data is None:
        note = "; ".join(filter(None, ["no data", undisclosed]))
        return CountryView(row.country, None, None, None, None, None, None, None, "", note)
    per_capita = row.total / data.population if data.population and row.total else None
    local_total: Money | None = None
    ppp_total: Decimal | None = None
    note = undisclosed
    # The PPP factor is in the currency the country used in its data year (HRK for Croatia's
    # 2022 factor, not the EUR it uses now).
    local = _local_currency(row.country, data.ppp_year) if data.ppp_year else row.local_currency
    if ppp and data.ppp is not None and local and row.total is not None:
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
        note = "; ".join(filter(None, ["no PPP data", undisclosed]))
    return CountryView(
        row.country, data.population, data.population_year, per_capita, local_total,
        data.ppp, ppp_total, data.ppp_year, data.source, note,
    )  # fmt: skip


def _overrides(in_file: tuple[str, ...], given: tuple[str, ...]) -> tuple[str, ...]:
    """The file's rates, then the ones given (which win); a warning for each currency both
    give a different rate, naming both."""
    if in_file and given:
        from rates import Override
        from rates.errors import RateWarning

        mine = {o.currency: o for o in map(Override.parse, given)}
        for text in in_file:
            theirs = Override.parse(text)
            chosen = mine.get(theirs.currency)
            if chosen is not None and chosen != theirs:
                import warnings

                warnings.warn(
                    f"--rate {chosen} is used for {theirs.currency} instead of the file's "
                    f"[rates] {theirs}.",
                    RateWarning,
                    stacklevel=3,
                )
    return (*in_file, *given)


def _converted_item(
    converter: Converter, c: Commitment, currency: str, policy: RatePolicy
) -> ConvertedCommitment:
    """The commitment with its conversion (None: undisclosed), and whether an average rate
    was cut short by the currency's coverage."""
    if c.amount is None:
        return ConvertedCommitment(c, None)
    conversion = _converted(converter, c, c.amount, currency, policy)
    book = converter.book
    partial = policy.kind == "average" and cut_short(
        conversion.rate, c, book.first_fixing, book.last_fixing
    )
    return ConvertedCommitment(c, conversion, partial)


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


def _country(code: str) -> dict[str, str | None]:
    """A country row's name (in English) and legal tender."""
    return {"name": territory_name(code, "en"), "local_currency": _local_currency(code)}


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
