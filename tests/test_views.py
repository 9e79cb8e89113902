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
from calc.reference import load_reference
from tests.exact import at

EXACT = Context(prec=200)


def test_bundled_reference_data():
    data = load_reference()
    assert len(data) == 23
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
    assert uk.per_capita == report.country("GB").total / 69226000
    assert japan.per_capita == report.country("JP").total / 123975371
    assert uk.local_total == Money("2500000000", "GBP")
    usd_jpy = offline_book.rate("USD", "JPY", datetime.date(2024, 4, 9))
    assert japan.local_total == at(2_909_900_000, usd_jpy)
    assert japan.ppp_total == Context(prec=28).divide(
        japan.local_total.amount, Decimal("94.462599")
    )
    assert uk.ppp_total == Context(prec=28).divide(Decimal(2_500_000_000), Decimal("0.664153"))
    assert (uk.population_year, uk.ppp_year, uk.note) == (2024, 2024, "")


def test_a_country_without_data_shows_no_data(converter, tmp_path, capsys):
    text = "company,country,amount,announced\nA,NZ,NZ$1bn,2024-01-19\nB,JP,$1bn,2024-01-19\n"
    report = build_report(
        load_text(text, "csv", name="p.csv"), per_capita=True, ppp=True, converter=converter
    )
    assert report.view("NZ").per_capita is None and report.view("NZ").note == "no data"
    assert report.view("JP").per_capita is not None
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["report", str(path), "--per-capita", "--ppp"]) == 0
    line = next(
        line
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("New Zealand") and "no data" in line
    )
    assert line.count("no data") == 5


def test_a_users_reference_file_takes_precedence(converter, tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text(
        "country,name,population,population_year,ppp_lcu_per_intl_dollar,ppp_year,source\n"
        "NZ,New Zealand,5300000,2025,1.45,2025,my data\nJP,Japan,120000000,2025,,,\n",
        encoding="utf-8",
    )
    data = load_reference(str(path))
    assert (
        data["NZ"].population == 5300000 and data["JP"].ppp is None and data["GB"].ppp_year == 2024
    )
    text = "company,country,amount,announced\nA,NZ,NZ$1bn,2024-01-19\nB,JP,$1bn,2024-01-19\n"
    report = build_report(
        load_text(text, "csv"), ppp=True, per_capita=True, reference=data, converter=converter
    )
    assert report.view("NZ").ppp_total == Context(prec=28).divide(
        Decimal(1_000_000_000), Decimal("1.45")
    )
    assert report.view("JP").note == "no PPP data" and report.view("JP").ppp_total is None


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
    assert (
        "PER HEAD AND AT PURCHASING-POWER PARITY" in out
        and "(2024 data)" in out
        and "(2024," in out
    )
    assert "Int$3,764,192,889.29" in out and "Int$4,676,419,701.25" in out
    assert "$45.71" in out and "$23.47" in out and "Source: World Bank WDI 2024" in out
    assert main(["report", "--per-capita", "--ppp", "--format", "json"]) == 0
    import json

    views = json.loads(capsys.readouterr().out)["views"]
    assert [v["country"] for v in views] == ["GB", "JP"] and views[0]["ppp_year"] == 2024


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
    path = tmp_path / "ref.csv"
    path.write_text(
        "country,population,population_year,ppp_lcu_per_intl_dollar,ppp_year\nHR,3850000,2022,3.4,2022\n",
        encoding="utf-8",
    )
    text = "company,country,amount,announced\nA,HR,€1bn,2022-06-01\nB,HR,€1bn,2024-06-03\n"
    data = load_reference(str(path))
    early = build_report(
        load_text(text.splitlines(True)[0] + text.splitlines(True)[1], "csv"),
        ppp=True,
        reference=data,
        converter=converter,
    )
    assert early.view("HR").local_total.currency == "HRK"  # the 2022 factor is in kuna
    later = build_report(load_text(text, "csv"), ppp=True, reference=data, converter=converter)
    assert later.view("HR").ppp_total is None and "no HRK rate" in later.view("HR").note
