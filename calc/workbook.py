"""Commitments read from a workbook (.xlsx), with errors that name the cell.

The workbook is read by :mod:`calc.xlsx_parts` and :mod:`calc.xlsx_rows`, with the standard
library only, a row at a time: loading takes memory for the commitments, not for the sheet.
(openpyxl, an optional extra, writes reports: :mod:`calc.report_workbook`.)

:func:`load_workbook` reads the first sheet, or the one named. Its first row that holds anything
names the fields (those of :mod:`calc.commitments`, any case), and every later row that holds
anything is a commitment, checked field by field as a CSV record is (the same checks, the same
messages). A problem names the sheet, the row and the column::

    pledges.xlsx, sheet 'Pledges', row 3, column C (amount): amount 'x' is not an amount; ...

A cell is read as the spreadsheet stores it:

- a date cell in ``announced``, ``start`` or ``end`` is that date;
- a number cell in ``amount``, ``workers``, ``period_years`` or ``training_years`` is that
  number. Excel stores a number as a binary double: a whole number is read exactly, any other as
  the shortest decimal that is that double (``2.5``, never ``2.4999999999999998``). A double that
  needs more than :data:`MAX_DIGITS` (15) significant digits for it, more than Excel shows, is a
  computed value, not a figure anyone typed (``=1/3``): it is refused, with the fix (round it in
  the sheet);
- a text cell is read as in CSV, and in any other field a number or a date is read as its text
  (``2024``, ``2024-04-09``); TRUE and FALSE as those words;
- a date cell where a number belongs is refused (the spreadsheet may have taken ``3.2`` for
  3 February), and so is a spreadsheet error such as ``#DIV/0!``; a formula is read as the
  value the spreadsheet saved with it.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from .decimals import plain, trimmed
from .errors import CommitmentFileError, Problem
from .parallel import streamed_halves
from .xlsx_parts import Archive, Workbook, XlsxError
from .xlsx_rows import CellError, Unsplit, column_letters, sheet_rows

if TYPE_CHECKING:
    from .commitments import CommitmentSet

__all__ = ["INSTALL", "MAX_DIGITS", "load_workbook"]

#: Significant digits Excel shows of a number; a number cell that needs more is refused.
MAX_DIGITS = 15
#: How to get openpyxl, for the message of a report written as a workbook without it.
INSTALL = (
    "install it with: pip install openpyxl (or, in a spendcalc source tree, pip install '.[xlsx]')"
)
_NUMBERS = frozenset({"amount", "workers", "period_years", "training_years"})
_DATES = frozenset({"announced", "start", "end"})
#: What a spreadsheet shows in a cell whose formula failed.
_SPREADSHEET_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
)  # fmt: skip


def load_workbook(
    source: str | os.PathLike[str] | bytes,
    *,
    sheet: str | None = None,
    name: str | None = None,
    locale: str | None = None,
    cli: bool = False,
) -> CommitmentSet:
    """Read the commitments of a workbook: a path, or the file's bytes (``name`` names it).

    ``sheet`` names the sheet to read (any case); by default, the first. ``locale`` reads text
    cells that name no locale of their own, and ``cli`` names --input-locale in messages, as
    :func:`calc.commitments.load_commitments` does.

    >>> load_workbook(b"a CSV, say", name="pledges.xlsx")
    Traceback (most recent call last):
    ...
    calc.errors.CommitmentFileError: pledges.xlsx: is not an Excel workbook (.xlsx): File is not a zip file; save it from the spreadsheet as an Excel workbook

    :raises CommitmentFileError: naming the sheet, row and column of every problem
    """
    if isinstance(source, bytes):
        name = name or "<workbook>"
        opened: str | io.BytesIO = io.BytesIO(source)
    else:
        opened = os.fspath(source)
        name = name or os.path.basename(opened)
    try:
        archive = Archive(opened)
    except OSError as exc:
        raise _file_error(name, f"cannot be read: {exc.strerror or exc}") from exc
    except XlsxError as exc:
        raise _unreadable(name, exc) from None
    try:
        try:
            book = Workbook(archive)
            cells = [title for title, _part, kind in book.sheets if kind == "worksheet"]
            title = _sheet_name([t for t, _p, _k in book.sheets], cells, sheet, name)
            part = next(p for t, p, _k in book.sheets if t == title)
            strings, dates, date1904 = book.strings(), book.date_styles(), book.date1904
            size = archive.size(part)

            def read(half: tuple[bool, int] | None = None) -> Iterator[tuple[int, list[object]]]:
                # A half is read by a child process, from the file opened again: two processes
                # reading through one descriptor would move each other's place in it.
                own = Archive(opened) if half is not None and isinstance(opened, str) else archive
                try:
                    yield from sheet_rows(own, part, strings, dates, date1904, half)
                finally:
                    if own is not archive:
                        own.close()

            # A big sheet's rows are read by two more processes, a half each, while this one
            # reads them into commitments (calc.parallel; about a row for every 256 bytes).
            rows = streamed_halves(
                lambda: read((True, size // 2)), lambda: read((False, size // 2)), read,
                size // 256, lambda last, first: first[0] > last[0], Unsplit,
            )  # fmt: skip
        except XlsxError as exc:
            raise _unreadable(name, exc) from None
        found = _Sheet(name, title, rows)
        return found.commitments(locale, "--input-locale" if cli else "the locale argument")
    finally:
        archive.close()


def _file_error(name: str, message: str, sheet: str | None = None) -> CommitmentFileError:
    return CommitmentFileError(name, [Problem(name, None, None, message, sheet=sheet)])


def _unreadable(name: str, exc: XlsxError, sheet: str | None = None) -> CommitmentFileError:
    return _file_error(
        name,
        f"is not an Excel workbook (.xlsx): {exc}; save it from the spreadsheet as an Excel "
        "workbook",
        sheet,
    )


def _sheet_name(names: list[str], cells: list[str], wanted: str | None, name: str) -> str:
    """The name of the sheet `wanted` (exactly, else in any case, as Excel matches names), or
    of the first sheet of cells; `cells` are the sheets that are not charts."""
    if wanted is None:
        if not cells:
            raise _file_error(name, "has no sheet of cells, only charts")
        return cells[0]
    found = [n for n in names if n == wanted] or [n for n in names if n.lower() == wanted.lower()]
    if not found:
        shown = ", ".join(map(repr, names))
        raise _file_error(name, f"has no sheet {wanted!r}; its sheets are {shown}")
    if found[0] not in cells:
        raise _file_error(name, "is a chart, not a sheet of cells", sheet=found[0])
    return found[0]


class _Sheet:
    """One sheet read into commitments: the header, then a record per row, each checked."""

    def __init__(self, name: str, title: str, rows: Iterator[tuple[int, list[object]]]) -> None:
        self.name = name
        self.title = title
        self.sheet_rows = rows
        self.problems: list[Problem] = []
        self.columns: dict[str, int] = {}  # field -> index of its column
        self.named: list[tuple[int, str]] = []  # (index, field) of the columns the header names
        self.unnamed: list[int] = []  # the indices of those it does not

    def problem(self, row: int | None, field: str | None, column: int | None, text: str) -> None:
        letter = None if column is None else column_letters(column)
        self.problems.append(Problem(self.name, row, field, text, sheet=self.title, column=letter))

    def rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        """``(row number, values)`` of every row that holds anything; a sheet that cannot be
        read is a CommitmentFileError."""
        rows = self.sheet_rows
        while True:
            try:
                number, values = next(rows)
            except StopIteration:
                return
            except XlsxError as exc:
                raise _unreadable(self.name, exc, self.title) from None
            if any(not _blank(value) for value in values):
                yield number, values

    def commitments(self, locale: str | None, option: str) -> CommitmentSet:
        from .commitments import CommitmentSet, RecordReader
        from .inputlocale import InputLocale

        reader = RecordReader(
            self.name, InputLocale(locale, "caller", option=option, defaults=False)
        )

        rows = self.rows()
        header = self.header(rows)
        found = []
        where = f"{self.name}, sheet {self.title!r}, row "
        for index, (number, values) in enumerate(rows if header else (), start=1):
            first = len(self.problems)
            record, refused = self.record(number, values, header)
            if record is None:
                continue
            checked: list[Problem] = []
            commitment = reader.commitment(record, number, index, checked, prefix=where)
            for p in checked:  # the cells refused above are reported once
                if p.field not in refused:
                    self.problem(p.line, p.field, self.column(p.field), p.message)
            if len(self.problems) > first + 1:
                self.problems[first:] = sorted(self.problems[first:], key=_by_column)
            if commitment is not None:
                found.append(commitment)
        reader.warn("xlsx")
        if not self.problems and not found:
            self.problem(None, None, None, "holds no commitments")
        if self.problems:
            raise CommitmentFileError(self.name, self.problems)
        return CommitmentSet(tuple(found), (), self.name)

    def column(self, field: str | None) -> int | None:
        """The index of the column that holds `field`, if one does."""
        return self.columns.get(field or "")

    def header(self, rows: Iterator[tuple[int, Sequence[object]]]) -> list[str]:
        """The field each column holds ('' for a column without a name); [] if the header is
        wrong (and why is a problem)."""
        first = next(rows, None)
        if first is None:
            self.problem(None, None, None, "is empty; the first row names the fields")
            return []
        number, values = first
        header = ["" if _blank(v) else str(v).strip().lower() for v in values]
        twice = [h for h in dict.fromkeys(header) if h and header.count(h) > 1]
        for field in twice:
            letters = [column_letters(i) for i, h in enumerate(header) if h == field]
            self.problem(
                number, None, None,
                f"the header names {field!r} in columns {' and '.join(letters)}; keep one",
            )  # fmt: skip
        self.columns = {h: i for i, h in enumerate(header) if h}
        self.named = [(i, h) for i, h in enumerate(header) if h]
        self.unnamed = [i for i, h in enumerate(header) if not h]
        return [] if twice else header

    def record(
        self, number: int, values: Sequence[object], header: list[str]
    ) -> tuple[dict[str, object] | None, set[str]]:
        """The row as a record of fields, and the fields whose cells are refused (each a
        problem); None for a row with a value in a column the header does not name."""
        width = len(header)
        unnamed = (
            self.unnamed if len(values) <= width else [*self.unnamed, *range(width, len(values))]
        )
        for i in unnamed:
            if i < len(values) and not _blank(values[i]):
                self.problem(
                    number, None, i,
                    "holds a value in a column the header does not name; name the column or "
                    "clear the cell",
                )  # fmt: skip
                return None, set()
        record: dict[str, object] = {}
        refused: set[str] = set()
        if len(values) < width:
            values = [*values, *[None] * (width - len(values))]
        for i, field in self.named:
            value = values[i]
            if type(value) is str and "#" not in value:  # most cells (as _value reads them)
                record[field] = value
                continue
            try:
                record[field] = _value(field, value)
            except _Refused as exc:
                self.problem(number, field, i, str(exc))
                refused.add(field)
                record[field] = ""
        return record, refused


def _by_column(problem: Problem) -> tuple[int, str]:
    """A row's problems in the order of its columns (those of no column last)."""
    letters = problem.column or ""
    return (len(letters) or 99, letters)


class _Refused(Exception):
    """A cell whose value cannot stand for its field; the message says why and the fix."""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(field: str, value: object) -> object:
    """A cell's value as the record holds it for `field` (see the module's docstring).

    :raises _Refused: for a spreadsheet error, a date where a number belongs, or a number with
        more than :data:`MAX_DIGITS` significant digits
    """
    if type(value) is str and "#" not in value:  # most cells: text that is no error's
        return value
    if value is None:
        return ""
    if isinstance(value, CellError):
        raise _Refused(f"{field} is the spreadsheet error {value}; fix the formula or the value")
    if isinstance(value, str):
        if value.strip() in _SPREADSHEET_ERRORS:
            raise _Refused(
                f"{field} is the spreadsheet error {value.strip()}; fix the formula or the value"
            )
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, _dt.date):  # a datetime too
        if field in _NUMBERS:
            raise _Refused(
                f"{field} is a date cell ({_date_text(value)}); the spreadsheet may have taken "
                "the figure for a date: format the cell as text or a number and type it again"
            )
        return value if field in _DATES else _date_text(value)
    if isinstance(value, int):
        return value if field in _NUMBERS else str(value)
    if isinstance(value, float):
        number = trimmed(Decimal(repr(value)))  # the shortest decimal that is this double
        if field not in _NUMBERS:
            return plain(number)
        digits = len(number.normalize().as_tuple().digits)
        if digits > MAX_DIGITS:
            raise _Refused(
                f"{field} {plain(number)} has {digits} significant digits, more than the "
                f"{MAX_DIGITS} a spreadsheet keeps, so it is computed, not a figure as typed; "
                "round it in the sheet with ROUND(..., 2), or type the figure"
            )
        return number
    return str(value)  # a time or a duration: as its text


def _date_text(value: _dt.date) -> str:
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat(" ")
    return value.isoformat()
