"""The rows of a report: packages, and the countries and companies made of them.

A *package* is what one company announced for one country on one day, or what the commitments'
``package`` field groups (:func:`package_id`). Workers belong to their package: "commitment per
worker trained" is a package's disclosed amount over its own workers, and a country's or a
company's figure counts only its packages that name workers and disclose an amount, so that one
pledge's trainees never divide another pledge's money. "Training spend per worker" likewise,
with each package's disclosed training amount.

A row with nothing disclosed has ``total`` None (never zero), no share and no per-worker
figure. Each row's disclosed amounts with a spending period make its calendar-year profile
(:mod:`calc.years`), whose years add up exactly to its ``dated_total``; amounts without a period
are kept apart, by announcement year (``undated``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from .commitments import Commitment
from .converter import Conversion, total_of
from .money import Money
from .records import record
from .years import Profile, spread
from .years import total as add_profiles

__all__ = [
    "CompanyRow",
    "ConvertedCommitment",
    "CountryRow",
    "Figures",
    "PackageRow",
    "Row",
    "find",
    "group",
    "package_id",
]


def package_id(commitment: Commitment) -> str:
    """The package a commitment belongs to: ``company/country/label``, the label being its
    ``package`` field or, without one, its announcement date (``Microsoft/GB/2023-11-30``)."""
    c = commitment
    return f"{c.company}/{c.country}/{c.package or c.announced_text}"


@record
class ConvertedCommitment:
    """A commitment and, if its amount is disclosed, its conversion; ``partial``: its average
    rate leaves out part of its spending period, where the currency was not quoted."""

    commitment: Commitment
    conversion: Conversion | None
    partial: bool = False
    high: Conversion | None = None

    @property
    def package(self) -> str:
        """The id of its package (:func:`package_id`)."""
        return package_id(self.commitment)


@record(kw_only=True)
class Figures:
    """The figures of one row of a report (a country, a company or a package), unrounded.

    :ivar total: the disclosed total; None when nothing is disclosed (never zero)
    :ivar share: ``total`` over the grand total; None when nothing is disclosed
    :ivar workers: the workers to train that the row's commitments name (None: none)
    :ivar per_worker_trained: "commitment per worker trained": the disclosed totals of the
        row's packages that name workers and disclose an amount, over those packages' workers
        (``per_worker_workers``); None when no package does both
    :ivar training_spend: the disclosed training amounts (None: none disclosed)
    :ivar training_per_worker: the disclosed training amounts of the packages that name
        workers, over those packages' workers
    :ivar training_per_worker_per_year: the same with each package's training amount taken
        over its ``training_years`` (None unless every such package gives them)
    :ivar years: the calendar-year profile of the disclosed amounts that have a spending
        period (:func:`calc.years.spread`); its years add up exactly to ``dated_total``
    :ivar dated_total: the total of those amounts (None: no disclosed amount has a period)
    :ivar undated: the disclosed amounts without a spending period, by announcement year
    :ivar undated_commitments: how many commitments those are
    :ivar high_total: the disclosed total with each range at its high end; None if no amount
        of the row is a range
    :ivar qualified: how many disclosed amounts are worded as a range, a ceiling ("up to"), a
        floor ("more than", "+") or an approximation ("about"), by that kind
    """

    commitments: int
    disclosed: int
    undisclosed: int
    total: Money | None
    share: Decimal | None
    workers: int | None
    per_worker_trained: Money | None
    per_worker_workers: int | None
    training_spend: Money | None
    training_per_worker: Money | None
    training_per_worker_per_year: Money | None
    years: Profile = ()
    dated_total: Money | None = None
    undated: Profile = ()
    undated_commitments: int = 0
    high_total: Money | None = None
    qualified: tuple[tuple[str, int], ...] = ()

    @property
    def key(self) -> str:
        """What the row is of: a country code, a company or a package id."""
        raise NotImplementedError

    @property
    def undated_total(self) -> Money | None:
        """The disclosed amounts without a spending period, together (None: there are none)."""
        return _sum(money for _year, money in self.undated)


@record(kw_only=True)
class CountryRow(Figures):
    """One country's figures in the report currency (see :class:`Figures`)."""

    country: str
    name: str
    local_currency: str | None

    @property
    def key(self) -> str:
        return self.country


@record(kw_only=True)
class CompanyRow(Figures):
    """One company's figures, over every country it commits to (see :class:`Figures`)."""

    company: str
    countries: tuple[str, ...]

    @property
    def key(self) -> str:
        return self.company


@record(kw_only=True)
class PackageRow(Figures):
    """One package's figures: what ``company`` announced for ``country`` (see :class:`Figures`).

    :ivar id: ``company/country/label`` (:func:`package_id`)
    :ivar label: the commitments' ``package`` field ('' when grouped by announcement date)
    :ivar announced: its first announcement; ``announced_text`` as given (``2023-11``)
    """

    id: str
    label: str
    company: str
    country: str
    announced: _dt.date
    announced_text: str

    @property
    def key(self) -> str:
        return self.id


Row = CountryRow | CompanyRow | PackageRow
R = TypeVar("R", bound=Figures)


@record
class _Package:
    """The commitments of one package and the sums its rows are made of."""

    items: tuple[ConvertedCommitment, ...]
    total: Money | None
    workers: int | None
    training: Money | None
    training_years: Decimal | None

    @property
    def first(self) -> Commitment:
        return self.items[0].commitment

    @property
    def earliest(self) -> Commitment:
        """Its first announcement (a ``package`` label may group several days)."""
        return min((i.commitment for i in self.items), key=lambda c: c.announced)


def group(
    converted: Iterable[ConvertedCommitment], country: Callable[[str], dict[str, Any]]
) -> tuple[Money | None, Figures, tuple[CountryRow, ...], tuple[CompanyRow, ...],
           tuple[PackageRow, ...]]:  # fmt: skip
    """The grand total, the whole report's figures, and the rows by country, company, package.

    ``country(code)`` gives a country row's ``name`` and ``local_currency``. Each kind of row
    comes largest disclosed total first, rows with nothing disclosed last, then by key.
    """
    packages = _packages(converted)
    everything = Figures(**_figures(packages, None))
    grand = everything.total
    by_package = [
        PackageRow(
            **_figures([p], grand),
            id=package_id(p.first),
            label=p.first.package,
            company=p.first.company,
            country=p.first.country,
            announced=p.earliest.announced,
            announced_text=p.earliest.announced_text,
        )
        for p in packages
    ]
    by_country = [
        CountryRow(**_figures(group, grand), country=code, **country(code))
        for code, group in _by(packages, lambda c: c.country).items()
    ]
    by_company = [
        CompanyRow(
            **_figures(group, grand),
            company=company,
            countries=tuple(sorted({p.first.country for p in group})),
        )
        for company, group in _by(packages, lambda c: c.company).items()
    ]
    return grand, everything, _sorted(by_country), _sorted(by_company), _sorted(by_package)


def _packages(converted: Iterable[ConvertedCommitment]) -> list[_Package]:
    """The packages, in the order their first commitment comes."""
    grouped: dict[str, list[ConvertedCommitment]] = {}
    for item in converted:
        grouped.setdefault(item.package, []).append(item)
    packages = []
    for items in grouped.values():
        disclosed = [i for i in items if i.conversion is not None]
        training = [i for i in disclosed if i.commitment.category == "training"]
        spans = [i.commitment.training_years for i in items if i.commitment.training_years]
        packages.append(
            _Package(
                tuple(items),
                _exact_sum(disclosed),
                sum(i.commitment.workers or 0 for i in items) or None,
                _exact_sum(training),
                max(spans, default=None),
            )
        )
    return packages


def _by(
    packages: Iterable[_Package], key: Callable[[Commitment], str]
) -> dict[str, list[_Package]]:
    grouped: dict[str, list[_Package]] = {}
    for package in packages:
        grouped.setdefault(key(package.first), []).append(package)
    return grouped


def _results(items: Iterable[ConvertedCommitment]) -> list[Money]:
    return [i.conversion.result for i in items if i.conversion is not None]


def _exact_sum(items: Sequence[ConvertedCommitment]) -> Money | None:
    """The exact sum of the items' conversions (:func:`calc.converter.total_of`: it rounds as
    the exact sum does); None when none is disclosed (undisclosed, never zero)."""
    conversions = [i.conversion for i in items if i.conversion is not None]
    return total_of(conversions, conversions[0].result.currency) if conversions else None


def total_with_high_ends(items: Sequence[ConvertedCommitment]) -> Money | None:
    """The disclosed total with each range at its high end (None: nothing disclosed)."""
    found = [c for i in items if (c := i.high or i.conversion) is not None]
    return total_of(found, found[0].result.currency) if found else None


#: What the report says of each kind of worded amount its totals include.
_WORDED = {
    "range": "range(s), counted at the low end",
    "at most": "ceiling(s) ('up to', 'under'), counted as stated",
    "at least": "floor(s) ('more than', 'over', '+'), counted as stated",
    "approximate": "approximate amount(s) ('about', '~'), counted as stated",
    "just below": "amount(s) said to be just below a figure ('nearly'), counted at the figure",
    "just above": "amount(s) said to be just above a figure ('just over'), counted at the figure",
}


def worded_note(items: Sequence[ConvertedCommitment]) -> str:
    """One sentence on the ranges and bounds the totals include; '' when there are none."""
    kinds = dict(_qualified(items))
    if not kinds:
        return ""
    parts = [f"{count} {_WORDED[kind]}" for kind, count in kinds.items()]
    return "The totals include " + "; ".join(parts) + "."


def _high_total(items: Sequence[ConvertedCommitment]) -> Money | None:
    """The items' disclosed total with each range at its high end; None if there is no range."""
    if not any(i.high is not None for i in items):
        return None
    return total_with_high_ends(items)


def _qualified(items: Sequence[ConvertedCommitment]) -> tuple[tuple[str, int], ...]:
    """How many disclosed amounts are worded as each kind of range or bound."""
    from .press import kind_of

    kinds: dict[str, int] = {}
    for i in items:
        c = i.commitment
        if i.conversion is not None and (c.qualifier or c.high):
            kind = kind_of(c.qualifier, c.high is not None)
            kinds[kind] = kinds.get(kind, 0) + 1
    return tuple(sorted(kinds.items()))


def _sum(amounts: Iterable[Money]) -> Money | None:
    """The exact sum of `amounts`; None when there are none (undisclosed, never zero)."""
    total: Money | None = None
    for amount in amounts:
        total = amount if total is None else total + amount
    return total


def _per(amount: Money | None, workers: int) -> Money | None:
    return amount / workers if amount is not None and workers else None


def _figures(packages: Sequence[_Package], grand: Money | None) -> dict[str, Any]:
    """The :class:`Figures` of a row made of `packages`, as keyword arguments."""
    items = [i for p in packages for i in p.items]
    disclosed = [(i.commitment, i.conversion.result) for i in items if i.conversion is not None]
    total = _exact_sum(items)
    # Workers belong to their package: only packages that name workers and disclose an amount.
    named = [(p.total, p.workers) for p in packages if p.workers and p.total is not None]
    named_workers = sum(workers for _total, workers in named)
    trained = [(p.training, p.workers, p.training_years) for p in packages
               if p.workers and p.training is not None]  # fmt: skip
    trained_workers = sum(workers for _spend, workers, _years in trained)
    per_year = None
    if trained and all(years for _spend, _workers, years in trained):
        per_year = _per(
            _sum(spend / years for spend, _workers, years in trained if years), trained_workers
        )
    dated = [(result, c.period) for c, result in disclosed if c.period is not None]
    undated = [((c.announced.year, result),) for c, result in disclosed if c.period is None]
    return {
        "commitments": len(items),
        "disclosed": len(disclosed),
        "undisclosed": len(items) - len(disclosed),
        "total": total,
        "share": total / grand if total is not None and grand is not None and grand.amount
        else None,
        "workers": sum(c.workers or 0 for c in (i.commitment for i in items)) or None,
        "per_worker_trained": _per(_sum(t for t, _workers in named), named_workers),
        "per_worker_workers": named_workers or None,
        "training_spend": _exact_sum(
            [i for p in packages if p.training is not None for i in p.items
             if i.commitment.category == "training"]
        ),
        "training_per_worker": _per(_sum(s for s, _w, _y in trained), trained_workers),
        "training_per_worker_per_year": per_year,
        "years": add_profiles(spread(result, *period) for result, period in dated),
        "dated_total": _sum(result for result, _period in dated),
        "undated": add_profiles(undated),
        "undated_commitments": len(undated),
        "high_total": _high_total(items),
        "qualified": _qualified(items),
    }  # fmt: skip


def _sorted(rows: Iterable[R]) -> tuple[R, ...]:
    """Largest disclosed total first; rows with nothing disclosed last; then by key."""
    return tuple(
        sorted(
            rows,
            key=lambda r: (r.total is None, -r.total.amount if r.total else Decimal(0), r.key),
        )
    )


def find(rows: Sequence[R], key: str) -> R:
    """The row of `rows` whose :attr:`~Figures.key` is `key`.

    :raises KeyError: if there is none
    """
    for row in rows:
        if row.key == key:
            return row
    raise KeyError(key)
