"""HTML (issue 16, items 2 and 3): one self-contained page, parsed here with a real HTML parser."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from calc import Converter, Money
from calc.cli import main
from calc.commitments import load_text
from calc.examples import example_text
from calc.report import build_report
from rates import RateBook
from tests.test_hostile import hostile_file


class Page(HTMLParser):
    """The elements of a page: tags seen, each table's rows of cell texts, the text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def page(capsys, *argv) -> tuple[str, Page]:
    assert main(["report", "--format", "html", *argv]) == 0
    out = capsys.readouterr().out
    return out, Page(out)


def test_the_page_is_self_contained_with_every_table(capsys):
    out, parsed = page(capsys)
    assert out.startswith("<!doctype html>") and "<style>" in out
    assert (
        "http"
        not in out.replace('xmlns="http://www.w3.org/2000/svg"', "")
        .replace("http://www.w3.org/1999/xlink", "")
        .split("<svg")[0]
    )  # nothing is fetched: no link, no script, no external stylesheet
    assert "script" not in parsed.tags and "link" not in parsed.tags
    main_table, comparison, packages, conversions = parsed.tables
    assert comparison[1][0] == "Japan" and packages[1][:2] == ["Microsoft", "JP"]
    assert [row[0] for row in main_table[1:]] == ["United Kingdom", "Japan"]
    assert len(conversions) == 1 + 6  # the header and the six commitments
    assert "$3,164,076,972.95" in main_table[1]
    assert "svg" in parsed.tags  # the chart, inline (matplotlib is a test dependency)


def test_hostile_text_is_escaped_in_the_page(tmp_path, capsys):
    out, parsed = page(capsys, hostile_file(tmp_path))
    # Only spendcalc's own elements: the <h2>, <img> and <b> of the file are text, not tags.
    assert "img" not in parsed.tags and "b" not in parsed.tags
    assert parsed.tags.count("h2") == out.count("<h2>")  # every h2 is a heading of ours
    text = "".join(parsed.text)
    assert "<h2>x</h2>" in text and "<img src=x onerror=alert(1)>" in text
    assert "\x1b" not in out and "\u202e" not in out


def test_the_report_and_a_conversion_show_as_tables_in_a_notebook():
    report = build_report(
        load_text(example_text(), "toml"), converter=Converter(RateBook(cache=None))
    )
    fragment = Page(report._repr_html_())
    assert fragment.tables and "html" not in fragment.tags
    conversion = Converter(RateBook(cache=None)).convert(
        Money("2500000000", "GBP"), "USD", on=dt.date(2023, 11, 30)
    )
    (table,) = Page(conversion._repr_html_()).tables
    assert table[0][:2] == ["Amount", "Converted"] and "2023-11-30" in table[1]
