"""Commitments files as spreadsheets and shared files make them: delimiters, extra columns,
locales, and nothing lost (an unclosed quote, a NUL, a field that is not text)."""

import csv
import datetime as dt
import io
import json
import re
import warnings

import pytest

from calc import CommitmentFileError, Money, UnknownLocaleError
from calc.amounts import parse_amount
from calc.cli import main
from calc.commitments import load_text
from calc.converter import Converter
from calc.errors import AmountParseError, CalcWarning
from rates import RateBook

#: The European Excel CSV: a BOM, ';' between fields, CRLF line ends, a German amount and date,
#: and a column of notes spendcalc does not use.
EXCEL_CSV = (
    "\ufeffcompany;country;amount;announced;notes\r\n"
    "Acme;DE;3,2 Mrd. €;15.02.2024;Pressemitteilung vom 15.02.\r\n"
).encode()
#: The same commitment, as a plain TOML file writes it.
PLAIN_TOML = (
    '[[commitment]]\ncompany = "Acme"\ncountry = "DE"\namount = "€3.2bn"\nannounced = 2024-02-15\n'
)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def loaded(text, fmt="csv", **options):
    """load_text, and the CalcWarning messages it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        commitments = load_text(text, fmt, name=f"p.{fmt}", **options)
    return commitments, [str(w.message) for w in caught if w.category is CalcWarning]


def problems(text, fmt="csv", **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CalcWarning)
        with pytest.raises(CommitmentFileError) as caught:
            load_text(text, fmt, name=f"p.{fmt}", **options)
    return [str(p) for p in caught.value.problems]


# -- acceptance -------------------------------------------------------------------------------


def test_the_european_excel_csv_gives_the_report_of_the_same_commitment_in_toml(capsys, tmp_path):
    sheet, plain = tmp_path / "pledges.csv", tmp_path / "plain.toml"
    sheet.write_bytes(EXCEL_CSV)
    plain.write_text(PLAIN_TOML, encoding="utf-8")
    code, out, err = run(capsys, "report", sheet, "--input-locale", "de_DE", "--format", "json")
    assert code == 0
    assert err.splitlines() == [
        "warning: pledges.csv: column notes is not a spendcalc field; it is kept as extra and "
        "not used"
    ]
    report = json.loads(out)
    expected = Converter(RateBook(cache=None)).convert(
        Money("3200000000", "EUR"), "USD", on=dt.date(2024, 2, 15)
    )
    assert report["total"] == {"amount": str(expected.result.amount), "currency": "USD"}
    (conversion,) = report["conversions"]
    assert conversion["amount"] == {"amount": "3200000000", "currency": "EUR"}
    assert conversion["announced"] == "2024-02-15"
    assert conversion["extra"] == {"notes": "Pressemitteilung vom 15.02."}
    code, plain_out, plain_err = run(capsys, "report", plain, "--format", "json")
    assert (code, plain_err) == (0, "")
    same = json.loads(plain_out)
    for key in ("total", "countries", "companies", "packages", "years"):
        assert report[key] == same[key], key


def test_an_unclosed_quote_is_one_error_naming_its_line(capsys, tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_text(
        "company,country,amount,announced,description\n"
        "A,GB,$1bn,2024-01-02,first\n"
        'B,GB,$2bn,2024-01-02,"second\n'
        "C,GB,$3bn,2024-01-02,third\n"
        "D,GB,$4bn,2024-01-02,fourth\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "report", path)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'error: pledges.csv:3: a quoted field (") that starts on this line or after it is never '
        "closed, so every later row would be read into it; close the quote"
    ]


def test_a_numeric_description_is_one_error_naming_its_line(capsys, tmp_path):
    path = tmp_path / "pledges.json"
    records = [
        {"company": "A", "country": "GB", "amount": "$1bn", "announced": "2024-01-02"},
        {"company": "B", "country": "GB", "amount": "$2bn", "announced": "2024-01-02",
         "description": 5},
    ]  # fmt: skip
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    code, out, err = run(capsys, "report", path)
    assert (code, out) == (1, "")
    assert err.splitlines() == ["error: pledges.json:8: description 5 must be text"]


# -- the delimiter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("company,country,announced\nAcme,JP,2024-01-02\n", ","),
        ("company;country;announced\nAcme;JP;2024-01-02\n", ";"),
        ("company\tcountry\tannounced\nAcme\tJP\t2024-01-02\n", "\t"),
        # A delimiter inside quotes does not count; the fields named decide.
        (
            '"company";"notes, more";"country";"announced"\r\n"Acme";"a, b";"JP";"2024-01-02"\r\n',
            ";",
        ),
        ('company,"notes; more",country,announced\nAcme,"a; b",JP,2024-01-02\n', ","),
    ],
    ids=["comma", "semicolon", "tab", "quoted-semicolons", "semicolon-in-a-quoted-column"],
)
def test_the_delimiter_is_the_one_that_makes_the_header_name_fields(text, delimiter):
    (commitment,), _warned = loaded(text)
    assert (commitment.company, commitment.country) == ("Acme", "JP")
    assert loaded(text, delimiter="tab" if delimiter == "\t" else delimiter)[0]


def test_a_semicolon_file_read_with_commas_is_one_problem_saying_so(capsys, tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_bytes(EXCEL_CSV)
    code, _out, err = run(capsys, "report", path, "--delimiter", ",", "--input-locale", "de_DE")
    assert code == 1
    assert err.splitlines() == [
        "error: pledges.csv:1: the header names no spendcalc field when read with ',' as the "
        "delimiter, but does with ';': the file looks semicolon-separated; read it with "
        "--delimiter ';'"
    ]
    assert problems(EXCEL_CSV, delimiter=",", locale="de_DE") == [
        "p.csv:1: the header names no spendcalc field when read with ',' as the delimiter, but "
        "does with ';': the file looks semicolon-separated; read it with delimiter=';'"
    ]


def test_a_delimiter_is_for_csv_and_one_of_three():
    with pytest.raises(CommitmentFileError, match=r"delimiter=';' is for CSV files"):
        load_text(PLAIN_TOML, "toml", delimiter=";")
    with pytest.raises(CommitmentFileError, match=r"delimiter='\|' is not one of ',', ';' and"):
        load_text("company|country\n", "csv", delimiter="|")


def test_the_command_line_takes_tab(capsys, tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_text("company\tcountry\tamount\tannounced\nAcme\tGB\t£1bn\t2024-01-02\n")
    code, out, err = run(capsys, "report", path, "--delimiter", "tab", "--format", "json")
    assert (code, err) == (0, "") and json.loads(out)["countries"][0]["country"] == "GB"


# -- extra columns ----------------------------------------------------------------------------


def test_extra_columns_are_kept_in_order_and_named_in_one_warning():
    text = "company,notes,country,url,announced\nAcme,first,JP,https://a.example,2024-01-02\n"
    (commitment,), warned = loaded(text)
    assert commitment.extra == (("notes", "first"), ("url", "https://a.example"))
    assert warned == [
        "p.csv: columns notes, url are not spendcalc fields; they are kept as extra and not used"
    ]


def test_a_misspelt_field_is_kept_with_a_hint_and_its_amount_is_not_guessed():
    text = "company,country,ammount,announced\nAcme,JP,$1bn,2024-01-02\n"
    (commitment,), warned = loaded(text)
    assert commitment.amount is None and commitment.extra == (("ammount", "$1bn"),)
    assert warned == [
        "p.csv: column ammount (did you mean 'amount'?) is not a spendcalc field; it is kept as "
        "extra and not used"
    ]


def test_extra_keys_in_toml_and_json_are_kept_as_text():
    toml = (
        '[[commitment]]\ncompany = "A"\ncountry = "JP"\nannounced = 2024-01-02\n'
        'reviewed = true\npages = 12\nshare = 0.25\nchecked = 2024-03-01\ntags = ["ai", 2]\n'
    )
    (commitment,), warned = loaded(toml, "toml")
    assert commitment.extra == (
        ("reviewed", "true"), ("pages", "12"), ("share", "0.25"), ("checked", "2024-03-01"),
        ("tags", '["ai", 2]'),
    )  # fmt: skip
    assert warned == [
        "p.toml: keys reviewed, pages, share, checked, tags are not spendcalc fields; they are "
        "kept as extra and not used"
    ]
    json_text = '[{"company": "A", "country": "JP", "announced": "2024-01-02", "Notes": null}]'
    (commitment,), warned = loaded(json_text, "json")
    assert commitment.extra == (("Notes", ""),) and len(warned) == 1


def test_extra_fields_reach_json_and_the_conversions_csv(capsys, tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_text(
        "company,country,amount,announced,notes,rate\n"
        "A,GB,£1bn,2024-01-02,=HYPERLINK(1),high\n"
        "B,GB,£2bn,2024-01-02,,\n",
        encoding="utf-8",
    )
    code, out, _err = run(capsys, "report", path, "--format", "csv", "--rows", "conversions")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][-3:] == ["method", "notes", "extra_rate"]
    assert [row[-2:] for row in rows[1:]] == [["'=HYPERLINK(1)", "high"], ["", ""]]
    code, out, _err = run(capsys, "report", path, "--format", "json")
    extras = [c["extra"] for c in json.loads(out)["conversions"]]
    assert extras == [{"notes": "=HYPERLINK(1)", "rate": "high"}, {"notes": "", "rate": ""}]


def test_an_extra_field_is_checked_too():
    bad = '[{"company": "A", "country": "JP", "announced": "2024-01-02", "note": "\\ud800"}]'
    assert problems(bad, "json") == [
        "p.json:1: note '\\ud800' is not valid text (a lone surrogate); fix its escapes"
    ]
    nameless = '[{"company": "A", "country": "JP", "announced": "2024-01-02", "": 5}]'
    assert problems(nameless, "json") == [
        "p.json:1: a field has no name (its value is 5); name it or remove it"
    ]


# -- locales ----------------------------------------------------------------------------------


def test_the_locale_comes_from_the_record_then_the_file_then_the_caller():
    toml = (
        '[defaults]\nlocale = "de_DE"\n'
        '[[commitment]]\ncompany = "A"\ncountry = "DE"\namount = "3,2 Mrd. €"\nannounced = "15.02.2024"\n'
        '[[commitment]]\ncompany = "B"\ncountry = "FR"\namount = "2,5 Md €"\nannounced = "15/02/2024"\n'
        'locale = "fr_FR"\n'
    )
    german, french = load_text(toml, "toml", locale="en_GB")
    assert german.amount == Money("3200000000", "EUR") and german.announced == dt.date(2024, 2, 15)
    assert french.amount == Money("2500000000", "EUR") and french.announced == dt.date(2024, 2, 15)
    json_text = json.dumps(
        {"defaults": {"locale": "de_DE"},
         "commitments": [{"company": "A", "country": "DE", "amount": "3,2 Mrd. €",
                          "announced": "15.02.2024"}]}
    )  # fmt: skip
    assert load_text(json_text, "json")[0].amount == Money("3200000000", "EUR")
    csv_text = 'company,country,amount,announced\nA,GB,"£2,5bn",2024-02-15\n'
    (british,) = load_text(csv_text, "csv", locale="de_DE", delimiter=",")
    assert british.amount == Money("2500000000", "GBP") and british.announced.day == 15


@pytest.mark.parametrize(
    ("options", "origin"),
    [
        ({"locale": "de_DE", "cli": True},
         "read with locale de_DE (from --input-locale); set the record's locale field or "
         "--input-locale"),
        ({"locale": "de_DE"},
         "read with locale de_DE (from the locale argument); set the record's locale field or "
         "the locale argument"),
        ({}, "read with no locale; set the record's locale field or the locale argument"),
    ],
    ids=["cli", "library", "none"],
)  # fmt: skip
def test_every_amount_error_says_which_locale_it_read_with_and_how_to_change_it(options, origin):
    (message,) = problems(
        "company,country,amount,announced\nA,DE,zwei Mrd.,2024-01-02\n", **options
    )
    assert message.startswith("p.csv:2: amount 'zwei Mrd.' is not an amount: ")
    assert message.endswith(f" ({origin})")


def test_the_locale_of_a_record_or_a_file_is_named_in_its_errors():
    toml = (
        '[defaults]\nlocale = "de_DE"\n[[commitment]]\ncompany = "A"\ncountry = "DE"\n'
        'amount = "zwei Mrd."\nannounced = 2024-01-02\n[[commitment]]\ncompany = "B"\n'
        'country = "DE"\namount = "zwei Mrd."\nannounced = 2024-01-02\nlocale = "fr_FR"\n'
    )
    first, second = problems(toml, "toml")
    assert first.endswith(
        "(read with locale de_DE (from the file's [defaults] locale); set the record's locale "
        "field or change the file's [defaults] locale)"
    )
    assert second.startswith("p.toml:8: ") and second.endswith(
        "(read with locale fr_FR (from the record's locale field); change the record's locale "
        "field)"
    )


def test_a_decimal_comma_in_an_english_file_is_explained_as_convert_explains_it(capsys, tmp_path):
    with pytest.raises(AmountParseError) as convert:
        parse_amount("£2,5bn")
    path = tmp_path / "pledges.csv"
    path.write_text('company,country,amount,announced\nA,GB,"£2,5bn",2024-01-02\n')
    code, _out, err = run(capsys, "report", path)
    assert code == 1
    assert err.splitlines() == [
        f"error: pledges.csv:2: amount '£2,5bn' is not an amount: {convert.value.reason[:-1]} "
        "(read with no locale; set the record's locale field or --input-locale)"
    ]


@pytest.mark.parametrize(
    ("locale", "written", "day"),
    [
        ("de_DE", "15.02.2024", dt.date(2024, 2, 15)),
        ("de_DE", "2024-02-15", dt.date(2024, 2, 15)),  # ISO always
        ("en_GB", "15/02/2024", dt.date(2024, 2, 15)),
        ("fr_FR", "01/02/2024", dt.date(2024, 2, 1)),
        ("en_US", "02/15/2024", dt.date(2024, 2, 15)),
        ("ja_JP", "2024/02/15", dt.date(2024, 2, 15)),
    ],
)
def test_dates_as_the_locale_writes_them(locale, written, day):
    text = (
        f"company,country,announced,start,end,period_years\nA,JP,{written},{written},{written},\n"
    )
    (commitment,) = load_text(text, "csv", locale=locale)
    assert commitment.announced == commitment.start == commitment.end == day


@pytest.mark.parametrize(
    ("locale", "written", "fix"),
    [
        (None, "15.02.2024", "write YYYY-MM-DD or YYYY-MM (read with no locale; "),
        ("en_US", "15/02/2024", "write YYYY-MM-DD, YYYY-MM or MM/DD/YYYY (read with locale en_US"),
        ("en_GB", "02/15/2024", "write YYYY-MM-DD, YYYY-MM or DD/MM/YYYY (read with locale en_GB"),
        ("de_DE", "15.02.24", "write YYYY-MM-DD, YYYY-MM or DD.MM.YYYY (read with locale de_DE"),
        ("en", "02/03/2024",
         "write YYYY-MM-DD or YYYY-MM; en alone does not say whether dates are written month "
         "first (MM/DD/YYYY) or day first; name the territory, e.g. en_US or en_GB (read with"),
    ],
    ids=["no-locale", "day-first-in-en_US", "month-first-in-en_GB", "two-digit-year", "en-alone"],
)  # fmt: skip
def test_a_date_the_locale_does_not_write_is_refused_not_guessed(locale, written, fix):
    (message,) = problems(f"company,country,announced\nA,JP,{written}\n", locale=locale)
    assert message.startswith(f"p.csv:2: announced {written!r} is not a date; {fix}")


def test_an_unknown_locale_is_refused_wherever_it_is_given(capsys, tmp_path):
    with pytest.raises(UnknownLocaleError, match=r"^'xx_YY' \(from the locale argument\) is not"):
        load_text("company,country,announced\nA,JP,2024-01-02\n", "csv", locale="xx_YY")
    path = tmp_path / "p.csv"
    path.write_text("company,country,announced\nA,JP,2024-01-02\n")
    code, _out, err = run(capsys, "report", path, "--input-locale", "xx_YY")
    assert (code, err) == (
        1,
        "error: 'xx_YY' (from --input-locale) is not a locale babel knows; use one such as "
        "'en_GB' or 'de_DE'.\n",
    )
    assert problems("company,country,announced,locale\nA,JP,2024-01-02,de-DE\n") == [
        "p.csv:2: locale 'de-DE' is not a locale babel knows; use one such as 'en_GB' or 'de_DE'"
    ]
    toml = '[defaults]\nlocale = "xx"\ncurrency = "EUR"\n[[commitment]]\ncompany = "A"\ncountry = "JP"\nannounced = 2024-01-02\n'
    assert problems(toml, "toml") == [
        "p.toml: [defaults] holds 'currency', which spendcalc does not read; it may hold locale only",
        "p.toml: [defaults] locale 'xx' is not a locale babel knows; use one such as 'en_GB' or 'de_DE'",
    ]


# -- nothing silently lost --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('company,country,announced\nA,JP,2024-01-02\nB,"JP,2024-01-02\nC,JP,2024-01-02\n',
         'p.csv:3: a quoted field (") that starts on this line or after it is never closed, so '
         "every later row would be read into it; close the quote"),
        ("company,country,announced\nA,JP,2024-01-02\nB,JP,2024-01-02,x\n",
         "p.csv:3: the row has 4 fields; the header names 3: quote a field that holds a comma, "
         "or add a column to the header"),
        ("company;country;announced\nA;JP;2024-01-02;x\n",
         "p.csv:2: the row has 4 fields; the header names 3: quote a field that holds a "
         "semicolon, or add a column to the header"),
        ("company,country,announced\nA\x00,JP,2024-01-02\n",
         "p.csv:2: the row holds a NUL character; remove it"),
        ('company,country,announced,description\nA,JP,2024-01-02,"' + "x" * 140_000 + "\n",
         "p.csv:2: a field that starts on this line or after it is longer than 131072 "
         'characters: most likely a quoted field (") that is never closed; close the quote'),
        ('company,country,announced\nA,JP,"2024"-01-02\n',
         "p.csv:2: is not valid CSV: ',' expected after '\"'"),
    ],
    ids=["unclosed-quote", "too-many-fields", "too-many-semicolons", "nul", "runaway-quote",
         "stray-quote"],
)  # fmt: skip
def test_a_csv_row_that_cannot_be_read_whole_is_one_problem_naming_its_line(text, message):
    assert problems(text) == [message]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", 5, "description 5 must be text"),
        ("description", ["a", "b"], "description ['a', 'b'] must be text"),
        ("description", "\ud800", "description '\\ud800' is not valid text (a lone surrogate); fix its escapes"),
        ("source", 2024, "source 2024 must be text"),
        ("company", 3, "company 3 must be text"),
    ],
)  # fmt: skip
def test_a_text_field_that_is_not_text_is_reported_never_blanked(field, value, message):
    record = {"company": "A", "country": "JP", "announced": "2024-01-02", field: value}
    text = json.dumps([record], ensure_ascii=True)
    assert problems(text, "json") == [f"p.json:1: {message}"]


# -- lines of big files -----------------------------------------------------------------------


def test_record_lines_are_counted_right_in_long_json_and_toml():
    records = [{"company": f"C{i}", "country": "JP", "announced": "2024-01-02"} for i in range(500)]
    text = json.dumps({"commitments": records}, indent=2)
    starts = [i + 1 for i, line in enumerate(text.splitlines()) if line == "    {"]
    assert [int(c.location.split(":")[1]) for c in load_text(text, "json")] == starts
    toml = "".join(
        f'[[ commitment ]]\ncompany = "C{i}"\ncountry = "JP"\n\nannounced = 2024-01-02\n'
        for i in range(500)
    )
    assert [c.location for c in load_text(toml, "toml", name="p.toml")][-1] == "p.toml:2496"
    assert re.fullmatch(r"<text>:\d+", load_text(toml, "toml")[0].location)
