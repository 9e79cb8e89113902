"""The bundled reference snapshot (calc/data/reference.csv, calc/data/cpi-u.csv): reproducible from
the shared data by tools/make_reference.py, exact to the source's digits, countries only."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import babel
import pytest
from babel.core import get_global

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "calc" / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DATA = SHARED / "data"
SERIES = ("population", "ppp", "gdp_usd", "cpi_inflation")


def _tool():
    spec = importlib.util.spec_from_file_location(
        "make_reference", ROOT / "tools" / "make_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return _tool()


@pytest.fixture(scope="module")
def data() -> Path:
    if not (DATA / "README.md").is_file():
        pytest.fail(
            f"the shared reference data is missing: expected {DATA} (../shared/data beside the "
            "repository, as CI provides it); the bundled snapshot cannot be checked without it"
        )
    return DATA


def _bundled(name: str) -> tuple[str, list[dict[str, str]]]:
    """The comment line and rows of a bundled file."""
    with (BUNDLE / name).open(encoding="utf-8", newline="") as f:
        comment = f.readline()
        return comment, list(csv.DictReader(f))


@pytest.fixture(scope="module")
def reference() -> dict[tuple[str, str, int], str]:
    _, rows = _bundled("reference.csv")
    return {(r["country"], r["series"], int(r["year"])): r["value"] for r in rows}


def _raw(relative: str, code: str, year: str) -> str:
    """The value the shared file gives for ``code`` in ``year``, read without the tool."""
    with (DATA / relative).open(encoding="utf-8", newline="") as f:
        found = [row[3] for row in csv.reader(f) if row[1] == code and row[2] == year]
    assert len(found) == 1, (relative, code, year, found)
    return found[0]


# (a) reproducible


def test_bundle_is_the_tools_output(tool, data):
    files, _ = tool.build(data)
    assert sorted(files) == ["cpi-u.csv", "reference.csv"]
    for name, text in files.items():
        assert (BUNDLE / name).read_bytes() == text.encode("utf-8"), (
            f"calc/data/{name} is not what tools/make_reference.py makes from {data}: run it again"
        )


def test_output_is_deterministic(tool, data):
    assert tool.build(data) == tool.build(data)


def test_unmapped_codes_are_reported_not_guessed(tool, data):
    _, notes = tool.build(data)
    unmapped = {
        code for note in notes if "UNMAPPED" in note for code in note.split(": ")[-1].split()
    }
    # Channel Islands and Kosovo have no ISO 3166 alpha-2 code: dropped and named, never mapped.
    assert unmapped == {"CHI", "XKX", "XK"}


def test_comment_names_source_vintage_licence_and_checksums(data):
    for name, inputs, needles in [
        (
            "reference.csv",
            [
                "worldbank/wdi-population.csv",
                "worldbank/wdi-ppp-gdp.csv",
                "worldbank/wdi-gdp.csv",
                "worldbank/wdi-inflation-cpi.csv",
            ],
            [
                "World Bank, World Development Indicators",
                "CC BY 4.0",
                "425fc447a53a",
                "17829648d05f",
                "822019c80142",
                "3750e45064a9",
            ],
        ),
        (
            "cpi-u.csv",
            ["bls/cpi-u-us-city-average.csv"],
            ["Bureau of Labor Statistics", "CUUR0000SA0", "public domain"],
        ),
    ]:
        comment, _ = _bundled(name)
        assert comment.startswith("# ") and comment.endswith("\n")
        for needle in needles:
            assert needle in comment, (name, needle)
        readme = (data / "README.md").read_text(encoding="utf-8")
        for relative in inputs:
            digest = hashlib.sha256((data / relative).read_bytes()).hexdigest()
            assert f"{relative}={digest}" in comment, (name, relative)
        for commit in re.findall(r"\b[0-9a-f]{12}\b", comment):
            assert commit in readme


# (b) exact values, against the raw files read here


@pytest.mark.parametrize(
    ("country", "series", "year", "relative", "code"),
    [
        ("GB", "gdp_usd", 2023, "worldbank/wdi-gdp.csv", "GBR"),
        ("JP", "gdp_usd", 2023, "worldbank/wdi-gdp.csv", "JPN"),
        ("US", "population", 2024, "worldbank/wdi-population.csv", "USA"),
        ("EMU", "cpi_inflation", 2023, "worldbank/wdi-inflation-cpi.csv", "EMU"),
        ("FI", "cpi_inflation", 2009, "worldbank/wdi-inflation-cpi.csv", "FIN"),
        ("DE", "ppp", 2024, "worldbank/wdi-ppp-gdp.csv", "DE"),
    ],
)
def test_values_are_the_sources_digits(reference, data, country, series, year, relative, code):
    assert reference[country, series, year] == _raw(relative, code, str(year))


def test_known_values(reference):
    assert reference["GB", "gdp_usd", 2023] == "3340032380668.0356"
    assert reference["JP", "gdp_usd", 2023] == "4212945159781.403"
    assert reference["US", "population", 2024] == "340110988"
    assert reference["FI", "cpi_inflation", 2009] == "-9.17360384430342E-07"  # as written


def test_cpi_u_values(data):
    _, rows = _bundled("cpi-u.csv")
    bundled = {(r["year"], r["period"]): r["cpi_u"] for r in rows}
    with (data / "bls" / "cpi-u-us-city-average.csv").open(encoding="utf-8", newline="") as f:
        raw = {(r["year"], r["period"]): r["cpi_u"] for r in csv.DictReader(f)}
    assert bundled["2023", "M11"] == raw["2023", "M11"] == "307.051"
    assert bundled["2024", "M13"] == raw["2024", "M13"] == "313.689"
    assert bundled == {key: value for key, value in raw.items() if int(key[0]) >= 1999}
    assert {period for _, period in bundled} == {f"M{m:02d}" for m in range(1, 14)}
    assert all(
        (str(year), f"M{m:02d}") in bundled for year in range(1999, 2025) for m in range(1, 14)
    )
    # The source has no October 2025 (the BLS published no index for it): missing, not filled in.
    assert ("2025", "M10") not in bundled and ("2025", "M13") in bundled
    assert [(int(y), p) for y, p in bundled] == sorted((int(y), p) for y, p in bundled)


def test_rows_sorted_unique_and_numbers(data):
    _, rows = _bundled("reference.csv")
    keys = [(r["country"], r["series"], int(r["year"])) for r in rows]
    assert keys == sorted(set(keys))
    assert {r["series"] for r in rows} == set(SERIES)
    years = {int(r["year"]) for r in rows}
    assert min(years) == 1999 and max(years) == 2024
    for r in rows:
        Decimal(r["value"])  # every value is a number as written
    for name in ("reference.csv", "cpi-u.csv"):
        assert b"\r" not in (BUNDLE / name).read_bytes()
    assert (BUNDLE / "reference.csv").stat().st_size < 1_000_000


# (c) countries only


def test_codes_are_iso_alpha_2_territories_and_no_aggregates(reference, tool):
    territories = set(babel.Locale("en").territories)
    groupings = {
        "EU",
        "EZ",
        "UN",
        "QO",
        "ZZ",
        "XA",
        "XB",
    }  # CLDR territories that are not countries
    for country, series, _ in reference:
        if country == "EMU":
            assert series == "cpi_inflation", "the euro area is kept for inflation only"
            continue
        assert re.fullmatch("[A-Z]{2}", country), country
        assert country in territories, country
        assert country not in groupings, country
        assert country in tool.ISO_ALPHA_2, country
    aggregates = {"WLD", "EUU", "HIC", "LIC", "OED", "EAS", "ARB", "XK", "1W", "XC", "EU"}
    assert not aggregates & {country for country, _, _ in reference}


def test_iso_table_agrees_with_cldr(tool):
    aliases = get_global("territory_aliases")
    territories = set(babel.Locale("en").territories)
    assert len(tool.ISO_3166) == 249
    for alpha_3, alpha_2 in tool.ISO_3166.items():
        assert list(aliases[alpha_3]) == [alpha_2], alpha_3
        assert alpha_2 in territories
    assert not tool.WB_AGGREGATES & set(tool.ISO_3166)


# (d) the large and the small economies are all there


@pytest.mark.parametrize("country", ["US", "CN", "KR", "NL", "IE", "SG"])
@pytest.mark.parametrize("series", ["population", "ppp", "gdp_usd"])
def test_economies_present(reference, country, series):
    years = {year for c, s, year in reference if c == country and s == series}
    assert years, (country, series)
    assert 2023 in years and min(years) == 1999, (country, series, sorted(years))
