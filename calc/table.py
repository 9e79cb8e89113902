"""The table engine of the text layouts: a terminal table that fits, or a Markdown pipe table."""

from __future__ import annotations

import re
import textwrap
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
    """A terminal table (wraps long cells, measures East Asian wide characters), or
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
    rows = [_row_for_terminal(row) for row in rows]  # the headers are spendcalc's own
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


def _for_terminal(text: str) -> str:
    """:func:`calc.safetext.for_terminal`, at once for printable ASCII (nothing to escape)."""
    return text if text.isascii() and text.isprintable() else for_terminal(text)


def _row_for_terminal(row: list[str]) -> list[str]:
    """The cells of a row as text, each through :func:`_for_terminal`; at once for a row of
    printable ASCII text (the usual row: one test for all of its cells)."""
    try:
        joined = "".join(row)  # a TypeError if a cell is not text
    except TypeError:
        joined = None
    if joined is not None and joined.isascii() and joined.isprintable():
        return row
    return [_for_terminal(str(c)) for c in row]


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
    """The table as lines: the header, a rule of ``-``, then a line (or several, where a cell
    wraps) per row; columns :data:`_GAP` apart, each as wide as its widest cell (or as
    `widths` caps it: its cells then wrap at spaces and hyphens, as :func:`textwrap.wrap` does,
    and a word longer than the column is cut). No line ends in spaces."""
    count = len(headers)
    columns = [[r[i] for r in rows] for i in range(count)]
    natural = [_widest([headers[i], *columns[i]]) for i in range(count)]
    sizes = (
        natural
        if not widths
        else [min(natural[i], widths.get(i, natural[i])) for i in range(count)]
    )
    right = [a == "r" for a in aligns]
    gap = " " * _GAP
    out = [_lines(headers, sizes, right, gap), "-" * (sum(sizes) + _GAP * (count - 1))]
    # A column whose every cell is one line of printable text that fits, without a space at
    # its end, is drawn as it is: each cell its one line, filled with spaces (what _wrapped
    # and _padded make of it, at once for ASCII); the other columns' cells are wrapped one by
    # one.
    kinds = [_kind(columns[i], sizes[i], natural[i]) for i in range(count)]
    wrapping = [i for i in range(count) if kinds[i] == _WRAPS]
    fill = [str.rjust if flush_right else str.ljust for flush_right in right]
    ascii = [kinds[i] == _ASCII for i in range(count)]
    mixed = not all(ascii)
    for row in rows:
        cells = row
        taller: dict[int, list[str]] | None = None
        if mixed:
            cells = list(row)
            for i in range(count):
                if kinds[i] == _ONE_LINE:
                    cells[i] = _padded(row[i], sizes[i], right[i])
            for i in wrapping:
                pieces = _wrapped(row[i], sizes[i])
                cells[i] = _padded(pieces[0], sizes[i], right[i])
                if len(pieces) > 1:
                    if taller is None:
                        taller = {}
                    taller[i] = pieces
            out.append(
                gap.join(
                    [fill[i](cell, sizes[i]) if ascii[i] else cell for i, cell in enumerate(cells)]
                )
            )
        else:
            out.append(gap.join([fill[i](cell, sizes[i]) for i, cell in enumerate(cells)]))
        if taller is not None:  # the lines below, where a cell wraps
            height = max(map(len, taller.values()))
            for n in range(1, height):
                out.append(
                    gap.join(
                        [
                            _padded(
                                taller[i][n] if i in taller and n < len(taller[i]) else "",
                                sizes[i],
                                right[i],
                            )
                            for i in range(count)
                        ]
                    )
                )
    text = "\n".join(out)
    if text.isascii():
        return "\n".join(line.rstrip() for line in text.split("\n"))
    return "\n".join(line.rstrip() for line in text.splitlines())  # as a terminal breaks them


#: How :func:`_drawn` draws a column's cells: each one line of printable ASCII, each one line
#: of printable text (padded by its width), or wrapped one by one.
_ASCII, _ONE_LINE, _WRAPS = 0, 1, 2


def _kind(column: list[str], size: int, natural: int) -> int:
    """How the cells of `column` are drawn in a column `size` wide (`natural`: its widest):
    one line each (:data:`_ASCII`, :data:`_ONE_LINE`) where every cell is printable text that
    fits and does not end in a space, so that it is its own one wrapped line."""
    joined = "\0".join(column) + "\0"
    if " \0" in joined or not joined[:-1].replace("\0", "").isprintable():
        return _WRAPS
    if joined.isascii():
        return _ASCII if max(map(len, column), default=0) <= size else _WRAPS
    return _ONE_LINE if natural <= size else _WRAPS


def _widest(cells: list[str]) -> int:
    """The display width of the widest of `cells` (:func:`_width` of each)."""
    joined = "".join(cells)
    if joined.isascii() and "\n" not in joined:
        return max(map(len, cells))
    return max(map(_width, cells))


def _lines(cells: Sequence[str], sizes: list[int], right: list[bool], gap: str) -> str:
    """One row of the table: its cells wrapped to their columns, padded and aligned."""
    parts = [_wrapped(cell, size) for cell, size in zip(cells, sizes, strict=True)]
    height = max(map(len, parts))
    if height == 1:  # the usual row: one line
        return gap.join(
            [
                _padded(part[0], size, flush_right)
                for part, size, flush_right in zip(parts, sizes, right, strict=True)
            ]
        )
    lines = []
    for n in range(height):
        shown = []
        for part, size, flush_right in zip(parts, sizes, right, strict=True):
            shown.append(_padded(part[n] if n < len(part) else "", size, flush_right))
        lines.append(gap.join(shown))
    return "\n".join(lines)


def _padded(piece: str, size: int, flush_right: bool) -> str:
    """One line of a cell, filled with spaces to `size` columns on its left or right."""
    if piece.isascii():  # a character a column (a piece is one line)
        return piece.rjust(size) if flush_right else piece.ljust(size)
    fill = " " * (size - _width(piece))
    return fill + piece if flush_right else piece + fill


def _wrapped(cell: str, size: int) -> list[str]:
    """The lines of `cell` in a column `size` wide: each of its lines, wrapped at spaces."""
    if "\n" not in cell and len(cell) <= size and cell.isascii():
        if not cell.strip():
            return [""]
        if not cell[-1].isspace() and cell.isprintable():  # no tab or other break to expand
            return [cell]  # what textwrap would make of it
    lines: list[str] = []
    for line in cell.split("\n"):
        if not line.strip():
            lines.append("")
        elif "\t" not in line and _line_width(line) <= size:  # it fits, combining marks and all
            lines.append(line.rstrip(" \n\r\x0b\x0c"))
        elif _PLAIN_WORDS.fullmatch(line) and max(map(len, words := line.split(" "))) <= size:
            lines.extend(_greedy(words, size))
        else:
            lines.extend(_textwrapped(line, size))
    return lines


def _textwrapped(line: str, size: int) -> list[str]:
    """:func:`textwrap.wrap` of `line` (cached: a column repeats its texts, rates and dates)."""
    key = (line, size)
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) >= _WRAPPED_MOST:
            _WRAPPED.clear()
        found = _WRAPPED[key] = textwrap.wrap(line, size)
    return found


#: The lines :func:`_textwrapped` made, by text and width (at most :data:`_WRAPPED_MOST`).
_WRAPPED: dict[tuple[str, int], list[str]] = {}
_WRAPPED_MOST = 1 << 16


#: Text :func:`_greedy` wraps as textwrap would: printable ASCII words, one space apart, and
#: no hyphen (where textwrap may break too).
_PLAIN_WORDS = re.compile(r"[!-,.-~]+(?: [!-,.-~]+)*")


def _greedy(words: list[str], size: int) -> list[str]:
    """Words no longer than `size` in lines of at most `size`, each line as full as it can be
    (what :func:`textwrap.wrap` makes of them, faster)."""
    lines: list[str] = []
    line = words[0]
    for word in words[1:]:
        if len(line) + 1 + len(word) <= size:
            line = f"{line} {word}"
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


#: The spaces between two columns.
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
    return _widest([headers[i], *(str(r[i]) for r in rows)])


def _longest_word(rows: list[list[str]], i: int) -> int:
    """The width of the widest word of column `i` (1 if it has none)."""
    longest: int | None = None
    for r in rows:
        cell = str(r[i])
        words = cell.split()
        if words:  # an ASCII word's width is its length
            widest = max(map(len if cell.isascii() else _width, words))
            longest = widest if longest is None else max(longest, widest)
    return 1 if longest is None else longest


def _width(text: str) -> int:
    """Display width of the widest line of ``text``: its length, for ASCII text; otherwise East
    Asian wide characters count 2 and combining marks 0."""
    if text.isascii():
        return len(text) if "\n" not in text else max(map(len, text.split("\n")))
    return max(map(_line_width, text.split("\n")))


def _line_width(line: str) -> int:
    if line.isascii():
        return len(line)
    width = len(line)
    for ch in line.translate(_NOT_ASCII):  # the few characters that may not take one column
        extra = _EXTRA.get(ch)
        if extra is None:
            east_asian = unicodedata.east_asian_width(ch) in "WF"
            extra = _EXTRA[ch] = 1 if east_asian else -1 if unicodedata.combining(ch) else 0
        width += extra
    return width


#: Drops the ASCII characters of a text (``str.translate``).
_NOT_ASCII = dict.fromkeys(range(128))
#: The columns a character takes beyond one: 1 (East Asian wide), -1 (combining) or 0.
_EXTRA: dict[str, int] = {}
