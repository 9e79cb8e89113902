"""Filling days after the last fixing from the live source: one day for a lookup, or all of them.

:func:`fetch_live` fetches the one day a lookup needs (online books) and keeps it: in the cache,
or for the run only if the cache cannot take it. :func:`update` fetches every TARGET business day
after the last known fixing, each stored in its own transaction, so an interrupted update keeps
what it stored and a second run adds nothing.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from collections.abc import Callable

from . import calendar as _calendar
from .errors import CacheError, RateSourceError, RateWarning, UpdateInterruptedError

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
    fetched = book.live_source().fetch_day(day)
    if fetched.day > book.last_fixing:
        _keep(book, fetched)
    return asked_latest


def _keep(book: RateBook, fetched: LiveDay) -> None:
    """Store a fetched day in the cache, or keep it in memory for this run if it cannot be."""
    try:
        if book.cache is None:
            raise CacheError("This rate book has no cache to store fetched days in (cache=None).")
        book.cache.store_day(fetched.day, fetched.per_eur, fetched.source)
    except CacheError as exc:
        warnings.warn(
            f"{exc} The fetched rates are used for this run only.", RateWarning, stacklevel=6
        )
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
    today = book.today()
    until = min(until or today, today)
    book.fixings.reload()
    days = list(_calendar.business_days(book.last_fixing, until))
    live = book.live_source()
    added = 0
    for done, day in enumerate(days, start=1):
        try:
            fetched = live.fetch_day(None if day == today else day)
        except RateSourceError as exc:
            raise _interrupted(book, day, added, f"{exc}") from exc
        if day == today and fetched.day != day:
            if fetched.day == book.last_fixing:
                break  # today's fixing is not published yet: the latest is the last we have
            raise _interrupted(
                book,
                day,
                added,
                f"The live source {live.url!r} sent the rates of {fetched.day} when asked for "
                f"the latest day ({day}), neither today's fixing nor the last one stored.",
            )
        if cache.store_day(fetched.day, fetched.per_eur, fetched.source):
            added += 1
        book.fixings.reload()
        if progress is not None:
            progress(day, done, len(days))
    return added


def _interrupted(book: RateBook, day: _dt.date, added: int, reason: str) -> UpdateInterruptedError:
    last = book.last_fixing
    return UpdateInterruptedError(
        f"Update stopped at {day} after adding {added} day{'s' if added != 1 else ''} "
        f"(rates now end on {last}): {reason} Run the update again to go on.",
        added=added,
        last_stored=last,
    )
