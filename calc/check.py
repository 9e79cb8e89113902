"""Is a conversion quoted in the press fair? The quoted equivalent against the ECB-based figure.

The rules of a verdict (``spendcalc check --help`` and the README say the same):

- The ECB-based figure is the quoted amount converted at the fixing of a day, or at the average
  of the daily fixings of a month (``on=(2023, 11)``) or of a period (``on=(start, end)``).
- The tolerance is relative to the ECB-based figure: 5 (percent) allows a quoted equivalent
  5% above or below it.
- A figure is only as precise as it is written: ``'$3bn'`` stands for $2.5bn to $3.5bn (half a
  unit of its last significant digit either way), ``'$3.0bn'`` for $2.95bn to $3.05bn. Zeros
  after the decimal point count; a whole number's trailing zeros are placeholders
  (``'$3,000,000,000'`` is rounded like ``'$3bn'``). The figure is fair if that range comes
  within the tolerance of the ECB-based figure; the result says whether it is fair only thanks
  to its rounding (:attr:`CheckResult.within_rounding`).
- A qualifier at the start of either amount is read (:data:`QUALIFIERS`). Approximators (about,
  around, roughly, some, ~, approx., c., circa) are judged both ways, as a plain figure. A lower
  bound (over, more than, at least, above) is judged one-sided: fair unless the figure is above
  the ECB-based one by more than the tolerance; an upper bound (up to, under, less than, at
  most, below) fair unless it is below it by more than the tolerance. A bound is a threshold,
  not a rounded figure: it gets no rounding allowance. "nearly", "almost" and "just under" X
  put the figure in the half of X's rounding below X; "just over" X in the half above it.
  The equivalent's qualifier decides; without one, the quoted amount's covers both figures.

>>> import datetime
>>> result = check_conversion("£2.5bn", "roughly $3bn", on=datetime.date(2023, 11, 30),
...                           tolerance="2%")
>>> result.fair, result.within_rounding, round(result.deviation, 3), result.qualifier
(True, True, Decimal('-0.052'), 'roughly')
>>> check_conversion("£2.5bn", "$3.0bn", on=datetime.date(2023, 11, 30), tolerance="2%").fair
False
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal, InvalidOperation

from rates.value import Value

from .amounts import parse_amount_and_unit
from .converter import Conversion, Converter, RatePolicy
from .errors import AmountParseError, ReportError
from .money import Money
from .press import QUALIFIERS, QualifierKind, read_qualifier
from .records import record

__all__ = [
    "QUALIFIERS",
    "CheckResult",
    "Quoted",
    "check_conversion",
    "parse_quoted",
    "parse_tolerance",
]


class Quoted(Value):
    """A figure as a text quotes it: ``'roughly $3bn'`` is roughly $3,000,000,000 ± $500,000,000.

    :ivar text: the text, white space folded
    :ivar qualifier: the qualifier it starts with, in lower case (a key of :data:`QUALIFIERS`)
    :ivar figure: the amount as written, without the qualifier (``'$3bn'``)
    :ivar money: the amount
    :ivar half_unit: half a unit of its last significant digit, in its currency
    """

    __slots__ = ("text", "qualifier", "figure", "money", "half_unit")
    text: str
    qualifier: str | None
    figure: str
    money: Money
    half_unit: Decimal

    def __init__(
        self, text: str, qualifier: str | None, figure: str, money: Money, half_unit: Decimal
    ) -> None:
        self._set(text=text, qualifier=qualifier, figure=figure, money=money, half_unit=half_unit)


def parse_quoted(text: str, *, locale: str | None = None) -> Quoted:
    """Read a quoted figure: an optional qualifier, then an amount :func:`parse_amount` reads.

    >>> q = parse_quoted("about Rs 25,700 crore")
    >>> q.qualifier, q.money, q.half_unit
    ('about', Money('257000000000', 'INR'), Decimal('5E+8'))
    >>> parse_quoted("~$3.16bn").half_unit
    Decimal('5E+6')

    :raises AmountParseError: if what follows the qualifier is not an amount (the message
        names the whole text)
    :raises TypeError: if `text` is not a str
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_quoted() reads a str, not {type(text).__name__}; use Money().")
    folded = " ".join(text.split())
    qualifier, figure = read_qualifier(folded)
    try:
        money, unit = parse_amount_and_unit(figure, locale=locale)
    except AmountParseError as exc:
        if qualifier is None:
            raise
        raise AmountParseError(text, exc.reason, ambiguous=exc.ambiguous) from None
    return Quoted(folded, qualifier, figure, money, unit / 2)


def parse_tolerance(text: str) -> Decimal:
    """A tolerance in percent from ``'5%'`` or the fraction ``'0.05'``; a bare number above 1
    is refused, since ``'5'`` would mean 500%.

    >>> parse_tolerance("5%"), parse_tolerance("0.05"), parse_tolerance("0.5")
    (Decimal('5'), Decimal('5.00'), Decimal('50.0'))

    :raises ReportError: if `text` is not a tolerance, or is a bare number above 1
    """
    raw = text.strip()
    try:
        value = Decimal(raw[:-1]) if raw.endswith("%") else Decimal(raw) * 100
    except (ArithmeticError, InvalidOperation):
        raise ReportError(f"{text!r} is not a tolerance; write e.g. 5% or 0.05.") from None
    if not raw.endswith("%") and value.is_finite() and value > 100:
        raise ReportError(
            f"{text!r} is a fraction above 1 ({value.normalize():f}%); write "
            f"{raw}% for {raw} percent, or {Decimal(raw) / 100} as a fraction."
        )
    if not value.is_finite() or not 0 <= value <= 1_000_000:
        raise ReportError(f"{text!r} must be a percentage from 0 to 1000000, e.g. 5%.")
    return value


@record
class CheckResult:
    """A quoted conversion set against the ECB-based one (the rules: :mod:`calc.check`).

    :ivar deviation: (quoted equivalent - ECB figure) / ECB figure, a fraction (-0.052 = -5.2 %)
    :ivar implied_rate: the rate the quoted figures imply: equivalent / original
    :ivar tolerance: the largest fair deviation, in percent
    :ivar qualifier: the qualifier the verdict follows: the equivalent's, else the quoted
        amount's (None: a plain figure)
    :ivar half_unit: the rounding allowance, in the equivalent's currency (0: none)
    :ivar quoted_as: the quoted amount as written, if it was given as text
    :ivar equivalent_as: the equivalent as written, if it was given as text
    """

    quoted: Money
    equivalent: Money
    conversion: Conversion
    deviation: Decimal
    implied_rate: Decimal
    tolerance: Decimal
    qualifier: str | None = None
    half_unit: Decimal = Decimal(0)
    quoted_as: Quoted | None = None
    equivalent_as: Quoted | None = None

    @property
    def kind(self) -> QualifierKind:
        """What the equivalent claims: 'approximate' for a plain figure, or a bound."""
        return "approximate" if self.qualifier is None else QUALIFIERS[self.qualifier]

    @property
    def one_sided(self) -> bool:
        """Whether the equivalent is a bound: judged one-sided, with no rounding allowance."""
        return self.kind in ("at least", "at most")

    @property
    def quoted_qualifier(self) -> str | None:
        """The qualifier written on the quoted amount, if any."""
        return None if self.quoted_as is None else self.quoted_as.qualifier

    @property
    def low(self) -> Decimal | None:
        """The least true figure the equivalent allows (None: no least)."""
        return self._range(self.half_unit)[0]

    @property
    def high(self) -> Decimal | None:
        """The greatest true figure the equivalent allows (None: no greatest)."""
        return self._range(self.half_unit)[1]

    @property
    def judged_deviation(self) -> Decimal:
        """The deviation of the figure nearest the ECB one that the claim allows (0: it allows
        the ECB figure itself); :attr:`fair` compares it with the tolerance."""
        return self._deviation(self.half_unit)

    @property
    def fair(self) -> bool:
        """Whether the figures the equivalent allows come within the tolerance of the ECB one."""
        return abs(self.judged_deviation) * 100 <= self.tolerance

    @property
    def fair_as_written(self) -> bool:
        """Whether it is fair without the rounding allowance (a bound is judged the same)."""
        return abs(self._deviation(Decimal(0))) * 100 <= self.tolerance

    @property
    def within_rounding(self) -> bool:
        """Whether it is fair only thanks to the rounding of the quoted equivalent."""
        return self.fair and not self.fair_as_written

    def _range(self, half: Decimal) -> tuple[Decimal | None, Decimal | None]:
        q, kind = self.equivalent.amount, self.kind
        low = None if kind == "at most" else q if kind in ("at least", "just above") else q - half
        high = None if kind == "at least" else q if kind in ("at most", "just below") else q + half
        return low, high

    def _deviation(self, half: Decimal) -> Decimal:
        ecb = self.conversion.result.amount
        low, high = self._range(half)
        if low is not None and low > ecb:
            return (low - ecb) / ecb
        if high is not None and high < ecb:
            return (high - ecb) / ecb
        return Decimal(0)


def check_conversion(
    quoted: Money | Quoted | str,
    equivalent: Money | Quoted | str,
    *,
    on: _dt.date | tuple[int, int] | tuple[_dt.date, _dt.date],
    tolerance: Decimal | int | str = Decimal(5),
    qualifier: str | None = None,
    precision: Decimal | int | Money | None = None,
    locale: str | None = None,
    converter: Converter | None = None,
) -> CheckResult:
    """Is ``equivalent`` a fair conversion of ``quoted``? The rules: :mod:`calc.check`.

    :param quoted: the original amount: Money, or text such as ``'about Rs 25,700 crore'``
    :param equivalent: the equivalent the text gives: Money, or text such as ``'roughly $3bn'``
        (text brings its qualifier and its precision; Money has neither unless given)
    :param on: a date (that day's fixing), ``(year, month)`` (the average of the month's daily
        fixings) or ``(start, end)`` dates (the average over that period)
    :param tolerance: in percent (``Decimal(5)`` is 5%), or text as ``--tolerance`` reads it
        (``'5%'`` or the fraction ``'0.05'``)
    :param qualifier: a key of :data:`QUALIFIERS`, in place of the one read from the text
    :param precision: the rounding allowance, in place of the one read from the text: how far
        the true figure may lie from the equivalent because of its rounding (``Decimal('5E+8')``
        for ``'$3bn'``); 0 for none
    :param locale: the locale to read text amounts with (see :func:`parse_amount`)
    :raises ReportError: if both amounts are in the same currency, or an argument is out of range
    :raises AmountParseError: if a text is not an amount
    :raises TypeError: for a float tolerance or precision, or an ``on`` of another shape
    :raises rates.RateError: if there is no rate for that date or period
    """
    quoted_as = _quoted(quoted, locale)
    equivalent_as = _quoted(equivalent, locale)
    source = quoted_as.money if quoted_as else quoted
    target = equivalent_as.money if equivalent_as else equivalent
    assert isinstance(source, Money) and isinstance(target, Money)  # _quoted let nothing else by
    if source.currency == target.currency:
        raise ReportError(
            f"{source} and {target} are both in {source.currency}; a conversion check needs "
            "two currencies."
        )
    percent, half_unit = _tolerance(tolerance), _half_unit(precision, equivalent_as, target)
    if qualifier is None:  # the equivalent's, else the quoted amount's: written once for both
        qualifier = next(
            (q.qualifier for q in (equivalent_as, quoted_as) if q and q.qualifier), None
        )
    qualifier = _known_qualifier(qualifier)
    conversion = _convert(converter or Converter(), source, target.currency, on)
    ecb = conversion.result
    return CheckResult(
        source, target, conversion, (target - ecb) / ecb, target.amount / source.amount, percent,
        qualifier, half_unit, quoted_as, equivalent_as,
    )  # fmt: skip


def _quoted(value: Money | Quoted | str, locale: str | None) -> Quoted | None:
    if isinstance(value, str):
        return parse_quoted(value, locale=locale)
    if isinstance(value, Quoted | Money):
        return value if isinstance(value, Quoted) else None
    raise TypeError(
        f"check_conversion() takes Money, a Quoted or text, not {type(value).__name__}."
    )


def _convert(
    converter: Converter,
    money: Money,
    to: str,
    on: _dt.date | tuple[int, int] | tuple[_dt.date, _dt.date],
) -> Conversion:
    if isinstance(on, _dt.date):
        return converter.convert(money, to, on=on)
    start, end = on if isinstance(on, tuple) and len(on) == 2 else (None, None)
    if isinstance(start, int) and isinstance(end, int):  # (year, month)
        start, end = _month(start, end)
    if isinstance(start, _dt.date) and isinstance(end, _dt.date):
        if end < start:
            raise ReportError(f"The period {start} to {end} ends before it starts.")
        return converter.convert_under(money, to, RatePolicy("average"), period=(start, end))
    raise TypeError(
        f"on={on!r}: give a date, (year, month) for a month's average, or (start, end) dates."
    )


def _month(year: int, month: int) -> tuple[_dt.date, _dt.date]:
    """The first and last day of a month."""
    if isinstance(year, bool) or not (1 <= month <= 12 and _dt.MINYEAR <= year <= _dt.MAXYEAR):
        raise ReportError(f"{(year, month)!r} is not a month; give (year, month), e.g. (2023, 11).")
    import calendar  # only a month needs it (start-up time)

    return _dt.date(year, month, 1), _dt.date(year, month, calendar.monthrange(year, month)[1])


def _tolerance(tolerance: Decimal | int | str) -> Decimal:
    if isinstance(tolerance, str):
        return parse_tolerance(tolerance)
    return _at_least_0(tolerance, "tolerance", "a Decimal or int in percent, or text such as '5%'")


def _known_qualifier(qualifier: str | None) -> str | None:
    if qualifier is None:
        return None
    word = " ".join(str(qualifier).split()).lower()
    if word not in QUALIFIERS:
        raise ReportError(
            f"{qualifier!r} is not a qualifier spendcalc reads; use one of {', '.join(QUALIFIERS)}."
        )
    return word


def _half_unit(
    precision: Decimal | int | Money | None, written: Quoted | None, target: Money
) -> Decimal:
    if precision is None:
        return written.half_unit if written is not None else Decimal(0)
    if isinstance(precision, Money):
        if precision.currency != target.currency:
            raise ReportError(
                f"The precision {precision} must be in {target.currency}, the equivalent's "
                "currency."
            )
        precision = precision.amount
    return _at_least_0(precision, "precision", "a Decimal, int or Money, e.g. Decimal('5E+8')")


def _at_least_0(value: object, what: str, give: str) -> Decimal:
    """`value` as a finite Decimal from 0 up; a float is refused (it has lost digits already)."""
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"The {what} {value!r} is a {type(value).__name__}; give {give}.")
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ReportError(f"The {what} {value!r} must be 0 or more; give {give}.")
    return number
