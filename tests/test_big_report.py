"""The paths a big report takes (issue 17, item 5): figures worked out when first read, and
tables drawn a column at a time, each the same as the long way."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import build_report
from calc.commitments import load_text
from calc.converter import Converter
from calc.rows import Later, later
from calc.table import _drawn, _lines, table
from calc.years import spread, total
from rates import RateBook
from tests.test_packages import MIXED

CONVERTER = Converter(RateBook(cache=None))


def unset(value: object, name: str) -> bool:
    """Whether the slot `name` of `value` is not set yet (a field still to be worked out)."""
    try:
        object.__getattribute__(value, name)
    except AttributeError:
        return True
    return False


@pytest.fixture
def report():
    return build_report(load_text(MIXED, "csv", name="p.csv"), converter=CONVERTER)


def test_years_and_shares_are_worked_out_when_first_read(report):
    rows = (*report.countries, *report.companies, *report.packages)
    assert all(unset(row, "years") and unset(row, "share") for row in rows)
    assert unset(report, "years")
    gb = report.country("GB")
    assert gb.share == gb.total / report.total
    assert not unset(gb, "share") and unset(gb, "years")
    # A country's years are its packages' spread over their periods, added.
    items = [i for i in report.conversions if i.commitment.country == "IN" and i.conversion]
    expected = total(spread(i.conversion.result, *i.commitment.period) for i in items)
    assert report.country("IN").years == expected
    assert report.years == total(r.years for r in report.countries)
    assert not unset(report, "years")


def test_a_row_worked_out_later_is_the_value_of_its_fields(report):
    row = report.package(report.packages[0].key)
    again = pickle.loads(pickle.dumps(row))  # every field read, then set again
    assert again == row and hash(again) == hash(row)
    assert "years=" in repr(row) and "share=" in repr(row) and "_later" not in repr(row)
    assert "_later" not in type(row)._fields()


def test_an_attribute_that_is_not_a_field_is_still_an_error(report):
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        report.countries[0].nothing  # noqa: B018


def test_later_sets_a_field_from_its_function_once():
    calls = []

    class Pair(Later):
        __slots__ = ("a", "b")
        LATER: ClassVar = {"b": lambda pair, state: calls.append(state) or pair.a + state}

        def __init__(self, a: int, b: int) -> None:
            self._set(a=a, b=b)

    made = later(Pair(1, 0), 41)
    assert calls == [] and unset(made, "b")
    assert made.b == made.b == 42
    assert calls == [41]
    assert made == Pair(1, 42) and repr(made).endswith("Pair(a=1, b=42)")


def the_long_way(rows, headers, aligns, widths):
    """The table as :func:`calc.table._drawn` drew it before it drew columns at once: every
    cell wrapped and padded on its own (:func:`calc.table._lines`)."""
    from calc.table import _GAP, _width

    count = len(headers)
    natural = [max(_width(r[i]) for r in [headers, *rows]) for i in range(count)]
    sizes = [min(natural[i], (widths or {}).get(i, natural[i])) for i in range(count)]
    right = [a == "r" for a in aligns]
    gap = " " * _GAP
    out = [_lines(headers, sizes, right, gap), "-" * (sum(sizes) + _GAP * (count - 1))]
    out += [_lines(row, sizes, right, gap) for row in rows]
    text = "\n".join(out)
    return "\n".join(line.rstrip() for line in text.splitlines())


#: Cells such as tables hold: words, amounts, wide and combining characters, spaces at the end.
CELL = st.text(alphabet=["a", "b", " ", "-", "1", ".", "£", "é", "\u3042", "\u0301", "\n"],
               max_size=14)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=6),
            st.lists(st.sampled_from("lr"), min_size=n, max_size=n),
            st.dictionaries(st.integers(0, n - 1), st.integers(1, 12), max_size=n),
        )
    )
)
def test_columns_drawn_at_once_are_the_cells_drawn_one_by_one(case):
    rows, aligns, widths = case
    headers = [f"h{i}" for i in range(len(aligns))]
    assert _drawn(rows, headers, aligns, widths) == the_long_way(rows, headers, aligns, widths)


def test_a_row_of_ascii_text_is_drawn_as_it_is():
    text = table([["Microsoft", "$2.9B"], ["Google", "$1B"]], ["Company", "Total"],
                 markdown=False, right=(1,))  # fmt: skip
    assert text.splitlines() == ["Company     Total", "-" * 17, "Microsoft   $2.9B",
                                 "Google        $1B"]  # fmt: skip


def test_cells_that_are_not_text_are_written_as_text():
    assert table([[1, dt.date(2024, 4, 9)]], ["n", "day"], markdown=False).splitlines()[-1] == (
        "1   2024-04-09"
    )
