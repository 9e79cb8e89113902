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
    width: int | None = None,
    drop: Sequence[int] = (),
    left_out: list[str] | None = None,
) -> str:
    """A terminal table (texttable: wraps long cells, measures East Asian wide characters), or
    a Markdown pipe table with one header line. ``right`` are right-aligned columns (amounts);
    ``widths`` caps a terminal column's width, wrapping its cells.

    ``width`` is the most a terminal line may take: text columns are wrapped to fit it, and
    if that is not enough the columns of ``drop`` are left out, in that order (their headers,
    one line each, are appended to ``left_out``). Numbers are never cut.

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
    if width is not None:
        keep, fitted = _fit(rows, headers, right, widths or {}, width, drop)
        if left_out is not None:
            left_out += [" ".join(headers[i].split()) for i in range(len(headers)) if i not in keep]
        rows = [[row[i] for i in keep] for row in rows]
        headers = [headers[i] for i in keep]
        right = [keep.index(i) for i in right if i in keep]
        aligns = ["r" if i in right else "l" for i in range(len(headers))]
        widths = dict(enumerate(fitted))
        groups = _groups(fitted, width)
        if len(groups) > 1:  # still too wide: in parts, each led by the first column
            return "\n\n".join(
                _drawn(
                    [[row[i] for i in group] for row in rows], [headers[i] for i in group],
                    [aligns[i] for i in group], {k: widths[i] for k, i in enumerate(group)},
                )
                for group in groups
            )  # fmt: skip
    return _drawn(rows, headers, aligns, widths)


def _groups(widths: list[int], width: int) -> list[list[int]]:
    """The columns in parts that each fit `width`, the first column leading every part."""
    groups: list[list[int]] = [[0]]
    used = widths[0]
    for i in range(1, len(widths)):
        if used + _GAP + widths[i] > width and len(groups[-1]) > 1:
            groups.append([0])
            used = widths[0]
        groups[-1].append(i)
        used += _GAP + widths[i]
    return groups


def _drawn(
    rows: list[list[str]], headers: list[str], aligns: list[str], widths: Mapping[int, int] | None
) -> str:
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


#: The gap texttable leaves between two columns.
_GAP = 3
#: A text column is not wrapped narrower than this, unless its widest word is narrower.
_NARROWEST = 20


def _fit(
    rows: list[list[str]],
    headers: list[str],
    right: Sequence[int],
    caps: Mapping[int, int],
    width: int,
    drop: Sequence[int],
) -> tuple[list[int], list[int]]:
    """The columns kept and their widths, so that a line takes at most `width` (or as little
    as it can: numbers and the columns not in `drop` stay)."""
    columns = list(range(len(headers)))
    natural = [min(_column_width(rows, headers, i), caps.get(i, 10**6)) for i in columns]
    narrowest = [
        max(max((_width(str(r[i])) for r in rows), default=0), _longest_word([headers], i))
        if i in right
        else min(natural[i], max(_NARROWEST, _longest_word(rows, i)))
        for i in columns
    ]
    keep = list(columns)
    for dropped in [None, *drop]:
        if dropped is not None and dropped in keep and len(keep) > 1:
            keep.remove(dropped)
        room = width - _GAP * (len(keep) - 1)
        fixed = sum(narrowest[i] for i in keep)
        if fixed <= room or dropped == (drop[-1] if drop else None):
            break
    room = width - _GAP * (len(keep) - 1)
    widths = {i: narrowest[i] for i in keep}
    if sum(widths.values()) > room:  # still too wide: text wraps to its longest word first
        for i in keep:
            if i not in right:
                widths[i] = min(
                    natural[i], max(_longest_word(rows, i), _longest_word([headers], i))
                )
    spare = room - sum(widths.values())
    # The wrapped text columns grow back, each by its share of what it lacks, as far as the
    # room allows; what rounding leaves goes to them in order.
    lacking = {i: natural[i] - widths[i] for i in keep if natural[i] > widths[i]}
    total = sum(lacking.values())
    if spare > 0 and total:
        for i, short in lacking.items():
            widths[i] += min(short, spare * short // total)
        spare = room - sum(widths.values())
        for i in lacking:
            grow = max(0, min(natural[i] - widths[i], spare))
            widths[i] += grow
            spare -= grow
    return keep, [widths[i] for i in keep]


def _column_width(rows: list[list[str]], headers: list[str], i: int) -> int:
    return max(_width(str(r[i])) for r in [headers, *rows])


def _longest_word(rows: list[list[str]], i: int) -> int:
    return max((_width(word) for r in rows for word in str(r[i]).split()), default=1)


def _width(text: str) -> int:
    """Display width of the widest line of ``text`` (East Asian wide characters count 2)."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )
