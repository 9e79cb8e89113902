"""The table engine of the text layouts: a terminal table that fits, or a Markdown pipe table."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, repeat

from .csvtext import OTHER_BREAKS
from .safetext import for_markdown_rows, for_terminal

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
        lines = [*for_markdown_rows([headers]), rule, *for_markdown_rows(rows)]
        return "| " + " |\n| ".join(map(" | ".join, lines)) + " |"
    rows = _rows_for_terminal(rows)  # the headers are spendcalc's own
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


def _rows_for_terminal(rows: list[list[str]]) -> list[list[str]]:
    """Each row through :func:`_row_for_terminal`; at once for a table of printable text (the
    usual table: one test for all of its cells)."""
    try:
        joined = "".join(map("".join, rows))  # a TypeError if a cell is not text
    except TypeError:
        joined = None
    if joined is not None and joined.isprintable():  # nothing for_terminal would escape
        return rows
    return [_row_for_terminal(row) for row in rows]


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
    and a word longer than the column is cut). No line ends in spaces.

    It is drawn a column at a time (:class:`_Column`: its cells measured at once, each distinct
    cell wrapped and padded once), then line by line across the columns: the rows' first lines
    at once, then their second lines, and so on while most rows have one (the few taller rows'
    last lines row by row)."""
    count = len(headers)
    cells = [list(column) for column in zip(*rows, strict=True)][:count] if rows else [[]] * count
    columns = list(map(_Column, cells))
    natural = [max(_width(headers[i]), columns[i].widest) for i in range(count)]
    sizes = (
        natural
        if not widths
        else [min(natural[i], widths.get(i, natural[i])) for i in range(count)]
    )
    right = [a == "r" for a in aligns]
    gap = " " * _GAP
    out = [_lines(headers, sizes, right, gap), "-" * (sum(sizes) + _GAP * (count - 1))]
    drawn = [columns[i].drawn(sizes[i], right[i]) for i in range(count)]
    firsts = list(map(gap.join, zip(*(first for first, _below in drawn), strict=True)))
    below = [lines for _first, lines in drawn if lines is not None]  # the columns that wrap
    heights = (
        list(map(max, zip(*(map(len, lines) for lines in below), strict=True))) if below else []
    )
    if not any(heights):
        out += firsts
    else:
        out += _below(firsts, heights, drawn, [" " * size for size in sizes], gap)
    # Each line without its trailing spaces, as a terminal breaks the lines (at LF and, in
    # text that is not ASCII, at the other breaks of str.splitlines): the lines are made
    # apart, so they are split again only where a cell holds another break.
    text = "\n".join(out)
    ascii_text = text.isascii()
    if not ascii_text and any(mark in text for mark in _OTHER_BREAKS):
        return "\n".join(map(str.rstrip, text.splitlines()))
    lines = list(map(str.rstrip, chain(out[0].split("\n"), out[1:])))  # (the header may wrap)
    if not ascii_text and not out[-1]:
        lines.pop()  # (str.splitlines gives no empty line after the last line break)
    return "\n".join(lines)


#: What str.splitlines breaks a line at, besides LF.
_OTHER_BREAKS = "\r" + OTHER_BREAKS


def _below(
    firsts: list[str],
    heights: list[int],
    drawn: list[tuple[list[str], list[tuple[str, ...]] | None]],
    blank: list[str],
    gap: str,
) -> Iterable[str]:
    """Each row's first line (`firsts`), then the lines below it (`heights`: how many), where a
    cell of `drawn` wraps; `blank`: each column's padding where its cell has no line."""
    rows = len(firsts)
    levels = [firsts]  # levels[k]: every row's k-th line (where most rows have one)
    while sum(map((len(levels) - 1).__lt__, heights)) * 2 >= rows:  # most rows go lower
        k = len(levels) - 1
        cells = [
            repeat(blank[i])
            if lines is None
            else [piece[k] if len(piece) > k else blank[i] for piece in lines]
            for i, (_first, lines) in enumerate(drawn)
        ]
        levels.append(list(map(gap.join, zip(*cells, strict=False))))  # (blanks repeat)
    dense = len(levels) - 1
    if min(heights) == max(heights) == dense:  # every row as tall: its lines, at once
        return chain.from_iterable(zip(*levels, strict=True))
    return _uneven(levels, heights, drawn, blank, gap)


def _uneven(
    levels: list[list[str]],
    heights: list[int],
    drawn: list[tuple[list[str], list[tuple[str, ...]] | None]],
    blank: list[str],
    gap: str,
) -> Iterator[str]:
    """:func:`_below` for rows of different heights: each row's lines of `levels` (the lines
    most rows have), then its own lines past them."""
    dense = len(levels) - 1
    for n, (first_lines, height) in enumerate(zip(zip(*levels, strict=True), heights, strict=True)):
        yield from first_lines[: height + 1]
        for k in range(dense, height):  # a taller row than most: its last lines
            yield gap.join(
                [
                    blank[i] if lines is None or len(lines[n]) <= k else lines[n][k]
                    for i, (_first, lines) in enumerate(drawn)
                ]
            )


class _Column:
    """The cells of one column, measured at once: :attr:`widest` (the display width of the
    widest), and how they are drawn (:meth:`drawn`)."""

    __slots__ = ("cells", "narrow", "one_line", "text", "widest")

    def __init__(self, cells: list[str]) -> None:
        self.cells = cells
        self.text = text = "\n".join(cells)
        #: Every character takes one column: a cell's width is its length (of its longest line).
        self.narrow = text.isascii() or _NOT_NARROW.search(text) is None
        self.widest = _widest(cells)
        #: Each cell is one line of printable text, not ending in a space: its own wrapped line
        #: where it fits.
        self.one_line = (
            text.count("\n") == len(cells) - 1  # no cell holds a line break
            and text.replace("\n", "").isprintable()
            and " \n" not in text
            and not text.endswith(" ")
        )

    def plain(self) -> bool:
        """Whether each cell is :data:`_PLAIN_WORDS` (or nothing), which :func:`_greedy` wraps:
        printable ASCII words one space apart, and no hyphen where textwrap may break."""
        text = self.text
        return (
            self.one_line
            and text.isascii()
            and "  " not in text
            and "\n " not in text
            and not text.startswith(" ")
            and ("-" not in text or _HYPHEN_BREAK.search(text) is None)
        )

    def drawn(self, size: int, flush_right: bool) -> tuple[list[str], list[tuple[str, ...]] | None]:
        """The first line of each cell in a column `size` wide, padded, and (None if no cell
        wraps) each cell's lines below its first, padded. Each distinct cell is drawn once."""
        cells = self.cells
        fill = str.rjust if flush_right else str.ljust
        if self.one_line and self.widest <= size:  # each cell its one line
            if self.narrow:  # filled with spaces, at once
                return list(map(fill, cells, repeat(size))), None
            lines = {cell: _padded(cell, size, flush_right) for cell in set(cells)}
            return list(map(lines.__getitem__, cells)), None
        first: dict[str, str] = {}
        rest: dict[str, tuple[str, ...]] = {}
        plain = self.plain()
        for cell in set(cells):
            if plain and len(cell) <= size:  # ASCII that fits: its own one line
                first[cell], rest[cell] = fill(cell, size), ()
                continue
            pieces = _greedy(cell, size) if plain else None
            if pieces is not None:  # ASCII: a character a column
                padded = [fill(piece, size) for piece in pieces]
            else:
                padded = [_padded(piece, size, flush_right) for piece in _wrapped(cell, size)]
            first[cell] = padded[0]
            rest[cell] = tuple(padded[1:])
        return list(map(first.__getitem__, cells)), list(map(rest.__getitem__, cells))


def _widest(cells: list[str]) -> int:
    """The display width of the widest of `cells` (:func:`_width` of each)."""
    text = "\n".join(cells)
    if text.isascii() or _NOT_NARROW.search(text) is None:  # a character a column
        return max(map(len, text.split("\n") if "\n" in text else cells), default=0)
    return max(map(_width, cells), default=0)


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
        elif (
            _PLAIN_WORDS.fullmatch(line)
            and not _HYPHEN_BREAK.search(line)
            and (greedy := _greedy(line, size)) is not None
        ):
            lines.extend(greedy)
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


#: Text :func:`_greedy` wraps as textwrap would: printable ASCII words, one space apart...
_PLAIN_WORDS = re.compile(r"[!-~]+(?: [!-~]+)*")
#: ... with no hyphen where textwrap may break too: between two letters (``goof-ball``; for
#: textwrap a letter is a word character but a digit, so ``2024-01-31`` stays whole) or in a
#: dash of two or more (``--``).
_HYPHEN_BREAK = re.compile(r"-(?:-|(?<=[A-Za-z_]-)[A-Za-z_])")


def _greedy(line: str, size: int) -> list[str] | None:
    """:data:`_PLAIN_WORDS` in lines of at most `size`, each line as full as it can be: what
    :func:`textwrap.wrap` makes of them, cut at the last space that fits; None if a word is
    longer than `size` (textwrap cuts it)."""
    lines: list[str] = []
    start = 0
    while len(line) - start > size:
        cut = line.rfind(" ", start, start + size + 1)
        if cut < 0:
            return None
        lines.append(line[start:cut])
        start = cut + 1
    lines.append(line[start:])
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
    cells = [list(column) for column in zip(*rows, strict=True)][:len(headers)] if rows else [
        [] for _ in headers
    ]  # fmt: skip
    widest = [_widest(column) for column in cells]
    words = [_longest_word(column) for column in cells]
    header_words = [_longest_word([header]) for header in headers]
    natural = [min(max(_width(headers[i]), widest[i]), caps.get(i, 10**6)) for i in columns]
    narrowest = [
        max(widest[i], header_words[i])
        if i in right
        else min(natural[i], max(_NARROWEST, words[i]))
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
                widths[i] = min(natural[i], max(words[i], header_words[i]))
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


def _longest_word(cells: list[str]) -> int:
    """The width of the widest word of `cells` (1 if they have none)."""
    text = " ".join(cells)
    words = text.split()
    if not words:
        return 1
    if text.isascii() or _NOT_NARROW.search(text) is None:  # a word's width is its length
        return max(map(len, words))
    return max(map(_width, words))


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


#: A character outside the blocks where every character takes one column (:func:`_line_width`
#: counts it 1): ASCII and the Latin blocks to U+02FF (£, ¥, é, the no-break space), general
#: punctuation to U+2064 and the currency symbols to U+20C0 (€, ₹, ₩).
_NOT_NARROW = re.compile("[^\x00-\u02ff\u2000-\u2064\u20a0-\u20c0]")
#: Drops the ASCII characters of a text (``str.translate``).
_NOT_ASCII = dict.fromkeys(range(128))
#: The columns a character takes beyond one: 1 (East Asian wide), -1 (combining) or 0.
_EXTRA: dict[str, int] = {}
