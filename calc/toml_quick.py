"""A quick reader of the TOML most commitments files are: ``[[commitment]]`` (and ``[rates]``,
``[defaults]``) tables of ``key = value`` lines, each value a one-line string, an integer, a
decimal number, a date or a boolean.

:func:`loads` reads every character of such a file with one regular expression and gives the
values tomli gives (``tomli.loads(text, parse_float=Decimal)``: floats as the exact
:class:`~decimal.Decimal` of their text, dates as :class:`datetime.date`, the same escapes); the
moment anything is not of that shape (an array, an inline table, a dotted or quoted key, a
time, a multi-line string, a number with underscores, a key or table given twice, a character
TOML does not allow where it stands), it returns None and the caller hands the file to tomli,
which reads it or says what is wrong. Nothing is guessed: what it does not know, it does not
read.

>>> loads('[[commitment]]\\ncompany = "Acme"\\nannounced = 2024-02-15\\nperiod_years = 2.5\\n')
{'commitment': [{'company': 'Acme', 'announced': datetime.date(2024, 2, 15), 'period_years': Decimal('2.5')}]}
>>> loads('[[commitment]]\\nworkers = [1, 2]\\n') is None
True
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

__all__ = ["loads"]

#: A character a one-line string or comment may hold: not a control character but tab.
_TEXT = r"[^\x00-\x08\x0a-\x1f\x7f"
#: The control characters TOML allows nowhere in a file of this shape (a tab is text; a
#: carriage return only before a line feed).
_CONTROL = tuple(chr(c) for c in (*range(9), *range(11, 13), *range(14, 32), 127))
#: One line of any of the kinds this reader reads, each kind in its own groups.
_LINE = re.compile(
    r"""(?:
      [ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]               # 1 [[array of tables]]
    | [ \t]*\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]                   # 2 [table]
    | [ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:                   # 3 key =
          "([^"\\]*(?:\\(?:["\\bfnrte]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2})[^"\\]*)*)"
                                                               # 4 "basic string"
        | '([^']*)'                                            # 5 'literal string'
        | ([+-]?(?:0|[1-9][0-9]{0,17}))(?![.eE0-9])            # 6 integer
        | ([+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))  # 7 float
        | ([0-9]{4}-[0-9]{2}-[0-9]{2})                         # 8 date
        | (true|false)                                         # 9 boolean
      )
    | (?=[ \t]*(?:\#|$))                                       # blank (or a comment)
    )[ \t]*(?:\#.*)?""",
    re.VERBOSE | re.DOTALL,
)
#: A ``[[commitment]]`` header, as :func:`calc.readers.records_toml` counts them.
_HEADER = re.compile(r"[ \t]*\[\[[ \t]*commitments?[ \t]*\]\]")
#: A bare key.
_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|x([0-9A-Fa-f]{2})|(.))")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"',
            "\\": "\\"}  # fmt: skip


class _Other(Exception):
    """Not of the shape this reader reads: tomli reads the file."""


def loads(text: str, headers: list[int] | None = None) -> dict[str, object] | None:
    """`text` read as tomli reads it (floats as Decimal), or None if it is not of the common
    shape of a commitments file (the caller then reads it with tomli). The line of each
    ``[[commitment]]`` (or ``[[commitments]]``) header is appended to `headers`.

    Each line is read by a few string tests where it is as files write it (``key = "text"``,
    ``key = 12``, ``key = 2024-02-15``, ``[[commitment]]``), else by one regular expression
    (:data:`_LINE`) that must match all of it; control characters are looked for once, in the
    whole text.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    for control in _CONTROL:
        if control in text:
            return None
    root: dict[str, object] = {}
    table = root
    arrays: dict[str, list[dict[str, object]]] = {}  # each [[name]] adds a table to its list
    keys: set[str] = set()  # the keys seen to be bare keys
    days: dict[str, _dt.date] = {}  # one date object for the lines that name a day
    seen: dict[str, tuple[str, object]] = {}  # a line read before (a file repeats many)
    try:
        for number, line in enumerate(text.split("\n"), start=1):
            pair = seen.get(line)
            if pair is not None:
                key, found = pair
                if key in table:
                    return None  # a key given twice: tomli says so
                table[key] = found
                continue
            key, equals, value = line.partition(" = ")
            if equals and key in keys:
                if key in table:
                    return None
                if value[0] == '"' and value[-1] == '"' and len(value) > 1:
                    inner = value[1:-1]
                    if '"' not in inner and "\\" not in inner:
                        table[key] = inner
                        if len(seen) < _SEEN:
                            seen[line] = (key, inner)
                        continue
                elif (
                    value.isdigit() and value.isascii() and len(value) < 19
                    and (value[0] != "0" or value == "0")
                ):  # fmt: skip
                    table[key] = number = int(value)
                    if len(seen) < _SEEN:
                        seen[line] = (key, number)
                    continue
            elif line == "[[commitment]]" and "commitment" in arrays:
                table = {}
                arrays["commitment"].append(table)
                if headers is not None:
                    headers.append(number)
                continue
            elif not line:
                continue
            table = _line(line, root, table, arrays, keys, days, seen)
            if headers is not None and _HEADER.match(line):
                headers.append(number)
    except (_Other, ValueError):  # an escape or a date tomli refuses (and says why)
        return None
    return root


#: At most this many lines are remembered.
_SEEN = 65536


def _line(
    line: str,
    root: dict[str, object],
    table: dict[str, object],
    arrays: dict[str, list[dict[str, object]]],
    keys: set[str],
    days: dict[str, _dt.date],
    seen: dict[str, tuple[str, object]],
) -> dict[str, object]:
    """One line read with :data:`_LINE` into `table`; the table the next lines go into."""
    match = _LINE.fullmatch(line)
    if match is None:
        raise _Other
    array, name, key, basic, literal, integer, number, day, boolean = match.groups()
    if key:
        if key in table:
            raise _Other  # a key given twice: tomli says so
        if _KEY.fullmatch(key):
            keys.add(key)
        if basic:
            value: object = basic if "\\" not in basic else _unescape(basic)
        elif integer:
            value = int(integer)
        elif day:
            value = days.get(day)
            if value is None:
                value = days[day] = _dt.date(int(day[:4]), int(day[5:7]), int(day[8:]))
        elif number:
            value = Decimal(number)
        elif boolean:
            value = boolean == "true"
        else:  # a literal string (or an empty one, of either kind)
            value = literal or ""
        table[key] = value
        if len(seen) < _SEEN:
            seen[line] = (key, value)
        return table
    if array:
        if array not in arrays:
            if array in root:
                raise _Other  # a key or [table] of that name: tomli says so
            arrays[array] = []
            root[array] = arrays[array]
        table = {}
        arrays[array].append(table)
        return table
    if name:
        if name in root:
            raise _Other
        table = root[name] = {}
    return table


def _unescape(text: str) -> str:
    """A basic string's escapes, as tomli reads them."""
    return _ESCAPE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2) or match.group(3)
    if code is None:
        return _ESCAPES[match.group(4)]
    point = int(code, 16)
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
        raise _Other
    return chr(point)
