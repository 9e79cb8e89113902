"""Conversions are exact quotients, rounded once by a stated rule (issue 13, item 1).

Every expectation here is computed independently, with :class:`fractions.Fraction` from the
ECB's published values, never from the figure spendcalc prints.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calc import Money
from calc.cli import main
from calc.converter import Converter
from calc.decimals import quotient
from calc.describe import describe_conversion
from calc.format import format_rate_for
from tests.clock import set_today

D = dt.date
LAST = D(2026, 10, 30)  # the bundled snapshot's last fixing
RULES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN}


def published(book, code: str, day: dt.date) -> Fraction:
    """EUR->code on ``day`` as the ECB file writes it (1 for EUR)."""
    if code == "EUR":
        return Fraction(1)
    index = book.fixings.index_on_or_before(day)
    assert book.fixings.date(index) == day
    return Fraction(book.fixings.value(code, index))


def exact(book, amount: Decimal, base: str, quote: str, day: dt.date) -> Fraction:
    return Fraction(amount) * published(book, quote, day) / published(book, base, day)


def rounded(value: Fraction, places: int, rule: str) -> Decimal:
    """``value`` rounded to ``places`` decimals by ``rule``, in integers only."""
    scaled = value * 10**places
    floor, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (
        twice == scaled.denominator and (rule == "half-up" or floor % 2)
    ):
        floor += 1
    return Decimal(floor).scaleb(-places)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("amount", "rule", "shown"),
    [
        ("¥732", "half-up", "$4.66"),
        ("¥732", "half-even", "$4.66"),  # 4.655: the 5 after an odd digit rounds up either way
        ("€12.50", "half-up", "$13.97"),
        ("€12.50", "half-even", "$13.96"),
    ],
)
def test_the_issues_half_cents(capsys, amount, rule, shown):
    args = ["convert", amount, "--to", "USD", "--on", "2026-10-30"]
    if rule != "half-up":
        args += ["--rounding", rule]
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert out.split(" at ")[0].endswith(f"= {shown}")


def test_a_rounding_rule_not_known_is_a_usage_error_naming_the_choices(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["convert", "¥732", "--to", "USD", "--rounding", "up"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "half-up" in err and "half-even" in err


def half_cent_ties(book, base: str, quote: str, day: dt.date, count: int) -> list[Decimal]:
    """Amounts of ``base`` whose exact value in ``quote`` on ``day`` ends in half a cent.

    An amount n / 10**k is worth n * t tenths of a cent, t = rate * 1000 / 10**k; that is a
    whole number ending in 5 for n = d * j (d the denominator of t) when j * (numerator of t)
    ends in 5: j odd, and a multiple of 5 unless the numerator is.
    """
    rate = published(book, quote, day) / published(book, base, day)
    found: list[Decimal] = []
    for k in range(0, 12):
        t = rate * 1000 / 10**k
        if t.numerator % 2 == 0:
            continue
        first = 1 if t.numerator % 5 == 0 else 5
        for j in range(first, first + 20 * count, 2 if first == 1 else 10):
            amount = Decimal(t.denominator * j).scaleb(-k)
            assert (Fraction(amount) * rate * 1000) % 10 == 5
            found.append(amount)
            if len(found) == count:
                return found
    return found


@pytest.mark.parametrize(
    ("base", "quote"), [("JPY", "USD"), ("GBP", "USD"), ("CHF", "EUR"), ("USD", "GBP")]
)
@pytest.mark.parametrize("rule", ["half-up", "half-even"])
def test_every_exact_half_cent_rounds_by_the_rule(offline_book, base, quote, rule):
    converter = Converter(offline_book)
    ties = half_cent_ties(offline_book, base, quote, LAST, 3)
    assert len(ties) == 3  # the search finds ties: the test is not empty
    for amount in ties:
        conversion = converter.convert(Money(amount, base), quote, on=LAST)
        want = rounded(exact(offline_book, amount, base, quote, LAST), 2, rule)
        assert conversion.rounded(rule).amount == want, (amount, base, quote, rule)


CODES = ["USD", "JPY", "GBP", "CHF", "SEK", "KRW", "INR", "EUR", "CZK", "HUF"]


@given(
    cents=st.integers(min_value=1, max_value=10**15),
    base=st.sampled_from(CODES),
    quote=st.sampled_from(CODES),
    back=st.integers(min_value=0, max_value=3000),
    rule=st.sampled_from(["half-up", "half-even"]),
)
def test_rounding_equals_the_exact_rational_rounding(cents, base, quote, back, rule):
    from rates import RateBook

    book = RateBook(cache=None)
    day = book.fixings.date(book.fixings.index_on_or_before(LAST) - back)
    if base == quote or not all(code in [*book.quoted_on(day), "EUR"] for code in (base, quote)):
        return
    amount = Decimal(cents).scaleb(-2)
    conversion = Converter(book).convert(Money(amount, base), quote, on=day)
    places = -conversion.rounded(rule).amount.as_tuple().exponent
    assert conversion.rounded(rule).amount == rounded(
        exact(book, amount, base, quote, day), places, rule
    )


def test_a_non_terminating_quotient_never_ends_in_0_or_5():
    third = quotient(Decimal(1), Decimal(3))
    assert third.as_tuple().digits[-1] not in (0, 5)
    assert Fraction(third) < Fraction(1, 3) < Fraction(third) + Fraction(1, 10**27)
    # 0.125 terminates and stays exact; 2/7 ends in ...5 under half-even, here it does not
    assert quotient(Decimal(1), Decimal(8)) == Decimal("0.125")
    assert quotient(Decimal(2), Decimal(7)).as_tuple().digits[-1] not in (0, 5)


def test_the_printed_rate_reproduces_the_printed_result(offline_book):
    """£2.5bn at the rate as printed gives the printed dollars, to the cent (issue 13: it did
    not, with the rate cut to 10 digits)."""
    converter = Converter(offline_book)
    for text, on in [("2500000000 GBP", D(2023, 11, 30)), ("2260000000000 JPY", D(2024, 1, 19))]:
        amount, code = text.split()
        conversion = converter.convert(Money(amount, code), "USD", on=on)
        shown, reproduces = format_rate_for(
            conversion.rate.value, conversion.source, conversion.result
        )
        assert reproduces
        product = Money(Decimal(amount) * Decimal(shown), "USD")  # Decimal context: 28 digits
        assert product.rounded() == conversion.rounded()
        assert shown in describe_conversion(conversion)


def test_a_rate_that_cannot_reproduce_says_it_is_rounded(offline_book):
    conversion = Converter(offline_book).convert(Money("1e39", "GBP"), "USD", on=D(2023, 11, 30))
    assert "rounded to 28 digits" in describe_conversion(conversion)


def test_an_override_chain_is_exact(offline_book):
    """USD/TWD=31.4: TWD->USD is 1/31.4, exactly; 5bn TWD is 159,235,668.79 USD."""
    book = offline_book.with_overrides(["USD/TWD=31.4"])
    conversion = Converter(book).convert(Money("5000000000", "TWD"), "USD", on=D(2024, 1, 19))
    want = rounded(Fraction(5_000_000_000) / Fraction("31.4"), 2, "half-up")
    assert conversion.rounded().amount == want == Decimal("159235668.79")
    numerator, denominator = conversion.rate.ratio
    assert Fraction(numerator) / Fraction(denominator) == 1 / Fraction("31.4")


# -- stale is judged in TARGET business days (issue 13, item 5) ----------------------------


@pytest.mark.parametrize(
    ("today", "stale"),
    [
        (D(2026, 10, 31), False),  # Saturday: Friday's fixing is the latest there is
        (D(2026, 11, 2), False),  # Monday: today's fixing may not be out yet; none is missing
        (D(2026, 11, 3), True),  # Tuesday: Monday's fixing is missing
        (D(2026, 11, 24), True),
    ],
)
def test_the_latest_fixing_is_stale_only_when_a_business_day_is_missing(
    capsys, monkeypatch, today, stale
):
    set_today(monkeypatch, today)
    code, out, _ = run(capsys, "convert", "£2.5bn", "--to", "USD")
    assert code == 0 and "fixing 2026-10-30" in out
    assert ("stale" in out) is stale
    if stale:
        assert "spendcalc rates update" in out


def test_a_weekend_after_the_last_fixing_is_not_stale(capsys, offline_book):
    code, out, _ = run(capsys, "convert", "£2.5bn", "--to", "USD", "--on", "2026-11-01")
    assert code == 0 and "no fixing on 2026-11-01 (Sunday); used 2026-10-30" in out
    assert not offline_book.rate("GBP", "USD", D(2026, 11, 1)).stale
    assert offline_book.rate("GBP", "USD", D(2026, 11, 2)).stale  # Monday has no fixing known


def test_a_complete_month_is_not_stale(offline_book):
    """October 2026 ends on a Saturday, after the snapshot's last fixing (Friday the 30th)."""
    october = offline_book.average("GBP", "USD", D(2026, 10, 1), D(2026, 10, 31))
    assert october.fixings == 22 and not october.stale
    november = offline_book.average("GBP", "USD", D(2026, 10, 1), D(2026, 11, 30))
    assert november.stale  # today is 2026-11-24: November's business days so far are missing
