"""The batch path: equal to the single-conversion path row by row, and the ledger CSV."""

import csv
import datetime as dt
import io
import random
from decimal import Decimal

import pytest

from calc import Converter, Money
from calc.cli import main
from calc.decimals import plain
from calc.ledger import LedgerError, convert_csv, normalise, normalise_columns
from rates import RATE_CONTEXT, RateBook, RateNotFoundError, UnsupportedCurrencyError
from rates.ecb import bundled_history

D = dt.date
CODES = ["USD", "EUR", "GBP", "JPY", "CHF", "SEK", "ISK", "RUB", "HRK", "CYP", "TRY", "KRW", "BGN"]


def generated_rows(count: int, seed: int) -> list[tuple[dt.date, str, Decimal]]:
    """Rows over the whole history, weekends and holidays included, every covered currency."""
    rng = random.Random(seed)
    rows = []
    while len(rows) < count:
        day = D(1999, 1, 4) + dt.timedelta(days=rng.randrange(10_160))
        code = rng.choice(CODES)
        amount = Decimal(rng.randrange(-(10**12), 10**12)).scaleb(-rng.randrange(0, 5))
        rows.append((day, code, amount))
    return rows


def single(book, to, day, code, amount):
    """The single-conversion path's result and rate, or the error it raises."""
    try:
        c = Converter(book).convert(Money(amount, code), to, on=day)
    except (RateNotFoundError, UnsupportedCurrencyError) as exc:
        return type(exc)
    return c.result.amount, c.rate.value, c.rate.fixing_date, c.rate.source


@pytest.mark.parametrize("to", ["USD", "EUR", "JPY"])
def test_batch_equals_the_single_path_row_by_row(to):
    book = RateBook(cache=None)
    rows = generated_rows(3000, seed=hash(to) % 1000)
    expected = [single(book, to, *row) for row in rows]
    ok = [row for row, e in zip(rows, expected, strict=True) if not isinstance(e, type)]
    assert 2000 < len(ok) < 3000  # both kinds are in the sample: rates and days without one
    days, codes, amounts = zip(*ok, strict=True)
    columns = normalise_columns(days, codes, amounts, to, book=book)
    got = list(zip(*columns, strict=True))
    assert got == [e for e in expected if not isinstance(e, type)]
    assert [tuple(r[3:]) for r in normalise(ok, to, book=book, chunk=257)] == got


def test_rows_without_a_rate_raise_the_books_error():
    book = RateBook(cache=None)
    with pytest.raises(RateNotFoundError, match="stopped quoting RUB after 2022-03-01") as caught:
        normalise_columns(
            [D(2020, 1, 2), D(2023, 1, 2)], ["GBP", "RUB"], [Decimal(1)] * 2, "USD", book=book
        )
    assert caught.value.row == 1
    with pytest.raises(UnsupportedCurrencyError, match="TWD"):
        list(normalise([(D(2020, 1, 2), "TWD", Decimal(1))], "USD", book=book))


def test_overrides_take_the_books_full_path():
    book = RateBook(cache=None).with_overrides({"USD/TWD": "31.4"})
    columns = normalise_columns([D(2020, 1, 2)], ["TWD"], [Decimal(314)], "USD", book=book)
    expected = Converter(book).convert(Money(314, "TWD"), "USD", on=D(2020, 1, 2))
    assert columns.results == [expected.result.amount] == [10]  # 314 / 31.4, exactly
    assert list(columns.rates) == [RATE_CONTEXT.divide(Decimal(1), Decimal("31.4"))]
    assert columns.sources == ["override"]


LEDGER = """id,date,currency,amount,note
1,2023-11-30,GBP,2500000000,UK data centres
2,2023-12-02,JPY,"1,000,000",a Saturday

3,2024-04-09,USD,-9.90,a refund
,,,,
"""


def test_the_ledger_csv():
    out = io.StringIO()
    assert (
        convert_csv(io.StringIO(LEDGER), out, "USD", book=RateBook(cache=None), name="l.csv") == 3
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [
        "id",
        "date",
        "currency",
        "amount",
        "note",
        "converted",
        "to_currency",
        "rate",
        "fixing_date",
        "rate_source",
    ]
    book = RateBook(cache=None)
    uk = book.rate("GBP", "USD", D(2023, 11, 30))
    converter = Converter(book)
    expected = converter.convert(Money("2500000000", "GBP"), "USD", on=D(2023, 11, 30))
    assert rows[0]["converted"] == plain(expected.result.amount) and rows[0]["rate"] == str(
        uk.value
    )
    assert rows[0]["note"] == "UK data centres"
    saturday = converter.convert(Money("1000000", "JPY"), "USD", on=D(2023, 12, 2))
    assert rows[1]["fixing_date"] == "2023-12-01"
    assert rows[1]["converted"] == plain(saturday.result.amount)
    assert rows[2]["converted"] == "-9.9" and rows[2]["rate_source"] == "same currency"


def test_rounding_to_minor_units():
    out = io.StringIO()
    convert_csv(io.StringIO(LEDGER), out, "JPY", book=RateBook(cache=None), round_result=True)
    converted = [r["converted"] for r in csv.DictReader(io.StringIO(out.getvalue()))]
    assert all("." not in c for c in converted) and converted[1] == "1000000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"l\.csv: is empty"),
        ("day,currency,amount\n", r"l\.csv:1: the header has no date column"),
        ("date,currency,amount,converted\n", r"l\.csv:1: the header already has converted"),
        (
            "date,currency,amount\n2024-01-02,GBP,1\n2024-01-02,GBP,abc\n",
            r"l\.csv:3: amount 'abc' is not a number",
        ),
        (
            "date,currency,amount\n2024-01-02,GBP,NaN\n",
            r"l\.csv:2: amount 'NaN' is not a finite number",
        ),
        ("date,currency,amount\n02/01/2024,GBP,1\n", r"l\.csv:2: date '02/01/2024' is not a date"),
        ("date,currency,amount\n2024-01-02,XYZ,1\n", r"l\.csv:2: currency 'XYZ'"),
        ("date,currency,amount\n2024-01-02,GBP\n", r"l\.csv:2: the row has 2 fields"),
        (
            "date,currency,amount\n2024-01-02,GBP,1\n2024-01-02,TWD,1\n",
            r"^l\.csv:3: TWD is not among the ECB reference currencies",
        ),
        ("date,currency,amount\n1998-12-31,GBP,1\n", r"^l\.csv:2: No GBP->USD rate on 1998-12-31"),
    ],
)
def test_bad_ledgers_name_the_line(text, message):
    with pytest.raises((LedgerError, RateNotFoundError), match=message):
        convert_csv(
            io.StringIO(text), io.StringIO(), "USD", book=RateBook(cache=None), name="l.csv"
        )


@pytest.mark.parametrize("rounded", [False, True])
@pytest.mark.parametrize("bad", ["2024-01-02,GBP,lots", "2024-01-02,XYZ,1", "1998-12-31,GBP,1"])
def test_a_ledger_bad_in_its_first_block_writes_nothing_to_a_stream(bad, rounded, capsys, tmp_path):
    # A pipe cannot take back what was written: the header waits for the first block converted,
    # so a ledger whose first rows fail leaves no header-only file behind it.
    text = "id,date,currency,amount\n1,2024-01-02,GBP,1\n2," + bad + "\n"
    out = io.StringIO()
    with pytest.raises((LedgerError, RateNotFoundError, UnsupportedCurrencyError)):
        convert_csv(io.StringIO(text), out, "USD", book=RateBook(cache=None), name="l.csv",
                    round_result=rounded)  # fmt: skip
    assert out.getvalue() == ""
    path = tmp_path / "l.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["ledger", str(path), "--to", "USD", *(["--round"] if rounded else [])]) == 1
    assert capsys.readouterr().out == ""


def test_a_ledger_with_no_rows_still_gets_its_header():
    out = io.StringIO()
    assert convert_csv(io.StringIO("id,date,currency,amount\n"), out, "USD",
                       book=RateBook(cache=None)) == 0  # fmt: skip
    assert (
        out.getvalue()
        == "id,date,currency,amount,converted,to_currency,rate,fixing_date,rate_source\n"
    )


def test_the_ledger_command_writes_all_or_nothing(tmp_path, capsys):
    good, bad, out = tmp_path / "good.csv", tmp_path / "bad.csv", tmp_path / "out.csv"
    good.write_text(LEDGER, encoding="utf-8")
    bad.write_text(LEDGER + "4,2024-01-02,GBP,lots,x\n", encoding="utf-8")
    assert main(["ledger", str(good), "--to", "USD", "-o", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 4
    assert "converted 3 rows to USD" in capsys.readouterr().err
    out.unlink()
    assert main(["ledger", str(bad), "--to", "USD", "-o", str(out)]) == 1
    assert capsys.readouterr().err == "error: bad.csv:7: amount 'lots' is not a number.\n"
    assert list(tmp_path.iterdir()) == [bad, good] or sorted(tmp_path.iterdir()) == sorted(
        [bad, good]
    )
    assert main(["ledger", str(good), "--to", "USD"]) == 0
    assert capsys.readouterr().out.startswith("id,date,currency,amount,note,converted")


def test_history_is_read_once_for_a_batch():
    history = bundled_history()
    table = RateBook(cache=None).cross_table("USD")
    assert len(table.fixing_dates) == len(history)
    assert table.index_of_day[D(2023, 12, 3)] == table.index_of_day[D(2023, 12, 1)]


def test_a_decimal_comma_in_a_ledger_is_refused():
    text = 'date,currency,amount\n2024-01-02,GBP,"1,5"\n'
    with pytest.raises(
        LedgerError,
        match=r"l\.csv:2: amount '1,5' is not a number; commas may only group thousands",
    ):
        convert_csv(
            io.StringIO(text), io.StringIO(), "USD", book=RateBook(cache=None), name="l.csv"
        )


@pytest.mark.parametrize(("rule", "cents"), [("half-up", "0.13"), ("half-even", "0.12")])
def test_rounding_follows_the_rule(rule, cents):
    out = io.StringIO()
    text = "date,currency,amount\n2024-01-19,USD,0.125\n"
    convert_csv(
        io.StringIO(text), out, "USD", book=RateBook(cache=None), round_result=True, rounding=rule
    )
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["converted"] == cents


def plain_ledger(rows, places: int, *, note=lambda i: f"n{i}") -> str:
    """A ledger of plain lines: id, date, currency, amount (``places`` decimals), note."""
    lines = ["id,date,currency,amount,note"]
    for i, (day, code, units) in enumerate(rows):
        amount = f"{Decimal(units).scaleb(-places):f}" if places else str(units)
        lines.append(f"{i},{day},{code},{amount},{note(i)}")
    return "\n".join(lines) + "\n"


def ledger_rows(count: int, seed: int) -> list[tuple[dt.date, str, int]]:
    """Rows the book has a rate for (weekends too), amounts of every size and sign."""
    rng, book, rows = random.Random(seed), RateBook(cache=None), []
    while len(rows) < count:
        day = D(1999, 1, 4) + dt.timedelta(days=rng.randrange(10_160))
        code = rng.choice(CODES)
        try:
            book.rate(code, "USD", day)
        except (RateNotFoundError, UnsupportedCurrencyError):
            continue
        size = 10 ** rng.randrange(0, 15)
        rows.append(
            (day, code, rng.randrange(-size, size) if rng.random() < 0.3 else rng.randrange(size))
        )
    return rows


def three_paths(text: str, to: str, rounding: str, monkeypatch) -> list[object]:
    """What convert_csv writes (or the error it raises) by the numpy quick path, the Python
    quick path and the careful path."""
    import calc.ledger as ledger
    import calc.ledger_quick as quick

    outcomes: list[object] = []
    for mode in ("arrays", "python", "careful"):
        monkeypatch.setattr(ledger, "FAST_LEDGER", mode == "arrays")
        if mode == "careful":
            monkeypatch.setattr(quick.QuickBlocks, "convert", lambda *a: None)
        out = io.StringIO()
        try:
            convert_csv(io.StringIO(text), out, to, book=RateBook(cache=None), round_result=True,
                        rounding=rounding)  # fmt: skip
        except (LedgerError, RateNotFoundError, UnsupportedCurrencyError) as exc:
            outcomes.append((type(exc).__name__, str(exc)))
        else:
            outcomes.append(out.getvalue())
    return outcomes


@pytest.mark.parametrize(("to", "places", "rounding"), [
    ("USD", 2, "half-up"), ("USD", 2, "half-even"), ("JPY", 2, "half-up"), ("USD", 0, "half-up"),
    ("GBP", 3, "half-even"), ("EUR", 1, "half-up"),
])  # fmt: skip
def test_the_quick_paths_write_the_careful_paths_bytes(to, places, rounding, monkeypatch):
    rows = ledger_rows(12_000, seed=places + len(to) + len(rounding))  # two blocks and more
    rows += [(D(2008, 8, 6), "CZK", 70762981850), (D(2008, 8, 6), "CZK", -70762981850)]  # ties
    rows += [(D(2023, 12, 2), "USD", 5), (D(2023, 12, 2), "GBP", -1), (D(2023, 12, 2), "GBP", 0)]
    arrays, python, careful = three_paths(plain_ledger(rows, places), to, rounding, monkeypatch)
    assert isinstance(careful, str) and careful.count("\n") == len(rows) + 1
    assert arrays == careful and python == careful


@pytest.mark.parametrize("bad", [
    "2023-02-30,GBP,1.00", "2023-12-01,GBX,1.00", "2023-12-01,gbp,1.00", "2023-12-01,GBP,1.0.0",
    "2023-12-01,GBP,1e5", "2023-12-01,GBP,", ",GBP,1.00", ",,", "2023-12-01,RUB,1.00",
    "1998-12-31,GBP,1.00", "2023-12-01,TWD,1.00", "20231201,GBP,1.00", "2023-12-01,GBP,-1.00",
    "2023-12-01,GBP,=1", " 2023-12-01,GBP,1.00", "2023-12-01,GBP,1.5", "2023-12-01,GBP,١٢",
])  # fmt: skip
def test_an_odd_row_gets_the_careful_paths_answer_on_every_path(bad, monkeypatch):
    rows = ledger_rows(3000, seed=5)
    text = plain_ledger(rows, 2).splitlines()
    text.insert(2000, f"x,{bad},note")
    arrays, python, careful = three_paths("\n".join(text) + "\n", "USD", "half-up", monkeypatch)
    assert arrays == careful and python == careful


@pytest.mark.parametrize("places", [0, 1, 2, 3, 4, 5])
def test_the_array_paths_figures_are_kernel_minor_texts(places):
    np = pytest.importorskip("numpy")
    from calc import kernel
    from calc.ledger_arrays import ArrayBlocks

    rng = random.Random(places)
    values = [0, 1, -1, 5, -5, 99, -99, 100, -100, 9999, 10_000, -10_000, 10**18, 2**63 - 1]
    values += [-(2**63 - 1), 10**17 - 1, 10**places, -(10**places), 10**places - 1]
    values += [rng.randrange(-(10 ** rng.randrange(1, 19)), 10 ** rng.randrange(1, 19))
               for _ in range(3000)]  # fmt: skip
    ratios = RateBook(cache=None).cross_table("USD").ratios
    blocks = ArrayBlocks(np, ratios, "USD", places, "half-up", (0, 1, 2), 3, [], None)
    want = "".join("," + t for t in kernel.minor_texts(values, places))
    column = np.array(values, dtype=np.int64)
    for made in (blocks._number_bytes(column), blocks._number_bytes_by_digit(column)):
        assert made.shape[0] == len(values)
        flat = made.ravel()
        assert flat[flat != 0].tobytes().decode("ascii") == want
