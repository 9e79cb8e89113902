"""The clock seam: ``$SPENDCALC_TODAY`` is today for the library and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from calc.cli import main
from rates import RateBook, today
from rates.errors import InvalidRateError
from tests.clock import TODAY, set_today


def test_the_suite_runs_on_its_own_today():
    assert today() == TODAY
    assert RateBook(cache=None).today() == TODAY


def test_the_seam_moves_the_library_and_the_cli(monkeypatch, capsys):
    set_today(monkeypatch, dt.date(2026, 11, 2))
    assert RateBook(cache=None).today() == dt.date(2026, 11, 2)
    # With today just after the snapshot, the latest fixing is recent: no stale warning.
    assert main(["convert", "£1", "--to", "USD"]) == 0
    assert "stale" not in capsys.readouterr().err.lower()
    set_today(monkeypatch, dt.date(2026, 10, 29))
    assert main(["convert", "£1", "--to", "USD", "--on", "2026-10-30"]) == 1
    assert "in the future (today is 2026-10-29)" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["tomorrow", "2026-13-01", "2026-1-5", "20261105", " 2026-11-05"])
def test_a_bad_today_is_one_error_naming_the_value(monkeypatch, capsys, text):
    monkeypatch.setenv("SPENDCALC_TODAY", text)
    with pytest.raises(
        InvalidRateError, match=rf"^SPENDCALC_TODAY={text!r} is not a date; write it as YYYY-MM-DD"
    ):
        today()
    assert main(["convert", "£1", "--to", "USD"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: SPENDCALC_TODAY=") and err.count("\n") == 1
