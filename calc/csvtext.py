"""CSV as spreadsheets write it: the delimiter, the lines, and what the csv module's complaints
mean, said once for every CSV spendcalc reads (commitments files and ledgers).

A file is read line by line from its text (CR, LF or CRLF ends, as ``newline=""`` reads them)
with ``strict=True``, so that a quote never closed is an error rather than a field that swallows
every later row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Set

__all__ = [
    "DELIMITERS",
    "NUL_IN_ROW",
    "OTHER_BREAKS",
    "csv_lines",
    "csv_problem",
    "delimiter_name",
    "named_in",
    "sniff",
    "too_many_fields",
]

#: The delimiters a CSV file may use, by the names they are given (``--delimiter tab``).
DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def delimiter_name(delimiter: str) -> str:
    """'comma', 'semicolon' or 'tab'."""
    return _NAMES.get(delimiter, repr(delimiter))


#: A line and its line end, as a file opened with ``newline=""`` gives them (CR, LF or CRLF).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
#: What str.splitlines breaks a line at, besides CR and LF.
OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def csv_lines(text: str) -> Iterator[str]:
    """The lines of `text` one at a time, with their line ends, as a file opened with
    ``newline=""`` gives them (no copy of the whole text, as io.StringIO would make): by
    str.splitlines where it breaks the same (the usual text; a character at a time, the
    quickest test), else one at a time."""
    if not any(mark in text for mark in OTHER_BREAKS):
        return iter(text.splitlines(keepends=True))
    return (match.group() for match in _LINE.finditer(text))


def sniff(header: str, known: Set[str]) -> str:
    """The delimiter that makes the line `header` name the most of the `known` fields (',' if
    none does); of equals, the one that occurs most outside quotes.

    >>> sniff('"company";"notes, more";"country"', {"company", "country"})
    ';'
    """
    outside = re.sub(r'"[^"]*"?', "", header)
    return max(
        (",", ";", "\t"),
        key=lambda d: (named_in(header, d, known), outside.count(d), d == ","),
    )


def named_in(header: str, delimiter: str, known: Set[str]) -> int:
    """How many of the `known` fields (lower case) the line `header` names, split at `delimiter`."""
    import csv

    cells = next(csv.reader([header], delimiter=delimiter), [])
    return sum(cell.strip().lower() in known for cell in cells)


#: A row holding a NUL character (no file or line; the caller adds them).
NUL_IN_ROW = "the row holds a NUL character; remove it"


def csv_problem(exc: Exception) -> str:
    """What the csv module's complaint about the row that starts on a line means, as a phrase
    to follow ``file:line:``.

    >>> import csv
    >>> try:
    ...     list(csv.reader(['a,"b'], strict=True))
    ... except csv.Error as exc:
    ...     print(csv_problem(exc))
    a quoted field (") that starts on this line or after it is never closed, so every later row would be read into it; close the quote
    """
    said = str(exc)
    if "unexpected end of data" in said:
        return (
            'a quoted field (") that starts on this line or after it is never closed, so every '
            "later row would be read into it; close the quote"
        )
    limit = re.search(r"field larger than field limit \((\d+)\)", said)
    if limit:
        return (
            f"a field that starts on this line or after it is longer than {limit.group(1)} "
            'characters: most likely a quoted field (") that is never closed; close the quote'
        )
    return f"is not valid CSV: {said}"


def too_many_fields(count: int, named: int, delimiter: str = ",") -> str:
    """A row longer than the header, as a phrase to follow ``file:line:``.

    >>> too_many_fields(4, 3)
    'the row has 4 fields; the header names 3: quote a field that holds a comma, or add a column to the header'
    """
    return (
        f"the row has {count} fields; the header names {named}: quote a field that holds a "
        f"{delimiter_name(delimiter)}, or add a column to the header"
    )
