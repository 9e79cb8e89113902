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
from typing import Any, ClassVar, TypeVar

from rates.value import Value

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


class Later(Value):
    """A value some of whose fields are worked out when first read: each such field is left
    unset when the value is made, and its class's :attr:`LATER` maps its name to the function
    that gives it from the value and what ``_later`` (not a field) holds. Once read, a field is
    set, as any other; equality, hash and ``repr`` read every field, and so work each out.
    """

    __slots__ = ("_later",)
    #: The fields worked out later: name -> function(value, what ``_later`` holds).
    LATER: ClassVar[dict[str, Callable[[Any, Any], object]]] = {}

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        names = _LATER_FIELDS.get(cls)
        if names is None:
            names = _LATER_FIELDS[cls] = tuple(n for n in super()._fields() if n != "_later")
        return names

    def __getattr__(self, name: str) -> Any:  # only for an attribute not (yet) set
        work = type(self).LATER.get(name)
        try:
            state = object.__getattribute__(self, "_later")
        except AttributeError:
            work = None
        if work is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        value = work(self, state)
        object.__setattr__(self, name, value)
        return value


_LATER_FIELDS: dict[type, tuple[str, ...]] = {}


def later(value: _V, state: object) -> _V:
    """`value` (a :class:`Later` with every field set) with the fields of its class's
    :attr:`~Later.LATER` unset, to be worked out from `state` when first read."""
    for name in type(value).LATER:
        object.__delattr__(value, name)
    object.__setattr__(value, "_later", state)
    return value


_V = TypeVar("_V", bound=Later)


@record(kw_only=True)
class Figures(Later):
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
    by calendar year as Decimals. A country's or a company's are merged from its packages'.

    The calendar years are worked out only when asked for (:meth:`years`): a report without
    them does not spread 100,000 amounts over their periods."""

    __slots__ = (
        "commitments", "disclosed", "exact", "only", "trainings", "training", "training_only",
        "ranged", "high", "workers", "spreads", "parts", "by_year", "dated", "undated",
        "undated_commitments", "qualified",
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
        #: The amounts with a period, to spread, and the sums merged in (:meth:`years`).
        self.spreads: list[tuple[Decimal, _dt.date, _dt.date]] = []
        self.parts: list[_Sums] = []
        self.by_year: dict[int, Decimal] | None = None
        self.dated: Decimal | None = None
        self.undated: dict[int, Decimal] = {}
        self.undated_commitments = 0
        self.qualified: dict[str, int] = {}

    def add(self, item: ConvertedCommitment) -> None:
        """One commitment: counted, and its conversion (if disclosed) added in."""
        c = item.commitment
        self.commitments += 1
        workers = c.workers
        if workers:
            self.workers += workers
        conversion = item.conversion
        if conversion is None:
            return
        self.disclosed += 1
        numerator, denominator = conversion.exact
        result = conversion.result
        exact = self.exact
        exact[denominator] = (
            EXACT.add(exact[denominator], numerator) if denominator in exact else numerator
        )
        self.only = result if self.disclosed == 1 else None
        if c.category == "training":
            self.trainings += 1
            _add_to(self.training, denominator, numerator)
            self.training_only = result if self.trainings == 1 else None
        if item.high is not None:
            self.ranged = True
            numerator, denominator = item.high.exact
        high = self.high
        high[denominator] = (
            EXACT.add(high[denominator], numerator) if denominator in high else numerator
        )
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
        self.spreads.append((amount, *period))

    def merge(self, other: _Sums) -> None:
        """Another row's sums added in (a package's, into its country's)."""
        self.commitments += other.commitments
        self.workers += other.workers
        if not other.disclosed:
            return  # nothing else to add
        self.only = other.only if not self.disclosed else None
        self.disclosed += other.disclosed
        if other.trainings:
            self.training_only = other.training_only if not self.trainings else None
            self.trainings += other.trainings
            _add_all(self.training, other.training)
        if other.ranged:
            self.ranged = True
        add = EXACT.add
        exact = self.exact
        for key, amount in other.exact.items():
            exact[key] = add(exact[key], amount) if key in exact else amount
        high = self.high
        for key, amount in other.high.items():
            high[key] = add(high[key], amount) if key in high else amount
        self.parts.append(other)
        dated = other.dated
        if dated is not None:
            self.dated = dated if self.dated is None else add(self.dated, dated)
        if other.undated:
            _add_all(self.undated, other.undated)
            self.undated_commitments += other.undated_commitments
        if other.qualified:
            for kind, count in other.qualified.items():
                self.qualified[kind] = self.qualified.get(kind, 0) + count

    def years(self) -> dict[int, Decimal]:
        """The disclosed amounts with a period spread over its calendar years by days
        (:func:`calc.years.spread_amount`), summed by year; worked out once."""
        if self.by_year is None:
            years: dict[int, Decimal] = {}
            for amount, start, end in self.spreads:
                for year, piece in spread_amount(amount, start, end):
                    _add_to(years, year, piece)
            for merged in self.parts:
                _add_all(years, merged.years())
            self.by_year = years
        return self.by_year


def _add_to(sums: dict[_K, Decimal], key: _K, amount: Decimal) -> None:
    """``sums[key] += amount``, exactly."""
    sums[key] = EXACT.add(sums[key], amount) if key in sums else amount


def _add_all(sums: dict[_K, Decimal], other: Mapping[_K, Decimal]) -> None:
    """Every ``sums[key] += amount`` of `other`, exactly."""
    add = EXACT.add
    for key, amount in other.items():
        sums[key] = add(sums[key], amount) if key in sums else amount


_K = TypeVar("_K")


class _Package:
    """The commitments of one package, their sums, and those its rows' per-worker figures use."""

    __slots__ = ("items", "sums", "total", "workers", "training", "training_years")

    def __init__(self, items: list[ConvertedCommitment], sums: _Sums, currency: str) -> None:
        self.items = items
        self.sums = sums
        self.total = _money(sums.exact, sums.only, currency)
        self.workers = sums.workers or None
        self.training = _money(sums.training, sums.training_only, currency)
        spans = [y for i in items if (y := i.commitment.training_years)]
        self.training_years = max(spans) if spans else None

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
    comes largest disclosed total first, rows with nothing disclosed last, then by key. The
    rows' calendar years are worked out when first read.
    """
    packages, currency = _packages(converted)
    countries = _by(packages, lambda c: c.country)
    country_sums = {code: _merged(group) for code, group in countries.items()}
    # The whole report's sums, from its countries' (exact: the same sums in another order).
    whole = _merged_sums(list(country_sums.values()))
    everything = _row(Figures, _figures(packages.values(), None, currency, whole), whole)
    grand = everything.total
    by_package = []
    for package_key, p in packages.items():
        first = p.first
        earliest = p.earliest if len(p.items) > 1 else first
        figures = _figures((p,), grand, currency, p.sums)
        figures.update(
            id=package_key, label=first.package, company=first.company, country=first.country,
            announced=earliest.announced, announced_text=earliest.announced_text,
        )  # fmt: skip
        by_package.append(_row(PackageRow, figures, p.sums, grand))
    by_country = []
    for code, group in countries.items():
        figures = _figures(group, grand, currency, country_sums[code])
        figures.update(country=code, **country(code))
        by_country.append(_row(CountryRow, figures, country_sums[code], grand))
    by_company = []
    for company, group in _by(packages, lambda c: c.company).items():
        sums = _merged(group)
        figures = _figures(group, grand, currency, sums)
        figures.update(company=company, countries=tuple(sorted({p.first.country for p in group})))
        by_company.append(_row(CompanyRow, figures, sums, grand))
    return grand, everything, _sorted(by_country), _sorted(by_company), _sorted(by_package)


def _row(cls: type[R], figures: dict[str, Any], sums: _Sums, grand: Money | None = None) -> R:
    """A row of `cls` with `figures` (every field but ``share`` and ``years``): its share of
    `grand` and its years (from `sums`) are worked out when first read (:data:`_FIGURES_LATER`)."""
    row: Any = object.__new__(cls)
    setter = object.__setattr__
    for name, value in figures.items():
        setter(row, name, value)
    setter(row, "_later", (sums, grand))
    return row  # type: ignore[no-any-return]


def _share(row: Figures, state: tuple[_Sums, Money | None]) -> Decimal | None:
    """A row's total over the grand total; None when either is undisclosed."""
    total, grand = row.total, state[1]
    return total / grand if total is not None and grand is not None and grand.amount else None


def _years(row: Figures, state: tuple[_Sums, Money | None]) -> Profile:
    """A row's calendar-year profile, from its sums."""
    return _profile(state[0].years(), "" if row.total is None else row.total.currency)


#: What a row works out when first read.
_FIGURES_LATER: dict[str, Callable[[Any, Any], object]] = {"share": _share, "years": _years}


def _packages(converted: Iterable[ConvertedCommitment]) -> tuple[dict[str, _Package], str]:
    """The packages by id, in the order their first commitment comes, and the currency of
    the conversions ('' if none is disclosed)."""
    grouped: dict[str, list[ConvertedCommitment]] = {}
    currency = ""
    for item in converted:
        c = item.commitment
        key = f"{c.company}/{c.country}/{c.package or c.announced_text}"  # package_id(c)
        found = grouped.get(key)
        if found is None:
            grouped[key] = [item]
        else:
            found.append(item)
        if not currency and item.conversion is not None:
            currency = item.conversion.result.currency
    packages = {}
    for key, items in grouped.items():
        sums = _Sums()
        for item in items:
            sums.add(item)
        packages[key] = _Package(items, sums, currency)
    return packages, currency


def _by(
    packages: Mapping[str, _Package], key: Callable[[Commitment], str]
) -> dict[str, list[_Package]]:
    grouped: dict[str, list[_Package]] = {}
    for package in packages.values():
        grouped.setdefault(key(package.first), []).append(package)
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


def _exact_total(amounts: Sequence[Money], currency: str) -> Money | None:
    """:func:`_sum` of many amounts of `currency`, added as Decimals (the same sum)."""
    if len(amounts) == 1:
        return amounts[0]
    total: Decimal | None = None
    for amount in amounts:
        total = amount.amount if total is None else EXACT.add(total, amount.amount)
    return None if total is None else Money(total, currency)


def _per(amount: Money | None, workers: int) -> Money | None:
    return amount / workers if amount is not None and workers else None


def _profile(amounts: Mapping[int, Decimal], currency: str) -> Profile:
    return tuple((year, Money(amounts[year], currency)) for year in sorted(amounts))


def _merged(packages: Sequence[_Package]) -> _Sums:
    """The packages' sums added up (the one package's, if there is one)."""
    return _merged_sums([p.sums for p in packages])


def _merged_sums(parts: Sequence[_Sums]) -> _Sums:
    """`parts` added up (the one part itself, if there is one)."""
    if len(parts) == 1:
        return parts[0]
    sums = _Sums()
    merge = sums.merge
    for part in parts:
        if part.disclosed:
            merge(part)
        else:  # only counted: nothing else to add
            sums.commitments += part.commitments
            sums.workers += part.workers
    return sums


def _figures(
    packages: Iterable[_Package], grand: Money | None, currency: str, sums: _Sums
) -> dict[str, Any]:
    """The :class:`Figures` of a row made of `packages`, whose sums are `sums`, as keyword
    arguments (all but ``share`` and ``years``, which :func:`_row` works out when first read)."""
    total = _money(sums.exact, sums.only, currency)
    # Workers belong to their package: only packages that name workers and disclose an amount.
    named: list[Money] = []
    named_workers = 0
    trained: list[tuple[Money, int, Decimal | None]] = []
    trained_workers = 0
    for p in packages:
        workers = p.workers
        if workers:
            if p.total is not None:
                named.append(p.total)
                named_workers += workers
            if p.training is not None:
                trained.append((p.training, workers, p.training_years))
                trained_workers += workers
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
        "workers": sums.workers or None,
        "per_worker_trained": _per(_exact_total(named, currency), named_workers),
        "per_worker_workers": named_workers or None,
        "training_spend": _money(sums.training, sums.training_only, currency),
        "training_per_worker": _per(
            _exact_total([s for s, _w, _y in trained], currency), trained_workers
        ),
        "training_per_worker_per_year": per_year,
        "dated_total": None if sums.dated is None else Money(sums.dated, currency),
        "undated": _profile(sums.undated, currency) if sums.undated else (),
        "undated_commitments": sums.undated_commitments,
        "high_total": _money(sums.high, None, currency) if sums.ranged else None,
        "qualified": tuple(sorted(sums.qualified.items())) if sums.qualified else (),
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


Figures.LATER = _FIGURES_LATER  # (and so its subclasses')
