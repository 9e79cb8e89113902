"""The ledger inside DuckDB: ``spendcalc ledger FILE --to CUR --round --engine duckdb``.

One streaming ``COPY`` reads the CSV, converts every row and writes it, in input order (a
projection only: no join, no ORDER BY), within a memory limit. It writes what
:func:`calc.ledger.convert_csv` writes with ``round_result=True``, cell for cell:

- the result is ``round(A * N / D)`` in the target's minor units, where ``N / D`` is the cross
  rate as the exact fraction EUR->quote / EUR->base of the published values; it is done in
  HUGEINT arithmetic, the rounding rule applied to the remainder (``2r`` against ``D``), never
  in binary floating point;
- the rate is written as the 28-digit quotient :meth:`rates.RateBook.rate` gives, formatted as
  Python's ``str(Decimal)`` does; the fixing date and source are the book's;
- a row the bundled table cannot answer (a day past the snapshot, a gap, an override, a text
  the fast checks do not read, such as ``gbp`` or `` 2024-01-02``) is answered by the rate book
  itself, through a Python function DuckDB calls for that row only.

Anything else (a bad date, currency or amount, a row with too many fields, an unclosed quote,
a NUL, a lone CR, an amount too long for 128-bit integers, a row the book refuses) stops the
DuckDB run and the whole file goes through the Python engine instead, which gives the one-line
error it always gives (or, for an input only it reads, the same output). Nothing is written
until one engine has finished.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import tempfile
from collections.abc import Callable
from fractions import Fraction
from typing import Any, TextIO

from rates import RateBook
from rates.ecb import SOURCE_BUNDLED

from .decimals import Rounding, check_rounding
from .ledger import OUTPUT_COLUMNS, LedgerError
from .ledger import convert_file as convert_file_python
from .money import validate_currency
from .safetext import FORMULA_START, for_csv

#: DuckDB's share of the machine: two threads, and a memory limit the COPY streams within.
THREADS = 2
MEMORY_LIMIT = "160MB"
#: CSV read buffer (bytes): small, so memory stays flat; a row may be up to a quarter of it.
_BUFFER = 8 << 20
#: A special row's answer from Python: ``N``, ``D`` and the CSV text of rate, fixing, source.
_SEP = "\x1f"
#: The largest numerator or denominator of an exact rate taken from the book (HUGEINT room).
_MAX_TERM = 10**15
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_PLAIN_AMOUNT = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)"
_GROUPED_AMOUNT = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
NEEDS_ROUND = (
    "--engine duckdb writes results rounded to the currency's minor units; add --round, or "
    "use --engine python for exact unrounded results."
)


class _Fallback(Exception):
    """The DuckDB run stopped: the Python engine converts the file (and names any problem)."""


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
    """:func:`calc.ledger.convert_file`, converted inside DuckDB; the same output and errors.

    :raises LedgerError: without ``round_result`` (say ``--round``), without DuckDB, or for
        what the Python engine raises on this file
    """
    if not round_result:
        raise LedgerError(NEEDS_ROUND)
    try:
        import duckdb
        import numpy  # noqa: F401 - DuckDB's Python functions (the rate book's rows) need it
    except ImportError:
        raise LedgerError(
            "--engine duckdb needs DuckDB and numpy; install them with: pip install duckdb numpy "
            "(or, in a spendcalc source tree, pip install '.[sql]'), or use --engine python."
        ) from None
    to = validate_currency(to)
    rounding = check_rounding(rounding)
    book = book if book is not None else RateBook()
    try:
        count = _convert(duckdb, path, to, output, stdout, book, raw_csv, force, rounding)
    except (_Fallback, duckdb.Error, OSError, UnicodeError):
        count = None
    if count is None:
        return convert_file_python(
            path, to, output=output, stdout=stdout, book=book, round_result=True,
            progress=progress, raw_csv=raw_csv, force=force, rounding=rounding,
        )  # fmt: skip
    if progress is not None:
        progress(count)
    return count


def _convert(
    duckdb: Any, path: str, to: str, output: str | None, stdout: TextIO, book: RateBook,
    raw_csv: bool, force: bool, rounding: Rounding,
) -> int | None:  # fmt: skip
    """The DuckDB run, written to ``output`` (atomically) or ``stdout``; None: use Python."""
    from .output import _is_special, _removed_on_exit, replace_atomic

    header = _header(path)
    if header is None:
        return None
    connection = duckdb.connect(config={"threads": THREADS, "memory_limit": MEMORY_LIMIT})
    try:
        query = _Query(connection, book, to, header, raw_csv=raw_csv, rounding=rounding)

        def produce(target: str) -> int:
            return query.copy(path, target)

        if output is not None and not _is_special(output):
            return replace_atomic(output, produce, force=force)
        staging = tempfile.mkdtemp(prefix="spendcalc-ledger-")
        target = os.path.join(staging, "out.csv")
        try:
            with _removed_on_exit(target):
                count = produce(target)
                _copy_into(target, output, stdout)
            return count
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    finally:
        connection.close()


def _copy_into(path: str, output: str | None, stdout: TextIO) -> None:
    """The finished file's bytes into ``output`` (a pipe or device) or ``stdout``."""
    with open(path, "rb") as done:
        if output is not None:
            with open(output, "wb") as out:
                shutil.copyfileobj(done, out, 1 << 20)
            return
        stdout.flush()
        binary = getattr(stdout, "buffer", None)
        if binary is not None:
            shutil.copyfileobj(done, binary, 1 << 20)
            binary.flush()
        else:
            while block := done.read(1 << 20):
                stdout.write(block.decode("utf-8"))


def _header(path: str) -> list[str] | None:
    """The header as the Python engine reads it, or None when it must judge the file itself."""
    import csv

    from .ledger import _ledger_columns

    try:
        with open(path, encoding="utf-8-sig", newline="") as source:
            header = next(csv.reader(source, strict=True), None)
    except (OSError, UnicodeError, csv.Error):
        return None
    if header is None or "\0" in "".join(header):
        return None
    try:
        _ledger_columns(header, os.path.basename(path))
    except LedgerError:
        return None
    return header


def csv_cell(text: str) -> str:
    """``text`` as :func:`csv.writer` writes a cell (minimal quoting, quotes doubled).

    >>> csv_cell("plain"), csv_cell('a "b", c')
    ('plain', '"a ""b"", c"')
    """
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _sql_text(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class _Query:
    """The COPY statement for one ledger, and the lookup lists it reads (made once)."""

    def __init__(
        self, connection: Any, book: RateBook, to: str, header: list[str], *,
        raw_csv: bool, rounding: Rounding,
    ) -> None:  # fmt: skip
        from babel.numbers import get_currency_precision

        self.connection, self.book, self.to = connection, book, to
        self.header = header
        self.digits = int(get_currency_precision(to))
        self.raw_csv, self.half_even = raw_csv, rounding == "half-even"
        self._answers: dict[tuple[str | None, str | None], str] = {}
        self._lookups()
        connection.create_function(
            "spendcalc_book_rate", self._book_rate, ["VARCHAR", "VARCHAR"], "VARCHAR",
            null_handling="special", side_effects=True,
        )  # fmt: skip

    def _lookups(self) -> None:
        """One row of lists: each calendar day's fixing, and every per-EUR value as an integer
        ``mantissa * 16 + scale`` (0: not quoted), ``fixing * codes + code`` (1-based)."""
        table = self.book.cross_table(self.to)
        history = self.book.fixings.snapshot
        codes = sorted({*history.currencies, "EUR"})
        self.codes = codes
        count = len(table.fixing_dates) if table.simple else 0
        self.first_day = first = min(table.index_of_day) if count else _dt.date(1999, 1, 4)
        last = max(table.index_of_day) if count else first
        calendar = [0] * ((last - first).days + 1)
        if count:
            for day, index in table.index_of_day.items():
                calendar[(day - first).days] = index + 1
        per_eur, packed = self._per_eur(count)
        self.connection.execute(
            "CREATE TABLE lookups AS SELECT $1::INTEGER[] AS calendar, $2::DATE[] AS fixings, "
            f"$3::HUGEINT[] AS p10, ({per_eur}) AS per_eur",
            [calendar, table.fixing_dates[:count], [10**k for k in range(39)], *packed],
        )
        self.quote_slot = codes.index(self.to) + 1 if self.to in codes and count else 0

    def _per_eur(self, count: int) -> tuple[str, list[list[int]]]:
        """The SQL of the per-EUR list: read by DuckDB from the bundled snapshot file itself
        (the book's snapshot is that file), else packed here from the book's columns."""
        from rates.ecb import bundled_history, snapshot_path

        history, codes = self.book.fixings.snapshot, self.codes
        if count and history is bundled_history():
            with open(snapshot_path(), encoding="ascii") as snapshot:
                header = next(line for line in snapshot if not line.startswith("#"))
            columns = ", ".join(f"'{name}': 'VARCHAR'" for name in header.strip().split(","))
            packed = ", ".join(
                "16" if code == "EUR" else
                f"coalesce(replace(\"{code}\", '.', '')::INTEGER * 16 + CASE WHEN "
                f"contains(\"{code}\", '.') THEN length(\"{code}\") - strpos(\"{code}\", '.') "
                "ELSE 0 END, 0)"
                for code in codes
            )  # fmt: skip
            return (
                f'SELECT flatten(list([{packed}] ORDER BY "Date")) FROM read_csv('
                f"{_sql_text(snapshot_path())}, skip=1, header=true, columns={{{columns}}}, "
                "auto_detect=false, delim=',', quote='', escape='')"
            ), []
        values: list[int] = [0] * (count * len(codes))
        if count:
            texts = history.columns([c for c in codes if c != "EUR"])
            texts["EUR"] = ["1"] * count
            for slot, code in enumerate(codes):
                values[slot :: len(codes)] = map(_packed, texts[code])
        return "SELECT $4::INTEGER[]", [values]

    def _book_rate(self, day_text: str | None, code_text: str | None) -> str:
        """A row the bundled lists do not answer: the rate book's answer, or its error."""
        key = (day_text, code_text)
        answer = self._answers.get(key)
        if answer is None:
            if day_text is None or code_text is None:
                raise _Fallback("a blank date or currency")
            day = _dt.date.fromisoformat(day_text.strip())
            code = validate_currency(code_text.strip())
            if code == self.to:
                from rates.rate import SOURCE_SAME

                text, fixing, source, ratio = "1", day, SOURCE_SAME, Fraction(1)
            else:
                rate = self.book.rate(code, self.to, day)
                numerator, denominator = rate.ratio
                ratio = Fraction(numerator) / Fraction(denominator)
                text, fixing, source = str(rate.value), rate.fixing_date, rate.source
            if ratio.numerator >= _MAX_TERM or ratio.denominator >= _MAX_TERM:
                raise _Fallback("a rate too long for HUGEINT arithmetic")
            suffix = ",".join(map(csv_cell, (text, fixing.isoformat(), source)))
            answer = f"{ratio.numerator}{_SEP}{ratio.denominator}{_SEP}{suffix}"
            self._answers[key] = answer
        return answer

    def copy(self, path: str, target: str) -> int:
        """Write the converted ledger to ``target``; return the number of rows."""
        header_line = ",".join(
            map(csv_cell, [*(self.header if self.raw_csv else map(for_csv, self.header)),
                           *OUTPUT_COLUMNS])
        )  # fmt: skip
        # Were DuckDB to spill, it would write beside the target (never in /tmp or the cwd).
        spill = target + ".spill"
        self.connection.execute(f"SET temp_directory = {_sql_text(spill)}")
        try:
            done = self.connection.execute(
                f"COPY (SELECT {_sql_text(header_line)} AS line UNION ALL ({self.body(path)})) "
                f"TO {_sql_text(target)} (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')"
            ).fetchone()
        finally:
            shutil.rmtree(spill, ignore_errors=True)
        return int(done[0]) - 1

    def body(self, path: str) -> str:
        """The SELECT that gives each converted row as one CSV line, in input order."""
        from .ledger import _ledger_columns

        header = self.header
        at = _ledger_columns(header, "")
        columns = ", ".join(f"'field_{i}': 'VARCHAR'" for i in range(len(header)))
        cells = [f"coalesce(field_{i}, '')" for i in range(len(header))]
        shown = []
        for i, cell in enumerate(cells):
            if not self.raw_csv and i not in at:
                starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)
                cell = (
                    f"CASE WHEN left({cell}, 1) IN ({starts}) AND NOT "
                    f"regexp_full_match({cell}, '{_NUMBER}') THEN '''' || {cell} ELSE {cell} END"
                )
            shown.append(
                f"CASE WHEN regexp_matches({cell}, '[,\"\\n\\r]') THEN "
                f"'\"' || replace({cell}, '\"', '\"\"') || '\"' ELSE {cell} END"
            )
        day, code, amount = (f"field_{i}" for i in at)
        p = self.digits
        n = len(self.codes)
        source = _sql_text(csv_cell(SOURCE_BUNDLED))
        codes = "MAP {" + ", ".join(f"'{c}': {i + 1}" for i, c in enumerate(self.codes)) + "}"
        read = (
            f"read_csv({_sql_text(path)}, header=true, auto_detect=false, delim=',', "
            f"quote='\"', escape='\"', columns={{{columns}}}, strict_mode=true, "
            f"null_padding=false, allow_quoted_nulls=false, buffer_size={_BUFFER}, "
            f"max_line_size={_BUFFER // 4}, encoding='utf-8')"
        )
        # Step by step, each SELECT naming what the next one reads.
        parsed = f"""
            SELECT *,
                concat_ws(chr(31), {", ".join(f"field_{i}" for i in range(len(header)))}) AS joined,
                concat({", ".join(f"field_{i}" for i in range(len(header)))}) AS all_text,
                regexp_full_match({day}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') AND {day} >= '0001'
                    AND try_cast({day} AS DATE) IS NOT NULL AS plain_day,
                try_cast({day} AS DATE) - DATE '{self.first_day.isoformat()}' + 1 AS day_slot,
                {codes}[{code}] AS code_slot,
                regexp_full_match({amount}, '{_PLAIN_AMOUNT}')
                    OR regexp_full_match({amount}, '{_GROUPED_AMOUNT}') AS plain_amount
            FROM {read}, lookups"""
        fixed = f"""
            SELECT *,
                CASE WHEN plain_day AND day_slot BETWEEN 1 AND len(calendar)
                    THEN calendar[day_slot] ELSE 0 END AS fixing
            FROM ({parsed})
            WHERE coalesce(all_text, '') <> ''"""
        valued = f"""
            SELECT *,
                CASE WHEN fixing > 0 AND code_slot IS NOT NULL AND {self.quote_slot} > 0
                    THEN per_eur[(fixing - 1) * {n} + code_slot] ELSE 0 END AS base_packed,
                CASE WHEN fixing > 0 AND {self.quote_slot} > 0
                    THEN per_eur[(fixing - 1) * {n} + {self.quote_slot}] ELSE 0 END AS quote_packed,
                CASE WHEN fixing > 0 THEN fixings[fixing]::VARCHAR END AS fixing_text
            FROM ({fixed})"""
        # The lists stop here: carried further, every step would copy them for each vector.
        valued = f"SELECT * EXCLUDE (per_eur, calendar, fixings) FROM ({valued})"
        kind = f"""
            SELECT *,
                CASE WHEN plain_day AND {code} = '{self.to}' THEN 'same'
                     WHEN base_packed > 0 AND quote_packed > 0 THEN 'bundled'
                     ELSE 'book' END AS kind,
                CASE WHEN plain_day AND {code} = '{self.to}' THEN NULL
                     WHEN base_packed > 0 AND quote_packed > 0 THEN NULL
                     ELSE spendcalc_book_rate({day}, {code}) END AS answer,
                quote_packed // 16 AS quote_mantissa,
                base_packed // 16 AS base_mantissa
            FROM ({valued})"""
        # Outside the bundled rows, 1/1 stands in (so no division by zero is ever asked for).
        kind = f"""
            SELECT *,
                CASE WHEN kind = 'bundled' THEN quote_mantissa ELSE 1 END AS qm,
                CASE WHEN kind = 'bundled' THEN quote_packed % 16 ELSE 0 END AS qs,
                CASE WHEN kind = 'bundled' THEN base_mantissa ELSE 1 END AS bm,
                CASE WHEN kind = 'bundled' THEN base_packed % 16 ELSE 0 END AS bs
            FROM ({kind})"""
        # The cross rate's 28 significant digits, as Decimal division gives them: qm / bm by
        # long division in BIGINT steps of 9 digits (36 after the point: at least 29 significant),
        # rounded half-even on the digits after the 28th and the last remainder.
        steps = f"""
            SELECT *, qm // bm AS d0, qm % bm AS r0 FROM ({kind})"""
        for step in range(1, 5):
            steps = f"""
            SELECT *, (r{step - 1} * 1000000000) // bm AS d{step},
                      (r{step - 1} * 1000000000) % bm AS r{step}
            FROM ({steps})"""
        spelled = f"""
            SELECT *, ltrim(whole, '0') AS significant, length(whole) AS width
            FROM (SELECT *, d0::VARCHAR || {" || ".join(f"lpad(d{i}::VARCHAR, 9, '0')" for i in range(1, 5))}
                            AS whole
                  FROM ({steps}))"""
        split = f"""
            SELECT *, significant[1:28] AS head, significant[29:] AS rest,
                      width - length(significant) AS zeros
            FROM ({spelled})"""
        judged = f"""
            SELECT *, rtrim(rest, '0') = '' AND r4 = 0 AS exact,
                CASE WHEN rest[1] > '5' THEN true
                     WHEN rest[1] < '5' THEN false
                     WHEN rtrim(rest[2:], '0') <> '' OR r4 <> 0 THEN true
                     ELSE head[28] IN ('1', '3', '5', '7', '9') END AS up
            FROM ({split})"""
        rounded28 = f"""
            SELECT *,
                CASE WHEN exact OR NOT up THEN head
                     WHEN head = repeat('9', 28) THEN '1' || repeat('0', 27)
                     ELSE (head::HUGEINT + 1)::VARCHAR END AS cs,
                width - zeros - 64 + bs - qs
                    + CASE WHEN up AND NOT exact AND head = repeat('9', 28) THEN 1 ELSE 0 END AS e0
            FROM ({judged})"""
        stripped = f"""
            SELECT *, cs[1:length(cs) - k] AS digits, e0 + k AS e
            FROM (SELECT *,
                    CASE WHEN exact
                        THEN least(length(cs) - length(rtrim(cs, '0')), bs - qs - e0) ELSE 0 END AS k
                  FROM ({rounded28}))"""
        rate_text = """
            CASE WHEN e <= 0 AND e + length(digits) - 1 >= -6 THEN
                CASE WHEN e = 0 THEN digits
                     WHEN length(digits) > -e
                        THEN digits[1:length(digits) + e] || '.' || digits[length(digits) + e + 1:]
                     ELSE '0.' || repeat('0', -e - length(digits)) || digits END
            ELSE digits[1] || CASE WHEN length(digits) > 1 THEN '.' || digits[2:] ELSE '' END
                 || 'E' || CASE WHEN e + length(digits) - 1 >= 0 THEN '+' ELSE '' END
                 || (e + length(digits) - 1)::VARCHAR END"""
        terms = f"""
            SELECT *,
                CASE kind WHEN 'same' THEN 1::HUGEINT
                          WHEN 'bundled' THEN qm::HUGEINT * p10[bs + 1]
                          ELSE split_part(answer, chr(31), 1)::HUGEINT END AS num_rate,
                CASE kind WHEN 'same' THEN 1::HUGEINT
                          WHEN 'bundled' THEN bm::HUGEINT * p10[qs + 1]
                          ELSE split_part(answer, chr(31), 2)::HUGEINT END AS den_rate,
                CASE kind WHEN 'same' THEN '1,' || {day} || ',' || {_sql_text(csv_cell("same currency"))}
                          WHEN 'bundled' THEN {rate_text} || ',' || fixing_text || ',' || {source}
                          ELSE answer[length(split_part(answer, chr(31), 1))
                                      + length(split_part(answer, chr(31), 2)) + 3:] END AS suffix,
                ltrim(replace(replace(replace(replace({amount}, '-', ''), '+', ''), '.', ''), ',', ''), '0') AS mantissa,
                CASE WHEN contains({amount}, '.')
                    THEN length({amount}) - strpos({amount}, '.') ELSE 0 END AS scale,
                starts_with({amount}, '-') AS negative
            FROM ({stripped})"""
        sized = f"""
            SELECT *,
                length(mantissa) + greatest({p} - scale, 0) <= 37 AND scale - {p} <= 36
                    AND num_rate < p10[38 - length(mantissa) - greatest({p} - scale, 0) + 1]
                    AND den_rate < p10[37 - greatest(scale - {p}, 0) + 1] AS fits
            FROM ({terms})"""
        divided = f"""
            SELECT *, num - q * den AS r
            FROM (SELECT *, num // den AS q FROM (SELECT *,
                    CASE WHEN fits THEN (CASE WHEN mantissa = '' THEN 0 ELSE mantissa::HUGEINT END)
                        * num_rate * p10[greatest({p} - scale, 0) + 1] END AS num,
                    CASE WHEN fits THEN den_rate * p10[greatest(scale - {p}, 0) + 1] END AS den
                  FROM ({sized})))"""
        tie = "q % 2 = 1" if self.half_even else "true"
        magnitude = f"""
            SELECT *,
                CASE WHEN q < 4000000000000000000
                    THEN (q::BIGINT + CASE WHEN 2 * r > den OR (2 * r = den AND {tie}) THEN 1 ELSE 0 END)::VARCHAR
                    ELSE (q + CASE WHEN 2 * r > den OR (2 * r = den AND {tie}) THEN 1 ELSE 0 END)::VARCHAR
                END AS units
            FROM ({divided})"""
        sign = "CASE WHEN negative THEN '-' ELSE '' END"
        if p:
            padded = f"lpad(units, greatest(length(units), {p + 1})::INTEGER, '0')"
            converted = f"({sign} || {padded}[1:-{p + 1}] || '.' || {padded}[-{p}:])"
        else:
            converted = f"({sign} || units)"
        # Most rows have no cell to quote or guard: one test of the whole row, then plain text.
        passed = [f"field_{i}" for i in range(len(header)) if i not in at and not self.raw_csv]
        # contains() looks for one character without a regular expression: far cheaper.
        plain_row = (
            "NOT (" + " OR ".join(f"contains(joined, {_sql_text(c)})" for c in ',"\n\r') + ")"
        )
        literals = ", ".join(_sql_text(c) for c in FORMULA_START)
        for cell in passed:
            plain_row += f" AND left(coalesce({cell}, ''), 1) NOT IN ({literals})"
        magnitude = f"SELECT *, {converted} AS converted FROM ({magnitude})"
        tail = f"converted, ',{self.to},', suffix"
        plain_line = f"concat({', '.join(f'{c}, {chr(39)},{chr(39)}' for c in cells)}, {tail})"
        full_line = f"concat({', '.join(f'{c}, {chr(39)},{chr(39)}' for c in shown)}, {tail})"
        line = f"CASE WHEN {plain_row} THEN {plain_line} ELSE {full_line} END"
        hazard = (
            "(contains(joined, chr(0)) OR contains(joined, chr(13)) "
            "AND regexp_matches(joined, '\\r([^\\n]|$)'))"
        )
        good = f"plain_amount AND fits AND NOT {hazard}"
        # A row the checks refuse stops the run: the Python engine then names the problem.
        return f"""
            SELECT CASE WHEN line IS NULL THEN error('spendcalc: not for the DuckDB engine')
                        ELSE line END AS line
            FROM (SELECT CASE WHEN {good} THEN {line} END AS line FROM ({magnitude}))"""


def _packed(text: str) -> int:
    """A published per-EUR value as ``mantissa * 16 + scale`` (0 for no value)."""
    if not text:
        return 0
    whole, _, fraction = text.partition(".")
    return int(whole + fraction) * 16 + len(fraction)
