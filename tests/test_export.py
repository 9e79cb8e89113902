"""The daily rates table, and a ledger joined to it in DuckDB giving the ledger command's numbers."""

import csv
import datetime as dt
import io
import random
from decimal import Decimal

import pytest

from calc.cli import main
from calc.ledger import convert_csv
from rates import RateBook
from rates.export import daily, fixings, write_csv

D = dt.date


def test_fixings_hold_every_published_rate_and_eur():
    book = RateBook(cache=None)
    rows = list(fixings(book))
    assert ("2023-11-30", "GBP", "0.86368", "ECB reference rates (bundled)") in rows
    assert ("2023-11-30", "EUR", "1", "ECB reference rates (bundled)") in rows
    assert not [r for r in rows if r[1] == "RUB" and r[0] > "2022-03-01"]
    assert len({(r[0], r[1]) for r in rows}) == len(rows)


def test_daily_rows_are_the_books_answers():
    book = RateBook(cache=None)
    table = {(d, c): (v, f) for d, c, v, f, _s in daily(book)}
    rng = random.Random(11)
    for _ in range(2000):
        day = D(1999, 1, 1) + dt.timedelta(days=rng.randrange(10_200))
        code = rng.choice(["USD", "GBP", "RUB", "ISK", "HRK", "BGN", "CYP"])
        try:
            rate = book.rate("EUR", code, day)
        except LookupError:
            assert (day.isoformat(), code) not in table
            continue
        assert table[day.isoformat(), code] == (str(rate.value), rate.fixing_date.isoformat())


def test_export_command_csv_and_parquet(tmp_path, capsys):
    assert main(["rates", "export"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("date,currency,units_per_eur,source\n1999-01-04,EUR,1,")
    path = tmp_path / "rates.parquet"
    assert main(["rates", "export", "--format", "parquet", "-o", str(path)]) == 0
    duckdb = pytest.importorskip("duckdb")
    query = (
        f"SELECT units_per_eur FROM '{path}' WHERE date = DATE '2023-11-30' AND currency = 'GBP'"
    )
    value = duckdb.connect().execute(query).fetchall()[0][0]
    assert value == Decimal("0.86368")
    assert main(["rates", "export", "--format", "parquet"]) == 1
    assert "give a file with --output" in capsys.readouterr().err


ASOF_QUERY = """
SELECT l.id, round(l.amount * t.units_per_eur / f.units_per_eur, 2) AS converted, f.date AS fixing_date
FROM ledger l
ASOF JOIN rates f ON f.currency = l.currency AND f.date <= l.date
JOIN rates t ON t.currency = 'USD' AND t.date = f.date
WHERE l.date - f.date <= 7
ORDER BY l.id
"""

EQUI_QUERY = """
SELECT l.id, round(l.amount * t.units_per_eur / f.units_per_eur, 2) AS converted, f.fixing_date
FROM ledger l
JOIN rates_daily f ON f.currency = l.currency AND f.date = l.date
JOIN rates_daily t ON t.currency = 'USD' AND t.date = l.date
ORDER BY l.id
"""


def test_duckdb_joins_give_the_ledger_commands_numbers(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    book = RateBook(cache=None)
    rng = random.Random(5)
    codes = ["EUR", "GBP", "JPY", "CHF", "SEK", "USD", "KRW", "ZAR"]
    lines = ["id,date,currency,amount"]
    for i in range(3000):
        day = D(2000, 1, 1) + dt.timedelta(days=rng.randrange(9400))
        lines.append(f"{i},{day},{rng.choice(codes)},{Decimal(rng.randrange(1, 10**9)).scaleb(-2)}")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, daily_rows in (("rates.csv", False), ("rates_daily.csv", True)):
        with open(tmp_path / name, "w", encoding="utf-8", newline="") as out:
            write_csv(book, out, daily_rows=daily_rows)
    out = io.StringIO()
    with open(ledger, encoding="utf-8", newline="") as source:
        convert_csv(source, out, "USD", book=book, round_result=True)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    # A USD amount needs no fixing (its fixing_date is its own date); SQL still joins one.
    ours = {int(r["id"]): (Decimal(r["converted"]), r["fixing_date"]) for r in rows}
    same = {int(r["id"]) for r in rows if r["rate_source"] == "same currency"}
    con = duckdb.connect()
    types = "{'date': 'DATE', 'currency': 'VARCHAR', 'units_per_eur': 'DECIMAL(18,6)', 'fixing_date': 'DATE', 'source': 'VARCHAR'}"
    con.execute(
        f"CREATE TABLE ledger AS SELECT * FROM read_csv('{ledger}', header=true, columns={{'id': 'INTEGER', 'date': 'DATE', 'currency': 'VARCHAR', 'amount': 'DECIMAL(18,2)'}})"
    )
    con.execute(
        f"CREATE TABLE rates AS SELECT * FROM read_csv('{tmp_path / 'rates.csv'}', header=true, columns={{'date': 'DATE', 'currency': 'VARCHAR', 'units_per_eur': 'DECIMAL(18,6)', 'source': 'VARCHAR'}})"
    )
    con.execute(
        f"CREATE TABLE rates_daily AS SELECT * FROM read_csv('{tmp_path / 'rates_daily.csv'}', header=true, columns={types})"
    )
    for query in (ASOF_QUERY, EQUI_QUERY):
        theirs = {
            i: (Decimal(str(v)), ours[i][1] if i in same else f.isoformat())
            for i, v, f in con.execute(query).fetchall()
        }
        assert len(theirs) == len(ours) == 3000
        differ = [i for i in ours if ours[i] != theirs[i]]
        # DuckDB divides in binary floating point: a result within a hair of half a cent may
        # round the other way. Anything else is a real difference.
        assert all(
            abs(ours[i][0] - theirs[i][0]) <= Decimal("0.01") and ours[i][1] == theirs[i][1]
            for i in differ
        ), [(ours[i], theirs[i]) for i in differ[:5]]
        assert len(differ) <= 3, differ
