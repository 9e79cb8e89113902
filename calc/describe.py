"""One-line descriptions for people: a conversion, a rate, a check, the rate data.

``spendcalc convert`` prints :func:`describe_conversion`; this module loads no table engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .format import format_money, format_percent, format_rate, format_rate_for

if TYPE_CHECKING:
    from rates import Rate, RateBook

    from .check import CheckResult
    from .converter import Conversion
    from .decimals import Rounding

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


def describe_check(result: CheckResult, *, locale: str = "en_US") -> str:
    """The ECB-based figure, the quoted one's deviation, implied vs ECB rate, and a verdict."""
    ecb = result.conversion.result
    deviation = format_percent(result.deviation, locale)
    verdict = "FAIR" if result.fair else "OFF"
    rate = result.conversion.rate
    return "\n".join(
        [
            f"quoted:     {format_money(result.quoted, locale=locale)} = "
            f"{format_money(result.equivalent, locale=locale)}",
            f"ECB-based:  {format_money(ecb, locale=locale)} ({describe_rate(rate)})",
            f"deviation:  {deviation} (tolerance {format_rate(result.tolerance)}%)",
            f"rate:       implied 1 {rate.base} = {format_rate(result.implied_rate)} {rate.quote}, "
            f"ECB {format_rate(rate.value)}",
            f"verdict:    {verdict}: the quoted equivalent is "
            + ("within" if result.fair else "outside")
            + " the tolerance of the ECB-based figure",
        ]
    )


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
