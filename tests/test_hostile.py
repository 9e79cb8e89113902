"""Real files in, safe text out (issue 14): nothing silently lost, hostile text shown escaped."""

from __future__ import annotations

import csv
import io
import re

import pytest

from calc.cli import main
from calc.ledger import LedgerError, convert_csv
from calc.safetext import for_csv, for_markdown, for_terminal
from calc.table import table
from rates import RateBook

HEADER = "date,currency,amount,note\n"


def ledger(text: str, **kwargs: object) -> str:
    out = io.StringIO()
    convert_csv(io.StringIO(text), out, "USD", book=RateBook(cache=None), name="l.csv", **kwargs)
    return out.getvalue()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # An unclosed quote used to swallow every later row (3 rows in, 1 out, exit 0).
        (
            '2024-01-02,GBP,1,"open\n2024-01-03,GBP,2,x\n2024-01-04,GBP,3,y\n',
            r"^l\.csv:2: a quoted field .* is never closed",
        ),
        ("2024-01-02,GBP,1,a\x00b\n", r"^l\.csv:2: the row holds a NUL character"),
        (
            '2024-01-02,GBP,1,a\n2024-01-03,GBP,1,"a\rb"\n',
            r"^l\.csv:3: a cell holds a carriage return",
        ),
        (
            "2024-01-02,GBP,1,a\n2024-01-03,GBP,2,b,c\n",
            r"^l\.csv:3: the row has 5 fields; the header names 4",
        ),
        (
            "2024-01-02,GBP,1e999999999,a\n",
            r"^l\.csv:2: amount '1e999999999' has an exponent beyond ±1000",
        ),
        ('2024-01-02,GBP,1,"a"b\n', r"^l\.csv:2: is not valid CSV"),
    ],
)
def test_a_ledger_loses_nothing_silently(rows, message):
    with pytest.raises(LedgerError, match=message):
        ledger(HEADER + rows)


def test_a_huge_ledger_amount_is_one_error_line(tmp_path, capsys):
    path = tmp_path / "l.csv"
    path.write_text(HEADER + "2024-01-02,GBP,1e999999999,x\n", encoding="utf-8")
    assert main(["ledger", str(path), "--to", "USD"]) == 1
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and "exponent" in err and len(out) < 200


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\r\nx"]
)
def test_ledger_pass_through_cells_cannot_start_a_formula(cell):
    quoted = cell.replace('"', '""')
    text = HEADER.replace("note", "note,other") + f'2024-01-02,GBP,1,"{quoted}",ok\n'
    (row,) = list(csv.reader(io.StringIO(ledger(text))))[1:]
    assert row[3] == f"'{cell}" and row[4] == "ok"
    (raw,) = list(csv.reader(io.StringIO(ledger(text, raw_csv=True))))[1:]
    assert raw[3] == cell


@pytest.mark.parametrize("cell", ["-12.5", "+3", "1e5", "plain"])
def test_numbers_and_plain_text_pass_through_as_they_are(cell):
    out = ledger(HEADER + f"2024-01-02,GBP,1,{cell}\n")
    assert out.splitlines()[1].split(",")[3] == cell


HOSTILE = "Acme\x1b]0;pwned\x07 \x1b[2J \u202eevil\r\nline <h2>x</h2> | [a](b) `c` \\"


def test_terminal_text_escapes_controls_and_bidi():
    shown = for_terminal(HOSTILE)
    assert (
        "\x1b" not in shown and "\u202e" not in shown and "\r" not in shown and "\x07" not in shown
    )
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202e" in shown and "\\x0d" in shown


UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
          *range(0x202A, 0x202F), *range(0x2066, 0x206A)]  # fmt: skip


@pytest.mark.parametrize("code", UNSAFE)
def test_every_control_and_bidi_character_is_escaped_alone_and_in_text(code):
    """A text that is printable is left as it is without a regex: none of these is printable."""
    char = chr(code)
    assert not char.isprintable()
    shown = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    assert for_terminal(char) == shown
    assert for_terminal(f"Acme {char}£5") == f"Acme {shown}£5"


def test_printable_text_is_left_as_it_is():
    for text in ("Acme £2.5bn", "日本 ￥4400億", "a\u2028b"[:1], "Ünïcödé – ok", ""):
        assert for_terminal(text) == text


def test_markdown_cells_escape_markup_and_keep_one_line():
    cell = for_markdown(HOSTILE)
    assert "\n" not in cell and "\r" not in cell and "\x1b" not in cell
    assert "<h2>" not in cell and "\\<h2\\>" in cell
    for char in "|[]`":
        assert f"\\{char}" in cell
    text = table([[HOSTILE, "1"], ["b", "2"]], ["Description", "N"], markdown=True)
    assert len(text.splitlines()) == 4  # header, rule, two rows: the table keeps its rows
    assert all(line.startswith("| ") and line.endswith(" |") for line in text.splitlines())


def test_terminal_tables_escape_their_cells():
    text = table([[HOSTILE, "1"]], ["Description", "N"], markdown=False)
    assert "\x1b" not in text and "\u202e" not in text and "\r" not in text


@pytest.mark.parametrize(
    ("cell", "guarded"),
    [
        ("=1+2", "'=1+2"),
        ("@x", "'@x"),
        ("-x", "'-x"),
        ("+x", "'+x"),
        ("-1.5", "-1.5"),
        ("a=b", "a=b"),
    ],
)
def test_csv_formula_guard(cell, guarded):
    assert for_csv(cell) == guarded


def test_an_error_naming_a_hostile_file_is_shown_escaped(tmp_path, capsys):
    path = tmp_path / "x\x1b[2J.toml"
    path.write_text("not toml [", encoding="utf-8")
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J" in err


def hostile_file(tmp_path) -> str:
    """A commitments CSV whose description and company hold what the issue lists."""
    description = "Data centres \x1b]0;pwned\x07 \x1b[2J \u202eevil\r\n<h2>x</h2> <img src=x onerror=alert(1)>"
    rows = [
        ["company", "country", "amount", "announced", "description"],
        ["Acme\x1b[31m", "GB", "£1bn", "2024-01-19", description],
        ["Beta", "JP", "$1bn", "2024-01-19", "plain"],
        ["Gamma <b>", "TH", "", "2024-01-19", "undisclosed | pipe"],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path = tmp_path / "hostile.csv"
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return str(path)


@pytest.mark.parametrize("by", ["country", "company", "package"])
def test_a_hostile_report_is_shown_escaped_in_the_terminal(tmp_path, capsys, by):
    assert main(["report", hostile_file(tmp_path), "--by", by]) == 0
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in out
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out


@pytest.mark.parametrize("by", ["country", "company", "package"])
def test_a_hostile_report_keeps_its_markdown_tables(tmp_path, capsys, by):
    assert main(["report", hostile_file(tmp_path), "--format", "markdown", "--by", by]) == 0
    out = capsys.readouterr().out
    for raw in ("\x1b", "\x07", "\u202e", "\r"):
        assert raw not in out
    assert not re.search(r"(?<!\\)<", out)  # every < is escaped: no tag, no <img onerror>
    # The conversions table: a header, a rule and one row per commitment, nothing more.
    section = out.split("## Conversions behind the figures")[1].split("\n\n")[1]
    assert len(section.splitlines()) == 2 + 3
    assert all(line.startswith("| ") and line.endswith(" |") for line in section.splitlines())


class _Terminal(io.StringIO):
    """Standard output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _to_a_terminal(monkeypatch, argv):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    code = main(argv)
    return code, terminal.getvalue()


HOSTILE_CELL = "a\x1b]0;pwned\x07\x1b[2J\u202eb\tc\x85"


def test_a_ledger_printed_to_a_terminal_shows_its_controls_escaped(tmp_path, monkeypatch):
    ledger = tmp_path / "l.csv"
    with ledger.open("w", newline="") as f:
        csv.writer(f).writerows([["date", "amount", "currency", "memo"],
                                 ["2023-11-30", "100", "GBP", HOSTILE_CELL]])  # fmt: skip
    code, shown = _to_a_terminal(monkeypatch, ["ledger", str(ledger), "--to", "USD", "--round"])
    assert code == 0
    assert r"a\x1b]0;pwned\x07\x1b[2J\u202eb\x09c\x85" in shown
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", shown.replace("\r\n", "\n"))
    assert shown.count("\n") == 2  # the line ends stay as they are


def test_a_ledger_written_to_a_pipe_keeps_its_cells_as_they_are(tmp_path, capsys):
    ledger = tmp_path / "l.csv"
    with ledger.open("w", newline="") as f:
        csv.writer(f).writerows([["date", "amount", "currency", "memo"],
                                 ["2023-11-30", "100", "GBP", HOSTILE_CELL]])  # fmt: skip
    assert main(["ledger", str(ledger), "--to", "USD", "--round"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][3] == HOSTILE_CELL
