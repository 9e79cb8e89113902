"""Untrusted text made safe for the medium it is printed in: the one place that does it.

Text from files, caches and other programs may hold control characters (an escape sequence can
set a terminal's title, clear the screen or plant a hidden link) or bidi overrides (which reverse
what follows). :func:`for_terminal` shows each such character escaped instead, as ``\\x1b`` or
``\\u202e``, and leaves every other character as it is. :func:`for_markdown` does the same,
keeps a cell on one line and escapes Markdown's and HTML's markup; :func:`for_csv` keeps a
spreadsheet from reading a cell as a formula.

>>> for_terminal("Acme\\x1b]0;pwned\\x07 \\u202eevil")
'Acme\\\\x1b]0;pwned\\\\x07 \\\\u202eevil'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TextIO

__all__ = ["TerminalStream", "for_csv", "for_markdown", "for_markdown_rows", "for_terminal"]


# Each pattern is compiled when first needed: a character class with ranges this wide costs
# more to compile than a short command spends printing (start-up time).
@cache
def _unsafe() -> re.Pattern[str]:
    """C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates."""
    return re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069]")


def for_terminal(text: str) -> str:
    """`text` with every control and bidi character shown as an escape (``\\x1b``, ``\\u202e``)."""
    if text.isprintable():  # every character _unsafe() matches is a control or format one
        return text
    return _unsafe().sub(_escaped, text)


@cache
def _unsafe_in_lines() -> re.Pattern[str]:
    """What :func:`_unsafe` matches, but a line feed and a CR that ends a line (CR LF)."""
    return re.compile(
        "\r(?!\n)|[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
    )


class TerminalStream:
    """Standard output when it is a terminal: what is written there (a ledger's or a CSV
    report's cells, which are passed through as they are to a file or a pipe) has every
    control and bidi character shown escaped, as :func:`for_terminal` does, but its line ends.

    It has no ``buffer``: bytes cannot get past it.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        found = _unsafe_in_lines().search(text)
        self._stream.write(text if found is None else _unsafe_in_lines().sub(_escaped, text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, ...
        if name == "buffer":
            raise AttributeError(name)
        return getattr(self._stream, name)


@cache
def _markup() -> re.Pattern[str]:
    """Markdown's and HTML's markup: escaped with a backslash in a Markdown cell."""
    return re.compile(r"([\\|<>\[\]`*_])")


#: What a spreadsheet takes for the start of a formula (OWASP's list: = + - @, tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@cache
def _number() -> re.Pattern[str]:
    return re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def for_markdown(text: str) -> str:
    """`text` for one Markdown table cell: line breaks become spaces; the markup characters
    ``|``, backslash, ``<``, ``>``, ``[``, ``]``, backtick, ``*`` and ``_`` are escaped with a
    backslash; controls and bidi characters are shown escaped, as in the terminal.

    >>> print(for_markdown("<h2>x</h2> | [a]"))
    \\<h2\\>x\\</h2\\> \\| \\[a\\]
    """
    one_line = " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return for_terminal(_markup().sub(r"\\\1", one_line))


def for_markdown_rows(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """Each cell of `rows` as text through :func:`for_markdown`; at once for a table whose
    cells are printable text without markup (the usual table: nothing to escape, one test for
    all of its cells).

    >>> for_markdown_rows([["a|b", 1], ["c", "d"]])
    [['a\\\\|b', '1'], ['c', 'd']]
    """
    cells = [list(map(str, row)) for row in rows]
    joined = "".join(map("".join, cells))
    if joined.isprintable() and _markup().search(joined) is None:
        return cells  # no line break, control, bidi or markup character: for_markdown's own
    return [list(map(for_markdown, row)) for row in cells]


def for_csv(text: str) -> str:
    """`text` for a CSV cell a spreadsheet may open: a cell that would start a formula (``=``,
    ``+``, ``-``, ``@``, a tab or CR) gets a leading ``'``, unless it is a plain number.

    >>> for_csv("=HYPERLINK(1)"), for_csv("-12.5"), for_csv("ok")
    ("'=HYPERLINK(1)", '-12.5', 'ok')
    """
    if text.startswith(FORMULA_START) and not _number().fullmatch(text):
        return "'" + text
    return text


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
