"""The timeline of fixings: the bundled snapshot's rows, then the days cached after it.

A fixing is one TARGET business day's units of each currency per 1 EUR and where they came
from. :class:`Fixings` numbers them from 0 (the snapshot's first row) to ``len - 1`` (the last
cached day) and answers by index: its date, its source, a currency's value. The cached days are
read only when a question needs them: a date inside the snapshot never opens the cache.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from .ecb import SOURCE_BUNDLED, History
from .errors import RateWarning

#: Every cached day: ``{'2026-11-02': ({'USD': '1.1172', ...}, source), ...}``.
CachedDays = Mapping[str, tuple[Mapping[str, str], str]]


class Fixings:
    """The snapshot's fixings followed by the cached days after its last one.

    >>> from rates.ecb import parse_history
    >>> snapshot = parse_history("Date,USD\\n2023-11-29,1.0982\\n2023-11-30,1.0931\\n")
    >>> timeline = Fixings(snapshot, lambda: {"2023-12-01": ({"USD": "1.0883"}, "forex-python live")})
    >>> len(timeline), timeline.date(2), timeline.source(2), timeline.value("USD", 2)
    (3, datetime.date(2023, 12, 1), 'forex-python live', Decimal('1.0883'))

    :param snapshot: the bundled history
    :param load: reads the cached days (None: there is no cache)
    """

    __slots__ = (
        "_days",
        "_load",
        "_rows",
        "_today",
        "_values",
        "_warned",
        "refused",
        "snapshot",
        "snapshot_last",
    )

    def __init__(
        self,
        snapshot: History,
        load: Callable[[], CachedDays] | None = None,
        today: Callable[[], _dt.date] | None = None,
    ) -> None:
        self.snapshot = snapshot
        #: The snapshot's last fixing date as ``YYYY-MM-DD``.
        self.snapshot_last = snapshot.last_date
        self._load = load
        self._today = today
        self._days: list[str] | None = None  # the cached days after the snapshot, ascending
        self._rows: list[tuple[Mapping[str, str], str]] = []
        self._values: dict[tuple[str, str], Decimal | None] = {}
        #: The cached days the gate refused when they were read back, with why.
        self.refused: list[tuple[str, tuple[str, ...]]] = []
        self._warned: set[str] = set()

    # -- the cached days -------------------------------------------------------------------

    def reload(self) -> None:
        """(Re)read the cached days after the snapshot (cached days all come after it).

        Each day passes :mod:`rates.gate` against the day before it; a day that fails is not
        used, and one warning names it (``spendcalc rates check --repair`` removes it).
        """
        days = self._load() if self._load is not None else {}
        later = sorted(day for day in days if day > self.snapshot_last)
        today = self._today() if self._today is not None else _dt.date.max
        previous = self.snapshot_day()
        self._days, self._rows, self.refused = [], [], []
        for day in later:
            per_eur, source = days[day]
            problems = _read_back_problems(day, per_eur, previous, today)
            if problems:
                self.refused.append((day, tuple(problems)))
                continue
            self._days.append(day)
            self._rows.append((per_eur, source))
            previous = (_dt.date.fromisoformat(day), {c: Decimal(v) for c, v in per_eur.items()})
        self._values.clear()
        for day, why in self.refused:
            message = (
                f"The cached fixings of {day} are not used: {'; '.join(why[:5])}"
                f"{f' and {len(why) - 5} more problems' if len(why) > 5 else ''}; "
                "`spendcalc rates check --repair` removes them."
            )
            if message not in self._warned:
                self._warned.add(message)
                warnings.warn(message, RateWarning, stacklevel=4)

    def snapshot_day(self) -> tuple[_dt.date, dict[str, Decimal]]:
        """The snapshot's last fixing: its date and every currency's value."""
        last = len(self.snapshot) - 1
        values = {c: self.snapshot.value(c, last) for c in self.snapshot.currencies}
        return self.snapshot.day(last), {c: v for c, v in values.items() if v is not None}

    def last_day(self) -> tuple[_dt.date, dict[str, Decimal]]:
        """The last fixing of the timeline: its date and every currency's value."""
        if not self.cached_days:
            return self.snapshot_day()
        per_eur, _source = self._rows[-1]
        return _dt.date.fromisoformat(self._days[-1]), {  # type: ignore[index]
            c: Decimal(v) for c, v in per_eur.items()
        }

    def add(self, day: _dt.date, per_eur: Mapping[str, Decimal], source: str) -> None:
        """Append a day after the last one (fetched, and kept in memory for this run)."""
        self._days = [*self.cached_days, day.isoformat()]
        self._rows = [*self._rows, ({k: str(v) for k, v in per_eur.items()}, source)]

    @property
    def cached_days(self) -> list[str]:
        """The days after the snapshot, ``YYYY-MM-DD``, ascending (read on first use)."""
        if self._days is None:
            self.reload()
        assert self._days is not None
        return self._days

    # -- by index --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.snapshot) + len(self.cached_days)

    def date_text(self, index: int) -> str:
        """The fixing date at ``index`` as ``YYYY-MM-DD``."""
        n = len(self.snapshot)
        return self.snapshot.date_text(index) if index < n else self.cached_days[index - n]

    def date(self, index: int) -> _dt.date:
        """The fixing date at ``index``."""
        return _dt.date.fromisoformat(self.date_text(index))

    def source(self, index: int) -> str:
        """Where the fixing at ``index`` came from."""
        n = len(self.snapshot)
        return SOURCE_BUNDLED if index < n else self._cached(index - n)[1]

    def value(self, currency: str, index: int) -> Decimal | None:
        """Units of ``currency`` per 1 EUR on the fixing at ``index``, or None where not quoted."""
        key = (currency, self.date_text(index))
        if key not in self._values:
            n = len(self.snapshot)
            if index < n:
                found = (
                    self.snapshot.value(currency, index) if self.snapshot.quotes(currency) else None
                )
            else:
                text = self._cached(index - n)[0].get(currency)
                found = Decimal(text) if text else None
            self._values[key] = found
        return self._values[key]

    def index_on_or_before(self, day: _dt.date) -> int:
        """Index of the last fixing on or before ``day``, or -1 if there is none."""
        iso = day.isoformat()
        if iso > self.snapshot_last and self.cached_days and iso >= self.cached_days[0]:
            return len(self.snapshot) + bisect_right(self.cached_days, iso) - 1
        return self.snapshot.index_on_or_before(iso)

    def _cached(self, offset: int) -> tuple[Mapping[str, str], str]:
        return self._cached_rows()[offset]

    # -- by currency -----------------------------------------------------------------------

    @property
    def currencies(self) -> set[str]:
        """Every currency with a column in the snapshot or a value on a cached day (not EUR)."""
        codes = set(self.snapshot.currencies)
        for per_eur, _source in self._cached_rows():
            codes.update(per_eur)
        return codes

    def quotes(self, currency: str) -> bool:
        """Whether some fixing quotes ``currency``."""
        if self.snapshot.quotes(currency) and self.snapshot.coverage_indices(currency) is not None:
            return True
        return any(per_eur.get(currency) for per_eur, _source in self._cached_rows())

    def coverage(self, currency: str) -> tuple[_dt.date, _dt.date] | None:
        """The first and last fixing date that quote ``currency``, or None."""
        span = self.snapshot.coverage(currency) if self.snapshot.quotes(currency) else None
        cached = [
            _dt.date.fromisoformat(day)
            for day, (per_eur, _s) in zip(self.cached_days, self._rows, strict=True)
            if per_eur.get(currency)
        ]
        first = span[0] if span else (cached[0] if cached else None)
        last = cached[-1] if cached else (span[1] if span else None)
        return None if first is None or last is None else (first, last)

    def nearest(self, currency: str, index: int) -> tuple[int | None, int | None]:
        """The fixings that quote ``currency`` nearest ``index``: the last at or before it and
        the first after it (None where there is none)."""
        before = next(
            (i for i in range(index, -1, -1) if self.value(currency, i) is not None), None
        )
        after = next(
            (i for i in range(index + 1, len(self)) if self.value(currency, i) is not None), None
        )
        return before, after

    def _cached_rows(self) -> list[tuple[Mapping[str, str], str]]:
        if self._days is None:
            self.reload()
        return self._rows

    # -- every fixing ----------------------------------------------------------------------

    def __iter__(self) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
        """Each fixing in order: ``(date, source, [(currency, units per EUR as text), ...])``,
        the currencies that fixing quotes (EUR aside); the snapshot's in its column order, a
        cached day's sorted."""
        codes = self.snapshot.currencies
        for row in self.snapshot.rows:
            fields = row.split(",")
            pairs = [(c, v) for c, v in zip(codes, fields[1:], strict=False) if v]
            yield fields[0], SOURCE_BUNDLED, pairs
        for day, (per_eur, source) in zip(self.cached_days, self._rows, strict=True):
            yield day, source, [(code, per_eur[code]) for code in sorted(per_eur)]


def _read_back_problems(
    day: str,
    per_eur: Mapping[str, str],
    previous: tuple[_dt.date, Mapping[str, Decimal]],
    today: _dt.date,
) -> list[str]:
    """What the gate finds wrong with a cached day as stored (its date is text too)."""
    from .gate import day_problems  # only when there are cached days (start-up time)

    try:
        date = _dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        return [f"its date {day!r} is not a date"]
    if len(day) != 10:
        return [f"its date {day!r} is not written YYYY-MM-DD"]
    return day_problems(date, per_eur, previous=previous, today=today)
