"""format_money: full and compact forms per locale, and the round trip through parse_amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.amounts import parse_amount
from calc.errors import UnknownLocaleError
from calc.money import Money
from calc.render import format_money

ROUND_TRIP_LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "en_IN", "de_CH", "zh_CN"]
CURRENCIES = [
    "USD", "GBP", "EUR", "JPY", "CNY", "INR", "CAD", "AUD", "NZD", "SGD", "HKD", "BRL", "KRW",
    "CHF", "SEK", "NOK", "DKK", "PLN", "ZAR", "MYR", "MXN", "TWD", "KWD", "BHD", "CLP", "ISK",
]  # fmt: skip


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        (Money("2909900000", "USD"), "en_US", "$2,909,900,000.00"),
        (Money("2500000000", "GBP"), "en_GB", "£2,500,000,000.00"),
        (Money("2500000000", "USD"), "en_GB", "US$2,500,000,000.00"),
        (Money("2500000000", "EUR"), "de_DE", "2.500.000.000,00\xa0€"),
        (Money("3200000000", "EUR"), "fr_FR", "3\u202f200\u202f000\u202f000,00\xa0€"),
        (Money("440000000000", "JPY"), "ja_JP", "￥440,000,000,000"),
        (Money("257000000000", "INR"), "en_IN", "₹2,57,00,00,00,000.00"),
        (Money("1234.5675", "KWD"), "en_US", "KWD1,234.568"),
        (Money("1234.565", "USD"), "en_US", "$1,234.56"),
        (Money("2.5", "JPY"), "en_US", "¥2"),
        (Money("3.5", "JPY"), "en_US", "¥4"),
        (Money("12", "USD"), "en_US", "$12.00"),
        (Money("-2500000000", "USD"), "en_US", "-$2,500,000,000.00"),
        (Money("1E+30", "USD"), "en_US", "$1,000,000,000,000,000,000,000,000,000,000.00"),
    ],
)
def test_full_form(money: Money, locale: str, expected: str) -> None:
    assert format_money(money, locale=locale) == expected


def test_the_default_locale_is_en_us() -> None:
    assert format_money(Money("2500000000", "GBP")) == "£2,500,000,000.00"


@pytest.mark.parametrize(
    ("money", "locale", "expected"),
    [
        (Money("2909900000", "USD"), "en_US", "$2.91B"),
        (Money("2500000000", "USD"), "en_US", "$2.5B"),
        (Money("9900000", "USD"), "en_US", "$9.9M"),
        (Money("440000000000", "JPY"), "en_US", "¥440B"),
        (Money("2500000000", "GBP"), "en_GB", "£2.5B"),
        (Money("2500000000", "GBP"), "de_DE", "2,5\xa0Mrd.\xa0£"),
        (Money("3200000000", "EUR"), "fr_FR", "3,2\xa0Md\xa0€"),
        (Money("440000000000", "JPY"), "ja_JP", "￥4400億"),
        (Money("2909900000", "INR"), "en_IN", "₹291Cr"),
        (Money("999600000", "USD"), "en_US", "$1B"),
        (Money("2995000000", "USD"), "en_US", "$3B"),
        (Money("2985000000", "USD"), "en_US", "$2.98B"),
        (Money("12.345", "USD"), "en_US", "$12.3"),
        (Money("950", "USD"), "en_US", "$950"),
        (Money("0.5", "USD"), "en_US", "$0.5"),
        (Money("1.5", "JPY"), "en_US", "¥2"),
        (Money("0", "USD"), "en_US", "$0"),
        (Money("-2500000000", "USD"), "en_US", "-$2.5B"),
    ],
)
def test_compact_form_keeps_three_significant_digits(
    money: Money, locale: str, expected: str
) -> None:
    assert format_money(money, locale=locale, compact=True) == expected


@pytest.mark.parametrize("locale", ["xx_YY", "not a locale"])
def test_unknown_locale(locale: str) -> None:
    with pytest.raises(UnknownLocaleError, match=f"^'{locale}' is not a locale babel knows"):
        format_money(Money("1", "GBP"), locale=locale)


@st.composite
def money_in_minor_units(draw: st.DrawFn) -> Money:
    """Positive Money with no more decimals than its currency has, so full form is lossless."""
    currency = draw(st.sampled_from(CURRENCIES))
    places = get_currency_precision(currency)
    units = draw(st.integers(min_value=1, max_value=10**17))
    return Money(Decimal(units).scaleb(-places), currency)


@settings(max_examples=800, deadline=None)
@given(money_in_minor_units(), st.sampled_from(ROUND_TRIP_LOCALES))
def test_full_form_reads_back(money: Money, locale: str) -> None:
    assert parse_amount(format_money(money, locale=locale), locale=locale) == money


@settings(max_examples=400, deadline=None)
@given(money_in_minor_units(), st.sampled_from(ROUND_TRIP_LOCALES))
def test_compact_form_reads_back_to_three_significant_digits(money: Money, locale: str) -> None:
    shown = parse_amount(format_money(money, locale=locale, compact=True), locale=locale)
    assert shown.currency == money.currency
    places = get_currency_precision(money.currency)
    exponent = max(money.amount.adjusted() - 2, -places)
    assert shown.amount == money.amount.quantize(Decimal(1).scaleb(exponent))
