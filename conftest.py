"""Isolation for every test and doctest (README.md and the packages' docstrings included)."""

from pathlib import Path

import pytest

from tests.ratesserver import closed_port_url


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets its own cache path and a live URL where nothing listens."""
    monkeypatch.setenv("SPENDCALC_CACHE", str(tmp_path / "user-cache" / "rates.sqlite3"))
    monkeypatch.setenv("SPENDCALC_LIVE_URL", closed_port_url())
