"""The date every test takes as today, set through the clock seam (``$SPENDCALC_TODAY``).

No test reads the real date: the suite gives the same answers on a Saturday, on a TARGET holiday
and a year after the snapshot. A Tuesday 17 business days after the snapshot's last fixing
(Friday 2026-10-30), so that "today" cases fetch today and updates have days to fetch.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rates.clock import TODAY_VARIABLE

TODAY = dt.date(2026, 11, 24)


def set_today(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Make ``day`` today for the library, and for every executable the test starts."""
    monkeypatch.setenv(TODAY_VARIABLE, day.isoformat())
