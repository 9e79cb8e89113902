"""The table engine of the text layouts: a terminal table that fits, or a Markdown pipe table."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from .safetext import for_markdown, for_terminal

__all__ = ["table"]


def table(
    rows: list[list[str]],
    headers: list[str],
    *,
    markdown: bool,
    right: Sequence[int] = (),
    widths: Mapping[int, int] | None = None,
) -> str:
    """A terminal table (texttable: wraps long cells, measures East Asian wide characters), or
    a Markdown pipe table with one header line. ``right`` are right-aligned columns (amounts);
    ``widths`` caps a terminal column's width, wrapping its cells.

    >>> print(table([["JP", "2.9"]], ["Country", "Total"], markdown=True, right=(1,)))
    | Country | Total |
    | --- | ---: |
    | JP | 2.9 |
    """
    aligns = ["r" if i in right else "l" for i in range(len(headers))]
    if markdown:  # every cell escaped for Markdown, on one line (calc.safetext)
        rule = ["---:" if a == "r" else "---" for a in aligns]
        lines = [
            [for_markdown(str(c)) for c in headers],
            rule,
            *([for_markdown(str(c)) for c in r] for r in rows),
        ]
        return "\n".join("| " + " | ".join(line) + " |" for line in lines)
    rows = [[for_terminal(str(c)) for c in row] for row in rows]  # the headers are spendcalc's own
    from texttable import Texttable  # only the terminal layout needs it (start-up time)

    table = Texttable(max_width=0)
    table.set_deco(Texttable.HEADER)
    table.set_chars(["-", "|", "+", "-"])
    table.set_cols_dtype(["t"] * len(headers))
    table.set_cols_align(aligns)
    table.set_header_align(aligns)
    if widths:
        natural = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        table.set_cols_width(
            [min(natural[i], widths.get(i, natural[i])) for i in range(len(headers))]
        )
    table.header(headers)
    table.add_rows(rows, header=False)
    return "\n".join(line.rstrip() for line in table.draw().splitlines())


def _width(text: str) -> int:
    """Display width of the widest line of ``text`` (East Asian wide characters count 2)."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )
