"""``ledger --engine duckdb``: exact to the minor unit, the Python ledger's text everywhere else."""

import csv
import datetime as dt
import io
import random
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

pytest.importorskip("duckdb")

from calc.cli import main
from calc.ledger import convert_file as python_convert_file
from calc.ledger_sql import NEEDS_ROUND, convert_file
from rates import RateBook
from rates.ecb import bundled_history

HEADER = "id,date,currency,amount,note\n"
NOTES = ["", "x", '"a, b"', "=1+1"]


@pytest.fixture
def duckdb_only(monkeypatch):
    """No falling back to the Python engine: DuckDB converts every row, or the test fails."""
    monkeypatch.setattr("calc.ledger_sql.convert_file_python", None)


def run(path, to="USD", **kwargs):
    out = io.StringIO()
    convert_file(str(path), to, output=None, stdout=out, book=RateBook(cache=None),
                 round_result=True, **kwargs)  # fmt: skip
    return out.getvalue()


def run_python(path, to="USD", **kwargs):
    out = io.StringIO()
    python_convert_file(str(path), to, output=None, stdout=out, book=RateBook(cache=None),
                        round_result=True, **kwargs)  # fmt: skip
    return out.getvalue()


def exact(amount: str, ratio: Fraction, digits: int, rule: str) -> Decimal:
    """The reference: the exact product, rounded once by ``rule``."""
    value = Fraction(Decimal(amount.replace(",", ""))) * ratio
    quotient = Decimal(value.numerator) / Decimal(value.denominator)  # exact enough to round:
    scaled = value * 10**digits
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    twice = 2 * rest
    up = twice > scaled.denominator or (
        twice == scaled.denominator and (rule == ROUND_HALF_UP or whole % 2 == 1)
    )
    units = whole + up
    sign = "-" if Decimal(amount.replace(",", "")).is_signed() else ""
    del quotient
    return Decimal(f"{sign}{units}").scaleb(-digits)


def generated(path, count, seed, *, ties=False):
    """Rows on every kind of day (weekends too) over the bundled history; with ``ties``, amounts
    built so that the exact result is a half cent."""
    history = bundled_history()
    codes = [*sorted(history.currencies), "EUR"]
    book = RateBook(cache=None)
    rng = random.Random(seed)
    lines = [HEADER.rstrip("\n")]
    rows = []
    while len(rows) < count:
        index = rng.randrange(len(history))
        day = history.day(index) + dt.timedelta(days=rng.choice([0, 0, 1, 2]))
        code = rng.choice(codes)
        try:
            rate = book.rate(code, "USD", day)
        except LookupError:
            continue
        ratio = Fraction(rate.ratio[0]) / Fraction(rate.ratio[1])
        if ties:  # amount * ratio = k + 1/2 cents: amount = (2k + 1) / (200 ratio), if short
            k = rng.randrange(1, 10**9)
            amount = Fraction(2 * k + 1, 200) / ratio
            text = _short_decimal(amount)
            if text is None:
                continue
        else:
            text = str(Decimal(rng.randrange(-(10**12), 10**12)).scaleb(-rng.randrange(0, 4)))
            if rng.random() < 0.1:
                text = f"{Decimal(text):,}"
        rows.append((day.isoformat(), code, text, ratio))
        cell = f'"{text}"' if "," in text else text
        note = rng.choice(NOTES)
        lines.append(f"{len(rows)},{day},{code},{cell},{note}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows


def _short_decimal(value: Fraction) -> str | None:
    """``value`` as a decimal of at most 12 places, or None if it has no such form."""
    for places in range(13):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return str(Decimal(scaled.numerator).scaleb(-places))
    return None


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_ties_are_rounded_exactly(tmp_path, monkeypatch, rule):
    monkeypatch.setattr("calc.ledger_sql.convert_file_python", None)  # DuckDB does every row
    path = tmp_path / "ties.csv"
    rows = generated(path, 120, seed=3, ties=True)
    got = list(csv.DictReader(io.StringIO(run(path, rounding=rule))))
    assert len(got) == len(rows) == 120
    decimal_rule = ROUND_HALF_UP if rule == "half-up" else ROUND_HALF_EVEN
    for row, (_day, _code, amount, ratio) in zip(got, rows, strict=True):
        assert Decimal(row["converted"]) == exact(amount, ratio, 2, decimal_rule), row


@pytest.mark.parametrize("to", ["USD", "JPY", "EUR", "GBP"])
def test_every_row_matches_the_python_ledger(tmp_path, to):
    path = tmp_path / "l.csv"
    rows = generated(path, 1500, seed=len(to) + ord(to[0]))
    ours, python = run(path, to).splitlines(), run_python(path, to).splitlines()
    assert len(ours) == len(python) == len(rows) + 1
    assert ours[0] == python[0]
    assert ours == python  # both engines round the exact quotient: ties too


def test_the_rate_text_is_the_books_on_every_fixing(tmp_path):
    """Every bundled fixing of three currencies: the rate written is the book's str()."""
    history = bundled_history()
    lines = [HEADER.rstrip("\n")]
    for code in ("TRL", "GBP", "JPY", "EUR"):
        lines += [f"0,{history.date_text(i)},{code},1,x" for i in range(0, len(history), 3)]
    path = tmp_path / "all.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for to in ("USD", "IDR", "ISK"):
        try:
            python = run_python(path, to)
        except LookupError:  # ISK has gaps; the engines must agree on the error too
            with pytest.raises(LookupError):
                run(path, to)
            continue
        mine = [r["rate"] for r in csv.DictReader(io.StringIO(run(path, to)))]
        assert mine == [r["rate"] for r in csv.DictReader(io.StringIO(python))]


TRICKY = (
    HEADER
    + '1,2023-11-30,GBP,"2,500,000,000","a ""quoted"", line\nbreak"\n'
    + "\n"
    + ",,,,\n"
    + "2,2023-12-02,gbp, 1.5 ,-lower case and spaces (the book reads them)\n"
    + "3,2026-10-25,USD,-0.001,@same currency: its own day\n"
    + "4,20240102,CHF,+.5,+1\n"
    + "5,2024-01-02,EUR,-7,\t tab\n"
)


def test_unusual_but_valid_rows_give_the_python_ledgers_text(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(TRICKY, encoding="utf-8")
    assert run(path) == run_python(path)
    assert run(path, raw_csv=True) == run_python(path, raw_csv=True)


@pytest.mark.parametrize(
    "rows",
    [
        '1,2024-01-02,GBP,1,"open\n2,2024-01-03,GBP,2,x\n',  # an unclosed quote
        "1,2024-01-02,GBP,1,a\x00b\n",  # a NUL
        '1,2024-01-02,GBP,1,a\n2,2024-01-03,GBP,1,"a\rb"\n',  # a lone CR
        "1,2024-01-02,GBP,1,a\n2,2024-01-03,GBP,2,b,c\n",  # too many fields
        "1,2024-01-02,GBP,1e999999999,a\n",  # an exponent out of range
        "1,02/01/2024,GBP,1,a\n",  # a bad date
        "1,2024-01-02,XYZ,1,a\n",  # a bad currency
        "1,2024-01-02,TWD,1,a\n",  # not an ECB currency
        "1,1998-12-31,GBP,1,a\n",  # before the ECB's first fixing
        "1,2024-01-02,GBP,12345678901234567890123456789,a\n",  # too long for HUGEINT: Python
    ],
)
def test_the_duckdb_engine_refuses_what_the_python_engine_refuses(tmp_path, capsys, rows):
    path = tmp_path / "l.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    code = main(["ledger", str(path), "--to", "USD", "--round"])
    python = capsys.readouterr()
    assert main(["ledger", str(path), "--to", "USD", "--round", "--engine", "duckdb"]) == code
    assert capsys.readouterr() == python
    if code:
        assert len(python.err.splitlines()) == 1 and python.err.startswith("error: l.csv:")


def test_without_round_it_says_how(tmp_path, capsys):
    path = tmp_path / "l.csv"
    path.write_text(HEADER + "1,2024-01-02,GBP,1,a\n", encoding="utf-8")
    assert main(["ledger", str(path), "--to", "USD", "--engine", "duckdb"]) == 1
    assert capsys.readouterr().err == f"error: {NEEDS_ROUND}\n"


def test_an_output_file_appears_whole(tmp_path, capsys):
    path, out = tmp_path / "l.csv", tmp_path / "out.csv"
    generated(path, 300, seed=9)
    assert main(["ledger", str(path), "--to", "USD", "--round", "--engine", "duckdb",
                 "-o", str(out)]) == 0  # fmt: skip
    assert "converted 300 rows to USD" in capsys.readouterr().err
    assert (
        out.read_text(encoding="utf-8") == run_python(path)
        or len(out.read_text(encoding="utf-8").splitlines()) == 301
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["l.csv", "out.csv"]


def test_overrides_and_days_past_the_snapshot_are_the_books(tmp_path, duckdb_only):
    """Rows the bundled lists do not answer (an override, a code with spaces, a date without
    dashes) ask the rate book for that row, within the DuckDB run."""
    path = tmp_path / "l.csv"
    path.write_text(
        HEADER + "1,2024-01-02,TWD,314,x\n2,20240102, USD ,7,y\n3,2024-01-02,GBP,1,z\n",
        encoding="utf-8",
    )
    book = RateBook(cache=None).with_overrides({"USD/TWD": "31.4"})
    outs = []
    for engine in (convert_file, python_convert_file):
        out = io.StringIO()
        engine(str(path), "USD", output=None, stdout=out, book=book, round_result=True)
        outs.append(out.getvalue())
    assert outs[0] == outs[1]
    assert next(csv.DictReader(io.StringIO(outs[0])))["rate_source"] == "override"


def test_the_bundled_fixings_give_the_books_rate_and_result(tmp_path, duckdb_only):
    """A row for every other fixing of each currency the snapshot quotes (the odd ones for one
    currency, the even ones for the next): the rate text, fixing and result worked out in SQL
    are the book's on each, and a file longer than DuckDB's read buffer keeps its order."""
    history = bundled_history()
    columns = history.columns(sorted(history.currencies))
    lines = [HEADER.rstrip("\n")]
    for slot, (code, values) in enumerate([*columns.items(), ("EUR", ["1"] * len(history))]):
        lines += [  # every other fixing of each currency; the other half for the next one
            f"{i},{history.date_text(i)},{code},{1234567 + i}.89,a note of some length"
            for i in range(slot % 2, len(history), 2)
            if values[i]
        ]
    path = tmp_path / "all.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ours = run(path, "USD")
    assert ours == run_python(path, "USD")
    assert len(ours.splitlines()) > 100_000


def test_a_negative_amount_that_rounds_to_zero_is_written_as_zero(tmp_path, duckdb_only):
    path = tmp_path / "l.csv"
    path.write_text(
        HEADER + "1,2024-01-02,USD,-0.001,x\n2,2024-01-02,GBP,-0.003,x\n3,2024-01-02,JPY,-0,x\n",
        encoding="utf-8",
    )
    ours = run(path)
    assert [r["converted"] for r in csv.DictReader(io.StringIO(ours))] == ["0.00"] * 3
    assert ours == run_python(path)


def test_many_vectors_keep_their_order(tmp_path, duckdb_only):
    """More rows than one DuckDB vector holds, with cells to quote and guard."""
    path = tmp_path / "l.csv"
    generated(path, 3_000, seed=17)
    assert run(path, "GBP") == run_python(path, "GBP")


def test_windows_line_ends_and_a_line_break_in_a_quoted_cell(tmp_path, duckdb_only):
    """A file with CRs is read with the closer look at every cell; CRLF is fine."""
    path = tmp_path / "l.csv"
    rows = [HEADER.rstrip("\n"), '1,2024-01-02,GBP,1.5,"two\r\nlines"', "2,2024-01-03,CHF,7,=x"]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("utf-8"))
    assert run(path) == run_python(path)
    assert run(path, raw_csv=True) == run_python(path, raw_csv=True)


def test_each_code_has_its_own_hash_slot():
    import duckdb

    from calc.ledger_sql import _hash_slots

    connection = duckdb.connect()
    codes = sorted({*bundled_history().currencies, "EUR"})
    slots = _hash_slots(connection, codes)
    found = connection.execute(
        f"SELECT list(hash(c) % {len(slots)} ORDER BY c) FROM unnest($1::VARCHAR[]) AS t(c)",
        [codes],
    ).fetchone()[0]
    assert [slots[h] for h in found] == list(range(1, len(codes) + 1))
    assert slots.count(0) == len(slots) - len(codes)


def test_rows_out_of_order_stop_the_run():
    import duckdb

    from calc.ledger_sql import _OUT_OF_ORDER, in_order

    rows = "FROM (VALUES (1, 'a'), (3, 'b'), (4, 'c')) AS t(row_at, x)"
    assert duckdb.sql(f"SELECT {in_order('x')} {rows}").fetchall() == [("a",), ("b",), ("c",)]
    with pytest.raises(duckdb.Error, match=_OUT_OF_ORDER):
        duckdb.sql(f"SELECT {in_order('x')} {rows.replace('(4,', '(2,')}").fetchall()
