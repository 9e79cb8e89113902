"""A report written as a workbook (.xlsx) through openpyxl: a sheet per table, numbers as numbers.

openpyxl is an optional extra (``pip install openpyxl (or, in a spendcalc source tree, pip install '.[xlsx]')``), imported only to write one.

:func:`write_report_workbook` writes a sheet per table (:func:`report_tables`): the main table
(by country, company or package, ending in a total row), the comparisons, the conversions (the
CSV's :data:`~calc.serialise.CONVERSION_COLUMNS`), the calendar-year profile (``by_year``), per
head and PPP (when the report has them), and the provenance: currency, rates, policy, rounding,
filters, overrides, sources and fixings, notes, the spendcalc version and the options given.

- Amounts are number cells, rounded once to the currency's minor units by the report's rule
  (an announced amount as announced), shown with the currency: ``#,##0.00 "USD"``. Shares and
  ratios have 12 significant digits, as in the CSV; dates are date cells.
- A figure a double cannot hold exactly (a 28-digit cross rate) is a text cell with every
  digit: nothing is lost to Excel's 15.
- Text is always a text cell, never a formula: ``=HYPERLINK(...)`` in a description stays those
  characters, with Excel's quote prefix so that it stays text when edited. Control and bidi
  characters are shown escaped (:func:`calc.safetext.for_terminal`; line breaks stay).
- The file appears only once it is whole (:func:`calc.output.replace_atomic`), and openpyxl
  stages its sheets beside it, never in /tmp.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal, localcontext
from functools import cache
from typing import TYPE_CHECKING, Any

from .decimals import plain, trimmed
from .errors import CalcError
from .money import Money
from .rows import CompanyRow, CountryRow
from .safetext import FORMULA_START, for_terminal

if TYPE_CHECKING:
    from .report import Report
    from .rows import Figures, Row

__all__ = ["Table", "report_tables", "write_report_workbook"]


def write_report_workbook(
    report: Report,
    path: str,
    *,
    by_year: bool = False,
    options: Iterable[tuple[str, str]] = (),
    force: bool = False,
) -> str:
    """Write `report` to `path` as an .xlsx workbook (see the module's docstring); return `path`.

    ``by_year`` adds the calendar-year profile; ``options`` (``("--currency", "USD")``, ...) are
    the options the report was made with, for the provenance sheet. The file appears only once
    it is whole (:func:`calc.output.replace_atomic`); ``force`` replaces a link.

    :raises CalcError: if openpyxl is not installed, or `path` cannot be written (naming it)
    :raises OutputRefusedError: if `path` is a link, unless ``force``
    """
    from .output import write_file
    from .workbook import INSTALL

    try:
        import openpyxl  # an optional extra, loaded only to write a workbook
    except ImportError:
        raise CalcError(f"Writing a workbook needs openpyxl; {INSTALL}.") from None
    tables = report_tables(report, by_year=by_year, options=options)

    def produce(temporary: str) -> None:
        book = openpyxl.Workbook(write_only=True)
        book.properties.creator = "spendcalc"
        with _staged_beside(temporary):
            try:
                for table in tables:
                    _write_table(book, table)
                book.save(temporary)
            except BaseException:
                for sheet in book.worksheets:  # end their streams now, not when collected
                    with suppress(Exception):
                        if not sheet.closed:
                            sheet.close()
                raise

    write_file(path, produce, force=force, binary=True)
    return path


class Table:
    """One sheet: its title, the header, and the rows of values (Money, Decimal, int, bool,
    date, str, None, or ``(value, number format)``)."""

    __slots__ = ("headers", "rows", "title")

    def __init__(self, title: str, headers: Sequence[str], rows: list[list[object]]) -> None:
        self.title = title
        self.headers = list(headers)
        self.rows = rows


def report_tables(
    report: Report, *, by_year: bool = False, options: Iterable[tuple[str, str]] = ()
) -> list[Table]:
    """The sheets of the report's workbook, as values: amounts rounded by the report's rule."""
    tables = [_main(report), _comparisons(report), _conversions(report)]
    if by_year:
        tables.append(_years(report))
    if report.per_capita or report.ppp:
        tables.append(_views(report))
    tables.append(_provenance(report, options))
    return tables


_LEADS = {
    "country": ("country", "name", "local_currency"),
    "company": ("company", "countries"),
    "package": ("package", "company", "country", "announced", "label"),
}
_FIGURES = ("currency", "commitments", "disclosed", "undisclosed", "total", "share", "workers",
            "commitment_per_worker_trained", "training_spend_per_worker")  # fmt: skip
_PERCENT = "0.0%"
_COUNT = "#,##0"


def _main(report: Report) -> Table:
    lead = _LEADS[report.by]
    rows: list[list[object]] = []
    for row in report.rows:
        rows.append([*_lead(row), report.currency, row.commitments, row.disclosed,
                     row.undisclosed, _rounded(report, row.total), _share(row.share),
                     _count(row.workers), _rounded(report, row.per_worker_trained),
                     _rounded(report, row.training_per_worker)])  # fmt: skip
    disclosed = sum(1 for item in report.conversions if item.conversion is not None)
    total = report.total
    rows.append(["Total (disclosed)", *[None] * (len(lead) - 1), report.currency,
                 len(report.conversions), disclosed, len(report.conversions) - disclosed,
                 _rounded(report, total), _share(None if total is None else Decimal(1)),
                 None, None, None])  # fmt: skip
    return Table(f"By {report.by}", [*lead, *_FIGURES], rows)


def _lead(row: Row) -> list[object]:
    if isinstance(row, CountryRow):
        return [row.country, row.name, row.local_currency]
    if isinstance(row, CompanyRow):
        return [row.company, " ".join(row.countries)]
    return [row.id, row.company, row.country, _announced(row.announced, row.announced_text),
            row.label]  # fmt: skip


def _comparisons(report: Report) -> Table:
    rows: list[list[object]] = [
        [c.key, c.against, _fraction(c.ratio), _rounded(report, c.difference)]
        for c in report.comparisons
    ]
    return Table("Comparisons", [report.by, "against", "ratio", "difference"], rows)


def _conversions(report: Report) -> Table:
    from .provenance import policy_phrase
    from .serialise import CONVERSION_COLUMNS

    policy = policy_phrase(report)
    rows = []
    for item in report.conversions:
        c, conversion = item.commitment, item.conversion
        cells: dict[str, object] = {
            "company": c.company, "country": c.country, "package": item.package,
            "category": c.category, "description": c.description,
            "announced": _announced(c.announced, c.announced_text), "amount": c.amount,
            "currency": None if c.amount is None else c.amount.currency,
            "to_currency": report.currency, "policy": policy, "location": c.location,
        }  # fmt: skip
        if conversion is not None:
            rate = conversion.rate
            period = rate.period or (None, None)
            cells.update(
                converted=_rounded(report, conversion.result), rate=rate.value,
                rate_numerator=rate.ratio[0], rate_denominator=rate.ratio[1],
                fixing_date=rate.fixing_date, averaged_from=period[0], averaged_to=period[1],
                source=rate.source, stale=rate.stale, partial=item.partial,
            )  # fmt: skip
        rows.append([cells.get(column) for column in CONVERSION_COLUMNS])
    return Table("Conversions", CONVERSION_COLUMNS, rows)


def _years(report: Report) -> Table:
    shown = [year for year, _money in report.years]
    span = list(range(shown[0], shown[-1] + 1)) if shown else []

    def cells(key: str, row: Figures | Report, undated: Money | None) -> list[object]:
        years = dict(row.years)
        return [key, *(_rounded(report, years.get(year)) for year in span),
                _rounded(report, row.dated_total), _rounded(report, undated)]  # fmt: skip

    rows = [cells(row.key, row, row.undated_total) for row in report.rows]
    undated = [money for _year, money in report.undated]
    rows.append(cells("All", report, sum(undated[1:], undated[0]) if undated else None))
    headers = [report.by, *(f"year_{year}" for year in span), "dated_total", "without_period"]
    return Table("By year", headers, rows)


def _views(report: Report) -> Table:
    headers = ["country"]
    if report.per_capita:
        headers += ["population", "population_year", "per_capita"]
    if report.ppp:
        headers += ["local_total", "ppp_lcu_per_intl_dollar", "ppp_total_intl_dollars", "ppp_year"]
    rows = []
    for view in report.views:
        row: list[object] = [view.country]
        if report.per_capita:
            row += [_count(view.population), view.population_year,
                    _rounded(report, view.per_capita)]  # fmt: skip
        if report.ppp:
            ppp = None
            if view.ppp_total is not None:
                ppp = (view.ppp_total.quantize(Decimal("0.01")), '#,##0.00 "Int$"')
            row += [_rounded(report, view.local_total), view.ppp_factor, ppp, view.ppp_year]
        rows.append([*row, view.source, view.note])
    return Table("Per head and PPP", [*headers, "source", "note"], rows)


def _provenance(report: Report, options: Iterable[tuple[str, str]]) -> Table:
    from .serialise import report_dict

    data = report_dict(report)
    rows: list[list[object]] = [["spendcalc", _version()]]
    for key in ("currency", "rates", "policy", "policy_description", "rounding", "by"):
        rows.append([key, str(data[key])])
    rows += [["filter", f"{kind}: {', '.join(values)}"] for kind, values in report.filters]
    rows += [["override", override] for override in report.overrides]
    rates = [i.conversion.rate for i in report.conversions if i.conversion is not None]
    rows += [["source", source] for source in sorted({r.source for r in rates})]
    fixings = sorted({r.fixing_date for r in rates if r.base != r.quote})
    if fixings:
        rows.append(["fixings", f"{fixings[0]} to {fixings[-1]}"])
    rows += [["reference_data", s] for s in sorted({v.source for v in report.views if v.source})]
    notes = data["notes"]
    rows += [["note", note] for note in (notes if isinstance(notes, list) else [])]
    rows += [[f"option {name}", value] for name, value in options]
    return Table("Provenance", ["item", "value"], rows)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spendcalc")
    except PackageNotFoundError:
        return "unknown"


def _rounded(report: Report, money: Money | None) -> Money | None:
    return None if money is None else money.rounded(report.rounding)


def _count(number: int | None) -> object:
    return None if number is None else (number, _COUNT)


def _fraction(value: Decimal | None) -> Decimal | None:
    """A share or a ratio to 12 significant digits, as the CSV writes it (a double holds them)."""
    if value is None:
        return None
    with localcontext(prec=12):
        return +value


def _share(value: Decimal | None) -> object:
    fraction = _fraction(value)
    return None if fraction is None else (fraction, _PERCENT)


def _announced(day: _dt.date, text: str) -> object:
    """A date cell; a month (``2023-11``) as its first day shown as the month."""
    return (day, "yyyy-mm" if len(text) == 7 else "yyyy-mm-dd")


def _write_table(book: Any, table: Table) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(table.title)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)

    def header(text: str) -> Any:
        cell = WriteOnlyCell(sheet, value=_safe_text(text))
        cell.data_type = "s"
        cell.font = bold
        return cell

    sheet.append([header(text) for text in table.headers])
    for row in table.rows:
        sheet.append([_cell(WriteOnlyCell, sheet, value) for value in row])


def _cell(make: Any, sheet: Any, value: object) -> Any:
    """A cell of `value`: a number with its format, a date, or text that is never a formula.

    What needs neither a format nor a type of its own is given to openpyxl as a plain value (a
    cell object each is slow)."""
    number_format = None
    if isinstance(value, tuple):
        value, number_format = value
    if isinstance(value, Money):
        number_format = _currency_format(value)
        value = _number(value.amount)
    elif isinstance(value, Decimal):
        value = _number(value)
    elif isinstance(value, _dt.date) and number_format is None:
        number_format = "yyyy-mm-dd"
    if value == "":
        return None
    if isinstance(value, str):
        text = _safe_text(value)
        if not text.startswith(FORMULA_START):
            return text  # openpyxl takes only a leading '=' for a formula
        cell = make(sheet, value=text)
        cell.data_type = "s"  # text, not the formula openpyxl would make of it
        cell.quotePrefix = True  # and so, where it is typed again, would Excel
        return cell
    if number_format is None:
        return value
    cell = make(sheet, value=value)
    cell.number_format = number_format
    return cell


def _number(amount: Decimal) -> float | str:
    """`amount` as a double if a double holds it exactly; else its digits, as text."""
    number = float(amount)
    return number if Decimal(repr(number)) == amount else plain(amount)


def _currency_format(money: Money) -> str:
    """``#,##0.00 "USD"``: the currency's minor units, or the amount's own decimals if more."""
    exponent = trimmed(money.amount).as_tuple().exponent
    places = max(_minor_units(money.currency), -exponent if isinstance(exponent, int) else 0)
    return f'#,##0{"." + "0" * places if places else ""} "{money.currency}"'


@cache
def _minor_units(currency: str) -> int:
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


#: The longest text a cell holds (Excel's limit).
_CELL_LIMIT = 32767
_SURROGATE = re.compile("[\ud800-\udfff]")


def _safe_text(text: str) -> str:
    """Text for a cell: control and bidi characters escaped, line breaks kept, lone surrogates
    (a file name that is not UTF-8) escaped, cut to Excel's limit with an ellipsis."""
    lines = text.replace("\r\n", "\n").split("\n")
    safe = "\n".join(for_terminal(line) for line in lines)
    safe = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", safe)
    return safe if len(safe) <= _CELL_LIMIT else safe[: _CELL_LIMIT - 1] + "…"


def _widths(table: Table) -> list[float]:
    """Column widths from the header and the first rows: enough for most values, at most 60."""
    widths = [len(h) + 2 for h in table.headers]
    for row in table.rows[:200]:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _shown_length(value) + 2)
    return [min(max(w, 8), 60) for w in widths]


def _shown_length(value: object) -> int:
    if isinstance(value, tuple):
        value = value[0]
    if isinstance(value, Money):
        return len(f"{value.amount:,f}") + 5
    if isinstance(value, _dt.date):
        return 10
    if value is None:
        return 0
    return max(len(line) for line in str(value).split("\n"))


@contextmanager
def _staged_beside(path: str) -> Iterator[None]:
    """openpyxl stages each sheet in a temporary file: have it do so beside `path` (never in
    /tmp), and remove what it leaves, however the block ends."""
    import tempfile

    from openpyxl.worksheet import _writer as staging

    before = set(staging.ALL_TEMP_FILES)
    previous = tempfile.tempdir
    tempfile.tempdir = os.path.dirname(os.path.abspath(path))
    try:
        yield
    finally:
        tempfile.tempdir = previous
        for left in [p for p in staging.ALL_TEMP_FILES if p not in before]:
            if os.path.lexists(left):
                os.remove(left)
            staging.ALL_TEMP_FILES.remove(left)
