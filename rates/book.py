"""The rate book: ``rate(base, quote, on) -> Rate`` with the fixing used and where it came from.

Rates are ECB euro reference rates: for each TARGET business day, the units of each currency per
1 EUR. A cross rate A->B is EUR->B / EUR->A, computed in Decimal under :data:`RATE_CONTEXT`.
The fixings come from the bundled snapshot (offline, read-only), then from the user cache (days
fetched live later), and, when the book is online, from the live source for days past both.
User overrides (:class:`Override`) come before all of them and say so.
"""

from __future__ import annotations

import copy
import datetime as _dt
import os
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Context, Decimal
from functools import reduce
from itertools import repeat

from . import calendar as _calendar
from . import clock as _clock
from .ecb import FIRST_ECB_FIXING, SOURCE_BUNDLED, History, bundled_history
from .errors import (
    CacheError,
    InvalidRateError,
    RateError,
    RateNotFoundError,
    RateSourceError,
    RateWarning,
    StaleRatesError,
    UnsupportedCurrencyError,
    UpdateInterruptedError,
)

#: Precision and rounding of every rate computed here (cross rates, inverses, averages).
RATE_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
SOURCE_OVERRIDE = "override"
#: The range a user's rate must lie in (no currency pair comes within many powers of ten of it).
_SMALLEST_RATE, _LARGEST_RATE = Decimal("1e-30"), Decimal("1e30")
SOURCE_SAME = "same currency"
#: Marks "the same currency" in a CrossTable layout (a distinct object, compared with ``is``).
SAME = Decimal(1)
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Rate:
    """1 ``base`` = ``value`` ``quote``, and where that figure came from.

    :ivar on: the date asked for (None: the latest fixing)
    :ivar fixing_date: the fixing actually used (for an average, the last one averaged)
    :ivar source: e.g. "ECB reference rates (bundled)", "forex-python live", "override"
    :ivar stale: the date lies after the last fixing known offline, which was used instead
    :ivar fixings: how many daily fixings the value stands for (more than 1 for an average)
    :ivar period: for an average, the first and last fixing averaged
    """

    base: str
    quote: str
    value: Decimal
    on: _dt.date | None
    fixing_date: _dt.date
    source: str
    stale: bool = False
    fixings: int = 1
    period: tuple[_dt.date, _dt.date] | None = None

    def __str__(self) -> str:
        text = (
            f"1 {self.base} = {self.value} {self.quote} (fixing {self.fixing_date}, {self.source})"
        )
        if self.stale:
            text += f" [stale: asked for {self.on}, newer fixings not available offline]"
        return text

    @property
    def note(self) -> str:
        """A sentence on how the fixing relates to the date asked for ('' when it is that date)."""
        if self.period is not None:
            return f"average of {self.fixings} daily fixings, {self.period[0]} to {self.period[1]}"
        if self.on is None or self.on == self.fixing_date:
            return ""
        if self.stale:
            return f"{self.on} is after the last fixing available offline; used {self.fixing_date}"
        return f"no fixing on {self.on} ({self.on:%A}); used {self.fixing_date}"

    def inverse(self) -> Rate:
        """The same rate seen the other way round: 1 ``quote`` = 1/``value`` ``base``."""
        return replace(
            self, base=self.quote, quote=self.base, value=RATE_CONTEXT.divide(_ONE, self.value)
        )


@dataclass(frozen=True, slots=True)
class Override:
    """A rate given by the user: 1 ``per`` = ``value`` ``currency``, on one date or on all dates.

    >>> import datetime
    >>> Override.parse("TWD=34.7")
    Override(currency='TWD', value=Decimal('34.7'), per='EUR', on=None)
    >>> Override.parse("USD/TWD=32.1", on=datetime.date(2024, 1, 19)).per
    'USD'
    """

    currency: str
    value: Decimal
    per: str = "EUR"
    on: _dt.date | None = None

    def __post_init__(self) -> None:
        for code in (self.currency, self.per):
            if not (isinstance(code, str) and len(code) == 3 and code.isalpha() and code.isupper()):
                raise InvalidRateError(
                    f"{code!r} is not a currency code; write it as three capitals, e.g. 'TWD'."
                )
        if self.currency == self.per:
            raise InvalidRateError(
                f"A rate of {self.currency} against itself is always 1; give another currency."
            )
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value <= 0:
            shown = self.value if isinstance(self.value, Decimal) else repr(self.value)
            raise InvalidRateError(
                f"The rate {self.per}/{self.currency}={shown} must be a positive number: give "
                f"units of {self.currency} per 1 {self.per}, e.g. {self.currency}=34.7."
            )
        if not _SMALLEST_RATE <= self.value <= _LARGEST_RATE:
            raise InvalidRateError(
                f"The rate {self.per}/{self.currency}={self.value} is out of range: a rate lies "
                f"between 1e-30 and 1e30 units of {self.currency} per 1 {self.per}."
            )

    @classmethod
    def parse(cls, text: str, on: _dt.date | None = None) -> Override:
        """Read ``CUR=VALUE`` (VALUE units of CUR per 1 EUR) or ``BASE/CUR=VALUE`` (per 1 BASE).

        :raises InvalidRateError: for anything else, with the form to use
        """
        pair, sep, number = str(text).partition("=")
        base, slash, code = pair.strip().upper().rpartition("/")
        hint = "write it as CUR=VALUE (units per 1 EUR) or BASE/CUR=VALUE, e.g. TWD=34.7 or USD/TWD=32.1"
        if not sep or not code or (slash and not base):
            raise InvalidRateError(f"The rate {text!r} is not of the form CUR=VALUE; {hint}.")
        try:
            value = Decimal(number.strip().replace("_", ""))
        except ArithmeticError:
            raise InvalidRateError(f"The rate {text!r} does not end in a number; {hint}.") from None
        return cls(code.strip(), value, base.strip() or "EUR", on)


@dataclass(frozen=True, slots=True)
class _Leg:
    """One currency's units per 1 EUR on a date, with where it came from."""

    per_eur: Decimal
    fixing_date: _dt.date | None
    sources: tuple[str, ...]
    stale: bool = False


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
        cache: str | os.PathLike[str] | object | None = ...,
        online: bool = False,
        live: object | None = None,
        max_gap: int = 7,
        today: _dt.date | None = None,
        history: History | None = None,
    ) -> None:
        self._cache_arg = cache
        self._cache = None
        self.online = online
        self._live = live
        if not isinstance(max_gap, int) or max_gap < 0:
            raise InvalidRateError(f"max_gap must be a whole number of days >= 0, not {max_gap!r}.")
        self.max_gap = max_gap
        self._today = today
        self._history = history if history is not None else bundled_history()
        self._snapshot_last = self._history.last_date
        self._today_text: str | None = None
        self._asked_latest = False
        self._overrides: dict[str, tuple[Override, ...]] = {}
        self._leg_cache: dict[tuple[str, str], Decimal | None] = {}
        self._extra_state: tuple[list[str], list[tuple[dict[str, str], str]]] | None = None

    @property
    def cache(self):  # type: ignore[no-untyped-def]
        """The :class:`~rates.cache.RateCache` in use, or None (made on first use)."""
        if self._cache is None and self._cache_arg is not None:
            from .cache import RateCache, default_cache_path

            path = default_cache_path() if self._cache_arg is ... else self._cache_arg
            self._cache = RateCache(path)  # type: ignore[arg-type]
        return self._cache

    # -- the fixings: snapshot rows, then days from the cache ------------------------------

    def _load_extra_days(self) -> None:
        """(Re)read the cached days after the snapshot; done lazily, only when a lookup needs them.

        A date on or before the snapshot's last fixing never needs the cache: cached days all
        come after it.
        """
        last = self._snapshot_last
        days = self.cache.days() if self.cache is not None else {}
        later = sorted(day for day in days if day > last)
        self._extra_state = (later, [days[day] for day in later])
        self._leg_cache.clear()

    @property
    def _extra_dates(self) -> list[str]:
        if self._extra_state is None:
            self._load_extra_days()
        return self._extra_state[0]  # type: ignore[index]

    @property
    def _extra(self) -> list[tuple[dict[str, str], str]]:
        if self._extra_state is None:
            self._load_extra_days()
        return self._extra_state[1]  # type: ignore[index]

    def _count(self) -> int:
        return len(self._history) + len(self._extra_dates)

    def _date_iso(self, index: int) -> str:
        n = len(self._history)
        return self._history.date_text(index) if index < n else self._extra_dates[index - n]

    def _date(self, index: int) -> _dt.date:
        return _dt.date.fromisoformat(self._date_iso(index))

    def _source(self, index: int) -> str:
        n = len(self._history)
        return SOURCE_BUNDLED if index < n else self._extra[index - n][1]

    def _index_on_or_before(self, day: _dt.date) -> int:
        iso = day.isoformat()
        if iso > self._snapshot_last and self._extra_dates and iso >= self._extra_dates[0]:
            from bisect import bisect_right

            return len(self._history) + bisect_right(self._extra_dates, iso) - 1
        return self._history.index_on_or_before(iso)

    def _value(self, currency: str, index: int) -> Decimal | None:
        key = (currency, self._date_iso(index))
        if key not in self._leg_cache:
            n = len(self._history)
            if index < n:
                value = (
                    self._history.value(currency, index) if self._history.quotes(currency) else None
                )
            else:
                text = self._extra[index - n][0].get(currency)
                value = Decimal(text) if text else None
            self._leg_cache[key] = value
        return self._leg_cache[key]

    def _last_index(self) -> int:
        return self._count() - 1

    def today(self) -> _dt.date:
        """The date taken as today."""
        return self._today or _clock.today()

    # -- public queries --------------------------------------------------------------------

    @property
    def currencies(self) -> tuple[str, ...]:
        """Every currency with at least one fixing, EUR included, sorted."""
        codes = set(self._history.currencies)
        for per_eur, _source in self._extra:
            codes.update(per_eur)
        codes.add("EUR")
        codes.update(self._overrides)
        return tuple(sorted(codes))

    @property
    def snapshot_description(self) -> str:
        """What the bundled snapshot is and where it was made from."""
        return self._history.description or "ECB euro foreign exchange reference rates"

    @property
    def snapshot_path(self) -> str:
        """The bundled snapshot file (package data)."""
        from .ecb import snapshot_path

        return snapshot_path()

    def quoted_on(self, day: _dt.date) -> list[str]:
        """The currencies (EUR aside) with a fixing on ``day`` itself, sorted; [] if none."""
        iso = day.isoformat()
        index = self._index_on_or_before(day)
        if index < 0 or self._date_iso(index) != iso:
            return []
        codes = set(self._history.currencies)
        for per_eur, _source in self._extra:
            codes.update(per_eur)
        return sorted(c for c in codes if self._value(c, index) is not None)

    @property
    def last_fixing(self) -> _dt.date:
        """The last fixing date known without going online."""
        return self._date(self._last_index())

    @property
    def first_fixing(self) -> _dt.date:
        """The first fixing date: 1999-01-04 for the ECB history."""
        return self._date(0)

    def coverage(self, currency: str) -> tuple[_dt.date, _dt.date]:
        """The first and last fixing date that quote ``currency``.

        :raises UnsupportedCurrencyError: if no fixing quotes it
        """
        code = _code(currency)
        if code == "EUR":
            return self.first_fixing, self.last_fixing
        span = self._history.coverage(code) if self._history.quotes(code) else None
        extra = [
            _dt.date.fromisoformat(day)
            for day, (per_eur, _s) in zip(self._extra_dates, self._extra, strict=True)
            if per_eur.get(code)
        ]
        first = span[0] if span else (extra[0] if extra else None)
        last = extra[-1] if extra else (span[1] if span else None)
        if first is None or last is None:
            raise self._unsupported(code)
        return first, last

    def with_overrides(
        self, overrides: Iterable[Override | str] | Mapping[str, object]
    ) -> RateBook:
        """A copy of this book that uses the given rates first, with source "override".

        ``overrides`` may be :class:`Override` values, strings such as ``"TWD=34.7"`` or
        ``"USD/TWD=32.1"``, or a mapping ``{"TWD": "34.7", "USD/TWD": "32.1"}``.

        :raises InvalidRateError: for a rate that is not a positive number
        """
        if isinstance(overrides, Mapping):
            items = [Override.parse(f"{k}={v}") for k, v in overrides.items()]
        else:
            items = [o if isinstance(o, Override) else Override.parse(o) for o in overrides]
        new = copy.copy(self)
        merged = dict(self._overrides)
        for item in items:
            merged[item.currency] = (*merged.get(item.currency, ()), item)
        new._overrides = merged
        return new

    @property
    def overrides(self) -> tuple[Override, ...]:
        """The overrides this book uses."""
        return tuple(o for group in self._overrides.values() for o in group)

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
        base, quote = _code(base), _code(quote)
        if (on is not None and not isinstance(on, _dt.date)) or isinstance(on, _dt.datetime):
            raise InvalidRateError(f"The date {on!r} must be a datetime.date.")
        if base == quote:
            if on is not None:
                self._check_day(on, f"{base}->{quote}")
            return Rate(base, quote, _ONE, on, on or self.last_fixing, SOURCE_SAME)
        day = on if on is not None else self._latest_day()
        direct = self._direct_override(base, quote, day)
        if direct is not None:
            return Rate(base, quote, direct, on, day, SOURCE_OVERRIDE)
        legs = [self._leg(code, day, asked=on, pair=(base, quote)) for code in (base, quote)]
        value = RATE_CONTEXT.divide(legs[1].per_eur, legs[0].per_eur)
        dates = [leg.fixing_date for leg in legs if leg.fixing_date is not None]
        sources = dict.fromkeys(source for leg in legs for source in leg.sources)
        fixing = max(dates) if dates else day
        # "The latest" that is older than max_gap is stale too: say so, as for a dated lookup.
        old_latest = on is None and (self.today() - fixing).days > self.max_gap
        return Rate(
            base,
            quote,
            value,
            on,
            fixing,
            " + ".join(sources),
            stale=any(leg.stale for leg in legs) or old_latest,
        )

    def _bundled_rate(self, base: str, quote: str, on: _dt.date) -> Rate | None:
        """The common case, quickly: two ECB currencies on a date inside the snapshot.

        Returns None for anything else (other currencies or spellings, dates outside the
        snapshot or too far from a fixing, a currency not quoted that day); :meth:`rate` then
        takes the full path, which gives the same value or the error that says why.
        """
        history = self._history
        if base == quote or not (history.quotes(base) or base == "EUR"):
            return None
        if not (history.quotes(quote) or quote == "EUR"):
            return None
        iso = on.isoformat()
        if not (history.first_date <= iso <= self._snapshot_last) or iso > self._today_iso():
            return None
        index = history.index_on_or_before(iso)
        fixing = _dt.date.fromisoformat(history.date_text(index))
        if (on - fixing).days > self.max_gap:
            return None
        base_value = _ONE if base == "EUR" else self._value(base, index)
        quote_value = _ONE if quote == "EUR" else self._value(quote, index)
        if base_value is None or quote_value is None:
            return None
        value = RATE_CONTEXT.divide(quote_value, base_value)
        return Rate(base, quote, value, on, fixing, SOURCE_BUNDLED)

    def cross_table(self, quote: str) -> CrossTable:
        """Every bundled fixing's rate into ``quote``, by currency and calendar day: the batch
        path's lookups (see :class:`CrossTable`)."""
        return CrossTable(self, _code(quote))

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
        base, quote = _code(base), _code(quote)
        if end < start:
            raise InvalidRateError(f"The period {start} to {end} ends before it starts.")
        earliest = max(start, FIRST_ECB_FIXING, self.first_fixing)
        first = max(self._index_on_or_before(earliest - _dt.timedelta(days=1)) + 1, 0)
        last = self._index_on_or_before(min(end, self.last_fixing))
        rates: list[Rate] = []
        plain = [c for c in (base, quote) if c != "EUR" and self._override_for(c, end) is None]
        for index in range(first, last + 1):
            if any(self._value(code, index) is None for code in plain):
                continue  # not quoted that day: skipped without building an error for it
            day = self._date(index)
            try:
                rates.append(self.rate(base, quote, day))
            except UnsupportedCurrencyError:
                raise
            except RateNotFoundError:
                continue
        if not rates:
            spans = []
            for code in plain:
                try:
                    first_day, last_day = self.coverage(code)
                except UnsupportedCurrencyError:
                    raise self._unsupported(code) from None
                spans.append(f"{code} has fixings from {first_day} to {last_day}")
            known = "; ".join(spans) or (
                f"the fixings known offline run from {self.first_fixing} to {self.last_fixing}"
            )
            raise RateNotFoundError(f"No {base}->{quote} fixings from {start} to {end}: {known}.")
        return rates

    def average(self, base: str, quote: str, start: _dt.date, end: _dt.date) -> Rate:
        """The average of the daily ``base``->``quote`` fixings from ``start`` to ``end``.

        The period is cut to the fixings that exist (a period reaching past the last fixing
        averages those there are, and the Rate is marked stale). The source names the count.

        :raises RateNotFoundError: if no fixing in the period quotes both currencies
        """
        daily = self.series(base, quote, start, end)
        total = reduce(RATE_CONTEXT.add, (r.value for r in daily), Decimal(0))
        value = RATE_CONTEXT.divide(total, Decimal(len(daily)))
        sources = " + ".join(dict.fromkeys(r.source for r in daily))
        period = (daily[0].fixing_date, daily[-1].fixing_date)
        return Rate(
            _code(base),
            _code(quote),
            value,
            None,
            period[1],
            f"{sources}, average of {len(daily)} daily fixings {period[0]} to {period[1]}",
            stale=end > self.last_fixing,
            fixings=len(daily),
            period=period,
        )

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
        override = self._override_for(code, day)
        if override is not None:
            if override.per in (*through, code):
                chain = "/".join((*through, code, override.per))
                raise InvalidRateError(
                    f"The rates given for {chain} define each other in a circle; give {code} "
                    f"against EUR or an ECB currency instead (e.g. --rate USD/{code}=...)."
                )
            per = (
                self._leg(override.per, day, asked=asked, pair=pair, through=(*through, code))
                if override.per != "EUR"
                else None
            )
            per_eur = (
                override.value
                if per is None
                else RATE_CONTEXT.multiply(per.per_eur, override.value)
            )
            if per is None:
                return _Leg(per_eur, None, (SOURCE_OVERRIDE,))
            return _Leg(per_eur, per.fixing_date, (*per.sources, SOURCE_OVERRIDE), per.stale)
        if code == "EUR":
            return _Leg(_ONE, None, ())
        label = f"{pair[0]}->{pair[1]}"
        self._check_day(day, label)
        stale = False
        if day.isoformat() > self._snapshot_last and day > self.last_fixing:
            if self.online:
                self._fetch_live(day)
            if day > self.last_fixing:
                gap = (day - self.last_fixing).days
                if gap > self.max_gap:
                    raise StaleRatesError(
                        f"No {label} rate on {day}: the rates known offline end on "
                        f"{self.last_fixing}, {gap} days earlier; run `spendcalc rates update` "
                        "or go online (--online)."
                    )
                stale = True
        index = self._index_on_or_before(day)
        if index < 0:
            raise RateNotFoundError(
                f"No {label} rate on {day}: the rates start on {self.first_fixing}."
            )
        fixing = self._date(index)
        if (day - fixing).days > self.max_gap and not stale:
            after = self._date(index + 1) if index + 1 < self._count() else None
            raise RateNotFoundError(
                f"No {label} rate on {day}: the nearest fixings are {fixing} and {after}, "
                f"more than {self.max_gap} days apart."
            )
        value = self._value(code, index)
        if value is None:
            raise self._not_quoted(code, day, index, label)
        return _Leg(value, fixing, (self._source(index),), stale)

    def _direct_override(self, base: str, quote: str, day: _dt.date) -> Decimal | None:
        """The user's own rate for exactly this pair (either way round), if there is one."""
        for code, per, invert in ((quote, base, False), (base, quote, True)):
            override = self._override_for(code, day)
            if override is not None and override.per == per:
                return RATE_CONTEXT.divide(_ONE, override.value) if invert else override.value
        return None

    def _override_for(self, code: str, day: _dt.date) -> Override | None:
        group = self._overrides.get(code)
        if not group:
            return None
        dated = [o for o in group if o.on == day]
        undated = [o for o in group if o.on is None]
        return (dated or undated or [None])[-1]

    def _check_day(self, day: _dt.date, label: str) -> None:
        if day < FIRST_ECB_FIXING:
            raise RateNotFoundError(
                f"No {label} rate on {day}: ECB reference rates start on {FIRST_ECB_FIXING}."
            )
        today = self.today()
        if day > today:
            raise RateNotFoundError(
                f"No {label} rate on {day}: that date is in the future (today is {today}); "
                f"the last fixing known is {self.last_fixing}."
            )

    def _not_quoted(self, code: str, day: _dt.date, index: int, label: str) -> RateError:
        if not self._quoted_anywhere(code):
            return self._unsupported(code)
        before = next((i for i in range(index, -1, -1) if self._value(code, i) is not None), None)
        after = next(
            (i for i in range(index + 1, self._count()) if self._value(code, i) is not None), None
        )
        if before is None and after is not None:
            return RateNotFoundError(
                f"No {label} rate on {day}: the ECB's first {code} fixing is {self._date(after)}."
            )
        if after is None and before is not None:
            return RateNotFoundError(
                f"No {label} rate on {day}: the ECB stopped quoting {code} after "
                f"{self._date(before)}, its last fixing; give a rate with --rate {code}=... if you have one."
            )
        assert before is not None and after is not None
        return RateNotFoundError(
            f"No {label} rate on {day}: the ECB did not quote {code} between "
            f"{self._date(before)} and {self._date(after)}, the nearest fixings."
        )

    def _quoted_anywhere(self, code: str) -> bool:
        if self._history.quotes(code) and self._history.coverage_indices(code) is not None:
            return True
        return any(per_eur.get(code) for per_eur, _source in self._extra)

    def _unsupported(self, code: str) -> UnsupportedCurrencyError:
        if _is_iso_currency(code):
            return UnsupportedCurrencyError(
                code,
                f"{code} is not among the ECB reference currencies; give a rate yourself, "
                f"e.g. --rate {code}=VALUE (units per 1 EUR) or --rate USD/{code}=VALUE.",
            )
        return UnsupportedCurrencyError(code, f"{code!r} is not an ISO 4217 currency code.")

    # -- going online ----------------------------------------------------------------------

    def live_source(self):  # type: ignore[no-untyped-def]
        """The live source this book uses (made on first use)."""
        if self._live is None:
            from .live import LiveSource

            self._live = LiveSource()
        return self._live

    def _store(self, fetched) -> None:  # type: ignore[no-untyped-def]
        if self.cache is None:
            raise CacheError("This rate book has no cache to store fetched days in (cache=None).")
        self.cache.store_day(fetched.day, fetched.per_eur, fetched.source)

    def _fetch_live(self, day: _dt.date | None) -> None:
        """Fetch one day (None: the latest) and keep it: in the cache, or in memory if it can't be."""
        if day is not None:
            day = _calendar.previous_business_day(min(day, self.today()))
            if day <= self.last_fixing:
                return
            if day == self.today():  # published in the afternoon: ask for the latest instead
                day = None
        if day is None:
            if self._asked_latest:
                return  # once per book: the latest does not change within a run
            self._asked_latest = True
        fetched = self.live_source().fetch_day(day)
        if fetched.day <= self.last_fixing:
            return
        try:
            self._store(fetched)
        except CacheError as exc:
            warnings.warn(
                f"{exc} The fetched rates are used for this run only.", RateWarning, stacklevel=4
            )
        row = ({k: str(v) for k, v in fetched.per_eur.items()}, fetched.source)
        self._extra_state = ([*self._extra_dates, fetched.day.isoformat()], [*self._extra, row])

    def update(
        self,
        until: _dt.date | None = None,
        progress: Callable[[_dt.date, int, int], None] | None = None,
    ) -> int:
        """Fetch every TARGET business day after the last known fixing up to ``until``.

        Each day is stored in one transaction; a second run adds nothing. ``progress`` is called
        as ``progress(day, done, total)`` after each day.

        :returns: the number of days added
        :raises UpdateInterruptedError: if the live source fails part-way; the days stored stay
        :raises CacheError: if there is no cache or it cannot be written
        """
        if self.cache is None:
            raise CacheError("There is no cache to update (cache=None); give a cache path.")
        today = self.today()
        until = min(until or today, today)
        self._load_extra_days()
        days = list(_calendar.business_days(self.last_fixing, until))
        live = self.live_source()
        added = 0
        for done, day in enumerate(days, start=1):
            try:
                fetched = live.fetch_day(None if day == today else day)
            except RateSourceError as exc:
                last = self.last_fixing
                raise UpdateInterruptedError(
                    f"Update stopped at {day} after adding {added} day{'s' if added != 1 else ''} "
                    f"(rates now end on {last}): {exc} Run the update again to go on.",
                    added=added,
                    last_stored=last,
                ) from exc
            if day == today and fetched.day != day:
                if fetched.day == self.last_fixing:
                    break  # today's fixing is not published yet: the latest is the last we have
                raise UpdateInterruptedError(
                    f"Update stopped at {day} after adding {added} day{'s' if added != 1 else ''} "
                    f"(rates now end on {self.last_fixing}): The live source {live.url!r} sent "
                    f"the rates of {fetched.day} when asked for the latest day ({day}), neither "
                    "today's fixing nor the last one stored. Run the update again to go on.",
                    added=added,
                    last_stored=self.last_fixing,
                )
            if self.cache.store_day(fetched.day, fetched.per_eur, fetched.source):
                added += 1
            self._load_extra_days()
            if progress is not None:
                progress(day, done, len(days))
        return added


class CrossTable:
    """Rates into one currency for many (day, currency) lookups: columns computed once.

    Made by :meth:`RateBook.cross_table`; :attr:`SAME` marks "the same currency" in a layout.

    For each currency, the cross rate on every bundled fixing (EUR->quote / EUR->currency, the
    same Decimal division :meth:`RateBook.rate` does), and for each calendar day the fixing it
    uses. A lookup that is not two ECB currencies on a day inside the snapshot, or a book with
    overrides, goes to :meth:`RateBook.rate`, so answers (and errors) are always the book's.
    """

    SAME = SAME

    def __init__(self, book: RateBook, quote: str) -> None:
        self.book, self.quote = book, quote
        history = book._history
        self.simple = not book._overrides and (history.quotes(quote) or quote == "EUR")
        until = min(book._today_iso(), book._snapshot_last)
        self.index_of_day: dict[_dt.date, int] = (
            history.calendar(book.max_gap, until=until) if self.simple else {}
        )
        self.fixing_dates: list[_dt.date] = (
            [_dt.date.fromisoformat(d) for d in history.dates] if self.simple else []
        )
        self._columns: dict[str, list[Decimal | None] | None] = {}
        self._per_eur_columns: dict[str, list[Decimal | None]] = {}
        self._complete: dict[str, bool] = {}  # quoted on every fixing (no None in its column)
        self._texts: dict[str, list[str | None]] = {}
        self._gaps: dict[str, list[int]] = {}
        self._layouts: dict[tuple[frozenset[str], bool], tuple] = {}  # type: ignore[type-arg]

    @property
    def fixing_texts(self) -> list[str]:
        """The fixing dates as ``YYYY-MM-DD`` text."""
        return self.book._history.dates

    def layout(self, codes: set[str], *, texts: bool = False):  # type: ignore[no-untyped-def]
        """The columns of ``codes`` laid end to end, for lookups by ``offset[code] + index``.

        Returns ``(flat, flat_text, offsets, special)``: each column followed by a None (the
        index ``len(fixing_dates)`` means "no fixing"); the quote's own column is the marker
        :data:`SAME` (the same currency); ``special`` holds the positions the book must answer
        itself. Made once per set of currencies and kept.
        """
        key = (frozenset(codes), texts)
        if key not in self._layouts:
            self._prefetch(codes)
            none = len(self.fixing_dates)
            flat: list[Decimal | None] = []
            flat_text: list[str | None] = []
            offsets: dict[str, int] = {}
            special: set[int] = set()
            for code in sorted(codes):
                offsets[code] = start = len(flat)
                if code == self.quote:
                    flat.extend(repeat(SAME, none))
                    special.update(range(start, start + none + 1))
                else:
                    column = self.column(code)
                    flat.extend(column if column is not None else repeat(None, none))
                    special.update(start + i for i in self.gaps(code))
                flat.append(None)
                if texts:
                    flat_text.extend(
                        self.column_text(code) if code != self.quote else repeat("1", none)
                    )
                    flat_text.append(None)
            self._layouts[key] = (flat, flat_text, offsets, special)
        return self._layouts[key]

    def _prefetch(self, codes: set[str]) -> None:
        """Read the per-EUR columns of every code not read yet, in one pass over the rows."""
        history = self.book._history
        missing = [
            c for c in (*codes, self.quote)
            if c != "EUR" and history.quotes(c) and c not in self._per_eur_columns
            and c not in self._columns
        ]  # fmt: skip
        for code, texts in history.columns(missing).items():
            self._complete[code] = "" not in texts
            self._per_eur_columns[code] = (
                list(map(Decimal, texts)) if self._complete[code]
                else [Decimal(v) if v else None for v in texts]
            )  # fmt: skip

    def gaps(self, base: str) -> list[int]:
        """The indices where :meth:`column` has no rate, and the index after the last fixing
        (which stands for "no fixing"): the lookups the book must answer itself."""
        if base not in self._gaps:
            column = self.column(base)
            count = len(self.fixing_dates)
            self._gaps[base] = (
                list(range(count + 1)) if column is None
                else [i for i, v in enumerate(column) if v is None] + [count]
            )  # fmt: skip
        return self._gaps[base]

    def column_text(self, base: str) -> list[str | None]:
        """:meth:`column` as text (each value's ``str``), made once per currency."""
        if base not in self._texts:
            column = self.column(base)
            self._texts[base] = (
                [None] * len(self.fixing_dates) if column is None
                else [None if v is None else str(v) for v in column]
            )  # fmt: skip
        return self._texts[base]

    def column(self, base: str) -> list[Decimal | None] | None:
        """``base``->quote on every bundled fixing (None where either is not quoted), or None
        when the fast path does not apply to ``base``."""
        if base not in self._columns:
            history = self.book._history
            if not self.simple or base == self.quote or not (history.quotes(base) or base == "EUR"):
                self._columns[base] = None
            else:
                per_eur, target = self._per_eur(base), self._per_eur(self.quote)
                divide = RATE_CONTEXT.divide
                if self._complete[base] and self._complete[self.quote]:
                    self._columns[base] = list(map(divide, target, per_eur))
                else:
                    self._columns[base] = [
                        divide(q, b) if q is not None and b is not None else None
                        for q, b in zip(target, per_eur, strict=True)
                    ]
                if base != "EUR":  # only the quote's column is needed again: keep memory down
                    del self._per_eur_columns[base]
        return self._columns[base]

    def _per_eur(self, code: str) -> list[Decimal | None]:
        if code not in self._per_eur_columns:
            history = self.book._history
            texts = None if code == "EUR" else history.column(code)
            self._complete[code] = texts is None or "" not in texts
            self._per_eur_columns[code] = (
                [_ONE] * len(history) if texts is None
                else list(map(Decimal, texts)) if self._complete[code]
                else [Decimal(v) if v else None for v in texts]
            )  # fmt: skip
        return self._per_eur_columns[code]

    def rate(self, day: _dt.date, base: str) -> Rate:
        """The book's rate ``base``->quote on ``day``, from the columns where they apply."""
        index = self.index_of_day.get(day) if type(day) is _dt.date else None
        column = self.column(base) if index is not None else None
        value = column[index] if column is not None and index is not None else None
        if value is None or index is None:
            return self.book.rate(base, self.quote, day)
        return Rate(base, self.quote, value, day, self.fixing_dates[index], SOURCE_BUNDLED)


def _parse_day(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise InvalidRateError(f"The date {text!r} is not a date; write YYYY-MM-DD.") from None


def _code(currency: object) -> str:
    """A currency code in capitals; anything else is refused."""
    if not isinstance(currency, str):
        raise InvalidRateError(
            f"The currency {currency!r} must be a three-letter code such as 'USD'."
        )
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha() or not code.isascii():
        raise UnsupportedCurrencyError(
            str(currency),
            f"{currency!r} is not a currency code; write three letters such as 'USD'.",
        )
    return code


def _is_iso_currency(code: str) -> bool:
    try:
        from babel.numbers import list_currencies

        return code in list_currencies()
    except Exception:
        return True
