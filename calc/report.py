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

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from .commitments import Commitment
from .converter import Conversions, Converter, RatePolicy
from .decimals import Rounding, check_rounding
from .errors import ReportError
from .format import territory_name
from .money import Money, validate_currency
from .provenance import cut_short
from .realterms import CPI_U_CITATION, deflate
from .records import record
from .reference import CountryData, ReferenceData, load_reference
from .rows import (
    CompanyRow,
    ConvertedCommitment,
    CountryRow,
    Figures,
    Later,
    PackageRow,
    Row,
    find,
    group,
    later,
    package_id,
)
from .select import Filters, select
from .views import CountryView, converted, country_view, local_currency, reference_date
from .years import Profile

if TYPE_CHECKING:
    from rates import Rate

    from .gdp import GdpShare
    from .realterms import RealTerms
    from .sensitivity import Sensitivity

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

Grouping = Literal["country", "company", "package"]
#: What the rows of a report's main table can be.
GROUPINGS: tuple[Grouping, ...] = ("country", "company", "package")


@record
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


@record
class Report(Later):
    """Everything a report shows, unrounded.

    ``countries``, ``companies`` and ``packages`` are each sorted largest disclosed total
    first, rows with nothing disclosed last; ``by`` says which of them is the main table
    (:attr:`rows`), which ``comparisons`` compare. ``filters`` are the ``(kind, values)`` the
    commitments were chosen by. ``years``, ``dated_total`` and ``undated`` are the whole
    report's (see :class:`Figures`). ``real`` says what the real terms are (None: current
    prices); ``share_of_gdp`` and ``sensitivity`` are per country, when asked for; ``sources``
    cite the reference data the figures use (World Bank series with their vintages, BLS).
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
    real: RealTerms | None = None
    share_of_gdp: tuple[GdpShare, ...] = ()
    sensitivity: tuple[Sensitivity, ...] = ()
    sources: tuple[str, ...] = ()

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


def _report_years(report: Report, everything: Figures) -> Profile:
    """The whole report's calendar years: those of its figures (:func:`calc.rows.group`)."""
    return everything.years


#: What a report works out when first read (:class:`calc.rows.Later`).
Report.LATER = {"years": _report_years}


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
    real: int | str | None = None,
    deflator: str = "target",
    share_of_gdp: bool = False,
    sensitivity: bool = False,
    converted: Callable[[Report], object] | None = None,
    packaged: Callable[[Report], object] | None = None,
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
    Bank data, :func:`calc.reference.load_reference`), the latest year on or before each
    country's reference year (:func:`calc.views.reference_date`); a country without data shows
    "no data".

    ``real`` (a year, or ``"latest"``: the last year every index needed has) expresses every
    figure in constant prices of that year, by ``deflator`` ``"target"`` (convert, then the
    report currency's price index) or ``"source"`` (each amount's own currency's index, then the
    year's average rate): see :mod:`calc.realterms`. ``share_of_gdp`` adds each country's total
    (and calendar years) as a share of its GDP (:mod:`calc.gdp`); ``sensitivity`` its total
    under each rate basis (:mod:`calc.sensitivity`).

    ``companies``, ``countries`` and ``categories`` keep only the commitments they name (any
    case; a country by its code or English name); several of one kind are alternatives, and
    the kinds are all required (:func:`calc.select.select`).

    ``converted``, if given, is called with a report of the conversions alone (no rows, totals
    or comparisons) as soon as they are made, before the rows are grouped: the CLI draws their
    table from it in a second process meanwhile (:mod:`calc.parallel`). ``packaged``, likewise,
    with a report of the conversions and the package rows alone, as soon as those are made,
    before the countries and companies are summed (its package rows' shares are not to be read).

    :raises ReportError: for an unknown policy or grouping, no commitments, a filter that
        matches none (naming the value and the choices), or a base year outside the data
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
    rates: dict[tuple[object, ...], Rate] = {}  # the rates found, for the next amounts
    results = Conversions()  # and the conversions made at them
    items_converted = tuple(
        [_converted_item(converter, c, currency, policy, rates, results) for c in items]
    )

    @cache
    def data() -> ReferenceData:  # the reference data load only when a figure needs them
        return load_reference() if reference is None else ReferenceData.from_countries(reference)

    terms = None
    if real is not None:
        items_converted, terms = deflate(
            items_converted, real=real, method=deflator, currency=currency, converter=converter,
            reference=data,
        )  # fmt: skip
    if converted is not None:
        alone = Report(currency, policy, (), (), items_converted, None, tuple(overrides),
                       by=grouping, filters=filters, rounding=rounding, real=terms)  # fmt: skip
        converted(alone)

    def with_packages(rows: tuple[PackageRow, ...]) -> None:
        assert packaged is not None
        packaged(Report(currency, policy, (), (), items_converted, None, tuple(overrides),
                        packages=rows, by=grouping, filters=filters, rounding=rounding,
                        real=terms))  # fmt: skip

    grand, everything, country_rows, company_rows, package_rows = group(
        items_converted, _country, None if packaged is None else with_packages
    )
    views, shares, bases = _by_country(
        country_rows, items_converted, data, converter, currency, policy,
        per_capita=per_capita, ppp=ppp, share_of_gdp=share_of_gdp, sensitivity=sensitivity,
        real=terms is not None,
    )  # fmt: skip
    sources = _sources(data, terms, per_capita=per_capita, ppp=ppp or sensitivity,
                       gdp=share_of_gdp)  # fmt: skip
    report = Report(
        currency, policy, country_rows,
        _comparisons(_main(grouping, country_rows, company_rows, package_rows)), items_converted,
        grand, tuple(overrides), views, per_capita, ppp, company_rows, package_rows, grouping,
        filters, (), everything.dated_total, everything.undated,
        everything.undated_commitments, rounding, terms, shares, bases, sources,
    )  # fmt: skip
    # The calendar years only when a figure needs them (--by-year, JSON).
    return later(report, everything)


def _by_country(
    rows: Sequence[CountryRow],
    items: Sequence[ConvertedCommitment],
    reference: Callable[[], ReferenceData],
    converter: Converter,
    currency: str,
    policy: RatePolicy,
    *,
    per_capita: bool,
    ppp: bool,
    share_of_gdp: bool,
    sensitivity: bool,
    real: bool,
) -> tuple[tuple[CountryView, ...], tuple[GdpShare, ...], tuple[Sensitivity, ...]]:
    """The per-country extras asked for: views, shares of GDP, sensitivity."""
    if not (per_capita or ppp or share_of_gdp or sensitivity):
        return (), (), ()
    from .gdp import gdp_share
    from .sensitivity import sensitivity as bases_of

    groups: dict[str, list[ConvertedCommitment]] = {}
    for item in items:
        groups.setdefault(item.commitment.country, []).append(item)
    views, shares, bases = [], [], []
    for row in rows:
        group = groups[row.country]
        on = reference_date(group, policy, converter.book.last_fixing)
        view = None
        if per_capita or ppp:
            view = country_view(row, group, reference(), on.year, converter, policy, ppp)
            views.append(view)
        if share_of_gdp:
            shares.append(gdp_share(row.country, group, reference(), on, currency=currency,
                                    converter=converter, policy=policy))  # fmt: skip
        if sensitivity:
            if not ppp:  # the PPP basis needs the PPP figures
                view = country_view(row, group, reference(), on.year, converter, policy, True)
            bases.append(bases_of(row, group, currency=currency, converter=converter,
                                  policy=policy, view=view, reference=reference, real=real))  # fmt: skip
    return tuple(views), tuple(shares), tuple(bases)


def _sources(
    reference: Callable[[], ReferenceData], terms: RealTerms | None, *, per_capita: bool,
    ppp: bool, gdp: bool,
) -> tuple[str, ...]:  # fmt: skip
    """The citations of the reference data a report's figures use: World Bank series with
    their vintages, and the BLS's CPI-U."""
    used = ["population"] if per_capita else []
    used += ["ppp"] if ppp else []
    used += ["gdp_usd"] if gdp else []
    currencies = {currency for currency, _name, _citation in terms.indices} if terms else set()
    used += ["cpi_inflation"] if currencies - {"USD"} else []
    cited = [reference().source(series) for series in used]
    return (*cited, *([CPI_U_CITATION] if "USD" in currencies else []))


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
    converter: Converter,
    c: Commitment,
    currency: str,
    policy: RatePolicy,
    rates: dict[tuple[object, ...], Rate] | None = None,
    results: Conversions | None = None,
) -> ConvertedCommitment:
    """The commitment with its conversion (None: undisclosed), and whether an average rate
    was cut short by the currency's coverage."""
    amount = c.amount
    if amount is None:
        return ConvertedCommitment.made(c, None)
    conversion = converted(converter, c, amount, currency, policy, rates, results)
    partial = False
    if policy.kind == "average":
        book = converter.book
        partial = cut_short(conversion.rate, c, book.first_fixing, book.last_fixing)
    # A range's high end at the same rate as its low end.
    high = None
    if c.high is not None:
        rate = conversion.rate
        at_rate = Converter.at_rate if results is None else results.at_rate
        high = at_rate(c.high, rate)
    return ConvertedCommitment.made(c, conversion, partial, high)


def _country(code: str) -> dict[str, str | None]:
    """A country row's name (in English) and legal tender."""
    return {"name": territory_name(code, "en"), "local_currency": local_currency(code)}


def __getattr__(name: str) -> object:
    """``check_conversion`` and ``CheckResult`` from their old home (now :mod:`calc.check`),
    imported only when asked for (start-up time)."""
    if name in ("check_conversion", "CheckResult"):
        from . import check

        return getattr(check, name)
    raise AttributeError(f"module 'calc.report' has no attribute {name!r}")
