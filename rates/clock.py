"""The one place spendcalc reads the date: ``$SPENDCALC_TODAY`` if set, else the system clock.

``SPENDCALC_TODAY=2026-11-06 spendcalc report`` makes a report as it would have been made on that
day (reproducible reports, tests). A value that is not a date is an error naming the fix, never
ignored: a report that silently fell back to the real date would not be reproducible.
"""

from __future__ import annotations

import datetime as _dt
import os

from .errors import InvalidRateError

#: The environment variable that sets today.
TODAY_VARIABLE = "SPENDCALC_TODAY"


def today() -> _dt.date:
    """The date spendcalc takes as today.

    >>> import os; os.environ["SPENDCALC_TODAY"] = "2026-11-06"
    >>> today()
    datetime.date(2026, 11, 6)
    >>> os.environ["SPENDCALC_TODAY"] = "next friday"
    >>> today()
    Traceback (most recent call last):
    ...
    rates.errors.InvalidRateError: SPENDCALC_TODAY='next friday' is not a date; write it as YYYY-MM-DD, e.g. SPENDCALC_TODAY=2026-11-06, or unset it to use the system date.
    >>> del os.environ["SPENDCALC_TODAY"]

    :raises InvalidRateError: if ``$SPENDCALC_TODAY`` is set but is not a YYYY-MM-DD date.
    """
    text = os.environ.get(TODAY_VARIABLE)
    if not text:
        return _dt.date.today()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidRateError(
            f"{TODAY_VARIABLE}={text!r} is not a date; write it as YYYY-MM-DD, e.g. "
            f"{TODAY_VARIABLE}=2026-11-06, or unset it to use the system date."
        ) from None
