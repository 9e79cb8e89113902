"""The report as one self-contained HTML page (``--format html``), or a fragment for notebooks.

The page is laid out by the same code as the text report (:class:`calc.render.Layout`), with
tables as HTML tables; every string that came from a file is escaped once, as it is inserted.
The CSS is inline, and the chart is inline SVG when matplotlib is installed. Nothing is fetched.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from itertools import starmap
from typing import TYPE_CHECKING

from .render import Layout
from .safetext import for_terminal

if TYPE_CHECKING:
    from .report import Report

__all__ = ["report_html"]

_STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.35rem;margin:0 0 1rem}h2{font-size:1.05rem;margin:1.8rem 0 .5rem;
text-transform:uppercase;letter-spacing:.04em;color:#444}
table{border-collapse:collapse;margin:.3rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;vertical-align:top;text-align:left}
th{border-bottom:2px solid #888;font-weight:600}td.n,th.n{text-align:right}td.n{white-space:nowrap}
.table{overflow-x:auto}
p{margin:.4rem 0;max-width:60rem}figure{margin:1rem 0}svg{max-width:100%;height:auto}
.notes p{color:#444;font-size:.92rem}
"""


class _HtmlLayout(Layout):
    """The text layout, with HTML tables and headings; text from files escaped."""

    def text(self, untrusted: str) -> str:
        return html.escape(for_terminal(untrusted))

    def section(self, heading: str, body: str) -> list[str]:
        return ["", f"<h2>{heading}</h2>", "", body]

    def fill(self, note: str) -> str:
        return note

    def table(
        self,
        rows: list[list[str]],
        headers: list[str],
        right: Sequence[int],
        widths: Mapping[int, int] | None = None,
        kind: str = "",
    ) -> str:
        def cell(tag: str, i: int, text: str) -> str:
            lines = str(text).split("\n") if tag == "th" else [str(text)]  # headers keep breaks
            shown = "<br>".join(html.escape(for_terminal(" ".join(t.split()))) for t in lines)
            return f"<{tag}{' class=n' if i in right else ''}>{shown}</{tag}>"

        head = "".join(cell("th", i, h) for i, h in enumerate(headers))
        if all(len(r) == len(headers) for r in rows):  # a row at a time: one format each
            row = "<tr>" + "".join(
                f"<td{' class=n' if i in right else ''}>{{}}</td>" for i in range(len(headers))
            )
            body = list(starmap((row + "</tr>").format, _shown_cells(rows)))
        else:
            body = [
                "<tr>" + "".join(cell("td", i, c) for i, c in enumerate(r)) + "</tr>" for r in rows
            ]
        return "\n".join(['<div class="table"><table>', f"<thead><tr>{head}</tr></thead>",
                          "<tbody>", *body, "</tbody>", "</table></div>"])  # fmt: skip


def _shown_cells(rows: list[list[str]]) -> list[list[str]]:
    """Each cell as a table cell shows it: its words one space apart, controls and bidi
    characters shown escaped (:func:`calc.safetext.for_terminal`), then HTML-escaped; at once
    for a table of printable text with nothing to escape and no space to fold (the usual
    table: one test for all of its cells)."""
    cells = [list(map(str, row)) for row in rows]
    text = "\n".join(map("\n".join, cells))
    if (
        text.count("\n") == sum(map(len, cells)) - 1  # no cell holds a line break
        and text.replace("\n", "").isprintable()  # nor a control, a bidi or other space
        and not _UNSHOWN.search(text)
        and not text.startswith(" ")
        and not text.endswith(" ")
    ):
        return cells
    return [[html.escape(for_terminal(" ".join(c.split()))) for c in row] for row in cells]


#: What a cell would not show as it is: a space before or after a line break (a cell's first
#: or last), two spaces, or a character HTML escapes.
_UNSHOWN = re.compile("\n | \n|  |[&<>\"']")


def report_html(
    report: Report,
    *,
    locale: str = "en_US",
    compact: bool = False,
    by_year: bool = False,
    fragment: bool = False,
    chart: bool = True,
) -> str:
    """The report as a page (or, with ``fragment``, the body alone, as a notebook shows it).

    ``chart`` puts the bar chart inline as SVG when matplotlib is installed.
    """
    text = _HtmlLayout(report, markdown=False, locale=locale, compact=compact).render(
        by_year=by_year
    )
    lines = text.split("\n")
    title, body = lines[0], lines[1:]
    parts = [f"<h1>{html.escape(title)}</h1>"]
    for line in body:
        if line.startswith("<"):
            parts.append(line)
        elif line.strip():
            parts.append(f"<p>{line}</p>")
    if chart and not fragment:
        svg = _chart(report, locale)
        if svg:
            parts.insert(1, f"<figure>{svg}</figure>")
    content = "\n".join(parts)
    if fragment:
        return f'<div class="spendcalc-report">\n{content}\n</div>'
    return (
        f'<!doctype html>\n<html lang="{html.escape(locale.split("_")[0])}">\n<head>\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{content}\n"
        "</body>\n</html>\n"
    )


def _chart(report: Report, locale: str) -> str:
    """The inline SVG chart, or '' when matplotlib is not installed or nothing is disclosed."""
    from .errors import CalcError

    if report.total is None:
        return ""
    try:
        from .chart import chart_svg

        return chart_svg(report, locale=locale)
    except CalcError:
        return ""
