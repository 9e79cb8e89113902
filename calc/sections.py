"""The text and Markdown sections of a report's fair comparisons: per head and at PPP, share of
GDP, how much the rate basis matters, real-terms cells, and the method note.

Each function takes the layout (:class:`calc.render.Layout`: the report, the locale, and how to
draw a table, an amount and a note) and gives the section's body; :mod:`calc.render` places
them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .format import babel_locale, format_integer, format_intl, format_number, territory_name
from .realterms import Deflated

if TYPE_CHECKING:
    from .converter import Conversion
    from .render import Layout
    from .report import Report

__all__ = [
    "deflator_cell",
    "gdp_section",
    "real_heading",
    "sensitivity_section",
    "views_section",
]

NO_DATA = "no data"
UNDISCLOSED = "undisclosed"
#: How to supply what the bundled data lack.
SUPPLY = (
    "A country without data says 'no data': give your own with --reference FILE, as rows of "
    "country,series,year,value (series population, ppp, gdp_usd or cpi_inflation) or of "
    "country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year."
)


def percent(value: Decimal, locale: str) -> str:
    """A share as a percentage to three significant digits, at least two decimals
    (``0.0947%``, ``21.73%``)."""
    from babel.numbers import format_percent  # babel on first use (start-up time)

    decimals = 2 if not value else min(max(2, 2 - value.scaleb(2).adjusted()), 12)
    return format_percent(value, "#,##0." + "0" * decimals + "%", locale=babel_locale(locale))


def with_year(text: str, year: int | None) -> str:
    """A figure and the year of its data: ``68,492,000 (2023)``."""
    return f"{text} ({year})" if year else text


def real_heading(report: Report) -> str:
    """The amount columns' currency: ``USD`` or ``USD, 2024 prices``."""
    if report.real is None:
        return report.currency
    return f"{report.currency}, {report.real.base} prices"


def views_section(layout: Layout) -> str:
    """Population and per-head figures, and PPP totals, each with the year of its data."""
    report, locale, compact = layout.report, layout.locale, layout.compact
    headers = ["Country"]
    if report.per_capita:
        headers += ["Population\n(data year)", f"Per head\n({real_heading(report)})"]
    if report.ppp:
        headers += [
            "Local total\n(market rates)",
            "PPP factor\n(LCU per Int$,\ndata year)",
            "PPP total\n(Int$)",
        ]
    rows = []
    for view in report.views:
        row = [territory_name(view.country, locale)]
        # Nothing disclosed: the amounts are undisclosed, whatever the reference data say.
        disclosed = report.country(view.country).total is not None
        missing = (view.note or NO_DATA) if disclosed else UNDISCLOSED
        if report.per_capita:
            population = NO_DATA
            if view.population:
                population = with_year(
                    format_integer(view.population, locale), view.population_year
                )
            row += [population, layout.money(view.per_capita) if view.per_capita else missing]
        if report.ppp:
            factor = NO_DATA
            if view.ppp_factor:
                factor = with_year(
                    format_number(view.ppp_factor, locale, "#,##0.####"), view.ppp_year
                )
            row += [
                layout.money(view.local_total) if view.local_total else missing,
                factor,
                format_intl(view.ppp_total, locale, compact)
                if view.ppp_total is not None
                else missing,
            ]
        rows.append(row)
    right = range(1, len(headers))
    text = layout.table(rows, headers, right=right, widths={i: 40 for i in right}, kind="views")
    notes = [
        "Data year: the latest year with data on or before the country's reference year (the "
        "year of its latest announcement; under a one-date or latest policy, that date's year)."
    ]
    if report.real is not None and report.ppp:
        notes.append("PPP totals are at current prices: a PPP factor is a price level already.")
    if any(not v.population and not v.ppp_factor for v in report.views):
        notes.append(SUPPLY)
    sources = sorted({s for v in report.views for s in v.source.split("; ") if s})
    if sources:
        notes.append("Source: " + layout.text("; ".join(sources)) + ".")
    return text + "\n\n" + "\n".join(layout.fill(n) for n in notes)


def gdp_section(layout: Layout, *, by_year: bool) -> str:
    """Each country's total as a share of its GDP, naming the GDP year; by year if asked."""
    report, locale = layout.report, layout.locale
    headers = ["Country", f"Disclosed total\n({report.currency},\ncurrent prices)",
               f"GDP\n({report.currency}, current)", "GDP\nyear", "Share\nof GDP"]  # fmt: skip
    rows, notes = [], []
    for share in report.share_of_gdp:
        name = territory_name(share.country, locale)
        missing = UNDISCLOSED if share.total is None else NO_DATA
        rows.append([
            name,
            layout.money(share.total) if share.total is not None else UNDISCLOSED,
            layout.money(share.gdp) if share.gdp is not None else NO_DATA,
            str(share.gdp_year or ""),
            percent(share.share, locale) if share.share is not None else missing,
        ])  # fmt: skip
        if share.note:
            notes.append(f"{name}: {share.note}.")
    text = layout.table(rows, headers, right=range(1, len(headers)))
    if by_year:
        text += "\n\n" + _gdp_years(layout)
        notes.append(
            "By year: each calendar year's amounts (those with a spending period, spread by "
            "days) over that year's GDP, or where it is not in the data over the latest year's "
            "before it, named in brackets; at the same rates as the total."
        )
    sources = sorted({s.source for s in report.share_of_gdp if s.source})
    if any(s.gdp is None for s in report.share_of_gdp):
        notes.append(SUPPLY)
    if sources:
        notes.append("Source: " + layout.text("; ".join(sources)) + ".")
    return text + ("\n\n" + "\n".join(layout.fill(n) for n in notes) if notes else "")


def _gdp_years(layout: Layout) -> str:
    report, locale = layout.report, layout.locale
    years = sorted({y.year for s in report.share_of_gdp for y in s.years})
    rows = []
    for share in report.share_of_gdp:
        found = {y.year: y for y in share.years}
        cells = [territory_name(share.country, locale)]
        for year in years:
            each = found.get(year)
            cell = ""
            if each is not None:
                cell = NO_DATA if each.share is None else percent(each.share, locale)
                if each.gdp_year is not None and each.gdp_year != year:
                    cell += f" ({each.gdp_year})"
            cells.append(cell)
        rows.append(cells)
    return layout.table(rows, ["Share of GDP", *map(str, years)], right=range(1, len(years) + 1))


def sensitivity_section(layout: Layout) -> str:
    """Each country's total under each rate basis, and the range from lowest to highest."""
    from .sensitivity import BASES

    report, locale = layout.report, layout.locale
    shown = [b for b in BASES if any(b == x.basis for s in report.sensitivity for x in s.bases)]
    latest = [b.fixings[1] for s in report.sensitivity for b in s.bases
              if b.basis == "latest" and b.fixings]  # fmt: skip
    labels = {
        "announced": "At announcement\ndate",
        "year_average": "Announcement\nyear's average",
        "latest": "Latest fixing" + (f"\n({latest[0]})" if latest else ""),
        "ppp": "At PPP" + ("\n(Int$ = USD)" if report.currency == "USD" else ""),
        "policy": "Report's\npolicy",
        "real": f"Real terms\n({report.real.base} prices)" if report.real else "Real terms",
    }
    headers = ["Country", *(labels[b] for b in shown), "Low–high", "High over\nlow"]
    rows, notes = [], []
    for each in report.sensitivity:
        name = territory_name(each.country, locale)
        if not each.bases:
            rows.append([name, *[UNDISCLOSED] * len(shown), "", ""])
            continue
        found = {b.basis: b for b in each.bases}
        cells = [name]
        for basis in shown:
            got = found.get(basis)
            cells.append("" if got is None else layout.money(got.total) if got.total else NO_DATA)
            if got is not None and got.total is None and got.note:
                notes.append(f"{name}, {got.label}: {got.note}.")
        span = f"{layout.money(each.low)} – {layout.money(each.high)}" if each.low else ""
        spread = f"+{percent(each.spread, locale)}" if each.spread is not None else ""
        rows.append([*cells, span, spread])
    text = layout.table(rows, headers, right=range(1, len(headers)))
    notes.insert(
        0,
        "Each basis converts every disclosed amount of the country anew: at its announcement "
        "date's fixing, at the average of its announcement year's fixings, at the latest "
        "fixing; at PPP, in its own currency at the report's rates over the PPP factor, in "
        "international dollars"
        + ("" if report.currency == "USD" else f" at the PPP factor of {report.currency}")
        + ". The range is from the lowest total to the highest.",
    )
    return text + "\n\n" + "\n".join(layout.fill(n) for n in notes)


def deflator_cell(conversion: Conversion, rate_text: str, locale: str) -> str:
    """A real-terms conversion's factor, its index and years, and (by the source method) the
    base year's rate: ``×1.021618 (CPI-U 2023-11 to 2024 average)``."""
    if not isinstance(conversion, Deflated):
        return ""
    factor = conversion.factor
    shown = f"×{format_number(factor.value, locale, '0.000000')}"
    text = f"{shown} ({factor.index} {factor.start} to {factor.base} average)"
    if conversion.method == "source" and conversion.rate.base != conversion.rate.quote:
        text += f", then {rate_text}"
    return text
