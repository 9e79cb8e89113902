"""The spendcalc command through main([...]): exit codes and real content for every command."""

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from calc.cli import main
from calc.examples import example_as
from tests.clock import set_today
from tests.conftest import LIVE_DAYS, LIVE_TODAY
from tests.ratesserver import live_update


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_on_the_bundled_example(capsys):
    code, out, err = run(capsys, "report")
    assert code == 0 and err == ""
    for text in ["United Kingdom", "Japan", "$3,164,076,972.95", "$2,909,900,000.00", "52.1%", "47.9%",
                 "$969.97", "not disclosed", "3,000,000", "0.920×", "$254,176,972.95",
                 "1 GBP = 1.26563078918 USD (2023-11-30, ECB reference rates", "undisclosed",
                 "COMPARED WITH UNITED KINGDOM"]:  # fmt: skip
        assert text in out, text


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "json"])
def test_every_format(capsys, fmt):
    code, out, err = run(capsys, "report", "--format", fmt)
    assert code == 0 and err == ""
    if fmt == "json":
        data = json.loads(out)
        assert [c["country"] for c in data["countries"]] == ["GB", "JP"]
        assert data["countries"][1]["total"]["amount"] == "2909900000"
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["country"] for r in rows] == ["GB", "JP"]
        assert (
            rows[1]["total"] == "2909900000.00"
            and rows[1]["commitment_per_worker_trained"] == "969.97"
        )
    elif fmt == "markdown":
        assert out.startswith("# Spending commitments in USD") and "| United Kingdom |" in out
    else:
        assert "BY COUNTRY" in out


def test_report_options(capsys):
    code, out, _ = run(
        capsys,
        "report",
        "--currency",
        "JPY",
        "--locale",
        "ja_JP",
        "--compact",
        "--on",
        "2024-01-19",
    )
    assert code == 0 and "日本" in out and "イギリス" in out and "億" in out and "2024-01-19" in out


@pytest.mark.parametrize("fmt", ["toml", "csv", "json"])
def test_example_round_trips_through_report(capsys, tmp_path, fmt):
    code, text, _ = run(capsys, "example", "--format", fmt)
    assert code == 0
    path = tmp_path / f"mine.{fmt}"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "report", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["total"] == json.loads(main_json(capsys))["total"]


def main_json(capsys):
    run(capsys, "report", "--format", "json")
    main(["report", "--format", "json"])
    return capsys.readouterr()[0]


def test_report_with_rates_for_unquoted_currencies(capsys, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("company,country,amount,announced\nA,TW,NT$5bn,2024-01-19\n", encoding="utf-8")
    code, _, err = run(capsys, "report", str(path))
    assert code == 1 and err.startswith(
        "error: p.csv:2: TWD is not among the ECB reference currencies; give a rate yourself, e.g. --rate TWD=VALUE"
    )
    assert err.count("\n") == 1
    code, out, err = run(capsys, "report", str(path), "--rate", "USD/TWD=31.4", "--format", "json")
    assert code == 0 and json.loads(out)["conversions"][0]["rate"]["source"] == "override"


def test_a_file_with_several_bad_records_lists_them_all(capsys, tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_text(
        "company,country,amount,announced\nA,JP,two billion,2024-01-01\nB,XX,$1bn,2024-01-01\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "report", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "error: pledges.csv:2: amount 'two billion' is not an amount: it has no figures; write the number in digits, e.g. '£2bn' (read with no locale; set the record's locale field or --input-locale) (and 1 more problem)",
        "pledges.csv:2: amount 'two billion' is not an amount: it has no figures; write the number in digits, e.g. '£2bn' (read with no locale; set the record's locale field or --input-locale)",
        "pledges.csv:3: country 'XX' is not an ISO 3166-1 alpha-2 code (such as JP, GB, US)",
    ]


def test_convert(capsys):
    code, out, err = run(capsys, "convert", "£2.5bn", "--to", "USD", "--on", "2023-11-30")
    assert (code, err) == (0, "")
    assert (
        out
        == "£2,500,000,000.00 = $3,164,076,972.95 at 1 GBP = 1.26563078918 USD (fixing 2023-11-30, ECB reference rates (bundled))\n"
    )


def test_convert_on_a_weekend_says_which_fixing(capsys):
    code, out, _ = run(capsys, "convert", "¥2.26tn", "--to", "usd", "--on", "2024-04-06")
    assert (
        code == 0
        and "(fixing 2024-04-05, ECB reference rates (bundled)); no fixing on 2024-04-06 (Saturday); used 2024-04-05"
        in out
    )


def test_check_fair_and_flagged(capsys):
    code, out, _ = run(
        capsys, "check", "£2.5 billion", "$3 billion", "--on", "2023-11-30", "--tolerance", "10%"
    )
    assert code == 0 and "deviation:  -5.2% (tolerance 10%)" in out and "verdict:    FAIR" in out
    assert "implied 1 GBP = 1.2 USD, ECB 1.265630789" in out
    code, out, _ = run(
        capsys, "check", "¥2.6tn", "$15.2bn", "--on", "2024-01-19", "--tolerance", "5%"
    )
    assert code == 3 and "deviation:  -13.5% (tolerance 5%)" in out and "verdict:    OFF" in out
    code, out, _ = run(
        capsys, "check", "£2.5 billion", "$3 billion", "--on", "2023-11-30", "--tolerance", "0.06"
    )
    assert code == 0 and "(tolerance 6%)" in out


def test_rates_info(capsys):
    code, out, _ = run(capsys, "rates", "info")
    assert (
        code == 0
        and "coverage:    1999-01-04 to 2026-10-30" in out
        and "USD" in out
        and "RUB" in out
    )


def test_rates_update_through_the_local_server(capsys, rates_server, tmp_path, monkeypatch):
    set_today(monkeypatch, LIVE_TODAY)
    cache = tmp_path / "c.sqlite3"
    code, out, err = run(
        capsys,
        *live_update(rates_server.url, str(cache)),
    )
    assert code == 0
    assert err.splitlines() == [
        f"fetching {i}/5: {day}" for i, day in enumerate(LIVE_DAYS, start=1)
    ]
    assert out == f"added 5 days of rates to {cache}; rates now run from 1999-01-04 to 2026-11-06\n"
    code, out, _ = run(
        capsys,
        *live_update(rates_server.url, str(cache)),
    )
    assert code == 0 and out.startswith("added 0 days") and "already up to date" in out
    code, out, _ = run(
        capsys, "convert", "£1m", "--to", "USD", "--on", "2026-11-04", "--cache", str(cache)
    )
    expected = Decimal("1.1187") / Decimal("0.8339") * 1_000_000
    assert code == 0 and f"${expected:,.2f}" in out and "forex-python live" in out


def test_rates_update_failing_is_one_line_and_exit_1(capsys, rates_server, tmp_path, monkeypatch):
    set_today(monkeypatch, LIVE_TODAY)
    rates_server.faults["2026-11-04"] = "http-500"
    code, out, err = run(
        capsys,
        *live_update(rates_server.url, str(tmp_path / "c.sqlite3")),
    )
    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith(
        "error: Update stopped at 2026-11-04 after adding 2 days (rates now end on 2026-11-03)"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["convert", "two billion", "--to", "USD"], "error: 'two billion' is not an amount"),
        (["convert", "£1", "--to", "XYZ"], "error: 'XYZ' is not an ISO 4217 currency code"),
        (
            ["convert", "£1", "--to", "USD", "--on", "1990-01-01"],
            "error: No GBP->USD rate on 1990-01-01: ECB reference rates start on 1999-01-04.",
        ),
        (["convert", "kr 5bn", "--to", "USD"], "error: 'kr 5bn' is not an amount"),
        (["report", "--currency", "XYZ"], "error: 'XYZ' is not an ISO 4217 currency code"),
        (["report", "--locale", "xx_YY"], "error: 'xx_YY' is not a locale babel knows"),
        (
            ["report", "nowhere.csv"],
            "error: nowhere.csv: cannot be read: No such file or directory",
        ),
        (["report", "--rate", "TWD=abc"], "error: The rate 'TWD=abc' does not end in a number"),
        (["report", "--on", "2999-01-01"], "that date is in the future"),
        (
            ["check", "£1bn", "£2bn", "--on", "2024-01-02"],
            "error: 1000000000 GBP and 2000000000 GBP are both in GBP",
        ),
    ],
)
def test_errors_are_one_line_and_exit_1(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["convert", "£1"],
        ["convert", "£1", "--to", "USD", "--on", "30/11/2023"],
        ["report", "--format", "xml"],
        ["check", "£1", "$1"],
        ["check", "£1", "$1", "--on", "2024-01-02", "--tolerance", "lots"],
        ["report", "--on", "someday"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    try:
        code = main(argv)
    except SystemExit as caught:
        code = caught.code
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err


def test_help_shows_defaults(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["report", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert caught.value.code == 0 and "(default: USD)" in out and "(default: announced)" in out
    assert "(default: None)" not in out and "(default: False)" not in out


def test_python_dash_m_calc_works_like_spendcalc():
    import subprocess
    import sys

    from tests.conftest import ROOT

    run_ = subprocess.run(
        [sys.executable, "-m", "calc", "convert", "£2.5bn", "--to", "USD", "--on", "2023-11-30"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert run_.returncode == 0 and "$3,164,076,972.95" in run_.stdout


def test_example_csv_is_the_example(capsys):
    code, out, _ = run(capsys, "example", "--format", "csv")
    assert code == 0 and out == example_as("csv")


def test_rates_update_shows_a_bar_on_a_terminal(rates_server, tmp_path, monkeypatch):
    import datetime

    from calc.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    screen = Terminal()
    with Progress("fetching", stream=screen) as progress:
        for done, day in enumerate(LIVE_DAYS, start=1):
            progress.step(datetime.date.fromisoformat(day), done, len(LIVE_DAYS))
    text = screen.getvalue()
    assert "\r" in text and "5/5" in text and "100%" in text and "2026-11-06" in text


def test_report_online_fetches_a_day_past_the_snapshot(capsys, rates_server, tmp_path, monkeypatch):
    set_today(monkeypatch, LIVE_TODAY)
    monkeypatch.setenv("SPENDCALC_LIVE_URL", rates_server.url)
    path = tmp_path / "p.csv"
    path.write_text("company,country,amount,announced\nA,GB,£1bn,2026-11-05\n", encoding="utf-8")
    code, out, _err = run(capsys, "report", str(path), "--format", "json")
    offline = json.loads(out)["conversions"][0]["rate"]
    assert code == 0 and offline["stale"] and offline["fixing_date"] == "2026-10-30"  # 6 days on
    code, out, _err = run(capsys, "report", str(path), "--format", "json", "--online")
    rate = json.loads(out)["conversions"][0]["rate"]
    assert (
        code == 0 and rate["fixing_date"] == "2026-11-05" and rate["source"] == "forex-python live"
    )
    assert Decimal(rate["value"]) == Decimal("1.1163") / Decimal("0.83302")


def test_rates_without_a_subcommand_is_a_usage_error(capsys):
    assert main(["rates"]) == 2
    assert "name what to do: info, update, check or export" in capsys.readouterr().err


def test_huge_amounts_and_circular_rates(capsys):
    code, out, _ = run(
        capsys,
        "convert",
        "GBP 1000000000000000000000000000000",
        "--to",
        "USD",
        "--on",
        "2023-11-30",
    )
    # 1e30 x 1.0931 / 0.86368, exactly, to the cent (not the product with a 28-digit rate)
    exact = Fraction(10**30) * Fraction("1.0931") / Fraction("0.86368")
    cents = (exact * 100 * 2 + 1) // 2  # half-up
    assert code == 0 and f"${cents // 100:,}.{cents % 100:02d}" in out
    assert "rounded to 28 digits" in out  # no 28-digit rate gives the exact cents
    code, _, err = run(
        capsys,
        "convert",
        "TWD 5bn",
        "--to",
        "GBP",
        "--on",
        "2024-01-19",
        "--rate",
        "USD/TWD=31",
        "--rate",
        "TWD/USD=0.03",
    )
    assert code == 1 and "define each other in a circle" in err and "internal error" not in err


def test_a_closed_pipe_is_not_an_error():
    import subprocess
    import sys

    from tests.conftest import ROOT

    done = subprocess.run(
        f"{sys.executable} -m calc rates export | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.stdout == "date,currency,units_per_eur,source\n" and "error" not in done.stderr


@pytest.mark.parametrize("given", ["5", "1.5", "10"])
def test_a_bare_tolerance_above_1_is_refused_with_the_fix(capsys, given):
    """'--tolerance 5' would be 500%: a fact-checker means 5% and must be told how to write it."""
    with pytest.raises(SystemExit) as caught:
        main(["check", "£2.5bn", "$3bn", "--on", "2023-11-30", "--tolerance", given])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --tolerance: {given!r} is a fraction above 1" in err
    assert f"write {given}% for {given} percent, or {Decimal(given) / 100} as a fraction" in err


@pytest.mark.parametrize(
    ("given", "verdict"), [("5%", 3), ("0.05", 3), ("10%", 0), ("0.1", 0), ("1", 0)]
)
def test_a_tolerance_as_a_percentage_or_a_fraction(capsys, given, verdict):
    """$3.00bn stands for $2.995bn to $3.005bn: 5.0% below the ECB-based $3.164bn."""
    code = main(["check", "£2.5bn", "$3.00bn", "--on", "2023-11-30", "--tolerance", given])
    assert code == verdict, capsys.readouterr()


def test_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"spendcalc {version('spendcalc')}\n"


def test_install_hints_work_without_pypi():
    import inspect

    from calc import chart
    from rates import export

    for module in (chart, export):
        source = inspect.getsource(module)
        assert "pip install 'spendcalc[" not in source  # spendcalc is not on PyPI
