"""Pledges as packages, undisclosed never a number, and a calendar-year profile that adds up.

A package is what one company announced for one country on one day (or what the ``package``
field groups). Workers belong to their package; a row with nothing disclosed shows
"undisclosed" (null, empty) and is left out of comparisons; each disclosed amount is spread
over its spending period (both ends included) by days, and the years add up to the total.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import CommitmentFileError, Money, ReportError, build_report
from calc.cli import main
from calc.commitments import Commitment, load_text
from calc.converter import Converter
from calc.examples import example_as
from calc.render import render_report
from calc.years import spread
from rates import RateBook

D = dt.date
#: For the properties (hypothesis does not reset a function-scoped fixture between examples).
CONVERTER = Converter(RateBook(cache=None))

#: The acceptance file: Microsoft's £2.5bn and one million trainees, Google's $1bn, both in GB.
UK = (
    "company,country,category,description,amount,announced,workers\n"
    "Microsoft,GB,infrastructure,AI data centres,£2.5bn,2023-11-30,\n"
    "Microsoft,GB,training,AI skills for one million people,,2023-11-30,1000000\n"
    "Google,GB,infrastructure,Data centre in Hertfordshire,$1bn,2024-01-18,\n"
)
#: Several companies, several years, some pledges undisclosed (Thailand: nothing disclosed).
MIXED = (
    "company,country,category,description,amount,announced,start,end,period_years,workers\n"
    "Microsoft,GB,infrastructure,AI data centres,£2.5bn,2023-11-30,,,3,\n"
    "Microsoft,GB,training,AI skills,,2023-11-30,,,,1000000\n"
    "Google,GB,infrastructure,Data centre,$1bn,2024-01-18,,,,\n"
    "Amazon,IN,infrastructure,Cloud regions,$12.7bn,2023-05-18,2023-05-18,2030-12-31,,\n"
    "Microsoft,IN,infrastructure,Cloud and AI,$3bn,2025-01-07,2025-01-01,2026-12-31,,\n"
    "Microsoft,IN,training,AI skills,,2025-01-07,,,,10000000\n"
    "Google,TH,infrastructure,Data centre,,2024-09-30,,,,\n"
    "Microsoft,TH,training,AI skills,,2024-05-01,,,,100000\n"
)
#: Nothing in it is disclosed.
NOTHING = (
    "company,country,category,amount,announced,workers\n"
    "Google,TH,infrastructure,,2024-09-30,\n"
    "Microsoft,TH,training,,2024-05-01,100000\n"
    "Microsoft,PH,training,,2024-05-01,\n"
)


def report_of(text, converter, **kwargs):
    return build_report(load_text(text, "csv", name="p.csv"), converter=converter, **kwargs)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path):
    """The files above, written: ``files("UK")`` is the path of :data:`UK`."""

    def path(name: str) -> str:
        target = tmp_path / f"{name.lower()}.csv"
        target.write_text(globals()[name], encoding="utf-8")
        return str(target)

    return path


# -- 2. pledges as packages -------------------------------------------------------------------


@pytest.mark.parametrize("same_record", [False, True], ids=["training-record", "same-record"])
def test_commitment_per_worker_is_a_packages_amount_over_its_own_workers(converter, same_record):
    text = UK
    if same_record:  # the workers on the amount's own record
        text = UK.replace(",2023-11-30,\n", ",2023-11-30,1000000\n", 1).replace(
            "Microsoft,GB,training,AI skills for one million people,,2023-11-30,1000000\n", ""
        )
    report = report_of(text, converter)
    uk = report.country("GB")
    microsoft = report.package("Microsoft/GB/2023-11-30")
    google = report.package("Google/GB/2024-01-18")
    assert microsoft.per_worker_trained == microsoft.total / 1_000_000
    assert microsoft.per_worker_trained.rounded() == Money("3164.08", "USD")
    assert google.workers is None and google.per_worker_trained is None
    assert uk.per_worker_trained == microsoft.total / 1_000_000  # not (£2.5bn + $1bn) / 1m
    assert uk.per_worker_workers == 1_000_000 and uk.total == microsoft.total + google.total


def test_the_report_labels_the_per_worker_figure_by_package(capsys, files):
    code, out, err = run(capsys, "report", files("UK"))
    assert code == 0 and err == ""
    assert "$3,164.08" in out and "$4,164.08" not in out  # not (£2.5bn + $1bn) / 1m
    code, markdown, _ = run(capsys, "report", files("UK"), "--format", "markdown")
    header = markdown.split("## By country")[1].strip().splitlines()[0]
    assert "| Commitment per worker trained (packages naming workers) |" in header
    packages = out.split("WORKERS TO TRAIN, BY PACKAGE")[1].split("CONVERSIONS")[0]
    (microsoft,) = [line for line in packages.splitlines() if line.startswith("Microsoft")]
    assert "2023-11-30" in microsoft and "1,000,000" in microsoft and "$3,164.08" in microsoft
    code, out, _ = run(capsys, "report", files("UK"), "--format", "json")
    uk = json.loads(out)["countries"][0]
    assert uk["commitment_per_worker_trained"]["amount"].startswith("3164.076972")
    assert uk["per_worker_workers"] == 1_000_000


def test_packages_in_json(capsys, files):
    code, out, _ = run(capsys, "report", files("UK"), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [p["id"] for p in data["packages"]] == [
        "Microsoft/GB/2023-11-30",
        "Google/GB/2024-01-18",
    ]
    microsoft = data["packages"][0]
    assert {k: microsoft[k] for k in ("company", "country", "announced", "label", "workers")} == {
        "company": "Microsoft",
        "country": "GB",
        "announced": "2023-11-30",
        "label": None,
        "workers": 1_000_000,
    }
    assert (microsoft["commitments"], microsoft["disclosed"], microsoft["undisclosed"]) == (2, 1, 1)
    assert microsoft["total"]["amount"].startswith("3164076972.9")
    assert microsoft["commitment_per_worker_trained"]["amount"].startswith("3164.076972")
    assert data["packages"][1]["commitment_per_worker_trained"] is None
    assert [c["package"] for c in data["conversions"]] == [
        "Microsoft/GB/2023-11-30",
        "Microsoft/GB/2023-11-30",
        "Google/GB/2024-01-18",
    ]


def test_training_spend_per_worker_counts_only_packages_that_name_workers(converter):
    text = (
        "company,country,category,amount,announced,workers,training_years\n"
        "A,IN,training,$20m,2024-02-07,2000000,2\n"
        "B,IN,training,$30m,2024-03-01,,\n"  # no workers: not in the per-worker figures
        "C,IN,training,,2024-04-01,1000000,\n"  # workers, no amount: not either
    )
    report = report_of(text, converter)
    india = report.country("IN")
    assert india.training_spend == Money("50000000", "USD")  # every disclosed training amount
    assert india.training_per_worker == Money("10", "USD")  # A's $20m over A's 2m
    assert india.training_per_worker_per_year == Money("5", "USD")
    assert india.per_worker_trained == Money("10", "USD") and india.workers == 3_000_000
    assert report.package("B/IN/2024-03-01").training_per_worker is None


@pytest.mark.parametrize("fmt", ["toml", "csv", "json"])
def test_the_package_field_groups_commitments_in_every_format(converter, fmt):
    records = [
        ("Microsoft", "GB", "£2.5bn", "2023-11-30", None, "uk-2023"),
        ("Microsoft", "GB", None, "2024-02-01", 1_000_000, "uk-2023"),
        ("Microsoft", "GB", "£1bn", "2024-02-01", None, None),
    ]
    if fmt == "toml":
        text = "".join(
            f'[[commitment]]\ncompany = "{c}"\ncountry = "{k}"\nannounced = {a}\n'
            + (f'amount = "{m}"\n' if m else "")
            + (f"workers = {w}\n" if w else "")
            + (f'package = "{p}"\n' if p else "")
            for c, k, m, a, w, p in records
        )
    elif fmt == "csv":
        text = "company,country,amount,announced,workers,package\n" + "".join(
            f"{c},{k},{m or ''},{a},{w or ''},{p or ''}\n" for c, k, m, a, w, p in records
        )
    else:
        text = json.dumps(
            [
                {
                    "company": c,
                    "country": k,
                    "amount": m,
                    "announced": a,
                    "workers": w,
                    "package": p,
                }
                for c, k, m, a, w, p in records
            ]
        )
    loaded = load_text(text, fmt, name=f"p.{fmt}")
    assert [c.package for c in loaded] == ["uk-2023", "uk-2023", ""]
    report = build_report(loaded, converter=converter, by="package")
    labelled = report.package("Microsoft/GB/uk-2023")
    assert (labelled.label, labelled.commitments, labelled.workers) == ("uk-2023", 2, 1_000_000)
    assert labelled.announced == D(2023, 11, 30)  # its first announcement
    assert labelled.per_worker_trained == labelled.total / 1_000_000
    day = report.package("Microsoft/GB/2024-02-01")
    assert day.label == "" and day.workers is None and day.commitments == 1
    assert [row.key for row in report.rows] == ["Microsoft/GB/uk-2023", "Microsoft/GB/2024-02-01"]


def test_the_package_field_is_checked_like_the_other_text_fields():
    text = '[{"company": "A", "country": "JP", "announced": "2024-01-01", "package": 5}]'
    with pytest.raises(CommitmentFileError, match=r"p\.json:1: package 5 must be text"):
        load_text(text, "json", name="p.json")


def test_the_csv_example_lists_the_package_column():
    assert "package" in example_as("csv").splitlines()[0].split(",")


@pytest.mark.parametrize("by", ["country", "company", "package"])
def test_by_country_company_or_package(capsys, files, by):
    code, out, _ = run(capsys, "report", files("MIXED"), "--by", by, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["by"] == by
    rows = {"country": data["countries"], "company": data["companies"], "package": data["packages"]}
    keys = [row["id"] if by == "package" else row[by] for row in rows[by]]
    assert [c[by] for c in data["comparisons"]] == keys[1 : len(data["comparisons"]) + 1]
    totals = [Decimal(r["total"]["amount"]) for r in rows[by] if r["total"] is not None]
    assert sum(totals) == Decimal(data["total"]["amount"]) and totals == sorted(
        totals, reverse=True
    )
    code, table, _ = run(capsys, "report", files("MIXED"), "--by", by)
    assert code == 0 and f"BY {by.upper()}" in table


def test_companies_in_the_report(converter, capsys, files):
    report = report_of(MIXED, converter, by="company")
    assert [row.company for row in report.rows] == ["Amazon", "Microsoft", "Google"]
    microsoft = report.company("Microsoft")
    assert microsoft.countries == ("GB", "IN", "TH") and microsoft.workers == 11_100_000
    # Microsoft's per worker: its GB package over 1m workers, its IN package over 10m; not TH's
    assert (
        microsoft.per_worker_trained
        == (report.package("Microsoft/GB/2023-11-30").total + Money("3000000000", "USD"))
        / 11_000_000
    )
    _code, out, _ = run(capsys, "report", files("MIXED"))
    conversions = out.split("CONVERSIONS BEHIND THE FIGURES")[1]
    assert conversions.split("\n")[2].split()[:2] == ["Company", "Country"]
    assert "Amazon" in conversions and "Google" in conversions


@pytest.mark.parametrize(
    ("argv", "companies", "countries"),
    [
        (["--company", "microsoft"], {"Microsoft"}, {"GB", "IN", "TH"}),
        (["--company", "GOOGLE,amazon"], {"Google", "Amazon"}, {"GB", "IN", "TH"}),
        (["--company", "google", "--company", "Amazon"], {"Google", "Amazon"}, {"GB", "IN", "TH"}),
        (["--country", "gb", "--country", "in"], {"Microsoft", "Google", "Amazon"}, {"GB", "IN"}),
        (["--country", "India"], {"Microsoft", "Amazon"}, {"IN"}),
        (["--category", "Training", "--country", "GB,IN"], {"Microsoft"}, {"GB", "IN"}),
    ],
)
def test_filters(capsys, files, argv, companies, countries):
    code, out, err = run(capsys, "report", files("MIXED"), *argv, "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {c["company"] for c in data["conversions"]} == companies
    assert {c["country"] for c in data["conversions"]} == countries
    assert data["filters"] and all(data["filters"].values())
    code, out, _ = run(capsys, "report", files("MIXED"), *argv)
    assert code == 0 and "Only commitments of " in out.splitlines()[1]


def test_a_company_name_with_a_comma_is_one_filter(converter):
    text = (
        'company,country,amount,announced\n"Acme, Inc.",JP,$1bn,2024-01-02\nB,JP,$2bn,2024-01-02\n'
    )
    report = report_of(text, converter, companies=["acme, inc."])
    assert [c.commitment.company for c in report.conversions] == ["Acme, Inc."]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--company", "Amazonn"],
            "error: The company filter 'Amazonn' matches no commitment; choose from Amazon, Google, Microsoft.",
        ),
        (
            ["--country", "UK"],
            "error: The country filter 'UK' matches no commitment; choose from GB (United Kingdom), IN (India), TH (Thailand).",
        ),
        (
            ["--category", "research"],
            "error: The category filter 'research' matches no commitment; choose from infrastructure, training.",
        ),
        (
            ["--company", "Amazon", "--country", "GB"],
            "error: No commitment matches company 'Amazon' and country 'GB' together; drop one of the filters.",
        ),
    ],
)
def test_a_filter_that_matches_nothing_is_an_error(capsys, files, argv, message):
    code, out, err = run(capsys, "report", files("MIXED"), *argv)
    assert (code, out, err) == (1, "", message + "\n")


def test_by_is_checked(converter, capsys):
    with pytest.raises(
        ReportError, match=r"'region' is not a grouping; use country, company or package"
    ):
        report_of(UK, converter, by="region")
    with pytest.raises(SystemExit) as caught:
        main(["report", "--by", "region"])
    assert caught.value.code == 2 and "invalid choice: 'region'" in capsys.readouterr().err


# -- 3. undisclosed is never a number ---------------------------------------------------------

#: A number that reads as zero: 0, $0, 0.0%, 0.000×, Int$0.00, ¥0 ...
ZERO = re.compile(r"(?<![\d.,])(?:[A-Za-z]{0,3}[$£€¥₹])?0(?:[.,]0+)?(?:%|×)?(?![\d.,])")


def thailand_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Thailand" in line or line.startswith("TH ")]


def test_a_country_with_nothing_disclosed_is_undisclosed_not_zero(converter):
    report = report_of(MIXED, converter, per_capita=True, ppp=True)
    thailand = report.country("TH")
    assert (thailand.total, thailand.share, thailand.per_worker_trained) == (None, None, None)
    assert thailand.years == () and thailand.dated_total is None
    assert [row.country for row in report.countries][-1] == "TH"  # after every disclosed one
    assert "TH" not in {c.country for c in report.comparisons}
    assert [row.key for row in report.left_out] == ["TH"]
    view = report.view("TH")
    assert (view.per_capita, view.local_total, view.ppp_total) == (None, None, None)
    assert view.population and view.ppp_factor  # the reference data are there
    assert report.largest is not None and report.largest.country == "IN"


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_no_zero_for_thailand_in_text(capsys, files, fmt):
    argv = ["report", files("MIXED"), "--per-capita", "--ppp", "--by-year", "--format", fmt]
    for compact in ([], ["--compact"]):
        code, out, _ = run(capsys, *argv, *compact)
        assert code == 0
        lines = thailand_lines(out)
        assert len(lines) >= 4  # by country, by year, per head, the note
        for line in lines:
            assert not ZERO.search(line.replace("2024", "")), line
        assert "Thailand: nothing disclosed, left out of the comparison" in " ".join(out.split())
        (main_row,) = [
            line for line in lines if line.lstrip("| ").startswith("Thailand") and "THB" in line
        ]
        assert main_row.count("undisclosed") >= 3  # commitments, total and share
        (view_row,) = [line for line in lines if "69" not in line and "undisclosed" in line
                       and "THB" not in line and "," in line]  # fmt: skip
        assert "no data" not in view_row and view_row.count("undisclosed") == 3


def test_no_zero_for_thailand_in_csv_and_json(capsys, files):
    code, out, _ = run(capsys, "report", files("MIXED"), "--per-capita", "--ppp", "--format", "csv")
    assert code == 0
    (thailand,) = [row for row in csv.DictReader(io.StringIO(out)) if row["country"] == "TH"]
    counts = {"commitments", "disclosed", "undisclosed", "workers", "population", "population_year",
              "ppp_year", "ppp_lcu_per_intl_dollar"}  # fmt: skip
    for column, value in thailand.items():
        if column not in counts:
            assert not ZERO.fullmatch(value), (column, value)
    assert thailand["total"] == thailand["share"] == thailand["ratio_to_largest"] == ""
    assert thailand["per_capita"] == thailand["ppp_total_intl_dollars"] == ""
    _code, out, _ = run(
        capsys, "report", files("MIXED"), "--per-capita", "--ppp", "--format", "json"
    )
    data = json.loads(out)
    (row,) = [c for c in data["countries"] if c["country"] == "TH"]
    assert row["total"] is None and row["share"] is None and row["years"] == {}
    assert row["commitment_per_worker_trained"] is None
    (view,) = [v for v in data["views"] if v["country"] == "TH"]
    assert view["per_capita"] is None and view["ppp_total_intl_dollars"] is None
    assert view["local_total"] is None and view["note"] == "nothing disclosed"
    assert "TH" not in {c["country"] for c in data["comparisons"]} and data["left_out"] == ["TH"]
    packages = [p for p in data["packages"] if p["country"] == "TH"]
    assert len(packages) == 2 and all(p["total"] is None for p in packages)


def test_the_chart_leaves_thailand_out_with_a_note(converter, tmp_path):
    from calc.chart import bars, write_chart

    report = report_of(MIXED, converter, ppp=True)
    drawn, left_out = bars(report)
    assert [row.key for row in drawn] == ["IN", "GB"] and [r.key for r in left_out] == ["TH"]
    path = tmp_path / "chart.svg"
    write_chart(report, str(path))
    assert "Nothing disclosed, not drawn: Thailand" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_a_file_with_nothing_disclosed_still_reports(capsys, files, fmt, tmp_path):
    chart = str(tmp_path / "chart.png")
    code, out, err = run(
        capsys, "report", files("NOTHING"), "--format", fmt, "--per-capita", "--ppp", "--by-year",
        "--chart", chart,
    )  # fmt: skip
    assert (code, err) == (0, "")
    if fmt != "csv":  # (whose columns ratio_to_largest and difference_to_largest stay, empty)
        assert "largest" not in out.lower()
    if fmt == "json":
        data = json.loads(out)
        assert data["total"] is None and data["comparisons"] == [] and data["years"] == {}
        assert all(c["total"] is None and c["share"] is None for c in data["countries"])
    elif fmt == "csv":
        for row in csv.DictReader(io.StringIO(out)):
            assert row["total"] == row["share"] == row["ratio_to_largest"] == ""
    else:
        assert "Grand total: nothing disclosed" in out
        assert "No commitment in this report discloses an amount" in " ".join(out.split())
        for line in out.splitlines():
            if "Thailand" in line or "Philippines" in line:
                assert not ZERO.search(line.replace("2024", "")), line


# -- 4. per year that adds up -----------------------------------------------------------------


def test_a_start_end_period_counts_both_ends():
    c = Commitment("A", "IN", D(2025, 12, 9), start=D(2026, 1, 1), end=D(2029, 12, 31))
    assert c.years == 4 and c.period == (D(2026, 1, 1), D(2029, 12, 31))
    assert Commitment("A", "IN", D(2025, 1, 1), start=D(2025, 1, 1), end=D(2025, 12, 31)).years == 1
    one_day = Commitment("A", "IN", D(2025, 1, 1), start=D(2025, 3, 1), end=D(2025, 3, 1))
    assert one_day.years == Decimal(1) / Decimal("365.25")


@pytest.mark.parametrize(
    ("announced", "years", "end"),
    [
        (D(2024, 4, 9), Decimal(2), D(2026, 4, 8)),
        (D(2026, 1, 1), Decimal(4), D(2029, 12, 31)),
        (D(2024, 2, 29), Decimal(1), D(2025, 2, 27)),  # the anniversary is 2025-02-28
        (D(2024, 1, 1), Decimal("0.5"), D(2024, 6, 30)),  # 182 days on
        (D(2024, 1, 1), Decimal("0.001"), D(2024, 1, 1)),  # at least the day itself
    ],
)
def test_a_period_in_years_ends_the_day_before_the_anniversary(announced, years, end):
    c = Commitment("A", "JP", announced, period_years=years)
    assert c.period == (announced, end)


def test_spread_over_calendar_years_by_days():
    parts = spread(Money("1461", "USD"), D(2026, 1, 1), D(2029, 12, 31))
    assert parts == (
        (2026, Money("365", "USD")),
        (2027, Money("365", "USD")),
        (2028, Money("366", "USD")),
        (2029, Money("365", "USD")),
    )
    third = spread(Money("1", "USD"), D(2025, 12, 31), D(2026, 1, 2))
    assert [year for year, _ in third] == [2025, 2026]
    assert (
        third[0][1] == Money(1, "USD") / 3 and third[1][1] == Money(1, "USD") - Money(1, "USD") / 3
    )


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=D(1999, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(min_value=0, max_value=40 * 366),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10) ** 15, places=9),
)
def test_the_years_of_an_amount_add_up_to_it_exactly(start, days, amount):
    end = start + dt.timedelta(days=days)
    parts = spread(Money(amount, "EUR"), start, end)
    assert sum((money for _, money in parts), Money(0, "EUR")) == Money(amount, "EUR")
    assert [year for year, _ in parts] == list(range(start.year, end.year + 1))
    assert all(money.amount > 0 for _, money in parts)


def test_the_india_profile_adds_up(converter):
    """The issue's India: $3bn over 2025-26 and $17.5bn over 2026-29 share 2026."""
    text = (
        "company,country,amount,announced,start,end\n"
        "Microsoft,IN,$3bn,2025-01-07,2025-01-01,2026-12-31\n"
        "Amazon,IN,$17.5bn,2025-12-10,2026-01-01,2029-12-31\n"
        "Google,IN,$1bn,2025-06-01,,\n"
    )
    report = report_of(text, converter)
    india = report.country("IN")
    years = dict(india.years)
    assert sorted(years) == [2025, 2026, 2027, 2028, 2029]
    assert years[2025] == Money("3000000000", "USD") * 365 / 730
    assert (
        years[2026]
        == Money("3000000000", "USD") - years[2025] + Money("17500000000", "USD") * 365 / 1461
    )
    assert sum(years.values(), Money(0, "USD")) == india.dated_total == Money("20500000000", "USD")
    assert india.undated == ((2025, Money("1000000000", "USD")),) and india.undated_commitments == 1
    assert report.years == india.years and report.dated_total == india.dated_total


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["GB", "JP", "IN"]),
            st.integers(1, 10**6),
            st.dates(min_value=D(2010, 1, 1), max_value=D(2026, 10, 1)),
            st.one_of(st.none(), st.integers(0, 3000)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_rows_years_add_up_to_its_dated_total(pledges):
    commitments = [
        Commitment(
            "A", country, day, amount=Money(amount, "GBP"),
            start=day if days is not None else None,
            end=day + dt.timedelta(days=days) if days is not None else None,
        )
        for country, amount, day, days in pledges
    ]  # fmt: skip
    report = build_report(commitments, converter=CONVERTER)
    for row in (*report.countries, *report.packages, *report.companies):
        years = sum((money for _, money in row.years), Money(0, "USD"))
        assert years == (row.dated_total or Money(0, "USD"))
        undated = sum((money for _, money in row.undated), Money(0, "USD"))
        # The total is the exact sum of the conversions; the profile adds each conversion's
        # result as kept (28 digits or more), so the two agree far beyond the cent.
        parts = (row.dated_total or Money(0, "USD")) + undated
        assert abs(parts.amount - row.total.amount) < Decimal("1e-15")


def test_by_year_table_and_json(capsys, files):
    code, out, _ = run(capsys, "report", files("MIXED"), "--by-year")
    assert code == 0 and "Per year" not in out
    section = out.split("BY CALENDAR YEAR")[1].split("COMPARED WITH")[0]
    header = " ".join(section.split("-----")[0].split())
    assert "2023 2024 2025 2026 2027 2028 2029 2030" in header and "Without a period" in header
    assert "1 commitment without a spending period is shown in its announcement year" in " ".join(
        section.split()
    )
    (google_row,) = [line for line in section.splitlines() if line.startswith("United Kingdom")]
    assert "(2024*)" in google_row
    code, out, _ = run(capsys, "report", files("MIXED"), "--format", "json")
    data = json.loads(out)
    with localcontext(prec=80):  # the sums below are exact
        _years_add_up(data)


def _years_add_up(data):
    for row in data["countries"]:
        assert "per_year" not in row
        years = sum((Decimal(v["amount"]) for v in row["years"].values()), Decimal(0))
        dated = Decimal(row["dated_total"]["amount"]) if row["dated_total"] else Decimal(0)
        assert years == dated
    top = sum((Decimal(v["amount"]) for v in data["years"].values()), Decimal(0))
    undated = sum((Decimal(v["amount"]) for v in data["undated"].values()), Decimal(0))
    assert top == Decimal(data["dated_total"]["amount"])
    assert abs(top + undated - Decimal(data["total"]["amount"])) < Decimal("1e-15")
    assert list(data["undated"]) == ["2024"]


def test_by_year_in_csv_and_markdown(capsys, files):
    code, out, _ = run(capsys, "report", files("MIXED"), "--by-year", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    (gb,) = [row for row in rows if row["country"] == "GB"]
    years = [column for column in rows[0] if column.startswith("year_")]
    assert years == [f"year_{y}" for y in range(2023, 2031)]
    assert gb["year_2030"] == "" and gb["without_period"] == "1000000000.00"
    _code, out, _ = run(capsys, "report", files("MIXED"), "--by-year", "--format", "markdown")
    header = out.split("## By calendar year")[1].strip().splitlines()[0]
    assert header.startswith("| Country | 2023 | 2024 |") and "| 2030 | Dated total |" in header


def test_render_report_takes_by_year(converter):
    report = report_of(MIXED, converter)
    assert "BY CALENDAR YEAR" not in render_report(report)
    assert "BY CALENDAR YEAR" in render_report(report, by_year=True)
