"""Provenance that survives every format (issue 13, item 5), and a stated rounding rule (item 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from calc import Converter, Money, build_report
from calc.chart import _title as chart_title
from calc.cli import main
from calc.commitments import Commitment, load_text
from calc.render import render_report
from rates import RateBook
from rates.errors import RateWarning

D = dt.date
TAIWAN = """\
[rates]
"USD/TWD" = "34.7"

[[commitment]]
company = "Acme"
country = "TW"
amount = "NT$5bn"
announced = 2024-01-19

[[commitment]]
company = "Acme"
country = "JP"
amount = "$1bn"
announced = 2024-04-09
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def taiwan(tmp_path):
    path = tmp_path / "tw.toml"
    path.write_text(TAIWAN, encoding="utf-8")
    return str(path)


def test_the_command_lines_rate_beats_the_files_with_a_warning(capsys, taiwan):
    code, out, err = run(capsys, "report", taiwan, "--rate", "USD/TWD=30", "--format", "json")
    assert code == 0
    assert (
        "warning: --rate USD/TWD=30 is used for TWD instead of the file's [rates] USD/TWD=34.7"
        in err
    )
    data = json.loads(out)
    (tw,) = [c for c in data["countries"] if c["country"] == "TW"]
    # 5bn TWD at 30 per USD, exactly: the user's rate, not the file's
    assert Fraction(tw["total"]["amount"]) - Fraction(5_000_000_000, 30) < Fraction(1, 10**15)
    assert data["overrides"] == ["USD/TWD=34.7", "USD/TWD=30"]
    assert "your own rates" in data["rates"] and "USD/TWD=30" in data["rates"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_an_override_appears_in_every_text_format(capsys, taiwan, fmt):
    code, out, _ = run(capsys, "report", taiwan, "--rate", "USD/TWD=30", "--format", fmt)
    assert code == 0
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows and all("USD/TWD=30" in row["rates"] for row in rows)
        assert {row["rounding"] for row in rows} == {"half-up"}
    else:
        title = out.splitlines()[0]
        assert "your own rates" in title and "USD/TWD=30" in title
        assert "Your own rates used" in out


def test_an_override_appears_in_the_chart_title():
    commitments = load_text(TAIWAN, "toml", name="tw.toml")
    with pytest.warns(RateWarning, match="instead of the file's"):
        report = build_report(
            commitments, converter=Converter(RateBook(cache=None)), overrides=["USD/TWD=30"]
        )
    assert "your own rates (USD/TWD=34.7, USD/TWD=30)" in chart_title(report)


def test_without_overrides_the_title_says_ecb_rates_only(capsys):
    code, out, _ = run(capsys, "report")
    assert code == 0 and "at ECB reference rates," in out.splitlines()[0]
    assert "own rates" not in out


def test_rows_conversions_gives_one_row_per_commitment_with_its_provenance(capsys):
    code, out, _ = run(capsys, "report", "--format", "csv", "--rows", "conversions")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6  # the bundled example's commitments, undisclosed ones too
    uk = next(r for r in rows if r["country"] == "GB" and r["amount"])
    assert (uk["company"], uk["amount"], uk["currency"]) == ("Microsoft", "2500000000", "GBP")
    assert uk["converted"] == "3164076972.95" and uk["to_currency"] == "USD"
    assert (uk["rate_numerator"], uk["rate_denominator"]) == ("1.0931", "0.86368")
    assert uk["fixing_date"] == "2023-11-30" and uk["source"] == "ECB reference rates (bundled)"
    assert uk["policy"] == "each commitment at its announcement date"
    assert (uk["stale"], uk["partial"]) == ("no", "no")
    hidden = [r for r in rows if not r["amount"]]
    assert hidden and all(r["converted"] == "" and r["rate"] == "" for r in hidden)


def test_rows_conversions_needs_csv(capsys):
    code, _, err = run(capsys, "report", "--rows", "conversions")
    assert code == 1 and "--format csv" in err


def test_latest_names_its_fixing_date(capsys):
    code, out, _ = run(capsys, "report", "--on", "latest")
    assert code == 0 and "the latest fixing (2026-10-30)" in out.splitlines()[0]
    code, out, _ = run(capsys, "report", "--on", "latest", "--format", "json")
    assert "2026-10-30" in json.loads(out)["policy_description"]


def test_average_names_the_commitments_it_converts_at_their_announcement(tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text(
        "company,country,amount,announced,period_years,description\n"
        "A,GB,£1bn,2023-11-30,2,with a period\n"
        "B,JP,¥100bn,2024-04-09,,no period\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "report", str(path), "--on", "average")
    assert code == 0
    assert (
        "At the announcement date, having no spending period: B JP 2024-04-09 (no period)." in out
    )
    assert "A GB" not in out.split("\n\n")[0]


def test_an_average_cut_short_by_a_currencys_coverage_is_flagged(tmp_path, capsys):
    """The ECB stopped quoting RUB after 2022-03-01: a 2021-2023 average covers only part."""
    path = tmp_path / "ru.csv"
    path.write_text(
        "company,country,amount,currency,announced,period_years\nA,RU,1000000000,RUB,2021-01-04,2\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "report", str(path), "--on", "average")
    assert code == 0 and "cut short" in out
    code, out, _ = run(capsys, "report", str(path), "--on", "average", "--format", "json")
    assert json.loads(out)["conversions"][0]["rate"]["partial"] is True
    code, out, _ = run(
        capsys, "report", str(path), "--on", "average", "--format", "csv", "--rows", "conversions"
    )
    assert next(iter(csv.DictReader(io.StringIO(out))))["partial"] == "yes"


def test_an_average_over_quoted_days_is_not_cut_short(capsys):
    code, out, _ = run(capsys, "report", "--on", "average", "--format", "json")
    assert code == 0
    assert not any(c["rate"] and c["rate"]["partial"] for c in json.loads(out)["conversions"])


def test_the_ranking_note_when_amounts_are_converted_at_different_dates(capsys):
    code, out, _ = run(capsys, "report")
    assert code == 0
    assert "the ranking may differ in another report currency than USD" in " ".join(out.split())
    _code, out, _ = run(capsys, "report", "--on", "2024-01-19")
    assert "ranking may differ" not in out


def pennies(tmp_path) -> str:
    """Three countries of USD 1.004 each: each rounds to $1.00, the total $3.012 to $3.01."""
    path = tmp_path / "pennies.csv"
    path.write_text(
        "company,country,amount,currency,announced\n"
        + "".join(f"A,{c},1.004,USD,2024-01-19\n" for c in ("GB", "JP", "FR")),
        encoding="utf-8",
    )
    return str(path)


def test_a_table_that_does_not_add_up_says_so(tmp_path, capsys):
    code, out, _ = run(capsys, "report", pennies(tmp_path))
    assert code == 0 and "Figures may not add up because of rounding." in out
    code, out, _ = run(capsys, "report")
    assert "Figures may not add up because of rounding." not in out  # 52.1% + 47.9%, cents add up
    assert "rounded once, half-up" in out


def test_the_report_rounds_by_the_rule_asked_for(tmp_path, capsys):
    path = tmp_path / "half.csv"
    path.write_text(
        "company,country,amount,currency,announced\nA,GB,0.125,USD,2024-01-19\n", encoding="utf-8"
    )
    _, up, _ = run(capsys, "report", str(path), "--format", "csv")
    _, even, _ = run(capsys, "report", str(path), "--format", "csv", "--rounding", "half-even")
    assert next(csv.DictReader(io.StringIO(up)))["total"] == "0.13"
    assert next(csv.DictReader(io.StringIO(even)))["total"] == "0.12"
    report = build_report(
        [Commitment("A", "GB", D(2024, 1, 19), amount=Money("0.125", "USD"))],
        converter=Converter(RateBook(cache=None)),
        rounding="half-even",
    )
    assert "rounded once, half-even" in render_report(report)
    assert json.loads(render_report(report, fmt="json"))["rounding"] == "half-even"


def test_the_rate_shown_in_the_report_reproduces_the_amount_shown(capsys):
    _code, out, _ = run(capsys, "report", "--format", "markdown")
    (line,) = [line for line in out.splitlines() if "1 GBP = " in line]
    shown = Decimal(line.split("1 GBP = ")[1].split()[0])
    assert Money(Decimal(2_500_000_000) * shown, "USD").rounded() == Money("3164076972.95", "USD")
