"""spendcalc check: the tolerance, the quoted figure's own rounding, qualifiers and month averages.

The ECB-based figure for £2.5bn on 2023-11-30 is $3,164,076,972.95 (1 GBP = 1.265630789 USD).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from calc.amounts import parse_amount, parse_amount_and_unit
from calc.check import QUALIFIERS, CheckResult, Quoted, check_conversion, parse_quoted
from calc.cli import main
from calc.describe import describe_check
from calc.errors import AmountParseError, ReportError
from calc.format import format_money
from calc.money import Money

NOV_30 = dt.date(2023, 11, 30)


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as caught:  # argparse's usage errors
        code = caught.code
    out, err = capsys.readouterr()
    return code, out, err


def check(capsys, quoted, equivalent, *options):
    return run(capsys, "check", quoted, equivalent, "--on", "2023-11-30", *options)


def usd(amount):
    return format_money(Money(amount, "USD"))


# -- the acceptance items of the issue ------------------------------------------------------


def test_a_bare_tolerance_of_5_exits_2_with_the_fix(capsys):
    code, out, err = check(capsys, "£2.5bn", "$3bn", "--tolerance", "5")
    assert code == 2 and out == ""
    assert "'5' is a fraction above 1 (500%)" in err and "write 5% for 5 percent, or 0.05" in err


def test_a_tolerance_of_0_5_means_50_percent(capsys):
    code, out, _ = check(capsys, "£2.5bn", "$3,000,000,000", "--tolerance", "0.5")
    assert code == 0 and "(tolerance 50%)" in out


def test_roughly_3bn_is_fair_within_the_rounding_of_the_quoted_figure(capsys):
    code, out, err = check(capsys, "£2.5bn", "roughly $3bn", "--tolerance", "2%")
    assert code == 0 and err == ""
    assert "qualifier:  roughly" in out
    assert "verdict:    FAIR within the rounding of '$3bn'" in out
    assert "deviation:  -5.2% (tolerance 2%)" in out  # the plain deviation is still reported


def test_3_point_0bn_is_off(capsys):
    code, out, _ = check(capsys, "£2.5bn", "$3.0bn", "--tolerance", "2%")
    assert code == 3
    assert "verdict:    OFF" in out and "even allowing for the rounding of '$3.0bn'" in out


# -- the precision of a quoted figure --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "half_unit"),
    [
        ("$3bn", "5E+8"),
        ("$3.0bn", "5E+7"),
        ("$3.16bn", "5E+6"),
        ("$3,164,076,972", "0.5"),
        ("$3,164,076,972.95", "0.005"),
        ("$2,500,000,000.00", "0.005"),
        # Trailing zeros of a whole number are placeholders; after the decimal point they count.
        ("3,000,000,000 USD", "5E+8"),
        ("$30bn", "5E+9"),
        ("$3.00bn", "5E+6"),
        ("Rs 25,700 crore", "5E+8"),  # to the nearest 100 crore
        ("Rs 1.5 lakh crore", "5E+10"),
        ("2兆2600億円", "5E+9"),  # the smaller part sets it: 2600億, to the nearest 100億
        ("£1bn 500m", "5E+7"),
        ("0.5 GBP", "0.05"),
    ],
)
def test_half_a_unit_of_the_last_significant_digit(text, half_unit):
    quoted = parse_quoted(text)
    assert quoted.half_unit == Decimal(half_unit)
    assert quoted.money == parse_amount(text)


def test_the_unit_of_an_amount_read_with_a_locale():
    assert parse_amount_and_unit("2,5 Mrd. €", locale="de_DE") == (
        Money("2500000000", "EUR"),
        Decimal("1E+8"),
    )


def test_parse_amount_reads_the_same_values_as_before():
    """Placeholder zeros are dropped only from the unit: the amount itself is unchanged."""
    for text in ("3,000,000,000 USD", "$30bn", "2兆2600億円", "£2,500,000,000.00"):
        money, _unit = parse_amount_and_unit(text)
        assert money == parse_amount(text) and repr(money) == repr(parse_amount(text))
    assert repr(parse_amount("$30bn")) == "Money('30000000000', 'USD')"


def test_a_figure_written_in_full_is_allowed_half_a_dollar(capsys):
    """The exact figure is $3,164,076,972.95...: '$3,164,076,973' stands for it, '…972' does not."""
    code, out, _ = check(capsys, "£2.5bn", "$3,164,076,973", "--tolerance", "0%")
    assert code == 0 and "verdict:    FAIR within the rounding of '$3,164,076,973'" in out
    code, out, _ = check(capsys, "£2.5bn", "$3,164,076,972", "--tolerance", "0%")
    assert code == 3 and "even allowing for the rounding of '$3,164,076,972'" in out


# -- qualifiers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "qualifier", "figure"),
    [
        ("about $3bn", "about", "$3bn"),
        ("About $3bn", "about", "$3bn"),
        ("around $3bn", "around", "$3bn"),
        ("roughly $3bn", "roughly", "$3bn"),
        ("some $3bn", "some", "$3bn"),
        ("~$3bn", "~", "$3bn"),
        ("~ $3bn", "~", "$3bn"),
        ("≈$3bn", "≈", "$3bn"),
        ("approx. $3bn", "approx.", "$3bn"),
        ("approx $3bn", "approx", "$3bn"),
        ("ca. $3bn", "ca.", "$3bn"),
        ("approximately $3bn", "approximately", "$3bn"),
        ("c. $3bn", "c.", "$3bn"),
        ("c.$3bn", "c.", "$3bn"),
        ("circa $3bn", "circa", "$3bn"),
        ("nearly $3bn", "nearly", "$3bn"),
        ("almost $3bn", "almost", "$3bn"),
        ("just under $3bn", "just under", "$3bn"),
        ("just over $3bn", "just over", "$3bn"),
        ("over $3bn", "over", "$3bn"),
        ("more than $3bn", "more than", "$3bn"),
        ("More  than $3bn", "more than", "$3bn"),
        ("at least $3bn", "at least", "$3bn"),
        ("above $3bn", "above", "$3bn"),
        ("up to $3bn", "up to", "$3bn"),
        ("under $3bn", "under", "$3bn"),
        ("less than $3bn", "less than", "$3bn"),
        ("at most $3bn", "at most", "$3bn"),
        ("below $3bn", "below", "$3bn"),
        ("$3bn", None, "$3bn"),
    ],
)
def test_qualifiers_are_read_at_the_start(text, qualifier, figure):
    quoted = parse_quoted(text)
    assert (quoted.qualifier, quoted.figure, quoted.money) == (
        qualifier,
        figure,
        parse_amount(figure),
    )
    assert quoted.text == " ".join(text.split())


def test_every_qualifier_has_a_kind():
    assert set(QUALIFIERS.values()) == {
        "approximate", "at least", "at most", "just below", "just above",
    }  # fmt: skip


def test_about_rs_25_700_crore_is_read(capsys):
    quoted = parse_quoted("about Rs 25,700 crore")
    assert quoted.qualifier == "about" and quoted.money == Money("257000000000", "INR")
    assert parse_quoted("Rs. 25,700 crore").money == parse_quoted("INR 25,700 crore").money
    code, out, err = check(capsys, "about Rs 25,700 crore", "$3.1bn")
    assert code == 0 and err == ""
    assert "qualifier:  about" in out and "'about Rs 25,700 crore'" in out


def test_a_qualifier_alone_or_a_word_that_only_begins_like_one_is_not_read():
    with pytest.raises(AmountParseError, match="'about' is not an amount"):
        parse_quoted("about")
    with pytest.raises(AmountParseError, match="'overall \\$3bn' is not an amount"):
        parse_quoted("overall $3bn")


@pytest.mark.parametrize(
    ("equivalent", "tolerance", "fair"),
    [
        # Lower bounds: fair unless the figure is above the ECB one by more than the tolerance.
        ("more than $3bn", "2%", True),
        ("over $1bn", "2%", True),
        ("more than $3.2bn", "2%", True),  # +1.1%
        ("more than $3.3bn", "2%", False),  # +4.3%
        ("more than $3.3bn", "5%", True),
        # Upper bounds: fair unless the figure is below the ECB one by more than the tolerance.
        ("up to $3.3bn", "2%", True),
        ("under $10bn", "2%", True),
        ("up to $3bn", "2%", False),  # -5.2%, and no rounding allowance for a bound
        ("under $3bn", "10%", True),
        # Just below / just above: the rounding's half on that side of the figure.
        ("nearly $3.2bn", "0%", True),  # $3.15bn to $3.2bn holds $3.164bn
        ("nearly $3bn", "2%", False),  # $2.5bn to $3bn
        ("almost $3bn", "6%", True),
        ("nearly $5bn", "2%", False),  # $4.5bn to $5bn: a bound that holds, but not "nearly"
        ("just over $3.1bn", "0.5%", True),  # $3.1bn to $3.15bn: -0.4% from the ECB figure
        ("just over $3.1bn", "0.4%", False),
        ("just over $3.2bn", "2%", True),  # +1.1%
        ("just over $3.3bn", "2%", False),
        # Approximators: both ways, with the rounding allowance, as a plain figure.
        ("about $3bn", "2%", True),
        ("~$3.0bn", "2%", False),
    ],
)
def test_qualified_figures_are_judged_as_their_words_say(equivalent, tolerance, fair):
    result = check_conversion("£2.5bn", equivalent, on=NOV_30, tolerance=tolerance)
    assert result.fair is fair, describe_check(result)


def test_a_plain_figure_within_its_own_rounding_is_fair_at_no_tolerance():
    result = check_conversion("£2.5bn", "$3.2bn", on=NOV_30, tolerance=Decimal(0))
    assert result.fair and result.within_rounding and not result.fair_as_written
    assert result.judged_deviation == 0


def test_bounds_are_judged_one_sided_and_say_so(capsys):
    code, out, _ = check(capsys, "£2.5bn", "more than $3bn", "--tolerance", "2%")
    assert code == 0 and "qualifier:  more than (a lower bound, judged one-sided" in out
    assert "verdict:    FAIR: the ECB-based figure is at least" in out
    code, out, _ = check(capsys, "£2.5bn", "up to $3bn", "--tolerance", "2%")
    assert code == 3 and "qualifier:  up to (an upper bound, judged one-sided" in out
    assert "verdict:    OFF: the ECB-based figure is above" in out and usd(3000000000) in out


def test_the_quoted_amounts_qualifier_covers_an_equivalent_without_one():
    """'more than £2.5bn ($3.3bn)': the qualifier is written once and covers both figures."""
    result = check_conversion("more than £2.5bn", "$3.1bn", on=NOV_30, tolerance=Decimal(0))
    assert result.qualifier == "more than" and result.quoted_qualifier == "more than"
    assert result.fair  # $3.1bn is below the ECB figure: "more than" it holds
    both = check_conversion("over £2.5bn", "about $3.1bn", on=NOV_30, tolerance=Decimal(0))
    assert both.qualifier == "about" and both.quoted_qualifier == "over"


# -- --on YYYY-MM: the month's average --------------------------------------------------------


def test_on_a_month_uses_the_average_of_its_daily_fixings(capsys, offline_book):
    code, out, err = run(capsys, "check", "£2.5bn", "$3.1bn", "--on", "2023-11")
    average = offline_book.average("GBP", "USD", dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    assert code == 0 and err == ""
    assert average.fixings == 22 and "average of 22 daily fixings 2023-11-01 to 2023-11-30" in out
    assert f"ECB-based:  {usd(Decimal('2500000000') * average.value)}" in out


def test_the_library_takes_a_month_or_a_period(converter, offline_book):
    month = check_conversion("£2.5bn", "$3.1bn", on=(2023, 11), converter=converter)
    average = offline_book.average("GBP", "USD", dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    assert month.conversion.rate == average
    period = check_conversion(
        "£2.5bn", "$3.1bn", on=(dt.date(2023, 11, 1), dt.date(2023, 11, 30)), converter=converter
    )
    assert period.conversion == month.conversion


@pytest.mark.parametrize("given", ["2023-13", "Nov 2023", "2023-11-31", "2023-1", "23-11"])
def test_a_bad_on_names_the_value_and_both_forms(capsys, given):
    code, out, err = run(capsys, "check", "£2.5bn", "$3bn", "--on", given)
    assert code == 2 and out == ""
    assert f"argument --on: {given!r} is not a date or a month; write YYYY-MM-DD or YYYY-MM" in err


def test_a_month_without_fixings_is_an_error(capsys):
    code, out, err = run(capsys, "check", "£2.5bn", "$3bn", "--on", "2026-12")
    assert code == 1 and out == "" and "No GBP->USD fixings from 2026-12-01 to 2026-12-31" in err


@pytest.mark.parametrize(
    ("on", "error", "message"),
    [
        ((2023, 13), ReportError, r"\(2023, 13\) is not a month; give \(year, month\)"),
        ((dt.date(2023, 11, 30), dt.date(2023, 11, 1)), ReportError, "ends before it starts"),
        ((2023,), TypeError, "give a date, \\(year, month\\)"),
        (("2023", 11), TypeError, "give a date"),
        ("2023-11", TypeError, "give a date"),
    ],
)
def test_the_library_refuses_a_bad_on(converter, on, error, message):
    with pytest.raises(error, match=message):
        check_conversion("£2.5bn", "$3bn", on=on, converter=converter)


# -- the library -----------------------------------------------------------------------------


def test_money_arguments_keep_the_old_behaviour(converter):
    """check_conversion(Money, Money, on=date, tolerance=percent): no qualifier, no allowance."""
    result = check_conversion(
        Money("2500000000", "GBP"), Money("3000000000", "USD"), on=NOV_30,
        tolerance=Decimal(5), converter=converter,
    )  # fmt: skip
    assert isinstance(result, CheckResult)
    assert (result.qualifier, result.half_unit, result.fair) == (None, Decimal(0), False)
    assert result.deviation == result.judged_deviation


def test_precision_and_qualifier_can_be_given(converter):
    given = check_conversion(
        Money("2500000000", "GBP"), Money("3000000000", "USD"), on=NOV_30,
        tolerance=Decimal(2), precision=Decimal("5E+8"), qualifier="roughly", converter=converter,
    )  # fmt: skip
    read = check_conversion("£2.5bn", "roughly $3bn", on=NOV_30, tolerance=2, converter=converter)
    assert given.fair and given.within_rounding and given.qualifier == "roughly"
    assert (given.half_unit, given.deviation, given.fair) == (read.half_unit, read.deviation, True)
    exact = check_conversion(
        "£2.5bn", "roughly $3bn", on=NOV_30, tolerance=2, precision=0, converter=converter
    )
    assert not exact.fair
    money = check_conversion(
        "£2.5bn", "$3bn", on=NOV_30, tolerance=2, precision=Money("5E+8", "USD"),
        converter=converter,
    )  # fmt: skip
    assert money.fair


@pytest.mark.parametrize(
    ("keywords", "error", "message"),
    [
        ({"tolerance": 0.05}, TypeError, "float"),
        ({"tolerance": Decimal(-1)}, ReportError, "tolerance"),
        ({"tolerance": Decimal("NaN")}, ReportError, "tolerance"),
        ({"tolerance": "5"}, ReportError, "fraction above 1"),
        ({"qualifier": "perhaps"}, ReportError, "'perhaps' is not a qualifier"),
        ({"precision": Money(1, "GBP")}, ReportError, "in USD"),
        ({"precision": Decimal(-1)}, ReportError, "precision"),
    ],
)
def test_bad_library_arguments_are_refused(converter, keywords, error, message):
    with pytest.raises(error, match=message):
        check_conversion("£2.5bn", "$3bn", on=NOV_30, converter=converter, **keywords)


@pytest.mark.parametrize(
    ("given", "percent"), [("5%", "5"), ("0.05", "5"), ("0.5", "50"), (2, "2")]
)
def test_the_library_reads_a_tolerance_as_the_cli_does(converter, given, percent):
    result = check_conversion("£2.5bn", "$3bn", on=NOV_30, tolerance=given, converter=converter)
    assert result.tolerance == Decimal(percent)


def test_parse_quoted_with_a_locale():
    assert parse_quoted("about 2,5 Mrd. €", locale="de_DE") == Quoted(
        "about 2,5 Mrd. €", "about", "2,5 Mrd. €", Money("2500000000", "EUR"), Decimal("5E+7")
    )


def test_a_qualifier_before_text_that_is_no_amount_names_the_whole_text():
    with pytest.raises(AmountParseError, match="'about lots' is not an amount: it has no figures"):
        parse_quoted("about lots")


# -- the description -------------------------------------------------------------------------


def test_describe_check_keeps_its_lines_and_adds_the_new_ones(converter):
    result = check_conversion("£2.5bn", "roughly $3bn", on=NOV_30, tolerance=2, converter=converter)
    lines = describe_check(result).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "quoted", "qualifier", "precision", "ECB-based", "deviation", "rate", "verdict",
    ]  # fmt: skip
    assert lines[2] == (
        f"precision:  '$3bn' is rounded to the nearest {usd(1000000000)}: "
        f"{usd(2500000000)} to {usd(3500000000)}"
    )


def test_describe_check_of_plain_money_is_as_before(converter):
    result = check_conversion(
        Money("2500000000", "GBP"), Money("3000000000", "USD"), on=NOV_30, converter=converter
    )
    lines = describe_check(result).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "quoted", "ECB-based", "deviation", "rate", "verdict",
    ]  # fmt: skip
    assert lines[-1] == (
        "verdict:    OFF: the quoted equivalent is outside the tolerance of the ECB-based figure"
    )


def test_check_help_explains_the_forms(capsys):
    code, out, _ = run(capsys, "check", "--help")
    text = " ".join(out.split())
    assert code == 0
    for words in [
        "5%",
        "0.05",
        "YYYY-MM",
        "average",
        "rounding",
        "more than",
        "up to",
        "one-sided",
    ]:
        assert words in text, words
