"""Money: an exact amount in one ISO 4217 currency.

Amounts are :class:`decimal.Decimal`; floats are refused because they have already lost
digits. Arithmetic between two currencies raises :class:`~calc.errors.CurrencyMismatchError`,
and nothing rounds unless asked (:meth:`Money.rounded`). ``str`` and ``repr`` are locale-free;
formatting for people lives in :mod:`calc.format`.

babel is imported on first use, not at import time, to keep the CLI's cold start short.
"""

from __future__ import annotations

from decimal import (
    Decimal,
    InvalidOperation,
)
from functools import cache
from typing import overload

from calc.decimals import EXACT, ROUNDING_RULES, Rounding, check_rounding, quotient
from calc.errors import AmountParseError, CurrencyMismatchError, UnknownCurrencyError
from rates import is_iso_currency
from rates.value import Value

__all__ = ["Money", "validate_currency"]

#: Largest exponent (either sign) an amount may have, so that its plain form stays printable.
MAX_EXPONENT = 1000


@cache
def _minor_unit(code: str) -> Decimal:
    """The currency's minor unit (``Decimal('0.01')`` for USD), as babel's CLDR data gives it."""
    from babel.numbers import get_currency_precision  # babel on first use (start-up time)

    from calc.cldr import install

    install()
    return Decimal(1).scaleb(-get_currency_precision(code))


@cache
def _codes_in_use() -> tuple[str, ...]:
    from babel.core import get_global  # babel on first use (start-up time)

    from calc.cldr import install

    install()

    rows = (row for rows in get_global("territory_currencies").values() for row in rows)
    return tuple(sorted({code for code, _start, end, tender in rows if end is None and tender}))


def _suggestions(code: str) -> list[str]:
    """Codes in current use that `code` may be a typo of: anagrams first ('GPB'), then close."""
    import difflib  # only a mistyped code needs it (start-up time)

    anagrams = [c for c in _codes_in_use() if sorted(c) == sorted(code)]
    return anagrams or difflib.get_close_matches(code, _codes_in_use(), n=3, cutoff=0.75)


def validate_currency(code: object) -> str:
    """Return `code` as an upper-case ISO 4217 currency code.

    Any ISO 4217 code CLDR lists is accepted, including historical ones such as ``'DEM'``.

    >>> validate_currency('gbp')
    'GBP'

    :param code: a currency code such as ``'GBP'``; lower case is accepted.
    :raises UnknownCurrencyError: if `code` is not an ISO 4217 code (the message suggests
        close codes in current use).
    """
    if isinstance(code, str):
        upper = code.upper()
        if is_iso_currency(upper):
            return upper
        close = _suggestions(upper)
        if close:
            options = " or ".join(repr(c) for c in close)
            message = f"{code!r} is not an ISO 4217 currency code; did you mean {options}?"
        else:
            message = f"{code!r} is not an ISO 4217 currency code; use one such as 'GBP' or 'EUR'."
        raise UnknownCurrencyError(code, message)
    raise UnknownCurrencyError(
        code, f"{code!r} is not an ISO 4217 currency code; give it as a str such as 'GBP'."
    )


def _to_decimal(value: object, what: str) -> Decimal:
    """Turn a str, int or Decimal into a finite Decimal; refuse floats, bools and the rest."""
    if isinstance(value, bool):
        raise TypeError(f"{what} {value!r} is a bool, not a number; pass a str, int or Decimal.")
    if isinstance(value, float):
        raise TypeError(
            f"{what} {value!r} is a float, which has already lost digits; "
            f"pass a str or Decimal instead, e.g. Decimal({str(value)!r})."
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise AmountParseError(
                value,
                "Money takes a plain number such as '2500000000'; "
                "for press text such as '£2.5bn' use calc.amounts.parse_amount().",
            ) from None
    else:
        raise TypeError(f"{what} must be a str, int or Decimal, not {type(value).__name__}.")
    if not number.is_finite():
        raise AmountParseError(value, "NaN and infinity are not amounts of money.")
    return number


#: Currency codes already validated as given (upper case): :class:`Money` takes them at once.
_VALIDATED: set[str] = set()


class Money(Value):
    """An exact amount of money in one currency.

    The amount is built with ``Decimal(str)`` semantics from a str, int or Decimal; it may be
    negative (differences are) but not NaN or infinite. A positive exponent is expanded, so
    ``Decimal('2.5E+9')`` is stored as ``Decimal('2500000000')``.

    ``+``, ``-``, ``<``, ``<=``, ``>``, ``>=`` and ``money / money`` need the same currency
    (``==`` between currencies is simply False); ``*`` and ``/`` take an int or Decimal;
    ``sum()`` works. Only a non-terminating quotient is ever rounded.

    >>> Money('2500000000', 'gbp')
    Money('2500000000', 'GBP')
    >>> str(Money('2.5', 'GBP') + Money('0.75', 'GBP'))
    '3.25 GBP'

    :param amount: a str, int or Decimal.
    :param currency: an ISO 4217 code; lower case is accepted and stored upper case.
    :raises TypeError: if `amount` is a float, a bool or another type.
    :raises AmountParseError: if `amount` is not a finite number, or its exponent is beyond
        ±1000 (its plain form would not be printable).
    :raises UnknownCurrencyError: if `currency` is not an ISO 4217 code.
    """

    __slots__ = ("amount", "currency")
    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        if type(amount) is Decimal and currency in _VALIDATED:  # the common case, at once
            # A finite Decimal written without an exponent has one from 0 down to minus the
            # digits after its point (fewer than its characters): in range, nothing to expand.
            text = str(amount)
            if "E" not in text and len(text) <= MAX_EXPONENT and amount.is_finite():
                object.__setattr__(self, "amount", amount if amount else amount.copy_abs())
                object.__setattr__(self, "currency", currency)
                return
        number = _to_decimal(amount, "Money amount")
        exponent = int(number.as_tuple().exponent)  # an int: the number is finite
        if abs(exponent) > MAX_EXPONENT:
            raise AmountParseError(
                amount, f"its exponent is beyond ±{MAX_EXPONENT}, out of any money's range."
            )
        if exponent > 0:
            number = number.quantize(Decimal(1), context=EXACT)
        if number.is_zero():
            number = number.copy_abs()
        object.__setattr__(self, "amount", number)
        code = validate_currency(currency)
        object.__setattr__(self, "currency", code)
        if code == currency:
            _VALIDATED.add(code)

    def __repr__(self) -> str:
        return f"Money({format(self.amount, 'f')!r}, {self.currency!r})"

    def __str__(self) -> str:
        return f"{self.amount:f} {self.currency}"

    def rounded(self, rounding: Rounding = "half-up") -> Money:
        """Return this amount rounded to the currency's ISO 4217 minor units.

        ``rounding`` is ``"half-up"`` (a tie away from zero, as spreadsheets and EU Regulation
        1103/97 round; the default) or ``"half-even"`` (a tie to the even digit).

        >>> Money('1234.565', 'USD').rounded(), Money('1234.565', 'USD').rounded("half-even")
        (Money('1234.57', 'USD'), Money('1234.56', 'USD'))
        >>> Money('2.5', 'JPY').rounded(), Money('-0.0005', 'KWD').rounded()
        (Money('3', 'JPY'), Money('-0.001', 'KWD'))
        """
        quantum = _minor_unit(self.currency)
        rule = ROUNDING_RULES[check_rounding(rounding)]
        return Money(self.amount.quantize(quantum, rule, EXACT), self.currency)

    def _same_currency(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            what = operation.format(self=self, other=other)
            raise CurrencyMismatchError(
                f"Cannot {what}: convert one of them to the other's currency first."
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "add {other!r} to {self!r}")
        return Money(EXACT.add(self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        # Only so that sum() works: sum() starts from the int 0.
        if type(other) is int and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other, "subtract {other!r} from {self!r}")
        return Money(EXACT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return Money(EXACT.minus(self.amount), self.currency)

    def __mul__(self, factor: object) -> Money:
        if isinstance(factor, Money):
            return NotImplemented
        scalar = _to_decimal(factor, "Money multiplier")
        return Money(EXACT.multiply(self.amount, scalar), self.currency)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, divisor: Money) -> Decimal: ...
    @overload
    def __truediv__(self, divisor: Decimal | int | str) -> Money: ...
    def __truediv__(self, divisor: Money | Decimal | int | str) -> Money | Decimal:
        """Divide by a number (giving Money) or by Money of the same currency (giving a ratio).

        A quotient that terminates is exact; one that does not (``/ 3``) keeps at least 28
        significant digits and never ends in 0 or 5 (:func:`calc.decimals.quotient`), so that
        rounding it for display is the rounding of the exact quotient.
        """
        if isinstance(divisor, Money):
            self._same_currency(divisor, "divide {self!r} by {other!r}")
            return _divide(self.amount, divisor.amount, self)
        scalar = _to_decimal(divisor, "Money divisor")
        return Money(_divide(self.amount, scalar, self), self.currency)

    def _compare(self, other: object) -> tuple[Decimal, Decimal] | None:
        if not isinstance(other, Money):
            return None
        self._same_currency(other, "compare {self!r} with {other!r}")
        return self.amount, other.amount

    def __lt__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._compare(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]


def _divide(dividend: Decimal, divisor: Decimal, money: Money) -> Decimal:
    if divisor.is_zero():
        raise ZeroDivisionError(f"Cannot divide {money!r} by zero.")
    return quotient(dividend, divisor)
