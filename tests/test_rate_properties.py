"""Properties of cross rates, checked with hypothesis over the bundled history."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rates import RateBook
from rates.ecb import bundled_history

BOOK = RateBook(cache=None)
HISTORY = bundled_history()
CURRENT = [
    "EUR",
    "USD",
    "JPY",
    "GBP",
    "CHF",
    "AUD",
    "CAD",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "HUF",
    "KRW",
    "SGD",
    "HKD",
    "NZD",
    "ZAR",
    "MXN",
    "INR",
    "CNY",
    "BRL",
    "ISK",
    "TRY",
]
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 10, 30))
codes = st.sampled_from(CURRENT)


@settings(max_examples=300, deadline=None)
@given(codes, codes, days)
def test_a_round_trip_comes_back_within_decimal_precision(a, b, day):
    there = BOOK.rate(a, b, day).value
    back = BOOK.rate(b, a, day).value
    assert abs(there * back - 1) < Decimal("1e-26")


@settings(max_examples=300, deadline=None)
@given(codes, codes, codes, days)
def test_a_to_b_equals_a_to_c_times_c_to_b(a, b, c, day):
    direct = BOOK.rate(a, b, day).value
    through = BOOK.rate(a, c, day).value * BOOK.rate(c, b, day).value
    assert abs(direct - through) <= direct * Decimal("1e-26")


@settings(max_examples=200, deadline=None)
@given(codes, codes, days)
def test_the_fixing_used_is_the_last_one_on_or_before_the_day(a, b, day):
    rate = BOOK.rate(a, b, day)
    if a == b:
        return
    iso = [d for d in HISTORY.dates if d <= day.isoformat()][-1]
    assert rate.fixing_date.isoformat() == iso
