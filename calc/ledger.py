"""The batch path: many (date, currency, amount) rows into one currency, each at its own date.

:func:`normalise` streams rows through, looking each (date, currency) up in the rate book once
and reusing it; every result is the exact product of the amount and the same
:class:`rates.Rate` that :meth:`calc.Converter.convert` would use, so the two paths agree to the
last digit. :func:`convert_csv` does the same for a CSV file, row by row, in constant memory.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from itertools import chain, compress, islice, repeat
from operator import itemgetter
from typing import Any, NamedTuple, TextIO, cast

from rates import CrossTable, RateBook, RateError

from . import kernel
from .csvtext import NUL_IN_ROW, csv_lines, csv_problem, too_many_fields
from .decimals import Rounding, check_rounding
from .errors import CalcError, add_context
from .money import MAX_EXPONENT, validate_currency
from .output import OutputRefusedError, write_atomic
from .safetext import FORMULA_START, for_csv

_LONE_CR = re.compile("\r(?!\n)")
_GROUPED = re.compile(r"[-+]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
OUTPUT_COLUMNS = ("converted", "to_currency", "rate", "fixing_date", "rate_source")
#: Whether :func:`convert_csv` reads, rounds and writes plain blocks with numpy when it is
#: installed (:mod:`calc.ledger_arrays`); without it, or off, :mod:`calc.ledger_quick`.
FAST_LEDGER = True


class LedgerError(CalcError, ValueError):
    """A ledger row that cannot be converted; the message starts with ``file:line``."""


class Normalised(NamedTuple):
    """One row converted: ``result`` is what :meth:`calc.Converter.convert` gives for the same
    amount and date (the exact quotient, or enough digits of it to round as it does).

    ``rate``, ``fixing_date`` and ``source`` are those of the :class:`rates.Rate` that
    :meth:`calc.Converter.convert` would use for the same amount and date.
    """

    on: _dt.date
    currency: str
    amount: Decimal
    result: Decimal
    rate: Decimal
    fixing_date: _dt.date
    source: str


class Columns(NamedTuple):
    """Many rows converted, as columns (the fast form): one entry per input row.

    ``results`` are Decimals (unrounded), or integers in the target currency's minor units
    when a rounding rule was given (an int64 numpy array for numpy amounts). ``rates`` are
    made when read (:class:`rates.ratios.RateColumn`). For numpy rows ``fixing_dates`` is a
    ``datetime64[D]`` array and ``sources`` is made when read too (``numpy.asarray`` of it is an
    object array).
    """

    results: Any
    rates: Any
    fixing_dates: Any
    sources: Any


def minor_units(code: str) -> int:
    """The decimal places of ``code``'s minor unit (ISO 4217: 2 for USD, 0 for JPY)."""
    from .money import _minor_unit  # babel's data through calc.cldr, on first use

    return -int(_minor_unit(code).as_tuple().exponent)


def normalise_columns(
    days: Sequence[_dt.date] | Any,
    currencies: Sequence[str] | Any,
    amounts: Sequence[Decimal] | Sequence[int] | Any,
    to: str,
    *,
    book: RateBook | None = None,
    table: CrossTable | None = None,
    texts: bool = False,
    rounding: Rounding | None = None,
    scale: int | None = None,
) -> Columns:
    """Convert row ``i`` = (``days[i]``, ``currencies[i]``, ``amounts[i]``) into ``to``.

    Each row's rate is the exact fraction of the ECB's published values
    (:attr:`rates.CrossTable.ratios`), so the result is an exact quotient of integers: with
    ``rounding=None`` it is kept as :meth:`calc.Converter.convert` keeps it (exact when it
    terminates, else enough digits that rounding it once rounds the exact quotient); with
    ``rounding="half-up"`` or ``"half-even"`` it is rounded once, correctly, to integers in
    ``to``'s minor units (:func:`minor_units`; ``results[i] / 10**minor_units(to)``).

    The columns may be lists or numpy arrays: days as ``datetime.date`` (or ``datetime64[D]``),
    currencies as codes, amounts as Decimals or ints — or, with ``scale=k``, as integers in
    units of ``10**-k`` (a list, or an int64 numpy array: cents with ``scale=2``). Rows the
    bundled columns do not cover go through :meth:`rates.RateBook.rate` and so raise its errors
    (with ``row`` naming the row). With ``texts=True`` the rates and fixing dates come as the
    text a CSV writes.

    >>> import datetime
    >>> from decimal import Decimal
    >>> c = normalise_columns([datetime.date(2023, 12, 2)], ["GBP"], [Decimal(100)], "USD",
    ...                       book=RateBook(cache=None))
    >>> c.results[0], c.rates[0], c.fixing_dates[0]
    (Decimal('126.3873554535417514091463768'), Decimal('1.263873554535417514091463769'), datetime.date(2023, 12, 1))
    >>> normalise_columns([datetime.date(2023, 12, 2)], ["GBP"], [10_000], "USD", scale=2,
    ...                   rounding="half-up", book=RateBook(cache=None)).results
    [12639]

    :raises TypeError: for a float amount
    :raises CalcError: for an amount that is not a finite number
    """
    to = validate_currency(to)
    if table is None:
        table = (book if book is not None else RateBook()).cross_table(to)
    kernel.numpy()  # loaded first (if installed and in use), so the columns are made with it
    rows = table.ratios.rows(days, currencies)
    if scale is not None:
        digits: Any = amounts if hasattr(amounts, "dtype") else list(amounts)
        powers: Any = 10**scale
    else:
        try:
            digits, powers = kernel.amount_ratios(
                amounts.tolist() if hasattr(amounts, "tolist") else amounts
            )
        except ValueError as exc:
            raise CalcError(str(exc)) from None
    if rounding is None:
        results: Any = list(
            map(Decimal, kernel.exact(digits, powers, rows.numerators, rows.denominators))
        )
    else:
        rule = check_rounding(rounding)
        places = minor_units(to)
        if not isinstance(powers, int):  # Decimals: over one power of ten, where they fit one
            common = kernel.over_one_power(digits, powers)
            if common is not None:
                digits, powers = common
        tables = rows.ratio_tables() if isinstance(powers, int) else None
        results = None
        if tables is not None:  # each row's fraction read from the tables as it is rounded
            results = kernel.rounded_at(digits, powers, tables, rows.exact_ratios(), places, rule)
            if results is not None and not hasattr(digits, "dtype"):
                results = results.tolist()
        if results is None:
            results = kernel.rounded(
                digits, powers, rows.numerators, rows.denominators, places, rule
            )
    if (hasattr(days, "dtype") or hasattr(currencies, "dtype")) and not texts:
        return Columns(results, rows.rate_values(), rows.fixing_array(), rows.source_array())
    rates = rows.rate_texts() if texts else rows.rate_values()
    return Columns(results, rates, rows.fixing_dates(texts=texts), rows.sources())


def normalise(
    rows: Iterable[tuple[_dt.date, str, Decimal]],
    to: str,
    *,
    book: RateBook | None = None,
    chunk: int = 65_536,
) -> Iterator[Normalised]:
    """Convert each ``(date, currency, amount)`` into ``to`` at that date's fixing, lazily.

    Rows are taken ``chunk`` at a time, so memory stays bounded however many there are.

    >>> import datetime
    >>> from decimal import Decimal
    >>> rows = [(datetime.date(2023, 11, 30), "GBP", Decimal("2500000000"))]
    >>> [(r.result.normalize(), r.fixing_date) for r in normalise(rows, "USD", book=RateBook(cache=None))]
    [(Decimal('3164076972.952945535383475361'), datetime.date(2023, 11, 30))]

    :raises rates.RateError: for a row with no rate (the message names the date and currency)
    :raises CalcError: for a bad target currency
    """
    table = (book if book is not None else RateBook()).cross_table(validate_currency(to))
    iterator = iter(rows)
    while True:
        block = list(islice(iterator, chunk))
        if not block:
            return
        days, currencies, amounts = zip(*block, strict=True)
        done = normalise_columns(days, currencies, amounts, to, table=table)
        yield from map(Normalised, days, currencies, amounts, *done)


def convert_csv(
    source: TextIO,
    out: TextIO,
    to: str,
    *,
    book: RateBook | None = None,
    name: str = "<ledger>",
    round_result: bool = False,
    progress: Callable[[int], None] | None = None,
    chunk: int = 8_192,
    raw_csv: bool = False,
    rounding: Rounding = "half-up",
) -> int:
    """Stream a CSV with ``date``, ``currency`` and ``amount`` columns (any others pass through)
    to ``out`` with :data:`OUTPUT_COLUMNS` added; return the number of rows.

    A date is ``YYYY-MM-DD``; an amount is a plain number (``-1234.56``, ``1,234.56``).
    ``round_result`` rounds ``converted`` to the target currency's minor units by
    ``rounding`` (half-up, or half-even);
    otherwise it is what :meth:`calc.Converter.convert` gives (exact, or enough digits to
    round as the exact quotient does). Rows are read a block of about 8,000 at a time (``chunk``
    at a time once a cell is quoted), so memory stays bounded; ``progress(rows done)`` is called
    after each block. A passed-through cell that a
    spreadsheet would take for a formula gets a leading ``'`` (:func:`calc.safetext.for_csv`)
    unless ``raw_csv``.

    :raises LedgerError: for a bad header or row, naming ``name:line``
    :raises rates.RateError: for a row with no rate, its message led by ``name:line``
    """
    to = validate_currency(to)
    book = book if book is not None else RateBook()
    reader = csv.reader(source, strict=True)
    writer = csv.writer(out, lineterminator="\n")
    header = next(reader, None)
    if header is None:
        raise LedgerError(f"{name}: is empty; the first row must name date, currency and amount.")
    at = _ledger_columns(header, name)
    passed = [] if raw_csv else [i for i in range(len(header)) if i not in at]
    # The header waits for the first block converted: a stream cannot take back what it was
    # given, and a ledger whose first rows fail should leave nothing, not a header alone.
    held = io.StringIO()
    csv.writer(held, lineterminator="\n").writerow(
        [*(header if raw_csv else map(for_csv, header)), *OUTPUT_COLUMNS]
    )
    pending = held.getvalue()
    places = minor_units(to) if round_result else None
    rule = check_rounding(rounding)
    ratios = book.cross_table(to).ratios
    known: tuple[dict[str, _dt.date], dict[str, str]] = ({}, {})
    quick: list[Any] = []  # the quick paths for plain blocks, in the order they are tried
    if places is not None and ratios.units is not None:
        from .ledger_quick import QuickBlocks

        day_of, code_of = known

        def read_code(text: str, name: str, line: int) -> str:
            return _code(code_of, text, name, line)

        np = kernel.numpy() if FAST_LEDGER else None
        if np is not None:
            from .ledger_arrays import ArrayBlocks

            quick.append(ArrayBlocks(np, ratios, to, places, rule, at, len(header), passed,
                                     read_code))  # fmt: skip
        readers = (lambda text, name, line: _day(day_of, text, name, line), read_code)
        quick.append(_Later(lambda: QuickBlocks(ratios, to, places, rule, at, len(header),
                                                passed, readers)))  # fmt: skip
    width = max(at) + 1
    done = 0
    for rows, lines, text in _batches(source, reader, chunk, width, len(header), name, at[0]):
        if text is not None:  # plain lines: the quick path, else split them here
            written = None
            for path in quick:
                try:
                    written = path.convert(text, name, lines[0])
                except LedgerError:
                    raise  # it names its line already
                except (RateError, CalcError) as exc:
                    add_context(exc, where=name, line=lines[getattr(exc, "row", None) or 0])
                    raise
                if written is not None:
                    break
            if written is not None:
                out.write(pending + written if pending else written)
                pending = ""
                done += len(lines)
                if progress is not None:
                    progress(done)
                continue
            rows = list(map(str.split, text.split("\n"), repeat(",")))
            rows, lines = _checked_rows(rows, lines, width, len(header), name, at[0])
        if not rows:
            continue
        days, codes, digits, powers = _parse_rows(rows, lines, at, known, name)
        for column in passed:
            if min(map(len, rows)) > column:
                starts = "\n" + "\n".join(map(itemgetter(column), rows))
                if not any("\n" + c in starts for c in FORMULA_START):
                    continue  # no cell of the column starts a formula
            for row in [r for r in rows if len(r) > column and r[column][:1] in FORMULA_START]:
                row[column] = for_csv(row[column])
        try:
            found = ratios.rows(days, codes)
        except (RateError, CalcError) as exc:
            add_context(exc, where=name, line=lines[getattr(exc, "row", None) or 0])
            raise
        if places is None:
            texts = kernel.exact(digits, powers, found.numerators, found.denominators)
        else:
            minor = kernel.rounded(
                digits, powers, found.numerators, found.denominators, places, rule, fast=False
            )
            texts = kernel.minor_texts(minor, places)
        added = (
            texts,
            [to] * len(texts),
            found.rate_text_list(),
            found.fixing_dates(texts=True),
            found.sources(),
        )
        if pending:
            out.write(pending)
            pending = ""
        cells = "".join(map("".join, rows))
        if '"' in cells or "," in cells or "\n" in cells or "\r" in cells:
            writer.writerows(map(list.__add__, rows, map(list, zip(*added, strict=True))))
        else:  # no cell needs quoting: the csv module would write the cells as they are
            out.write(
                "\n".join(map(",".join, zip(map(",".join, rows), *added, strict=True))) + "\n"
            )
        done += len(rows)
        if progress is not None:
            progress(done)
    if pending:  # no rows: the header alone
        out.write(pending)
    return done


class _Later:
    """A quick path made when it is first asked to convert a block (its columns cost memory)."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._made: Any = None

    def convert(self, text: str, name: str, first_line: int) -> str | None:
        if self._made is None:
            self._made = self._make()
        return self._made.convert(text, name, first_line)  # type: ignore[no-any-return]


#: Text read at a time by the quick path of :func:`_batches` (about 9,000 short rows).
_BLOCK = 1 << 18


def _batches(
    source: TextIO, reader: Any, chunk: int, width: int, fields: int, name: str, at_date: int
) -> Iterator[tuple[list[list[str]], Sequence[int], str | None]]:
    """The rows after the header and their line numbers, a batch at a time, blank rows left out,
    and None; or, for a block of plain lines, no rows, the lines' numbers and their text.

    While the text holds no quote, carriage return or NUL, each line is its cells split at the
    commas, exactly as the csv module reads it, so blocks of lines are split in C (by the
    caller, from the text, with :func:`_checked_rows`). From the first block with any of them
    on, the csv module reads the rest (lines counted on from there).
    """
    line = reader.line_num
    pending = ""
    while True:
        block = source.read(_BLOCK)
        text = pending + block
        cut = text.rfind("\n") if block else len(text)
        if cut < 0:
            pending = text
            continue
        text, pending = text[:cut], text[cut + 1 :]
        if "\r" in text and '"' not in text:  # Windows line ends are line ends (a CR
            ended = text + "\n"  # anywhere else, or in a quoted cell, is for the csv module)
            if ended.count("\r") == ended.count("\r\n"):
                text = ended.replace("\r\n", "\n")[:-1]
        if '"' in text or "\r" in text or "\0" in text:
            whole = text + "\n" + pending + source.readline() if block else text
            rest = csv.reader(chain(csv_lines(whole), source), strict=True)
            while True:
                read = _next_rows(rest, chunk, width, fields, name, at_date, offset=line)
                if read is None:
                    return
                yield (*read, None)
        if text or block:
            count = text.count("\n") + 1
            yield [], range(line + 1, line + 1 + count), text
            line += count
        if not block:
            return


def _ledger_columns(header: list[str], name: str) -> tuple[int, int, int]:
    """Where the date, currency and amount columns are, or LedgerError naming the header."""
    columns = {h.strip().lower().lstrip("\ufeff"): i for i, h in enumerate(header)}
    missing = [c for c in ("date", "currency", "amount") if c not in columns]
    if missing:
        raise LedgerError(
            f"{name}:1: the header has no {', '.join(missing)} column; it must name date, "
            f"currency and amount (it names {', '.join(header) or 'nothing'})."
        )
    clash = [c for c in OUTPUT_COLUMNS if c in columns]
    if clash:
        raise LedgerError(f"{name}:1: the header already has {', '.join(clash)}; rename them.")
    return columns["date"], columns["currency"], columns["amount"]


def _next_rows(
    reader: Any, chunk: int, width: int, fields: int, name: str, at_date: int, offset: int = 0
) -> tuple[list[list[str]], Sequence[int]] | None:
    """The next `chunk` rows and their line numbers (``offset`` more than the reader counts),
    blank rows left out; None at the end.

    :raises LedgerError: for a row with fewer fields than the columns it needs
    """
    before = last = reader.line_num + offset
    rows: list[list[str]] = []
    append = rows.append
    try:
        for row in islice(reader, chunk):
            append(row)
            last = reader.line_num + offset
    except csv.Error as exc:
        raise _csv_problem(exc, name, last + 1) from None
    if not rows:
        return None
    if reader.line_num + offset - before == len(rows):  # one line a row: numbers by count
        lines: Sequence[int] = range(before + 1, before + 1 + len(rows))
    else:  # a quoted field spans lines: number the rows by their first line, one by one
        rows, lines = _rows_with_lines(rows, before)
    return _checked_rows(rows, lines, width, fields, name, at_date)


def _checked_rows(
    rows: list[list[str]], lines: Sequence[int], width: int, fields: int, name: str, at_date: int
) -> tuple[list[list[str]], Sequence[int]]:
    """`rows` without the blank ones, or LedgerError for a row that is too long or too short,
    or that holds a NUL or a lone carriage return."""
    if max(map(len, rows)) > fields:
        line, row = next(lr for lr in zip(lines, rows, strict=True) if len(lr[1]) > fields)
        raise LedgerError(f"{name}:{line}: {too_many_fields(len(row), fields)}.")
    text = "".join(map("".join, rows))  # one pass in C for the rare characters below
    if "\0" in text:
        line = next(li for li, row in zip(lines, rows, strict=True) if "\0" in "".join(row))
        raise LedgerError(f"{name}:{line}: {NUL_IN_ROW}.")
    if "\r" in text:  # a CR not followed by LF would be written unquoted and split the row
        for line, row in zip(lines, rows, strict=True):
            if _LONE_CR.search("\x1f".join(row)):
                raise LedgerError(
                    f"{name}:{line}: a cell holds a carriage return (CR) without a line feed; "
                    "save the file with Unix or Windows line endings."
                )
    if min(map(len, rows)) < width or "" in map(itemgetter(at_date), rows):
        keep = [bool("".join(row).strip()) for row in rows]  # blank rows (",,") are skipped
        for row, line, kept in zip(rows, lines, keep, strict=True):
            if kept and len(row) < width:
                raise LedgerError(
                    f"{name}:{line}: the row has {len(row)} fields; the header names {fields}."
                )
        rows, lines = list(compress(rows, keep)), list(compress(lines, keep))
    return rows, lines


def _parse_rows(
    rows: list[list[str]],
    lines: Sequence[int],
    at: tuple[int, int, int],
    known: tuple[dict[str, _dt.date], dict[str, str]],
    name: str,
) -> tuple[list[_dt.date], list[str], list[int], list[int]]:
    """The dates, currencies and amounts of `rows` (each amount as digits over a power of
    ten): the common case in C-level passes, new or bad values one by one (`known` remembers
    the dates and codes read so far)."""
    day_of, code_of = known
    day_texts = list(map(itemgetter(at[0]), rows))
    code_texts = list(map(itemgetter(at[1]), rows))
    amount_texts = list(map(itemgetter(at[2]), rows))
    days = list(map(day_of.get, day_texts))
    for i in [i for i, day in enumerate(days) if day is None]:
        days[i] = _day(day_of, day_texts[i], name, lines[i])
    codes = list(map(code_of.get, code_texts))
    for i in [i for i, code in enumerate(codes) if code is None]:
        codes[i] = _code(code_of, code_texts[i], name, lines[i])
    plain = kernel.plain_digits(amount_texts, MAX_EXPONENT)
    if plain is not None:  # every amount a plain decimal: read as integers, no Decimal
        digits, powers = plain
    else:
        try:
            amounts = list(map(Decimal, amount_texts))
        except (InvalidOperation, TypeError, ValueError):
            amounts = [_amount(t, name, line) for t, line in zip(amount_texts, lines, strict=True)]
        else:
            for i in [i for i, a in enumerate(amounts) if not a.is_finite()]:
                _amount(amount_texts[i], name, lines[i])  # raises, naming the line
            # An exponent is the one way a short text stands for a huge number (1e999999999).
            for i in [i for i, t in enumerate(amount_texts) if "e" in t or "E" in t]:
                _amount(amount_texts[i], name, lines[i])
        digits, powers = kernel.amount_ratios(amounts)
    # Every None was replaced above: the lists hold dates and codes only.
    return cast("list[_dt.date]", days), cast("list[str]", codes), digits, powers


def _csv_problem(exc: csv.Error, name: str, line: int) -> LedgerError:
    """The csv module's complaint about the row that starts at ``line``, as one sentence."""
    return LedgerError(f"{name}:{line}: {csv_problem(exc)}.")


def _rows_with_lines(rows: list[list[str]], before: int) -> tuple[list[list[str]], list[int]]:
    """The first line of each row, counting the newlines inside its quoted fields."""
    lines, line = [], before + 1
    for row in rows:
        lines.append(line)
        line += 1 + sum(cell.count("\n") for cell in row)
    return rows, lines


def _day(cache: dict[str, _dt.date], text: str, name: str, line: int) -> _dt.date:
    day = cache.get(text)
    if day is None:
        try:
            day = cache[text] = _dt.date.fromisoformat(text.strip())
        except ValueError:
            raise LedgerError(
                f"{name}:{line}: date {text!r} is not a date; write YYYY-MM-DD."
            ) from None
    return day


def _code(cache: dict[str, str], text: str, name: str, line: int) -> str:
    code = cache.get(text)
    if code is None:
        try:
            code = cache[text] = validate_currency(text.strip())
        except CalcError as exc:
            raise LedgerError(f"{name}:{line}: currency {text!r}: {exc}") from None
    return code


def _amount(text: str, name: str, line: int) -> Decimal:
    try:
        amount = Decimal(text)
    except InvalidOperation:
        cleaned = text.strip().replace("_", "").replace(" ", "")
        if "," in cleaned and not _GROUPED.fullmatch(cleaned):
            raise LedgerError(
                f"{name}:{line}: amount {text!r} is not a number; commas may only group "
                "thousands (1,234.56): write a decimal point (2.5), not a comma."
            ) from None
        try:
            amount = Decimal(cleaned.replace(",", ""))
        except InvalidOperation:
            raise LedgerError(f"{name}:{line}: amount {text!r} is not a number.") from None
    if not amount.is_finite():
        raise LedgerError(f"{name}:{line}: amount {text!r} is not a finite number.")
    if not -MAX_EXPONENT <= amount.as_tuple().exponent <= MAX_EXPONENT:  # type: ignore[operator]
        raise LedgerError(
            f"{name}:{line}: amount {text!r} has an exponent beyond ±{MAX_EXPONENT}, out of any "
            "money's range; write the amount in full."
        )
    return amount


def convert_file(
    path: str,
    to: str,
    *,
    output: str | None,
    stdout: TextIO,
    book: RateBook | None = None,
    round_result: bool = False,
    progress: Callable[[int], None] | None = None,
    raw_csv: bool = False,
    force: bool = False,
    rounding: Rounding = "half-up",
) -> int:
    """:func:`convert_csv` from ``path`` to ``output`` (None: ``stdout``); ``force`` replaces
    an output that is a link (see :func:`calc.output.replace_atomic`).

    An output file is written beside its final name and renamed into place only when every row
    has been converted: a failure leaves nothing half-written.

    :raises LedgerError: if the file cannot be read or written
    """
    name = os.path.basename(path)
    try:
        source = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise LedgerError(f"{name}: cannot be read: {exc.strerror}.") from exc
    with source:

        def run(out: TextIO) -> int:
            return _guard(lambda: convert_csv(source, out, to, book=book, name=name,
                                              round_result=round_result, progress=progress,
                                              raw_csv=raw_csv, rounding=rounding), name)  # fmt: skip

        if output is None:
            return run(stdout)
        try:
            return write_atomic(output, run, force=force)
        except OutputRefusedError:
            raise
        except IsADirectoryError:
            raise LedgerError(
                f"{output}: is a directory; give a file name with --output."
            ) from None
        except OSError as exc:
            device = os.path.exists(output) and not os.path.isfile(output)
            shown = output if device else os.path.basename(output)
            raise LedgerError(f"{shown}: cannot be written: {exc.strerror}.") from exc


def _guard(run: Callable[[], int], name: str) -> int:
    """Turn what the csv module and decoding raise into one LedgerError naming the file."""
    try:
        return run()
    except UnicodeDecodeError as exc:
        raise LedgerError(
            f"{name}: is not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from None
    except csv.Error as exc:
        raise LedgerError(f"{name}: is not valid CSV: {exc}.") from None
