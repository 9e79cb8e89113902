"""Tables that fit (issue 16, item 1): --width, else COLUMNS; numbers never cut."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calc.cli import main
from calc.table import table
from tests.test_hostile import hostile_file


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("width", [80, 100, 120, 160])
@pytest.mark.parametrize(
    "extra",
    [
        (),
        ("--compact",),
        ("--by", "company"),
        ("--by", "package"),
        ("--per-capita",),
        ("--by-year", "--compact"),
    ],
)
def test_no_line_is_longer_than_the_width(capsys, width, extra):
    code, out, _ = run(capsys, "report", "--width", str(width), *extra)
    assert code == 0 and widest(out) <= width


def test_columns_sets_the_width(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, "report")
    assert code == 0 and widest(out) <= 80
    assert "Left out to fit 80 columns:" in out and "Category" in out.split("Left out")[1]


def test_the_numbers_are_never_cut(capsys):
    _, out, _ = run(capsys, "report", "--width", "80")
    for figure in ("$3,164,076,972.95", "$2,909,900,000.00", "$6,073,976,972.95", "52.1%"):
        assert figure in out


def test_a_wide_width_leaves_nothing_out_and_keeps_the_rate_on_one_line(capsys):
    _, out, _ = run(capsys, "report", "--width", "200")
    assert "Left out" not in out
    assert any("1 GBP = 1.26563078918 USD (2023-11-30, ECB)" in line for line in out.splitlines())
    assert "ECB: ECB reference rates (bundled)." in out


def test_without_a_width_or_a_terminal_there_is_no_limit(capsys):
    _, out, _ = run(capsys, "report")
    assert "Left out" not in out and widest(out) > 120


def test_a_bad_width_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", "--width", "wide"])
    assert exit_.value.code == 2 and "is not a width" in capsys.readouterr().err


def test_hostile_text_still_fits(tmp_path, capsys):
    code, out, _ = run(capsys, "report", hostile_file(tmp_path), "--width", "80")
    assert code == 0 and widest(out) <= 80 and "\x1b" not in out


def test_the_table_engine_drops_columns_in_the_order_given():
    rows = [["xx " * 10, "1,000,000.00", "yy " * 10, "zz " * 10]]
    left: list[str] = []
    text = table(
        rows, ["A", "N", "B", "C"], markdown=False, right=(1,), width=60, drop=(3, 2), left_out=left
    )
    assert widest(text) <= 60 and left == ["C"] and "1,000,000.00" in text
    # Too wide even so: the table comes in parts, each led by its first column.
    parts = table([["a", *["1,000,000.00"] * 8]], ["A", *"BCDEFGHI"], markdown=False,
                  right=range(1, 9), width=60).split("\n\n")  # fmt: skip
    assert len(parts) == 3 and all(p.startswith("A ") and widest(p) <= 60 for p in parts)
    assert sum(p.count("1,000,000.00") for p in parts) == 8


def test_at_80_columns_the_conversions_stay_one_table_with_their_rates(tmp_path, capsys):
    """Text wraps to its longest word before a table is split in parts."""
    path = tmp_path / "p.csv"
    path.write_text(
        "company,country,amount,announced\nA,GB,£2.5bn,2023-11-30\nB,DE,€3.2bn,2024-02-15\n"
        "C,DE,up to €1bn,2025-03-01\nD,FR,,2024-06-01\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "report", str(path), "--currency", "EUR", "--width", "80")
    section = out.split("CONVERSIONS BEHIND THE FIGURES")[1].split("\n\n")[1]
    assert code == 0 and widest(out) <= 80
    assert section.startswith("Country") and "Rate (fixing" in section.splitlines()[0]
    assert "1 GBP =" in section and "up to €1,000,000,000.00" in section


def test_the_table_lays_out_aligned_columns_under_a_rule():
    text = table([["Japan", "2.9"], ["UK", "12.50"]], ["Country", "Total\n(USD)"], markdown=False,
                 right=(1,))  # fmt: skip
    assert text.splitlines() == [
        "Country   Total",
        "          (USD)",
        "---------------",
        "Japan       2.9",
        "UK        12.50",
    ]


def test_a_capped_column_wraps_at_spaces_and_cuts_a_longer_word():
    text = table([["one two three", "x"], ["abcdefghijkl", "y"]], ["Text", "N"], markdown=False,
                 widths={0: 8})  # fmt: skip
    assert text.splitlines() == [
        "Text       N", "------------", "one two    x", "three", "abcdefgh   y", "ijkl",
    ]  # fmt: skip


def test_ascii_text_is_measured_by_its_length_without_looking_at_each_character(monkeypatch):
    import calc.table

    def refuse(ch: str) -> str:
        raise AssertionError(f"looked up {ch!r}")

    monkeypatch.setattr(calc.table.unicodedata, "east_asian_width", refuse)
    rows = [[f"Company {i}", f"{i:,}.00"] for i in range(50)]
    text = table(rows, ["Company", "Total"], markdown=False, right=(1,), width=40)
    assert text.splitlines()[:3] == ["Company      Total", "-" * 18, "Company 0     0.00"]


def test_wide_characters_count_two_columns_and_combining_marks_none():
    text = table([["日本", "1"], ["e\u0301te\u0301", "2"], ["ab", "3"]], ["Name", "N"],
                 markdown=False, right=(1,))  # fmt: skip
    assert text.splitlines()[2:] == ["日本   1", "e\u0301te\u0301    2", "ab     3"]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abc-,. 日é\u0301", min_size=1, max_size=12), min_size=1, max_size=8
    ),
    size=st.integers(min_value=1, max_value=20),
)
def test_a_cell_wraps_as_textwrap_wraps_it(words, size):
    """The table's own wrapping of a cell too wide for its column is textwrap's."""
    import textwrap

    from calc.table import _line_width, _wrapped

    cell = " ".join(words)
    if not cell.strip() or _line_width(cell) <= size:
        return  # fits: not wrapped
    assert _wrapped(cell, size) == textwrap.wrap(cell, size)
