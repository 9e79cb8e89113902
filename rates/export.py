"""The daily rates table, for tools that join a ledger to it (DuckDB, Spark, a database).

One row per fixing date and currency: ``date, currency, units_per_eur, source``, EUR included
(1 on every fixing date) so that a join needs no special case. With ``daily=True``, one row per
calendar day instead, each carrying the fixing it uses (``fixing_date``: the most recent on or
before that day, at most ``max_gap`` days back), so any SQL engine can join on equality.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, TextIO

from .errors import RateError

if TYPE_CHECKING:  # pragma: no cover
    from .book import RateBook

COLUMNS = ("date", "currency", "units_per_eur", "source")
DAILY_COLUMNS = ("date", "currency", "units_per_eur", "fixing_date", "source")


def fixings(book: RateBook) -> Iterator[tuple[str, str, str, str]]:
    """Every fixing the book holds offline: ``(date, currency, units_per_eur, source)`` as text."""
    for day, source, quotes in book.fixings:
        yield day, "EUR", "1", source
        for code, value in quotes:
            yield day, code, value, source


def daily(book: RateBook) -> Iterator[tuple[str, str, str, str, str]]:
    """One row per calendar day and currency: the fixing :meth:`RateBook.rate` would use.

    That is the most recent fixing on or before the day, if it is at most ``max_gap`` days
    back, for the currencies that fixing quotes (so RUB ends with its last fixing, as it does
    in the book).
    """
    rows = fixings(book)
    current: list[tuple[str, str, str]] = []
    current_day: _dt.date | None = None
    pending = next(rows, None)
    day = _dt.date.fromisoformat(pending[0]) if pending else None
    while pending is not None or (
        current_day is not None and day is not None and (day - current_day).days <= book.max_gap
    ):
        assert day is not None
        iso = day.isoformat()
        if pending is not None and pending[0] == iso:
            current, current_day = [], day
            while pending is not None and pending[0] == iso:
                current.append((pending[1], pending[2], pending[3]))
                pending = next(rows, None)
        if current_day is not None and (day - current_day).days <= book.max_gap:
            fixed = current_day.isoformat()
            for code, value, source in sorted(current):
                yield iso, code, value, fixed, source
        day += _dt.timedelta(days=1)


def write_csv(book: RateBook, out: TextIO, *, daily_rows: bool = False) -> int:
    """Write the table as CSV to ``out``; return the number of rows."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DAILY_COLUMNS if daily_rows else COLUMNS)
    count = 0
    for row in daily(book) if daily_rows else fixings(book):
        writer.writerow(row)
        count += 1
    return count


def write_parquet(book: RateBook, path: str, *, daily_rows: bool = False) -> int:
    """Write the table as Parquet (``units_per_eur`` DECIMAL(38,18), dates as DATE) via DuckDB.

    :raises RateError: if DuckDB is not installed (``pip install duckdb``)
    """
    try:
        import duckdb
    except ImportError:
        raise RateError(
            "Writing Parquet needs DuckDB; install it with: pip install duckdb (or, in a "
            "spendcalc source tree, pip install '.[sql]') "
            "(or export --format csv)."
        ) from None
    import os

    columns = DAILY_COLUMNS if daily_rows else COLUMNS
    # Staged beside the target, not in /tmp: nothing is left outside the target's directory.
    directory, name = os.path.split(os.path.abspath(path))
    staging = os.path.join(directory, f".{name}.{os.getpid()}.staging.csv")
    try:
        with open(staging, "w", encoding="utf-8", newline="") as out:
            count = write_csv(book, out, daily_rows=daily_rows)
        types = {"date": "DATE", "currency": "VARCHAR", "units_per_eur": "DECIMAL(38,18)",
                 "fixing_date": "DATE", "source": "VARCHAR"}  # fmt: skip
        spec = ", ".join(f"'{c}': '{types[c]}'" for c in columns)
        connection = duckdb.connect()
        try:
            connection.execute(
                f"COPY (SELECT * FROM read_csv(?, header=true, columns={{{spec}}})) "
                "TO ? (FORMAT parquet)",
                [staging, path],
            )
        except duckdb.Error as exc:
            reason = str(exc).splitlines()[0]
            raise RateError(f"Cannot write {path!r} ({reason}); give a writable path.") from exc
        finally:
            connection.close()
    finally:
        if os.path.exists(staging):
            os.remove(staging)
    return count
