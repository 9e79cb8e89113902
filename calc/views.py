"""Per-head and PPP figures of a report's countries, from the reference data (:mod:`calc.reference`).

Each country's figures are for its *reference year*: the year of its latest announcement (of a
disclosed amount, where there is one), or, under a rate policy of one date, that date's year, and
under ``latest``, the latest fixing's. The data used are the latest on or before that year, and
each figure names the year it comes from. Per head is the disclosed total over the population;
at PPP, each disclosed amount is converted to the country's own currency at market rates under
the report's policy, and the total divided by the PPP factor (local currency units per
international dollar).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Context, Decimal

from rates import Rate, RateError, today

from .commitments import Commitment
from .converter import Conversion, Conversions, Converter, RatePolicy, total_of
from .errors import add_context
from .money import Money
from .records import record
from .reference import ReferenceData
from .rows import ConvertedCommitment, CountryRow

__all__ = ["CountryView", "converted", "country_view", "local_currency", "reference_date"]

#: International-dollar totals: a division, to 28 significant digits.
PPP_CONTEXT = Context(prec=28)


@record
class CountryView:
    """Per-capita and PPP figures of one country, with the data year behind each.

    :ivar per_capita: the disclosed total over the population (None: no population data, or
        nothing disclosed)
    :ivar local_total: the disclosed total in the local currency, at market rates, same policy
    :ivar ppp_total: ``local_total`` over the PPP factor, in international dollars
    :ivar note: why a figure is missing ("no data", "nothing disclosed", or the rate that is
        missing); '' if none is
    :ivar year: the reference year the data are wanted for (the data years are on or before it)
    """

    country: str
    population: int | None
    population_year: int | None
    per_capita: Money | None
    local_total: Money | None
    ppp_factor: Decimal | None
    ppp_total: Decimal | None
    ppp_year: int | None
    source: str
    note: str = ""
    year: int | None = None


def reference_date(
    items: Sequence[ConvertedCommitment], policy: RatePolicy, last_fixing: _dt.date
) -> _dt.date:
    """The date a country's reference figures are taken for (its year is the reference year):
    the latest announcement of its disclosed amounts (of any, if none is disclosed); under a
    date policy, that date; under ``latest``, the latest fixing."""
    if policy.kind == "date" and policy.on is not None:
        return policy.on
    if policy.kind == "latest":
        return last_fixing
    disclosed = [i.commitment.announced for i in items if i.conversion is not None]
    return max(disclosed or [i.commitment.announced for i in items])


def country_view(
    row: CountryRow,
    items: Sequence[ConvertedCommitment],
    reference: ReferenceData,
    year: int,
    converter: Converter,
    policy: RatePolicy,
    ppp: bool,
) -> CountryView:
    """The per-capita and PPP figures of `row` for `year`; with nothing disclosed, none (never
    zero)."""
    undisclosed = "nothing disclosed" if row.total is None else ""
    data = reference.country_data(row.country, year)
    if data is None:
        note = "; ".join(filter(None, ["no data", undisclosed]))
        return CountryView(row.country, None, None, None, None, None, None, None, "", note, year)
    per_capita = row.total / data.population if data.population and row.total else None
    local_total: Money | None = None
    ppp_total: Decimal | None = None
    note = undisclosed
    # The PPP factor's currency: for the World Bank's, the one of its series' last year (it
    # writes Croatia's history in euros); for a user's, the one of its year (kuna in 2022).
    year_of = data.ppp_currency_year
    local = local_currency(row.country, year_of) if year_of else row.local_currency
    if ppp and data.ppp is not None and local and row.total is not None:
        try:
            local_total = total_of(
                (
                    converted(converter, i.commitment, amount, local, policy)
                    for i in items
                    if i.conversion is not None and (amount := i.commitment.amount) is not None
                ),
                local,
            )
            ppp_total = PPP_CONTEXT.divide(local_total.amount, data.ppp)
        except RateError as exc:
            local_total, note = None, f"no {local} rate: {exc}"
    elif ppp and data.ppp is None:
        note = "; ".join(filter(None, ["no PPP data", undisclosed]))
    # The sources of the figures shown: the population's, and the PPP factor's if asked for.
    used = [reference.latest(row.country, "population", year)]
    used += [reference.latest(row.country, "ppp", year)] if ppp else []
    source = "; ".join(dict.fromkeys(o.source for o in used if o is not None))
    return CountryView(
        row.country, data.population, data.population_year, per_capita, local_total,
        data.ppp, ppp_total, data.ppp_year, source, note, year,
    )  # fmt: skip


def converted(
    converter: Converter,
    c: Commitment,
    amount: Money,
    currency: str,
    policy: RatePolicy,
    rates: dict[tuple[object, ...], Rate] | None = None,
    results: Conversions | None = None,
) -> Conversion:
    """`amount` (the commitment's) in `currency`; a missing rate names the commitment.

    `rates` keeps the rates found, by what chooses them (the currency, the announcement, the
    spending period under the ``average`` policy), for the next amounts of the same report:
    a big file names the same days again and again; `results` the conversions made at them.
    """
    at_rate = Converter.at_rate if results is None else results.at_rate
    period = c.period if policy.kind == "average" else None
    key = (amount.currency, currency, c.announced, period, c.announced_month_only)
    rate = None if rates is None else rates.get(key)
    if rate is not None:
        return at_rate(amount, rate)
    try:
        rate = converter.rate_for(
            amount.currency, currency, policy, announced=c.announced,
            period=period, month=c.announced_month_only,
        )  # fmt: skip
    except RateError as exc:
        add_context(exc, where=c.location or c.company)
        raise
    if rates is not None:
        rates[key] = rate
    return at_rate(amount, rate)


def local_currency(code: str, year: int | None = None) -> str | None:
    """The country's legal tender today, or in the middle of ``year``."""
    from babel.numbers import get_territory_currencies  # babel on first use (start-up time)

    on = _dt.date(year, 7, 1) if year else today()
    found = get_territory_currencies(code, on, tender=True)
    return found[0] if found else None
