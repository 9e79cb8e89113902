"""How much the basis matters: each country's total under each rate basis, and their range.

The bases, for each disclosed amount of the country:

- ``announced``: the fixing of its announcement date (a month-only date: that month's average);
- ``year_average``: the average of the daily fixings of its announcement's calendar year (as far
  as fixings exist: a year not over is the year so far);
- ``latest``: the latest fixing;
- ``ppp``: the country's PPP total (its amounts in its own currency at the report's rates, over
  the PPP factor, :mod:`calc.views`) in international dollars, and, in a report currency other
  than USD, times the PPP factor of that currency's economy (so at its price level);
- ``policy``: the report's own rate policy, where it is none of the above (a date, the average
  over each spending period);
- ``real``: the report's real-terms total, with ``--real``.

``low`` and ``high`` are the smallest and largest of the totals there are, and ``spread`` is
``high / low - 1``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from decimal import Decimal

from rates import RateError
from rates.value import Value

from .converter import Conversion, Converter, RatePolicy, total_of
from .money import Money
from .provenance import fixing_span
from .realterms import economy, nominal
from .reference import ReferenceData
from .rows import ConvertedCommitment, CountryRow
from .views import PPP_CONTEXT, CountryView, converted

__all__ = ["BASES", "Basis", "Sensitivity", "sensitivity"]

#: Every basis, in the order a report shows them, with the words it uses for each.
BASES = {
    "announced": "announcement date",
    "year_average": "announcement year's average",
    "latest": "latest fixing",
    "ppp": "PPP",
    "policy": "report's policy",
    "real": "real terms",
}


class Basis(Value):
    """One basis's total (None: it cannot be had; ``note`` says why), and the first and last
    ECB fixing it uses (None: no rate, or not a market rate)."""

    __slots__ = ("basis", "total", "note", "fixings")
    basis: str
    total: Money | None
    note: str
    fixings: tuple[_dt.date, _dt.date] | None

    def __init__(
        self, basis: str, total: Money | None, note: str = "",
        fixings: tuple[_dt.date, _dt.date] | None = None,
    ) -> None:  # fmt: skip
        self._set(basis=basis, total=total, note=note, fixings=fixings)

    @property
    def label(self) -> str:
        """The words for the basis: ``announcement year's average``."""
        return BASES[self.basis]


class Sensitivity(Value):
    """A country's totals under each basis, the lowest and highest, and ``high / low - 1``."""

    __slots__ = ("country", "bases", "low", "high", "spread")
    country: str
    bases: tuple[Basis, ...]
    low: Money | None
    high: Money | None
    spread: Decimal | None

    def __init__(self, country: str, bases: tuple[Basis, ...]) -> None:
        totals = [b.total for b in bases if b.total is not None]
        low = min(totals, default=None)
        high = max(totals, default=None)
        spread = None
        if low is not None and high is not None and low.amount:
            spread = high / low - 1
        self._set(country=country, bases=bases, low=low, high=high, spread=spread)

    def basis(self, name: str) -> Basis:
        """The basis ``name`` (a key of :data:`BASES`)."""
        for basis in self.bases:
            if basis.basis == name:
                return basis
        raise KeyError(name)


def sensitivity(
    row: CountryRow,
    items: Sequence[ConvertedCommitment],
    *,
    currency: str,
    converter: Converter,
    policy: RatePolicy,
    view: CountryView | None,
    reference: Callable[[], ReferenceData],
    real: bool,
) -> Sensitivity:
    """``row``'s totals under each basis (:data:`BASES`); ``items`` are its commitments,
    ``view`` its PPP view, ``real`` whether the row's totals are in real terms."""
    disclosed = [i for i in items if i.conversion is not None]
    if not disclosed:
        return Sensitivity(row.country, ())
    kinds: dict[str, Callable[[ConvertedCommitment], Conversion]] = {
        "announced": lambda i: _at(converter, i, currency, RatePolicy("announced")),
        "year_average": lambda i: _year_average(converter, i, currency),
        "latest": lambda i: _at(converter, i, currency, RatePolicy("latest")),
    }
    bases = []
    for name, convert in kinds.items():
        try:
            conversions = [convert(i) for i in disclosed]
        except RateError as exc:
            bases.append(Basis(name, None, str(exc)))
            continue
        span = fixing_span(c.rate for c in conversions)
        bases.append(Basis(name, total_of(conversions, currency), "", span))
    bases.append(_ppp(view, currency, reference))
    if policy.kind in ("date", "average"):
        nominals = [nominal(i.conversion) for i in disclosed if i.conversion is not None]
        bases.append(Basis("policy", total_of(nominals, currency)))
    if real:
        bases.append(Basis("real", row.total))
    return Sensitivity(row.country, tuple(bases))


def _at(
    converter: Converter, item: ConvertedCommitment, currency: str, policy: RatePolicy
) -> Conversion:
    c = item.commitment
    assert c.amount is not None
    return converted(converter, c, c.amount, currency, policy)


def _year_average(converter: Converter, item: ConvertedCommitment, currency: str) -> Conversion:
    """The amount at the average of its announcement year's daily fixings."""
    c = item.commitment
    assert c.amount is not None
    year = c.announced.year
    period = (_dt.date(year, 1, 1), _dt.date(year, 12, 31))
    return converter.convert_under(c.amount, currency, RatePolicy("average"), period=period)


def _ppp(view: CountryView | None, currency: str, reference: Callable[[], ReferenceData]) -> Basis:
    """The PPP total in the report currency: international dollars at its economy's factor."""
    if view is None or view.ppp_total is None:
        return Basis("ppp", None, (view.note if view else "") or "no data")
    if currency == "USD":
        factor: Decimal | None = Decimal(1)
    else:
        place = economy(currency)
        found = None if place is None else reference().latest(place, "ppp", view.year)
        factor = None if found is None else found.value
    if factor is None:
        return Basis(
            "ppp", None, f"no PPP factor for {currency}'s economy in the data; report in USD"
        )
    return Basis("ppp", Money(PPP_CONTEXT.multiply(view.ppp_total, factor), currency))
