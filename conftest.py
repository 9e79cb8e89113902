"""Isolation for every test and doctest (README.md and the packages' docstrings included)."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

from rates.clock import TODAY_VARIABLE
from tests.clock import TODAY, set_today
from tests.ratesserver import closed_port_url

# The same examples on every run, so the suite gives the same answer every time (the property
# tests still draw hundreds of cases; a new case worth keeping becomes an explicit test).
settings.register_profile("spendcalc", derandomize=True, database=None)
settings.load_profile("spendcalc")


def pytest_configure(config: pytest.Config) -> None:
    """Fix today for the whole run, module-scoped fixtures and the executables they start too."""
    os.environ[TODAY_VARIABLE] = TODAY.isoformat()
    # Nothing reaches the internet, module-scoped fixtures and executables included.
    os.environ["SPENDCALC_LIVE_URL"] = os.environ["SPENDCALC_ECB_URL"] = closed_port_url()
    # A report fits COLUMNS when it is set: the tests that want a width say so themselves.
    # (Set empty rather than removed: the C environment executables inherit may hold one.)
    os.environ["COLUMNS"] = ""


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets its own cache path, source URLs where nothing listens, and a fixed today."""
    monkeypatch.setenv("SPENDCALC_CACHE", str(tmp_path / "user-cache" / "rates.sqlite3"))
    monkeypatch.setenv("SPENDCALC_LIVE_URL", closed_port_url())
    monkeypatch.setenv("SPENDCALC_ECB_URL", closed_port_url())
    set_today(monkeypatch, TODAY)
    monkeypatch.setenv("COLUMNS", "")
