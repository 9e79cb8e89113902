"""Loading commitments from TOML, CSV and JSON, with errors that name file, line and field."""

import datetime as dt
import pickle
import warnings

import pytest

from calc import CommitmentFileError, Money, load_commitments, records
from calc.commitments import Commitment, load_text
from calc.errors import CalcWarning
from calc.examples import example_as

D = dt.date


def test_the_bundled_example(example):
    assert [c.country for c in example] == ["JP", "JP", "JP", "JP", "GB", "GB"]
    japan_dc, training, lab, cyber, uk_dc, hub = example
    assert japan_dc.amount == Money("2900000000", "USD") and japan_dc.period_years == 2
    assert japan_dc.period == (D(2024, 4, 9), D(2026, 4, 8))  # both ends included: two years
    assert (
        training.amount is None
        and training.workers == 3_000_000
        and training.category == "training"
    )
    assert training.training_years == 3
    assert lab.amount == Money("9900000", "USD") and lab.period_years == 5
    assert cyber.amount is None and hub.amount is None
    assert uk_dc.amount == Money("2500000000", "GBP") and uk_dc.announced == D(2023, 11, 30)
    assert uk_dc.location == "example.toml:47"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_format_reads_the_same_records(example, fmt, tmp_path):
    path = tmp_path / f"mine.{fmt}"
    path.write_text(example_as(fmt), encoding="utf-8")
    loaded = load_commitments(path)
    fields = lambda c: (c.company, c.country, c.category, c.amount, c.announced, c.period, c.workers,  # noqa: E731
                        c.training_years, c.description, c.source)  # fmt: skip
    assert [fields(c) for c in loaded] == [fields(c) for c in example]


def test_csv_lines_json_lines_and_record_positions(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(example_as("csv"), encoding="utf-8")
    assert [c.location for c in load_commitments(csv_path)][:2] == ["p.csv:2", "p.csv:3"]
    json_path = tmp_path / "p.json"
    json_path.write_text(example_as("json"), encoding="utf-8")
    assert load_commitments(json_path)[0].location == "p.json:3"


def test_number_with_currency_month_dates_start_end_and_worker_words():
    text = (
        "company,country,category,amount,currency,announced,start,end,workers\n"
        "Acme,de,training,1500000,eur,2024-02,2024-03-01,2026-02-28,3 million\n"
    )
    (c,) = load_text(text, "csv", name="p.csv")
    assert c.amount == Money("1500000", "EUR") and c.country == "DE"
    assert c.announced == D(2024, 2, 1) and c.announced_month_only and c.announced_text == "2024-02"
    assert c.period == (D(2024, 3, 1), D(2026, 2, 28)) and c.workers == 3_000_000
    assert c.years == 2  # 2024-03-01 to 2026-02-28, both days included


def test_a_bom_and_crlf_are_fine():
    text = "\ufeffcompany,country,amount,announced\r\nAcme,JP,¥2.26tn,2024-01-19\r\n"
    (c,) = load_text(text.encode("utf-8"), "csv", name="p.csv")
    assert c.amount == Money("2260000000000", "JPY")


BAD_CSV = """company,country,category,amount,currency,announced,workers,period_years
Acme,JP,infrastructure,$2.9bn,,2024-04-09,,2
Acme,UK,training,,,2024-04-09,,
Acme,JP,infrastructure,two billion,,2024-04-09,,
,XX,research,$5m,,2024-13-01,-3,
Acme,JP,infrastructure,5000000,,2024-04-09,,
Acme,JP,infrastructure,£5m,USD,2024-04-09,,0
"""


def test_every_bad_record_is_reported_with_file_line_and_field():
    with pytest.raises(CommitmentFileError) as caught:
        load_text(BAD_CSV, "csv", name="pledges.csv")
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "pledges.csv:3: country 'UK' is not an ISO 3166-1 alpha-2 code; the United Kingdom is 'GB'",
        "pledges.csv:4: amount 'two billion' is not an amount: it has no figures; write the number in digits, e.g. '£2bn' (read with no locale; set the record's locale field or the locale argument)",
        "pledges.csv:5: company is missing; every commitment needs one",
        "pledges.csv:5: country 'XX' is not an ISO 3166-1 alpha-2 code (such as JP, GB, US)",
        "pledges.csv:5: announced '2024-13-01' is not a date; write YYYY-MM-DD or YYYY-MM",
        "pledges.csv:5: workers '-3' must be a whole number of people, such as 3000000 or '3 million'",
        "pledges.csv:6: amount '5000000' has no currency; add a currency field or write it as '$2.9bn'",
        "pledges.csv:7: amount '£5m' is in GBP but currency says USD",
        "pledges.csv:7: period_years '0' must be a positive number of years (at most 200)",
    ]
    assert str(caught.value).startswith(
        "pledges.csv:3: country 'UK'"
    ) and "(and 8 more problems)" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("[[commitment]\n", "toml", r"x\.toml:1: is not valid TOML"),
        (
            '[{"company": "A", "country": "JP", "announced": "2024-01-01", "amount": 5}]',
            "json",
            r"x\.json:1: amount '5' has no currency|amount 5 has no currency",
        ),
        ('[{"company": "A"', "json", r"x\.json:1: is not valid JSON"),
        ('{"commitments": 3}', "json", r"holds no list of commitments"),
        ("[1]", "json", r"x\.json:1: record 1 is int, not an object"),
        ("", "csv", r"is empty"),
        ("company,country,announced\n", "csv", r"holds no commitments"),
        (
            "company,country,announced\nA,JP,2024-01-01,extra\n",
            "csv",
            r"x\.csv:2: the row has 4 fields; the header names 3: quote a field that holds a comma",
        ),
        (
            '[{"company": "A", "country": "JP", "announced": "2024-01-01", "amount": 1.5e400, "currency": "USD"}]',
            "json",
            r"x\.json:1: amount .* is too large",
        ),
        (
            '{"rates": {"TWD": "abc"}, "commitments": [{"company": "A", "country": "TW", "announced": "2024-01-01"}]}',
            "json",
            r"does not end in a number",
        ),
        (
            '[{"company": "A", "country": "JP", "announced": "2024-01-01", "category": "roads"}]',
            "json",
            r"category 'roads' is not one of infrastructure, training, research, other",
        ),
        (
            '[{"company": "A", "country": "JP", "announced": "9999-01-01", "period_years": 5}]',
            "json",
            r"runs past the year 9999",
        ),
    ],
)
def test_bad_files(text, fmt, message):
    with pytest.raises(CommitmentFileError, match=message):
        load_text(text, fmt, name=f"x.{fmt}")


def test_a_misspelt_field_is_kept_as_extra_with_a_hint_and_the_missing_one_reported():
    with pytest.warns(CalcWarning) as warned, pytest.raises(CommitmentFileError) as caught:
        load_text(
            "[[commitment]]\ncompany = 'A'\ncountry = 'JP'\nannouced = 2024-01-01\n",
            "toml",
            name="x.toml",
        )
    assert [str(p) for p in caught.value.problems] == [
        "x.toml:1: announced is missing; give the date as YYYY-MM-DD or YYYY-MM",
    ]
    assert [str(w.message) for w in warned] == [
        "x.toml: key annouced (did you mean 'announced'?) is not a spendcalc field; it is kept "
        "as extra and not used"
    ]


def test_unknown_suffix_and_missing_file(tmp_path):
    with pytest.raises(
        CommitmentFileError,
        match=r"'\.xls' is not a commitments format; save the workbook as \.xlsx, or name the file \.toml, \.csv, \.json or \.xlsx",
    ):
        load_commitments(tmp_path / "p.xls")
    with pytest.raises(
        CommitmentFileError, match=r"p\.csv: cannot be read: No such file or directory"
    ):
        load_commitments(tmp_path / "p.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes("company,country,announced\nAçme,JP,2024-01-01\n".encode("latin-1"))
    with pytest.raises(CommitmentFileError, match="is not UTF-8 text"):
        load_commitments(path)


def test_overrides_in_a_file():
    text = '[rates]\nTWD = "34.7"\n[[commitment]]\ncompany = "A"\ncountry = "TW"\namount = "NT$5bn"\nannounced = 2024-01-19\n'
    loaded = load_text(text, "toml", name="x.toml")
    assert loaded.overrides == ("TWD=34.7",) and loaded[0].amount == Money("5000000000", "TWD")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ('A,JP,"2,5",EUR,2024-01-02', r"amount '2,5' is not an amount"),
    ],
)
def test_a_decimal_comma_is_not_read_as_a_thousands_separator(record, message):
    text = "company,country,amount,currency,announced\n" + record + "\n"
    with pytest.raises(CommitmentFileError, match=message):
        load_text(text, "csv", name="p.csv")


def test_scale_words_with_the_currency_in_its_own_field():
    text = 'company,country,amount,currency,announced\nA,GB,2.5bn,GBP,2023-11-30\nB,GB,"2,500,000",GBP,2023-11-30\n'
    first, second = load_text(text, "csv", name="p.csv")
    assert first.amount == Money("2500000000", "GBP") and second.amount == Money("2500000", "GBP")


def test_an_ambiguous_symbol_says_why():
    text = "company,country,amount,announced\nA,SE,kr 5bn,2024-01-02\n"
    with pytest.raises(CommitmentFileError, match=r"SEK, NOK, DKK"):
        load_text(text, "csv", name="p.csv")


def _read_with_notes(tmp_path, rows=3):
    path = tmp_path / "pledges.csv"
    lines = ["company,country,amount,announced,notes,url"]
    lines += [f"Acme {i},JP,$2.{i}bn,2024-02-1{i},note {i},https://x/{i}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_commitments(path)


def test_a_commitment_read_from_a_file_is_the_one_made_by_hand(tmp_path):
    read = _read_with_notes(tmp_path)[1]
    made = Commitment("Acme 1", "JP", dt.date(2024, 2, 11), amount=Money("2.1e9", "USD"),
                      location="pledges.csv:3",
                      extra=(("notes", "note 1"), ("url", "https://x/1")))  # fmt: skip
    assert read == made and hash(read) == hash(made) and repr(read) == repr(made)
    assert (read.location, read.extra, read.package, read.high) == (
        "pledges.csv:3", (("notes", "note 1"), ("url", "https://x/1")), "", None)  # fmt: skip
    for copy in (pickle.loads(pickle.dumps(read)), records.replace(read, workers=5)):
        assert copy.location == read.location and copy.extra == read.extra
    assert records.replace(read, workers=5).workers == 5
    assert records.replace(read, high=Money("3e9", "USD")).high == Money("3e9", "USD")
    with pytest.raises(AttributeError):
        read.location = "elsewhere"  # type: ignore[misc]


def test_the_records_of_a_file_share_where_they_come_from(tmp_path):
    """A file's commitments share the start of their locations and their extra fields' names
    (a commitment is kept small: big files are held in memory whole)."""
    read = _read_with_notes(tmp_path, rows=5)
    origins = [c._origin for c in read]
    assert len({id(o[0]) for o in origins}) == 1
    assert [c.location for c in read] == [f"pledges.csv:{n}" for n in range(2, 7)]
    assert all(c._rare is None for c in read)


@pytest.mark.parametrize(("workers", "locale", "read"), [
    ("1.000", "de_DE", 1000), ("12.500", "de_DE", 12500), ("1,000", None, 1000),
    ("1,000", "en_GB", 1000), ("3000", "de_DE", 3000), ("1.000", None, None),
    ("1.000", "en_US", None), ("1,000", "de_DE", None),
])  # fmt: skip
def test_a_grouped_count_of_workers_is_read_by_the_locale_or_refused(workers, locale, read):
    # '1.000' is a thousand in a German file and one (written oddly) in an English one: the
    # count is read with the locale's grouping mark, and a mark that may mean either is refused,
    # never read as 1.
    text = f"company;country;amount;announced;workers\nAcme;DE;EUR 1bn;2024-02-15;{workers}\n"
    if read is None:
        with pytest.raises(
            CommitmentFileError,
            match=r"workers '1[.,]000' is not a count .*without separators \(1000\)",
        ):
            load_text(text, "csv", name="w.csv", locale=locale, delimiter=";")
    else:
        got = load_text(text, "csv", name="w.csv", locale=locale, delimiter=";")
        assert got[0].workers == read


@pytest.mark.parametrize("workers", ["000.000", "999.999.999.999"])
def test_a_grouped_count_of_workers_is_checked_as_any_count(workers):
    text = f"company;country;amount;announced;workers\nAcme;DE;EUR 1bn;2024-02-15;{workers}\n"
    with pytest.raises(CommitmentFileError, match=r"must be a whole number of people"):
        load_text(text, "csv", name="w.csv", locale="de_DE", delimiter=";")


@pytest.mark.parametrize("seed", range(40))
def test_csv_lines_are_the_lines_a_file_opened_with_no_newline_translation_gives(seed):
    import io
    import random

    from calc.csvtext import csv_lines

    pieces = ["a", "é", ",", '"', " ", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85",
              "\u2028", "\u2029", "x" * 5]  # fmt: skip
    rng = random.Random(seed)
    text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60)))
    if seed % 2:  # the usual file: no line break but CR and LF
        text = "".join(c for c in text if c in 'a,é" \r\nx')
    assert list(csv_lines(text)) == list(io.StringIO(text, newline=""))
