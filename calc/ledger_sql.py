"""The ledger inside DuckDB: ``spendcalc ledger FILE --to CUR --round --engine duckdb``.

One streaming ``COPY`` reads the CSV, converts every row and writes it, in input order, within
a memory limit. No join (DuckDB reorders rows across one, as it does for a long ``IN`` list,
which it plans as a join) and no ORDER BY: one table read, projections, a filter and scalar
functions, which DuckDB documents as keeping the order of rows, and lists read from one-row
tables (a cross product, which it does not document so, but streams chunk by chunk). Each row's
number is taken as it is read and checked as it is written (:func:`in_order`): were rows ever
out of order, the run would stop and the Python engine would convert the file. It writes what
:func:`calc.ledger.convert_csv` writes with ``round_result=True``, cell for cell:

- a row's fixing comes from a list of calendar days, its currency from a list indexed by the
  code's hash, its published per-EUR values from a list per fixing (the quote) and one per
  fixing and currency (the base);
- the result is ``round(A * N / D)`` in the target's minor units, where ``N / D`` is the cross
  rate as the exact fraction EUR->quote / EUR->base of the published values; it is estimated
  in floating point and made exact with the remainder in HUGEINT arithmetic, the rounding rule
  applied to ``2r`` against ``D``;
- the rate is written as the 28-digit quotient :meth:`rates.RateBook.rate` gives, worked out
  in BIGINT long division and spelled as Python's ``str(Decimal)`` does; the fixing date and
  source are the book's;
- DuckDB's CSV writer quotes the cells as the csv module does (an empty cell goes out as NULL);
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
from rates.rate import SOURCE_SAME

from .decimals import Rounding, check_rounding
from .ledger import OUTPUT_COLUMNS, LedgerError
from .ledger import convert_file as convert_file_python
from .money import validate_currency
from .safetext import FORMULA_START, for_csv

#: DuckDB's share of the machine: two threads, and a memory limit the COPY streams within.
THREADS = 2
MEMORY_LIMIT = "100MB"
#: CSV read buffer (bytes): small, so memory stays flat; a row may be up to a quarter of it.
_BUFFER = 2 << 20
#: Joins the fields of a row's answer from the rate book: ``N``, ``D``, rate, fixing, source.
_SEP = "\x1f"
#: The error that stops a run whose rows DuckDB would write out of order.
_OUT_OF_ORDER = "spendcalc: rows out of order"
#: The error that stops a run without the rate book at the first row that needs it.
_NEEDS_BOOK = "spendcalc: a row for the rate book"
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
    # No spilling until the COPY says where (beside its target): never into the cwd's .tmp.
    connection = duckdb.connect(
        config={"threads": THREADS, "memory_limit": MEMORY_LIMIT, "temp_directory": ""}
    )
    try:
        query = _Query(connection, book, to, header, raw_csv=raw_csv, rounding=rounding,
                       hazards=_has_hazards(path))  # fmt: skip

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


def _has_hazards(path: str) -> bool:
    """Whether the file holds a NUL or a carriage return anywhere (rows with them need a
    closer look; most files have neither)."""
    import mmap

    with open(path, "rb") as source:
        if os.fstat(source.fileno()).st_size == 0:
            return False
        with mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b"\0") >= 0 or data.find(b"\r") >= 0


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
        raw_csv: bool, rounding: Rounding, hazards: bool = True,
    ) -> None:  # fmt: skip
        from babel.numbers import get_currency_precision

        self.connection, self.book, self.to = connection, book, to
        self.table = book.cross_table(to)
        self.header = header
        self.digits = int(get_currency_precision(to))
        self.raw_csv, self.half_even, self.hazards = raw_csv, rounding == "half-even", hazards
        self._answers: dict[tuple[str | None, str | None], str] = {}
        self._lookups()
        #: Whether rows the bundled lists do not answer ask the rate book (registering the
        #: function loads numpy, a tenth of a short run: only once a row needs it).
        self.with_book = False

    def _ask_the_book(self) -> None:
        self.with_book = True
        self.connection.create_function(
            "spendcalc_book_rate", self._book_rate, ["VARCHAR", "VARCHAR"], "VARCHAR",
            null_handling="special", side_effects=True,
        )  # fmt: skip

    def _lookups(self) -> None:
        """Two one-row tables of lists.

        ``days``: for each calendar day from the first fixing on, its text and its fixing
        (1-based; 0 for none); for each fixing, its text and the quote's per-EUR value; for each
        code's hash slot, the code (1-based) and the code's text. ``pairs``, at
        ``(fixing - 1) * codes + code``: the base's per-EUR value (0 where the bundled table has
        none). A per-EUR value is packed as ``mantissa * 16 + places``.
        """
        table = self.table
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
        self.quote_slot = codes.index(self.to) + 1 if self.to in codes and count else 0
        n, quote = len(codes), self.quote_slot
        per_eur, packed = self._per_eur(count)
        self.connection.execute(f"CREATE TABLE pairs AS SELECT ({per_eur}) AS bases", packed)
        self.hash_slots = _hash_slots(self.connection, codes)
        day_texts = [(first + _dt.timedelta(days=k)).isoformat() for k in range(len(calendar))]
        self.connection.execute(
            "CREATE TABLE days AS SELECT $1::INTEGER[] AS calendar, $2::VARCHAR[] AS day_texts, "
            "$3::VARCHAR[] AS fixings, $4::INTEGER[] AS code_slots, $5::VARCHAR[] AS code_texts, "
            "$6::BIGINT[] AS p10, "
            f"(SELECT CASE WHEN {quote} > 0 THEN list_slice(bases, {quote}, len(bases), {n}) "
            "ELSE [] END FROM pairs) AS quotes",
            [calendar, day_texts, [d.isoformat() for d in table.fixing_dates[:count]],
             self.hash_slots, codes, [10**k for k in range(19)]],
        )  # fmt: skip

    def _per_eur(self, count: int) -> tuple[str, list[list[int]]]:
        """The SQL of the per-EUR list (at ``fixing * codes + code``): read by DuckDB from the
        bundled snapshot file itself (the book's snapshot is that file), else packed here from
        the book's columns; and its parameters."""
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
        return "SELECT $1::INTEGER[]", [values]

    def _book_rate(self, day_text: str | None, code_text: str | None) -> str:
        """A row the bundled lists do not answer: the rate book's answer, or its error, as
        numerator, denominator, rate, fixing date and source, joined by :data:`_SEP`."""
        key = (day_text, code_text)
        answer = self._answers.get(key)
        if answer is None:
            if day_text is None or code_text is None:
                raise _Fallback("a blank date or currency")
            day = _dt.date.fromisoformat(day_text.strip())
            code = validate_currency(code_text.strip())
            rate = self.table.rate(day, code)
            numerator, denominator = rate.ratio
            ratio = Fraction(numerator) / Fraction(denominator)
            if ratio.numerator >= _MAX_TERM or ratio.denominator >= _MAX_TERM:
                raise _Fallback("a rate too long for HUGEINT arithmetic")
            answer = _SEP.join(
                map(str, (ratio.numerator, ratio.denominator, rate.value,
                          rate.fixing_date.isoformat(), rate.source))
            )  # fmt: skip
            self._answers[key] = answer
        return answer

    def copy(self, path: str, target: str) -> int:
        """Write the converted ledger to ``target``; return the number of rows."""
        cells = [*(self.header if self.raw_csv else map(for_csv, self.header)), *OUTPUT_COLUMNS]
        header_row = ", ".join(f"{_sql_text(c) if c else 'NULL'}::VARCHAR" for c in cells)
        # Were DuckDB to spill, it would write beside the target (never in /tmp or the cwd).
        spill = target + ".spill"
        self.connection.execute(f"SET temp_directory = {_sql_text(spill)}")
        try:
            while True:
                try:
                    done = self.connection.execute(
                        f"COPY (SELECT {header_row} UNION ALL ({self.body(path)})) TO "
                        f"{_sql_text(target)} (FORMAT csv, HEADER false, QUOTE '\"', ESCAPE '\"', "
                        "COMMENT '', NULLSTR '')"
                    ).fetchone()
                    break
                except Exception as exc:  # duckdb.Error: a row for the book, the first time
                    if self.with_book or _NEEDS_BOOK not in str(exc):
                        raise
                    self._ask_the_book()
        finally:
            shutil.rmtree(spill, ignore_errors=True)
        return int(done[0]) - 1

    def body(self, path: str) -> str:
        """The SELECT that gives each converted row's cells, in input order; DuckDB's CSV
        writer quotes them as the csv module does (an empty cell is NULL, never quoted).

        One table read, projections, a filter, scalar functions and the lookup lists of the
        one-row tables ``days`` and ``pairs``; the order checked as the rows are written.
        """
        from .ledger import _ledger_columns

        header = self.header
        at = _ledger_columns(header, "")
        fields = [f"field_{i}" for i in range(len(header))]
        columns = ", ".join(f"'{f}': 'VARCHAR'" for f in fields)
        day, code, amount = (fields[i] for i in at)
        p, n, first = self.digits, len(self.codes), self.first_day.isoformat()
        read = (
            f"read_csv({_sql_text(path)}, header=true, auto_detect=false, delim=',', "
            f"quote='\"', escape='\"', columns={{{columns}}}, strict_mode=true, "
            f"null_padding=false, allow_quoted_nulls=false, buffer_size={_BUFFER}, "
            f"max_line_size={_BUFFER // 4}, encoding='utf-8')"
        )
        # A row is blank when every cell is (the Python engine skips it): most rows have a date.
        blank = f"trim(concat({', '.join(fields)})) = ''"
        # A NUL, or a CR not before a LF, in any cell: the Python engine refuses the row. Only
        # looked for when the file holds either byte at all.
        hazard = " OR ".join(
            f"contains({f}, chr(0)) OR CASE WHEN contains({f}, chr(13)) "
            f"THEN regexp_matches({f}, '\\r([^\\n]|$)') ELSE false END"
            for f in fields
        ) if self.hazards else "false"  # fmt: skip
        # A plain amount (digits, at most one point, a sign in front), or one grouped in
        # thousands by commas: its digits as an integer, and its decimal places.
        digits = f"""CASE WHEN regexp_full_match({amount}, '{_PLAIN_AMOUNT}')
                THEN replace({amount}, '.', '')::HUGEINT
            WHEN contains({amount}, ',') AND regexp_full_match({amount}, '{_GROUPED_AMOUNT}')
                THEN replace(replace({amount}, ',', ''), '.', '')::HUGEINT END"""
        parsed = f"""
            SELECT {", ".join(fields)}, row_at,
                try_cast({day} AS DATE) - DATE '{first}' AS day_at,
                (hash({code}) % {len(self.hash_slots)})::BIGINT AS code_at,
                CASE WHEN length({amount}) <= 24 THEN {digits} END AS signed_digits,
                CASE WHEN contains({amount}, '.')
                    THEN length({amount}) - strpos({amount}, '.') ELSE 0 END AS scale,
                coalesce({hazard}, false) AS hazard
            FROM (SELECT *, row_number() OVER () AS row_at FROM {read})
            WHERE {day} <> '' OR NOT {blank}"""
        calendar = "CASE WHEN day_at BETWEEN 0 AND len(calendar) - 1 THEN day_at + 1 END"
        slotted = f"""
            SELECT * EXCLUDE (calendar, day_texts, fixings, quotes, code_slots, code_texts,
                              day_at, code_at, canonical, slot, scale),
                CASE WHEN canonical THEN calendar[{calendar}] ELSE 0 END AS fixing,
                CASE WHEN code_texts[slot] = {code} THEN slot ELSE 0 END AS code_slot,
                fixings[fixing] AS fixing_text,
                coalesce(quotes[fixing], 0) AS quote_packed,
                p10[greatest({p} - scale, 0) + 1] AS up,
                p10[greatest(scale - {p}, 0) + 1] AS down,
                length({amount}) + greatest({p} - scale, 0) <= 22 AND scale - {p} <= 18 AS fits
            FROM (SELECT *, day_texts[{calendar}] = {day} AS canonical,
                            code_slots[code_at + 1] AS slot
                  FROM ({parsed}), days)"""
        looked = f"""
            SELECT * EXCLUDE (bases, pos), coalesce(bases[pos], 0) AS base_packed
            FROM (SELECT *, CASE WHEN fixing > 0 AND code_slot > 0
                                 THEN (fixing - 1) * {n} + code_slot END AS pos
                  FROM ({slotted}), pairs)"""
        kind = f"""
            SELECT * EXCLUDE (quote_packed, base_packed),
                CASE WHEN kind = 'bundled' THEN quote_packed::BIGINT // 16 ELSE 1 END AS qm,
                CASE WHEN kind = 'bundled' THEN quote_packed % 16 ELSE 0 END AS qs,
                CASE WHEN kind = 'bundled' THEN base_packed::BIGINT // 16 ELSE 1 END AS bm,
                CASE WHEN kind = 'bundled' THEN base_packed % 16 ELSE 0 END AS bs
            FROM (SELECT *,
                CASE WHEN base_packed > 0 AND quote_packed > 0 AND code_slot <> {self.quote_slot}
                        THEN 'bundled'
                     WHEN fixing > 0 AND code_slot > 0 AND code_slot = {self.quote_slot}
                        THEN 'same'
                     ELSE 'book' END AS kind
            FROM ({looked}))"""
        ask = (
            f"spendcalc_book_rate({day}, {code})"
            if self.with_book
            else f"error('{_NEEDS_BOOK}')::VARCHAR"
        )
        answered = f"""
            SELECT *, CASE WHEN kind = 'book' THEN {ask} END AS answer
            FROM ({_rate_digits(kind)})"""
        part = "split_part(answer, chr(31), {})".format
        # The bundled rate is the fraction of the published values: (qm / 10**qs) / (bm / 10**bs).
        terms = f"""
            SELECT * EXCLUDE (answer, fixing_text, qm, qs, bm, bs, digits, e, p10),
                CASE kind WHEN 'bundled' THEN qm * p10[bs + 1]
                          WHEN 'same' THEN 1 ELSE {part(1)}::BIGINT END AS num_rate,
                CASE kind WHEN 'bundled' THEN bm * p10[qs + 1]
                          WHEN 'same' THEN 1 ELSE {part(2)}::BIGINT END AS den_rate,
                CASE kind WHEN 'bundled' THEN {_RATE_TEXT} WHEN 'same' THEN '1'
                          ELSE {part(3)} END AS rate_text,
                CASE kind WHEN 'bundled' THEN fixing_text WHEN 'same' THEN {day}
                          ELSE {part(4)} END AS fixing_date,
                CASE kind WHEN 'bundled' THEN {_sql_text(SOURCE_BUNDLED)}
                          WHEN 'same' THEN {_sql_text(SOURCE_SAME)}
                          ELSE {part(5)} END AS rate_source
            FROM ({answered})"""
        # A HUGEINT holds below 1.7e38: 24 digits (and the zeros that scale them to minor
        # units) times a rate term below 1e15 stay below it.
        good = (
            f"signed_digits IS NOT NULL AND NOT hazard AND fits AND num_rate < {_MAX_TERM} "
            f"AND den_rate < {_MAX_TERM}"
        )
        # N / D on magnitudes: the quotient estimated in binary floating point (off by one at
        # most below 2**50), its remainder exact in HUGEINT; larger quotients divided exactly.
        scaled = f"""
            SELECT *, num::DOUBLE / den::DOUBLE AS estimate
            FROM (SELECT *,
                    CASE WHEN {good} THEN abs(signed_digits) * num_rate * up END AS num,
                    CASE WHEN {good} THEN den_rate::HUGEINT * down END AS den
                  FROM ({terms}))"""
        first_guess = f"""
            SELECT *, num - q0 * den AS r0
            FROM (SELECT *, CASE WHEN estimate < 1e15 THEN floor(estimate)::BIGINT::HUGEINT
                                 ELSE num // den END AS q0
                  FROM ({scaled}))"""
        divided = f"""
            SELECT *,
                q0 + CASE WHEN r0 >= den THEN 1 WHEN r0 < 0 THEN -1 ELSE 0 END AS q,
                r0 + CASE WHEN r0 >= den THEN -den WHEN r0 < 0 THEN den ELSE 0 END AS r
            FROM ({first_guess})"""
        tie = "q % 2 = 1" if self.half_even else "true"
        units = f"q + CASE WHEN 2 * r > den OR (2 * r = den AND {tie}) THEN 1 ELSE 0 END"
        signed = f"CASE WHEN signed_digits < 0 THEN -({units}) ELSE {units} END"
        # Minor units as a DECIMAL the CSV writer spells as the Python engine does (-12.34, 0.05).
        converted = f"""CASE WHEN num IS NULL THEN error('spendcalc: not for the DuckDB engine')
                     ELSE ({signed})::DECIMAL(38, 0) * '0.{"0" * (p - 1)}1'::DECIMAL({p + 1}, {p}) END"""
        if not p:
            converted = f"""CASE WHEN num IS NULL
                     THEN error('spendcalc: not for the DuckDB engine') ELSE {signed} END"""
        shown = []
        for i, field in enumerate(fields):
            if self.raw_csv or i in at:
                shown.append(f"nullif({field}, '')")
            else:  # a cell a spreadsheet would take for a formula gets a leading '
                starts = " OR ".join(f"ascii({field}) = {ord(c)}" for c in FORMULA_START)
                shown.append(
                    f"CASE WHEN ascii({field}) < 65 AND ({starts}) AND NOT "
                    f"regexp_full_match({field}, '{_NUMBER}') THEN '''' || {field} "
                    f"ELSE nullif({field}, '') END"
                )
        return f"""
            SELECT {", ".join(shown)}, {converted}, {_sql_text(self.to)},
                   rate_text, fixing_date, {in_order("rate_source")}
            FROM ({divided})"""


def _rate_digits(rows: str) -> str:
    """The SELECT that adds to ``rows`` (with ``qm, qs, bm, bs``: the quote's and the base's
    published digits and places, each below 10**8) the significant digits ``digits`` and the
    exponent ``e`` of the Decimal quotient :meth:`rates.RateBook.rate` divides: 28 digits
    rounded half-even, or, when the quotient is exact, its digits with trailing zeros kept down
    to the ideal exponent, as decimal's division gives them."""
    # qm / bm scaled by 10**-shift into [1, 10): a / b with both below 10**8 (the estimate of
    # the shift in floating point is off by one at most, so it is corrected once).
    guess = f"""
        SELECT *, floor(log10(qm::DOUBLE / bm::DOUBLE))::INTEGER AS g FROM ({rows})"""
    scaled = f"""
        SELECT *, CASE WHEN a0 < b0 THEN g - 1 WHEN a0 >= 10 * b0 THEN g + 1 ELSE g END AS shift
        FROM (SELECT *, qm * p10[greatest(-g, 0) + 1] AS a0, bm * p10[greatest(g, 0) + 1] AS b0
              FROM ({guess}))"""
    steps = f"""
        SELECT *, a // b AS d0, a % b AS r0
        FROM (SELECT *, qm * p10[greatest(-shift, 0) + 1] AS a,
                        bm * p10[greatest(shift, 0) + 1] AS b
              FROM ({scaled}))"""
    for step in range(1, 4):  # 27 digits after the first, nine at a time
        steps = f"""
            SELECT *, (r{step - 1} * 1000000000) // b AS d{step},
                      (r{step - 1} * 1000000000) % b AS r{step}
            FROM ({steps})"""
    # The 29th digit and the remainder after it decide the rounding (half-even).
    judged = f"""
        SELECT *, next = 0 AND rest = 0 AS exact,
            next > 5 OR next = 5 AND (rest > 0 OR d3 % 2 = 1) AS round_up
        FROM (SELECT *, (r3 * 10) // b AS next, (r3 * 10) % b AS rest FROM ({steps}))"""
    # The 28 digits as two BIGINTs (10 and 18 digits), rounded; 99...9 rounds up to 10**28.
    rounded = f"""
        SELECT *,
            CASE WHEN high = 10000000000 THEN '1' || repeat('0', 27)
                 ELSE high::VARCHAR || lpad(low::VARCHAR, 18, '0') END AS cs,
            shift - 27 + bs - qs + (high = 10000000000)::INTEGER AS e0
        FROM (SELECT *, d0 * 1000000000 + d1 + (low_up = 1000000000000000000)::INTEGER AS high,
                        CASE WHEN low_up = 1000000000000000000 THEN 0 ELSE low_up END AS low
              FROM (SELECT *, d2 * 1000000000 + d3 + round_up::INTEGER AS low_up
                    FROM ({judged})))"""
    return f"""
        SELECT * EXCLUDE (g, a0, b0, shift, a, b, d0, r0, d1, r1, d2, r2, d3, r3, next, rest,
                          exact, round_up, low_up, high, low, cs, e0, k),
            CASE WHEN k > 0 THEN cs[1:28 - k] ELSE cs END AS digits, e0 + k AS e
        FROM (SELECT *,
                CASE WHEN exact
                    THEN greatest(least(28 - length(rtrim(cs, '0')), bs - qs - e0), 0)
                    ELSE 0 END AS k
              FROM ({rounded}))"""


#: ``digits`` and ``e`` (from :func:`_rate_digits`) as ``str(Decimal)`` writes them.
_RATE_TEXT = """
    CASE WHEN e <= 0 AND e + length(digits) - 1 >= -6 THEN
        CASE WHEN e = 0 THEN digits
             WHEN length(digits) > -e
                THEN digits[1:length(digits) + e] || '.' || digits[length(digits) + e + 1:]
             ELSE '0.' || repeat('0', -e - length(digits)) || digits END
    ELSE digits[1] || CASE WHEN length(digits) > 1 THEN '.' || digits[2:] ELSE '' END
         || 'E' || CASE WHEN e + length(digits) - 1 >= 0 THEN '+' ELSE '' END
         || (e + length(digits) - 1)::VARCHAR END"""


def in_order(column: str) -> str:
    """``column``, or an error once a row's ``row_at`` (its number in the file, taken as it was
    read) is not above the row's before it, as they are written: both are windows over the rows
    as they come, so rows out of order stop the run and the Python engine converts the file.

    >>> import duckdb
    >>> rows = "FROM (VALUES (1, 'a'), (3, 'b'), (4, 'c')) AS t(row_at, x)"
    >>> duckdb.sql(f"SELECT {in_order('x')} AS x {rows}").fetchall()
    [('a',), ('b',), ('c',)]
    """
    return (
        f"CASE WHEN row_at <= lag(row_at, 1, 0) OVER () THEN error('{_OUT_OF_ORDER}') "
        f"ELSE {column} END"
    )


def _hash_slots(connection: Any, codes: list[str]) -> list[int]:
    """A list that DuckDB's ``hash(code) % len`` indexes to the code's 1-based place in
    ``codes`` (0 elsewhere): the shortest length at which no two codes collide."""
    hashes = [h for (h,) in connection.execute(
        "SELECT hash(c) FROM unnest($1::VARCHAR[]) WITH ORDINALITY AS t(c, i) ORDER BY i",
        [codes],
    ).fetchall()]  # fmt: skip
    size = len(codes)
    while len({h % size for h in hashes}) < len(codes):
        size += 1
    slots = [0] * size
    for place, h in enumerate(hashes, start=1):
        slots[h % size] = place
    return slots


def _packed(text: str) -> int:
    """A published per-EUR value as ``mantissa * 16 + scale`` (0 for no value)."""
    if not text:
        return 0
    whole, _, fraction = text.partition(".")
    return int(whole + fraction) * 16 + len(fraction)
