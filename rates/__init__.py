"""Daily exchange rates that work offline, say which fixing they used, and fail clearly.

>>> import datetime
>>> from rates import RateBook
>>> rate = RateBook(cache=None).rate("GBP", "USD", datetime.date(2023, 12, 2))
>>> rate.fixing_date, rate.source
(datetime.date(2023, 12, 1), 'ECB reference rates (bundled)')

Names are imported when first used (the cache, the live source and babel only when a command
needs them), so ``import rates`` costs next to nothing at start-up.
"""

from __future__ import annotations

from ._lazy import lazy_exports

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)

_WHERE = {
    "CURRENCY_CODE": "rate",
    "RATE_CONTEXT": "rate",
    "CacheError": "errors",
    "CrossTable": "crosstable",
    "Fixings": "fixings",
    "InvalidRateError": "errors",
    "LiveDay": "live",
    "LiveSource": "live",
    "Override": "rate",
    "Rate": "rate",
    "RateBook": "book",
    "RateCacheWarning": "cache",
    "RateError": "errors",
    "RateNotFoundError": "errors",
    "RateSourceError": "errors",
    "RateWarning": "errors",
    "StaleRatesError": "errors",
    "UnknownCurrencyError": "errors",
    "UnsupportedCurrencyError": "errors",
    "UpdateInterruptedError": "errors",
    "check_cache": "ecbupdate",
    "check_code": "rate",
    "default_cache_path": "cache",
    "is_business_day": "calendar",
    "is_iso_currency": "rate",
    "plain_decimal": "rate",
    "today": "clock",
    "update_from_ecb": "ecbupdate",
}

__all__ = [
    "CURRENCY_CODE",
    "RATE_CONTEXT",
    "CacheError",
    "CrossTable",
    "Fixings",
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
    "UnknownCurrencyError",
    "UnsupportedCurrencyError",
    "UpdateInterruptedError",
    "check_cache",
    "check_code",
    "default_cache_path",
    "is_business_day",
    "is_iso_currency",
    "plain_decimal",
    "today",
    "update_from_ecb",
]

if TYPE_CHECKING:  # pragma: no cover
    from .book import RateBook
    from .cache import RateCacheWarning, default_cache_path
    from .calendar import is_business_day
    from .clock import today
    from .crosstable import CrossTable
    from .ecbupdate import check_cache, update_from_ecb
    from .errors import (
        CacheError,
        InvalidRateError,
        RateError,
        RateNotFoundError,
        RateSourceError,
        RateWarning,
        StaleRatesError,
        UnknownCurrencyError,
        UnsupportedCurrencyError,
        UpdateInterruptedError,
    )
    from .fixings import Fixings
    from .live import LiveDay, LiveSource
    from .rate import (
        CURRENCY_CODE,
        RATE_CONTEXT,
        Override,
        Rate,
        check_code,
        is_iso_currency,
        plain_decimal,
    )

__getattr__, __dir__ = lazy_exports(__name__, _WHERE, globals())
