"""The quick path of reading records (calc.commitments.RecordReader._quick, and the values it
remembers) against the field-by-field checks it stands in for: the same commitments, the same
problems word for word, the same extra fields named, record after record; and
calc.commitments.duplicates against comparing every field of every record."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest

from calc import commitments
from calc.commitments import Commitment, RecordReader, duplicates, load_text
from calc.errors import CommitmentFileError, Problem
from calc.inputlocale import InputLocale

#: Values of each field, good and bad; the last is the usual one.
VALUES: dict[str, list[Any]] = {
    "company": ["Acme", " Acme ", "Ünïcode AG", "", "   ", None, 5, "a\ud800b", "Acme"],
    "country": ["JP", "jp", " GB ", "UK", "XX", "", None, 7, "JPN", "JP"],
    "category": ["training", "Training", " research ", "other", "bogus", "", None, 3],
    "description": ["AI", "", None, " x ", "é", 1.5, "AI"],
    "source": ["https://x", "", None, "\ud800", "https://x"],
    "announced": ["2024-02-15", "2024-02", " 2024-02-15 ", "15.02.2024", "02/15/2024",
                  "2024-02-30", "", None, 2024, dt.date(2024, 2, 15),
                  dt.datetime(2024, 2, 15, 10, 30), "2024-13", True, "2024-02-15"],
    "amount": ["$2.9bn", "£2.5 billion", "up to €3bn", "$2-3bn", "£2.5bn ($3.1bn)", "2,5 Mrd. €",
               "2500000", 2500000, Decimal("2.5E9"), Decimal("2500000.0"), True, 1.5, "",
               "undisclosed", None, "lots", "-5", 0, "1" + "0" * 25, "$2.9bn"],
    "currency": [None, "USD", "usd", "GBP", "XXX", "", 5, None, None],
    "period_years": [None, 2, "2", "2.5", Decimal("2.50"), 0, -1, 500, "0.0001", True, "",
                     " 3 ", "1,000", 2],
    "training_years": [3, "3", 0, "x", None],
    "start": ["2024-01-01", "2025-06-30", dt.date(2024, 1, 1), "bad", "", None],
    "end": ["2026-12-31", "2023-01-01", "bad", None],
    "workers": [None, 3000000, "3000000", "3,000,000", "3 million", "2.5k", 0, -3, 1.5,
                "many", True, Decimal("10"), Decimal("1E+3"), "", 10**12, 3000000],
    "package": [None, "P1", " P2 ", 5, ""],
    "locale": ["de_DE", "xx_XX", "", None],
}  # fmt: skip
EXTRA: list[dict[str, Any]] = [
    {}, {}, {"notes": "row"}, {"notes": 5}, {"Notes": None}, {"notes": [1, 2]},
    {"ammount": "x"}, {"notes": "\ud800"}, {"notes": "é", "other": dt.date(2024, 1, 1)},
]  # fmt: skip


def slow(reader: RecordReader) -> RecordReader:
    """`reader` reading every record field by field (its quick path refused)."""

    def refuse(*_args: object) -> Commitment:
        raise commitments._Slow

    reader._quick = refuse  # type: ignore[method-assign]
    return reader


def shown(commitment: Commitment | None) -> object:
    """Everything a commitment holds, location and extra fields included."""
    if commitment is None:
        return None
    return (commitment, commitment.location, commitment.extra, commitment.announced_month_only,
            commitment.start, commitment.end, commitment.training_years, commitment.qualifier,
            commitment.high, commitment.press_conversion, commitment.package)  # fmt: skip


def records(rng: random.Random, count: int) -> list[dict[str, Any]]:
    made = []
    for _ in range(count):
        record: dict[str, Any] = {}
        for field, values in VALUES.items():
            if rng.random() < 0.85:  # most records give most fields; some leave them out
                value = rng.choice(values) if rng.random() < 0.12 else values[-1]
                key = field if rng.random() < 0.95 else rng.choice([field.upper(), f" {field}"])
                record[key] = value
        record.update(rng.choice(EXTRA))
        if rng.random() < 0.02:
            record["Company"] = "twice"
        if rng.random() < 0.02:
            record[""] = "no name"
        made.append(record)
    return made


@pytest.mark.parametrize("locale", [None, "de_DE", "en_US"])
@pytest.mark.parametrize("where", ["line", "prefix", "location", "no line"])
def test_the_quick_path_reads_every_record_as_the_field_checks_do(
    locale: str | None, where: str
) -> None:
    rng = random.Random(f"{locale}{where}")
    quick_reader = RecordReader("f.csv", InputLocale(locale, "caller"))
    slow_reader = slow(RecordReader("f.csv", InputLocale(locale, "caller")))
    quick_made = slow_made = 0
    for index, record in enumerate(records(rng, 3000), start=1):
        line = None if where == "no line" else index + 1
        options: dict[str, Any] = {}
        if where == "prefix":
            options["prefix"] = "f.xlsx, sheet 'S', row "
        elif where == "location":
            options["location"] = f"given {index}"
        quick_problems: list[Problem] = []
        slow_problems: list[Problem] = []
        a = quick_reader.commitment(dict(record), line, index, quick_problems, **options)
        b = slow_reader.commitment(dict(record), line, index, slow_problems, **options)
        assert shown(a) == shown(b), record
        assert quick_problems == slow_problems, record
        quick_made += a is not None
        slow_made += b is not None
    assert quick_reader.extra == slow_reader.extra
    assert list(quick_reader.extra) == list(slow_reader.extra)
    assert quick_made == slow_made > 20  # the comparison ran on good records too
    assert any(quick_reader.memo.values())  # and the quick path remembered values


def test_the_quick_path_reads_the_common_records_itself() -> None:
    """A plain record does not fall back to the field checks (else the fast path is gone)."""
    reader = RecordReader("f.csv", InputLocale(None, "caller"))
    record = {"company": "Acme", "country": "JP", "amount": "$2.9bn", "announced": "2024-02-15",
              "period_years": "2", "workers": "3000", "notes": "kept"}  # fmt: skip
    for index in range(3):
        made = reader._quick(record, index + 2, index + 1, None, None)
        assert made.location == f"f.csv:{index + 2}" and made.extra == (("notes", "kept"),)
    assert reader.memo["amount"] and reader.memo["announced"] and reader.memo["country"]


def test_remembered_values_are_told_apart_by_type() -> None:
    """1, True, Decimal('1'), Decimal('1.0') and '1' are equal or alike as keys, and read
    differently: each is read as itself."""
    text = (
        "[[commitment]]\ncompany = 'A'\ncountry = 'JP'\nannounced = 2024-01-01\n"
        "amount = 1\ncurrency = 'USD'\nperiod_years = 1\n"
        "[[commitment]]\ncompany = 'A'\ncountry = 'JP'\nannounced = 2024-01-01\n"
        "amount = 1.0\ncurrency = 'USD'\nperiod_years = 1.0\n"
    )
    first, second = load_text(text, "toml", name="t.toml")
    assert str(first.amount.amount) == "1" and str(second.amount.amount) == "1.0"  # type: ignore[union-attr]
    assert str(first.period_years) == "1" and str(second.period_years) == "1.0"
    wrong = text.replace("period_years = 1.0", "period_years = true")  # after 1, remembered
    with pytest.raises(CommitmentFileError, match=r"t\.toml:8: period_years True must be"):
        load_text(wrong, "toml", name="t.toml")


def naive_duplicates(items: list[Commitment]) -> list[list[str]]:
    names = [f for f in commitments.COMMITMENT_FIELDS if f != "location"]
    seen: dict[tuple[object, ...], list[str]] = {}
    for c in items:
        seen.setdefault(tuple(getattr(c, n) for n in names), []).append(c.location)
    return [w for w in seen.values() if len(w) > 1]


def test_duplicates_are_the_records_the_same_in_every_field() -> None:
    rng = random.Random(16)
    day = dt.date(2024, 1, 1)
    items = []
    for i in range(4000):  # few distinct texts, so that many share the quick key
        items.append(
            Commitment(
                rng.choice(["A", "B"]), rng.choice(["JP", "GB"]), day,
                description=rng.choice(["", "x"]), source=rng.choice(["", "s"]),
                amount=rng.choice([None, commitments.Money("1", "USD"),
                                   commitments.Money("1.0", "USD"),
                                   commitments.Money("1", "EUR")]),
                workers=rng.choice([None, 5]), package=rng.choice(["", "p"]),
                period_years=rng.choice([None, Decimal(2)]), location=f"f:{i}",
                extra=rng.choice([(), (("notes", "a"),), (("notes", "b"),)]),
            )
        )  # fmt: skip
    found = duplicates(items)
    assert found == naive_duplicates(items)
    assert len(found) > 50
    distinct = [
        Commitment("A", "JP", day, description=str(i), location=f"g:{i}") for i in range(50)
    ]
    assert duplicates(distinct) == [] == naive_duplicates(distinct)
