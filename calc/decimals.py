"""Decimal arithmetic shared by :mod:`calc`: the one exact context and the one way to trim zeros.

>>> plain(Decimal("2500000000.000"))
'2500000000'
>>> trimmed(Decimal("1.2500")), trimmed(Decimal("1E+2"))
(Decimal('1.25'), Decimal('1E+2'))
"""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal

__all__ = ["EXACT", "plain", "trimmed"]

#: Adds, subtracts and multiplies without ever rounding; traps invalid operations, division by
#: zero and overflow (the default traps).
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def trimmed(amount: Decimal) -> Decimal:
    """The same value without trailing zeros after the point (and never in exponent form)."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, str) or exponent >= 0:
        return amount
    reduced = amount.normalize(EXACT)
    reduced_exponent = reduced.as_tuple().exponent
    if isinstance(reduced_exponent, str) or reduced_exponent <= 0:
        return reduced
    return reduced.quantize(Decimal(1), context=EXACT)


def plain(value: Decimal) -> str:
    """Every significant digit, no exponent, no trailing zeros after the point."""
    return f"{trimmed(value):f}"
