"""The public faces the rate book's parts show: Rate provenance, Override text, Fixings, the
batch lookup, the shared helpers (currency codes, trailing zeros, lazy exports)."""

import datetime as dt
from decimal import Decimal

import pytest

from rates import (
    CURRENCY_CODE,
    Fixings,
    InvalidRateError,
    Override,
    RateBook,
    RateError,
    UnknownCurrencyError,
    check_code,
    plain_decimal,
)
from rates._lazy import lazy_exports
from rates.ecb import parse_history

D = dt.date


def test_provenance_is_a_tuple_and_the_source_text_is_derived(offline_book):
    cross = offline_book.with_overrides(["USD/TWD=31"]).rate("GBP", "TWD", D(2024, 1, 19))
    assert cross.sources == ("ECB reference rates (bundled)", "override")
    assert cross.source == cross.origin == "ECB reference rates (bundled) + override"
    assert cross.description == ""


def test_an_average_describes_itself_apart_from_its_sources(offline_book):
    average = offline_book.average("GBP", "USD", D(2024, 1, 1), D(2024, 1, 31))
    assert average.sources == ("ECB reference rates (bundled)",)
    assert average.description == "average of 22 daily fixings 2024-01-02 to 2024-01-31"
    assert average.source == f"ECB reference rates (bundled), {average.description}"


@pytest.mark.parametrize("text", ["TWD=34.7", "USD/TWD=32.1"])
def test_an_override_prints_as_it_is_written(text):
    assert str(Override.parse(text)) == text
    assert Override.parse(str(Override.parse(text))) == Override.parse(text)


def test_the_book_keeps_overrides_as_values(offline_book):
    given = Override("TWD", Decimal("34.7"))
    book = offline_book.with_overrides([given]).with_overrides({"USD/KES": "129.5"})
    assert book.overrides == (given, Override("KES", Decimal("129.5"), "USD"))
    assert offline_book.overrides == ()


@pytest.mark.parametrize(("text", "code"), [("usd", "USD"), (" GbP ", "GBP"), ("TWD", "TWD")])
def test_check_code_gives_capitals(text, code):
    assert check_code(text) == code and CURRENCY_CODE.fullmatch(code)


@pytest.mark.parametrize("text", ["US", "USDX", "U$D", "ÄÖÜ", ""])
def test_check_code_refuses_what_is_not_three_letters(text):
    with pytest.raises(UnknownCurrencyError, match="is not a currency code"):
        check_code(text)
    with pytest.raises(InvalidRateError):
        check_code(3)


def test_an_override_takes_ascii_capitals_only():
    with pytest.raises(InvalidRateError, match="is not a currency code"):
        Override("ÄÖÜ", Decimal(1))


@pytest.mark.parametrize(
    ("value", "text"),
    [("1.2500", "1.25"), ("2.5E+3", "2500"), ("0E-7", "0"), ("-0.10", "-0.1"), ("100", "100")],
)
def test_plain_decimal(value, text):
    assert plain_decimal(Decimal(value)) == text


def test_fixings_run_from_the_snapshot_into_the_cached_days():
    snapshot = parse_history("Date,USD,GBP\n2023-11-29,1.0982,0.86573\n2023-11-30,1.0931,\n")
    loads = []

    def load():
        loads.append(1)
        return {
            "2023-11-30": ({"USD": "9"}, "old"),  # on the snapshot: never used
            "2023-12-01": ({"USD": "1.0883", "GBP": "0.86"}, "forex-python live"),
        }

    timeline = Fixings(snapshot, load)
    assert timeline.index_on_or_before(D(2023, 11, 30)) == 1 and not loads  # cache not read
    assert len(timeline) == 3 and timeline.cached_days == ["2023-12-01"]
    assert [timeline.source(i) for i in range(3)] == [
        "ECB reference rates (bundled)", "ECB reference rates (bundled)", "forex-python live",
    ]  # fmt: skip
    assert timeline.value("GBP", 1) is None and timeline.value("GBP", 2) == Decimal("0.86")
    assert timeline.nearest("GBP", 1) == (0, 2)
    assert timeline.coverage("GBP") == (D(2023, 11, 29), D(2023, 12, 1))
    assert timeline.currencies == {"USD", "GBP"}
    assert list(timeline)[1:] == [
        ("2023-11-30", "ECB reference rates (bundled)", [("USD", "1.0931")]),
        ("2023-12-01", "forex-python live", [("GBP", "0.86"), ("USD", "1.0883")]),
    ]
    timeline.add(D(2023, 12, 4), {"USD": Decimal("1.08")}, "forex-python live")
    assert timeline.date(len(timeline) - 1) == D(2023, 12, 4)


def test_the_book_reads_its_fixings_through_the_public_timeline(offline_book):
    assert isinstance(offline_book.fixings, Fixings)
    assert offline_book.fixings.date(0) == offline_book.first_fixing


def test_a_batch_lookup_answers_as_the_book_does(offline_book):
    table = offline_book.cross_table("USD")
    days = [D(2023, 12, 2), D(2023, 12, 2), D(2022, 3, 1)]
    values, shown, fixings, sources = table.lookup(days, ["GBP", "USD", "RUB"], texts=True)
    for day, code, value, text, fixing, source in zip(
        days, ["GBP", "USD", "RUB"], values, shown, fixings, sources, strict=True
    ):
        rate = offline_book.rate(code, "USD", day)
        assert (value, text, fixing, source) == (
            rate.value, str(rate.value), rate.fixing_date.isoformat(), rate.source,
        )  # fmt: skip


def test_a_batch_lookup_names_the_row_it_cannot_answer(offline_book):
    table = offline_book.cross_table("USD")
    with pytest.raises(RateError, match="stopped quoting RUB") as raised:
        table.lookup([D(2023, 12, 1), D(2023, 12, 1)], ["GBP", "RUB"])
    assert raised.value.row == 1


def test_lazy_exports_import_a_name_once_and_keep_it():
    namespace: dict[str, object] = {}
    getattr_, dir_ = lazy_exports("rates", {"RateBook": "book"}, namespace)
    assert getattr_("RateBook") is RateBook and namespace == {"RateBook": RateBook}
    assert dir_() == ["RateBook"]
    with pytest.raises(AttributeError, match="module 'rates' has no attribute 'nothing'"):
        getattr_("nothing")
