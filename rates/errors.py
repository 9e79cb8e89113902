"""Errors raised by :mod:`rates`.

Every error the package raises derives from :class:`RateError`. Third-party errors
(sqlite3, http.client, forex-python) are translated once, where they happen, with
``raise ... from exc``; none escapes the package::

    RateError
      RateNotFoundError(RateError, LookupError)   no fixing for that currency and date
        UnsupportedCurrencyError                  a valid ISO code the ECB does not quote
        StaleRatesError                           the date lies past the cached fixings
      RateSourceError(RateError)                  the live source failed or sent bad data
        UpdateInterruptedError                    an update stopped part-way; says how far it got
        FixingRefusedError                        a day's fixings failed the gate (rates.gate)
      CacheError(RateError)                       the user cache cannot be read or written
      InvalidRateError(RateError, ValueError)     a bad override or argument (zero, negative, text)
      UnknownCurrencyError(RateError, ValueError) not a currency (calc.UnknownCurrencyError is one)

Warnings (the cache could not be used; fetched rates not kept) are :class:`RateWarning`.
Messages are one sentence that names the bad value and, where there is one, the fix.
"""

from __future__ import annotations

import datetime as _dt


class RateError(Exception):
    """Base of every error raised by :mod:`rates`.

    :ivar row: for an error raised by :meth:`rates.CrossTable.lookup`, the row of the
        batch it is about (None otherwise)
    """

    row: int | None = None


class RateNotFoundError(RateError, LookupError):
    """No usable fixing for the currency and date asked for."""


class UnknownCurrencyError(RateError, ValueError):
    """Not a currency: not three letters, or no ISO 4217 code (``calc`` raises its subclass)."""

    def __init__(self, code: object, message: str) -> None:
        self.code = code
        super().__init__(message)


class UnsupportedCurrencyError(RateNotFoundError):
    """A valid ISO 4217 code that is not among the ECB reference currencies."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class StaleRatesError(RateNotFoundError):
    """The date lies after the last cached fixing by more than the allowed gap, offline."""


class RateSourceError(RateError):
    """The live source failed: no answer in time, an HTTP error, or a payload that does not hold up."""


class UpdateInterruptedError(RateSourceError):
    """An update stopped part-way; the days stored before the fault stay stored."""

    def __init__(self, message: str, *, added: int, last_stored: _dt.date | None) -> None:
        self.added = added
        self.last_stored = last_stored
        super().__init__(message)


class CacheError(RateError):
    """The user cache cannot be read or written."""


class InvalidRateError(RateError, ValueError):
    """A rate given by the user that cannot be used (zero, negative, not a number)."""


class RateWarning(UserWarning):
    """spendcalc went on without something it would have used (the cache, a fetched day)."""


class FixingRefusedError(RateSourceError):
    """A day's fixings that fail the gate (:mod:`rates.gate`): nothing of that day is stored or used.

    :ivar day: the date the fixings carry
    :ivar problems: every rule they break, each a phrase naming the value
    """

    def __init__(self, day: _dt.date, problems: list[str]) -> None:
        self.day = day
        self.problems = tuple(problems)
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        super().__init__(
            f"Refused the fixings of {day}: {shown}"
            + (f"; and {more} more problem{'s' if more != 1 else ''}." if more > 0 else ".")
        )


#: How many of a refused day's problems a message lists (the rest are counted).
SHOWN_PROBLEMS = 5
