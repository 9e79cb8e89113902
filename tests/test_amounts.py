"""parse_amount: press-style amounts read exactly, everything else refused with a clear reason."""

from __future__ import annotations

import re

import pytest
from babel.core import get_global
from hypothesis import given
from hypothesis import strategies as st

from calc.amounts import _SCALES, _SYMBOLS, parse_amount
from calc.errors import AmountParseError, UnknownLocaleError
from calc.money import Money


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£2.5bn", Money("2500000000", "GBP")),
        ("$2.9 billion", Money("2900000000", "USD")),
        ("US$17.5bn", Money("17500000000", "USD")),
        ("A$5bn", Money("5000000000", "AUD")),
        ("C$7.5 billion", Money("7500000000", "CAD")),
        ("NZ$1m", Money("1000000", "NZD")),
        ("S$12bn", Money("12000000000", "SGD")),
        ("HK$3bn", Money("3000000000", "HKD")),
        ("R$14.7bn", Money("14700000000", "BRL")),
        ("€6.69bn", Money("6690000000", "EUR")),
        ("¥2.26tn", Money("2260000000000", "JPY")),
        ("CN¥5bn", Money("5000000000", "CNY")),
        ("RMB 5bn", Money("5000000000", "CNY")),
        ("₹25,700 crore", Money("257000000000", "INR")),
        ("₩3tn", Money("3000000000000", "KRW")),
        ("CHF 400m", Money("400000000", "CHF")),
        ("Rs 1.5 lakh crore", Money("1500000000000", "INR")),
        ("RM8.3bn", Money("8300000000", "MYR")),
        ("SEK 33.7bn", Money("33700000000", "SEK")),
        ("33.7bn SEK", Money("33700000000", "SEK")),
        ("PLN 2.8 billion", Money("2800000000", "PLN")),
        ("ZAR 5.4bn", Money("5400000000", "ZAR")),
        ("2,500,000,000 GBP", Money("2500000000", "GBP")),
        ("2500000000 GBP", Money("2500000000", "GBP")),
        ("4400億円", Money("440000000000", "JPY")),
        ("2兆2600億円", Money("2260000000000", "JPY")),
        ("1億5000万円", Money("150000000", "JPY")),
        ("₹1,50,000 crore", Money("1500000000000", "INR")),
        ("Rs. 500 crores", Money("5000000000", "INR")),
        ("£1bn 500m", Money("1500000000", "GBP")),
        ("2.5 billion euros", Money("2500000000", "EUR")),
        ("0.5 GBP", Money("0.5", "GBP")),
        ("£2.5bn GBP", Money("2500000000", "GBP")),
        ("  £2.5bn\n", Money("2500000000", "GBP")),
        ("￥4400億", Money("440000000000", "JPY")),
        ("５００万円", Money("5000000", "JPY")),
        ("5 MXN", Money("5", "MXN")),
        ("33.7bnSEK", Money("33700000000", "SEK")),
        ("gbp 12", Money("12", "GBP")),
    ],
)
def test_press_forms(text: str, expected: Money) -> None:
    result = parse_amount(text)
    assert result == expected
    assert result.currency == expected.currency


@pytest.mark.parametrize(
    ("word", "exponent"),
    [(word, exponent) for word, exponent in _SCALES.items()]
    + [("Bn", 9), ("BILLION", 9), ("K", 3), ("Lakh Crore", 12), ("lakh  crore", 12)],
)
@pytest.mark.parametrize("space", ["", " "])
def test_scale_words(word: str, exponent: int, space: str) -> None:
    assert parse_amount(f"GBP 1.5{space}{word}") == Money(15 * 10**exponent // 10, "GBP")


def test_results_are_plain_and_exact() -> None:
    assert repr(parse_amount("£2.5bn")) == "Money('2500000000', 'GBP')"
    assert repr(parse_amount("¥2.26tn")) == "Money('2260000000000', 'JPY')"
    # 31 significant digits: more than the default decimal context keeps.
    result = parse_amount("£1.000000000000000000000000000001tn")
    assert str(result) == "1000000000000.000000000000000001 GBP"


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("2,5 Mrd. €", "de_DE", Money("2500000000", "EUR")),
        ("2,5 Mrd €", "de_DE", Money("2500000000", "EUR")),
        ("2,5 Milliarden Euro", "de_DE", Money("2500000000", "EUR")),
        ("1.234.567,89 $", "de_DE", Money("1234567.89", "USD")),
        ("5 Mio. US-Dollar", "de_DE", Money("5000000", "USD")),
        ("3,2 milliards d'euros", "fr_FR", Money("3200000000", "EUR")),
        ("3,2 milliards d’euros", "fr_FR", Money("3200000000", "EUR")),
        ("1\u202f234\u202f567,89\xa0€", "fr_FR", Money("1234567.89", "EUR")),
        ("1 234 567,89 $US", "fr_FR", Money("1234567.89", "USD")),
        ("2 Bn €", "fr_FR", Money("2000000000000", "EUR")),
        ("￥4400億", "ja_JP", Money("440000000000", "JPY")),
        ("元5億", "ja_JP", Money("500000000", "CNY")),
        ("₹290.99Cr", "en_IN", Money("2909900000", "INR")),
        ("US$5bn", "en_GB", Money("5000000000", "USD")),
        ("JP¥2.26tn", "en_GB", Money("2260000000000", "JPY")),
        ("¥5亿", "zh_CN", Money("500000000", "CNY")),
        ("5 kr", "sv_SE", Money("5", "SEK")),
        ("5 kr", "da_DK", Money("5", "DKK")),
        ("1 234 567,89 BR$", "sv_SE", Money("1234567.89", "BRL")),
        ("2910 MUS$", "es_ES", Money("2910000000", "USD")),
        ("5 NOK", "sv_SE", Money("5", "NOK")),
        ("CHF 1’234.50", "de_CH", Money("1234.50", "CHF")),
        ("CHF 1'234.50", "de_CH", Money("1234.50", "CHF")),
        ("£2.5bn", "en_GB", Money("2500000000", "GBP")),
    ],
)
def test_locale_forms(text: str, locale: str, expected: Money) -> None:
    result = parse_amount(text, locale=locale)
    assert result == expected
    assert result.currency == expected.currency


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("kr 5bn", "'kr' is used by SEK, NOK, DKK and ISK; write the ISO code instead, e.g. "
         "'SEK 5bn'."),
        ("5bn kr.", "'kr.' is used by SEK, NOK, DKK and ISK; write the ISO code instead, e.g. "
         "'5bn SEK'."),
        ("₨ 500 crore", "'₨' is used by INR, PKR, LKR and NPR; write the ISO code instead, e.g. "
         "'INR 500 crore'."),
        ("5億元", "'元' is used by CNY, TWD and HKD; write the ISO code instead, e.g. '5億CNY'."),
        ("two billion", "it has no figures; write the number in digits, e.g. '£2bn'."),
        ("", "the text is empty."),
        (" \t", "it is blank."),
        ("-£5bn", "it is negative; only positive amounts are read."),
        ("£-5bn", "it is negative; only positive amounts are read."),
        ("−5bn GBP", "it is negative; only positive amounts are read."),
        ("£0", "it is zero; leave an undisclosed amount empty, not 0."),
        ("0.00bn GBP", "it is zero; leave an undisclosed amount empty, not 0."),
        ("NaN GBP", "NaN and infinity are not amounts of money."),
        ("£Infinity", "NaN and infinity are not amounts of money."),
        ("2.5bn", "it names no currency; add one, e.g. '£2.5bn' or '2.5bn GBP'."),
        ("2500000000", "it names no currency; add one, e.g. '£2.5bn' or '2.5bn GBP'."),
        ("£2.5bn for AI", "'for AI' after the number is not a scale word or currency I know; "
         "remove it, or write the currency as an ISO code such as 'GBP'."),
        ("£2.5bn.", "'.' after the number is not a scale word or currency I know; "
         "remove it, or write the currency as an ISO code such as 'GBP'."),
        ("3 milliards EUR", "'milliards EUR' after the number is not a scale word or currency"),
        ("about £2.5bn", "'about £' before the number is not a currency symbol or code I know; "
         "write the ISO code instead, e.g. 'GBP 2.5bn'."),
        ("£5bn USD", "it names two currencies, GBP and USD; keep one."),
        ("2,5 Mrd. €", "'2,5' is not a number as written: here ',' groups digits and '.' starts "
         "decimals; for a decimal comma pass a locale, e.g. locale='de_DE'."),
        ("$1,23,4", "'1,23,4' is not a number as written"),
        ("1e9 GBP", "'e9 GBP' after the number is not a scale word or currency I know"),
        ("£.5bn", "'£.' before the number is not a currency symbol or code I know"),
        ("2億3兆円", "'3兆円' after the number is not a scale word or currency I know"),
        ("5 doubloons", "'doubloons' after the number is not a scale word or currency I know"),
    ],
)  # fmt: skip
def test_refused(text: str, reason: str) -> None:
    with pytest.raises(
        AmountParseError, match="^" + re.escape(f"{text!r} is not an amount: {reason}")
    ):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "locale", "reason"),
    [
        ("2.5 Mrd. €", "de_DE", "'2.5' is not a number as written: in de_DE '.' groups digits"
         " and ',' starts decimals."),
        ("3,2 milliards", "fr_FR", "it names no currency"),
        ("5 kr", "en_US", "'kr' is used by SEK, NOK, DKK and ISK"),
    ],
)  # fmt: skip
def test_refused_in_a_locale(text: str, locale: str, reason: str) -> None:
    with pytest.raises(
        AmountParseError, match="^" + re.escape(f"{text!r} is not an amount: {reason}")
    ):
        parse_amount(text, locale=locale)


def test_the_error_keeps_the_text_and_the_reason() -> None:
    with pytest.raises(AmountParseError) as info:
        parse_amount("£0")
    assert info.value.text == "£0"
    assert info.value.reason.startswith("it is zero")


@pytest.mark.parametrize("locale", ["xx_YY", "not a locale", ""])
def test_unknown_locale(locale: str) -> None:
    with pytest.raises(UnknownLocaleError, match=f"^{re.escape(repr(locale))} is not a locale"):
        parse_amount("£5", locale=locale)


def test_only_text_is_read() -> None:
    with pytest.raises(TypeError, match=r"parse_amount\(\) reads a str, not int; use Money\(\)\."):
        parse_amount(5)  # type: ignore[arg-type]


@pytest.mark.parametrize("locale", [None, "de_DE", "fr_FR", "ja_JP", "en_IN", "sv_SE"])
def test_every_iso_code_reads_before_and_after(locale: str | None) -> None:
    wrong = []
    for code in sorted(get_global("all_currencies")):
        for text in (f"{code} 5", f"5 {code}", f"{code}5", f"5{code}", f"5m {code.lower()}"):
            expected = Money(5_000_000 if "m " in text else 5, code)
            try:
                if parse_amount(text, locale=locale) != expected:
                    wrong.append(text)
            except AmountParseError:
                wrong.append(text)
    assert wrong == []


@pytest.mark.parametrize(("symbol", "code"), sorted(_SYMBOLS.items()))
def test_every_default_symbol_reads(symbol: str, code: str) -> None:
    assert parse_amount(f"{symbol} 12") == Money("12", code)
    assert parse_amount(f"12 {symbol}") == Money("12", code)


positive = st.decimals(min_value="0.0001", max_value=10**18, places=4, allow_nan=False)


@given(positive, st.sampled_from(["GBP", "USD", "JPY", "INR", "KWD", "CHF", "SEK"]))
def test_money_str_reads_back(amount, currency: str) -> None:
    money = Money(amount, currency)
    assert parse_amount(str(money)) == money
