"""Per-capita and PPP views, the reference data behind them, and the chart."""

import builtins
import struct
import sys
import xml.etree.ElementTree as ET
from decimal import Context, Decimal

import pytest

from calc import CalcError, CommitmentFileError, Money, build_report
from calc.chart import DPI, SIZE, write_chart
from calc.cli import main
from calc.commitments import load_text
from calc.decimals import quotient
from calc.reference import load_reference
from tests.exact import at

EXACT = Context(prec=200)


def test_bundled_reference_data():
    data = load_reference()
    assert len(data) > 200 and {"US", "CN", "KR", "NL", "IE", "SG"} <= set(data)
    japan, uk = data["JP"], data["GB"]
    assert (japan.population, japan.population_year, japan.ppp, japan.ppp_year) == (
        123975371,
        2024,
        Decimal("94.462599"),
        2024,
    )
    assert (uk.population, uk.ppp) == (69226000, Decimal("0.664153"))
    assert "World Bank" in uk.source


def test_per_capita_and_ppp_figures(example, converter, offline_book):
    import datetime

    report = build_report(example, per_capita=True, ppp=True, converter=converter)
    uk, japan = report.view("GB"), report.view("JP")
    # Each country's data for the year of its announcement: the UK's 2023, Japan's 2024.
    assert (uk.population, uk.population_year, uk.ppp_factor, uk.ppp_year, uk.year) == (
        68492000,
        2023,
        Decimal("0.660709"),
        2023,
        2023,
    )
    assert (japan.population_year, japan.ppp_year, japan.year) == (2024, 2024, 2024)
    assert uk.per_capita == report.country("GB").total / 68492000
    assert japan.per_capita == report.country("JP").total / 123975371
    assert uk.local_total == Money("2500000000", "GBP")
    usd_jpy = offline_book.rate("USD", "JPY", datetime.date(2024, 4, 9))
    assert japan.local_total == at(2_909_900_000, usd_jpy)
    assert japan.ppp_total == Context(prec=28).divide(
        japan.local_total.amount, Decimal("94.462599")
    )
    assert uk.ppp_total == Context(prec=28).divide(Decimal(2_500_000_000), Decimal("0.660709"))
    assert uk.note == ""


def test_a_country_without_data_shows_no_data(converter, tmp_path, capsys):
    # Taiwan is not in the World Bank's data.
    text = "company,country,amount,announced\nA,TW,$1bn,2024-01-19\nB,JP,$1bn,2024-01-19\n"
    report = build_report(
        load_text(text, "csv", name="p.csv"), per_capita=True, ppp=True, converter=converter
    )
    assert report.view("TW").per_capita is None and report.view("TW").note == "no data"
    assert report.view("JP").per_capita is not None
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["report", str(path), "--per-capita", "--ppp"]) == 0
    out = capsys.readouterr().out
    line = next(
        line for line in out.splitlines() if line.startswith("Taiwan") and "no data" in line
    )
    assert line.count("no data") == 5
    # The headers stay readable, and the note says how to supply the data.
    assert "(no," not in out and "PPP factor\n" not in out
    section = out.split("PER HEAD AND AT PURCHASING-POWER PARITY")[1]
    assert "PPP factor" in section and "give your own with --reference FILE" in " ".join(
        section.split()
    )


def user_reference(tmp_path, text: str):
    """The reference data with a user's file of ``text`` (ref.csv)."""
    path = tmp_path / "ref.csv"
    path.write_text(text, encoding="utf-8")
    return load_reference(str(path))


def test_a_users_reference_file_takes_precedence(converter, tmp_path):
    data = user_reference(
        tmp_path,
        "country,name,population,population_year,ppp_lcu_per_intl_dollar,ppp_year,source\n"
        "NZ,New Zealand,5300000,2025,1.45,2025,my data\nJP,Japan,120000000,2025,,,\n",
    )
    # Each row adds or replaces its year; an empty cell gives nothing, the bundled years stay.
    assert (data["NZ"].population, data["NZ"].source) == (5300000, "my data")
    assert data["JP"].population_year == 2025 and data["JP"].ppp == Decimal("94.462599")
    assert data["GB"].ppp_year == 2024
    text = "company,country,amount,announced\nA,NZ,NZ$1bn,2025-06-02\nB,JP,$1bn,2025-06-02\n"
    report = build_report(
        load_text(text, "csv"), ppp=True, per_capita=True, reference=data, converter=converter
    )
    assert report.view("NZ").ppp_total == Context(prec=28).divide(
        Decimal(1_000_000_000), Decimal("1.45")
    )
    assert (report.view("JP").population, report.view("JP").ppp_year) == (120000000, 2024)
    # A 2024 pledge does not use 2025 data: the bundled 2024 figures.
    early = build_report(
        load_text(text.replace("2025-06-02", "2024-06-03"), "csv"), per_capita=True,
        reference=data, converter=converter,
    )  # fmt: skip
    assert early.view("NZ").population_year == 2024 and early.view("NZ").population != 5300000


def test_the_bundled_form_of_a_users_file(converter, tmp_path):
    data = user_reference(
        tmp_path,
        "country,series,year,value,source\nTW,population,2024,23400000,my census\n"
        "TW,gdp_usd,2024,775000000000,\nEMU,cpi_inflation,2024,2.4,ECB HICP\n",
    )
    assert data.latest("TW", "population", 2026).value == 23400000
    assert data.latest("TW", "gdp_usd", 2024).source == "ref.csv"
    assert data.value("EMU", "cpi_inflation", 2024) == Decimal("2.4")
    assert data.value("EMU", "cpi_inflation", 2023) is not None  # the bundled years stay
    report = build_report(
        load_text("company,country,amount,announced\nA,TW,$1bn,2024-01-19\n", "csv"),
        per_capita=True, share_of_gdp=True, reference=data, converter=converter,
    )  # fmt: skip
    assert report.view("TW").per_capita == Money(1_000_000_000, "USD") / 23400000
    assert report.share_of_gdp[0].share == quotient(Decimal(10**9), Decimal(775 * 10**9))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("country,population\nJP,1\n", r"ref\.csv:1: has no population_year"),
        (
            "country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year\nJAP,1,2024,1,2024\n",
            r"ref\.csv:2: country 'JAP'",
        ),
        (
            "country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year\nJP,-5,2024,1,2024\n",
            r"ref\.csv:2: population '-5' must be a positive whole number",
        ),
        (
            "country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year\nJP,5,2024,abc,2024\n",
            r"ref\.csv:2: ppp_lcu_per_intl_dollar 'abc' is not a number",
        ),
    ],
)
def test_bad_reference_files(tmp_path, body, message):
    path = tmp_path / "ref.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CommitmentFileError, match=message):
        load_reference(str(path))


def test_the_cli_shows_both_views_with_the_data_year(capsys):
    assert main(["report", "--per-capita", "--ppp"]) == 0
    out = capsys.readouterr().out
    assert "PER HEAD AND AT PURCHASING-POWER PARITY" in out and "(data year)" in out
    assert "68,492,000 (2023)" in out and "123,975,371 (2024)" in out
    assert "0.6607 (2023)" in out and "94.4626 (2024)" in out
    # 2.5bn / 0.660709 and Japan's local total / 94.462599; the totals over the populations.
    assert "Int$3,783,814,054.30" in out and "Int$4,676,419,701.25" in out
    assert "$46.20" in out and "$23.47" in out
    assert "Source: World Bank, World Development Indicators, PA.NUS.PPP" in " ".join(out.split())
    assert main(["report", "--per-capita", "--ppp", "--format", "json"]) == 0
    import json

    views = json.loads(capsys.readouterr().out)["views"]
    assert [v["country"] for v in views] == ["GB", "JP"]
    assert [(v["ppp_year"], v["reference_year"]) for v in views] == [(2023, 2023), (2024, 2024)]


def png_size(path) -> tuple[int, int]:
    raw = path.read_bytes()
    assert (
        raw[:8] == b"\x89PNG\r\n\x1a\n"
        and raw[12:16] == b"IHDR"
        and raw.endswith(b"IEND\xaeB`\x82")
    )
    return struct.unpack(">II", raw[16:24])


def test_the_chart_is_a_png_of_the_expected_size(example, converter, tmp_path):
    report = build_report(example, ppp=True, converter=converter)
    path = tmp_path / "chart.png"
    write_chart(report, str(path))
    assert png_size(path) == (int(SIZE[0] * DPI), int(SIZE[1] * DPI))


def test_the_chart_as_svg_names_currency_policy_and_fixings(example, converter, tmp_path, capsys):
    path = tmp_path / "chart.svg"
    assert main(["report", "--currency", "EUR", "--chart", str(path)]) == 0
    assert f"Chart: {path}" in capsys.readouterr().out
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    text = path.read_text(encoding="utf-8")
    assert "in EUR" in text and "each commitment at its announcement date" in text
    assert "ECB fixings 2023-11-30 to 2024-04-09" in text


def test_chart_errors(example, converter, tmp_path, monkeypatch):
    report = build_report(example, converter=converter)
    with pytest.raises(CalcError, match=r"must end in \.png or \.svg"):
        write_chart(report, str(tmp_path / "chart.gif"))
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "matplotlib", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(
        CalcError,
        match=r"A chart needs matplotlib; install it with: pip install matplotlib \(or, in a spendcalc source tree, pip install '\.\[chart\]'\)",
    ):
        write_chart(report, str(tmp_path / "chart.png"))
    assert not (tmp_path / "chart.png").exists()


def test_the_ppp_leg_uses_the_currency_of_the_data_year(converter, tmp_path):
    # A user's factor is in the currency of its year: Croatia's 2022 one in kuna.
    data = user_reference(
        tmp_path,
        "country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year\nHR,3850000,2022,3.4,2022\n",
    )
    text = "company,country,amount,announced\nA,HR,€1bn,2022-06-01\n"
    early = build_report(load_text(text, "csv"), ppp=True, reference=data, converter=converter)
    assert early.view("HR").local_total.currency == "HRK"  # the 2022 factor is in kuna
    assert early.view("HR").ppp_total == Context(prec=28).divide(
        early.view("HR").local_total.amount, Decimal("3.4")
    )
    # The World Bank writes Croatia's whole history in euros, its currency in 2024.
    bundled = build_report(load_text(text, "csv"), ppp=True, converter=converter)
    view = bundled.view("HR")
    assert (view.local_total, view.ppp_year) == (Money(1_000_000_000, "EUR"), 2022)
    assert view.ppp_total == Context(prec=28).divide(Decimal(1_000_000_000), view.ppp_factor)


def test_a_ppp_leg_without_a_rate_says_so(converter, tmp_path):
    data = user_reference(tmp_path, "country,series,year,value\nTW,ppp,2024,14.2\n")
    text = "company,country,amount,announced\nA,TW,$1bn,2024-06-03\n"
    report = build_report(load_text(text, "csv"), ppp=True, reference=data, converter=converter)
    assert report.view("TW").ppp_total is None and "no TWD rate" in report.view("TW").note
