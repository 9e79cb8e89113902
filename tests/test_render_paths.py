"""The quick paths of rendering a big report (issue 17, item 5), each against the long way it
stands for: wrapping, measuring, drawing, escaping and writing each text once."""

from __future__ import annotations

import html
import textwrap
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc import Converter
from calc.commitments import load_text
from calc.examples import example_text
from calc.format import format_money, format_rate_for
from calc.html import _shown_cells
from calc.money import Money
from calc.realterms import nominal
from calc.render import Layout, MoneyText
from calc.report import build_report
from calc.safetext import for_markdown, for_markdown_rows, for_terminal
from calc.table import (
    _NOT_NARROW,
    _drawn,
    _fit,
    _line_width,
    _longest_word,
    _widest,
    _width,
    _wrapped,
)
from rates import RateBook
from tests.test_big_report import the_long_way

#: ASCII text such as descriptions and rate cells hold: words, dates, hyphens between letters
#: and digits, dashes, underscores, brackets.
ASCII_WORDS = st.lists(
    st.text(alphabet="ab_1-.(),=", min_size=1, max_size=9), min_size=1, max_size=9
).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(cell=ASCII_WORDS, size=st.integers(min_value=1, max_value=24))
def test_ascii_words_wrap_as_textwrap_wraps_them(cell, size):
    """The last space that fits (hyphens between digits, or beside anything but a letter,
    staying whole) is where textwrap breaks too."""
    if len(cell) <= size:
        return  # fits: not wrapped
    assert _wrapped(cell, size) == textwrap.wrap(cell, size)


def test_wrapping_at_a_hyphen_between_letters_is_textwraps():
    cell = "1 CHF = 0.98 USD (2016-02-02, cut-short goof-ball -- x)"
    for size in range(4, len(cell)):
        assert _wrapped(cell, size) == textwrap.wrap(cell, size)


def test_every_character_the_narrow_blocks_hold_takes_one_column():
    """What _NOT_NARROW lets by is measured by its length: each such character counts 1."""
    blocks = [range(0x20, 0x7F), range(0x80, 0x300), range(0x2000, 0x20D0)]
    narrow = [chr(c) for block in blocks for c in block if not _NOT_NARROW.search(chr(c))]
    assert len(narrow) > 800 and "€" in narrow and "£" in narrow and "\xa0" in narrow
    for ch in narrow:
        assert _line_width(f"a{ch}") == 2, (hex(ord(ch)), unicodedata.name(ch, "?"))
    assert _NOT_NARROW.search("日") and _NOT_NARROW.search("e\u0301")


#: Cells of every kind a column may hold: ASCII words, amounts, wide and combining characters,
#: spaces at the end, line breaks.
CELL = st.text(
    alphabet=["a", "b", " ", "-", "1", ".", "£", "€", "é", "\u3042", "\u0301", "\n"], max_size=16
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=0, max_size=40),
            st.lists(st.sampled_from("lr"), min_size=n, max_size=n),
            st.dictionaries(st.integers(0, n - 1), st.integers(1, 8), max_size=n),
        )
    )
)
def test_many_rows_of_every_height_are_drawn_as_one_by_one(case):
    """Rows of one, two and many lines: the lines most rows have drawn across the rows at
    once, the taller rows' last ones row by row."""
    rows, aligns, widths = case
    headers = [f"h{i}" for i in range(len(aligns))]
    assert _drawn(rows, headers, aligns, widths) == the_long_way(rows, headers, aligns, widths)


#: Cells with the line breaks str.splitlines knows besides LF, no-break and wide spaces, and
#: lines left blank: a terminal breaks the lines at each (and the table is drawn as it breaks).
BREAKING_CELL = st.text(
    alphabet=["a", " ", "£", "\u2028", "\x85", "\u2029", "\xa0", "\u3000", "\n"], max_size=8
)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 3).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(BREAKING_CELL, min_size=n, max_size=n), min_size=0, max_size=12),
            st.lists(st.sampled_from("lr"), min_size=n, max_size=n),
            st.dictionaries(st.integers(0, n - 1), st.integers(1, 6), max_size=n),
        )
    )
)
def test_rows_with_other_line_breaks_and_blank_lines_are_drawn_as_one_by_one(case):
    rows, aligns, widths = case
    headers = [f"h{i}" for i in range(len(aligns))]
    assert _drawn(rows, headers, aligns, widths) == the_long_way(rows, headers, aligns, widths)


def test_a_last_line_left_empty_is_dropped_as_a_terminal_drops_it():
    rows = [["\u0301\n"]]  # a combining mark takes no column: the cell's empty last line is ""
    assert _drawn(rows, [""], ["l"], {}) == the_long_way(rows, [""], ["l"], {}) == "\n\n\u0301"


def test_rows_all_as_tall_are_drawn_as_one_by_one():
    rows = [[f"word{i} and more words", f"{i}.00", "x y z w"] for i in range(50)]
    aligns, widths = ["l", "r", "l"], {0: 10, 2: 3}
    headers = ["Text", "N", "T"]
    assert _drawn(rows, headers, aligns, widths) == the_long_way(rows, headers, aligns, widths)


def longest_word_one_by_one(cells: list[str]) -> int:
    """The widest word of `cells`, each cell measured on its own (as before columns at once)."""
    found = [max(map(_width, c.split())) for c in cells if c.split()]
    return max(found) if found else 1


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELL, max_size=12))
def test_a_column_is_measured_as_its_cells_one_by_one(cells):
    assert _widest(cells) == max(map(_width, cells), default=0)
    assert _longest_word(cells) == longest_word_one_by_one(cells)


def test_a_table_fitted_to_a_width_keeps_what_it_kept_cell_by_cell():
    rows = [
        ["Company 1", "AI data centres and cloud", "€1,000.00"],
        ["日本", "e\u0301te\u0301", "£2"],
    ]
    keep, widths = _fit(rows, ["Company", "Description", "Amount"], (2,), {1: 12}, 40, (1,))
    assert keep == [0, 1, 2] and widths[2] == 9 and sum(widths) + 6 <= 40


MARKDOWN_CELL = st.text(alphabet=["a", " ", "|", "*", "\\", "<", "\n", "\r", "\x1b", "\u202e", "é"])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(MARKDOWN_CELL, min_size=2, max_size=2), max_size=5))
def test_markdown_cells_at_once_are_each_cell_escaped(rows):
    assert for_markdown_rows(rows) == [[for_markdown(c) for c in row] for row in rows]


def test_markdown_cells_that_are_not_text_are_written_as_text():
    assert for_markdown_rows([[1, Decimal("2.5")], ["a", None]]) == [["1", "2.5"], ["a", "None"]]


HTML_CELL = st.text(alphabet=["a", " ", "&", "<", '"', "'", "\n", "\t", "\xa0", "\x1b", "é"])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(HTML_CELL, min_size=2, max_size=2), max_size=5))
def test_page_cells_at_once_are_each_cell_folded_and_escaped(rows):
    slow = [[html.escape(for_terminal(" ".join(c.split()))) for c in row] for row in rows]
    assert _shown_cells(rows) == slow


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "fr_CH", "ja_JP"])
@pytest.mark.parametrize("compact", [False, True])
def test_money_texts_kept_are_format_moneys(locale, compact):
    """An amount written again is the text written the first time, which is format_money's;
    zero is written each time (``-0`` equals ``0`` but keeps its sign)."""
    shapes = MoneyText("EUR", locale, "half-up", compact)
    amounts = ["1234.5", "1234.50", "0", "-0.00", "-0.001", "0.001", "-1234.5", "1234.5"]
    for amount in amounts:
        money = Money(amount, "EUR")
        expected = format_money(money, locale=locale, compact=compact)
        assert shapes.format(money) == expected == shapes.format(money)


def test_a_rate_cell_kept_is_the_cell_written_for_its_own_amount():
    """Conversions at one rate share their cells only where the amounts are the same: each is
    the cell a layout that never saw another conversion writes."""
    text = example_text() + "".join(
        f'\n[[commitment]]\ncompany = "Acme {n}"\ncountry = "GB"\namount = "£{amount}"\n'
        f'announced = "2023-11-30"\n'
        for n, amount in enumerate(["1.5bn", "1.5bn", "2.5bn", "0.01", "2500000000.00"])
    )
    report = build_report(
        load_text(text, "toml", name="e.toml"), converter=Converter(RateBook(cache=None))
    )
    shared = Layout(report, markdown=False, locale="en_US", compact=False)
    items = [i for i in report.conversions if i.conversion is not None]
    assert len({id(nominal(i.conversion).rate) for i in items}) < len(items)  # rates shared
    for item in items:
        alone = Layout(report, markdown=False, locale="en_US", compact=False)
        assert shared.rate_cell(item) == alone.rate_cell(item)
        conversion = nominal(item.conversion)
        if conversion.rate.base != conversion.rate.quote:
            shown, _ = format_rate_for(
                conversion.rate.value, conversion.source, conversion.result, report.rounding
            )
            assert f" = {shown} " in shared.rate_cell(item)
