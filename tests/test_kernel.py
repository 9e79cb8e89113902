"""The batch path's integer arithmetic: exact against Fraction, numpy and Python ints alike."""

import csv
import datetime as dt
import io
import random
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import rates.ratios as ratios
from calc import Converter, Money, kernel
from calc.decimals import EXACT, plain, quotient
from calc.ledger import convert_csv, normalise_columns
from rates import RateBook, RateNotFoundError, UnsupportedCurrencyError
from rates.ecb import bundled_history, parse_history, snapshot_path
from rates.units import FixingUnits, bundled_units, units_path

D = dt.date


def fraction_round(value: Fraction, rule: str) -> int:
    """``value`` rounded to an integer by ``rule``, from its exact Fraction."""
    whole = value.numerator // value.denominator
    rest = value - whole
    if rest > Fraction(1, 2):
        return whole + 1
    if rest < Fraction(1, 2):
        return whole
    if rule == "half-up":
        return whole + 1 if value > 0 else whole
    return whole + (whole & 1)


def tie_cases(seed: int) -> list[tuple[int, int, int]]:
    """(a, n, d) with every kind of row: exact halves above and below zero, values a hair
    either side of a half, negative amounts, zero, quotients beyond 2**52, big operands."""
    rng = random.Random(seed)
    cases = [(0, 7, 3), (0, 1, 1), (5, 1, 10), (-5, 1, 10), (15, 1, 10), (-15, 1, 10),
             (2**60, 3, 7), (-(2**60), 3, 7), (2**62, 1, 2), (2**70 + 1, 1, 2)]  # fmt: skip
    for _ in range(4000):
        d = rng.randrange(1, 10 ** rng.randrange(1, 18))
        n = rng.randrange(1, 10 ** rng.randrange(1, 15))
        kind = rng.randrange(6)
        if kind == 0:  # an exact half: a * n / d = k + 1/2
            d = 2 * rng.randrange(1, 10**8)
            n = 1
            a = (2 * rng.randrange(-(10**9), 10**9) + 1) * (d // 2)
        elif kind in (1, 2):  # a hair above or below a half
            d = 2 * rng.randrange(1, 10**8)
            n = 1
            a = (2 * rng.randrange(-(10**9), 10**9) + 1) * (d // 2) + (1 if kind == 1 else -1)
        elif kind == 3:  # a quotient beyond 2**52 (the float estimate's range)
            a = rng.choice([-1, 1]) * rng.randrange(2**53, 2**62)
            n, d = rng.randrange(1, 1000), rng.randrange(1, 1000)
        else:
            a = rng.randrange(-(10 ** rng.randrange(1, 18)), 10 ** rng.randrange(1, 18))
        cases.append((a, n, d))
    return cases


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_the_kernel_rounds_as_fraction_does_on_every_kind_of_row(rule, monkeypatch):
    cases = tie_cases(17)
    a, n, d = (list(c) for c in zip(*cases, strict=True))
    expected = [fraction_round(Fraction(x * y, z), rule) for x, y, z in cases]
    assert sum(1 for x, y, z in cases if 2 * (x * y % z) == z) > 500  # ties are in the set
    assert kernel.round_quotients(a, n, d, rule) == expected
    fits = [i for i, (x, y, z) in enumerate(cases) if max(abs(x), y, z) < 2**63]
    arrays = [np.array([c[i] for c in (a, n, d)], dtype=np.int64) for i in fits]
    got = kernel.round_quotients_array(*(np.array(col) for col in zip(*arrays, strict=True)), rule)
    assert got.tolist() == [expected[i] for i in fits]
    assert any(abs(expected[i]) > 2**53 for i in fits)  # past the float estimate, exact still


def test_a_result_beyond_int64_comes_back_as_python_ints():
    a, n, d = (np.array([v], dtype=np.int64) for v in (2**62, 2**40, 3))
    (got,) = kernel.round_quotients_array(a, n, d, "half-up").tolist()
    assert got == fraction_round(Fraction(2**102, 3), "half-up")


def test_unrounded_text_is_what_quotient_keeps():
    rng = random.Random(3)
    for _ in range(3000):
        a, s = rng.randrange(-(10**13), 10**13), rng.randrange(0, 5)
        n, d = rng.randrange(1, 10**12), rng.randrange(1, 10**12)
        if rng.random() < 0.2:  # a denominator of twos and fives: the quotient terminates
            d = 2 ** rng.randrange(0, 20) * 5 ** rng.randrange(0, 10)
        if rng.random() < 0.1:
            a *= d
        expected = quotient(EXACT.multiply(Decimal(a).scaleb(-s), Decimal(n)), Decimal(d))
        assert kernel.exact_text(a, s, n, d) == plain(expected), (a, s, n, d)


@pytest.mark.parametrize(
    "text", ["1.5", "-2", ".5", "-.25", "007.50", "0", "-0.00", "123456789012345678901234"]
)
def test_plain_amounts_read_as_decimal_reads_them(text):
    digits, powers = kernel.plain_digits([text], 1000)
    assert Fraction(digits[0], powers[0]) == Fraction(Decimal(text))


@pytest.mark.parametrize("text", ["1.2.3", ".-5", "1-", "-", ".", "", " 1", "1e5", "1,5", "١"])
def test_anything_else_is_left_to_decimal(text):
    assert kernel.plain_digits(["1", text], 1000) is None


def test_the_package_integers_are_the_bundled_csv():
    with open(snapshot_path(), encoding="ascii") as file:
        history = parse_history(file.read(), clean=True)
    made = FixingUnits.from_history(history)
    with open(units_path(), "rb") as file:
        assert file.read() == made.encode()  # remake with: python tools/make_snapshot.py --units
    units = bundled_units()
    assert units.matches(bundled_history()) and units.count == len(history)
    for code in ("USD", "CZK", "ISK", "TRL"):
        texts = history.column(code)
        got = [
            "" if m == 0 else str(Decimal(m).scaleb(-s))
            for m, s in zip(units.mantissas[code], units.scales[code], strict=True)
        ]
        assert got == [str(Decimal(t)) if t else "" for t in texts]


def test_another_history_gets_its_own_integers():
    history = parse_history("Date,USD,GBP\n2023-11-29,1.0982,0.86573\n2023-11-30,1.0931,\n")
    book = RateBook(cache=None, history=history, today=D(2023, 12, 4))
    columns = normalise_columns(
        [D(2023, 11, 29), D(2023, 12, 2)], ["GBP", "USD"], [100, 5], "USD", book=book
    )
    assert columns.results == [
        Converter(book).convert(Money(100, "GBP"), "USD", on=D(2023, 11, 29)).result.amount,
        5,
    ]
    with pytest.raises(RateNotFoundError) as raised:
        normalise_columns([D(2023, 11, 30)], ["GBP"], [1], "USD", book=book)
    assert raised.value.row == 0


def czk_row() -> tuple[Fraction, Fraction]:
    """EUR->USD and EUR->CZK on 2008-08-06, read from the bundled CSV as it is."""
    with open(snapshot_path(), encoding="ascii") as file:
        lines = [line for line in file if not line.startswith("#")]
    header = lines[0].strip().split(",")
    (row,) = [line.strip().split(",") for line in lines if line.startswith("2008-08-06,")]
    values = dict(zip(header, row, strict=True))
    return Fraction(values["USD"]), Fraction(values["CZK"])


def test_the_known_tie_is_exact_everywhere(monkeypatch):
    usd, czk = czk_row()
    exact = Fraction("707629818.50") * usd / czk * 100
    assert exact.denominator == 2  # an exact half cent: 4,567,428,828.5 cents
    expected = fraction_round(exact, "half-up")
    # Half-up takes the tie away from zero (45,674,288.29); 45,674,288.28 is its half-even
    # rounding (8 is even).
    assert (expected, fraction_round(exact, "half-even")) == (4567428829, 4567428828)
    book = RateBook(cache=None)
    day, amount = D(2008, 8, 6), Decimal("707629818.50")
    for use_numpy in (True, False):
        monkeypatch.setattr(kernel, "USE_NUMPY", use_numpy)
        monkeypatch.setattr(ratios, "USE_NUMPY", use_numpy)
        got = normalise_columns([day] * 100, ["CZK"] * 100, [amount] * 100, "USD",
                                book=book, rounding="half-up").results  # fmt: skip
        assert got == [expected] * 100
    single = Converter(book).convert(Money(amount, "CZK"), "USD", on=day).rounded()
    assert single.amount == Decimal(expected).scaleb(-2)
    out = io.StringIO()
    convert_csv(io.StringIO(f"date,currency,amount\n{day},CZK,{amount}\n"), out, "USD",
                book=book, round_result=True)  # fmt: skip
    assert next(csv.DictReader(io.StringIO(out.getvalue())))["converted"] == str(single.amount)
    even = normalise_columns([day], ["CZK"], [amount], "USD", book=book, rounding="half-even")
    assert even.results == [fraction_round(exact, "half-even")]


CODES = ["USD", "EUR", "GBP", "JPY", "CHF", "SEK", "ISK", "HRK", "CYP", "TRY", "KRW", "BGN", "CZK"]


def rows_with_rates(count: int, seed: int) -> list[tuple[dt.date, str, int]]:
    """Rows any day of the history (weekends too) the book has a rate for, amounts in cents."""
    book = RateBook(cache=None)
    rng = random.Random(seed)
    rows = []
    while len(rows) < count:
        day = D(1999, 1, 4) + dt.timedelta(days=rng.randrange(10_160))
        code = rng.choice(CODES)
        try:
            book.rate(code, "USD", day)
        except (RateNotFoundError, UnsupportedCurrencyError):
            continue
        rows.append((day, code, rng.randrange(-(10**12), 10**12)))
    return rows


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_lists_arrays_and_the_pure_path_give_the_single_paths_cents(rule, monkeypatch):
    book = RateBook(cache=None)
    rows = rows_with_rates(3000, seed=len(rule))
    days, codes, cents = (list(c) for c in zip(*rows, strict=True))
    converter = Converter(book)
    expected = [
        int(
            converter.convert(Money(Decimal(c).scaleb(-2), k), "USD", on=d)
            .rounded(rule)
            .amount.scaleb(2)
        )
        for d, k, c in rows
    ]
    from_lists = normalise_columns(days, codes, cents, "USD", scale=2, rounding=rule, book=book)
    assert from_lists.results == expected
    decimals = [Decimal(c).scaleb(-2) for c in cents]
    assert (
        normalise_columns(days, codes, decimals, "USD", rounding=rule, book=book).results
        == expected
    )
    arrays = normalise_columns(
        np.array(days, dtype="datetime64[D]"), np.array(codes), np.array(cents, dtype=np.int64),
        "USD", scale=2, rounding=rule, book=book,
    )  # fmt: skip
    assert arrays.results.tolist() == expected
    assert arrays.fixing_dates.astype(object).tolist() == from_lists.fixing_dates
    assert list(arrays.sources) == from_lists.sources and list(arrays.rates) == list(
        from_lists.rates
    )
    monkeypatch.setattr(kernel, "USE_NUMPY", False)
    monkeypatch.setattr(ratios, "USE_NUMPY", False)  # Python ints all the way, as without numpy
    pure = normalise_columns(days, codes, cents, "USD", scale=2, rounding=rule, book=book)
    assert pure.results == expected and list(pure.rates) == list(from_lists.rates)
    assert pure.fixing_dates == from_lists.fixing_dates and pure.sources == from_lists.sources
    exact = normalise_columns(days, codes, cents, "USD", scale=2, book=book).results
    assert exact[::10] == [
        converter.convert(Money(Decimal(c).scaleb(-2), k), "USD", on=d).result.amount
        for d, k, c in rows[::10]
    ]


def test_array_rows_without_a_rate_raise_the_books_error():
    book = RateBook(cache=None)
    days = np.array(["2020-01-02", "2023-01-02"], dtype="datetime64[D]")
    with pytest.raises(RateNotFoundError, match="stopped quoting RUB") as raised:
        normalise_columns(
            days, np.array(["GBP", "RUB"]), np.array([1, 1]), "USD", scale=0, book=book
        )
    assert raised.value.row == 1
    with pytest.raises(UnsupportedCurrencyError, match="TWD"):
        normalise_columns(
            days, np.array(["GBP", "TWD"]), np.array([1, 1]), "USD", scale=0, book=book
        )


def test_a_float_amount_is_refused():
    with pytest.raises(TypeError, match="float"):
        normalise_columns([D(2020, 1, 2)], ["GBP"], [2.5], "USD", book=RateBook(cache=None))


def ledger_text(
    rows: list[tuple[dt.date, str, int]], *, crlf: bool = False, quoted_at: int = -1
) -> str:
    end = "\r\n" if crlf else "\n"
    lines = ["id,date,currency,amount,note"]
    for i, (day, code, cents) in enumerate(rows):
        note = '"a, quoted note"' if i == quoted_at else "n"
        lines.append(f"{i},{day},{code},{Decimal(cents).scaleb(-2)},{note}")
    return end.join(lines) + end


@pytest.mark.parametrize("round_result", [True, False])
def test_the_quick_and_the_csv_module_readings_write_the_same(round_result):
    book = RateBook(cache=None)
    rows = rows_with_rates(30_000, seed=9)  # several blocks of the quick path
    outputs = []
    for text in (
        ledger_text(rows),
        ledger_text(rows, crlf=True),
        ledger_text(rows, quoted_at=20_000),
    ):
        out = io.StringIO()
        assert convert_csv(
            io.StringIO(text), out, "USD", book=book, round_result=round_result
        ) == len(rows)
        outputs.append(list(csv.reader(io.StringIO(out.getvalue()))))
    assert outputs[0] == outputs[1]
    assert [r[:4] + r[5:] for r in outputs[0]] == [r[:4] + r[5:] for r in outputs[2]]
    converter = Converter(book)
    for row in outputs[0][1::997]:
        c = converter.convert(Money(row[3], row[2]), "USD", on=D.fromisoformat(row[1]))
        expected = str(c.rounded().amount) if round_result else plain(c.result.amount)
        assert (row[5], row[7], row[8]) == (
            expected,
            str(c.rate.value),
            c.rate.fixing_date.isoformat(),
        )


@pytest.mark.parametrize("max_gap", [0, 3, 7])
def test_the_tables_calendar_is_the_historys(max_gap):
    book = RateBook(cache=None, max_gap=max_gap, today=D(2026, 10, 27))
    table = book.cross_table("USD")
    expected = bundled_history().calendar(max_gap, until="2026-10-27")
    assert table.index_of_day == expected
    assert table.fixing_dates == [D.fromisoformat(d) for d in bundled_history().dates]


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_the_table_kernel_rounds_as_fraction_does_on_every_kind_of_row(rule):
    cases = [(a, n, d) for a, n, d in tie_cases(23) if max(abs(a), n, d) < 2**60]
    assert any(abs(a) * n / d > 2**52 for a, n, d in cases)  # past the estimate's limit too
    assert sum(1 for a, n, d in cases if 2 * (a * n % d) == d) > 500  # ties are in the set
    assert any(a < 0 for a, _n, _d in cases) and any(a > 0 for a, _n, _d in cases)
    a, n, d = (np.array(c, dtype=np.int64) for c in zip(*cases, strict=True))
    positions = np.arange(len(cases))[::-1].copy()  # each row reads its own slot, in any order
    nums, dens = n[::-1].copy(), d[::-1].copy()
    tables = (positions, nums, dens, nums / dens, int(nums.max()), int(dens.max()),
              float((nums / dens).max()))  # fmt: skip
    expected = [fraction_round(Fraction(x * y, z), rule) for x, y, z in cases]
    assert kernel.rounded_at(a, 1, tables, {}, 0, rule).tolist() == expected
    amounts = np.abs(a)  # the form for amounts all >= 0
    assert kernel.rounded_at(amounts, 1, tables, {}, 0, rule).tolist() == [
        fraction_round(Fraction(abs(x) * y, z), rule) for x, y, z in cases
    ]
    # rows the tables do not answer take their own fractions, exactly, even past int64
    exact_rows = {0: (3, 2), 5: (2**70, 3)}
    got = kernel.rounded_at(a, 1, tables, exact_rows, 0, rule).tolist()
    assert got[0] == fraction_round(Fraction(int(a[0]) * 3, 2), rule)
    assert got[5] == fraction_round(Fraction(int(a[5]) * 2**70, 3), rule)


def test_the_table_kernel_leaves_what_it_cannot_bound_to_the_careful_path():
    nums = dens = np.ones(1, dtype=np.int64)
    tables = (np.zeros(1, dtype=np.int64), nums, dens, nums / dens, 1, 1, 1.0)
    assert kernel.rounded_at([2**70], 1, tables, {}, 0, "half-up") is None
    big = (np.zeros(1, dtype=np.int64), nums, dens, nums / dens, 2**61, 1, 1.0)
    assert kernel.rounded_at(np.array([1]), 1, big, {}, 0, "half-up") is None
    huge = np.array([2**62], dtype=np.int64)  # past the fast form, still exact
    got = normalise_columns(np.array(["2023-12-01"], dtype="datetime64[D]"), np.array(["GBP"]),
                            huge, "USD", scale=2, rounding="half-up", book=RateBook(cache=None))  # fmt: skip
    rate = RateBook(cache=None).rate("GBP", "USD", D(2023, 12, 1)).ratio
    assert got.results.tolist() == [
        fraction_round(Fraction(2**62) * Fraction(rate[0]) / Fraction(rate[1]), "half-up")
    ]


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_the_known_tie_from_numpy_columns(rule):
    usd, czk = czk_row()
    cents = np.array([70762981850, -70762981850], dtype=np.int64)
    got = normalise_columns(np.array(["2008-08-06"] * 2, dtype="datetime64[D]"),
                            np.array(["CZK"] * 2), cents, "USD", scale=2, rounding=rule,
                            book=RateBook(cache=None))  # fmt: skip
    assert isinstance(got.results, np.ndarray)
    assert got.results.tolist() == [
        fraction_round(Fraction(int(c), 100) * usd / czk * 100, rule) for c in cents
    ]


def test_a_second_book_reuses_the_tables_and_a_new_calendar_gets_its_own():
    first, second = RateBook(cache=None), RateBook(cache=None)
    days = np.array(["2023-12-02", "2023-12-09"], dtype="datetime64[D]")
    codes, cents = np.array(["GBP", "GBP"]), np.array([100, 100], dtype=np.int64)
    a = normalise_columns(days, codes, cents, "USD", scale=2, rounding="half-up", book=first)
    b = normalise_columns(days, codes, cents, "USD", scale=2, rounding="half-up", book=second)
    assert a.results.tolist() == b.results.tolist()
    assert first.cross_table("USD").ratios._tables(np) is second.cross_table("USD").ratios._tables(
        np
    )
    strict = RateBook(cache=None, max_gap=0)  # 2023-12-02 is a Saturday: no fixing within 0 days
    with pytest.raises(RateNotFoundError) as raised:
        normalise_columns(days, codes, cents, "USD", scale=2, rounding="half-up", book=strict)
    assert raised.value.row == 0


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_the_known_tie_is_exact_however_the_row_spells_its_code_and_date(rule):
    """Rows the quick paths leave to the careful one (a lower-case code, spaces, a date
    without dashes) round the exact quotient too, not the 28-digit rate."""
    usd, czk = czk_row()
    exact = Fraction("707629818.50") * usd / czk
    expected = str(Decimal(fraction_round(exact * 100, rule)).scaleb(-2))
    spellings = ["2008-08-06,CZK", "2008-08-06,czk", "2008-08-06, CZK ", "20080806,CZK"]
    text = "date,currency,amount\n" + "".join(f"{s},707629818.50\n" for s in spellings)
    out = io.StringIO()
    convert_csv(io.StringIO(text), out, "USD", book=RateBook(cache=None), round_result=True,
                rounding=rule)  # fmt: skip
    assert [row["converted"] for row in csv.DictReader(io.StringIO(out.getvalue()))] == (
        [expected] * len(spellings)
    )


@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_decimals_of_every_precision_round_as_each_alone(rule):
    """Amounts with no point, one, three and twenty-five places, an exponent, int amounts
    among them: put over one power of ten (or not, where that is too big), each rounds as the
    single conversion does."""
    book = RateBook(cache=None)
    rows = rows_with_rates(400, seed=7)
    rng = random.Random(3)
    shapes = [
        lambda c: Decimal(c), lambda c: Decimal(c).scaleb(-1), lambda c: Decimal(c).scaleb(-3),
        lambda c: Decimal(c).scaleb(3), lambda c: Decimal(c % 10**6).scaleb(-25), lambda c: c,
        lambda c: Decimal("2.125") * (1 if c > 0 else -1), lambda c: Decimal(0),
    ]  # fmt: skip
    amounts = [rng.choice(shapes)(c) for _d, _k, c in rows]
    converter = Converter(book)
    for chosen in (amounts, [a for a in amounts if not isinstance(a, int)][:50]):
        days, codes = [d for d, _k, _c in rows][: len(chosen)], [k for _d, k, _c in rows]
        expected = [
            int(converter.convert(Money(Decimal(a), k), "USD", on=d).rounded(rule).amount.scaleb(2))
            for d, k, a in zip(days, codes, chosen, strict=False)
        ]
        got = normalise_columns(days, codes[: len(chosen)], chosen, "USD", rounding=rule,
                                book=book).results  # fmt: skip
        assert list(got) == expected
