"""An amount at a rate as spendcalc defines it: the exact quotient amount x numerator /
denominator of the rate's ratio (the ECB's published values), kept as
:func:`calc.decimals.quotient` keeps it (exact, or at least 28 digits that round correctly;
``tests/test_rounding.py`` checks that against :class:`fractions.Fraction`)."""

from __future__ import annotations

from decimal import Decimal

from calc import Money
from calc.decimals import EXACT, quotient
from rates import Rate


def at(amount: Decimal | int | str, rate: Rate) -> Money:
    numerator, denominator = rate.ratio
    return Money(quotient(EXACT.multiply(Decimal(amount), numerator), denominator), rate.quote)
