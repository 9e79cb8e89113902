"""The rate texts of the batch path: the numpy columns give column_texts's text, every byte."""

import random
from array import array
from decimal import Decimal

import numpy as np
import pytest

from rates import RATE_CONTEXT, RateBook
from rates.textcolumns import column_text_array, column_texts

WIDTH = 36


class Columns:
    """The little of CrossRatios that the rate texts read: a quote and one currency, given as
    mantissas and scales (0: not quoted that fixing)."""

    quote = "QQQ"

    def __init__(self, quote: list[tuple[int, int]], base: list[tuple[int, int]]) -> None:
        self._digits = {
            "QQQ": (array("i", [m for m, _ in quote]), array("B", [s for _, s in quote])),
            "BBB": (array("i", [m for m, _ in base]), array("B", [s for _, s in base])),
        }

    def digits(self, code: str):
        return self._digits[code]

    def quote_decimals(self) -> list[Decimal]:
        return [Decimal(max(m, 1)) for m in self._digits["QQQ"][0]]


def as_text(got) -> list[str]:
    return [t.decode("ascii") for t in got.tolist()]


def by_decimal(top: int, top_places: int, bottom: int, bottom_places: int) -> str:
    """The rate text as RateBook.rate gives it, from the two published values."""
    value = RATE_CONTEXT.divide(
        Decimal(top).scaleb(-top_places), Decimal(bottom).scaleb(-bottom_places)
    )
    return str(value)


ODD = [
    (1, 0, 3, 0),  # 28 threes, no rounding up
    (2, 0, 3, 0),  # 28 digits, rounded up at the end
    (1, 0, 4, 0),  # exact: 0.25
    (100, 0, 4, 0),  # exact, whole: 25
    (20, 0, 2, 0),  # exact, a zero kept in the units: 10
    (2, 0, 1, 3),  # exact, whole, moved left of the units: 2E+3
    (9, 0, 1, 2),  # 9E+2
    (10875, 4, 1, 0),  # EUR as the base: the quote's own value
    (1, 0, 1048576, 7),  # exact, 13 decimals after the shift
    (1, 0, 8388608, 0),  # exact, 1.1920928955078125E-7: exponent form
    (1, 0, 1000000, 0),  # 0.000001: the last plain one
    (1, 0, 10000000, 0),  # 1E-7
    (1234, 6, 1, 0),  # 0.001234
    (1, 6, 2147483647, 0),  # the smallest: exponent form
    (2147483647, 0, 1, 6),  # the largest quotient, over a million times over
    (2147483647, 0, 2147483646, 0),  # a hair over one
    (2147483646, 0, 2147483647, 0),  # a hair under one: 28 nines then the rest
    (2147483647, 0, 1073741824, 0),  # exact with 31 decimals: rounded half-even at 28 digits
    (1, 0, 1220703125, 0),  # 5**13: exact, 8.192E-10
    (999999999, 0, 1000000000, 0),  # exact nines
    (1999999, 0, 2000000, 0),  # 0.9999995: exact
    (5, 0, 10, 0),  # 0.5
    (15, 1, 10, 1),  # the same value, other places: 1.5
    (7, 6, 3, 0),  # 0.000002333...: plain, six zeros after the point
    (3, 6, 7, 0),  # 4.28...E-7
    (0, 0, 3, 0),  # the quote not quoted: ""
    (3, 0, 0, 0),  # the base not quoted: ""
]


def test_odd_values_give_the_decimal_text():
    columns = Columns([(t, tp) for t, tp, _b, _bp in ODD], [(b, bp) for _t, _tp, b, bp in ODD])
    got = as_text(column_text_array(np, columns, "BBB", WIDTH))
    assert got == column_texts(columns, "BBB")
    assert got == [by_decimal(*row) if row[0] and row[2] else "" for row in ODD]
    assert got[5] == "2E+3" and got[9] == "1.1920928955078125E-7" and got[2] == "0.25"


def test_random_values_give_the_decimal_text():
    rng = random.Random(20261202)
    pairs = []
    for _ in range(20_000):
        size = 10 ** rng.randrange(1, 10)
        pairs.append(
            ((rng.randrange(size), rng.randrange(7)), (rng.randrange(size), rng.randrange(7)))
        )
    columns = Columns([q for q, _ in pairs], [b for _, b in pairs])
    assert as_text(column_text_array(np, columns, "BBB", WIDTH)) == column_texts(columns, "BBB")


def test_a_text_wider_than_the_table_answers_none():
    columns = Columns([(1, 0)], [(3, 0)])  # 0.3333333333333333333333333333: 30 characters
    assert as_text(column_text_array(np, columns, "BBB", 30)) == [column_texts(columns, "BBB")[0]]
    assert column_text_array(np, columns, "BBB", 29) is None
    wide = Columns([(1, 6)], [(2147483647, 0)])  # in exponent form, by Decimal
    assert column_text_array(np, wide, "BBB", 20) is None


@pytest.mark.parametrize("quote", ["USD", "EUR", "JPY", "ISK", "RUB"])
def test_every_bundled_column_gives_the_decimal_text(quote):
    ratios = RateBook(cache=None).cross_table(quote).ratios
    codes = [c for c in ratios.array_tables(np).order if c != quote]
    assert len(codes) > 30
    for code in codes:
        assert as_text(column_text_array(np, ratios, code, WIDTH)) == column_texts(ratios, code)
