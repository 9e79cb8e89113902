"""Conversion of :class:`~calc.money.Money` with the rate used, and the rate policies of a report.

A :class:`Conversion` keeps the original amount, the unrounded result and the
:class:`rates.Rate` behind it (value, fixing date, source). The result is the amount times the
rate's exact quotient (for a cross rate, amount x EUR->quote / EUR->base as published), exact
when it terminates, else kept to enough digits that rounding it once, to the currency's minor
units, is the rounding of the exact quotient (:func:`calc.decimals.quotient`). Rounding happens
only when a figure is shown, half-up unless half-even is asked for.

:class:`RatePolicy` is the one place that decides which rate a dated amount gets:

- ``announced``: each amount at its own date (the default for a report);
- a date (``2024-01-19``): every amount at that one date;
- ``latest``: every amount at the latest fixing;
- ``average``: the mean of the daily fixings over each amount's spending period.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from rates import Rate, RateBook
from rates.value import Value, opened

from .decimals import EXACT, Rounding, exact_sum, fraction_quotient, quotient, trimmed
from .errors import CurrencyMismatchError, ReportError
from .money import Money, validate_currency

PolicyKind = Literal["announced", "date", "latest", "average"]
POLICY_KINDS: tuple[PolicyKind, ...] = ("announced", "date", "latest", "average")


if TYPE_CHECKING:  # for the type checker only: a TypedDict compiles its string annotations
    from typing import TypedDict, Unpack

    class When(TypedDict, total=False):
        """When an amount was announced and spent: the keywords of :meth:`Converter.rate_for`."""

        announced: _dt.date | None
        period: tuple[_dt.date, _dt.date] | None
        month: bool


class Conversion(Value):
    """``source`` converted to ``result`` (unrounded) at ``rate``.

    >>> import datetime
    >>> c = Converter(RateBook(cache=None)).convert(Money("2500000000", "GBP"), "USD",
    ...                                               on=datetime.date(2023, 11, 30))
    >>> c.result.currency, c.rate.fixing_date, c.rate.source
    ('USD', datetime.date(2023, 11, 30), 'ECB reference rates (bundled)')
    """

    __slots__ = ("source", "result", "rate")
    source: Money
    result: Money
    rate: Rate

    def __init__(self, source: Money, result: Money, rate: Rate) -> None:
        self._set(source=source, result=result, rate=rate)

    @classmethod
    def made(cls, source: Money, result: Money, rate: Rate) -> Conversion:
        """``Conversion(source, result, rate)`` made at once: `result` is `source` at `rate`
        (a conversion found before, for the same amount)."""
        made: Any = opened(cls).__new__(opened(cls))
        made.source = source
        made.result = result
        made.rate = rate
        made.__class__ = cls  # frozen from now on
        return made  # type: ignore[no-any-return]

    def __str__(self) -> str:
        return f"{self.source} = {self.result} at {self.rate}"

    @property
    def exact(self) -> tuple[Decimal, Decimal]:
        """The result as the exact quotient (numerator, denominator): the amount times the
        rate's numerator, over its denominator."""
        numerator, denominator = self.rate.ratio
        return EXACT.multiply(self.source.amount, numerator), denominator

    def _repr_html_(self) -> str:
        """The conversion as a notebook shows it: a small table with its provenance."""
        import html

        from .format import format_money, format_rate_for

        rate = self.rate
        shown, _ = format_rate_for(rate.value, self.source, self.result)
        cells = [format_money(self.source), format_money(self.result),
                 f"1 {rate.base} = {shown} {rate.quote}", str(rate.fixing_date), rate.source]  # fmt: skip
        head = "".join(f"<th>{h}</th>" for h in ("Amount", "Converted", "Rate", "Fixing", "Source"))
        body = "".join(f"<td>{html.escape(c)}</td>" for c in cells)
        return f"<table><thead><tr>{head}</tr></thead><tbody><tr>{body}</tr></tbody></table>"

    def rounded(self, rounding: Rounding = "half-up") -> Money:
        """The result rounded once to its currency's minor units: ``"half-up"`` (a tie away
        from zero) or ``"half-even"``; the same as rounding the exact quotient."""
        return self.result.rounded(rounding)


class RatePolicy(Value):
    """Which rate each amount of a report is converted at.

    >>> RatePolicy.parse("2024-01-19")
    RatePolicy(kind='date', on=datetime.date(2024, 1, 19))
    >>> RatePolicy.parse("average").describe()
    'the average of the daily fixings over each spending period'
    """

    __slots__ = ("kind", "on")
    kind: PolicyKind
    on: _dt.date | None

    def __init__(self, kind: PolicyKind = "announced", on: _dt.date | None = None) -> None:
        self._set(kind=kind, on=on)
        self._check()

    def _check(self) -> None:
        if self.kind not in POLICY_KINDS:
            raise ReportError(
                f"{self.kind!r} is not a rate policy; use one of announced, latest, average "
                "or a date YYYY-MM-DD."
            )
        if (self.kind == "date") != (self.on is not None):
            raise ReportError("A 'date' rate policy needs a date, and only it takes one.")

    @classmethod
    def parse(cls, text: str | RatePolicy) -> RatePolicy:
        """Read ``announced``, ``latest``, ``average`` or a date ``YYYY-MM-DD``.

        :raises ReportError: for anything else, naming the choices
        """
        if isinstance(text, RatePolicy):
            return text
        word = str(text).strip().lower()
        for kind in POLICY_KINDS:
            if kind == word and kind != "date":  # a date is given as the date itself
                return cls(kind)
        try:
            return cls("date", _dt.date.fromisoformat(word))
        except ValueError:
            raise ReportError(
                f"{text!r} is not a rate policy; use one of announced, latest, average "
                "or a date YYYY-MM-DD."
            ) from None

    def __str__(self) -> str:
        return self.on.isoformat() if self.on is not None else self.kind

    def describe(self) -> str:
        """A phrase for a report's heading."""
        return {
            "announced": "each commitment at its announcement date",
            "date": f"all amounts at {self.on}",
            "latest": "the latest fixing",
            "average": "the average of the daily fixings over each spending period",
        }[self.kind]


class Converter:
    """Converts Money with rates from a :class:`rates.RateBook` (default: ``RateBook()``)."""

    def __init__(self, book: RateBook | None = None) -> None:
        self.book = book if book is not None else RateBook()

    def convert(self, money: Money, to: str, on: _dt.date | None = None) -> Conversion:
        """``money`` in currency ``to`` at the fixing for ``on`` (None: the latest).

        :raises rates.RateError: if there is no rate (the message says why and what to do)
        """
        return self._apply(money, self.book.rate(money.currency, validate_currency(to), on))

    def rate_for(
        self,
        base: str,
        quote: str,
        policy: RatePolicy,
        *,
        announced: _dt.date | None = None,
        period: tuple[_dt.date, _dt.date] | None = None,
        month: bool = False,
    ) -> Rate:
        """The rate ``policy`` gives an amount announced on ``announced`` spent over ``period``.

        An announcement known only to the month (``month=True``) is taken at the average of
        that month's fixings under the ``announced`` policy. Under ``average``, an amount with
        no spending period is taken at its announcement date.
        """
        base, quote = validate_currency(base), validate_currency(quote)
        book = self.book
        if policy.kind == "latest":
            return book.rate(base, quote, None)
        if policy.kind == "date":
            return book.rate(base, quote, policy.on)
        if policy.kind == "average" and period is not None:
            return book.average(base, quote, *period)
        if announced is None:
            raise ReportError(
                "An amount without an announcement date needs a date or 'latest' policy."
            )
        if month:
            return book.average(base, quote, announced.replace(day=1), _month_end(announced))
        return book.rate(base, quote, announced)

    def convert_under(
        self, money: Money, to: str, policy: RatePolicy, **when: Unpack[When]
    ) -> Conversion:
        """``money`` in ``to`` at the rate :meth:`rate_for` chooses; ``when`` are its keywords."""
        return self._apply(money, self.rate_for(money.currency, to, policy, **when))

    @staticmethod
    def at_rate(money: Money, rate: Rate) -> Conversion:
        """``money`` converted at ``rate`` (a rate this converter gave for another amount).

        :raises CurrencyMismatchError: if ``money`` is not in the rate's base currency
        """
        if money.currency != rate.base:
            raise CurrencyMismatchError(
                f"Cannot convert {money!r} at a rate from {rate.base}: convert it on its own."
            )
        return Converter._apply(money, rate)

    @staticmethod
    def _apply(money: Money, rate: Rate) -> Conversion:
        numerator, denominator = rate.ratio
        result = quotient(EXACT.multiply(money.amount, numerator), denominator)
        return Conversion.made(money, Money(trimmed(result), rate.quote), rate)


class Conversions:
    """Conversions at rates already found, each distinct amount at each rate worked out once:
    a big report converts the same amount at the same rate again and again.

    An amount's result depends only on its value (``2.5`` and ``2.50`` give the same result,
    as :func:`calc.decimals.quotient` and :func:`calc.decimals.trimmed` make it), so a
    conversion is the amount given, the result found before and the rate.
    """

    __slots__ = ("_results",)

    def __init__(self) -> None:
        #: (amount, currency, id of the rate) -> (the rate, kept alive; the result)
        self._results: dict[tuple[Decimal, str, int], tuple[Rate, Money]] = {}

    def at_rate(self, money: Money, rate: Rate) -> Conversion:
        """:meth:`Converter.at_rate`, once for each amount and rate.

        :raises CurrencyMismatchError: if ``money`` is not in the rate's base currency
        """
        key = (money.amount, money.currency, id(rate))
        found = self._results.get(key)
        if found is not None and found[0] is rate:
            return Conversion.made(money, found[1], rate)
        conversion = Converter.at_rate(money, rate)
        self._results[key] = (rate, conversion.result)
        return conversion


def total_of(conversions: Iterable[Conversion], currency: str) -> Money:
    """The sum of the conversions' exact results in ``currency`` (all of theirs), summed as
    exact fractions (:func:`calc.decimals.exact_sum`) and then kept as
    :func:`calc.decimals.quotient` keeps one result, so the total rounds as the exact sum does;
    0 for none.

    :raises CurrencyMismatchError: if a result is in another currency
    """
    by_denominator: dict[Decimal, Decimal] = {}  # the numerators over each denominator, added
    for conversion in conversions:
        if conversion.result.currency != currency:
            raise CurrencyMismatchError(
                f"Cannot add {conversion.result!r} to a total in {currency}: convert it first."
            )
        numerator, denominator = conversion.exact
        found = by_denominator.get(denominator)
        by_denominator[denominator] = numerator if found is None else EXACT.add(found, numerator)
    return exact_total(by_denominator, currency)


def exact_total(by_denominator: Mapping[Decimal, Decimal], currency: str) -> Money:
    """The sum of ``numerator / denominator`` over `by_denominator` (denominator ->
    numerator), kept as :func:`calc.decimals.quotient` keeps one result: the exact sum's
    quotient, so that it rounds as the exact sum does."""
    numerator, denominator = exact_sum((n, d) for d, n in by_denominator.items())
    return Money(trimmed(fraction_quotient(numerator, denominator)), currency)


def _month_end(day: _dt.date) -> _dt.date:
    import calendar  # only a month-only announcement needs it (start-up time)

    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
