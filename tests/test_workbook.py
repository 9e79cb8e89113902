"""Workbooks: commitments read from .xlsx sheets, and the report written as one."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from calc import CalcError, CommitmentFileError, Money, build_report, load_commitments
from calc.cli import main
from calc.commitments import load_text
from calc.errors import Problem
from calc.examples import example_as, example_records
from calc.fields import FIELDS
from calc.report_workbook import report_tables, write_report_workbook
from calc.workbook import load_workbook
from tests.clock import TODAY, set_today
from tests.conftest import ROOT

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch):
    set_today(monkeypatch, TODAY)


def book_of(rows, *, title="Pledges", header=FIELDS, more=()):
    """A workbook (bytes) with a sheet `title`: `header`, then `rows` (lists or dicts by field);
    ``more`` adds sheets as ``(title, rows)``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(f) for f in header] if isinstance(row, dict) else list(row))
    for other, other_rows in more:
        extra = book.create_sheet(other)
        for row in other_rows:
            extra.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def example_cells():
    """The bundled example as a spreadsheet holds it: dates as date cells, numbers as numbers
    (the USD amounts as a number and a currency), the pound amount as press text."""
    rows = []
    for record in example_records():
        row = {k: int(v) if isinstance(v, Decimal) else v for k, v in record.items()}
        if row.get("amount") == "$2.9bn":
            row.update(amount=2_900_000_000, currency="USD")
        elif row.get("amount") == "$9.9m":
            row.update(amount=9.9e6, currency="USD")  # a float cell, read as 9900000
        rows.append(row)
    assert isinstance(rows[0]["announced"], dt.date) and rows[4]["amount"] == "£2.5bn"
    return rows


@pytest.fixture
def example_xlsx(tmp_path):
    path = tmp_path / "pledges.xlsx"
    path.write_bytes(book_of(example_cells()))
    return path


def report_json(capsys, *argv):
    assert main(["report", *argv, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for conversion in data["conversions"]:
        conversion.pop("location")  # names the file: the one thing that differs
    return data


# Reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options", [[], ["--by", "package"], ["--on", "average", "--currency", "JPY"], ["--by-year"]]
)
def test_a_workbook_of_the_example_gives_the_same_json_report_as_the_toml(
    capsys, example_xlsx, options
):
    assert report_json(capsys, str(example_xlsx), *options) == report_json(capsys, *options)


def test_a_workbook_reads_the_same_records_as_the_toml(example, example_xlsx):
    loaded = load_commitments(example_xlsx)
    fields = lambda c: (c.company, c.country, c.category, c.amount, c.announced, c.period,  # noqa: E731
                        c.workers, c.training_years, c.description, c.source, c.package)  # fmt: skip
    assert [fields(c) for c in loaded] == [fields(c) for c in example]
    assert loaded[0].location == "pledges.xlsx, sheet 'Pledges', row 2"
    assert loaded.path == "pledges.xlsx" and loaded.overrides == ()


def test_first_sheet_by_default_or_the_one_named_in_any_case(tmp_path, capsys):
    path = tmp_path / "two.xlsx"
    japan = ["Microsoft", "JP", "infrastructure", "", "$2.9bn", "", D(2024, 4, 9)]
    path.write_bytes(book_of([japan], title="Notes", more=[("UK", [FIELDS, ["Microsoft", "GB",
                     "", "", "£2.5bn", "", D(2023, 11, 30)]])]))  # fmt: skip
    assert [c.country for c in load_commitments(path)] == ["JP"]
    assert [c.country for c in load_commitments(path, sheet="UK")] == ["GB"]
    assert [c.country for c in load_workbook(path, sheet="uk")] == ["GB"]
    assert main(["report", str(path), "--sheet", "UK", "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\nGB,") == 1
    with pytest.raises(
        CommitmentFileError,
        match=r"^two\.xlsx: has no sheet 'Pledges'; its sheets are 'Notes', 'UK'$",
    ):
        load_commitments(path, sheet="Pledges")


def test_a_sheet_is_only_for_workbooks(tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(example_as("csv"), encoding="utf-8")
    with pytest.raises(
        CommitmentFileError, match=r"p\.csv: has no sheets: sheet 'X' is for \.xlsx"
    ):
        load_commitments(path, sheet="X")
    assert main(["report", "--sheet", "X"]) == 1
    assert (
        capsys.readouterr().err == "error: --sheet names a sheet of an .xlsx FILE; give the file.\n"
    )


def test_errors_name_the_sheet_row_and_column(tmp_path):
    path = tmp_path / "pledges.xlsx"
    rows = [
        ["Microsoft", "JP", "", "", "$2.9bn", "", D(2024, 4, 9)],
        ["Acme", "GB", "", "", "two billion", "", D(2024, 1, 2)],
        ["Acme", "XX", "", "", 1e9 / 3, "GBP", "soon"],  # as =1e9/3 leaves it
    ]
    path.write_bytes(book_of(rows))
    with pytest.raises(CommitmentFileError) as caught:
        load_commitments(path)
    assert [str(p) for p in caught.value.problems] == [
        "pledges.xlsx, sheet 'Pledges', row 3, column E (amount): amount 'two billion' is not an "
        "amount: it has no figures; write the number in digits, e.g. '£2bn' (read with no "
        "locale; set the record's locale field or the locale argument)",
        "pledges.xlsx, sheet 'Pledges', row 4, column B (country): country 'XX' is not an ISO "
        "3166-1 alpha-2 code (such as JP, GB, US)",
        "pledges.xlsx, sheet 'Pledges', row 4, column E (amount): amount 333333333.3333333 has "
        "16 significant digits, more than the 15 a spreadsheet keeps, so it is computed, not a "
        "figure as typed; round it in the sheet with ROUND(..., 2), or type the figure",
        "pledges.xlsx, sheet 'Pledges', row 4, column G (announced): announced 'soon' is not a "
        "date; write YYYY-MM-DD or YYYY-MM (read with no locale; set the record's locale field "
        "or the locale argument)",
    ]
    assert str(caught.value).endswith("(and 3 more problems)")
    assert caught.value.problems[0] == Problem(
        "pledges.xlsx", 3, "amount", caught.value.problems[0].message, sheet="Pledges", column="E"
    )


def test_a_text_files_problems_read_as_before():
    assert str(Problem("p.csv", 3, "amount", "bad")) == "p.csv:3: bad"
    assert str(Problem("p.csv", None, None, "bad")) == "p.csv: bad"
    assert str(Problem("p.xlsx", None, None, "bad", sheet="S")) == "p.xlsx, sheet 'S': bad"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (2_900_000_000, Money("2900000000", "USD")),
        (2.5e9, Money("2500000000", "USD")),
        (1234.56, Money("1234.56", "USD")),  # the double nearest 1234.56, read as typed
        (0.1, Money("0.1", "USD")),
        (123456789012.345, Money("123456789012.345", "USD")),  # 15 digits: as typed
        ("2.9bn", Money("2900000000", "USD")),
        ("2,900,000", Money("2900000", "USD")),
        ("", None),
        (None, None),
        ("undisclosed", None),
    ],
)
def test_amount_cells_are_read_as_the_spreadsheet_stores_them(cell, expected):
    raw = book_of([["Acme", "US", "", "", cell, "USD", D(2024, 1, 2)]])
    (commitment,) = load_workbook(raw, name="p.xlsx")
    assert commitment.amount == expected
    if expected is not None:
        assert type(commitment.amount.amount) is Decimal


@pytest.mark.parametrize(
    ("field", "cell", "message"),
    [
        ("amount", 1 / 3, r"amount 0\.3333333333333333 has 16 significant digits, more than the 15"),
        ("amount", dt.datetime(2024, 2, 3), r"amount is a date cell \(2024-02-03\); the spreadsheet "
         "may have taken the figure for a date: format the cell as text or a number"),
        ("amount", "#DIV/0!", r"amount is the spreadsheet error #DIV/0!; fix the formula"),
        ("description", "#N/A", r"description is the spreadsheet error #N/A"),
        ("period_years", 2 / 3, r"period_years 0\.6666666666666666 has 16 significant digits"),
    ],
)  # fmt: skip
def test_cells_that_cannot_stand_for_their_field_are_refused_once(field, cell, message):
    record = {"company": "Acme", "country": "US", "announced": D(2024, 1, 2), field: cell}
    with pytest.raises(CommitmentFileError) as caught:
        load_workbook(book_of([record]), name="p.xlsx")
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == (field, 2)
    assert problem.column == "ABCDEFGHIJKLMN"[FIELDS.index(field)]
    assert re.search(message, problem.message), problem.message


def test_other_cells_are_read_as_their_text_dates_as_dates():
    record = {"company": 3, "country": "us", "announced": dt.datetime(2024, 1, 2, 0, 0),
              "start": "2024-02-01", "end": D(2026, 1, 31), "description": D(2024, 5, 6),
              "source": 2.5, "package": 1, "workers": 3_000_000, "training_years": 1.5,
              "category": "TRAINING", "amount": "£2.5bn"}  # fmt: skip
    (c,) = load_workbook(book_of([record]), name="p.xlsx")
    assert (c.company, c.country, c.category, c.package) == ("3", "US", "training", "1")
    assert (c.description, c.source) == ("2024-05-06", "2.5")
    assert c.announced == D(2024, 1, 2) and c.period == (D(2024, 2, 1), D(2026, 1, 31))
    assert c.workers == 3_000_000 and c.training_years == Decimal("1.5")


def test_the_header_is_the_first_row_with_anything_and_blank_rows_are_skipped():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A3"], sheet["B3"], sheet["C3"] = "Company ", "COUNTRY", "announced"
    sheet.append(["Acme", "GB", "2024-01-02"])
    sheet.append([])
    sheet.append(["", "  "])
    sheet.append(["Acme", "JP", "2024-01-03"])
    raw = io.BytesIO()
    book.save(raw)
    loaded = load_workbook(raw.getvalue(), name="p.xlsx")
    assert [c.location for c in loaded] == [
        "p.xlsx, sheet 'Sheet', row 4",
        "p.xlsx, sheet 'Sheet', row 7",
    ]


def test_a_header_that_names_a_field_twice_or_a_value_under_no_name():
    twice = book_of([["Acme", "GB", "2024-01-02", "1", "2"]],
                    header=["company", "country", "announced", "amount", "Amount"])  # fmt: skip
    with pytest.raises(
        CommitmentFileError,
        match=r"^p\.xlsx, sheet 'Pledges', row 1: the header names 'amount' in columns D and E; keep one$",
    ):
        load_workbook(twice, name="p.xlsx")
    unnamed = book_of([["Acme", "GB", "2024-01-02", None, "x"]],
                      header=["company", "country", "announced"])  # fmt: skip
    with pytest.raises(
        CommitmentFileError,
        match=r"^p\.xlsx, sheet 'Pledges', row 2, column E: holds a value in a column the header "
        r"does not name; name the column or clear the cell$",
    ):
        load_workbook(unnamed, name="p.xlsx")


def test_unknown_columns_are_treated_as_in_csv(tmp_path):
    """Whatever the CSV reader does with a column it does not know, a workbook does the same."""
    header = ["company", "country", "announced", "amount", "notes"]
    row = ["Acme", "GB", "2024-01-02", "£1bn", "from the press release"]
    csv_path, xlsx_path = tmp_path / "p.csv", tmp_path / "p.xlsx"
    csv_path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    xlsx_path.write_bytes(book_of([row], header=header))

    def outcome(path):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = [
                    (c.company, c.amount, getattr(c, "extra", None)) for c in load_commitments(path)
                ]
            except CommitmentFileError as exc:
                result = [(p.field, p.message) for p in exc.problems]
        said = [str(w.message).replace(path.name, "FILE") for w in caught]
        return result, said

    assert outcome(xlsx_path) == outcome(csv_path)


def test_a_wrong_dimension_in_the_file_cuts_no_row_off(tmp_path):
    raw = book_of([["Acme", "GB", "", "", "£1bn", "", D(2024, 1, 2)]] * 3)
    source, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, changed = re.subn(
                    rb'<dimension ref="A1:[A-Z]+4" ?/>', b'<dimension ref="A1:B2"/>', data
                )
                assert changed == 1
            target.writestr(item, data)
    assert len(load_workbook(out.getvalue(), name="p.xlsx")) == 3


def test_what_is_not_a_workbook(tmp_path):
    with pytest.raises(CommitmentFileError, match=r"^p\.xlsx: is not an Excel workbook \(\.xlsx\)"):
        load_workbook(b"company,country\n", name="p.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommitmentFileError, match=r"^broken\.xlsx: is not an Excel workbook"):
        load_commitments(tmp_path / "broken.xlsx")
    with pytest.raises(CommitmentFileError, match=r"^gone\.xlsx: cannot be read: No such file"):
        load_commitments(tmp_path / "gone.xlsx")
    with pytest.raises(
        CommitmentFileError, match=r"^e\.xlsx, sheet 'Pledges': holds no commitments$"
    ):
        load_workbook(book_of([]), name="e.xlsx")


def test_without_openpyxl_a_workbook_is_read_and_writing_one_says_how_to_install_it(
    monkeypatch, example_xlsx, capsys
):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl raises ImportError
    assert main(["report", str(example_xlsx), "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\nJP,") == 1
    hint = "install it with: pip install openpyxl (or, in a spendcalc source tree, pip install '.[xlsx]')"
    assert main(["report", "--format", "xlsx", "-o", str(example_xlsx.with_name("r.xlsx"))]) == 1
    assert capsys.readouterr().err == f"error: Writing a workbook needs openpyxl; {hint}.\n"


def test_report_and_convert_never_import_openpyxl(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(example_as("csv"), encoding="utf-8")
    code = (
        "import sys, calc.cli\n"
        "assert calc.cli.main(['report']) == 0\n"
        f"assert calc.cli.main(['report', {str(csv_path)!r}, '--format', 'json']) == 0\n"
        "assert calc.cli.main(['convert', '£1', '--to', 'USD', '--on', '2023-11-30']) == 0\n"
        "print('openpyxl' in sys.modules, 'calc.workbook' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "SPENDCALC_TODAY": TODAY.isoformat()}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, check=True)  # fmt: skip
    assert result.stderr.strip() == "False False"


# Writing -----------------------------------------------------------------------------------


def sheet_rows(sheet):
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_written_report_opens_and_its_totals_are_the_jsons_rounded_totals(
    tmp_path, capsys, example_xlsx
):
    out = tmp_path / "report.xlsx"
    assert main(["report", str(example_xlsx), "--format", "xlsx", "-o", str(out)]) == 0
    assert capsys.readouterr() == ("", f"wrote the report to {out}\n")
    data = report_json(capsys, str(example_xlsx))
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["By country", "Comparisons", "Conversions", "Provenance"]
    main_sheet = book["By country"]
    rows = sheet_rows(main_sheet)
    rounded = lambda amount: Money(amount["amount"], amount["currency"]).rounded().amount  # noqa: E731
    for row, country in zip(rows, data["countries"], strict=False):
        assert row["country"] == country["country"]
        assert Decimal(repr(row["total"])) == rounded(country["total"])
    assert rows[-1]["country"] == "Total (disclosed)" and len(rows) == len(data["countries"]) + 1
    assert Decimal(repr(rows[-1]["total"])) == rounded(data["total"]) == Decimal("6073976972.95")
    total = main_sheet["H2"]
    assert total.data_type == "n" and total.number_format == '#,##0.00 "USD"'
    assert main_sheet["I2"].number_format == "0.0%" and main_sheet.freeze_panes == "A2"


def test_a_sheet_per_table_and_the_provenance(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    argv = ["report", "--format", "xlsx", "-o", str(out), "--by-year", "--per-capita", "--ppp",
            "--currency", "JPY", "--rate", "TWD=34.7"]  # fmt: skip
    assert main(argv) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["By country", "Comparisons", "Conversions", "By year",
                               "Per head and PPP", "Provenance"]  # fmt: skip
    provenance = [(row["item"], row["value"]) for row in sheet_rows(book["Provenance"])]
    for pair in [("currency", "JPY"), ("rounding", "half-up"), ("policy", "announced"),
                 ("override", "TWD=34.7"), ("source", "ECB reference rates (bundled)"),
                 ("option --by-year", "yes"), ("option --currency", "JPY"),
                 ("option file", "(the bundled example)")]:  # fmt: skip
        assert pair in provenance
    assert ("spendcalc", "0.1.0") in provenance
    assert any(item == "note" and "rounded once, half-up" in value for item, value in provenance)
    assert book["By country"]["H2"].number_format == '#,##0 "JPY"'
    conversions = sheet_rows(book["Conversions"])
    uk = conversions[4]
    assert uk["amount"] == 2_500_000_000 and uk["fixing_date"] == dt.datetime(2023, 11, 30)
    assert isinstance(uk["rate"], str) and Decimal(uk["rate"]) > 100  # every digit, as text
    assert uk["stale"] is False and conversions[1]["converted"] is None  # undisclosed: no zero
    years = sheet_rows(book["By year"])
    assert (
        years[-1]["country"] == "All"
        and years[-1]["dated_total"] == sheet_rows(book["By country"])[-1]["total"]
    )


def test_text_never_becomes_a_formula_and_controls_are_escaped(tmp_path):
    hostile = ['=HYPERLINK("http://x.test","click")', "@SUM(A1)", "+1+1", "-2+3",
               "\x1b]0;pwned\x07\x1b[2J", "a\u202eb", "two\r\nlines"]  # fmt: skip
    records = [{"company": text, "country": "GB", "announced": "2024-01-02", "amount": "£1bn",
                "description": text, "source": text} for text in hostile]  # fmt: skip
    commitments = load_text(json.dumps(records), "json", name="h.json")
    out = tmp_path / "h.xlsx"
    write_report_workbook(build_report(commitments, by="company"), str(out))
    with zipfile.ZipFile(out) as archive:
        assert not any(b"<f>" in archive.read(n) for n in archive.namelist() if "worksheets" in n)
    book = openpyxl.load_workbook(out)
    shown = [row["description"] for row in sheet_rows(book["Conversions"])]
    assert shown[:4] == hostile[:4]
    assert shown[4:] == ["\\x1b]0;pwned\\x07\\x1b[2J", "a\\u202eb", "two\nlines"]
    cell = book["Conversions"]["E2"]
    assert cell.data_type == "s" and cell.quotePrefix
    companies = [row["company"] for row in sheet_rows(book["By company"])]
    assert set(companies[:-1]) == {*hostile[:4], *shown[4:]}


def test_a_figure_a_double_cannot_hold_is_written_as_its_digits(tmp_path):
    commitments = load_text(
        "company,country,announced,amount,currency\nAcme,US,2024-01-02,1234567890123.123456,USD\n",
        "csv", name="p.csv",
    )  # fmt: skip
    report = build_report(commitments)
    (row,) = report_tables(report)[2].rows
    out = tmp_path / "p.xlsx"
    write_report_workbook(report, str(out))
    (conversion,) = sheet_rows(openpyxl.load_workbook(out)["Conversions"])
    assert (
        conversion["amount"] == "1234567890123.123456"
        and conversion["converted"] == 1234567890123.12
    )
    assert row[6] == Money("1234567890123.123456", "USD")


def test_packages_months_and_the_rounding_rule(tmp_path):
    commitments = load_text(
        "company,country,announced,amount,currency\nAcme,US,2024-01,0.125,EUR\n",
        "csv",
        name="p.csv",
    )
    out = tmp_path / "p.xlsx"
    report = build_report(commitments, by="package", policy="2024-01-02", rounding="half-even")
    write_report_workbook(report, str(out))
    sheet = openpyxl.load_workbook(out)["By package"]
    (row, _total) = sheet_rows(sheet)
    assert row["package"] == "Acme/US/2024-01" and row["announced"] == dt.datetime(2024, 1, 1)
    assert sheet["D2"].number_format == "yyyy-mm"
    exact = report.packages[0].total
    assert Decimal(repr(row["total"])) == exact.rounded("half-even").amount


def test_xlsx_needs_an_output_file(capsys):
    assert main(["report", "--format", "xlsx"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("spendcalc report: error: --format xlsx writes a binary")
    assert "-o PATH" in err and err.count("\n") == 1


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_output_writes_the_text_formats_to_a_file(tmp_path, capsys, fmt):
    assert main(["report", "--format", fmt]) == 0
    shown = capsys.readouterr().out
    out = tmp_path / f"r.{fmt}"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    assert main(["report", "--format", fmt, "--output", str(out)]) == 0
    assert capsys.readouterr() == ("", f"wrote the report to {out}\n")
    assert out.read_text(encoding="utf-8") == shown and (out.stat().st_mode & 0o777) == 0o600


def test_a_link_is_replaced_only_with_force(tmp_path, capsys):
    target = tmp_path / "real.xlsx"
    target.write_bytes(b"keep")
    link = tmp_path / "r.xlsx"
    link.symlink_to(target)
    assert main(["report", "--format", "xlsx", "-o", str(link)]) == 1
    assert "is a symbolic link" in capsys.readouterr().err and target.read_bytes() == b"keep"
    assert main(["report", "--format", "xlsx", "-o", str(link), "--force"]) == 0
    assert not link.is_symlink() and openpyxl.load_workbook(link).sheetnames[0] == "By country"
    assert main(["report", "--format", "xlsx", "-o", str(tmp_path)]) == 1
    assert "it is a directory; give a file name" in capsys.readouterr().err


def test_nothing_is_staged_outside_the_target_directory_or_left_on_failure(
    tmp_path, monkeypatch, example
):
    import tempfile

    from calc import report_workbook

    (tmp_path / "tmp").mkdir()
    (tmp_path / "out").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    report = build_report(example)
    write_report_workbook(report, str(tmp_path / "out" / "r.xlsx"))
    assert os.listdir(tmp_path / "tmp") == [] and os.listdir(tmp_path / "out") == ["r.xlsx"]
    assert tempfile.tempdir == str(tmp_path / "tmp")

    real_cell, calls, staged = report_workbook._cell, [], []

    def failing(*args):
        calls.append(args)
        if len(calls) > 40:  # a few sheets in, their staging files written
            staged.extend([os.listdir(tmp_path / "tmp"), os.listdir(tmp_path / "out")])
            raise OSError(28, "No space left on device")
        return real_cell(*args)

    monkeypatch.setattr(report_workbook, "_cell", failing)
    with pytest.raises(CalcError, match=r"^Cannot write '.*b\.xlsx': No space left on device\.$"):
        write_report_workbook(report, str(tmp_path / "out" / "b.xlsx"))
    assert staged[0] == [] and any(name.startswith("openpyxl.") for name in staged[1])
    assert os.listdir(tmp_path / "tmp") == [] and os.listdir(tmp_path / "out") == ["r.xlsx"]
    assert Path(tmp_path / "out" / "r.xlsx").stat().st_size > 1000


def only_expat(monkeypatch):
    """Make expat read every sheet (the fast reader declines every piece)."""
    from calc import xlsx_rows

    monkeypatch.setattr(xlsx_rows._Rows, "tokens", lambda self, text: None)


@pytest.mark.parametrize("reader", ["fast", "expat"])
def test_both_readers_give_the_same_commitments(monkeypatch, example_xlsx, reader):
    """The fast reader reads the rows a spreadsheet writes, expat any XML: the same either way."""
    expected = load_commitments(example_xlsx)
    if reader == "expat":
        only_expat(monkeypatch)
    assert load_commitments(example_xlsx).commitments == expected.commitments


@pytest.mark.parametrize("reader", ["fast", "expat"])
def test_a_workbook_with_an_error_cell_names_it(tmp_path, monkeypatch, reader):
    """An error cell is never read as empty, which would make an amount undisclosed."""
    if reader == "expat":
        only_expat(monkeypatch)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["company", "country", "amount", "currency", "announced"])
    sheet.append(["Acme", "GB", None, "GBP", "2024-01-02"])
    sheet.cell(2, 3).value, sheet.cell(2, 3).data_type = "#DIV/0!", "e"
    path = tmp_path / "e.xlsx"
    book.save(path)
    with pytest.raises(
        CommitmentFileError,
        match=r"^e\.xlsx, sheet 'Sheet', row 2, column C \(amount\): amount is the spreadsheet "
        r"error #DIV/0!; fix the formula or the value$",
    ):
        load_commitments(path)


@pytest.mark.parametrize("reader", ["fast", "expat"])
def test_a_table_that_does_not_start_at_a1_keeps_its_rows_and_columns(
    tmp_path, monkeypatch, reader
):
    if reader == "expat":
        only_expat(monkeypatch)
    book = openpyxl.Workbook()
    sheet = book.active
    for column, (head, value) in enumerate(
        [("company", "Acme"), ("country", "XX"), ("amount", "£1bn"), ("announced", "2024-01-02")],
        start=2,
    ):
        sheet.cell(3, column).value, sheet.cell(4, column).value = head, value
    path = tmp_path / "off.xlsx"
    book.save(path)
    with pytest.raises(CommitmentFileError) as caught:
        load_commitments(path)
    assert str(caught.value.problems[0]).startswith(
        "off.xlsx, sheet 'Sheet', row 4, column C (country): country 'XX'"
    )
