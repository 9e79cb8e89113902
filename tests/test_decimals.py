"""The short cuts of :mod:`calc.decimals` (issue 17, item 5) against the long ways they replace.

:func:`~calc.decimals.quotient` sizes its division by a Decimal's text, not its digit tuple,
and keeps fewer digits of a rounded quotient without dividing again;
:func:`~calc.decimals.fraction_quotient` divides a fraction that cannot terminate only to the
digits kept; :func:`~calc.decimals.exact_sum` adds quotients as integers over a common
denominator; :func:`~calc.decimals.trimmed` and :class:`~calc.money.Money` read the exponent
from the text. Each must give the same Decimal, written the same way (``as_tuple``).
"""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_05UP,
    Context,
    Decimal,
    Inexact,
)
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Money
from calc.decimals import EXACT, exact_sum, fraction_quotient, quotient, trimmed
from calc.errors import AmountParseError


def quotient_the_long_way(numerator: Decimal, denominator: Decimal) -> Decimal:
    """:func:`quotient` as first written: digits counted from the digit tuples, the exact
    division checked, then a second division to the digits kept."""
    if denominator == 1:
        return numerator
    digits = len(numerator.as_tuple().digits) + 3 * len(denominator.as_tuple().digits) + 2
    context = Context(prec=digits, Emax=MAX_EMAX, Emin=MIN_EMIN)
    exact = context.divide(numerator, denominator)
    if not context.flags[Inexact]:
        return exact
    places = max(28, exact.adjusted() + 5 + 12)
    rounded = Context(prec=places, rounding=ROUND_05UP, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return rounded.divide(numerator, denominator)


def trimmed_the_long_way(amount: Decimal) -> Decimal:
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, str) or exponent >= 0:
        return amount
    reduced = amount.normalize(EXACT)
    reduced_exponent = reduced.as_tuple().exponent
    if isinstance(reduced_exponent, str) or reduced_exponent <= 0:
        return reduced
    return reduced.quantize(Decimal(1), context=EXACT)


#: Decimals of every size and exponent, trailing zeros and all.
DECIMALS = st.builds(
    lambda digits, zeros, exponent: Decimal(digits * 10**zeros).scaleb(exponent),
    st.one_of(st.integers(-999, 999), st.integers(-(10**40), 10**40)),
    st.integers(0, 6),
    st.integers(-30, 12),
)
#: Denominators: any, or twos and fives only (so that quotients terminate), or counts.
DENOMINATORS = st.one_of(
    DECIMALS.filter(bool),
    st.builds(
        lambda twos, fives, exponent: Decimal(2**twos * 5**fives).scaleb(exponent),
        st.integers(0, 60),
        st.integers(0, 40),
        st.integers(-12, 6),
    ),
    st.builds(Decimal, st.integers(1, 10**7)),
)


@settings(max_examples=1500, deadline=None)
@given(DECIMALS, DENOMINATORS)
def test_quotient_is_the_long_ways(numerator, denominator):
    got, expected = quotient(numerator, denominator), quotient_the_long_way(numerator, denominator)
    assert got.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [("1", "3"), ("2", "3"), ("-2", "3"), ("1E+30", "7"), ("9999999999999999", "9999999999999998"),
     ("100.00", "1"), ("100.00", "0.5"), ("0.000", "7"), ("5", "0.0002"), ("1", "1024")],
)  # fmt: skip
def test_quotient_is_the_long_ways_at_the_edges(numerator, denominator):
    got = quotient(Decimal(numerator), Decimal(denominator))
    assert (
        got.as_tuple() == quotient_the_long_way(Decimal(numerator), Decimal(denominator)).as_tuple()
    )


#: Fractions such as sums of conversions are: small, huge, terminating or not.
FRACTIONS = st.one_of(
    st.fractions(),
    st.builds(
        Fraction,
        st.integers(-(10**400), 10**400),
        st.integers(1, 10**400),
    ),
    st.builds(
        lambda n, twos, fives: Fraction(n, 2**twos * 5**fives),
        st.integers(-(10**60), 10**60),
        st.integers(0, 200),
        st.integers(0, 90),
    ),
)


@settings(max_examples=600, deadline=None)
@given(FRACTIONS)
def test_fraction_quotient_is_quotient_of_the_fraction(fraction):
    got = fraction_quotient(fraction.numerator, fraction.denominator)
    expected = quotient_the_long_way(Decimal(fraction.numerator), Decimal(fraction.denominator))
    assert got.as_tuple() == expected.as_tuple()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(DECIMALS, DENOMINATORS), max_size=30))
def test_exact_sum_is_the_fraction_sum_in_lowest_terms(terms):
    expected = sum((Fraction(n) / Fraction(d) for n, d in terms), Fraction(0))
    assert exact_sum(terms) == (expected.numerator, expected.denominator)


def test_exact_sum_takes_negative_denominators_and_refuses_zero():
    assert exact_sum([(Decimal(1), Decimal(-4)), (Decimal("0.5"), Decimal(2))]) == (0, 1)
    with pytest.raises(ZeroDivisionError, match="denominator is zero"):
        exact_sum([(Decimal(1), Decimal("0.00"))])


SPECIAL = ["0", "-0", "0.00", "0E-7", "0E+3", "1E+2", "-7.41206449092E+12", "100.00", "1.2500",
           "1E-7", "1.0E-7", "-5.000", "5E-1000", "NaN", "sNaN", "Infinity", "-Infinity"]  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.one_of(DECIMALS, st.sampled_from(SPECIAL).map(Decimal)))
def test_trimmed_is_the_long_ways(amount):
    assert trimmed(amount).as_tuple() == trimmed_the_long_way(amount).as_tuple()


@settings(max_examples=800, deadline=None)
@given(
    st.one_of(
        DECIMALS,
        st.sampled_from([*SPECIAL, "1E-1000", "1E-1001", "1.5E-999", "0E-1001"]).map(Decimal),
        st.builds(
            lambda n, e: Decimal(n).scaleb(e), st.integers(-99, 99), st.integers(-1010, -990)
        ),
    )
)
def test_money_made_at_once_is_money_made_the_long_way(amount):
    """A Decimal in a code already seen takes the quick path of ``Money.__init__``; the same
    value as a str takes the long one: the same Money, or the same error."""
    Money(1, "USD")  # (the code is known)
    if not amount.is_finite():
        with pytest.raises(AmountParseError):
            Money(amount, "USD")
        return
    try:
        expected = Money(str(amount), "USD")
    except AmountParseError:
        with pytest.raises(AmountParseError):
            Money(amount, "USD")
        return
    got = Money(amount, "USD")
    assert got.amount.as_tuple() == expected.amount.as_tuple()
