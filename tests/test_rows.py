"""A report's rows against their definitions, worked out the long way (issue 17, item 5).

:func:`calc.rows.group` takes short cuts for a big file: a package of one commitment takes its
figures at once, each company's packages for each country are added once and the countries and
companies merged from those, exact totals are integers over a common denominator, and each
amount is converted once at each rate. Here every figure of every row is worked out again from
what the README defines it as: totals as :class:`fractions.Fraction` sums of the exact results,
per-worker figures as package totals over their own workers, years spread one amount at a
time. Both must give the same values, written the same way (``str``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Money, build_report
from calc.commitments import Commitment
from calc.converter import Conversions, Converter
from calc.decimals import quotient, trimmed
from calc.press import kind_of
from calc.rows import ConvertedCommitment, Figures, package_id
from calc.years import spread
from calc.years import total as add_profiles
from rates import RateBook

D = dt.date
CONVERTER = Converter(RateBook(cache=None))


def fraction_total(conversions, currency):
    """The exact sum of the conversions' results, kept as one result is (None: none)."""
    if not conversions:
        return None
    total = sum((Fraction(n) / Fraction(d) for n, d in (c.exact for c in conversions)), Fraction())
    return Money(trimmed(quotient(Decimal(total.numerator), Decimal(total.denominator))), currency)


def money_sum(amounts):
    amounts = list(amounts)
    return sum(amounts[1:], amounts[0]) if amounts else None


def per(amount, workers):
    return amount / workers if amount is not None and workers else None


def long_way(items: list[ConvertedCommitment], currency: str) -> dict[str, object]:
    """The figures of a row made of `items`, from their definitions."""
    disclosed = [i for i in items if i.conversion is not None]
    packages: dict[str, list[ConvertedCommitment]] = {}
    for item in items:
        packages.setdefault(package_id(item.commitment), []).append(item)
    named, trained = [], []
    for group in packages.values():
        workers = sum(w for i in group if (w := i.commitment.workers))
        total = fraction_total([i.conversion for i in group if i.conversion], currency)
        training = fraction_total(
            [i.conversion for i in group if i.conversion and i.commitment.category == "training"],
            currency,
        )
        spans = [y for i in group if (y := i.commitment.training_years)]
        if workers and total is not None:
            named.append((total, workers))
        if workers and training is not None:
            trained.append((training, workers, max(spans) if spans else None))
    dated = [i for i in disclosed if i.commitment.period is not None]
    undated: dict[int, Money] = {}
    for i in disclosed:
        if i.commitment.period is None:
            year = i.commitment.announced.year
            undated[year] = undated[year] + i.conversion.result if year in undated else (
                i.conversion.result
            )  # fmt: skip
    kinds: dict[str, int] = {}
    for i in disclosed:
        c = i.commitment
        if c.qualifier or c.high:
            kind = kind_of(c.qualifier, c.high is not None)
            kinds[kind] = kinds.get(kind, 0) + 1
    trained_workers = sum(w for _t, w, _y in trained)
    per_year = None
    if trained and all(y for _t, _w, y in trained):
        per_year = per(money_sum(t / y for t, _w, y in trained), trained_workers)
    return {
        "commitments": len(items),
        "disclosed": len(disclosed),
        "undisclosed": len(items) - len(disclosed),
        "total": fraction_total([i.conversion for i in disclosed], currency),
        "workers": sum(w for i in items if (w := i.commitment.workers)) or None,
        "per_worker_trained": per(money_sum(t for t, _w in named), sum(w for _t, w in named)),
        "per_worker_workers": sum(w for _t, w in named) or None,
        "training_spend": fraction_total(
            [i.conversion for i in disclosed if i.commitment.category == "training"], currency
        ),
        "training_per_worker": per(money_sum(t for t, _w, _y in trained), trained_workers),
        "training_per_worker_per_year": per_year,
        "dated_total": money_sum(i.conversion.result for i in dated),
        "undated": tuple(sorted(undated.items())),
        "undated_commitments": len(disclosed) - len(dated),
        "high_total": (
            fraction_total([i.high or i.conversion for i in disclosed], currency)
            if any(i.high is not None for i in disclosed)
            else None
        ),
        "qualified": tuple(sorted(kinds.items())),
        "years": add_profiles(spread(i.conversion.result, *i.commitment.period) for i in dated),
    }


def shown(value: object) -> str:
    """A figure as text: its value and how it is written (the exponent of a Decimal)."""
    if isinstance(value, tuple):
        return repr(tuple(shown(v) for v in value))
    return f"{value!r}"


def assert_figures(row: Figures, expected: dict[str, object]) -> None:
    for name, value in expected.items():
        got = getattr(row, name)
        assert got == value, (row.key, name, got, value)
        assert shown(got) == shown(value), (row.key, name, got, value)


#: Commitments of a few companies in a few countries: amounts in five currencies (some
#: undisclosed), every category, workers or none, training years, periods in years or by
#: dates or none, worded amounts and ranges, and package labels that group several.
COMMITMENTS = st.lists(
    st.builds(
        lambda company, country, day, amount, category, workers, training_years, period, qualifier, high, package: (
            Commitment(
                company,
                country,
                day,
                category,
                amount=amount,
                workers=workers,
                training_years=training_years,
                qualifier=qualifier,
                package=package,
                high=None
                if amount is None or high is None
                else amount + Money(high, amount.currency),
                period_years=period if isinstance(period, Decimal) else None,
                start=day if isinstance(period, int) else None,
                end=day + dt.timedelta(days=period) if isinstance(period, int) else None,
            )
        ),
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(["GB", "JP", "US"]),
        st.dates(min_value=D(2015, 1, 1), max_value=D(2023, 12, 31)),
        st.one_of(
            st.none(),
            st.builds(
                Money,
                st.decimals(min_value=1, max_value=10**10, places=2, allow_nan=False),
                st.sampled_from(["GBP", "JPY", "EUR", "USD", "CHF"]),
            ),
        ),
        st.sampled_from(["training", "infrastructure", "research", "other"]),
        st.one_of(st.none(), st.sampled_from([1, 3, 1000, 7000, 123456])),
        st.one_of(st.none(), st.sampled_from([Decimal(1), Decimal("2.5"), Decimal(3)])),
        st.one_of(st.none(), st.sampled_from([Decimal(1), Decimal("2.5")]), st.integers(0, 900)),
        st.sampled_from([None, None, "up to", "about", "+"]),
        st.one_of(st.none(), st.integers(1, 10**6)),
        st.sampled_from(["", "", "", "phase 1"]),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(COMMITMENTS, st.sampled_from(["USD", "EUR"]))
def test_every_row_is_its_commitments_figures_the_long_way(commitments, currency):
    report = build_report(commitments, converter=CONVERTER, currency=currency)
    items = list(report.conversions)
    of = {
        "country": lambda i: i.commitment.country,
        "company": lambda i: i.commitment.company,
        "package": lambda i: package_id(i.commitment),
    }
    for rows, kind in ((report.countries, "country"), (report.companies, "company"),
                       (report.packages, "package")):  # fmt: skip
        assert sorted(row.key for row in rows) == sorted({of[kind](i) for i in items})
        for row in rows:
            expected = long_way([i for i in items if of[kind](i) == row.key], currency)
            assert_figures(row, expected)
            if row.total is not None and report.total is not None:
                assert row.share == row.total / report.total
    everything = long_way(items, currency)
    assert report.total == everything["total"] and shown(report.total) == shown(everything["total"])
    assert report.years == everything["years"] and report.dated_total == everything["dated_total"]
    assert report.undated == everything["undated"]
    # The order: largest disclosed total first, then by key; nothing disclosed last.
    for rows in (report.countries, report.companies, report.packages):
        keys = [
            (row.total is None, -(row.total.amount if row.total else 0), row.key) for row in rows
        ]
        assert keys == sorted(keys)


@settings(max_examples=100, deadline=None)
@given(COMMITMENTS)
def test_an_amount_converted_once_at_a_rate_is_the_amount_converted_each_time(commitments):
    results = Conversions()
    for c in commitments:
        if c.amount is None:
            continue
        rate = CONVERTER.book.rate(c.amount.currency, "USD", c.announced)
        for amount in (
            c.amount,
            Money(c.amount.amount.quantize(Decimal("0.0001")), c.amount.currency),
        ):
            once, each = results.at_rate(amount, rate), Converter.at_rate(amount, rate)
            assert once == each and shown(once.result) == shown(each.result)
            assert once.source is amount and once.rate is rate


def test_a_package_row_made_at_once_is_a_package_row():
    from calc.rows import PackageRow

    report = build_report(
        [Commitment("A", "GB", D(2023, 11, 30), amount=Money("2.5e9", "GBP"), workers=1000)],
        converter=CONVERTER,
    )
    (row,) = report.packages
    assert type(row) is PackageRow
    again = PackageRow(**{name: getattr(row, name) for name in PackageRow._fields()})
    assert again == row and hash(again) == hash(row)
    try:
        row.total = None  # type: ignore[misc]
    except AttributeError as exc:
        assert "frozen" in str(exc)
    else:
        raise AssertionError("a package row can be changed")
