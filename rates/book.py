"""The rate book: ``rate(base, quote, on) -> Rate`` with the fixing used and where it came from.

Rates are ECB euro reference rates: for each TARGET business day, the units of each currency per
1 EUR. A cross rate A->B is EUR->B / EUR->A, computed in Decimal under :data:`RATE_CONTEXT`.
The fixings come from the bundled snapshot (offline, read-only), then from the user cache (days
fetched live later), and, when the book is online, from the live source for days past both
(:mod:`rates.fixings` holds that timeline, :mod:`rates.update` fills it).
User overrides (:class:`Override`) come before all of them and say so.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from . import clock as _clock
from . import misses
from .calendar import missed_fixings
from .ecb import SOURCE_BUNDLED, History, bundled_history
from .errors import InvalidRateError
from .fixings import Fixings
from .rate import (
    RATE_CONTEXT,
    RATE_PRODUCT,
    SOURCE_OVERRIDE,
    SOURCE_SAME,
    Override,
    Overrides,
    Rate,
    check_code,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from types import EllipsisType

    from .cache import RateCache
    from .crosstable import CrossTable
    from .live import LiveSource

__all__ = ["RATE_CONTEXT", "Override", "Rate", "RateBook"]

_ONE = Decimal(1)
_DAY = _dt.timedelta(days=1)
_BUNDLED = (SOURCE_BUNDLED,)


class _Leg:
    """One currency's units per 1 EUR on a date, with where it came from."""

    __slots__ = ("fixing_date", "per_eur", "sources", "stale")

    def __init__(
        self, per_eur: Decimal, day: _dt.date | None, sources: tuple[str, ...], stale: bool = False
    ) -> None:
        self.per_eur, self.fixing_date, self.sources, self.stale = per_eur, day, sources, stale


class RateBook:
    """Daily reference rates, offline first: the bundled ECB history, the user cache, overrides.

    >>> import datetime
    >>> book = RateBook(cache=None)
    >>> r = book.rate("GBP", "USD", datetime.date(2023, 11, 30))
    >>> r.value == Decimal("1.0931") / Decimal("0.86368"), r.fixing_date, r.source
    (True, datetime.date(2023, 11, 30), 'ECB reference rates (bundled)')

    :param cache: path of the SQLite cache; None for no cache; default ``$SPENDCALC_CACHE`` or the
        user cache directory
    :param online: fetch days past the cached fixings from the live source
    :param live: the live source (default: :class:`~rates.live.LiveSource` with its defaults)
    :param max_gap: days a date may lie after the fixing used for it
    :param today: the date taken as today (default: the system date)
    """

    def __init__(
        self,
        *,
        cache: str | os.PathLike[str] | EllipsisType | None = ...,
        online: bool = False,
        live: LiveSource | None = None,
        max_gap: int = 7,
        today: _dt.date | None = None,
        history: History | None = None,
    ) -> None:
        self._cache_arg = cache
        self._cache: RateCache | None = None
        self.online = online
        self._live = live
        if not isinstance(max_gap, int) or max_gap < 0:
            raise InvalidRateError(f"max_gap must be a whole number of days >= 0, not {max_gap!r}.")
        self.max_gap = max_gap
        self._today = today
        self._today_text: str | None = None
        self._asked_latest = False
        self._overrides = Overrides()
        self._fixings = Fixings(
            history if history is not None else bundled_history(), self._cached_days, self.today
        )

    @property
    def cache(self) -> RateCache | None:
        """The :class:`~rates.cache.RateCache` in use, or None (made on first use)."""
        if self._cache is None and self._cache_arg is not None:
            from .cache import RateCache, default_cache_path

            path = default_cache_path() if self._cache_arg is ... else self._cache_arg
            self._cache = RateCache(path)
        return self._cache

    def _cached_days(self) -> Mapping[str, tuple[Mapping[str, str], str]]:
        return self.cache.days() if self.cache is not None else {}

    @property
    def fixings(self) -> Fixings:
        """The timeline of fixings this book reads: the snapshot's, then the cached days."""
        return self._fixings

    def today(self) -> _dt.date:
        """The date taken as today."""
        return self._today or _clock.today()

    # -- public queries --------------------------------------------------------------------

    @property
    def currencies(self) -> tuple[str, ...]:
        """Every currency with at least one fixing, EUR included, sorted."""
        return tuple(sorted({*self._fixings.currencies, "EUR", *self._overrides.currencies}))

    @property
    def snapshot_description(self) -> str:
        """What the bundled snapshot is and where it was made from."""
        return self._fixings.snapshot.description or "ECB euro foreign exchange reference rates"

    @property
    def snapshot_path(self) -> str:
        """The bundled snapshot file (package data)."""
        from .ecb import snapshot_path

        return snapshot_path()

    def quoted_on(self, day: _dt.date) -> list[str]:
        """The currencies (EUR aside) with a fixing on ``day`` itself, sorted; [] if none."""
        fixings = self._fixings
        index = fixings.index_on_or_before(day)
        if index < 0 or fixings.date_text(index) != day.isoformat():
            return []
        return sorted(c for c in fixings.currencies if fixings.value(c, index) is not None)

    @property
    def last_fixing(self) -> _dt.date:
        """The last fixing date known without going online."""
        return self._fixings.date(len(self._fixings) - 1)

    @property
    def first_fixing(self) -> _dt.date:
        """The first fixing date: 1999-01-04 for the ECB history."""
        return self._fixings.date(0)

    def coverage(self, currency: str) -> tuple[_dt.date, _dt.date]:
        """The first and last fixing date that quote ``currency``.

        :raises UnsupportedCurrencyError: if no fixing quotes it
        """
        code = check_code(currency)
        if code == "EUR":
            return self.first_fixing, self.last_fixing
        span = self._fixings.coverage(code)
        if span is None:
            raise misses.unsupported(code)
        return span

    def with_overrides(
        self, overrides: Iterable[Override | str] | Mapping[str, object]
    ) -> RateBook:
        """A copy of this book that uses the given rates first, with source "override".

        ``overrides`` may be :class:`Override` values, strings such as ``"TWD=34.7"`` or
        ``"USD/TWD=32.1"``, or a mapping ``{"TWD": "34.7", "USD/TWD": "32.1"}``.

        :raises InvalidRateError: for a rate that is not a positive number
        """
        import copy  # only for overrides: copy imports weakref (start-up time)

        merged = self._overrides.merged(overrides)
        new = copy.copy(self)
        vars(new).update(_overrides=merged)  # a copy of this class: its own private state
        return new

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The overrides this book uses."""
        return tuple(self._overrides)

    def rate(self, base: str, quote: str, on: _dt.date | None = None) -> Rate:
        """The rate 1 ``base`` = value ``quote`` on ``on`` (None: the latest fixing).

        :raises UnsupportedCurrencyError: for a currency the ECB does not quote (give an override)
        :raises RateNotFoundError: for a date with no fixing near enough, named in the message
        :raises StaleRatesError: offline, for a date past the last fixing by more than ``max_gap``
        :raises RateSourceError: online, if the live source fails
        """
        if type(on) is _dt.date and not self._overrides:
            quick = self._bundled_rate(base, quote, on)
            if quick is not None:
                return quick
        base, quote = check_code(base), check_code(quote)
        if (on is not None and not isinstance(on, _dt.date)) or isinstance(on, _dt.datetime):
            raise InvalidRateError(f"The date {on!r} must be a datetime.date.")
        if base == quote:
            if on is not None:
                self._check_day(on, f"{base}->{quote}")
            return Rate(base, quote, _ONE, on, on or self.last_fixing, (SOURCE_SAME,))
        day = on if on is not None else self._latest_day()
        direct = self._overrides.direct(base, quote, day)
        if direct is not None:
            value = RATE_CONTEXT.divide(*direct)
            return Rate(base, quote, value, on, day, (SOURCE_OVERRIDE,), ratio=direct)
        legs = [self._leg(code, day, asked=on, pair=(base, quote)) for code in (base, quote)]
        ratio = (legs[1].per_eur, legs[0].per_eur)
        value = RATE_CONTEXT.divide(*ratio)
        dates = [leg.fixing_date for leg in legs if leg.fixing_date is not None]
        sources = tuple(dict.fromkeys(source for leg in legs for source in leg.sources))
        fixing = max(dates) if dates else day
        # "The latest" that is older than max_gap is stale too: say so, as for a dated lookup.
        old_latest = on is None and missed_fixings(fixing, self.today() - _DAY)
        stale = any(leg.stale for leg in legs) or old_latest
        return Rate(base, quote, value, on, fixing, sources, stale=stale, ratio=ratio)

    def _bundled_rate(self, base: str, quote: str, on: _dt.date) -> Rate | None:
        """The common case, quickly: two ECB currencies on a date inside the snapshot.

        Returns None for anything else (other currencies or spellings, dates outside the
        snapshot or too far from a fixing, a currency not quoted that day); :meth:`rate` then
        takes the full path, which gives the same value or the error that says why.
        """
        fixings = self._fixings
        history = fixings.snapshot
        if base == quote or not (history.quotes(base) or base == "EUR"):
            return None
        if not (history.quotes(quote) or quote == "EUR"):
            return None
        iso = on.isoformat()
        if not (history.first_date <= iso <= fixings.snapshot_last) or iso > self._today_iso():
            return None
        fields = history.fields_on_or_before(iso)
        if fields is None:
            return None
        fixing = _dt.date.fromisoformat(fields[0])
        if (on - fixing).days > self.max_gap:
            return None
        base_value = _ONE if base == "EUR" else history.value_in(fields, base)
        quote_value = _ONE if quote == "EUR" else history.value_in(fields, quote)
        if base_value is None or quote_value is None:
            return None
        value = RATE_CONTEXT.divide(quote_value, base_value)
        return Rate(base, quote, value, on, fixing, _BUNDLED, ratio=(quote_value, base_value))

    def cross_table(self, quote: str) -> CrossTable:
        """Every bundled fixing's rate into ``quote``, by currency and calendar day: the batch
        path's lookups (see :class:`~rates.CrossTable`)."""
        from .crosstable import CrossTable

        return CrossTable(self, check_code(quote))

    def _today_iso(self) -> str:
        if self._today is not None:
            return self._today.isoformat()
        if self._today_text is None:
            self._today_text = _clock.today().isoformat()
        return self._today_text

    def series(self, base: str, quote: str, start: _dt.date, end: _dt.date) -> list[Rate]:
        """One rate per fixing date from ``start`` to ``end`` on which both currencies are quoted.

        :raises RateNotFoundError: if there is no such fixing in the period
        """
        from . import periods  # only for a period (start-up time: it imports typing)

        return periods.series(self, self._overrides, base, quote, start, end)

    def average(self, base: str, quote: str, start: _dt.date, end: _dt.date) -> Rate:
        """The average of the daily ``base``->``quote`` fixings from ``start`` to ``end``.

        The period is cut to the fixings that exist; the Rate's ``period`` says which were
        averaged, its description names the count, and it is stale if TARGET business days of
        the period up to today have no fixing known (see :func:`rates.periods.average`).

        :raises RateNotFoundError: if no fixing in the period quotes both currencies
        """
        from . import periods  # only for a period (start-up time: it imports typing)

        return periods.average(self, self._overrides, base, quote, start, end)

    # -- one currency on one date ------------------------------------------------------------

    def _latest_day(self) -> _dt.date:
        if self.online:
            self._fetch_live(None)
        return self.last_fixing

    def _leg(
        self,
        code: str,
        day: _dt.date,
        *,
        asked: _dt.date | None,
        pair: tuple[str, str],
        through: tuple[str, ...] = (),
    ) -> _Leg:
        override = self._overrides.for_day(code, day)
        if override is None:
            return _Leg(_ONE, None, ()) if code == "EUR" else self._fixing_leg(code, day, pair)
        if override.per in (*through, code):
            chain = "/".join((*through, code, override.per))
            raise InvalidRateError(
                f"The rates given for {chain} define each other in a circle; give {code} "
                f"against EUR or an ECB currency instead (e.g. --rate USD/{code}=...)."
            )
        if override.per == "EUR":
            return _Leg(override.value, None, (SOURCE_OVERRIDE,))
        per = self._leg(override.per, day, asked=asked, pair=pair, through=(*through, code))
        per_eur = RATE_PRODUCT.multiply(per.per_eur, override.value)
        return _Leg(per_eur, per.fixing_date, (*per.sources, SOURCE_OVERRIDE), per.stale)

    def _fixing_leg(self, code: str, day: _dt.date, pair: tuple[str, str]) -> _Leg:
        """``code`` per 1 EUR from the fixing ``day`` uses (fetched first, online)."""
        label = f"{pair[0]}->{pair[1]}"
        self._check_day(day, label)
        fixings = self._fixings
        stale = False
        if day.isoformat() > fixings.snapshot_last and day > self.last_fixing:
            if self.online:
                self._fetch_live(day)
            if day > self.last_fixing:
                if (day - self.last_fixing).days > self.max_gap:
                    raise misses.stale(day, label, self.last_fixing)
                stale = missed_fixings(self.last_fixing, day)
        index = fixings.index_on_or_before(day)
        fixing = fixings.date(index) if index >= 0 else None
        if fixing is None or ((day - fixing).days > self.max_gap and not stale):
            raise misses.no_fixing_near(fixings, day, index, label, self.max_gap)
        value = fixings.value(code, index)
        if value is None:
            raise misses.not_quoted(fixings, code, day, index, label)
        return _Leg(value, fixing, (fixings.source(index),), stale)

    def _check_day(self, day: _dt.date, label: str) -> None:
        error = misses.outside(day, label, self.today(), lambda: self.last_fixing)
        if error is not None:
            raise error

    # -- going online ----------------------------------------------------------------------

    def live_source(self) -> LiveSource:
        """The live source this book uses (made on first use)."""
        if self._live is None:
            from .live import LiveSource

            self._live = LiveSource()
        return self._live

    def _fetch_live(self, day: _dt.date | None) -> None:
        """Fetch one day (None: the latest) and keep it: in the cache, or in memory if it can't be."""
        from .update import fetch_live

        self._asked_latest = fetch_live(self, day, asked_latest=self._asked_latest)

    def update(
        self,
        until: _dt.date | None = None,
        progress: Callable[[_dt.date, int, int], None] | None = None,
    ) -> int:
        """Fetch every TARGET business day after the last known fixing up to ``until`` into the
        cache; return the number of days added (see :func:`rates.update.update`).

        ``progress`` is called as ``progress(day, done, total)`` after each day.
        """
        from .update import update

        return update(self, until, progress)
