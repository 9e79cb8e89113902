"""Fair comparisons: real terms, share of GDP, every economy, the rate basis, the method note.

The expected figures are computed here from the shared source files (../shared/data, read with
the csv module, not with spendcalc), with Decimal or Fraction arithmetic.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from calc import Money, ReportError, build_report
from calc.cli import main
from calc.commitments import load_text
from calc.decimals import quotient
from calc.method import method_note
from calc.render import render_report
from tests.test_public_api import modules_after

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
UK_AMOUNT = Decimal(2_500_000_000)
NOV_30 = dt.date(2023, 11, 30)


def shared(relative: str, code: str, year: int) -> Decimal:
    """The value a shared World Bank file gives for ``code`` in ``year``."""
    with (DATA / relative).open(encoding="utf-8", newline="") as f:
        found = [row[3] for row in csv.reader(f) if row[1] == code and row[2] == str(year)]
    assert len(found) == 1, (relative, code, year, found)
    return Decimal(found[0])


def cpi_u(year: int, period: str) -> Decimal:
    """The BLS CPI-U for ``year`` and ``period`` (M01..M12, M13 the annual average)."""
    with (DATA / "bls" / "cpi-u-us-city-average.csv").open(encoding="utf-8", newline="") as f:
        found = [
            r["cpi_u"] for r in csv.DictReader(f) if (r["year"], r["period"]) == (str(year), period)
        ]
    assert len(found) == 1
    return Decimal(found[0])


def exact(fraction: Fraction) -> Decimal:
    """A fraction as spendcalc keeps a quotient (:func:`calc.decimals.quotient`)."""
    return quotient(Decimal(fraction.numerator), Decimal(fraction.denominator))


def ratio(rate) -> Fraction:
    numerator, denominator = rate.ratio
    return Fraction(numerator) / Fraction(denominator)


def run(capsys, *argv: str) -> str:
    assert main(["report", *argv]) == 0
    return capsys.readouterr().out


def flat(text: str) -> str:
    return " ".join(text.split())


# -- real terms ----------------------------------------------------------------------------


def test_real_2024_uk_is_its_usd_figure_times_cpi_u_2024_over_november_2023(
    example, converter, offline_book, capsys
):
    report = build_report(example, real=2024, converter=converter)
    gbp_usd = offline_book.rate("GBP", "USD", NOV_30)
    usd = Fraction(UK_AMOUNT) * ratio(gbp_usd)
    factor = Fraction(cpi_u(2024, "M13")) / Fraction(cpi_u(2023, "M11"))
    assert (cpi_u(2024, "M13"), cpi_u(2023, "M11")) == (Decimal("313.689"), Decimal("307.051"))
    uk = report.country("GB")
    assert uk.total == Money(exact(usd * factor), "USD")
    # The same as the USD figure spendcalc shows, times the index ratio, to the cent.
    nominal = build_report(example, converter=converter).country("GB").total
    assert nominal.amount == exact(usd)
    by_hand = (nominal.amount * cpi_u(2024, "M13") / cpi_u(2023, "M11")).quantize(Decimal("0.01"))
    assert uk.total.rounded().amount == by_hand
    conversion = next(i.conversion for i in report.conversions if i.commitment.country == "GB")
    assert (conversion.factor.numerator, conversion.factor.denominator) == (
        Decimal("313.689"), Decimal("307.051")
    )  # fmt: skip
    assert (conversion.factor.start, conversion.factor.index, conversion.nominal.result) == (
        "2023-11", "CPI-U", nominal
    )  # fmt: skip
    out = run(capsys, "--real", "2024")
    assert out.splitlines()[0].startswith("Spending commitments in constant 2024 ")
    assert "CPI-U" in out.splitlines()[0]
    assert f"${by_hand:,}" in out and "×1.021619 (CPI-U 2023-11 to 2024 average)" in out


def test_real_2024_by_the_source_method_follows_the_dac_order_and_differs(
    example, converter, offline_book, capsys
):
    report = build_report(example, real=2024, deflator="source", converter=converter)
    inflation = shared("worldbank/wdi-inflation-cpi.csv", "GBR", 2024)
    average = offline_book.average("GBP", "USD", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # In pounds, with UK prices, 2023 to 2024; then at 2024's average rate.
    pounds_2024 = Fraction(UK_AMOUNT) * (1 + Fraction(inflation) / 100)
    uk = report.country("GB").total
    assert uk == Money(exact(pounds_2024 * ratio(average)), "USD")
    assert average.fixings > 250 and average.period == (dt.date(2024, 1, 2), dt.date(2024, 12, 31))
    target = build_report(example, real=2024, converter=converter).country("GB").total
    assert uk != target and abs((uk - target).amount) > 10**7
    # Japan's dollars move with US prices from April 2024 either way.
    japan = Fraction(2_909_900_000) * Fraction(cpi_u(2024, "M13")) / Fraction(cpi_u(2024, "M04"))
    assert report.country("JP").total == Money(exact(japan), "USD")
    out = run(capsys, "--real", "2024", "--deflator", "source", "--format", "markdown")
    assert "OECD DAC method" in out.splitlines()[0]
    assert (
        "| ×1.032716 (GB CPI 2023 to 2024 average), then 1 GBP = 1.278594169 USD (average of 256 fixings 2024-01-02..2024-12-31"
        in out
    )
    assert "| ×1.000450 (CPI-U 2024-04 to 2024 average) |" in out
    assert "then converted at the average of the daily ECB fixings of 2024" in out
    data = json.loads(run(capsys, "--real", "2024", "--deflator", "source", "--format", "json"))
    uk_json = next(c for c in data["conversions"] if c["country"] == "GB" and c["disclosed"])
    assert uk_json["real"]["rate"]["period"] == ["2024-01-02", "2024-12-31"]
    assert uk_json["real"]["factor"]["numerator"] == str(1 + inflation / 100)
    target_out = flat(run(capsys, "--real", "2024"))
    assert "OECD DAC" not in target_out and "CPI-U" in target_out.split("BY COUNTRY")[0]


def test_real_terms_in_another_currency_chain_its_economys_inflation(example, converter):
    report = build_report(example, currency="GBP", real=2024, converter=converter)
    inflation = shared("worldbank/wdi-inflation-cpi.csv", "GBR", 2024)
    uk = report.country("GB").total
    assert uk == Money(exact(Fraction(UK_AMOUNT) * (1 + Fraction(inflation) / 100)), "GBP")
    nominal = build_report(example, currency="GBP", converter=converter).country("JP").total
    assert report.country("JP").total == nominal  # announced in the base year: factor 1
    assert report.real.describe().startswith("in constant 2024 ")
    assert report.real.indices[0][:2] == ("GBP", "GB CPI")


def test_a_base_year_before_a_commitment(example, converter, offline_book):
    # Base 2023: the 2024 amounts move back by 1 / (1 + the 2024 inflation).
    report = build_report(example, currency="JPY", real=2023, converter=converter)
    inflation = shared("worldbank/wdi-inflation-cpi.csv", "JPN", 2024)
    usd_jpy = offline_book.rate("USD", "JPY", dt.date(2024, 4, 9))
    yen = Fraction(2_909_900_000) * ratio(usd_jpy)  # $2.9bn and $9.9m
    expected = yen / (1 + Fraction(inflation) / 100)
    assert report.country("JP").total == Money(exact(expected), "JPY")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--real", "2026"], "There is no CPI-U annual average for 2026: the last year available is 2025 (use --real 2025 or --real latest)"),
        (["--real", "1998"], "There is no CPI-U annual average for 1998: the first year available is 1999"),
        (["--real", "20x4"], "'20x4' is not a base year; give a year such as 2024, or 'latest'"),
        (["--currency", "EUR", "--real", "2024"],
         "There is no euro-area CPI annual average for 2024: the last year available is 2023 (use --real 2023 or --real latest)"),
        (["--currency", "EUR", "--real", "2023"],
         "example.toml:9: There is no euro-area (EMU) CPI inflation for 2024: the last year available is 2023"),
    ],
)  # fmt: skip
def test_a_year_outside_the_data_is_an_error_naming_the_last_year(capsys, argv, message):
    assert main(["report", *argv]) == 1
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", f"error: {message}.\n")


def test_real_latest_is_the_last_year_every_index_has(example, converter):
    assert build_report(example, real="latest", converter=converter).real.base == 2025
    source = build_report(example, real="latest", deflator="source", converter=converter)
    assert source.real.base == 2024  # the UK's inflation ends with 2024
    with pytest.raises(ReportError, match=r"'sideways' is not a deflator method"):
        build_report(example, real=2024, deflator="sideways", converter=converter)


def test_every_real_conversion_shows_its_deflator_in_json_and_csv(capsys):
    data = json.loads(run(capsys, "--real", "2024", "--format", "json"))
    assert data["real"]["base_year"] == 2024 and data["real"]["method"] == "target"
    assert data["real"]["description"].startswith("in constant 2024 ")
    uk = next(c for c in data["conversions"] if c["country"] == "GB" and c["disclosed"])
    assert uk["real"]["factor"] == {
        "value": str(quotient(Decimal("313.689"), Decimal("307.051"))),
        "numerator": "313.689",
        "denominator": "307.051",
    }
    assert (uk["real"]["from"], uk["real"]["index"], uk["real"]["base_year"]) == (
        "2023-11",
        "CPI-U",
        2024,
    )
    assert uk["converted"]["amount"].startswith("3164076972.95")  # the nominal conversion
    assert data["countries"][0]["total"] == uk["real"]["amount"]
    rows = list(
        csv.DictReader(
            run(capsys, "--real", "2024", "--format", "csv", "--rows", "conversions").splitlines()
        )
    )
    uk_row = next(r for r in rows if r["country"] == "GB" and r["amount"])
    assert (uk_row["deflator_numerator"], uk_row["deflator_denominator"], uk_row["deflator_from"]) == (
        "313.689", "307.051", "2023-11"
    )  # fmt: skip
    assert uk_row["converted"] == "3164076972.95" and uk_row["real_converted"] == "3232479756.03"
    main_rows = list(csv.DictReader(run(capsys, "--real", "2024", "--format", "csv").splitlines()))
    assert {(r["base_year"], r["deflator"]) for r in main_rows} == {("2024", "target: CPI-U")}


# -- share of GDP --------------------------------------------------------------------------


def test_share_of_gdp_gives_the_uk_and_japan_figures_from_wdi_gdp_2023(example, converter, capsys):
    report = build_report(example, share_of_gdp=True, converter=converter)
    uk_gdp = shared("worldbank/wdi-gdp.csv", "GBR", 2023)
    japan_gdp = shared("worldbank/wdi-gdp.csv", "JPN", 2023)
    shares = {s.country: s for s in report.share_of_gdp}
    for code, gdp in (("GB", uk_gdp), ("JP", japan_gdp)):
        expected = report.country(code).total.amount / gdp
        assert abs(shares[code].share / expected - 1) < Decimal("1e-9")
        assert shares[code].share == quotient(report.country(code).total.amount, gdp)
        assert (shares[code].gdp_year, shares[code].gdp_usd) == (2023, gdp)
    # Japan's pledge is of 2024, a year the data do not have yet: 2023's, and said so.
    assert shares["JP"].year == 2024
    assert shares["JP"].note == "the 2023 GDP, the latest in the data (2024 is not in it)"
    assert shares["GB"].year == 2023 and shares["GB"].note == ""
    out = run(capsys, "--share-of-gdp")
    table = out.split("SHARE OF GDP")[1]
    assert (
        "0.0947%" in table
        and "0.0691%" in table
        and "Japan: the 2023 GDP, the latest in the data (2024 is not in it)." in table
    )
    assert "NY.GDP.MKTP.CD" in flat(table)
    data = json.loads(run(capsys, "--share-of-gdp", "--format", "json"))
    uk = data["share_of_gdp"][0]
    assert (uk["country"], uk["gdp_year"], uk["gdp_usd"]) == ("GB", 2023, "3340032380668.0356")
    assert Decimal(uk["share"]) == shares["GB"].share


def test_share_of_gdp_is_the_same_in_another_currency(example, converter):
    usd = build_report(example, share_of_gdp=True, converter=converter)
    eur = build_report(example, currency="EUR", share_of_gdp=True, converter=converter)
    for mine, theirs in zip(usd.share_of_gdp, eur.share_of_gdp, strict=True):
        assert eur.country(theirs.country).total.currency == theirs.gdp.currency == "EUR"
        assert abs(mine.share / theirs.share - 1) < Decimal("1e-20")


def test_share_of_gdp_by_year_names_the_gdp_year_of_each(example, converter, capsys):
    report = build_report(example, share_of_gdp=True, converter=converter)
    uk = next(s for s in report.share_of_gdp if s.country == "GB")
    years = dict(report.country("GB").years)
    gdp = shared("worldbank/wdi-gdp.csv", "GBR", 2023)
    assert [y.year for y in uk.years] == [2023, 2024, 2025, 2026]
    for each in uk.years:
        assert each.gdp_year == 2023 and each.amount == years[each.year]
        assert each.share == quotient(years[each.year].amount, gdp)
    assert sum((y.amount for y in uk.years), Money(0, "USD")) == report.country("GB").total
    out = run(capsys, "--share-of-gdp", "--by-year")
    assert "Share of GDP" in out and "(2023)" in out.split("SHARE OF GDP")[1]
    rows = list(
        csv.DictReader(run(capsys, "--share-of-gdp", "--by-year", "--format", "csv").splitlines())
    )
    assert rows[0]["gdp_year"] == "2023" and rows[0]["share_of_gdp_2024"]


def test_share_of_gdp_uses_nominal_figures_in_real_terms(example, converter):
    real = build_report(example, share_of_gdp=True, real=2024, converter=converter)
    nominal = build_report(example, share_of_gdp=True, converter=converter)
    assert real.share_of_gdp == nominal.share_of_gdp


# -- every economy -------------------------------------------------------------------------

PLEDGES = """company,country,amount,announced
A,US,$1bn,2024-06-03
B,CN,CNY 7bn,2024-06-03
C,KR,KRW 1300bn,2024-06-03
D,NL,€1bn,2024-06-03
E,IE,€1bn,2024-06-03
F,SG,SGD 1.3bn,2024-06-03
"""
ALPHA_3 = {"US": "USA", "CN": "CHN", "KR": "KOR", "NL": "NLD", "IE": "IRL", "SG": "SGP"}


def test_per_capita_and_ppp_for_us_cn_kr_nl_ie_sg(converter, tmp_path, capsys):
    report = build_report(load_text(PLEDGES, "csv"), per_capita=True, ppp=True, converter=converter)
    for code, alpha_3 in ALPHA_3.items():
        view = report.view(code)
        population = shared("worldbank/wdi-population.csv", alpha_3, 2024)
        factor = shared("worldbank/wdi-ppp-gdp.csv", code, 2024)
        assert (view.population, view.population_year, view.ppp_factor, view.ppp_year) == (
            int(population), 2024, factor, 2024
        )  # fmt: skip
        assert view.per_capita == report.country(code).total / int(population)
        assert view.ppp_total == view.local_total.amount / factor
        assert view.note == ""
    assert report.view("US").ppp_total == Decimal(1_000_000_000)  # the US factor is 1
    path = tmp_path / "pledges.csv"
    path.write_text(PLEDGES, encoding="utf-8")
    section = run(capsys, str(path), "--per-capita", "--ppp").split("PER-HEAD")[0]
    views = section.split("PER HEAD AND AT PURCHASING-POWER PARITY")[1].split("CONVERSIONS")[0]
    assert "no data" not in views
    for name in ("United States", "China", "South Korea", "Netherlands", "Ireland", "Singapore"):
        assert name in views


def test_the_data_year_follows_the_policy(example, converter):
    dated = build_report(example, per_capita=True, policy="2020-06-01", converter=converter)
    assert {v.population_year for v in dated.views} == {2020}
    latest = build_report(example, per_capita=True, policy="latest", converter=converter)
    assert {v.year for v in latest.views} == {2026} and {
        v.population_year for v in latest.views
    } == {2024}


# -- the rate basis ------------------------------------------------------------------------


def test_sensitivity_shows_four_bases_per_country(example, converter, offline_book, capsys):
    report = build_report(example, sensitivity=True, converter=converter)
    assert [s.country for s in report.sensitivity] == ["GB", "JP"]
    for each in report.sensitivity:
        assert [b.basis for b in each.bases] == ["announced", "year_average", "latest", "ppp"]
        assert all(b.total is not None for b in each.bases)
    uk = report.sensitivity[0]
    amount = Fraction(UK_AMOUNT)
    assert uk.basis("announced").total == report.country("GB").total
    year = offline_book.average("GBP", "USD", dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert uk.basis("year_average").total == Money(exact(amount * ratio(year)), "USD")
    latest = offline_book.rate("GBP", "USD", None)
    assert uk.basis("latest").total == Money(exact(amount * ratio(latest)), "USD")
    factor = shared("worldbank/wdi-ppp-gdp.csv", "GB", 2023)
    assert abs(uk.basis("ppp").total.amount / (UK_AMOUNT / factor) - 1) < Decimal("1e-25")
    totals = [b.total for b in uk.bases]
    assert (uk.low, uk.high) == (min(totals), max(totals))
    assert uk.spread == uk.high / uk.low - 1
    text = run(capsys, "--sensitivity")
    section = text.split("HOW MUCH THE RATE BASIS MATTERS")[1].split("CONVERSIONS")[0]
    for header in ("At announcement", "Announcement", "Latest", "At PPP", "Low–high"):
        assert header in section
    data = json.loads(run(capsys, "--sensitivity", "--format", "json"))
    assert [sorted(s["bases"]) for s in data["sensitivity"]] == [
        ["announced", "latest", "ppp", "year_average"]
    ] * 2


def test_sensitivity_adds_real_terms_and_the_reports_own_policy(example, converter):
    report = build_report(
        example, sensitivity=True, real=2024, policy="average", converter=converter
    )
    uk = report.sensitivity[0]
    assert [b.basis for b in uk.bases] == [
        "announced", "year_average", "latest", "ppp", "policy", "real"
    ]  # fmt: skip
    assert uk.basis("real").total == report.country("GB").total
    plain = build_report(example, policy="average", converter=converter)
    assert uk.basis("policy").total == plain.country("GB").total


# -- the method note -----------------------------------------------------------------------


def test_the_method_note_appears_in_every_format(example, converter, capsys):
    argv = ["--per-capita", "--ppp", "--share-of-gdp", "--sensitivity", "--real", "2024"]
    report = build_report(
        example, per_capita=True, ppp=True, share_of_gdp=True, sensitivity=True, real=2024,
        converter=converter,
    )  # fmt: skip
    note = method_note(report)
    text = run(capsys, *argv)
    assert flat(text.split("\nMETHOD\n")[1]) == note
    markdown = run(capsys, *argv, "--format", "markdown")
    assert markdown.rstrip().endswith("## Method\n\n" + note)
    assert json.loads(run(capsys, *argv, "--format", "json"))["method"] == note
    for rows in ("main", "conversions"):
        out = run(capsys, *argv, "--format", "csv", "--rows", rows)
        table = list(csv.reader(out.splitlines()))
        assert {len(row) for row in table} == {len(table[0])}  # undisclosed rows too
        assert {r["method"] for r in csv.DictReader(out.splitlines())} == {note}
    assert run(capsys, *argv, "--method-only") == note + "\n"
    assert render_report(report, fmt="markdown").endswith(note + "\n")


def test_the_method_note_says_sources_vintages_rules_and_caveats(example, converter):
    plain = method_note(build_report(example, converter=converter))
    for needed in (
        "European Central Bank", "fixing of 2023-11-30", "each commitment at its announcement date",
        "half-up", "3 of 6 commitments disclose no amount", "never counted as zero",
        "not an annual figure", "up to 5 years", "Commitment per worker trained",
        "at current prices",
    ):  # fmt: skip
        assert needed in plain, needed
    assert "World Bank" not in plain and "imported hardware" not in plain
    report = build_report(
        example, per_capita=True, ppp=True, share_of_gdp=True, real=2024, converter=converter
    )
    full = method_note(report)
    for needed in (
        "constant 2024 prices", "CPI-U", "US Bureau of Labor Statistics", "CUUR0000SA0",
        "imported hardware", "overstate what the money buys in poorer economies",
        "World Bank, World Development Indicators, NY.GDP.MKTP.CD (datasets/gdp 822019c80142, 2026-03-20)",
        "SP.POP.TOTL (datasets/population 425fc447a53a, 2026-03-06)",
        "PA.NUS.PPP (datasets/ppp 17829648d05f, 2026-03-05)",
        "reference year",
    ):  # fmt: skip
        assert needed in full, needed
    source = method_note(build_report(example, real=2024, deflator="source", converter=converter))
    assert (
        "OECD DAC" in source and "FP.CPI.TOTL.ZG (datasets/cpi 3750e45064a9, 2025-07-01)" in source
    )
    assert "fixings of 2024-01-02 to 2024-12-31" in source


def test_convert_loads_no_reference_data():
    loaded = modules_after(
        "from calc.cli import main; main(['convert', '£2.5bn', '--to', 'USD', '--on', '2023-11-30'])"
    )
    assert not {"calc.reference", "calc.realterms", "calc.report", "csv"} & loaded


@pytest.mark.parametrize(
    ("announced", "message"),
    [
        ("2025-10-15", r"p\.csv:2: There is no CPI-U for 2025-10: the BLS published no index for that month\."),
        ("2026-10-01", r"p\.csv:2: There is no CPI-U for 2026-10: the last month available is 2026-08\."),
    ],
)  # fmt: skip
def test_a_month_without_cpi_u_is_an_error_naming_it(converter, announced, message):
    pledges = load_text(
        f"company,country,amount,announced\nA,US,$1bn,{announced}\n", "csv", name="p.csv"
    )
    with pytest.raises(ReportError, match=message):
        build_report(pledges, real=2025, converter=converter)
