"""pandas (issue 16, item 3): the report as DataFrames, and a DataFrame converted row by row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from calc import Converter, Money
from calc.commitments import load_text
from calc.errors import CalcError
from calc.examples import example_text
from calc.frames import normalise_frame
from calc.ledger import OUTPUT_COLUMNS
from calc.report import build_report
from rates import RateBook
from tests.exact import at


@pytest.fixture
def report():
    return build_report(
        load_text(example_text(), "toml"), converter=Converter(RateBook(cache=None))
    )


def test_the_conversions_frame_has_exact_values_and_provenance(report):
    frame = report.to_frame("conversions")
    assert len(frame) == 6
    uk = frame[(frame["country"] == "GB") & frame["amount"].notna()].iloc[0]
    book = RateBook(cache=None)
    assert (
        uk["converted"] == at(2_500_000_000, book.rate("GBP", "USD", dt.date(2023, 11, 30))).amount
    )
    assert isinstance(uk["converted"], Decimal) and isinstance(uk["amount"], Decimal)
    assert (uk["rate_numerator"], uk["rate_denominator"]) == (Decimal("1.0931"), Decimal("0.86368"))
    assert uk["fixing_date"] == dt.date(2023, 11, 30) and uk["rounding"] == "half-up"
    assert "ECB reference rates" in uk["rates"] and uk["stale"] is False
    hidden = frame[frame["amount"].isna()]
    assert len(hidden) == 3 and hidden["converted"].isna().all()


def test_the_countries_and_years_frames(report):
    countries = report.to_frame("countries")
    assert list(countries["country"]) == ["GB", "JP"]
    assert countries.iloc[1]["total"] == Decimal("2909900000")
    years = report.to_frame()  # countries by default
    assert years.equals(countries)
    profile = report.to_frame("years")
    gb = profile[profile["country"] == "GB"]
    assert sum(gb["amount"]) == report.country("GB").dated_total.amount
    with pytest.raises(CalcError, match="'rows' is not a table of the report"):
        report.to_frame("rows")


def test_normalise_frame_adds_the_ledger_columns():
    frame = pd.DataFrame(
        {
            "when": ["2023-11-30", dt.date(2024, 1, 19), pd.Timestamp("2024-04-09")],
            "cur": ["GBP", "JPY", "EUR"],
            "amt": [Decimal("2500000000"), "2600000000000", 7],
            "note": ["a", "b", "c"],
        }
    )
    out = normalise_frame(
        frame, "USD", date="when", currency="cur", amount="amt", book=RateBook(cache=None)
    )
    assert list(out.columns) == ["when", "cur", "amt", "note", *OUTPUT_COLUMNS]
    book = RateBook(cache=None)
    first = book.rate("GBP", "USD", dt.date(2023, 11, 30))
    single = Converter(book).convert(Money("2500000000", "GBP"), "USD", on=dt.date(2023, 11, 30))
    assert out.iloc[0]["converted"] == single.result.amount  # the single path's result
    assert out.iloc[0]["rate"] == first.value
    assert out.iloc[0]["fixing_date"] == dt.date(2023, 11, 30)
    assert out.iloc[2]["rate"] == book.rate("EUR", "USD", dt.date(2024, 4, 9)).value
    assert list(frame.columns) == ["when", "cur", "amt", "note"]  # the input is left as it was


def test_normalise_frame_refuses_floats_and_missing_columns():
    book = RateBook(cache=None)
    floats = pd.DataFrame({"date": ["2024-01-19"], "currency": ["GBP"], "amount": [2.5]})
    with pytest.raises(CalcError, match="is a float"):
        normalise_frame(floats, "USD", book=book)
    with pytest.raises(CalcError, match="has no 'amount' column"):
        normalise_frame(floats.drop(columns=["amount"]), "USD", book=book)
