"""What a lookup that finds no rate says: the errors that name the nearest fixings and the fix.

Each function builds (never raises) the error for one way a lookup can miss, so the rate book
reads as the rules it follows and the messages stay in one place.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from .ecb import FIRST_ECB_FIXING
from .errors import (
    RateError,
    RateNotFoundError,
    StaleRatesError,
    UnknownCurrencyError,
    UnsupportedCurrencyError,
)
from .rate import is_iso_currency

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from .fixings import Fixings


def unsupported(code: str) -> UnsupportedCurrencyError | UnknownCurrencyError:
    """``code`` is quoted by no fixing: not an ECB currency (give a rate), or not ISO at all."""
    if is_iso_currency(code):
        return UnsupportedCurrencyError(
            code,
            f"{code} is not among the ECB reference currencies; give a rate yourself, "
            f"e.g. --rate {code}=VALUE (units per 1 EUR) or --rate USD/{code}=VALUE.",
        )
    return UnknownCurrencyError(code, f"{code!r} is not an ISO 4217 currency code.")


def outside(
    day: _dt.date, label: str, today: _dt.date, last: Callable[[], _dt.date]
) -> RateError | None:
    """The error for a ``day`` before the ECB's first fixing or after ``today``, else None.

    ``last()`` gives the last fixing known; it is asked only for the error's message (it may
    read the cache).
    """
    if day < FIRST_ECB_FIXING:
        return RateNotFoundError(
            f"No {label} rate on {day}: ECB reference rates start on {FIRST_ECB_FIXING}."
        )
    if day > today:
        return RateNotFoundError(
            f"No {label} rate on {day}: that date is in the future (today is {today}); "
            f"the last fixing known is {last()}."
        )
    return None


def stale(day: _dt.date, label: str, last: _dt.date) -> StaleRatesError:
    """Offline, ``day`` lies too far after ``last``, the last fixing known."""
    return StaleRatesError(
        f"No {label} rate on {day}: the rates known offline end on {last}, "
        f"{(day - last).days} days earlier; run `spendcalc rates update` or go online (--online)."
    )


def no_fixing_near(
    fixings: Fixings, day: _dt.date, index: int, label: str, max_gap: int
) -> RateNotFoundError:
    """No fixing within ``max_gap`` days before ``day`` (``index``: the last one before it)."""
    if index < 0:
        return RateNotFoundError(f"No {label} rate on {day}: the rates start on {fixings.date(0)}.")
    after = fixings.date(index + 1) if index + 1 < len(fixings) else None
    return RateNotFoundError(
        f"No {label} rate on {day}: the nearest fixings are {fixings.date(index)} and {after}, "
        f"more than {max_gap} days apart."
    )


def not_quoted(fixings: Fixings, code: str, day: _dt.date, index: int, label: str) -> RateError:
    """The fixing at ``index``, which ``day`` uses, does not quote ``code``: say where it is."""
    if not fixings.quotes(code):
        return unsupported(code)
    before, after = fixings.nearest(code, index)
    if before is None and after is not None:
        return RateNotFoundError(
            f"No {label} rate on {day}: the ECB's first {code} fixing is {fixings.date(after)}."
        )
    if after is None and before is not None:
        return RateNotFoundError(
            f"No {label} rate on {day}: the ECB stopped quoting {code} after "
            f"{fixings.date(before)}, its last fixing; give a rate with --rate {code}=... if you have one."
        )
    assert before is not None and after is not None
    return RateNotFoundError(
        f"No {label} rate on {day}: the ECB did not quote {code} between "
        f"{fixings.date(before)} and {fixings.date(after)}, the nearest fixings."
    )


def empty_period(
    fixings: Fixings, pair: tuple[str, str], start: _dt.date, end: _dt.date, codes: list[str]
) -> RateError:
    """No fixing from ``start`` to ``end`` quotes both of ``pair``: say where ``codes`` have some."""
    spans = []
    for code in codes:
        span = fixings.coverage(code)
        if span is None:
            return unsupported(code)
        spans.append(f"{code} has fixings from {span[0]} to {span[1]}")
    known = "; ".join(spans) or (
        f"the fixings known offline run from {fixings.date(0)} to {fixings.date(len(fixings) - 1)}"
    )
    return RateNotFoundError(f"No {pair[0]}->{pair[1]} fixings from {start} to {end}: {known}.")
