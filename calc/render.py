"""Layouts for people: a report as terminal text that fits, or as Markdown.

The numbers come formatted from :mod:`calc.format` (babel, an explicit ``locale=``), the tables
from :mod:`calc.table`; JSON and CSV are :mod:`calc.serialise`'s. The one-line descriptions
(:func:`describe_conversion`, :func:`describe_check`) live in :mod:`calc.describe`. Names formerly
defined here are still importable from here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from .describe import describe_check, describe_conversion, describe_rate, describe_rates_info
from .format import (
    babel_locale,
    format_integer,
    format_intl,
    format_money,
    format_number,
    format_percent,
    format_rate,
    territory_name,
)
from .table import table

if TYPE_CHECKING:
    from rates import Rate

    from .money import Money
    from .report import CountryRow, Report

__all__ = [
    "describe_check",
    "describe_conversion",
    "describe_rate",
    "describe_rates_info",
    "format_money",
    "format_rate",
    "render_report",
]


def render_report(
    report: Report, *, fmt: str = "table", locale: str = "en_US", compact: bool = False
) -> str:
    """The report as 'table' (terminal), 'markdown', 'csv' (the country table) or 'json'.

    :raises UnknownLocaleError: if babel does not know `locale`
    """
    babel_locale(locale)  # a bad --locale is an error whatever the format
    if fmt in ("json", "csv"):
        from . import serialise  # the JSON and CSV writers load only for those formats

        return serialise.report_json(report) if fmt == "json" else serialise.report_csv(report)
    if fmt not in ("table", "markdown"):
        raise ValueError(f"unknown report format {fmt!r}")
    return _Layout(report, markdown=fmt == "markdown", locale=locale, compact=compact).render()


class _Layout:
    """One report laid out as terminal text (``markdown=False``) or as Markdown."""

    def __init__(self, report: Report, *, markdown: bool, locale: str, compact: bool) -> None:
        self.report = report
        self.markdown = markdown
        self.locale = locale
        self.compact = compact

    def render(self) -> str:
        report = self.report
        title = f"Spending commitments in {report.currency} at ECB reference rates, "
        out = [
            ("# " if self.markdown else "") + title + report.policy.describe(),
            *self.section("By country", self.countries()),
            "",
            f"Grand total (disclosed): {self.money(report.total)}",
        ]
        if report.comparisons:
            largest = territory_name(report.countries[0].country, self.locale)
            out += self.section(f"Compared with {largest} (the largest)", self.comparisons())
        if report.views:
            out += self.section(_views_heading(report), self.views())
        out += self.section("Conversions behind the figures", self.conversions())
        out += ["", *self.notes()]
        return "\n".join(out) + "\n"

    def section(self, heading: str, body: str) -> list[str]:
        """A blank line, the heading, a blank line and the body."""
        return ["", f"## {heading}" if self.markdown else heading.upper(), "", body]

    def table(
        self,
        rows: list[list[str]],
        headers: list[str],
        right: Sequence[int],
        widths: Mapping[int, int] | None = None,
    ) -> str:
        return table(rows, headers, markdown=self.markdown, right=right, widths=widths)

    def money(self, money: Money | None) -> str:
        """`money` as the report shows amounts ('' for None)."""
        if money is None:
            return ""
        return format_money(money, locale=self.locale, compact=self.compact)

    def countries(self) -> str:
        headers = [
            "Country", "Local\ncurrency", "Commitments",
            f"Disclosed total\n({self.report.currency})", "Share", "Per year",
            "Workers\nto train", "Commitment per\nworker trained", "Training spend\nper worker",
        ]  # fmt: skip
        rows = [self.country_cells(row) for row in self.report.countries]
        return self.table(rows, headers, right=(3, 4, 5, 6, 7, 8))

    def country_cells(self, row: CountryRow) -> list[str]:
        locale, money = self.locale, self.money
        commitments = str(row.commitments)
        if row.undisclosed:
            commitments = f"{row.commitments} ({row.undisclosed} undisclosed)"
        per_year = "no period"
        if row.per_year:
            per_year = money(row.per_year) + ("" if row.per_year_complete else " (partial)")
        training = money(row.training_per_worker) if row.training_per_worker else ""
        if not row.training_per_worker and row.workers:
            training = "not disclosed"
        return [
            territory_name(row.country, locale),
            row.local_currency or "",
            commitments,
            money(row.total),
            format_percent(row.share, locale) if row.share is not None else "",
            per_year,
            format_integer(row.workers, locale) if row.workers else "",
            money(row.per_worker_trained) if row.per_worker_trained else "",
            training,
        ]

    def comparisons(self) -> str:
        report, locale = self.report, self.locale
        largest = report.countries[0].country
        rows = [
            [
                territory_name(c.country, locale),
                self.money(report.country(c.country).total),
                f"{format_number(c.ratio, locale)}×" if c.ratio is not None else "",
                self.money(c.difference),
            ]
            for c in report.comparisons
        ]
        headers = ["Country", "Total", f"Ratio to {largest}", f"{largest} is larger by"]
        return self.table(rows, headers, right=(1, 2, 3))

    def views(self) -> str:
        """Population and per-head figures, and PPP totals, each with its data year."""
        report, locale, compact = self.report, self.locale, self.compact

        def years(attr: str) -> str:
            found = sorted({getattr(v, attr) for v in report.views if getattr(v, attr)})
            return "/".join(map(str, found)) or "no"

        headers = ["Country"]
        if report.per_capita:
            headers += [f"Population\n({years('population_year')} data)",
                        f"Per head\n({report.currency})"]  # fmt: skip
        if report.ppp:
            headers += ["Local total\n(market rates)",
                        f"PPP factor ({years('ppp_year')},\nLCU per Int$)", "PPP total\n(Int$)"]  # fmt: skip
        rows = []
        for view in report.views:
            row = [territory_name(view.country, locale)]
            missing = view.note or "no data"
            if report.per_capita:
                row += [
                    format_integer(view.population, locale) if view.population else "no data",
                    self.money(view.per_capita) if view.per_capita else missing,
                ]
            if report.ppp:
                row += [
                    self.money(view.local_total) if view.local_total else missing,
                    format_number(view.ppp_factor, locale, "#,##0.####")
                    if view.ppp_factor
                    else "no data",
                    format_intl(view.ppp_total, locale, compact)
                    if view.ppp_total is not None
                    else missing,
                ]
            rows.append(row)
        notes = sorted({v.source for v in report.views if v.source})
        right = range(1, len(headers))
        text = self.table(rows, headers, right=right, widths={i: 40 for i in right})
        return text + ("\n\nSource: " + "; ".join(notes) if notes else "")

    def conversions(self) -> str:
        rows = [
            [
                item.commitment.country,
                item.commitment.category,
                item.commitment.description,
                item.commitment.announced_text,
                self.money(item.commitment.amount) if item.commitment.amount else "undisclosed",
                self.money(item.conversion.result) if item.conversion else "undisclosed",
                _rate_cell(item.conversion.rate) if item.conversion else "",
            ]
            for item in self.report.conversions
        ]
        headers = ["Country", "Category", "Description", "Announced", "Amount",
                   self.report.currency, "Rate (fixing, source)"]  # fmt: skip
        return self.table(rows, headers, right=(4, 5), widths={2: 40, 6: 60})

    def notes(self) -> list[str]:
        report = self.report
        stale = [i for i in report.conversions if i.conversion and i.conversion.rate.stale]
        notes = [
            "Undisclosed amounts are counted, never taken as zero. 'Commitment per worker trained' "
            "divides a country's disclosed total by the workers it pledges to train; 'training spend "
            "per worker' needs a disclosed training amount.",
            "Rates: European Central Bank euro reference rates; cross rates through EUR.",
        ]
        if stale:
            notes.append(
                f"{len(stale)} amount(s) use the last fixing known offline for a later date (stale); "
                "run `spendcalc rates update` or use --online."
            )
        if report.overrides:
            notes.append("Your own rates used: " + ", ".join(report.overrides) + ".")
        if self.markdown:
            return [f"- {n}" for n in notes]
        return [textwrap.fill(n, 100) for n in notes]


def _views_heading(report: Report) -> str:
    parts = (["per head"] if report.per_capita else []) + (
        ["at purchasing-power parity"] if report.ppp else []
    )
    text = " and ".join(parts)
    return text[0].upper() + text[1:]


def _rate_cell(rate: Rate) -> str:
    if rate.base == rate.quote:
        return "no conversion"
    fixing = (
        f"average of {rate.fixings} fixings {rate.period[0]}..{rate.period[1]}"
        if rate.period
        else str(rate.fixing_date)
    )
    source = rate.origin  # the average is said in `fixing` above
    stale = ", stale" if rate.stale else ""
    return f"1 {rate.base} = {format_rate(rate.value)} {rate.quote} ({fixing}, {source}{stale})"
