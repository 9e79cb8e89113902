"""The bundled snapshot and its reader: the fast path agrees with a full parse."""

import datetime as dt
import random
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from rates.ecb import _mapped_history, bundled_history, parse_history, snapshot_bytes, snapshot_path

SHARED_ZIP = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecb" / "eurofxref-hist.zip"


def test_the_snapshot_is_in_its_clean_form():
    text = snapshot_bytes().decode("ascii")
    lines = text.splitlines()
    assert lines[0].startswith(
        "# ECB euro foreign exchange reference rates, 1999-01-04 to 2026-10-30"
    )
    rows = lines[2:]
    assert rows == sorted(rows) and len({r[:10] for r in rows}) == len(rows)
    assert "N/A" not in text and "\r" not in text and not any(r.endswith(",") for r in rows)


def test_the_snapshot_holds_exactly_the_ecb_file():
    assert SHARED_ZIP.exists(), (
        f"{SHARED_ZIP} is missing: the tests run with ../shared beside the repo"
    )
    with zipfile.ZipFile(SHARED_ZIP) as archive:
        ecb = parse_history(archive.read("eurofxref-hist.csv").decode("ascii"))
    ours = bundled_history()
    assert ours.currencies == ecb.currencies and ours.dates == ecb.dates
    assert all(
        ours.raw(c, i) == ecb.raw(c, i) for i in range(0, len(ours), 7) for c in ours.currencies
    )


def test_bisecting_the_text_finds_what_the_date_list_finds():
    text = snapshot_bytes().decode("ascii")
    rng = random.Random(7)
    days = [dt.date(1998, 12, 20) + dt.timedelta(days=rng.randrange(10300)) for _ in range(400)]
    days += [dt.date(1999, 1, 3), dt.date(1999, 1, 4), dt.date(2026, 10, 30), dt.date(2026, 11, 30)]
    full = parse_history(text)
    full.dates  # noqa: B018 - split now: the list path
    for day in days:
        fast = parse_history(text, clean=True)  # a new one each time: nothing split yet
        iso = day.isoformat()
        index = fast.index_on_or_before(iso)
        assert index == full.index_on_or_before(iso), iso
        if index >= 0:
            assert fast.date_text(index) == full.dates[index]
            assert fast.value("USD", index) == full.value("USD", index)


def test_a_row_found_by_date_is_the_row_at_its_index_and_numbers_no_rows():
    text = snapshot_bytes().decode("ascii")
    rng = random.Random(11)
    days = [dt.date(1998, 12, 20) + dt.timedelta(days=rng.randrange(10300)) for _ in range(300)]
    days += [dt.date(1999, 1, 3), dt.date(1999, 1, 4), dt.date(2026, 10, 30), dt.date(2026, 11, 30)]
    full = parse_history(text)
    for day in days:
        fast = parse_history(text, clean=True)  # a new one each time: the text path
        iso = day.isoformat()
        fields = fast.fields_on_or_before(iso)
        assert fast._count is None and fast._rows is None  # nothing counted, nothing split
        index = full.index_on_or_before(iso)
        if index < 0:
            assert fields is None
            continue
        assert fields is not None and fields[0] == full.dates[index]
        for code in ("USD", "GBP", "TRL", "ISK"):
            assert fast.value_in(fields, code) == full.value(code, index)
            assert full.value_in(full.fields_on_or_before(iso) or [], code) == full.value(
                code, index
            )
    assert len(fast) == len(full)  # counted when asked


def test_the_mapped_snapshot_reads_as_the_parsed_one():
    """The bundled file is mapped, not read: each question gets the answer of its parsed text."""
    text = snapshot_bytes().decode("ascii")
    parsed = parse_history(text, clean=True)
    rng = random.Random(13)
    days = [dt.date(1998, 12, 20) + dt.timedelta(days=rng.randrange(10300)) for _ in range(60)]
    for day in [*days, dt.date(1999, 1, 3), dt.date(1999, 1, 4), dt.date(2030, 1, 1)]:
        mapped = _mapped_history(snapshot_path())  # a new one each time: nothing decoded yet
        iso = day.isoformat()
        assert mapped.fields_on_or_before(iso) == parsed.fields_on_or_before(iso), iso
        assert mapped._text is None  # a lookup decodes only the row it found
        assert mapped.index_on_or_before(iso) == parsed.index_on_or_before(iso), iso
    mapped = _mapped_history(snapshot_path())
    assert (mapped.first_date, mapped.last_date, mapped.description, mapped.currencies) == (
        parsed.first_date,
        parsed.last_date,
        parsed.description,
        parsed.currencies,
    )
    assert mapped._text is None
    assert len(mapped) == len(parsed) and mapped.rows == parsed.rows
    assert mapped.coverage("GBP") == parsed.coverage("GBP")
    assert bundled_history().last_date == parsed.last_date


def test_ecb_csv_in_descending_order_with_na_is_read():
    history = parse_history("Date,USD,RUB,\n2022-03-02,1.1143,N/A,\n2022-03-01,1.1162,117.201,\n")
    assert history.dates == ["2022-03-01", "2022-03-02"]
    assert history.value("RUB", 0) == Decimal("117.201") and history.value("RUB", 1) is None


@pytest.mark.parametrize("text", ["", "USD,GBP\n", "Date,USD\n", "Date,USD\nnot-a-date,1\n"])
def test_bad_history_text(text):
    with pytest.raises(ValueError):
        parse_history(text)
