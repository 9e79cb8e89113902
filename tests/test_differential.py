"""spendcalc's rates against currencyconverter's (same ECB data, independent code)."""

import random
from decimal import Decimal
from pathlib import Path

import pytest

from rates.ecb import bundled_history

currency_converter = pytest.importorskip("currency_converter")

SHARED_ZIP = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecb" / "eurofxref-hist.zip"
CASES = 2500


@pytest.fixture(scope="module")
def reference():
    kwargs = {"decimal": True, "fallback_on_missing_rate": False, "fallback_on_wrong_date": False}
    if SHARED_ZIP.exists():
        return currency_converter.CurrencyConverter(str(SHARED_ZIP), **kwargs)
    return currency_converter.CurrencyConverter(**kwargs)


def test_rates_agree_on_random_pairs_and_fixing_dates(offline_book, reference):
    history = bundled_history()
    rng = random.Random(20261123)
    codes = [c for c in history.currencies if c in reference.currencies] + ["EUR"]
    compared = 0
    tolerance = Decimal("1e-9")
    while compared < CASES:
        index = rng.randrange(len(history))
        base, quote = rng.sample(codes, 2)
        if any(c != "EUR" and not history.raw(c, index) for c in (base, quote)):
            continue
        day = history.day(index)
        ours = offline_book.rate(base, quote, day).value
        theirs = reference.convert(Decimal(1), base, quote, date=day)
        assert abs(ours - theirs) <= tolerance * abs(theirs), (base, quote, day, ours, theirs)
        compared += 1
    assert compared == CASES
