"""One-line descriptions for people: a conversion, a rate, a check, the rate data.

``spendcalc convert`` prints :func:`describe_conversion`; this module loads no table engine.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from .format import format_money, format_percent, format_rate, format_rate_for
from .money import Money

if TYPE_CHECKING:
    from rates import Rate, RateBook

    from .check import CheckResult
    from .converter import Conversion
    from .decimals import Rounding
    from .press import PressAmount

__all__ = ["describe_check", "describe_conversion", "describe_rate", "describe_rates_info"]


def describe_rate(rate: Rate, shown: str | None = None, *, reproduces: bool = True) -> str:
    """``1 GBP = 1.265630789 USD (fixing 2023-11-30, ECB reference rates (bundled))`` and any
    note; ``shown`` is the rate's text if not :func:`~calc.format.format_rate`'s, and
    ``reproduces=False`` says that it is rounded too far to give the result shown with it."""
    value = format_rate(rate.value) if shown is None else shown
    rounded = "" if reproduces else "rounded to 28 digits; "
    text = (
        f"1 {rate.base} = {value} {rate.quote} ({rounded}fixing {rate.fixing_date}, {rate.source})"
    )
    note = rate.note
    if note and rate.period is None:
        text += f"; {note}"
    if rate.stale and not note:
        text += (
            "; stale: newer fixings were published but are not available offline "
            "(spendcalc rates update, or --online)"
        )
    return text


def describe_conversion(
    conversion: Conversion, *, locale: str = "en_US", rounding: Rounding = "half-up"
) -> str:
    """One line: the amount, the result (rounded once by ``rounding``), the rate to as many
    digits as reproduce the result, its fixing date and source."""
    source, result, rate = conversion.source, conversion.result, conversion.rate
    shown, reproduces = format_rate_for(rate.value, source, result, rounding)
    return (
        f"{format_money(source, locale=locale, rounding=rounding)} = "
        f"{format_money(result, locale=locale, rounding=rounding)} at "
        + describe_rate(rate, shown, reproduces=reproduces)
    )


def describe_press_conversion(
    press: PressAmount,
    low: Conversion,
    high: Conversion | None = None,
    *,
    locale: str = "en_US",
    rounding: Rounding = "half-up",
) -> str:
    """:func:`describe_conversion` of an amount as the press worded it: its qualifier kept on
    both sides ("up to $5bn = up to €4.6bn"), a range as both ends, and the conversion the
    text gave in brackets named for ``spendcalc check``."""

    def money(m: Money) -> str:
        return format_money(m, locale=locale, rounding=rounding)

    qualifier = f"{press.qualifier} " if press.qualifier and press.qualifier != "+" else ""
    plus = "+" if press.qualifier == "+" else ""
    source, result = money(low.source), money(low.result)
    if high is not None:
        source, result = f"{source} to {money(high.source)}", f"{result} to {money(high.result)}"
    shown, reproduces = format_rate_for(low.rate.value, low.source, low.result, rounding)
    text = f"{qualifier}{source}{plus} = {qualifier}{result}{plus} at " + describe_rate(
        low.rate, shown, reproduces=reproduces
    )
    if press.conversion is not None:
        import shlex  # only a bracketed conversion needs it

        figure = press.text[: press.text.rfind("(")].strip()
        on = low.rate.on or low.rate.fixing_date
        text += (
            f"; the text gives {press.conversion.text}: spendcalc check {shlex.quote(figure)} "
            f"{shlex.quote(press.conversion.text)} --on {on} tests it"
        )
    return text


def describe_check(result: CheckResult, *, locale: str = "en_US") -> str:
    """The ECB-based figure, the quoted one's deviation, implied vs ECB rate, and a verdict; and,
    where there are any, the qualifier and the rounding the verdict allows for."""

    def money(amount: Decimal) -> str:
        return format_money(Money(amount, result.equivalent.currency), locale=locale)

    rate = result.conversion.rate
    written = result.equivalent_as
    figure = repr(written.figure) if written is not None else "the quoted figure"
    bound = result.one_sided
    lines = [
        f"quoted:     {format_money(result.quoted, locale=locale)} = "
        f"{format_money(result.equivalent, locale=locale)}",
    ]
    if result.qualifier is not None:
        lines.append(f"qualifier:  {result.qualifier} ({_QUALIFIER_KINDS[result.kind]})")
        source = result.quoted_as
        own = written is not None and written.qualifier is not None
        if not own and source is not None and source.qualifier == result.qualifier:
            lines[-1] += f"; read on {source.text!r}, it covers both figures"
    if written is not None or result.half_unit:
        lines.append(f"precision:  {_precision(result, figure, money)}")
    deviation = f"{format_percent(result.deviation, locale)} (tolerance "
    deviation += f"{format_rate(result.tolerance)}%)"
    judged = result.judged_deviation
    if bound and not judged and result.deviation:
        deviation += "; the bound holds"
    elif not bound and not result.fair_as_written and judged != result.deviation:
        deviation += (
            f"; {format_percent(judged, locale)} from the nearest figure its rounding allows"
            if judged
            else "; its rounding allows the ECB-based figure itself"
        )
    conversion = result.conversion
    shown, reproduces = format_rate_for(rate.value, conversion.source, conversion.result)
    lines += [
        f"ECB-based:  {format_money(conversion.result, locale=locale)} "
        f"({describe_rate(rate, shown, reproduces=reproduces)})",
        f"deviation:  {deviation}",
        f"rate:       implied 1 {rate.base} = {format_rate(result.implied_rate)} {rate.quote}, "
        f"ECB {format_rate(rate.value)}",
        f"verdict:    {_verdict(result, figure, money)}",
    ]
    return "\n".join(lines)


#: How each kind of qualifier is judged, for the qualifier line.
_QUALIFIER_KINDS = {
    "approximate": "an approximation, judged both ways as a plain figure",
    "at least": "a lower bound, judged one-sided: OFF only if the figure is above the "
    "ECB-based one by more than the tolerance",
    "at most": "an upper bound, judged one-sided: OFF only if the figure is below the "
    "ECB-based one by more than the tolerance",
    "just below": "just below the figure: the half of its rounding below it",
    "just above": "just above the figure: the half of its rounding above it",
}


def _precision(result: CheckResult, figure: str, money: Callable[[Decimal], str]) -> str:
    if result.one_sided:
        return "no rounding allowance: a bound is a threshold"
    low, high = result.low, result.high
    if not result.half_unit or low is None or high is None:
        return "no rounding allowance"
    side = ": " if result.kind == "approximate" else f"; {result.qualifier!r} puts it at "
    unit = money(2 * result.half_unit)
    return f"{figure} is rounded to the nearest {unit}{side}{money(low)} to {money(high)}"


def _verdict(result: CheckResult, figure: str, money: Callable[[Decimal], str]) -> str:
    amount = money(result.equivalent.amount)
    if result.one_sided:
        claim = repr(result.equivalent_as.text) if result.equivalent_as else "the bound"
        side = "below" if result.kind == "at least" else "above"
        if not result.judged_deviation:
            return f"FAIR: the ECB-based figure is {result.kind} {amount}, as {claim} says"
        if result.fair:
            return f"FAIR: the ECB-based figure is {side} {amount}, by no more than the tolerance"
        return f"OFF: the ECB-based figure is {side} {amount} by more than the tolerance"
    if result.within_rounding:
        return (
            f"FAIR within the rounding of {figure}: the range it stands for comes within the "
            "tolerance of the ECB-based figure, though the figure itself does not"
        )
    if result.fair:
        return "FAIR: the quoted equivalent is within the tolerance of the ECB-based figure"
    off = "OFF: the quoted equivalent is outside the tolerance of the ECB-based figure"
    return off + (f", even allowing for the rounding of {figure}" if result.half_unit else "")


def describe_rates_info(book: RateBook) -> str:
    """Coverage, last fixing, cache path and sources of a rate book."""
    cache = book.cache
    path = cache.path if cache is not None else "(none)"
    cached = cache.days() if cache is not None else {}
    current = book.quoted_on(book.last_fixing)
    lines = [
        f"bundled:     {book.snapshot_description}",
        f"             {book.snapshot_path}",
        f"cache:       {path} ({len(cached)} day{'s' if len(cached) != 1 else ''} fetched live)",
        f"coverage:    {book.first_fixing} to {book.last_fixing} (last fixing)",
        f"currencies:  EUR and {len(current)} quoted at the last fixing: {' '.join(current)}",
        f"             {len(book.currencies) - len(current) - 1} no longer quoted: "
        + " ".join(c for c in book.currencies if c != "EUR" and c not in current),
        "sources:     European Central Bank euro reference rates (bundled); "
        "days after the snapshot from forex-python's live source (spendcalc rates update)",
    ]
    return "\n".join(lines) + "\n"
