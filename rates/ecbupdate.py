"""Updating the cache from the ECB's own history file, and checking what the cache holds.

:func:`update_from_ecb` fetches ``eurofxref-hist.zip`` once (:mod:`rates.ecbfile`), reads it with
the snapshot's parser, passes every day after the book's last fixing through the gate
(:mod:`rates.gate`), and stores them only if all pass: a file with one bad row adds nothing, and
the error names the row. Before the day's publication (about 16:00 CET) the file simply ends at
the previous business day: the update adds what there is and ends.

:func:`check_cache` lists the cached days the gate refuses; ``repair=True`` removes those, and
only those.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal

from .ecb import parse_history
from .ecbfile import base_url, fetch_zip, read_zip
from .errors import CacheError, FixingRefusedError, RateSourceError
from .gate import check_day
from .urls import shown_url

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from .book import RateBook

__all__ = ["check_cache", "ecb_file_source", "update_from_ecb"]


def ecb_file_source(fetched_on: _dt.date) -> str:
    """The provenance of a day taken from the ECB's file."""
    return f"ECB reference rates (ECB file, fetched {fetched_on.isoformat()})"


def update_from_ecb(
    book: RateBook,
    *,
    url: str | None = None,
    timeout: float = 30.0,
    progress: Callable[[_dt.date, int, int], None] | None = None,
) -> int:
    """Store the days of the ECB's file that come after ``book``'s last fixing; return how many.

    :param url: the base URL (default ``$SPENDCALC_ECB_URL`` or the ECB's)
    :param timeout: seconds the whole fetch may take
    :raises RateSourceError: if the file cannot be fetched or read, or a day in it fails the gate
        (then nothing is stored)
    :raises CacheError: if there is no cache or it cannot be written
    """
    cache = book.cache
    if cache is None:
        raise CacheError("There is no cache to update (cache=None); give a cache path.")
    cache.open_for_writing()
    where = shown_url(base_url(url) + "eurofxref-hist.zip")
    try:
        history = parse_history(read_zip(fetch_zip(url, timeout=timeout), name=where))
    except ValueError as exc:
        raise RateSourceError(f"The ECB file at {where!r} is not the ECB's format: {exc}.") from exc
    book.fixings.reload()
    today = book.today()
    have = set(book.fixings.cached_days)
    previous = book.fixings.snapshot_day()
    new: list[tuple[_dt.date, dict[str, Decimal]]] = []
    for index in range(len(history)):
        text = history.date_text(index)
        if text <= book.fixings.snapshot_last:
            continue
        per_eur = {c: v for c in history.currencies if (v := history.value(c, index)) is not None}
        try:
            day = _dt.date.fromisoformat(text)
            checked = check_day(day, per_eur, previous=previous, today=today)
        except (ValueError, FixingRefusedError) as exc:
            raise RateSourceError(
                f"The ECB file at {where!r} has a bad row {text!r}, so nothing was stored: {exc}"
            ) from exc
        previous = (day, checked)
        if text not in have:
            new.append((day, checked))
    source = ecb_file_source(today)
    for done, (day, per_eur) in enumerate(new, start=1):
        cache.store_day(day, per_eur, source)
        if progress is not None:
            progress(day, done, len(new))
    book.fixings.reload()
    return len(new)


def check_cache(book: RateBook, *, repair: bool = False) -> list[tuple[str, tuple[str, ...]]]:
    """The cached days the gate refuses, each with why; with ``repair``, remove them.

    Days are checked in order, each against the last good one before it (the snapshot's last
    fixing for the first), as lookups read them.
    """
    fixings = book.fixings
    fixings.reload()
    refused = list(fixings.refused)
    if repair and refused and book.cache is not None:
        book.cache.remove_days([day for day, _why in refused])
        fixings.reload()
    return refused
