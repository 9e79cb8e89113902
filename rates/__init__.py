"""Daily exchange rates that work offline, say which fixing they used, and fail clearly.

>>> import datetime
>>> from rates import RateBook
>>> rate = RateBook(cache=None).rate("GBP", "USD", datetime.date(2023, 12, 2))
>>> rate.fixing_date, rate.source
(datetime.date(2023, 12, 1), 'ECB reference rates (bundled)')
"""

from .book import RATE_CONTEXT, CrossTable, Override, Rate, RateBook
from .calendar import is_business_day
from .clock import today
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

_LAZY = {
    "LiveDay": "live",
    "LiveSource": "live",
    "RateCacheWarning": "cache",
    "default_cache_path": "cache",
}


def __getattr__(name: str) -> object:
    """Import the live source and the cache only when they are asked for (start-up time)."""
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rates' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "RATE_CONTEXT",
    "CacheError",
    "CrossTable",
    "InvalidRateError",
    "LiveDay",
    "LiveSource",
    "Override",
    "Rate",
    "RateBook",
    "RateCacheWarning",
    "RateError",
    "RateNotFoundError",
    "RateSourceError",
    "RateWarning",
    "StaleRatesError",
    "UnsupportedCurrencyError",
    "UpdateInterruptedError",
    "default_cache_path",
    "is_business_day",
    "today",
]
