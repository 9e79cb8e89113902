"""Filling days after the last fixing from the live source: one day for a lookup, or all of them.

:func:`fetch_live` fetches the one day a lookup needs (online books) and keeps it: in the cache,
or for the run only if the cache cannot take it. :func:`update` fetches every TARGET business day
after the last known fixing, each stored in its own transaction, so an interrupted update keeps
what it stored and a second run adds nothing.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Callable, Mapping
from decimal import Decimal

from . import calendar as _calendar
from .errors import CacheError, RateSourceError, RateWarning, UpdateInterruptedError
from .gate import check_day
from .urls import shown_url

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from .book import RateBook
    from .live import LiveDay


def fetch_live(book: RateBook, day: _dt.date | None, *, asked_latest: bool) -> bool:
    """Fetch ``day`` (None: the latest) for ``book`` if it lies past the fixings it knows.

    The latest is asked for once per book (``asked_latest`` says whether it was): it does not
    change within a run. Returns whether the latest has been asked for now.

    :raises RateSourceError: if the live source fails
    """
    if day is not None:
        day = _calendar.previous_business_day(min(day, book.today()))
        if day <= book.last_fixing:
            return asked_latest
        if day == book.today():  # published in the afternoon: ask for the latest instead
            day = None
    if day is None:
        if asked_latest:
            return True
        asked_latest = True
    if day is None:
        fetched = book.live_source().fetch_day(None)
        if fetched.day > book.last_fixing:
            _keep(book, [_gated(book, fetched, None, book.fixings.last_day())])
        return asked_latest
    # Every business day from the last fixing to the one asked for, or none: no holes.
    previous = book.fixings.last_day()
    kept = []
    for missing in _calendar.business_days(book.last_fixing, day):
        fetched = _gated(book, book.live_source().fetch_day(missing), missing, previous)
        kept.append(fetched)
        previous = (fetched.day, fetched.per_eur)
    _keep(book, kept)
    return asked_latest


def _gated(
    book: RateBook,
    fetched: LiveDay,
    asked: _dt.date | None,
    previous: tuple[_dt.date, Mapping[str, Decimal]],
) -> LiveDay:
    """`fetched` if it passes the gate (see :mod:`rates.gate`), else FixingRefusedError."""
    check_day(
        fetched.day,
        fetched.per_eur,
        previous=previous,
        today=book.today(),
        asked=asked,
        latest_after=None if asked is not None else book.last_fixing,
    )
    return fetched


def _keep(book: RateBook, days: list[LiveDay]) -> None:
    """Store fetched days in the cache, or keep them in memory for this run if they cannot be."""
    try:
        if book.cache is None:
            raise CacheError("This rate book has no cache to store fetched days in (cache=None).")
        for fetched in days:
            book.cache.store_day(fetched.day, fetched.per_eur, fetched.source)
    except CacheError as exc:
        warnings.warn(
            f"{exc} The fetched rates are used for this run only.", RateWarning, stacklevel=6
        )
    for fetched in days:
        if fetched.day > book.last_fixing:
            book.fixings.add(fetched.day, fetched.per_eur, fetched.source)


def update(
    book: RateBook,
    until: _dt.date | None = None,
    progress: Callable[[_dt.date, int, int], None] | None = None,
) -> int:
    """Fetch every TARGET business day after ``book``'s last fixing up to ``until`` into its cache.

    :returns: the number of days added
    :raises UpdateInterruptedError: if the live source fails part-way; the days stored stay
    :raises CacheError: if there is no cache or it cannot be written
    """
    cache = book.cache
    if cache is None:
        raise CacheError("There is no cache to update (cache=None); give a cache path.")
    cache.open_for_writing()
    today = book.today()
    until = min(until or today, today)
    book.fixings.reload()
    days = _missing_days(book, until)
    live = book.live_source()
    added = 0
    for done, day in enumerate(days, start=1):
        latest = day == today
        try:
            fetched = live.fetch_day(None if latest else day)
            if not (latest and fetched.day <= book.last_fixing):  # those are answered below
                _gated(book, fetched, None if latest else day, _day_before(book, fetched.day))
        except RateSourceError as exc:
            raise _interrupted(book, day, added, f"{exc}") from exc
        if day == today and fetched.day != day:
            if fetched.day == book.last_fixing:
                break  # today's fixing is not published yet: the latest is the last we have
            raise _interrupted(
                book,
                day,
                added,
                f"The live source {shown_url(live.url)!r} sent the rates of {fetched.day} when asked for "
                f"the latest day ({day}), neither today's fixing nor the last one stored.",
            )
        if cache.store_day(fetched.day, fetched.per_eur, fetched.source):
            added += 1
        book.fixings.reload()
        if progress is not None:
            progress(day, done, len(days))
    return added


def _missing_days(book: RateBook, until: _dt.date) -> list[_dt.date]:
    """The business days after the snapshot up to `until` that the timeline lacks: those after
    its last fixing, and any gap between cached days (a cache from before gaps were refused)."""
    fixings = book.fixings
    have = set(fixings.cached_days)
    after = _dt.date.fromisoformat(fixings.snapshot_last)
    return [d for d in _calendar.business_days(after, until) if d.isoformat() not in have]


def _day_before(book: RateBook, day: _dt.date) -> tuple[_dt.date, Mapping[str, Decimal]]:
    """The fixing day before `day` in the timeline, and its values."""
    fixings = book.fixings
    index = fixings.index_on_or_before(day - _dt.timedelta(days=1))
    values = {c: fixings.value(c, index) for c in fixings.currencies}
    return fixings.date(index), {c: v for c, v in values.items() if v is not None}


def _interrupted(book: RateBook, day: _dt.date, added: int, reason: str) -> UpdateInterruptedError:
    last = book.last_fixing
    return UpdateInterruptedError(
        f"Update stopped at {day} after adding {added} day{'s' if added != 1 else ''} "
        f"(rates now end on {last}): {reason} Run the update again to go on.",
        added=added,
        last_stored=last,
    )
