"""format_money: full and compact forms in every locale babel ships, read back by parse_amount.

What comes from CLDR (symbols, separators, compact words) is never pinned byte for byte: it changes
with babel's releases. The tests pin spendcalc's own logic (rounding to the minor unit, three
significant digits, grouping babel drops) and compare with babel called here, or read the output
back with :func:`calc.amounts.parse_amount`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from babel.localedata import locale_identifiers
from babel.numbers import format_currency, get_currency_precision, get_group_symbol
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.amounts import parse_amount
from calc.errors import UnknownLocaleError
from calc.money import Money
from calc.render import format_money

ALL_LOCALES = sorted(locale_identifiers())
CURRENCIES = [
    "USD", "GBP", "EUR", "JPY", "CNY", "INR", "CAD", "AUD", "NZD", "SGD", "HKD", "BRL", "KRW",
    "CHF", "SEK", "NOK", "DKK", "PLN", "ZAR", "MYR", "MXN", "TWD", "KWD", "BHD", "CLP", "ISK",
]  # fmt: skip
#: One amount per kind of digits: billions, cents, a currency with none or three decimals.
EVERY_LOCALE_AMOUNTS = [
    Money("2500000000", "GBP"),
    Money("1234567.89", "USD"),
    Money("440000000000", "JPY"),
    Money("12345.678", "KWD"),
    Money("2909900000", "INR"),
    Money("0.05", "EUR"),
    Money("999", "SEK"),
]


@pytest.mark.parametrize(
    ("money", "rounded"),
    [
        (Money("2909900000", "USD"), Decimal("2909900000.00")),
        (Money("1234.5675", "KWD"), Decimal("1234.568")),
        (Money("1234.565", "USD"), Decimal("1234.57")),  # half-up, the default
        (Money("1234.5649", "USD"), Decimal("1234.56")),
        (Money("2.5", "JPY"), Decimal("3")),
        (Money("3.5", "JPY"), Decimal("4")),
        (Money("12", "USD"), Decimal("12.00")),
        (Money("-2500000000", "USD"), Decimal("-2500000000.00")),
        (Money("1E+30", "USD"), Decimal("1000000000000000000000000000000.00")),
    ],
)
@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "en_IN"])
def test_full_form_is_babels_at_the_minor_unit(money, rounded, locale):
    with localcontext(prec=50):  # babel quantizes in the caller's context
        expected = format_currency(rounded, money.currency, locale=locale)
    assert format_money(money, locale=locale) == expected


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP"])
def test_half_even_rounds_a_tie_to_the_even_digit(locale):
    with localcontext(prec=50):
        for amount, shown in (("1234.565", "1234.56"), ("1234.575", "1234.58")):
            expected = format_currency(Decimal(shown), "USD", locale=locale)
            assert (
                format_money(Money(amount, "USD"), locale=locale, rounding="half-even") == expected
            )


def test_the_default_locale_is_en_us() -> None:
    money = Money("2500000000", "GBP")
    assert format_money(money) == format_money(money, locale="en_US")


@pytest.mark.parametrize("locale", ["de_CH", "fr_CH", "it_CH", "gsw"])
def test_every_group_is_marked_where_the_separator_is_an_apostrophe(locale):
    text = format_money(Money("2500000000", "GBP"), locale=locale)
    group = get_group_symbol(locale)
    digits = "".join(c for c in text if c.isdigit() or c == group)
    assert digits.split(group)[:3] == ["2", "500", "000"]


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money("2909900000", "USD"), "2910000000"),
        (Money("2500000000", "GBP"), "2500000000"),
        (Money("9900000", "USD"), "9900000"),
        (Money("999600000", "USD"), "1000000000"),
        (Money("2995000000", "USD"), "3000000000"),
        (Money("2985000000", "USD"), "2990000000"),  # half-up
        (Money("12.345", "USD"), "12.3"),
        (Money("950", "USD"), "950"),
        (Money("0.5", "USD"), "0.5"),
        (Money("1.5", "JPY"), "2"),
    ],
)
@pytest.mark.parametrize("locale", ["en_US", "en_GB", "de_DE", "fr_FR", "ja_JP", "en_IN"])
def test_compact_form_keeps_three_significant_digits(money, shown, locale):
    text = format_money(money, locale=locale, compact=True)
    assert parse_amount(text, locale=locale) == Money(shown, money.currency)
    assert len(text) < len(format_money(money, locale=locale)) or money.amount < 1000


def test_compact_zero_and_negative_keep_their_sign():
    assert parse_amount(format_money(Money("2500000000", "USD"), compact=True)) == Money(
        "2500000000", "USD"
    )
    negative = format_money(Money("-2500000000", "USD"), compact=True)
    assert negative.startswith("-") and negative[1:] == format_money(
        Money("2500000000", "USD"), compact=True
    )
    assert "0" in format_money(Money("0", "USD"), compact=True)


def test_a_symbol_that_starts_like_a_scale_word_is_read_as_the_symbol():
    """vi writes TWD as 'NT$', and 'NT' is also its compact word for a trillion: the full form
    '0,01 NT$' is 0.01 TWD, not 0.01 trillion dollars (found by the property below)."""
    text = format_money(Money("0.01", "TWD"), locale="vi")
    assert parse_amount(text, locale="vi") == Money("0.01", "TWD")


@pytest.mark.parametrize("locale", ["xx_YY", "not a locale"])
def test_unknown_locale(locale: str) -> None:
    with pytest.raises(UnknownLocaleError, match=f"^'{locale}' is not a locale babel knows"):
        format_money(Money("1", "GBP"), locale=locale)


def compact_shown(money: Money) -> Decimal:
    """What the compact form promises: three significant digits, at most the minor unit."""
    exponent = max(money.amount.adjusted() - 2, -get_currency_precision(money.currency))
    return money.amount.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def assert_reads_back(money: Money, locale: str) -> None:
    """Full form: the amount to the minor unit. Compact: three significant digits, or every
    digit where babel's compact form for the locale would misstate the amount (sw).
    """
    full = format_money(money, locale=locale)
    assert parse_amount(full, locale=locale) == money.rounded(), (locale, full)
    compact = format_money(money, locale=locale, compact=True)
    back = parse_amount(compact, locale=locale)
    assert back.currency == money.currency, (locale, compact)
    assert back.amount in (compact_shown(money), money.rounded().amount), (locale, compact)


@pytest.mark.parametrize("locale", ALL_LOCALES)
def test_every_locale_reads_back_what_it_writes(locale):
    for money in EVERY_LOCALE_AMOUNTS:
        assert_reads_back(money, locale)


@st.composite
def money_in_minor_units(draw: st.DrawFn) -> Money:
    """Positive Money with no more decimals than its currency has, so full form is lossless."""
    currency = draw(st.sampled_from(CURRENCIES))
    places = get_currency_precision(currency)
    units = draw(st.integers(min_value=1, max_value=10**17))
    return Money(Decimal(units).scaleb(-places), currency)


@settings(max_examples=600, deadline=None)
@given(money_in_minor_units(), st.sampled_from(ALL_LOCALES))
def test_format_then_parse_gives_the_same_money(money: Money, locale: str) -> None:
    assert_reads_back(money, locale)


#: Locales whose shapes differ: symbol before or after, space, dot, apostrophe or no grouping,
#: Indian grouping, other digits.
SHAPE_LOCALES = [
    "en_US",
    "de_DE",
    "de_CH",
    "fr_FR",
    "ja_JP",
    "en_IN",
    "ar_EG",
    "fa_IR",
    "sw",
    "nl_NL",
]


@settings(max_examples=60, deadline=None)
@given(
    amount=st.decimals(min_value=-(10**15), max_value=10**22, places=5, allow_nan=False),
    locale=st.sampled_from(SHAPE_LOCALES),
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD", "CHF", "INR"]),
    rounding=st.sampled_from(["half-up", "half-even"]),
)
def test_the_reports_money_text_is_format_moneys(amount, locale, currency, rounding):
    """calc.render.MoneyText writes what format_money writes, shape by shape."""
    from calc.render import MoneyText

    assert MoneyText("USD", "en_US", "half-up").shape == ("$", ",", ".", "")  # its own shape

    money = Money(amount, currency)
    for compact in (False, True):
        shapes = MoneyText(currency, locale, rounding, compact)
        expected = format_money(money, locale=locale, compact=compact, rounding=rounding)
        assert shapes.format(money) == expected
