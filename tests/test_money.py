"""Money: exact construction, locale-free text, same-currency arithmetic, explicit rounding."""

from __future__ import annotations

import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc.errors import AmountParseError, CurrencyMismatchError, UnknownCurrencyError
from calc.money import Money, validate_currency

ROOT = Path(__file__).resolve().parent.parent

amounts = st.decimals(allow_nan=False, allow_infinity=False, places=4, max_value=10**15)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("2500000000", Decimal("2500000000")),
        (" 2.50 ", Decimal("2.50")),
        ("-0.1", Decimal("-0.1")),
        (2500000000, Decimal("2500000000")),
        (10**40 + 1, Decimal("10000000000000000000000000000000000000001")),
        (Decimal("0.1"), Decimal("0.1")),
        ("2.5E+9", Decimal("2500000000")),
        ("-0", Decimal("0")),
    ],
)
def test_amount_is_built_exactly(amount: object, expected: Decimal) -> None:
    money = Money(amount, "GBP")
    assert money.amount == expected
    assert str(money.amount) == str(expected)


def test_currency_is_normalised_to_upper_case() -> None:
    assert Money("1", "gbp").currency == "GBP"
    assert Money("1", "gbp") == Money("1", "GBP")


@pytest.mark.parametrize(
    ("money", "expected_repr", "expected_str"),
    [
        (Money("2500000000", "GBP"), "Money('2500000000', 'GBP')", "2500000000 GBP"),
        (Money(Decimal("2.5E+9"), "USD"), "Money('2500000000', 'USD')", "2500000000 USD"),
        (Money("0.0000001", "EUR"), "Money('0.0000001', 'EUR')", "0.0000001 EUR"),
        (Money("-12.50", "JPY"), "Money('-12.50', 'JPY')", "-12.50 JPY"),
    ],
)
def test_repr_and_str_are_plain_and_locale_free(
    money: Money, expected_repr: str, expected_str: str
) -> None:
    assert repr(money) == expected_repr
    assert str(money) == expected_str


@given(amounts, st.sampled_from(["GBP", "USD", "JPY", "KWD", "EUR"]))
def test_repr_round_trips(amount: Decimal, currency: str) -> None:
    money = Money(amount, currency)
    assert eval(repr(money), {"Money": Money}) == money


@pytest.mark.parametrize(
    ("amount", "error", "match"),
    [
        (2.5, TypeError, r"Money amount 2\.5 is a float, which has already lost digits; "
         r"pass a str or Decimal instead, e.g\. Decimal\('2\.5'\)\."),
        (True, TypeError, r"Money amount True is a bool, not a number"),
        ([1], TypeError, r"Money amount must be a str, int or Decimal, not list\."),
        ("NaN", AmountParseError, r"^'NaN' is not an amount: NaN and infinity are not amounts"),
        (Decimal("-Infinity"), AmountParseError, r"^Decimal\('-Infinity'\) is not an amount: NaN"),
        ("sNaN", AmountParseError, r"^'sNaN' is not an amount: NaN and infinity"),
        ("£2.5bn", AmountParseError, r"^'£2\.5bn' is not an amount: .*use calc\.amounts\.parse"),
        ("1E+1001", AmountParseError, r"^'1E\+1001' is not an amount: its exponent is beyond"),
        ("1E-1001", AmountParseError, r"^'1E-1001' is not an amount: its exponent is beyond"),
    ],
)  # fmt: skip
def test_bad_amounts_are_refused(amount: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Money(amount, "GBP")


@pytest.mark.parametrize(
    ("currency", "match"),
    [
        ("GPB", r"^'GPB' is not an ISO 4217 currency code; did you mean 'GBP'\?$"),
        ("EURO", r"^'EURO' is not an ISO 4217 currency code; did you mean 'EUR'\?$"),
        ("jyp", r"^'jyp' is not an ISO 4217 currency code; did you mean 'JPY'\?$"),
        ("XYZ", r"^'XYZ' is not an ISO 4217 currency code; use one such as 'GBP' or 'EUR'\.$"),
        ("£", r"^'£' is not an ISO 4217 currency code"),
        ("", r"^'' is not an ISO 4217 currency code"),
        (826, r"^826 is not an ISO 4217 currency code; give it as a str such as 'GBP'\.$"),
        (None, r"^None is not an ISO 4217 currency code"),
    ],
)
def test_unknown_currencies_are_refused_with_a_suggestion(currency: object, match: str) -> None:
    with pytest.raises(UnknownCurrencyError, match=match) as info:
        Money("1", currency)
    assert info.value.code == currency


@pytest.mark.parametrize(("code", "expected"), [("gbp", "GBP"), ("JPY", "JPY"), ("dem", "DEM")])
def test_validate_currency_normalises(code: str, expected: str) -> None:
    assert validate_currency(code) == expected


def test_validate_currency_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="'ABCD' is not an ISO 4217 currency code"):
        validate_currency("ABCD")


def test_money_is_frozen_and_hashable() -> None:
    money = Money("2.5", "GBP")
    with pytest.raises(AttributeError):
        money.amount = Decimal(3)  # type: ignore[misc]
    assert {Money("2.5", "GBP"), Money("2.50", "GBP"), Money("2.5", "USD")} == {
        money,
        Money("2.5", "USD"),
    }
    assert {money: "pledge"}[Money("2.50", "gbp")] == "pledge"
    assert pickle.loads(pickle.dumps(money)) == money


def test_equality_across_currencies_is_false_not_an_error() -> None:
    assert Money("1", "GBP") != Money("1", "USD")
    assert Money("1", "GBP") != Decimal(1)


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (Money("2.5", "GBP") + Money("0.75", "GBP"), Money("3.25", "GBP")),
        (Money("2.5", "GBP") - Money("3", "GBP"), Money("-0.5", "GBP")),
        (-Money("2.5", "GBP"), Money("-2.5", "GBP")),
        (Money("2.5", "GBP") * 3, Money("7.5", "GBP")),
        (2 * Money("2.5", "GBP"), Money("5", "GBP")),
        (Money("2.5", "GBP") * Decimal("0.1"), Money("0.25", "GBP")),
        (Money("7.5", "GBP") / 3, Money("2.5", "GBP")),
        (Money("1", "GBP") / Decimal("8"), Money("0.125", "GBP")),
        (sum([Money("1.1", "GBP"), Money("2.2", "GBP")]), Money("3.3", "GBP")),
        (0 + Money("1.1", "GBP"), Money("1.1", "GBP")),
    ],
)
def test_same_currency_arithmetic_is_exact(result: Money, expected: Money) -> None:
    assert result == expected
    assert result.currency == expected.currency


def test_arithmetic_keeps_every_digit_beyond_the_default_28() -> None:
    big = Money("12345678901234567890123456789.123456789", "JPY")
    assert big + Money("0.000000001", "JPY") == Money(
        "12345678901234567890123456789.12345679", "JPY"
    )
    assert (big * 10).amount == Decimal("123456789012345678901234567891.23456789")
    assert big - big == Money("0", "JPY")
    assert (big * 4) / 4 == big


def test_money_divided_by_money_is_a_decimal_ratio() -> None:
    ratio = Money("2909900000", "USD") / Money("2500000000", "USD")
    assert ratio == Decimal("1.16396")
    assert type(ratio) is Decimal


def test_non_terminating_division_rounds_to_the_decimal_context() -> None:
    assert (Money("10", "GBP") / 3).amount == Decimal("3.333333333333333333333333333")


def test_nothing_rounds_implicitly() -> None:
    assert (Money("0.001", "USD") + Money("0.001", "USD")).amount == Decimal("0.002")


@pytest.mark.parametrize(
    ("operation", "match"),
    [
        (lambda: Money("1", "GBP") + Money("2", "USD"),
         r"^Cannot add Money\('2', 'USD'\) to Money\('1', 'GBP'\): convert one of them to the"
         r" other's currency first\.$"),
        (lambda: Money("1", "GBP") - Money("2", "USD"),
         r"^Cannot subtract Money\('2', 'USD'\) from Money\('1', 'GBP'\)"),
        (lambda: Money("1", "GBP") / Money("2", "USD"),
         r"^Cannot divide Money\('1', 'GBP'\) by Money\('2', 'USD'\)"),
        (lambda: Money("1", "GBP") < Money("2", "USD"),
         r"^Cannot compare Money\('1', 'GBP'\) with Money\('2', 'USD'\)"),
        (lambda: Money("1", "GBP") >= Money("2", "USD"), r"^Cannot compare"),
        (lambda: sum([Money("1", "GBP"), Money("2", "USD")]), r"^Cannot add"),
    ],
)  # fmt: skip
def test_mixed_currencies_raise(operation, match: str) -> None:
    with pytest.raises(CurrencyMismatchError, match=match):
        operation()


@pytest.mark.parametrize(
    ("operation", "match"),
    [
        (lambda: Money("1", "GBP") * 1.5, r"Money multiplier 1\.5 is a float, which has already"),
        (lambda: 1.5 * Money("1", "GBP"), r"Money multiplier 1\.5 is a float"),
        (lambda: Money("1", "GBP") / 2.0, r"Money divisor 2\.0 is a float"),
        (lambda: Money("1", "GBP") * True, r"Money multiplier True is a bool"),
        (lambda: Money("1", "GBP") * Money("1", "GBP"), r"unsupported operand"),
        (lambda: Money("1", "GBP") + 1, r"unsupported operand"),
        (lambda: 1 + Money("1", "GBP"), r"unsupported operand"),
        (lambda: 0.0 + Money("1", "GBP"), r"unsupported operand"),
        (lambda: Money("1", "GBP") < 2, r"not supported between"),
    ],
)
def test_wrong_operands_raise_type_error(operation, match: str) -> None:
    with pytest.raises(TypeError, match=match):
        operation()


def test_division_by_zero_names_the_amount() -> None:
    with pytest.raises(ZeroDivisionError, match=r"^Cannot divide Money\('1', 'GBP'\) by zero\.$"):
        Money("1", "GBP") / 0


def test_a_nan_factor_is_refused() -> None:
    with pytest.raises(AmountParseError, match="NaN and infinity are not amounts"):
        Money("1", "GBP") * Decimal("NaN")


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [(Money("1", "GBP"), Money("2", "GBP")), (Money("-5", "JPY"), Money("0", "JPY"))],
)
def test_comparisons(smaller: Money, larger: Money) -> None:
    assert smaller < larger
    assert smaller <= larger
    assert larger > smaller
    assert larger >= smaller
    assert not larger < smaller
    assert smaller <= Money(smaller.amount, smaller.currency)
    assert max([smaller, larger]) is larger


@pytest.mark.parametrize(
    ("money", "half_up", "half_even"),
    [
        (Money("1234.565", "USD"), "1234.57", "1234.56"),
        (Money("1234.575", "USD"), "1234.58", "1234.58"),
        (Money("2.5", "JPY"), "3", "2"),
        (Money("3.5", "JPY"), "4", "4"),
        (Money("1.23456", "KWD"), "1.235", "1.235"),
        (Money("1.2345", "KWD"), "1.235", "1.234"),
        (Money("-0.125", "EUR"), "-0.13", "-0.12"),
        (Money("-0.1251", "EUR"), "-0.13", "-0.13"),
        (Money("2500000000", "GBP"), "2500000000.00", "2500000000.00"),
        (
            Money("1E+30", "USD"),
            "1000000000000000000000000000000.00",
            "1000000000000000000000000000000.00",
        ),
    ],
)
def test_rounded_uses_iso_minor_units_half_up_or_half_even(
    money: Money, half_up: str, half_even: str
) -> None:
    for rule, expected in (("half-up", half_up), ("half-even", half_even)):
        rounded = money.rounded(rule)
        assert rounded == Money(expected, money.currency)
        assert str(rounded) == f"{expected} {money.currency}"
    assert money.rounded() == money.rounded("half-up")  # the default


def test_rounded_refuses_a_rule_it_does_not_know() -> None:
    with pytest.raises(
        ValueError, match="'half-down' is not a rounding rule; use 'half-up' or 'half-even'"
    ):
        Money("1", "USD").rounded("half-down")  # type: ignore[arg-type]


def test_rounded_returns_a_new_value() -> None:
    money = Money("0.125", "USD")
    assert money.rounded() == Money("0.13", "USD")
    assert money.amount == Decimal("0.125")


@pytest.mark.parametrize("module", ["calc.money", "calc.amounts", "calc.render"])
def test_importing_does_not_load_babel(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('babel')))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
