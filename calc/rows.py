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
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from .commitments import Commitment
from .converter import Conversion, total_of
from .decimals import EXACT, quotient, trimmed
from .money import Money
from .records import record
from .years import Profile, spread_amount

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


class _Sums:
    """What a row's figures are made of, summed exactly as its commitments are added: exact
    results as numerators by denominator (:attr:`~calc.converter.Conversion.exact`), amounts
    by calendar year as Decimals. A country's or a company's are merged from its packages'."""

    __slots__ = (
        "commitments", "disclosed", "exact", "only", "trainings", "training", "training_only",
        "ranged", "high", "workers", "years", "dated", "undated", "undated_commitments",
        "qualified",
    )  # fmt: skip

    def __init__(self) -> None:
        self.commitments = 0
        self.disclosed = 0
        self.exact: dict[Decimal, Decimal] = {}
        self.only: Money | None = None  # the one disclosed result, while there is just one
        self.trainings = 0
        self.training: dict[Decimal, Decimal] = {}
        self.training_only: Money | None = None
        self.ranged = False  # whether an amount is a range (then `high` is of use)
        self.high: dict[Decimal, Decimal] = {}  # each range at its high end
        self.workers = 0
        self.years: dict[int, Decimal] = {}
        self.dated: Decimal | None = None
        self.undated: dict[int, Decimal] = {}
        self.undated_commitments = 0
        self.qualified: dict[str, int] = {}

    def add(self, item: ConvertedCommitment) -> None:
        """One commitment: counted, and its conversion (if disclosed) added in."""
        c = item.commitment
        self.commitments += 1
        self.workers += c.workers or 0
        conversion = item.conversion
        if conversion is None:
            return
        self.disclosed += 1
        numerator, denominator = conversion.exact
        result = conversion.result
        _add_to(self.exact, denominator, numerator)
        self.only = result if self.disclosed == 1 else None
        if c.category == "training":
            self.trainings += 1
            _add_to(self.training, denominator, numerator)
            self.training_only = result if self.trainings == 1 else None
        if item.high is not None:
            self.ranged = True
            numerator, denominator = item.high.exact
        _add_to(self.high, denominator, numerator)
        if c.qualifier or c.high:
            from .press import kind_of

            kind = kind_of(c.qualifier, c.high is not None)
            self.qualified[kind] = self.qualified.get(kind, 0) + 1
        period = c.period
        amount = result.amount
        if period is None:
            self.undated_commitments += 1
            _add_to(self.undated, c.announced.year, amount)
            return
        self.dated = amount if self.dated is None else EXACT.add(self.dated, amount)
        for year, part in spread_amount(amount, *period):
            _add_to(self.years, year, part)

    def merge(self, other: _Sums) -> None:
        """Another row's sums added in (a package's, into its country's)."""
        self.commitments += other.commitments
        self.workers += other.workers
        if other.disclosed:
            self.only = other.only if not self.disclosed else None
            self.disclosed += other.disclosed
        if other.trainings:
            self.training_only = other.training_only if not self.trainings else None
            self.trainings += other.trainings
        self.ranged = self.ranged or other.ranged
        for mine, theirs in ((self.exact, other.exact), (self.training, other.training),
                             (self.high, other.high)):  # fmt: skip
            for d, n in theirs.items():
                _add_to(mine, d, n)
        for year, amount in other.years.items():
            _add_to(self.years, year, amount)
        if other.dated is not None:
            self.dated = other.dated if self.dated is None else EXACT.add(self.dated, other.dated)
        for year, amount in other.undated.items():
            _add_to(self.undated, year, amount)
        self.undated_commitments += other.undated_commitments
        for kind, count in other.qualified.items():
            self.qualified[kind] = self.qualified.get(kind, 0) + count


def _add_to(sums: dict[_K, Decimal], key: _K, amount: Decimal) -> None:
    """``sums[key] += amount``, exactly."""
    sums[key] = EXACT.add(sums[key], amount) if key in sums else amount


_K = TypeVar("_K")


@record
class _Package:
    """The commitments of one package, their sums, and those its rows' per-worker figures use."""

    items: tuple[ConvertedCommitment, ...]
    sums: _Sums
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
    packages, currency = _packages(converted)
    countries = _by(packages, lambda c: c.country)
    country_sums = {
        code: _merged([p.sums for p in group.values()]) for code, group in countries.items()
    }
    # The whole report's sums, from its countries' (exact: the same sums in another order).
    whole = _merged(list(country_sums.values()))
    everything = Figures(**_figures(packages, None, currency, whole))
    grand = everything.total
    by_package = []
    for package_key, p in packages.items():
        first = p.first
        earliest = p.earliest if len(p.items) > 1 else first
        by_package.append(
            PackageRow(
                **_figures({package_key: p}, grand, currency),
                id=package_key,
                label=first.package,
                company=first.company,
                country=first.country,
                announced=earliest.announced,
                announced_text=earliest.announced_text,
            )
        )
    by_country = [
        CountryRow(
            **_figures(group, grand, currency, country_sums[code]), country=code, **country(code)
        )
        for code, group in countries.items()
    ]
    by_company = [
        CompanyRow(
            **_figures(group, grand, currency),
            company=company,
            countries=tuple(sorted({p.first.country for p in group.values()})),
        )
        for company, group in _by(packages, lambda c: c.company).items()
    ]
    return grand, everything, _sorted(by_country), _sorted(by_company), _sorted(by_package)


def _packages(converted: Iterable[ConvertedCommitment]) -> tuple[dict[str, _Package], str]:
    """The packages by id, in the order their first commitment comes, and the currency of
    the conversions ('' if none is disclosed)."""
    grouped: dict[str, list[ConvertedCommitment]] = {}
    currency = ""
    for item in converted:
        grouped.setdefault(item.package, []).append(item)
        if not currency and item.conversion is not None:
            currency = item.conversion.result.currency
    packages = {}
    for key, items in grouped.items():
        sums = _Sums()
        for item in items:
            sums.add(item)
        spans = [i.commitment.training_years for i in items if i.commitment.training_years]
        packages[key] = _Package(
            tuple(items),
            sums,
            _money(sums.exact, sums.only, currency),
            sums.workers or None,
            _money(sums.training, sums.training_only, currency),
            max(spans, default=None),
        )
    return packages, currency


def _by(
    packages: Mapping[str, _Package], key: Callable[[Commitment], str]
) -> dict[str, dict[str, _Package]]:
    grouped: dict[str, dict[str, _Package]] = {}
    for package_key, package in packages.items():
        grouped.setdefault(key(package.first), {})[package_key] = package
    return grouped


def _money(exact: Mapping[Decimal, Decimal], only: Money | None, currency: str) -> Money | None:
    """The exact sum of results given as numerators by denominator, kept as
    :func:`calc.converter.total_of` keeps it (so it rounds as the exact sum does); `only`, the
    one result summed, is that sum already. None when there are none (never zero)."""
    if only is not None:
        return only
    if not exact:
        return None
    from fractions import Fraction  # only a report adds conversions up (start-up time)

    total = Fraction(0)
    for denominator, numerator in exact.items():
        total += Fraction(numerator) / Fraction(denominator)
    return Money(trimmed(quotient(Decimal(total.numerator), Decimal(total.denominator))), currency)


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


def _exact_total(amounts: Iterable[Money], currency: str) -> Money | None:
    """:func:`_sum` of many amounts of `currency`, added as Decimals (the same sum)."""
    total: Decimal | None = None
    for amount in amounts:
        total = amount.amount if total is None else EXACT.add(total, amount.amount)
    return None if total is None else Money(total, currency)


def _per(amount: Money | None, workers: int) -> Money | None:
    return amount / workers if amount is not None and workers else None


def _profile(amounts: Mapping[int, Decimal], currency: str) -> Profile:
    return tuple((year, Money(amounts[year], currency)) for year in sorted(amounts))


def _merged(parts: Sequence[_Sums]) -> _Sums:
    """`parts` added up (the one part itself, if there is one)."""
    if len(parts) == 1:
        return parts[0]
    sums = _Sums()
    for part in parts:
        sums.merge(part)
    return sums


def _figures(
    packages: Mapping[str, _Package], grand: Money | None, currency: str, sums: _Sums | None = None
) -> dict[str, Any]:
    """The :class:`Figures` of a row made of `packages` (whose `sums` are these, if given), as
    keyword arguments."""
    if sums is None:
        sums = _merged([p.sums for p in packages.values()])
    total = _money(sums.exact, sums.only, currency)
    # Workers belong to their package: only packages that name workers and disclose an amount.
    named = [(p.total, p.workers) for p in packages.values() if p.workers and p.total is not None]
    named_workers = sum(workers for _total, workers in named)
    trained = [(p.training, p.workers, p.training_years) for p in packages.values()
               if p.workers and p.training is not None]  # fmt: skip
    trained_workers = sum(workers for _spend, workers, _years in trained)
    per_year = None
    if trained and all(years for _spend, _workers, years in trained):
        per_year = _per(
            _sum(spend / years for spend, _workers, years in trained if years), trained_workers
        )
    return {
        "commitments": sums.commitments,
        "disclosed": sums.disclosed,
        "undisclosed": sums.commitments - sums.disclosed,
        "total": total,
        "share": total / grand if total is not None and grand is not None and grand.amount
        else None,
        "workers": sums.workers or None,
        "per_worker_trained": _per(_exact_total((t for t, _w in named), currency), named_workers),
        "per_worker_workers": named_workers or None,
        "training_spend": _money(sums.training, sums.training_only, currency),
        "training_per_worker": _per(
            _exact_total((s for s, _w, _y in trained), currency), trained_workers
        ),
        "training_per_worker_per_year": per_year,
        "years": _profile(sums.years, currency),
        "dated_total": None if sums.dated is None else Money(sums.dated, currency),
        "undated": _profile(sums.undated, currency),
        "undated_commitments": sums.undated_commitments,
        "high_total": _money(sums.high, None, currency) if sums.ranged else None,
        "qualified": tuple(sorted(sums.qualified.items())),
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
