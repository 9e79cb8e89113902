"""What a report's figures rest on, said the same way in every format (text, Markdown, CSV, JSON,
the chart): the rates and overrides, the policy with its dates, the rounding rule, and the caveats
(an average cut short, a ranking that depends on the report currency, rounded parts that do not
add up to the rounded total).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from rates.calendar import missed_fixings

if TYPE_CHECKING:
    from rates import Rate

    from .commitments import Commitment
    from .report import Report
    from .rows import ConvertedCommitment

__all__ = [
    "at_announcement",
    "currency_phrase",
    "cut_short",
    "does_not_foot",
    "fixing_span",
    "policy_phrase",
    "ranking_note",
    "rates_phrase",
    "rounding_note",
    "title",
]


def title(report: Report) -> str:
    """The report's title: its currency (in real terms, the base year, index and method), the
    rates and the policy. By the source method the base year's average rate converts every
    amount, so the policy is not named."""
    lead = f"Spending commitments {currency_phrase(report)}"
    if report.real is not None and report.real.method == "source":
        return f"{lead}; {rates_phrase(report)}" if report.overrides else lead
    joint = "," if report.real is not None else ""
    return f"{lead}{joint} at {rates_phrase(report)}, {policy_phrase(report)}"


def currency_phrase(report: Report) -> str:
    """``in USD``, or in real terms ``in constant 2024 US dollars, CPI-U``."""
    if report.real is None:
        return f"in {report.currency}"
    return report.real.describe()


def rates_phrase(report: Report) -> str:
    """``ECB reference rates``, and the user's own rates where any are given."""
    if not report.overrides:
        return "ECB reference rates"
    return f"ECB reference rates and your own rates ({', '.join(report.overrides)})"


def policy_phrase(report: Report) -> str:
    """The policy as the title says it; ``latest`` names its fixing date."""
    policy = report.policy
    if policy.kind == "latest":
        dates = sorted({r.fixing_date for r in _rates(report) if r.base != r.quote})
        if dates:
            return f"the latest fixing ({', '.join(map(str, dates))})"
    return policy.describe()


def at_announcement(report: Report) -> list[ConvertedCommitment]:
    """Under ``average``, the disclosed commitments converted at their announcement date
    instead, for want of a spending period."""
    if report.policy.kind != "average":
        return []
    return [i for i in report.conversions if i.conversion and i.commitment.period is None]


def cut_short(rate: Rate, commitment: Commitment, first: _dt.date, last: _dt.date) -> bool:
    """Whether an average ``rate`` over the commitment's period leaves out TARGET business days
    of it that the rate book covers (``first`` to ``last`` fixing): the currency was not
    quoted then (RUB after 2022-03-01, or before a currency existed)."""
    period = commitment.period
    if rate.period is None or period is None:
        return False
    start, end = max(period[0], first), min(period[1], last)
    if end < start:
        return False
    averaged_from, averaged_to = rate.period
    return missed_fixings(averaged_to, end) or missed_fixings(
        start - _dt.timedelta(days=1), averaged_from - _dt.timedelta(days=1)
    )


def ranking_note(report: Report) -> str:
    """One line when the order of the compared rows could be another in another report
    currency: the amounts were converted at different dates. '' otherwise."""
    if len(report.comparisons) < 1 or report.policy.kind in ("date", "latest"):
        return ""
    when = {r.period or r.fixing_date for r in _rates(report)}
    if len(when) < 2:
        return ""
    return (
        "The amounts are converted at different dates, so the ranking may differ in another "
        f"report currency than {report.currency}."
    )


def rounding_note(report: Report) -> str:
    """The rounding rule, and whether the table's rounded figures add up."""
    rule = {"half-up": "half-up (a tie away from zero)", "half-even": "half-even"}
    text = (
        f"Each figure is rounded once, {rule[report.rounding]}, to its currency's minor unit "
        "from the exact value; totals add exact values."
    )
    if does_not_foot(report):
        text += " Figures may not add up because of rounding."
    return text


def does_not_foot(report: Report, *, compact: bool = False) -> bool:
    """Whether the main table's rounded totals or its shares (to 0.1%) fail to add up to the
    rounded grand total and 100%; a compact table never claims to add up."""
    totals = [row.total for row in report.rows if row.total is not None]
    if not totals or report.total is None:
        return False
    if compact and len(totals) > 1:
        return True
    rounded = sum((t.rounded(report.rounding).amount for t in totals), Decimal(0))
    if rounded != report.total.rounded(report.rounding).amount:
        return True
    shares = [row.share for row in report.rows if row.share is not None]
    tenths = sum((round(s * 1000) for s in shares), 0)
    return bool(shares) and tenths != 1000


def fixing_span(rates: Iterable[Rate]) -> tuple[_dt.date, _dt.date] | None:
    """The first and last fixing behind ``rates`` (an average counts from its first day), same
    currency left out; None if there is none."""
    days = [
        day
        for rate in rates
        if rate.base != rate.quote
        for day in ((rate.period[0] if rate.period else rate.fixing_date), rate.fixing_date)
    ]
    return (min(days), max(days)) if days else None


def _rates(report: Report) -> list[Rate]:
    return [i.conversion.rate for i in report.conversions if i.conversion]
