"""The values of the rate book: :class:`Rate` (a rate and its provenance) and :class:`Override`.

Also the few rules every module of :mod:`rates` shares: :data:`RATE_CONTEXT` (the one decimal
context of every rate computed), :func:`check_code` (the one currency-code check) and
:func:`plain_decimal` (a Decimal as text, every digit, no exponent, no trailing zeros).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal

from .errors import InvalidRateError, UnknownCurrencyError
from .value import Value

#: Precision and rounding of every rate computed here (cross rates, inverses, averages).
RATE_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
#: Multiplies rates given by the user into a chain without rounding (a product of two rates
#: of at most 28 digits has at most 56).
RATE_PRODUCT = Context(prec=120, rounding=ROUND_HALF_EVEN)
#: A currency code as ISO 4217 writes it: three capital letters A-Z.
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
SOURCE_OVERRIDE = "override"
SOURCE_SAME = "same currency"
#: The range a user's rate must lie in (no currency pair comes within many powers of ten of it).
_SMALLEST_RATE, _LARGEST_RATE = Decimal("1e-30"), Decimal("1e30")
_ONE = Decimal(1)


def check_code(currency: object) -> str:
    """``currency`` as a code in capitals, if it is written as one (whether or not ISO lists it).

    >>> check_code(" usd ")
    'USD'
    >>> check_code("US$")
    Traceback (most recent call last):
    ...
    rates.errors.UnknownCurrencyError: 'US$' is not a currency code; write three letters such as 'USD'.

    :raises InvalidRateError: if ``currency`` is not a str
    :raises UnknownCurrencyError: if it is not three letters A-Z (any case)
    """
    if not isinstance(currency, str):
        raise InvalidRateError(
            f"The currency {currency!r} must be a three-letter code such as 'USD'."
        )
    code = currency.strip().upper()
    if not CURRENCY_CODE.fullmatch(code):
        raise UnknownCurrencyError(
            currency, f"{currency!r} is not a currency code; write three letters such as 'USD'."
        )
    return code


def is_code(text: object) -> bool:
    """Whether ``text`` is a currency code exactly as written: three capitals A-Z."""
    return isinstance(text, str) and CURRENCY_CODE.fullmatch(text) is not None


def plain_decimal(value: Decimal) -> str:
    """Every significant digit of ``value``, no exponent, no trailing zeros after the point.

    >>> plain_decimal(Decimal("1.2500")), plain_decimal(Decimal("2.5E+3")), plain_decimal(Decimal("0E-7"))
    ('1.25', '2500', '0')
    """
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Rate(Value):
    """1 ``base`` = ``value`` ``quote``, and where that figure came from.

    :ivar on: the date asked for (None: the latest fixing)
    :ivar fixing_date: the fixing actually used (for an average, the last one averaged)
    :ivar sources: where the figures came from, e.g. ``("ECB reference rates (bundled)",
        "override")``
    :ivar stale: a TARGET business day after the fixing used, up to the date asked for (for
        the latest: yesterday), has no fixing known offline
    :ivar fixings: how many daily fixings the value stands for (more than 1 for an average)
    :ivar period: for an average, the first and last fixing averaged
    :ivar ratio: the rate as the exact quotient ``numerator / denominator`` it was computed
        from (for a cross rate, EUR->quote / EUR->base as published); ``value`` is that quotient
        to 28 significant digits. An average's ratio is its ``value`` over 1.
    """

    __slots__ = (
        "base", "quote", "value", "on", "fixing_date", "sources", "stale", "fixings", "period",
        "ratio",
    )  # fmt: skip
    base: str
    quote: str
    value: Decimal
    on: _dt.date | None
    fixing_date: _dt.date
    sources: tuple[str, ...]
    stale: bool
    fixings: int
    period: tuple[_dt.date, _dt.date] | None
    ratio: tuple[Decimal, Decimal]

    def __init__(
        self,
        base: str,
        quote: str,
        value: Decimal,
        on: _dt.date | None,
        fixing_date: _dt.date,
        sources: tuple[str, ...],
        stale: bool = False,
        fixings: int = 1,
        period: tuple[_dt.date, _dt.date] | None = None,
        ratio: tuple[Decimal, Decimal] | None = None,
    ) -> None:
        self._set(
            base=base, quote=quote, value=value, on=on, fixing_date=fixing_date,
            sources=sources, stale=stale, fixings=fixings, period=period,
            ratio=(value, _ONE) if ratio is None else ratio,
        )  # fmt: skip

    def __str__(self) -> str:
        text = (
            f"1 {self.base} = {self.value} {self.quote} (fixing {self.fixing_date}, {self.source})"
        )
        if self.stale:
            text += f" [stale: asked for {self.on}, newer fixings not available offline]"
        return text

    @property
    def origin(self) -> str:
        """The sources for display, joined with ``" + "``."""
        return " + ".join(self.sources)

    @property
    def description(self) -> str:
        """For an average, what was averaged (``'average of 22 daily fixings 2024-01-02 to
        2024-01-31'``); '' for a single fixing."""
        if self.period is None:
            return ""
        return f"average of {self.fixings} daily fixings {self.period[0]} to {self.period[1]}"

    @property
    def source(self) -> str:
        """:attr:`origin` and, for an average, its :attr:`description`: the text shown and
        written to JSON."""
        description = self.description
        return f"{self.origin}, {description}" if description else self.origin

    @property
    def note(self) -> str:
        """A sentence on how the fixing relates to the date asked for ('' when it is that date)."""
        if self.period is not None:
            return f"average of {self.fixings} daily fixings, {self.period[0]} to {self.period[1]}"
        if self.on is None or self.on == self.fixing_date:
            return ""
        if self.stale:
            return f"{self.on} is after the last fixing available offline; used {self.fixing_date}"
        return f"no fixing on {self.on} ({self.on:%A}); used {self.fixing_date}"

    def inverse(self) -> Rate:
        """The same rate seen the other way round: 1 ``quote`` = 1/``value`` ``base``."""
        numerator, denominator = self.ratio
        value = RATE_CONTEXT.divide(denominator, numerator)
        return Rate(
            self.quote, self.base, value, self.on, self.fixing_date, self.sources,
            self.stale, self.fixings, self.period, (denominator, numerator),
        )  # fmt: skip


class Override(Value):
    """A rate given by the user: 1 ``per`` = ``value`` ``currency``, on one date or on all dates.

    >>> import datetime
    >>> Override.parse("TWD=34.7")
    Override(currency='TWD', value=Decimal('34.7'), per='EUR', on=None)
    >>> str(Override.parse("USD/TWD=32.1", on=datetime.date(2024, 1, 19)))
    'USD/TWD=32.1'
    """

    __slots__ = ("currency", "value", "per", "on")
    currency: str
    value: Decimal
    per: str
    on: _dt.date | None

    def __init__(
        self, currency: str, value: Decimal, per: str = "EUR", on: _dt.date | None = None
    ) -> None:
        self._set(currency=currency, value=value, per=per, on=on)
        self._check()

    def _check(self) -> None:
        for code in (self.currency, self.per):
            if not is_code(code):
                raise InvalidRateError(
                    f"{code!r} is not a currency code; write it as three capitals, e.g. 'TWD'."
                )
        if self.currency == self.per:
            raise InvalidRateError(
                f"A rate of {self.currency} against itself is always 1; give another currency."
            )
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value <= 0:
            shown = self.value if isinstance(self.value, Decimal) else repr(self.value)
            raise InvalidRateError(
                f"The rate {self.per}/{self.currency}={shown} must be a positive number: give "
                f"units of {self.currency} per 1 {self.per}, e.g. {self.currency}=34.7."
            )
        if not _SMALLEST_RATE <= self.value <= _LARGEST_RATE:
            raise InvalidRateError(
                f"The rate {self.per}/{self.currency}={self.value} is out of range: a rate lies "
                f"between 1e-30 and 1e30 units of {self.currency} per 1 {self.per}."
            )

    def __str__(self) -> str:
        """The form :meth:`parse` reads: ``TWD=34.7`` or ``USD/TWD=32.1``."""
        pair = self.currency if self.per == "EUR" else f"{self.per}/{self.currency}"
        return f"{pair}={self.value}"

    @classmethod
    def parse(cls, text: str, on: _dt.date | None = None) -> Override:
        """Read ``CUR=VALUE`` (VALUE units of CUR per 1 EUR) or ``BASE/CUR=VALUE`` (per 1 BASE).

        :raises InvalidRateError: for anything else, with the form to use
        """
        pair, sep, number = str(text).partition("=")
        base, slash, code = pair.strip().upper().rpartition("/")
        hint = "write it as CUR=VALUE (units per 1 EUR) or BASE/CUR=VALUE, e.g. TWD=34.7 or USD/TWD=32.1"
        if not sep or not code or (slash and not base):
            raise InvalidRateError(f"The rate {text!r} is not of the form CUR=VALUE; {hint}.")
        try:
            value = Decimal(number.strip().replace("_", ""))
        except ArithmeticError:
            raise InvalidRateError(f"The rate {text!r} does not end in a number; {hint}.") from None
        return cls(code.strip(), value, base.strip() or "EUR", on)


class Overrides:
    """The user's rates by currency, in the order given: for a date, the last given for that
    date wins, else the last given for all dates.

    >>> import datetime
    >>> given = Overrides().merged(["TWD=34.7", "TWD=35"])
    >>> given.for_day("TWD", datetime.date(2024, 1, 19)).value, len(given)
    (Decimal('35'), 2)
    """

    __slots__ = ("_by_code",)

    def __init__(self, by_code: dict[str, tuple[Override, ...]] | None = None) -> None:
        self._by_code: dict[str, tuple[Override, ...]] = by_code or {}

    def merged(self, given: Iterable[Override | str] | Mapping[str, object]) -> Overrides:
        """These overrides and then ``given``: :class:`Override` values, strings such as
        ``"USD/TWD=32.1"``, or a mapping ``{"USD/TWD": "32.1"}``.

        :raises InvalidRateError: for a rate that is not a positive number
        """
        if isinstance(given, Mapping):
            items = [Override.parse(f"{k}={v}") for k, v in given.items()]
        else:
            items = [o if isinstance(o, Override) else Override.parse(o) for o in given]
        merged = dict(self._by_code)
        for item in items:
            merged[item.currency] = (*merged.get(item.currency, ()), item)
        return Overrides(merged)

    def __iter__(self) -> Iterator[Override]:
        return (o for group in self._by_code.values() for o in group)

    def __len__(self) -> int:
        return sum(map(len, self._by_code.values()))

    @property
    def currencies(self) -> set[str]:
        """The currencies given a rate."""
        return set(self._by_code)

    def for_day(self, code: str, day: _dt.date) -> Override | None:
        """The rate given for ``code`` that applies on ``day``, or None."""
        group = self._by_code.get(code)
        if not group:
            return None
        chosen = [o for o in group if o.on == day] or [o for o in group if o.on is None]
        return chosen[-1] if chosen else None

    def direct(self, base: str, quote: str, day: _dt.date) -> tuple[Decimal, Decimal] | None:
        """The rate given for exactly this pair (either way round) on ``day``, if there is one,
        as the exact quotient (numerator, denominator)."""
        for code, per, invert in ((quote, base, False), (base, quote, True)):
            override = self.for_day(code, day)
            if override is not None and override.per == per:
                return (_ONE, override.value) if invert else (override.value, _ONE)
        return None


def is_iso_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 code, current or historical (the bundled list, CLDR's).

    >>> is_iso_currency("DEM"), is_iso_currency("QQQ")
    (True, False)
    """
    global _ISO_4217  # the bundled list, imported on first use (start-up time)
    if _ISO_4217 is None:
        from .codes import ISO_4217

        _ISO_4217 = ISO_4217
    return code in _ISO_4217


_ISO_4217: frozenset[str] | None = None
