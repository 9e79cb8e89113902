"""The method note: one paragraph, under any report, that a reader can paste under a chart.

It says where the figures come from (the rates and the fixings used, the World Bank series and
their vintages, the BLS), the rate policy, the rounding rule, the deflator and base year, how
per-worker, per-head, PPP, share-of-GDP and per-year figures are formed, and the caveats that
apply: undisclosed items left out, multi-year totals that are not annual, PPP on imported
hardware. Every format carries it (text, Markdown, CSV, JSON ``method``, the workbook's
provenance sheet), in the same words.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

from .provenance import fixing_span, policy_phrase, rates_phrase, rounding_note
from .realterms import nominal

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from rates import Rate

    from .commitments import Commitment
    from .report import Report

__all__ = ["fixings_used", "method_note"]


def method_note(report: Report) -> str:
    """The report's method, as one paragraph of plain sentences."""
    from babel.numbers import get_currency_name  # babel on first use (start-up time)

    name = get_currency_name(report.currency, 2, "en")
    nominal_rates = _distinct(
        nominal(i.conversion).rate for i in report.conversions if i.conversion
    )
    real = report.real
    at = f"{policy_phrase(report)}{_span(nominal_rates)}"
    if real is not None and real.method == "source":
        averages = _distinct(i.conversion.rate for i in report.conversions if i.conversion)
        at = (
            f"at current prices {at}, in constant prices at the average of the daily fixings "
            f"of {real.base}{_span(averages)}"
        )
    sources = ", ".join(sorted({s for r in _rates(report) if r.base != r.quote for s in r.sources}))
    parts = [
        f"Method: amounts are converted to {name} ({report.currency}) at {rates_phrase(report)}"
        f", {at}; a cross rate is taken through the euro"
        + (f"; rates from: {sources}." if sources else "."),
    ]
    parts += _real(report)
    parts.append(rounding_note(report))
    parts += _totals(report)
    parts += _reference(report)
    cited = "; ".join(
        ["European Central Bank, euro foreign exchange reference rates", *report.sources]
    )
    licence = " World Bank data: licence CC BY 4.0." if "World Bank" in cited else ""
    parts.append(f"Sources: {cited}.{licence}")
    return " ".join(parts)


def fixings_used(report: Report) -> tuple[_dt.date, _dt.date] | None:
    """The first and last ECB fixing behind the report's conversions (an average counts from
    its first day); None when nothing needed a rate."""
    return fixing_span(_rates(report))


def _span(rates: list[Rate]) -> str:
    """`` (fixings of 2023-11-30 to 2024-04-09)``, `` (fixing of 2023-11-30)`` or ''."""
    found = fixing_span(rates)
    if found is None:
        return ""
    first, last = found
    return f" (fixings of {first} to {last})" if first != last else f" (fixing of {first})"


def _rates(report: Report) -> list[Rate]:
    """Every rate behind the figures, each once, in the order first used: each conversion's,
    and a real-terms figure's own."""
    return list(dict.fromkeys(_distinct(_each_rate(report))))


def _each_rate(report: Report) -> Iterator[Rate]:
    for item in report.conversions:
        conversion = item.conversion
        if conversion is not None:
            yield conversion.rate
            yield nominal(conversion).rate


def _distinct(rates: Iterable[Rate]) -> list[Rate]:
    """`rates` without the repeats of the same object (most, in a big report: its amounts
    share the rates of their days), in the order first given; equal rates that are not the
    same object are left to the caller."""
    return list({id(rate): rate for rate in rates}.values())


def _real(report: Report) -> list[str]:
    terms = report.real
    if terms is None:
        return ["Figures are at current prices (not adjusted for inflation)."]
    names = ", ".join(dict.fromkeys(name for _c, name, _citation in terms.indices))
    if terms.method == "target":
        move = (
            "the index's annual average over its level in the commitment's announcement month"
            if terms.currency == "USD"
            else "the index's level in that year over its level in the announcement year"
        )
        text = (
            f"Figures are in constant {terms.base} prices: each converted amount is multiplied "
            f"by {move} ({names})."
        )
    else:
        text = (
            f"Figures are in constant {terms.base} prices by the OECD DAC method: each amount "
            f"is first moved to {terms.base} prices in its own currency, with that economy's "
            f"price index ({names}), then converted at the average of the daily ECB fixings of "
            f"{terms.base}; converting first and deflating with {terms.currency} prices gives "
            "a different answer."
        )
    return [text]


def _totals(report: Report) -> list[str]:
    """How totals, per-worker and per-year figures are formed, and their caveats."""
    undisclosed = sum(1 for i in report.conversions if i.conversion is None)
    parts = []
    if undisclosed:
        parts.append(
            f"Totals add the disclosed amounts only: {undisclosed} of "
            f"{len(report.conversions)} commitments disclose no amount and are left out, "
            "never counted as zero, so the totals understate what was pledged."
        )
    else:
        parts.append("Totals add every commitment's amount (all are disclosed).")
    longest = max((c.years for c in _commitments(report) if c.years is not None), default=None)
    if longest is not None:
        parts.append(
            f"A total covers each commitment's whole spending period (up to {longest:f} years "
            "here): it is not an annual figure; the calendar-year profile spreads each amount "
            "evenly over its period by days, first and last day included."
        )
    if any(p.workers for p in report.packages):
        parts.append(
            "Commitment per worker trained is a package's disclosed amount over the workers "
            "that package names (not a training cost); training spend per worker needs a "
            "disclosed training amount."
        )
    return parts


def _reference(report: Report) -> list[str]:
    """How the per-head, PPP, share-of-GDP and sensitivity figures are formed."""
    if not (report.views or report.share_of_gdp or report.sensitivity):
        return []
    parts = [
        "Reference data are for each country's reference year (the year of its latest "
        "announcement; under a one-date or latest policy, that date's year), or the latest "
        "year before it where that year is not yet published; each figure names its year."
    ]
    if report.per_capita:
        parts.append("Per head is the total over the population.")
    if report.ppp or report.sensitivity:
        parts.append(
            "At PPP, each amount is converted to the country's own currency at market rates "
            "and divided by the World Bank PPP conversion factor for GDP; PPP factors price a "
            "whole economy's output, so for imported hardware (chips, servers), which costs "
            "much the same everywhere, they overstate what the money buys in poorer economies."
        )
    if report.share_of_gdp:
        converted = (
            ""
            if report.currency == "USD"
            else f", converted to {report.currency} at the same rates"
        )
        parts.append(
            "Share of GDP is the total at current prices over the economy's GDP in current "
            f"US dollars{converted}."
        )
    if report.sensitivity:
        real = ", and in real terms" if report.real else ""
        latest = [b.fixings for s in report.sensitivity for b in s.bases
                  if b.basis == "latest" and b.fixings]  # fmt: skip
        when = f" ({latest[0][1]})" if latest else ""
        parts.append(
            "The sensitivity table gives each country's total at the announcement-date fixing, "
            f"at the average of the announcement year's fixings, at the latest fixing{when} and "
            f"at PPP{real}, with the range between the lowest and the highest."
        )
    return parts


def _commitments(report: Report) -> list[Commitment]:
    return [i.commitment for i in report.conversions if i.conversion is not None]
