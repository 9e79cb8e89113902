"""Press wording (issue 14, item 3): qualifiers, ranges, currency words, a conversion in brackets."""

from __future__ import annotations

import pytest

from calc import Money
from calc.cli import main
from calc.errors import AmountParseError
from calc.press import QUALIFIERS, parse_press


@pytest.mark.parametrize(
    ("text", "qualifier", "kind", "low", "high"),
    [
        ("up to $5bn", "up to", "at most", Money("5e9", "USD"), None),
        ("about £2.5bn", "about", "approximate", Money("2.5e9", "GBP"), None),
        ("more than $5bn", "more than", "at least", Money("5e9", "USD"), None),
        ("at least €1bn", "at least", "at least", Money("1e9", "EUR"), None),
        ("~$3bn", "~", "approximate", Money("3e9", "USD"), None),
        ("$1.5bn+", "+", "at least", Money("1.5e9", "USD"), None),
        ("£2–3bn", None, "range", Money("2e9", "GBP"), Money("3e9", "GBP")),
        ("£2bn to £3bn", None, "range", Money("2e9", "GBP"), Money("3e9", "GBP")),
        ("between £2bn and £3bn", None, "range", Money("2e9", "GBP"), Money("3e9", "GBP")),
        ("€500m–€1bn", None, "range", Money("5e8", "EUR"), Money("1e9", "EUR")),
        ("2-3 billion euros", None, "range", Money("2e9", "EUR"), Money("3e9", "EUR")),
        ("2.5 billion pounds", None, "exact", Money("2.5e9", "GBP"), None),
        ("300 million dollars", None, "exact", Money("3e8", "USD"), None),
        ("₹25,700 crore", None, "exact", Money("2.57e11", "INR"), None),
    ],
)
def test_press_wording_is_read_with_its_qualifier(text, qualifier, kind, low, high):
    press = parse_press(text)
    assert (press.qualifier, press.kind, press.money, press.high) == (qualifier, kind, low, high)


def test_an_amount_with_its_own_conversion_keeps_both():
    press = parse_press("£2.5bn ($3.1bn)")
    assert press.money == Money("2.5e9", "GBP") and press.qualifier is None
    assert press.conversion is not None and press.conversion.money == Money("3.1e9", "USD")
    assert parse_press("about £2.5bn (roughly $3bn)").conversion.qualifier == "roughly"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("£3–2bn", "the range runs downwards"),
        ("£2bn–$3bn", "its ends are in GBP and USD"),
        ("up to", "is not an amount"),
        ("roughly two billion", "is not an amount"),
    ],
)
def test_bad_press_wording_is_refused_with_the_fix(text, message):
    with pytest.raises(AmountParseError, match=message):
        parse_press(text)


def test_a_word_that_only_begins_like_a_qualifier_is_not_one():
    with pytest.raises(AmountParseError):
        parse_press("overseas $5bn")
    assert set(QUALIFIERS) >= {"about", "around", "roughly", "nearly", "almost", "over",
                               "more than", "at least", "up to", "under", "~"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("up to $5bn", "up to $5,000,000,000.00 = up to €"),
        ("about £2.5bn", "about £2,500,000,000.00 = about €"),
        ("£2–3bn", "£2,000,000,000.00 to £3,000,000,000.00 = €"),
        ("$1.5bn+", "$1,500,000,000.00+ = €"),
    ],
)
def test_convert_shows_the_qualifier_or_the_range(capsys, text, shown):
    assert main(["convert", text, "--to", "EUR", "--on", "2024-01-19"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(shown)
    if "to £3" in shown:
        assert out.count(" to ") == 2  # both ends converted


def test_convert_names_the_check_for_a_bracketed_conversion(capsys):
    assert main(["convert", "£2.5bn ($3.1bn)", "--to", "USD", "--on", "2023-11-30"]) == 0
    assert "spendcalc check '£2.5bn' '$3.1bn' --on 2023-11-30" in capsys.readouterr().out


@pytest.mark.parametrize("mangled", [".9bn", "Abn", "bn"])
def test_a_shell_mangled_amount_gets_a_hint_about_single_quotes(capsys, mangled):
    assert main(["convert", mangled, "--to", "EUR"]) == 1
    err = capsys.readouterr().err
    assert "single quotes" in err and len(err.splitlines()) == 1


def test_an_ordinary_refusal_has_no_shell_hint():
    with pytest.raises(AmountParseError) as caught:
        parse_press("£2.5 gazillion")
    assert "single quotes" not in str(caught.value)


WORDED = """company,country,amount,announced,description
Acme,GB,up to $5bn,2024-01-19,ceiling
Beta,GB,£2–3bn,2024-01-19,range
Gamma,JP,about ¥100bn,2024-04-09,approx
Delta,JP,$1.5bn+,2024-04-09,floor
Eps,DE,2.5 billion euros ($2.7bn),2024-04-09,bracket
"""


def worded_report():
    from calc import Converter
    from calc.commitments import load_text
    from calc.report import build_report
    from rates import RateBook

    return build_report(
        load_text(WORDED, "csv", name="w.csv"), converter=Converter(RateBook(cache=None))
    )


def test_a_file_keeps_the_wording_of_each_amount():
    from calc.commitments import load_text

    ceiling, ranged, approx, floor, bracket = load_text(WORDED, "csv", name="w.csv")
    assert (ceiling.qualifier, ceiling.amount) == ("up to", Money("5e9", "USD"))
    assert (ranged.amount, ranged.high) == (Money("2e9", "GBP"), Money("3e9", "GBP"))
    assert approx.qualifier == "about" and floor.qualifier == "+"
    assert bracket.amount == Money("2.5e9", "EUR") and bracket.press_conversion == Money(
        "2.7e9", "USD"
    )


def test_the_report_totals_say_what_they_include():
    report = worded_report()
    gb = report.country("GB")
    book_rate = report.conversions[1].conversion.rate
    assert report.conversions[1].high.rate == book_rate  # the high end at the same rate
    assert (
        gb.high_total
        == gb.total - report.conversions[1].conversion.result + report.conversions[1].high.result
    )
    assert dict(gb.qualified) == {"at most": 1, "range": 1}
    text = " ".join(
        __import__("calc.render", fromlist=["render_report"]).render_report(report).split()
    )
    assert "The totals include" in text and "range(s), counted at the low end" in text
    assert "up to $5,000,000,000.00" in text and "$1,500,000,000.00+" in text
    assert "With ranges at" in text and "their high end" in text


def test_the_wording_is_in_json_and_csv(capsys, tmp_path):
    import csv as csv_module
    import io
    import json

    path = tmp_path / "w.csv"
    path.write_text(WORDED, encoding="utf-8")
    assert main(["report", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [c["qualifier"] for c in data["conversions"]] == ["up to", None, "about", "+", None]
    assert data["conversions"][1]["high"] == {"amount": "3000000000", "currency": "GBP"}
    assert data["conversions"][4]["press_conversion"] == {"amount": "2700000000", "currency": "USD"}
    gb = next(c for c in data["countries"] if c["country"] == "GB")
    assert gb["high_total"] is not None and gb["worded"] == {"at most": 1, "range": 1}
    assert main(["report", str(path), "--format", "csv", "--rows", "conversions"]) == 0
    rows = list(csv_module.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5


@pytest.mark.parametrize(
    ("text", "word"),
    [("etwa 2,5 Mrd. £", "etwa"), ("bis zu 5 Mrd. $", "bis zu"), ("rund 3 Mrd. €", "rund")],
)
def test_a_qualifier_in_another_language_gets_a_hint_to_write_it_in_english(text, word):
    with pytest.raises(AmountParseError) as refused:
        parse_press(text, locale="de_DE")
    assert f"{word!r} before the number" in str(refused.value)
    assert "qualifiers are read in English" in str(refused.value)


@pytest.mark.parametrize("text", ["XYZ 5bn", "£.5bn", "5 doubloons", "£3–2bn", "two billion"])
def test_a_code_or_symbol_before_the_number_gets_no_qualifier_hint(text):
    with pytest.raises(AmountParseError) as refused:
        parse_press(text)
    assert "qualifiers are read in English" not in str(refused.value)
