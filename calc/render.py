"""Layouts for people: a report as terminal text that fits, or as Markdown.

The numbers come formatted from :mod:`calc.format` (babel, an explicit ``locale=``), the tables
from :mod:`calc.table`; JSON and CSV are :mod:`calc.serialise`'s. The one-line descriptions
(:func:`describe_conversion`, :func:`describe_check`) live in :mod:`calc.describe`. Names formerly
defined here are still importable from here.
"""

from __future__ import annotations

import gc
import re
import textwrap
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from . import sections
from .decimals import EXACT, ROUNDING_RULES, Rounding
from .describe import describe_check, describe_conversion, describe_rate, describe_rates_info
from .format import (
    babel_locale,
    format_integer,
    format_money,
    format_number,
    format_percent,
    format_rate,
    format_rate_for,
    territory_name,
)
from .method import method_note
from .money import Money
from .parallel import Later
from .provenance import (
    at_announcement,
    does_not_foot,
    ranking_note,
    rounding_note,
    title,
)
from .realterms import nominal
from .rows import CompanyRow, CountryRow, PackageRow, worded_note
from .safetext import for_markdown, for_terminal
from .table import table

if TYPE_CHECKING:
    from rates import Rate

    from .converter import Conversion
    from .report import Report
    from .rows import ConvertedCommitment, Figures, Row

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
    report: Report,
    *,
    fmt: str = "table",
    locale: str = "en_US",
    compact: bool = False,
    by_year: bool = False,
    rows: str = "main",
    width: int | None = None,
    conversions: Later[Piece] | None = None,
    packages: Later[Piece] | None = None,
) -> str:
    """The report as 'table' (terminal), 'markdown', 'csv' or 'json'.

    ``by_year`` adds the calendar-year profile: a table in text, a column per year in CSV
    (JSON always has it). CSV holds the main table, or with ``rows="conversions"`` one row
    per commitment with its conversion and provenance. ``width`` (table only) is the most a
    line may take: descriptions wrap, sources are shortened, and the least important columns
    are left out, in a stated order, with a note naming them (see :data:`DROP_ORDER`).
    ``conversions`` is the conversions table of a table or Markdown report being drawn by a
    second process (:func:`drawn_apart`, started by :func:`calc.parallel.started`), taken from
    it when it is placed (if the child failed, drawn here); ``packages`` likewise the table of
    the packages naming workers.

    :raises UnknownLocaleError: if babel does not know `locale`
    """
    babel_locale(locale)  # a bad --locale is an error whatever the format
    if rows not in ("main", "conversions"):
        raise ValueError(f"unknown rows {rows!r}; use 'main' or 'conversions'")
    # The text is made of many small lists and tuples that live until it is joined, and none
    # of them in a cycle: the collector waits until it is written, not to scan them again and
    # again (a big report's tables: a sixth of the time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _rendered(report, fmt, locale, compact, by_year, rows, width, conversions, packages)
    finally:
        if enabled:
            gc.enable()


def _rendered(
    report: Report,
    fmt: str,
    locale: str,
    compact: bool,
    by_year: bool,
    rows: str,
    width: int | None,
    conversions: Later[Piece] | None = None,
    packages: Later[Piece] | None = None,
) -> str:
    if fmt in ("json", "csv"):
        from . import serialise  # the JSON and CSV writers load only for those formats

        if fmt == "json":
            return serialise.report_json(report)
        if rows == "conversions":
            return serialise.conversions_csv(report)
        return serialise.report_csv(report, by_year=by_year)
    if fmt == "html":
        from .html import report_html  # only for a page (start-up time)

        return report_html(report, locale=locale, compact=compact, by_year=by_year)
    if fmt not in ("table", "markdown"):
        raise ValueError(f"unknown report format {fmt!r}")
    layout = _layout(report, fmt, locale, compact, width)
    return layout.render(by_year=by_year, conversions=conversions, packages=packages)


def _layout(report: Report, fmt: str, locale: str, compact: bool, width: int | None) -> Layout:
    """The layout of a 'table' or 'markdown' report (Markdown has no width)."""
    return Layout(
        report, markdown=fmt == "markdown", locale=locale, compact=compact,
        width=None if fmt == "markdown" else width,
    )  # fmt: skip


#: A table drawn apart: its text, the columns it left out to fit the width, and whether its
#: lines are all printable (as :meth:`Layout.render` checks the whole text: the process that
#: draws it checks it).
Piece = tuple[str, list[tuple[str, str]], bool]


def drawn_apart(
    report: Report,
    table: str,
    *,
    fmt: str = "table",
    locale: str = "en_US",
    compact: bool = False,
    width: int | None = None,
) -> Piece:
    """A table of `report` as :func:`render_report` (same options) draws it, and the columns
    it left out: what a second process hands back while the rest is drawn. `table` is
    "conversions" (`report` need hold only its conversions: the ``converted`` report of
    :func:`calc.report.build_report`) or "packages", those naming workers (the ``packaged``
    report is enough)."""
    return _layout(report, fmt, locale, compact, width).piece(table)


#: Which columns a table leaves out first when the terminal is too narrow, by header.
DROP_ORDER = {
    "main": ("Local currency", "Countries", "Training spend per worker", "Commitments"),
    "conversions": ("Category", "Announced", "Company", "Description"),
    "packages": ("Announced", "Training spend per worker"),
    "views": ("Local total (market rates)",),
}
#: The shortest width spendcalc lays a report out for.
NARROWEST = 60
#: What a row with nothing disclosed shows for an amount, a share or a ratio: never a zero.
UNDISCLOSED = "undisclosed"
_HEADINGS = {"country": "By country", "company": "By company", "package": "By package"}
#: The per-worker headers of countries and companies, which count only some packages.
_NAMING_WORKERS = "\n(packages naming\nworkers)"


def _printable(text: str) -> bool:
    """Whether every line of `text` is printable (no character but its line breaks is not)."""
    return text.replace("\n", "").isprintable()


class Layout:
    """One report laid out as terminal text (``markdown=False``) or as Markdown."""

    def __init__(
        self,
        report: Report,
        *,
        markdown: bool,
        locale: str,
        compact: bool,
        width: int | None = None,
    ) -> None:
        self.report = report
        self.markdown = markdown
        self.locale = locale
        self.compact = compact
        self.width = None if width is None else max(width, NARROWEST)
        #: The headers of the columns left out to fit ``width``, and of which table.
        self.left_out: list[tuple[str, str]] = []
        self._money_text: dict[str, MoneyText] = {}
        self._counts: dict[int, str] = {}
        #: The rate cells written (:meth:`rate_cell`), by the rate's id: the rate, and its cells
        #: by the id of the amount converted (and whether the rate is cut short): the amount,
        #: the result and the cell (each held: an id stays its own).
        self._rate_cells: dict[
            int, tuple[Rate, dict[tuple[int, bool], tuple[Money, Money, str]]]
        ] = {}

    def render(
        self,
        *,
        by_year: bool = False,
        conversions: Later[Piece] | None = None,
        packages: Later[Piece] | None = None,
    ) -> str:
        """The report's text; its conversions table from `conversions` and its table of the
        packages naming workers from `packages` if given (second processes drawing them),
        else drawn here."""
        try:
            return self._render(by_year, conversions or Later(), packages or Later())
        finally:
            for piece in (conversions, packages):
                if piece is not None:
                    piece.close()

    def piece(self, table: str) -> Piece:
        """The table "conversions" or "packages" (those naming workers), the columns it left
        out to fit the width, and whether its lines are all printable."""
        before = len(self.left_out)
        text = self.conversions() if table == "conversions" else self.packages_naming_workers()
        dropped = self.left_out[before:]
        del self.left_out[before:]  # (added where the table is placed, by whichever process)
        return text, dropped, self.markdown or _printable(text)

    def placed(self, drawing: Later[Piece], table: str) -> tuple[str, bool]:
        """The table from its second process (or drawn here), its columns left out in order."""
        text, dropped, printable = drawing.result(lambda: self.piece(table))
        self.left_out += dropped
        return text, printable

    def _render(self, by_year: bool, conversions_piece: Later[Piece],
                packages_piece: Later[Piece]) -> str:  # fmt: skip
        report = self.report
        out = [("# " if self.markdown else "") + title(report)]
        if self.width is not None:
            out = [self.fill(out[0])]
        announced = at_announcement(report)
        if announced:
            out.append(self.fill(self.text(_at_announcement_line(announced))))
        if report.filters:
            out.append(self.text(_filters_line(report)))
        out += self.section(_HEADINGS[report.by], self.rows())
        out += ["", self.grand_total()]
        largest = report.largest
        if report.comparisons and largest is not None:
            heading = f"Compared with {self.text(self.name(largest))} (the largest)"
            out += self.section(heading, self.comparisons(largest))
            ranking = ranking_note(report)
            if ranking:
                out += ["", self.fill(ranking)]
        if report.left_out:
            left = "left out of the comparison" if report.comparisons else "not compared"
            out += [
                "",
                *(
                    f"{self.text(self.name(row))}: nothing disclosed, {left}."
                    for row in report.left_out
                ),
            ]
        if by_year:
            out += self.section("By calendar year", self.years())
        workers, printable = "", True
        if report.by != "package" and any(p.workers for p in report.packages):
            workers, printable = self.placed(packages_piece, "packages")
            out += self.section("Workers to train, by package", workers)
        if report.views:
            out += self.section(_views_heading(report), sections.views_section(self))
        if report.share_of_gdp:
            out += self.section("Share of GDP", sections.gdp_section(self, by_year=by_year))
        if report.sensitivity:
            out += self.section(
                "How much the rate basis matters", sections.sensitivity_section(self)
            )
        conversions, printed = self.placed(conversions_piece, "conversions")
        printable = printable and printed
        out += self.section("Conversions behind the figures", conversions)
        out += ["", *self.notes()]
        out += self.section("Method", self.fill(method_note(report)))
        if self.left_out:
            out.append(self.fill(_left_out_line(self.left_out, self.width)))
        if self.width is not None and any(
            _ECB_LONG in i.conversion.rate.origin for i in report.conversions if i.conversion
        ):
            out.append(self.fill(f"ECB: {_ECB_LONG}."))
        text = "\n".join(out) + "\n"
        # Nothing of spendcalc's own holds a control character but the line breaks: in the
        # terminal, any other that reached a line from a file is shown escaped.
        if self.markdown or (
            printable
            and all(_printable(p) for p in out if p is not conversions and p is not workers)
        ):
            return text  # (the usual report: every line printable, nothing to escape, at once)
        return "\n".join(map(for_terminal, text.split("\n")))

    def text(self, untrusted: str) -> str:
        """Text from a file or the user, escaped for Markdown (or, in the terminal, its
        controls and bidi characters shown escaped)."""
        return for_markdown(untrusted) if self.markdown else for_terminal(untrusted)

    def section(self, heading: str, body: str) -> list[str]:
        """A blank line, the heading, a blank line and the body."""
        return ["", f"## {heading}" if self.markdown else heading.upper(), "", body]

    def table(
        self,
        rows: list[list[str]],
        headers: list[str],
        right: Sequence[int],
        widths: Mapping[int, int] | None = None,
        kind: str = "",
    ) -> str:
        order = DROP_ORDER.get(kind, ())
        flat = [" ".join(h.split()) for h in headers]
        drop = [i for name in order for i, header in enumerate(flat) if header.startswith(name)]
        left: list[str] = []
        text = table(
            rows, headers, markdown=self.markdown, right=right, widths=widths,
            width=self.width, drop=drop, left_out=left,
        )  # fmt: skip
        self.left_out += [(kind, name) for name in left]
        return text

    def money(self, money: Money | None) -> str:
        """`money` as the report shows amounts ('' for None): :func:`calc.format.format_money`,
        in the locale, by the report's rounding rule (through :class:`MoneyText`)."""
        if money is None:
            return ""
        shapes = self._money_text.get(money.currency)
        if shapes is None:
            shapes = MoneyText(money.currency, self.locale, self.report.rounding, self.compact)
            self._money_text[money.currency] = shapes
        found = shapes.written.get(id(money.amount))  # (MoneyText.format's first look, at once)
        return shapes.format(money) if found is None else found[1]

    def count(self, number: int) -> str:
        """A whole number as the locale groups it (:func:`calc.format.format_integer`), each
        count written once however many rows give it."""
        shown = self._counts.get(number)
        if shown is None:
            shown = self._counts[number] = format_integer(number, self.locale)
        return shown

    def amount(self, money: Money | None) -> str:
        """A total: `money`, or "undisclosed" (None is never shown as a number)."""
        return UNDISCLOSED if money is None else self.money(money)

    def name(self, row: Row) -> str:
        """What a row is of, for people: a country's name, a company, or a package."""
        if isinstance(row, CountryRow):
            return territory_name(row.country, self.locale)
        if isinstance(row, CompanyRow):
            return row.company
        return f"{row.company}, {row.country}, {row.label or row.announced_text}"

    def worded(self, qualifier: str | None, low: Money | None, high: Money | None) -> str:
        """An amount as the press worded it: "up to $5.00B", "$1.50B+", "£2.00B–£3.00B"."""
        shown = self.money(low)
        if high is not None:
            shown = f"{shown}–{self.money(high)}"
        if qualifier == "+":
            return shown + "+"
        return f"{qualifier} {shown}" if qualifier else shown

    def grand_total(self) -> str:
        report = self.report
        if report.total is None:
            return "Grand total: nothing disclosed"
        text = f"Grand total (disclosed): {self.money(report.total)}"
        everything = [i for i in report.conversions if i.high is not None]
        if everything:
            from .rows import total_with_high_ends

            high = total_with_high_ends(report.conversions)
            text += f" (with each range at its high end: {self.money(high)})"
        return text

    def rows(self) -> str:
        """The main table: a row per country, company or package (``report.by``)."""
        report = self.report
        labelled = any(p.label for p in report.packages)
        naming = "" if report.by == "package" else _NAMING_WORKERS
        lead = {
            "country": ["Country", "Local\ncurrency"],
            "company": ["Company", "Countries"],
            "package": ["Company", "Country", "Announced", *(["Package"] if labelled else [])],
        }[report.by]
        headers = [
            *lead, "Commitments", f"Disclosed total\n({sections.real_heading(report)})", "Share",
            "Workers\nto train", "Commitment per\nworker trained" + naming,
            "Training spend\nper worker" + naming,
        ]  # fmt: skip
        rows = [[*self.lead_cells(row, labelled), *self.figure_cells(row)] for row in report.rows]
        if any(row.high_total is not None for row in report.rows):  # ranges: low and high ends
            at = len(lead) + 2
            headers.insert(at, "With ranges at\ntheir high end")
            for cells, row in zip(rows, report.rows, strict=True):
                cells.insert(at, self.money(row.high_total) if row.high_total else "")
        return self.table(rows, headers, right=range(len(lead) + 1, len(headers)), kind="main")

    def lead_cells(self, row: Row, labelled: bool) -> list[str]:
        if isinstance(row, CountryRow):
            return [territory_name(row.country, self.locale), row.local_currency or ""]
        if isinstance(row, CompanyRow):
            return [row.company, ", ".join(row.countries)]
        return [row.company, row.country, row.announced_text, *([row.label] if labelled else [])]

    def figure_cells(self, row: Figures) -> list[str]:
        commitments = str(row.commitments)
        if row.undisclosed:
            commitments = f"{row.commitments} ({row.undisclosed} undisclosed)"
        share = UNDISCLOSED if row.total is None else ""
        if row.share is not None:
            share = format_percent(row.share, self.locale)
        return [
            commitments,
            self.amount(row.total),
            share,
            *self.worker_cells(row),
        ]

    def worker_cells(self, row: Figures) -> list[str]:
        """Workers, commitment per worker trained and training spend per worker."""
        workers = row.workers
        if not workers:
            return [
                "",
                self.money(row.per_worker_trained) if row.per_worker_trained else "",
                self.money(row.training_per_worker) if row.training_per_worker else "",
            ]
        per_worker, training = row.per_worker_trained, row.training_per_worker
        return [
            self.count(workers),
            self.money(per_worker) if per_worker else "not disclosed",
            self.money(training) if training else "not disclosed",
        ]

    def comparisons(self, largest: Row) -> str:
        report, locale = self.report, self.locale
        against = largest.key if isinstance(largest, CountryRow) else self.name(largest)
        if isinstance(largest, PackageRow):  # named in the heading; too long for a column
            against = "the largest"
        rows = [
            [
                self.name(report.row(c.key)),
                self.money(report.row(c.key).total),
                f"{format_number(c.ratio, locale)}×" if c.ratio is not None else "",
                self.money(c.difference),
            ]
            for c in report.comparisons
        ]
        headers = [report.by.capitalize(), "Total", f"Ratio to {against}",
                   f"{against[0].upper()}{against[1:]} is larger by"]  # fmt: skip
        return self.table(rows, headers, right=(1, 2, 3))

    def years(self) -> str:
        """The calendar-year profile: a row per row of the main table, a column per year."""
        report = self.report
        shown = [year for year, _money in report.years]
        span = list(range(shown[0], shown[-1] + 1)) if shown else []
        headers = [report.by.capitalize(), *map(str, span), "Dated total",
                   "Without a period\n(announced)*"]  # fmt: skip
        rows = [self.year_cells(self.name(row), row, span) for row in report.rows]
        if len(report.rows) > 1:
            rows.append(self.year_cells("All", report, span))
        text = self.table(rows, headers, right=range(1, len(headers)))
        return text + "\n\n" + "\n".join(self.fill(n) for n in _years_notes(report))

    def year_cells(self, name: str, row: Figures | Report, span: list[int]) -> list[str]:
        years = dict(row.years)
        dated = self.money(row.dated_total)
        if row.total is None:
            dated = UNDISCLOSED
        undated = ", ".join(f"{self.money(m)} ({year}*)" for year, m in row.undated)
        return [name, *(self.money(years.get(year)) for year in span), dated, undated]

    def packages_naming_workers(self) -> str:
        """The packages that name workers, each with its own per-worker figures."""
        labelled = any(p.label for p in self.report.packages)
        amount, worker_cells = self.amount, self.worker_cells
        if labelled:
            rows = [
                [p.company, p.country, p.announced_text, p.label, amount(p.total),
                 *worker_cells(p)]
                for p in self.report.packages
                if p.workers
            ]  # fmt: skip
        else:
            rows = [
                [p.company, p.country, p.announced_text, amount(p.total), *worker_cells(p)]
                for p in self.report.packages
                if p.workers
            ]
        headers = ["Company", "Country", "Announced", *(["Package"] if labelled else []),
                   f"Disclosed total\n({sections.real_heading(self.report)})", "Workers\nto train",
                   "Commitment per\nworker trained", "Training spend\nper worker"]  # fmt: skip
        first = 4 if labelled else 3
        return self.table(rows, headers, right=range(first, len(headers)), kind="packages")

    def conversions(self) -> str:
        real = self.report.real
        rows = []
        money = self.money
        for item in self.report.conversions:
            c, conversion = item.commitment, item.conversion
            qualifier = c.qualifier
            amount = UNDISCLOSED
            if c.amount:
                high = c.high
                amount = (
                    money(c.amount)  # (what worded makes of an amount without words or range)
                    if qualifier is None and high is None
                    else self.worded(qualifier, c.amount, high)
                )
                if c.press_conversion:
                    amount += f" (the text: {money(c.press_conversion)})"
            converted, rate = UNDISCLOSED, ""
            if conversion:
                at = nominal(conversion)
                high_end = item.high.result if item.high else None
                converted = (
                    money(at.result)
                    if qualifier is None and high_end is None
                    else self.worded(qualifier, at.result, high_end)
                )
                rate = self._rate_cell(item, at)
            cells = [
                c.company, c.country, c.category, c.description, c.announced_text, amount,
                converted, rate,
            ]  # fmt: skip
            if real is not None:
                deflator = ""
                if conversion is not None:
                    deflator = sections.deflator_cell(
                        conversion, self.rate_text(conversion.rate), self.locale
                    )
                cells += [deflator, self.money(conversion.result) if conversion else UNDISCLOSED]
            rows.append(cells)
        headers = ["Company", "Country", "Category", "Description", "Announced", "Amount",
                   self.report.currency, "Rate (fixing, source)"]  # fmt: skip
        right: tuple[int, ...] = (5, 6)
        widths = {0: 12, 3: 28} if self.width else {0: 12, 3: 28, 7: 60}
        if real is not None:
            headers += ["Deflator", sections.real_heading(self.report)]
            right, widths = (5, 6, 9), {**widths, 8: 44}
        return self.table(rows, headers, right=right, widths=widths, kind="conversions")

    def rate_cell(self, item: ConvertedCommitment) -> str:
        """The rate, with as many digits as give the amount shown beside it, and its fixing.

        Each cell is written once: the same rate and amount (the same objects, as a report's
        conversions share them) and an equal result give the same cell."""
        assert item.conversion is not None
        return self._rate_cell(item, nominal(item.conversion))

    def _rate_cell(self, item: ConvertedCommitment, conversion: Conversion) -> str:
        """:meth:`rate_cell` of `item`, whose nominal conversion is `conversion`."""
        rate = conversion.rate
        if rate.base == rate.quote:
            return "no conversion"
        found = self._rate_cells.get(id(rate))
        if found is None:
            found = self._rate_cells[id(rate)] = (rate, {})
        source, result = conversion.source, conversion.result
        key = (id(source), item.partial)
        kept = found[1].get(key)
        if kept is not None and kept[1].amount == result.amount:  # (a Decimal's hash costs more)
            return kept[2]
        shown, reproduces = format_rate_for(rate.value, source, result, self.report.rounding)
        flags = []
        if item.partial:
            flags.append("cut short: the currency is not quoted over the whole period")
        if not reproduces:
            flags.append("rate rounded to 28 digits")
        cell = self.rate_text(rate, shown, flags)
        found[1][key] = (source, result, cell)
        return cell

    def rate_text(self, rate: Rate, shown: str | None = None, flags: Sequence[str] = ()) -> str:
        """``1 GBP = 1.2656 USD (2023-11-30, ECB reference rates (bundled))``: the rate, its
        fixing (or the fixings averaged), its origin, and whether it is stale."""
        if rate.base == rate.quote:
            return "no conversion"
        fixing = (
            f"average of {rate.fixings} fixings {rate.period[0]}..{rate.period[1]}"
            if rate.period
            else str(rate.fixing_date)
        )
        origin = rate.origin  # the average is said in `fixing` above
        if self.width is not None:  # the full names are in a note
            origin = origin.replace(_ECB_LONG, "ECB")
        marks = [origin]
        if rate.stale:
            marks.append("stale")
        marks += flags
        value = shown if shown is not None else format_rate(rate.value)
        return f"1 {rate.base} = {value} {rate.quote} ({fixing}, {', '.join(marks)})"

    def notes(self) -> list[str]:
        report = self.report
        stale = [i for i in report.conversions if i.conversion and i.conversion.rate.stale]
        worded = worded_note(report.conversions)
        notes = [
            *([worded] if worded else []),
            "Undisclosed amounts are counted, never taken as zero; a row with nothing disclosed "
            "has no total, share or per-worker figure and is not compared. A package is what one "
            "company announced for one country on one day (or what the 'package' field groups). "
            "'Commitment per worker trained' is a package's disclosed amount over its own "
            "workers; a country's or a company's counts only its packages that name workers and "
            "disclose an amount. 'Training spend per worker' likewise needs a disclosed training "
            "amount in the package.",
            "Rates: European Central Bank euro reference rates; cross rates through EUR.",
        ]
        if report.total is None:
            notes.insert(
                0,
                "No commitment in this report discloses an amount: there are no totals, "
                "shares or comparisons to show.",
            )
        if stale:
            notes.append(
                f"{len(stale)} amount(s) use the last fixing known offline for a later date (stale); "
                "run `spendcalc rates update` or use --online."
            )
        partial = [i for i in report.conversions if i.partial]
        if partial:
            notes.append(
                f"{len(partial)} average rate(s) are cut short: the currency is not quoted over "
                "the whole spending period, so the average covers only the days it is."
            )
        if report.overrides:
            notes.append("Your own rates used: " + ", ".join(report.overrides) + ".")
        notes.append(rounding_note(report))
        if self.compact and does_not_foot(report, compact=True) and not does_not_foot(report):
            notes[-1] += " Compact figures keep three significant digits and may not add up."
        if self.markdown:
            return [f"- {n}" for n in notes]
        return [self.fill(n) for n in notes]

    def fill(self, note: str) -> str:
        """A note as one Markdown line, or wrapped to 100 columns (or the width, if less)."""
        if self.markdown:
            return note
        return textwrap.fill(note, min(100, self.width or 100), break_on_hyphens=False)


class MoneyText:
    """:func:`calc.format.format_money` for many amounts of one currency, in one locale, by one
    rounding rule, at the cost of a rounding and a join each.

    babel formats a probe amount once; where its text is the amount's digits, grouped in
    threes, between a prefix and a suffix (``$1,234,567.89``, ``1.234.567,89 €``), every
    positive amount is written the same way, and the shape is checked on more probes before it
    is used. Any other case (a compact form, a negative amount, a locale that groups otherwise
    or writes other digits) is babel's, through format_money. Each text is kept for the amounts
    that come again (a big report repeats its amounts: the same pledge, the same total).

    >>> MoneyText("EUR", "de_DE", "half-up").format(Money("2500000000.005", "EUR"))
    '2.500.000.000,01\xa0€'
    """

    def __init__(self, currency: str, locale: str, rounding: Rounding, compact: bool = False):
        from babel.numbers import get_currency_precision  # babel on first use (start-up time)

        self.currency, self.locale, self.rounding, self.compact = (
            currency,
            locale,
            rounding,
            compact,
        )
        self.places = get_currency_precision(currency)
        self.quantum = Decimal(1).scaleb(-self.places)
        self.rule = ROUNDING_RULES[rounding]
        #: The texts written, by the id of their amount (held: the id stays its own).
        self.written: dict[int, tuple[Decimal, str]] = {}
        self.shown: dict[Decimal, str] = {}  # babel's texts, by amount (zero aside)
        self.shape = None if compact else self._shape()

    def _shape(self) -> tuple[str, str, str, str] | None:
        """(prefix, group separator, decimal separator, suffix), if babel's text of the probes
        is theirs; else None."""
        fraction = "".join(str(d % 10) for d in range(1, self.places + 1))
        probe = self._babel(Decimal(f"1234567.{fraction}" if fraction else "1234567"))
        digits = "1(\\D*)234(\\D*)567" + (f"(\\D*){fraction}" if fraction else "()")
        found = re.fullmatch(f"(\\D*){digits}(\\D*)", probe)
        if found is None or any(ch.isdigit() for ch in probe if not ch.isascii()):
            return None
        prefix, group, _same, point, suffix = found.groups()
        if group != _same or not group or group == point or (fraction and not point):
            return None
        shape = (prefix, group, point, suffix)
        for check in ("0", "0.5", "999.995", "1234567890123456789012.5", "12345.6789"):
            amount = Decimal(check)
            if self._shaped(amount, shape) != self._babel(amount):
                return None
        return shape

    def _babel(self, amount: Decimal) -> str:
        return format_money(
            Money(amount, self.currency), locale=self.locale, compact=self.compact,
            rounding=self.rounding,
        )  # fmt: skip

    def _shaped(self, amount: Decimal, shape: tuple[str, str, str, str]) -> str:
        prefix, group, point, suffix = shape
        # Decimal's own format groups the whole part in threes: 1,234,567.89
        grouped = f"{amount.quantize(self.quantum, self.rule, EXACT):,f}"
        if group != "," or point != ".":
            grouped = grouped.translate({ord(","): group, ord("."): point})
        return prefix + grouped + suffix

    def format(self, money: Money) -> str:
        """`money` (of this currency) as format_money writes it.

        Each amount is written once: the same amount (the same Decimal: an amount a report
        shows in several places) by its identity, held in :attr:`written` so that its
        identity stays its own; and, where babel writes it (a compact form, a negative amount),
        an equal amount by its value, except zero, whose sign an equal amount may not share
        (``-0`` is ``0``). Hashing a Decimal costs about what shaping its text does, so a
        shaped text is not looked up by value."""
        amount = money.amount
        found = self.written.get(id(amount))
        if found is not None:
            return found[1]
        if self.shape is not None and amount >= 0:
            shown = self._shaped(amount, self.shape)
        else:
            known = self.shown.get(amount) if amount else None
            shown = self._babel(amount) if known is None else known
            if amount and known is None:
                if len(self.shown) >= _MONEY_TEXTS_MOST:
                    self.shown.clear()
                self.shown[amount] = shown
        if len(self.written) >= _MONEY_TEXTS_MOST:
            self.written.clear()
        self.written[id(amount)] = (amount, shown)
        return shown


#: The most texts a :class:`MoneyText` keeps (it starts again past this).
_MONEY_TEXTS_MOST = 1 << 18
#: The bundled source's name, shortened to "ECB" in a table that must fit a width.
_ECB_LONG = "ECB reference rates (bundled)"
_TABLE_NAMES = {
    "main": "the main table", "conversions": "the conversions", "packages": "the packages",
    "views": "the per-head table",
}  # fmt: skip


def _left_out_line(left_out: list[tuple[str, str]], width: int | None) -> str:
    """Which columns were left out to fit, and how to see them."""
    by_table: dict[str, list[str]] = {}
    for kind, name in left_out:
        by_table.setdefault(kind, []).append(name)
    parts = [
        f"{', '.join(names)} ({_TABLE_NAMES.get(kind, kind)})" for kind, names in by_table.items()
    ]
    return (
        f"Left out to fit {width} columns: {'; '.join(parts)}. See them with a wider --width, "
        "or --format markdown, csv or json."
    )


def _filters_line(report: Report) -> str:
    """What the commitments were chosen by: 'Only commitments of company Microsoft, ...'."""
    parts = [f"{kind} {' or '.join(values)}" for kind, values in report.filters]
    return "Only commitments of " + ", ".join(parts) + "."


def _years_notes(report: Report) -> list[str]:
    notes = [
        "Each disclosed amount with a spending period is spread evenly over it by days, the "
        "first and last day included, and summed by calendar year; a row's years add up to its "
        "dated total (exactly before rounding: the last year of each period takes the remainder)."
    ]
    count = report.undated_commitments
    if count:
        one = count == 1
        notes.append(
            f"* {count} commitment{'' if one else 's'} without a spending period "
            f"{'is' if one else 'are'} shown in {'its' if one else 'their'} announcement year, "
            "under 'Without a period', not spread."
        )
    return notes


def _views_heading(report: Report) -> str:
    parts = (["per head"] if report.per_capita else []) + (
        ["at purchasing-power parity"] if report.ppp else []
    )
    text = " and ".join(parts)
    return text[0].upper() + text[1:]


def _at_announcement_line(items: list[ConvertedCommitment]) -> str:
    """Which commitments the average policy converts at their announcement date."""
    names = "; ".join(
        f"{i.commitment.company} {i.commitment.country} {i.commitment.announced_text}"
        + (f" ({i.commitment.description})" if i.commitment.description else "")
        for i in items
    )
    return f"At the announcement date, having no spending period: {names}."
