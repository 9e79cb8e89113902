"""Decimal arithmetic shared by :mod:`calc`: the one exact context and the one way to trim zeros.

>>> plain(Decimal("2500000000.000"))
'2500000000'
>>> trimmed(Decimal("1.2500")), trimmed(Decimal("1E+2"))
(Decimal('1.25'), Decimal('1E+2'))
"""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_05UP,
    ROUND_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
)
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "EXACT",
    "ROUNDING_RULES",
    "Rounding",
    "check_rounding",
    "exact_sum",
    "fraction_quotient",
    "plain",
    "quotient",
    "trimmed",
]

#: Adds, subtracts and multiplies without ever rounding; traps invalid operations, division by
#: zero and overflow (the default traps).
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

Rounding = Literal["half-up", "half-even"]
#: The rounding rules an amount can be shown by, and :mod:`decimal`'s name for each. Half-up
#: rounds a tie away from zero, as spreadsheets and EU Regulation 1103/97 on the euro do;
#: half-even rounds it to the even digit (banker's rounding).
ROUNDING_RULES: dict[str, str] = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}
#: Digits kept, beyond those any amount is rounded to, by a quotient that does not terminate.
_GUARD_DIGITS = 12


def check_rounding(rule: object) -> Rounding:
    """``rule`` if it is one of :data:`ROUNDING_RULES`.

    :raises ValueError: naming the choices
    """
    if rule == "half-up" or rule == "half-even":
        return rule
    raise ValueError(f"{rule!r} is not a rounding rule; use 'half-up' or 'half-even'.")


def quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator``: exact when it terminates, else to 28 significant digits or
    12 places past the ten-thousandths, whichever is more, rounded towards zero except that a
    last digit of 0 or 5 is moved away from zero (:data:`decimal.ROUND_05UP`).

    So a non-terminating quotient never ends in 0 or 5, and rounding it once more, to any
    number of places it keeps, under any rule, gives the same result as rounding the exact
    quotient: a tie is only ever a tie when the quotient is exact.

    >>> quotient(Decimal("4.655"), Decimal(1)), quotient(Decimal(1), Decimal(3))
    (Decimal('4.655'), Decimal('0.3333333333333333333333333333'))
    """
    if denominator == 1:
        return numerator
    # Enough digits for any quotient that terminates: those of the numerator and three for
    # each of the denominator's, and two more. The text of a Decimal has at least as many
    # characters as it has digits, and more digits than that change nothing: a quotient that
    # terminates is the same at any precision that holds it, and one that does not is rounded
    # below to a number of places set by its leading digit alone.
    digits = len(str(numerator)) + 3 * len(str(denominator)) + 2
    context = _EXACT_TO.get(digits)
    if context is None:
        context = _EXACT_TO[digits] = _context(digits)
    context.clear_flags()
    found = context.divide(numerator, denominator)
    if not context.flags[Inexact]:
        return found
    # Rounded by the same rule to more digits than are kept: its leading digit is the exact
    # quotient's (the rule never carries into a new digit), and rounding it again to fewer
    # digits is rounding the exact quotient to them (its last digit is never 0).
    places = _places(found)
    rounded = _ROUNDED_TO.get(places)
    if rounded is None:
        rounded = _ROUNDED_TO[places] = _context(places)
    if places < digits:
        return rounded.plus(found)
    return rounded.divide(numerator, denominator)


def fraction_quotient(numerator: int, denominator: int) -> Decimal:
    """:func:`quotient` of a fraction of integers in lowest terms (``denominator > 0``), the
    same Decimal, without dividing to as many digits as a terminating quotient could need
    when it cannot terminate (its denominator has a prime factor other than 2 and 5): a sum
    of many conversions is such a fraction, of thousands of digits.

    >>> fraction_quotient(1, 3), fraction_quotient(5, 4)
    (Decimal('0.3333333333333333333333333333'), Decimal('1.25'))
    """
    rest = denominator >> ((denominator & -denominator).bit_length() - 1)  # no factor 2
    while rest % 5 == 0:
        rest //= 5
    top, bottom = Decimal(numerator), Decimal(denominator)
    if rest == 1:  # it terminates
        return quotient(top, bottom)
    places = _places(_LEADING.divide(top, bottom))
    rounded = _ROUNDED_TO.get(places)
    if rounded is None:
        rounded = _ROUNDED_TO[places] = _context(places)
    return rounded.divide(top, bottom)


def _places(estimate: Decimal) -> int:
    """The significant digits a quotient that does not terminate keeps: 28, or enough for 12
    places past the ten-thousandths; `estimate` has its leading digit."""
    return max(28, estimate.adjusted() + 5 + _GUARD_DIGITS)


def _context(digits: int) -> Context:
    return Context(prec=digits, rounding=ROUND_05UP, Emax=MAX_EMAX, Emin=MIN_EMIN)


#: Finds a quotient's leading digit (truncating: never carrying into a new one).
_LEADING = Context(prec=9, rounding=ROUND_DOWN, Emax=MAX_EMAX, Emin=MIN_EMIN)


#: The contexts :func:`quotient` divides in, by precision (made once each).
_EXACT_TO: dict[int, Context] = {}
_ROUNDED_TO: dict[int, Context] = {}


def exact_sum(terms: Iterable[tuple[Decimal, Decimal]]) -> tuple[int, int]:
    """The sum of the quotients ``numerator / denominator`` of `terms`, exactly: the fraction
    in lowest terms as (numerator, denominator > 0), which :class:`fractions.Fraction` gives.

    Each term is made a pair of integers once and the sum is taken over the least common
    multiple of their denominators, reduced once at the end (a Fraction reduces at each step).

    >>> exact_sum([(Decimal("1"), Decimal("3")), (Decimal("0.5"), Decimal("1.5"))])
    (2, 3)
    >>> exact_sum([])
    (0, 1)

    :raises ZeroDivisionError: if a denominator is zero
    """
    from math import gcd, lcm  # only a report adds conversions up (start-up time)

    tops: list[int] = []
    bottoms: list[int] = []
    ratios = _RATIOS
    if len(ratios) > 100_000:  # (the denominators of one report are its rates: a few)
        ratios.clear()
    for numerator, denominator in terms:
        top, top_scale = numerator.as_integer_ratio()
        found = ratios.get(denominator)
        if found is None:
            found = ratios[denominator] = denominator.as_integer_ratio()
        bottom, bottom_scale = found
        if not bottom:
            raise ZeroDivisionError(f"{numerator} / {denominator}: the denominator is zero.")
        if bottom < 0:
            top, bottom = -top, -bottom
        tops.append(top * bottom_scale)  # numerator / denominator = top / bottom
        bottoms.append(bottom * top_scale)
    common = lcm(*bottoms) if bottoms else 1
    total = sum(top * (common // bottom) for top, bottom in zip(tops, bottoms, strict=True))
    divisor = gcd(total, common)
    return total // divisor, common // divisor


#: Denominators as the integer fractions they are, found once each (a report's sums share
#: their rates' denominators).
_RATIOS: dict[Decimal, tuple[int, int]] = {}


def trimmed(amount: Decimal) -> Decimal:
    """The same value without trailing zeros after the point (and never in exponent form)."""
    # A Decimal's text shows its exponent: a point or "E-" where it is negative, "E+" where it
    # is positive (and neither where it is 0, nor for NaN or infinity).
    text = str(amount)
    if "E+" in text or ("." not in text and "E-" not in text):
        return amount
    reduced = amount.normalize(EXACT)
    if "E+" not in str(reduced):
        return reduced
    return reduced.quantize(Decimal(1), context=EXACT)


def plain(value: Decimal) -> str:
    """Every significant digit, no exponent, no trailing zeros after the point."""
    return f"{trimmed(value):f}"
