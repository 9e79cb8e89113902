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
from operator import attrgetter
from typing import Any, ClassVar, TypeVar

from rates.value import Value, opened

from .commitments import Commitment
from .converter import Conversion, exact_total, total_of
from .decimals import EXACT, quotient
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

    @classmethod
    def made(
        cls,
        commitment: Commitment,
        conversion: Conversion | None,
        partial: bool = False,
        high: Conversion | None = None,
    ) -> ConvertedCommitment:
        """``ConvertedCommitment(commitment, conversion, partial, high)`` made at once (a
        report makes one for each commitment; the record's ``__init__`` takes any call)."""
        made: Any = _OpenConverted.__new__(_OpenConverted)
        made.commitment = commitment
        made.conversion = conversion
        made.partial = partial
        made.high = high
        made.__class__ = ConvertedCommitment  # frozen from now on
        return made  # type: ignore[no-any-return]


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
    """What a row's figures are made of, summed exactly as its packages are added: exact
    results as numerators by denominator (:attr:`~calc.converter.Conversion.exact`), amounts
    by calendar year as Decimals, and the package totals its per-worker figures divide. A
    country's or a company's are its packages' added up (:meth:`add_package`).

    The calendar years are worked out only when asked for (:meth:`years`): a report without
    them does not spread 100,000 amounts over their periods."""

    __slots__ = (
        "commitments", "disclosed", "exact", "only", "trainings", "training", "training_only",
        "ranged", "high", "workers", "spreads", "parts", "by_year", "dated", "undated",
        "undated_commitments", "qualified", "named", "named_workers", "trained",
        "trained_workers", "per_year", "per_year_all",
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
        #: The amounts with a period, to spread, and the parts added in (:meth:`years`).
        self.spreads: list[tuple[Decimal, _dt.date, _dt.date]] = []
        self.parts: list[_Sums | _Package] = []
        self.by_year: dict[int, Decimal] | None = None
        self.dated: Decimal | None = None
        self.undated: dict[int, Decimal] = {}
        self.undated_commitments = 0
        self.qualified: dict[str, int] = {}
        #: The per-worker figures' sums: the totals of the packages that name workers and
        #: disclose an amount, and their workers; the same of the training amounts, and of
        #: those over their training years (while every such package gives them).
        self.named: Decimal | None = None
        self.named_workers = 0
        self.trained: Decimal | None = None
        self.trained_workers = 0
        self.per_year: Decimal | None = None
        self.per_year_all = True

    def add(self, item: ConvertedCommitment) -> None:
        """One commitment of a package: counted, and its conversion (if disclosed) added in."""
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
            kind = _kind(c)
            self.qualified[kind] = self.qualified.get(kind, 0) + 1
        period = c.period
        amount = result.amount
        if period is None:
            self.undated_commitments += 1
            _add_to(self.undated, c.announced.year, amount)
            return
        self.dated = amount if self.dated is None else EXACT.add(self.dated, amount)
        self.spreads.append((amount, *period))

    def add_package(self, package: _Package) -> None:
        """A package's figures added in (into its country's, its company's)."""
        sums = package.sums
        if sums is not None:
            self.merge(sums)
            return
        # A package of one commitment: its figures are the commitment's.
        self.commitments += 1
        workers = package.workers
        if workers:
            self.workers += workers
        result = package.total
        if result is None:
            return
        add = EXACT.add
        self.disclosed += 1
        self.only = result if self.disclosed == 1 else None
        numerator, denominator = package.exact
        exact = self.exact
        found = exact.get(denominator)
        exact[denominator] = numerator if found is None else add(found, numerator)
        training = package.training
        if training is not None:
            self.trainings += 1
            _add_to(self.training, denominator, numerator)
            self.training_only = training if self.trainings == 1 else None
        high_exact = package.high_exact
        if high_exact is not None:
            self.ranged = True
            numerator, denominator = high_exact
        high = self.high
        found = high.get(denominator)
        high[denominator] = numerator if found is None else add(found, numerator)
        kind = package.kind
        if kind is not None:
            self.qualified[kind] = self.qualified.get(kind, 0) + 1
        amount = result.amount
        if package.period is None:
            self.undated_commitments += 1
            _add_to(self.undated, package.first.announced.year, amount)
        else:
            dated = self.dated
            self.dated = amount if dated is None else add(dated, amount)
            self.parts.append(package)
        if workers:
            self.count_workers(package)

    def count_workers(self, package: _Package) -> None:
        """The package's total, training amount and workers, for the per-worker figures (a
        package that names workers)."""
        workers = package.workers
        total = package.total
        add = EXACT.add
        if total is not None and workers:
            named = self.named
            self.named = total.amount if named is None else add(named, total.amount)
            self.named_workers += workers
        training = package.training
        if training is not None and workers:
            trained = self.trained
            self.trained = training.amount if trained is None else add(trained, training.amount)
            self.trained_workers += workers
            part = package.per_year
            if part is None:
                self.per_year_all = False
            else:
                per_year = self.per_year
                self.per_year = part if per_year is None else add(per_year, part)

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
        _add_all(self.exact, other.exact)
        _add_all(self.high, other.high)
        self.parts.append(other)
        add = EXACT.add
        dated = other.dated
        if dated is not None:
            self.dated = dated if self.dated is None else add(self.dated, dated)
        if other.undated:
            _add_all(self.undated, other.undated)
            self.undated_commitments += other.undated_commitments
        if other.qualified:
            for kind, count in other.qualified.items():
                self.qualified[kind] = self.qualified.get(kind, 0) + count
        for name in ("named", "trained", "per_year"):
            theirs = getattr(other, name)
            if theirs is not None:
                mine = getattr(self, name)
                setattr(self, name, theirs if mine is None else add(mine, theirs))
        self.named_workers += other.named_workers
        self.trained_workers += other.trained_workers
        self.per_year_all = self.per_year_all and other.per_year_all

    def years(self) -> dict[int, Decimal]:
        """The disclosed amounts with a period spread over its calendar years by days
        (:func:`calc.years.spread_amount`), summed by year; worked out once."""
        if self.by_year is None:
            years: dict[int, Decimal] = {}
            for amount, start, end in self.spreads:
                for year, piece in spread_amount(amount, start, end):
                    _add_to(years, year, piece)
            for part in self.parts:
                _add_all(years, part.years())
            self.by_year = years
        return self.by_year


def _add_to(sums: dict[_K, Decimal], key: _K, amount: Decimal) -> None:
    """``sums[key] += amount``, exactly."""
    found = sums.get(key)
    sums[key] = amount if found is None else EXACT.add(found, amount)


def _add_all(sums: dict[_K, Decimal], other: Mapping[_K, Decimal]) -> None:
    """Every ``sums[key] += amount`` of `other`, exactly."""
    add = EXACT.add
    for key, amount in other.items():
        found = sums.get(key)
        sums[key] = amount if found is None else add(found, amount)


_K = TypeVar("_K")


def _kind(c: Commitment) -> str:
    """What kind of worded amount a commitment's is (a range, a bound: :func:`calc.press.kind_of`)."""
    from .press import kind_of

    return kind_of(c.qualifier, c.high is not None)


class _Package:
    """The commitments of one package, and what its rows' figures are made of.

    A package of several commitments adds them up in :attr:`sums`; one of a single commitment
    (most, in a big file) has none: its figures are the commitment's, kept here as they are
    (its exact result, its amount at the high end of a range, its kind of wording, its
    spending period). ``total`` and ``training`` are its disclosed total and training amount;
    ``per_year`` the training amount over its ``training_years``, when it names workers.
    """

    __slots__ = (
        "items", "first", "announced_text", "sums", "total", "workers", "training", "training_years",
        "per_year", "exact", "high_exact", "kind", "period", "by_year",
    )  # fmt: skip
    items: list[ConvertedCommitment]
    first: Commitment
    announced_text: str
    sums: _Sums | None
    total: Money | None
    workers: int | None
    training: Money | None
    training_years: Decimal | None
    per_year: Decimal | None
    exact: tuple[Decimal, Decimal]
    high_exact: tuple[Decimal, Decimal] | None
    kind: str | None
    period: tuple[_dt.date, _dt.date] | None
    by_year: dict[int, Decimal] | None

    def __init__(
        self,
        items: list[ConvertedCommitment],
        announced_text: str,
        currency: str,
        periods: dict[tuple[object, ...], tuple[_dt.date, _dt.date] | None],
    ) -> None:
        self.items = items
        self.announced_text = announced_text
        first = self.first = items[0].commitment
        self.by_year = None
        self.high_exact = None
        self.kind = None
        self.per_year = None
        if len(items) == 1:
            self.sums = None
            item = items[0]
            self.workers = first.workers or None
            self.training_years = first.training_years or None
            conversion = item.conversion
            if conversion is None:
                self.total = self.training = None
                self.period = None
                return
            result = conversion.result
            self.total = result
            training = self.training = result if first.category == "training" else None
            self.exact = conversion.exact
            high = item.high
            if high is not None:
                self.high_exact = high.exact
            if first.qualifier or first.high:
                self.kind = _kind(first)
            # Its spending period, found once for each announcement and length.
            when = (first.announced, first.period_years, first.start, first.end)
            period = periods.get(when, _UNKNOWN)
            if period is _UNKNOWN:
                period = periods[when] = first.period
            self.period = period  # type: ignore[assignment]
        else:
            sums = self.sums = _Sums()
            for item in items:
                sums.add(item)
            self.total = _money(sums.exact, sums.only, currency)
            self.workers = sums.workers or None
            training = self.training = _money(sums.training, sums.training_only, currency)
            spans = [y for i in items if (y := i.commitment.training_years)]
            self.training_years = max(spans) if spans else None
        years = self.training_years
        if training is not None and self.workers and years:
            self.per_year = (training / years).amount
        if self.sums is not None and self.workers:
            self.sums.count_workers(self)

    @property
    def earliest(self) -> Commitment:
        """Its first announcement (a ``package`` label may group several days)."""
        return min((i.commitment for i in self.items), key=lambda c: c.announced)

    def years(self) -> dict[int, Decimal]:
        """Its disclosed amounts with a period spread over their calendar years (see
        :meth:`_Sums.years`); worked out once."""
        if self.sums is not None:
            return self.sums.years()
        if self.by_year is None:
            period = self.period
            total = self.total
            self.by_year = (
                {} if period is None or total is None
                else dict(spread_amount(total.amount, *period))
            )  # fmt: skip
        return self.by_year


def group(
    converted: Iterable[ConvertedCommitment],
    country: Callable[[str], dict[str, Any]],
    packaged: Callable[[tuple[PackageRow, ...]], None] | None = None,
) -> tuple[Money | None, Figures, tuple[CountryRow, ...], tuple[CompanyRow, ...],
           tuple[PackageRow, ...]]:  # fmt: skip
    """The grand total, the whole report's figures, and the rows by country, company, package.

    ``country(code)`` gives a country row's ``name`` and ``local_currency``. Each kind of row
    comes largest disclosed total first, rows with nothing disclosed last, then by key. The
    rows' calendar years are worked out when first read. ``packaged``, if given, is called
    with the package rows as soon as they are made, before the countries' and companies' are
    (the CLI draws a table of them in a second process meanwhile): until then their shares are
    not to be read.
    """
    packages, currency = _packages(converted)
    # The package rows first; their share of the grand total is worked out when first read,
    # once the grand total is known.
    grand_total = _Grand()
    package_rows = _sorted(
        [_package_row(key, p, grand_total, currency) for key, p in packages.items()], "id"
    )
    if packaged is not None:
        packaged(package_rows)
    # Each company's packages for each country added up, in the order of the packages' first
    # commitments; a country's and a company's sums are those added up (each package is added
    # once, not once for its country and again for its company).
    pairs: dict[tuple[str, str], _Sums] = {}
    for p in packages.values():
        first = p.first
        pair = (first.country, first.company)
        sums = pairs.get(pair)
        if sums is None:
            sums = pairs[pair] = _Sums()
        sums.add_package(p)
    by_code: dict[str, list[_Sums]] = {}
    by_name: dict[str, list[_Sums]] = {}
    codes: dict[str, list[str]] = {}
    for (code, name), sums in pairs.items():
        by_code.setdefault(code, []).append(sums)
        by_name.setdefault(name, []).append(sums)
        codes.setdefault(name, []).append(code)
    countries = {code: _merged_sums(parts) for code, parts in by_code.items()}
    companies = {name: _merged_sums(parts) for name, parts in by_name.items()}
    # The whole report's sums, from its countries' (exact: the same sums in another order).
    whole = _merged_sums(list(countries.values()))
    everything = _row(Figures, _figures(whole, currency), whole)
    grand = grand_total.money = everything.total
    by_country = []
    for code, sums in countries.items():
        figures = _figures(sums, currency)
        figures.update(country=code, **country(code))
        by_country.append(_row(CountryRow, figures, sums, grand))
    by_company = []
    for company, sums in companies.items():
        figures = _figures(sums, currency)
        figures.update(company=company, countries=tuple(sorted(codes[company])))
        by_company.append(_row(CompanyRow, figures, sums, grand))
    return (
        grand, everything, _sorted(by_country, "country"), _sorted(by_company, "company"),
        package_rows,
    )  # fmt: skip


class _Grand:
    """The grand total, once it is known (a package row's, for its share)."""

    __slots__ = ("money",)
    money: Money | None


def _row(
    cls: type[R], figures: dict[str, Any], sums: _Sums, grand: Money | _Grand | None = None
) -> R:
    """A row of `cls` with `figures` (every field but ``share`` and ``years``): its share of
    `grand` and its years (from `sums`) are worked out when first read (:data:`_FIGURES_LATER`)."""
    row: Any = object.__new__(cls)
    setter = object.__setattr__
    for name, value in figures.items():
        setter(row, name, value)
    setter(row, "_later", (sums, grand))
    return row  # type: ignore[no-any-return]


def _package_row(key: str, p: _Package, grand: _Grand, currency: str) -> PackageRow:
    """The row of package `p` (id `key`)."""
    first = p.first
    sums = p.sums
    if sums is not None:  # several commitments
        earliest = p.earliest
        figures = _figures(sums, currency)
        figures.update(
            id=key, label=first.package, company=first.company, country=first.country,
            announced=earliest.announced, announced_text=earliest.announced_text,
        )  # fmt: skip
        return _row(PackageRow, figures, sums, grand)
    # One commitment: its figures at once, set as attributes of a row not yet frozen.
    row: Any = _OpenPackageRow.__new__(_OpenPackageRow)  # (frozen once made)
    total = p.total
    workers = row.workers = p.workers
    row.commitments = 1
    row.id = key
    row.label = first.package
    row.company = first.company
    row.country = first.country
    row.announced = first.announced
    row.announced_text = p.announced_text
    row.total = total
    object.__setattr__(row, "_later", (p, grand))
    if total is None:
        row.disclosed = 0
        row.undisclosed = 1
        row.per_worker_trained = row.per_worker_workers = row.training_spend = None
        row.training_per_worker = row.training_per_worker_per_year = None
        row.dated_total = row.high_total = None
        row.undated = row.qualified = ()
        row.undated_commitments = 0
    else:
        row.disclosed = 1
        row.undisclosed = 0
        training = row.training_spend = p.training
        if workers:
            each = row.per_worker_trained = _divided(total.amount, workers, currency)
            row.per_worker_workers = workers
            row.training_per_worker = (
                None if training is None
                else each if training is total  # (a training commitment's: the same quotient)
                else _divided(training.amount, workers, currency)
            )  # fmt: skip
        else:
            row.per_worker_trained = row.per_worker_workers = row.training_per_worker = None
        per_year = p.per_year
        row.training_per_worker_per_year = (
            None if per_year is None else _divided(per_year, workers, currency)
        )
        if p.period is None:
            row.dated_total = None
            row.undated = _profile({first.announced.year: total.amount}, currency)
            row.undated_commitments = 1
        else:
            row.dated_total = total if total.currency == currency else Money(total.amount, currency)
            row.undated = ()
            row.undated_commitments = 0
        high = p.high_exact
        row.high_total = None if high is None else _money({high[1]: high[0]}, None, currency)
        row.qualified = () if p.kind is None else ((p.kind, 1),)
    row.__class__ = PackageRow  # frozen from now on
    return row  # type: ignore[no-any-return]


def _share(row: Figures, state: tuple[_Sums, Money | _Grand | None]) -> Decimal | None:
    """A row's total over the grand total; None when either is undisclosed."""
    total, given = row.total, state[1]
    # (A package row's grand total is known once the rows are all made: before, AttributeError.)
    grand = given.money if isinstance(given, _Grand) else given
    return total / grand if total is not None and grand is not None and grand.amount else None


def _years(row: Figures, state: tuple[_Sums | _Package, Money | None]) -> Profile:
    """A row's calendar-year profile, from its sums."""
    return _profile(state[0].years(), "" if row.total is None else row.total.currency)


#: What a row works out when first read.
_FIGURES_LATER: dict[str, Callable[[Any, Any], object]] = {"share": _share, "years": _years}


def _packages(converted: Iterable[ConvertedCommitment]) -> tuple[dict[str, _Package], str]:
    """The packages by id, in the order their first commitment comes, and the currency of
    the conversions ('' if none is disclosed)."""
    grouped: dict[str, list[ConvertedCommitment]] = {}
    texts: dict[str, str] = {}  # each package's first announcement date as given
    currency = ""
    for item in converted:
        c = item.commitment
        text = c.announced_text
        key = f"{c.company}/{c.country}/{c.package or text}"  # package_id(c)
        found = grouped.get(key)
        if found is None:
            grouped[key] = [item]
            texts[key] = text
        else:
            found.append(item)
        if not currency and item.conversion is not None:
            currency = item.conversion.result.currency
    periods: dict[tuple[object, ...], tuple[_dt.date, _dt.date] | None] = {}
    packages = {
        key: _Package(items, texts[key], currency, periods) for key, items in grouped.items()
    }
    return packages, currency


_UNKNOWN = object()  # (a period not found yet)


def _money(exact: Mapping[Decimal, Decimal], only: Money | None, currency: str) -> Money | None:
    """The exact sum of results given as numerators by denominator, kept as
    :func:`calc.converter.total_of` keeps it (so it rounds as the exact sum does); `only`, the
    one result summed, is that sum already. None when there are none (never zero)."""
    if only is not None:
        return only
    if not exact:
        return None
    return exact_total(exact, currency)


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
    kinds: dict[str, int] = {}
    for i in items:
        c = i.commitment
        if i.conversion is not None and (c.qualifier or c.high):
            kind = _kind(c)
            kinds[kind] = kinds.get(kind, 0) + 1
    return tuple(sorted(kinds.items()))


def _sum(amounts: Iterable[Money]) -> Money | None:
    """The exact sum of `amounts`; None when there are none (undisclosed, never zero)."""
    total: Money | None = None
    for amount in amounts:
        total = amount if total is None else total + amount
    return total


def _divided(amount: Decimal | None, workers: int | None, currency: str) -> Money | None:
    """`amount` over `workers`, as ``Money(amount, currency) / workers`` gives it (None if
    there is no amount or no worker)."""
    if amount is None or not workers:
        return None
    return Money(quotient(amount, _decimal(workers)), currency)


def _decimal(workers: int) -> Decimal:
    """``Decimal(workers)``, made once for each count."""
    found = _COUNTS.get(workers)
    if found is None:
        found = _COUNTS[workers] = Decimal(workers)
    return found


_COUNTS: dict[int, Decimal] = {}


def _profile(amounts: Mapping[int, Decimal], currency: str) -> Profile:
    return tuple((year, Money(amounts[year], currency)) for year in sorted(amounts))


def _merged_sums(parts: Sequence[_Sums]) -> _Sums:
    """`parts` added up (the one part itself, if there is one)."""
    if len(parts) == 1:
        return parts[0]
    sums = _Sums()
    for part in parts:
        sums.merge(part)
    return sums


def _figures(sums: _Sums, currency: str) -> dict[str, Any]:
    """The :class:`Figures` of a row whose sums are `sums`, as keyword arguments (all but
    ``share`` and ``years``, which :func:`_row` works out when first read)."""
    # Workers belong to their package: only packages that name workers and disclose an amount.
    trained = sums.trained
    per_year = sums.per_year if trained is not None and sums.per_year_all else None
    return {
        "commitments": sums.commitments,
        "disclosed": sums.disclosed,
        "undisclosed": sums.commitments - sums.disclosed,
        "total": _money(sums.exact, sums.only, currency),
        "workers": sums.workers or None,
        "per_worker_trained": _divided(sums.named, sums.named_workers, currency),
        "per_worker_workers": sums.named_workers or None,
        "training_spend": _money(sums.training, sums.training_only, currency),
        "training_per_worker": _divided(trained, sums.trained_workers, currency),
        "training_per_worker_per_year": _divided(per_year, sums.trained_workers, currency),
        "dated_total": None if sums.dated is None else Money(sums.dated, currency),
        "undated": _profile(sums.undated, currency) if sums.undated else (),
        "undated_commitments": sums.undated_commitments,
        "high_total": _money(sums.high, None, currency) if sums.ranged else None,
        "qualified": tuple(sorted(sums.qualified.items())) if sums.qualified else (),
    }  # fmt: skip


def _sorted(rows: Iterable[R], key_field: str) -> tuple[R, ...]:
    """Largest disclosed total first; rows with nothing disclosed last; then by key (the
    field `key_field`, which :attr:`Figures.key` is)."""
    disclosed: list[R] = []
    left: list[R] = []
    for row in rows:
        (left if row.total is None else disclosed).append(row)
    key = attrgetter(key_field)
    # By key, then (stably) by total, largest first: the order of (-total, key).
    disclosed.sort(key=key)
    disclosed.sort(key=_AMOUNT, reverse=True)
    left.sort(key=key)
    return (*disclosed, *left)


_AMOUNT = attrgetter("total.amount")


def find(rows: Sequence[R], key: str) -> R:
    """The row of `rows` whose :attr:`~Figures.key` is `key`.

    :raises KeyError: if there is none
    """
    for row in rows:
        if row.key == key:
            return row
    raise KeyError(key)


Figures.LATER = _FIGURES_LATER  # (and so its subclasses')
#: A package row being made by :func:`_package_row`, and a converted commitment by
#: :meth:`ConvertedCommitment.made` (:func:`rates.value.opened`).
_OpenPackageRow = opened(PackageRow)
_OpenConverted = opened(ConvertedCommitment)
