"""The per-country report on the bundled example, checked against the converter."""

import datetime as dt
import json
from decimal import Context, Decimal
from fractions import Fraction

import pytest

from calc import Money, ReportError, build_report, check_conversion, parse_amount
from calc.commitments import load_text
from rates import RateNotFoundError, UnsupportedCurrencyError
from tests.exact import at

D = dt.date
EXACT = Context(prec=200)


def test_the_uk_and_japan_in_usd(example, converter, offline_book):
    report = build_report(example, converter=converter)
    uk, japan = report.country("GB"), report.country("JP")
    gbp_usd = offline_book.rate("GBP", "USD", D(2023, 11, 30))
    assert uk.total == at(2_500_000_000, gbp_usd)
    assert japan.total == Money("2909900000", "USD")
    assert japan.per_worker_trained == Money("2909900000", "USD") / 3_000_000
    assert japan.workers == 3_000_000 and japan.training_per_worker is None
    assert (japan.commitments, japan.disclosed, japan.undisclosed) == (4, 2, 2)
    assert (uk.commitments, uk.disclosed, uk.undisclosed) == (2, 1, 1)
    assert (uk.name, uk.local_currency, japan.name, japan.local_currency) == (
        "United Kingdom",
        "GBP",
        "Japan",
        "JPY",
    )
    assert report.total == uk.total + japan.total
    assert (
        abs(uk.share + japan.share - 1) < Decimal("1e-27") and uk.share == uk.total / report.total
    )
    assert [r.country for r in report.countries] == ["GB", "JP"]  # largest first
    (comparison,) = report.comparisons
    assert (comparison.country, comparison.against) == ("JP", "GB")
    assert comparison.ratio == japan.total / uk.total
    assert comparison.difference == uk.total - japan.total
    # The calendar years of the amounts' periods (both ends included) add up to the totals.
    assert sum(dict(japan.years).values(), Money(0, "USD")) == japan.dated_total == japan.total
    assert [year for year, _ in japan.years] == [2024, 2025, 2026, 2027, 2028, 2029]
    assert dict(uk.years)[2023] == uk.total * 32 / 1096  # 2023-11-30..2026-11-29: 1,096 days
    assert sum(dict(uk.years).values(), Money(0, "USD")) == uk.total and uk.undated == ()


def test_in_another_currency(example, converter, offline_book):
    report = build_report(example, currency="JPY", converter=converter)
    usd_jpy = offline_book.rate("USD", "JPY", D(2024, 4, 9))
    gbp_jpy = offline_book.rate("GBP", "JPY", D(2023, 11, 30))
    assert report.country("JP").total == at(2_909_900_000, usd_jpy)
    assert report.country("GB").total == at(2_500_000_000, gbp_jpy)


def test_the_conversions_behind_the_report(example, converter):
    report = build_report(example, converter=converter)
    uk_dc = report.conversions[4]
    assert uk_dc.commitment.amount == Money("2500000000", "GBP")
    assert uk_dc.conversion.rate.fixing_date == D(2023, 11, 30)
    assert uk_dc.conversion.rate.source == "ECB reference rates (bundled)"
    assert [c.conversion is None for c in report.conversions] == [
        False,
        True,
        False,
        True,
        False,
        True,
    ]


def test_policies_change_the_rates(example, converter, offline_book):
    on_date = build_report(example, converter=converter, policy="2024-01-19")
    rate = offline_book.rate("GBP", "USD", D(2024, 1, 19))
    assert on_date.country("GB").total == at(2_500_000_000, rate)
    average = build_report(example, converter=converter, policy="average")
    uk_rate = average.conversions[4].conversion.rate
    assert uk_rate.fixings > 700 and uk_rate.period[0] == D(2023, 11, 30) and uk_rate.stale
    latest = build_report(example, converter=converter, policy="latest")
    assert latest.conversions[4].conversion.rate.fixing_date == D(2026, 10, 30)


def test_training_spend_per_worker_needs_a_disclosed_training_amount(converter):
    text = (
        "company,country,category,amount,announced,workers,training_years\n"
        "A,IN,training,₹2.5bn,2024-02-07,2000000,2\n"
        "A,IN,infrastructure,$3bn,2024-02-07,,\n"
    )
    report = build_report(load_text(text, "csv", name="p.csv"), converter=converter)
    india = report.country("IN")
    assert india.training_spend == report.conversions[0].conversion.result
    assert india.training_per_worker == india.training_spend / 2_000_000
    assert india.training_per_worker_per_year == india.training_per_worker / 2
    assert india.per_worker_trained == india.total / 2_000_000


def test_to_dict_is_json_with_decimal_strings(example, converter):
    data = json.loads(json.dumps(build_report(example, converter=converter).to_dict()))
    assert data["schema"] == "spendcalc.report/2" and data["currency"] == "USD"
    japan = next(c for c in data["countries"] if c["country"] == "JP")
    assert japan["total"] == {"amount": "2909900000", "currency": "USD"}
    assert japan["undisclosed"] == 2 and japan["training_spend_per_worker"] is None
    uk_dc = data["conversions"][4]
    assert uk_dc["rate"]["fixing_date"] == "2023-11-30" and uk_dc["announced"] == "2023-11-30"
    exact = uk_dc["rate"]["exact"]
    assert (exact["numerator"], exact["denominator"]) == ("1.0931", "0.86368")  # USD, GBP per EUR
    assert (
        Decimal(uk_dc["converted"]["amount"])
        == at(
            Decimal(uk_dc["amount"]["amount"]),
            build_report(example, converter=converter).conversions[4].conversion.rate,
        ).amount
    )


def test_rate_errors_name_the_commitment(converter):
    text = "company,country,amount,announced\nA,TW,NT$5bn,2024-01-19\nB,JP,$1bn,1998-01-01\n"
    with pytest.raises(
        UnsupportedCurrencyError, match=r"^p\.csv:2: TWD is not among the ECB reference currencies"
    ):
        build_report(load_text(text, "csv", name="p.csv"), converter=converter)
    report = build_report(
        load_text(text.replace("1998", "2024"), "csv", name="p.csv"),
        converter=converter,
        overrides=["USD/TWD=31.4"],
    )
    # 1 TWD = 1/31.4 USD exactly: 5bn TWD is the exact quotient 5e9 / 31.4
    assert report.country("TW").total.rounded() == Money("159235668.79", "USD")
    assert abs(
        Fraction(report.country("TW").total.amount) - Fraction(5_000_000_000) / Fraction("31.4")
    ) < Fraction(1, 10**18)
    assert report.conversions[0].conversion.rate.source == "override"
    with pytest.raises(RateNotFoundError, match=r"^p\.csv:3: No USD->EUR rate on 1998-01-01"):
        build_report(
            load_text(text, "csv", name="p.csv"),
            converter=converter,
            currency="EUR",
            overrides=["TWD=34"],
        )


def test_no_commitments():
    with pytest.raises(ReportError, match="no commitments"):
        build_report([])


@pytest.mark.parametrize(
    ("quoted", "equivalent", "on", "tolerance", "fair"),
    [
        ("£2.5bn", "$3bn", D(2023, 11, 30), 10, True),
        ("£2.5bn", "$3bn", D(2023, 11, 30), 5, False),
        ("¥2.6tn", "$15.2bn", D(2024, 1, 19), 5, False),
        ("¥2.6tn", "$17.5bn", D(2024, 1, 19), 5, True),
    ],
)
def test_check_conversion(converter, offline_book, quoted, equivalent, on, tolerance, fair):
    result = check_conversion(
        parse_amount(quoted),
        parse_amount(equivalent),
        on=on,
        tolerance=Decimal(tolerance),
        converter=converter,
    )
    q, e = parse_amount(quoted), parse_amount(equivalent)
    num, den = offline_book.rate(q.currency, e.currency, on).ratio
    ecb = Fraction(q.amount) * Fraction(num) / Fraction(den)  # the exact ECB-based figure
    assert abs(Fraction(result.deviation) - (Fraction(e.amount) - ecb) / ecb) < Fraction(1, 10**26)
    assert result.implied_rate == e.amount / q.amount
    assert result.fair is fair


def test_check_needs_two_currencies(converter):
    with pytest.raises(ReportError, match="both in USD"):
        check_conversion(Money(1, "USD"), Money(2, "USD"), on=D(2024, 1, 2), converter=converter)
