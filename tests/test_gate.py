"""The gate every fixing passes: each probe of a bad live answer or cached row is refused."""

from __future__ import annotations

import datetime as dt
import itertools
import string
from decimal import Decimal

import pytest
from babel.core import get_global

from rates.codes import ISO_4217
from rates.errors import FixingRefusedError, RateSourceError
from rates.gate import check_day, day_problems

D = dt.date
PREVIOUS = (
    D(2026, 11, 2),
    {"USD": Decimal("1.1190"), "JPY": Decimal("176.02"), "GBP": Decimal("0.8341")},
)
GOOD = {"USD": "1.1201", "JPY": "176.50", "GBP": "0.83455"}
DAY, TODAY = D(2026, 11, 3), D(2026, 11, 24)


def refused(per_eur, day=DAY, **kw) -> str:
    kw.setdefault("previous", PREVIOUS)
    kw.setdefault("today", TODAY)
    with pytest.raises(FixingRefusedError) as caught:
        check_day(day, per_eur, **kw)
    assert isinstance(caught.value, RateSourceError) and caught.value.day == day
    message = str(caught.value)
    assert message.startswith(f"Refused the fixings of {day}: ") and "\n" not in message
    return message


def test_a_good_day_passes_as_decimals():
    assert check_day(DAY, GOOD, previous=PREVIOUS, today=TODAY) == {
        code: Decimal(value) for code, value in GOOD.items()
    }
    assert check_day(DAY, {**GOOD, "EUR": "1"}, previous=PREVIOUS, today=TODAY) == {
        code: Decimal(value) for code, value in GOOD.items()
    }


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (
            "1e-10",
            r"USD = '1e-10' is not within a factor of 2 of its previous fixing \(1.1190 on 2026-11-02\)",
        ),
        (Decimal("1e-10"), r"USD = Decimal\('1E-10'\) is not within a factor of 2"),
        ("1e308", r"USD = '1e308' is not between 1e-30 and 1e30"),
        (Decimal("1E-999999999"), r"USD = Decimal\('1E-999999999'\) is not between 1e-30 and 1e30"),
        ("1." + "1" * 500_000, r"USD = '1\.1111.*\(500004 characters\) is not a decimal number"),
        (Decimal("1." + "1" * 500_000), r"has more than 20 significant digits"),
        ("-1.1172", r"USD = '-1.1172' is not a decimal number"),
        (Decimal("-1.1172"), r"is not between 1e-30 and 1e30"),
        ("0", r"USD = '0' is not between"),
        ("NaN", r"USD = 'NaN' is not a decimal number"),
        (Decimal("NaN"), r"is not a decimal number"),
        ("one", r"USD = 'one' is not a decimal number"),
        (1.1201, r"USD = 1.1201 is not a decimal number"),  # a float has lost digits already
        (True, r"is not a decimal number"),
        ("2.3", r"not within a factor of 2"),
        ("0.55", r"not within a factor of 2"),
    ],
)
def test_a_bad_rate_is_refused_naming_the_currency_the_value_and_the_rule(value, says):
    import re

    message = refused({**GOOD, "USD": value})
    assert re.search(says, message), message


def test_a_rate_within_the_band_passes_and_a_new_currency_has_no_band():
    assert check_day(DAY, {**GOOD, "USD": "2.2", "CHF": "0.9188"}, previous=PREVIOUS, today=TODAY)


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("usd", r"'usd' is not a currency code \(three capital letters\)"),
        ("ÄÖÜ", r"'ÄÖÜ' is not a currency code"),
        ("US", r"'US' is not a currency code"),
        ("QQQ", r"'QQQ' is not an ISO 4217 currency code"),
        (7, r"7 is not a currency code"),
    ],
)
def test_a_bad_code_is_refused(code, says):
    import re

    assert re.search(says, refused({**GOOD, code: "1.5"}))


def test_seventeen_thousand_invented_codes_are_refused():
    invented = {
        "".join(letters): "1.5"
        for letters in itertools.product(string.ascii_uppercase, repeat=3)
        if "".join(letters) not in ISO_4217
    }
    assert len(invented) > 17_000
    problems = day_problems(DAY, {**GOOD, **invented}, previous=PREVIOUS, today=TODAY)
    assert len(problems) == len(invented)


def test_a_day_that_drops_the_previous_days_currencies_is_refused():
    assert "it lacks GBP, JPY, USD, which 2026-11-02 carried" in refused({"XAU": "0.0004"})
    assert "it lacks JPY, which 2026-11-02 carried" in refused({"USD": "1.12", "GBP": "0.83"})
    assert "it carries no rates" in refused({})


@pytest.mark.parametrize(
    ("day", "kw", "says"),
    [
        (D(9999, 12, 31), {}, "it is dated 9999-12-31, after today (2026-11-24)"),
        (D(2026, 11, 25), {}, "it is dated 2026-11-25, after today (2026-11-24)"),
        (D(2026, 11, 8), {}, "it is dated 2026-11-08 (Sunday), which is not a TARGET business day"),
        (
            D(2026, 12, 25),
            {"today": D(2026, 12, 28)},
            "(Friday), which is not a TARGET business day",
        ),
        (D(1998, 12, 31), {"previous": None}, "before the first ECB fixing (1999-01-04)"),
        (
            D(2026, 11, 3),
            {"asked": D(2026, 11, 4)},
            "it is dated 2026-11-03, not 2026-11-04 as asked",
        ),
        (
            D(2026, 11, 3),
            {"latest_after": D(2026, 11, 5)},
            "before the last day stored (2026-11-05)",
        ),
    ],
)
def test_a_bad_date_is_refused(day, kw, says):
    assert says in refused(GOOD, day=day, **kw)


def test_the_bundled_codes_are_cldrs():
    assert set(get_global("all_currencies")) <= ISO_4217
    assert {"USD", "EUR", "GBP", "JPY", "CYP", "TRL", "ROL", "XAU"} <= ISO_4217
