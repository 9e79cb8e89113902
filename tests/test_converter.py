"""Conversions and rate policies: exact results that agree with the rate book."""

import datetime as dt
from decimal import Context, Decimal
from fractions import Fraction

import pytest

from calc import Converter, Money, RatePolicy, ReportError, parse_amount
from rates import RateBook, RateNotFoundError, UnsupportedCurrencyError

D = dt.date
EXACT = Context(prec=200)


@pytest.fixture
def converter(offline_book):
    return Converter(offline_book)


def test_a_conversion_is_the_amount_times_the_books_rate_exactly(converter, offline_book):
    conversion = converter.convert(Money("2.5e9", "GBP"), "USD", on=D(2023, 11, 30))
    rate = offline_book.rate("GBP", "USD", D(2023, 11, 30))
    # The exact quotient 2.5e9 x 1.0931 / 0.86368 (the ECB's USD and GBP per EUR) does not
    # terminate: the result keeps 28 digits and is never more than one unit of the last off.
    exact = Fraction(2_500_000_000) * Fraction("1.0931") / Fraction("0.86368")
    assert rate.ratio == (Decimal("1.0931"), Decimal("0.86368"))
    assert abs(Fraction(conversion.result.amount) - exact) < Fraction(1, 10**18)
    assert conversion.result.amount == Decimal("3164076972.952945535383475361")
    assert conversion.rate == rate and conversion.source == Money("2500000000", "GBP")
    assert conversion.result.rounded() == Money("3164076972.95", "USD")


def test_the_acceptance_one_liner(converter):
    c = converter.convert(parse_amount("£2.5bn"), "USD", on=D(2023, 11, 30))
    assert (c.rate.fixing_date, c.rate.source) == (D(2023, 11, 30), "ECB reference rates (bundled)")


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("announced", RatePolicy("announced")),
        ("LATEST", RatePolicy("latest")),
        ("average", RatePolicy("average")),
        ("2024-01-19", RatePolicy("date", D(2024, 1, 19))),
    ],
)
def test_policies_parse(text, policy):
    assert RatePolicy.parse(text) == policy


@pytest.mark.parametrize("text", ["sometimes", "2024-13-01", ""])
def test_bad_policies(text):
    with pytest.raises(
        ReportError,
        match=r"is not a rate policy; use one of announced, latest, average or a date YYYY-MM-DD",
    ):
        RatePolicy.parse(text)


def test_each_policy_chooses_its_rate(converter, offline_book):
    money = Money("100", "GBP")
    announced, period = D(2023, 11, 30), (D(2024, 1, 1), D(2024, 1, 31))

    def under(p, **kw):
        return converter.convert_under(
            money, "USD", RatePolicy.parse(p), announced=announced, period=period, **kw
        ).rate

    assert under("announced") == offline_book.rate("GBP", "USD", announced)
    assert under("2024-01-19") == offline_book.rate("GBP", "USD", D(2024, 1, 19))
    assert under("latest") == offline_book.rate("GBP", "USD")
    assert under("average") == offline_book.average("GBP", "USD", *period)
    month = under("announced", month=True)
    assert month == offline_book.average("GBP", "USD", D(2023, 11, 1), D(2023, 11, 30))
    assert month.fixings == 22


def test_average_without_a_period_uses_the_announcement(converter, offline_book):
    rate = converter.convert_under(
        Money("1", "GBP"), "USD", RatePolicy("average"), announced=D(2023, 11, 30)
    ).rate
    assert rate == offline_book.rate("GBP", "USD", D(2023, 11, 30))


def test_totals_are_summed_unrounded(converter):
    parts = [
        converter.convert(Money("0.005", "EUR"), "USD", on=D(2024, 1, 19)).result for _ in range(3)
    ]
    assert sum(parts).amount == 3 * Decimal("0.005") * Decimal("1.0887")
    assert sum(p.rounded() for p in parts) != sum(parts).rounded()


def test_rate_errors_pass_through(converter):
    with pytest.raises(
        UnsupportedCurrencyError, match="TWD is not among the ECB reference currencies"
    ):
        converter.convert(Money("1", "TWD"), "USD", on=D(2024, 1, 19))
    with pytest.raises(RateNotFoundError, match="1999-01-04"):
        converter.convert(Money("1", "GBP"), "USD", on=D(1990, 1, 1))


def test_default_converter_uses_a_default_book():
    assert isinstance(Converter().book, RateBook)
