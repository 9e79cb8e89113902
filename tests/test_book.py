"""The rate book on the bundled ECB history: exact values, dates, errors, overrides, averages."""

import datetime as dt
from decimal import Decimal

import pytest

from rates import (
    InvalidRateError,
    Override,
    Rate,
    RateBook,
    RateNotFoundError,
    StaleRatesError,
    UnsupportedCurrencyError,
)

D = dt.date


@pytest.mark.parametrize(
    ("base", "quote", "on", "expected"),
    [
        ("GBP", "USD", D(2023, 11, 30), Decimal("1.0931") / Decimal("0.86368")),
        ("EUR", "USD", D(2023, 11, 30), Decimal("1.0931")),
        ("USD", "EUR", D(2023, 11, 30), Decimal(1) / Decimal("1.0931")),
        ("USD", "JPY", D(2024, 4, 9), Decimal("164.97") / Decimal("1.0867")),
        ("GBP", "JPY", D(1999, 1, 4), Decimal("133.73") / Decimal("0.7111")),
        ("EUR", "RUB", D(2022, 3, 1), Decimal("117.2010")),
    ],
)
def test_exact_cross_rates(offline_book, base, quote, on, expected):
    rate = offline_book.rate(base, quote, on)
    assert rate.value == expected
    assert (rate.base, rate.quote, rate.on, rate.fixing_date) == (base, quote, on, on)
    assert rate.source == "ECB reference rates (bundled)"
    assert not rate.stale


def test_same_currency_is_exactly_one(offline_book):
    rate = offline_book.rate("jpy", "JPY", D(2020, 5, 5))
    assert rate.value == Decimal(1) and rate.fixing_date == D(2020, 5, 5)


@pytest.mark.parametrize(
    ("on", "fixing", "why"),
    [
        (D(2023, 12, 2), D(2023, 12, 1), "Saturday"),
        (D(2023, 12, 3), D(2023, 12, 1), "Sunday"),
        (D(2024, 3, 29), D(2024, 3, 28), "Good Friday"),
        (D(2024, 4, 1), D(2024, 3, 28), "Easter Monday"),
        (D(2023, 12, 26), D(2023, 12, 22), "Boxing Day, after a weekend and Christmas"),
        (D(2025, 1, 1), D(2024, 12, 31), "New Year's Day"),
    ],
)
def test_a_day_without_fixing_uses_the_last_earlier_one(offline_book, on, fixing, why):
    rate = offline_book.rate("GBP", "USD", on)
    assert rate.fixing_date == fixing, why
    assert rate.on == on
    assert rate.value == offline_book.rate("GBP", "USD", fixing).value
    assert f"no fixing on {on}" in rate.note


def test_a_gap_longer_than_max_gap_is_an_error_naming_the_fixings():
    book = RateBook(cache=None, max_gap=2)
    with pytest.raises(RateNotFoundError, match=r"nearest fixings are 2023-12-22 and 2023-12-27"):
        book.rate("GBP", "USD", D(2023, 12, 26))


@pytest.mark.parametrize(
    ("base", "on", "message"),
    [
        (
            "GBP",
            D(1998, 12, 31),
            r"No GBP->USD rate on 1998-12-31: ECB reference rates start on 1999-01-04\.",
        ),
        (
            "GBP",
            D(2999, 1, 1),
            r"2999-01-01: that date is in the future \(today is .*\); the last fixing known is 2026-10-30",
        ),
        ("RUB", D(2023, 1, 2), r"the ECB stopped quoting RUB after 2022-03-01, its last fixing"),
        ("RUB", D(2022, 3, 2), r"stopped quoting RUB after 2022-03-01"),
        ("RUB", D(2005, 3, 31), r"the ECB's first RUB fixing is 2005-04-01"),
        ("ISK", D(2012, 6, 1), r"did not quote ISK between 2008-12-09 and 2018-02-01"),
        ("HRK", D(2023, 1, 3), r"stopped quoting HRK after 2022-12-30"),
    ],
)
def test_dates_without_a_rate_name_the_nearest_fixings(offline_book, base, on, message):
    with pytest.raises(RateNotFoundError, match=message):
        offline_book.rate(base, "USD", on)


def test_past_the_snapshot_offline_within_max_gap_is_stale():
    book = RateBook(cache=None, today=D(2026, 11, 23))
    rate = book.rate("GBP", "USD", D(2026, 11, 4))
    assert rate.stale and rate.fixing_date == D(2026, 10, 30) and rate.on == D(2026, 11, 4)
    assert rate.value == book.rate("GBP", "USD", D(2026, 10, 30)).value
    assert "stale" in str(rate)


def test_past_the_snapshot_offline_beyond_max_gap_says_to_update():
    book = RateBook(cache=None, today=D(2026, 11, 23))
    with pytest.raises(
        StaleRatesError,
        match=r"end on 2026-10-30, 21 days earlier; run `spendcalc rates update` or go online",
    ):
        book.rate("GBP", "USD", D(2026, 11, 20))


@pytest.mark.parametrize("code", ["TWD", "AED", "KES"])
def test_an_iso_currency_the_ecb_does_not_quote_says_how_to_give_a_rate(offline_book, code):
    with pytest.raises(
        UnsupportedCurrencyError,
        match=rf"{code} is not among the ECB reference currencies; give a rate yourself, e\.g\. --rate {code}=VALUE",
    ):
        offline_book.rate(code, "USD", D(2024, 1, 19))


@pytest.mark.parametrize("code", ["XYZ", "US", "dollars", "€"])
def test_a_code_that_is_not_a_currency(offline_book, code):
    """Not a currency is one error, apart from a currency the ECB does not quote."""
    from rates.errors import UnknownCurrencyError

    with pytest.raises(UnknownCurrencyError, match="not") as caught:
        offline_book.rate(code, "USD", D(2024, 1, 19))
    assert isinstance(caught.value, ValueError)
    assert not isinstance(caught.value, UnsupportedCurrencyError)


def test_calc_and_rates_say_not_a_currency_with_one_error():
    from calc import UnknownCurrencyError as CalcUnknown
    from calc.money import validate_currency
    from rates.errors import UnknownCurrencyError

    with pytest.raises(UnknownCurrencyError):
        validate_currency("XYZ")
    assert issubclass(CalcUnknown, UnknownCurrencyError)


def test_a_datetime_is_not_a_date(offline_book):
    with pytest.raises(InvalidRateError, match=r"must be a datetime\.date"):
        offline_book.rate("GBP", "USD", dt.datetime(2024, 1, 19, 12))


def test_latest_is_the_last_fixing(offline_book):
    rate = offline_book.rate("EUR", "USD")
    assert (
        rate.on is None and rate.fixing_date == D(2026, 10, 30) and rate.value == Decimal("1.1172")
    )


def test_overrides_for_one_date_and_for_all_dates(offline_book):
    book = offline_book.with_overrides(
        [Override("TWD", Decimal("34.7")), Override("TWD", Decimal("35"), on=D(2024, 1, 19))]
    )
    on_day = book.rate("EUR", "TWD", D(2024, 1, 19))
    other = book.rate("EUR", "TWD", D(2024, 1, 22))
    assert (on_day.value, on_day.source) == (Decimal("35"), "override")
    assert (other.value, other.source) == (Decimal("34.7"), "override")
    cross = book.rate("USD", "TWD", D(2024, 1, 22))
    assert cross.value == Decimal("34.7") / Decimal("1.0890")
    assert cross.source == "ECB reference rates (bundled) + override"
    with pytest.raises(UnsupportedCurrencyError):
        offline_book.rate("EUR", "TWD", D(2024, 1, 19))  # the original book is unchanged


def test_an_override_against_another_currency_goes_through_the_ecb_rate(offline_book):
    book = offline_book.with_overrides({"USD/KES": "129.5"})
    rate = book.rate("GBP", "KES", D(2024, 1, 19))
    usd, gbp = Decimal("1.0887"), Decimal("0.85825")  # the ECB's EUR->USD, EUR->GBP that day
    assert rate.value == (usd * Decimal("129.5")) / gbp
    assert book.rate("USD", "KES", D(2024, 1, 19)).value == Decimal("129.5")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("TWD", "not of the form"),
        ("TWD=abc", "does not end in a number"),
        ("TWD=0", "positive"),
        ("TWD=-3", "positive"),
        ("TWD=NaN", "positive"),
        ("tw=3", "not a currency code"),
        ("TWD/TWD=2", "against itself"),
    ],
)
def test_bad_overrides_are_refused(text, message):
    with pytest.raises(InvalidRateError, match=message):
        Override.parse(text)


def test_series_and_average(offline_book):
    start, end = D(2024, 1, 1), D(2024, 1, 31)
    series = offline_book.series("GBP", "USD", start, end)
    assert len(series) == 22 and series[0].fixing_date == D(2024, 1, 2)
    assert all(start <= r.fixing_date <= end for r in series)
    average = offline_book.average("GBP", "USD", start, end)
    assert average.value == sum(r.value for r in series) / 22
    assert average.fixings == 22 and average.period == (D(2024, 1, 2), D(2024, 1, 31))
    assert "average of 22 daily fixings 2024-01-02 to 2024-01-31" in average.source


def test_average_over_a_period_reaching_past_the_data_uses_the_fixings_there_are(offline_book):
    average = offline_book.average("GBP", "USD", D(2026, 10, 26), D(2027, 10, 26))
    assert average.fixings == 5 and average.stale and average.period[1] == D(2026, 10, 30)


def test_average_with_no_fixings_in_the_period(offline_book):
    with pytest.raises(
        RateNotFoundError, match="No RUB->USD fixings from 2023-01-01 to 2023-12-31"
    ):
        offline_book.average("RUB", "USD", D(2023, 1, 1), D(2023, 12, 31))


def test_currencies_and_coverage(offline_book):
    assert {"EUR", "USD", "GBP", "JPY", "RUB", "CYP"} <= set(offline_book.currencies)
    assert "TWD" not in offline_book.currencies
    assert offline_book.coverage("USD") == (D(1999, 1, 4), D(2026, 10, 30))
    assert offline_book.coverage("rub") == (D(2005, 4, 1), D(2022, 3, 1))
    assert offline_book.coverage("EUR") == (D(1999, 1, 4), D(2026, 10, 30))
    with pytest.raises(UnsupportedCurrencyError, match="TWD"):
        offline_book.coverage("TWD")


def test_rate_is_a_frozen_value_that_prints_its_provenance(offline_book):
    rate = offline_book.rate("GBP", "USD", D(2023, 11, 30))
    assert isinstance(rate, Rate)
    with pytest.raises(AttributeError):
        rate.value = Decimal(2)  # type: ignore[misc]
    assert str(rate) == (
        "1 GBP = 1.265630789181178214153390144 USD (fixing 2023-11-30, ECB reference rates (bundled))"
    )
    # The inverse divides the published values the other way round (not 1 / the rounded value)
    assert rate.inverse().value == Decimal("0.86368") / Decimal("1.0931")
    assert rate.inverse().ratio == (Decimal("0.86368"), Decimal("1.0931"))


def test_default_book_uses_the_cache_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SPENDCALC_CACHE", str(tmp_path / "x.sqlite3"))
    book = RateBook()
    assert book.cache is not None and book.cache.path == str(tmp_path / "x.sqlite3")
    assert book.rate("GBP", "USD", D(2023, 11, 30)).fixing_date == D(2023, 11, 30)
    assert not (tmp_path / "x.sqlite3").exists()  # reading never creates the file


def test_overrides_that_define_each_other_are_refused(offline_book):
    book = offline_book.with_overrides(["USD/TWD=31", "TWD/KES=4"]).with_overrides(
        ["KES/USD=0.0077"]
    )
    with pytest.raises(InvalidRateError, match=r"define each other in a circle"):
        book.rate("TWD", "GBP", D(2024, 1, 19))


def test_the_same_currency_still_needs_a_real_date(offline_book):
    with pytest.raises(RateNotFoundError, match="in the future"):
        offline_book.rate("USD", "USD", D(2099, 1, 1))
    with pytest.raises(RateNotFoundError, match="start on 1999-01-04"):
        offline_book.rate("USD", "USD", D(1990, 1, 1))


def test_the_latest_fixing_is_marked_stale_when_it_is_old():
    assert not RateBook(cache=None, today=D(2026, 11, 2)).rate("GBP", "USD").stale
    assert RateBook(cache=None, today=D(2026, 11, 23)).rate("GBP", "USD").stale


def test_a_history_that_starts_later_does_not_wrap_around():
    from rates.ecb import parse_history

    history = parse_history("Date,USD,GBP\n2023-11-29,1.0982,0.86573\n2023-11-30,1.0931,0.86368\n")
    book = RateBook(cache=None, history=history, today=D(2023, 12, 1))
    with pytest.raises(RateNotFoundError, match="the rates start on 2023-11-29"):
        book.rate("GBP", "USD", D(2020, 1, 2))


def test_results_do_not_depend_on_the_callers_decimal_context(offline_book):
    import decimal

    expected = offline_book.average("GBP", "USD", D(2023, 1, 1), D(2023, 12, 31))
    with decimal.localcontext(prec=6, rounding=decimal.ROUND_DOWN):
        again = RateBook(cache=None).average("GBP", "USD", D(2023, 1, 1), D(2023, 12, 31))
        cross = RateBook(cache=None).rate("GBP", "JPY", D(2023, 5, 5))
    assert again == expected
    assert cross.value == offline_book.rate("GBP", "JPY", D(2023, 5, 5)).value
