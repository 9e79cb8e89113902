"""Fixtures shared by the tests. No test reaches the internet or the user's own cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ratesserver import RatesServer, plausible_days

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def offline_book():
    """The bundled ECB history with no cache."""
    from rates import RateBook

    return RateBook(cache=None)


@pytest.fixture
def example():
    """The bundled example's commitments."""
    from calc.commitments import load_text
    from calc.examples import example_text

    return load_text(example_text(), "toml", name="example.toml")


@pytest.fixture
def converter(offline_book):
    """A converter over the bundled history with no cache."""
    from calc import Converter

    return Converter(offline_book)


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    """A path for a cache file that does not exist yet."""
    return tmp_path / "cache" / "rates.sqlite3"


# Days after the bundled snapshot (which ends on Friday 2026-10-30), as a live source would serve.
#: Each is a whole day, every currency the snapshot's last day carries (the gate refuses a day
#: that drops one); USD, JPY, GBP and CHF have the values the tests compute with.
LIVE_DAYS = {
    day: {**plausible, **mine}
    for (day, plausible), mine in zip(
        plausible_days(dt.date(2026, 10, 30), dt.date(2026, 11, 6)).items(),
        [
            {"USD": "1.1190", "JPY": "176.02", "GBP": "0.8341", "CHF": "0.9201"},
            {"USD": "1.1201", "JPY": "176.50", "GBP": "0.83455", "CHF": "0.9188"},
            {"USD": "1.1187", "JPY": "175.91", "GBP": "0.8339", "CHF": "0.9190"},
            {"USD": "1.1163", "JPY": "175.40", "GBP": "0.83302", "CHF": "0.9176"},
            {"USD": "1.1150", "JPY": "175.11", "GBP": "0.8327", "CHF": "0.9170"},
        ],
        strict=True,
    )
}
LIVE_TODAY = dt.date(2026, 11, 6)


@pytest.fixture
def rates_server() -> Iterator[RatesServer]:
    """A live-source server on 127.0.0.1 serving :data:`LIVE_DAYS`."""
    with RatesServer(LIVE_DAYS) as server:
        yield server
