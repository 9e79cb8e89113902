"""The format readers of commitments files: TOML, JSON and CSV, each keeping track of lines.

Each reader turns text into :class:`Records`: ``(line, record)`` pairs (``line`` None where the
format does not say), the file's rate overrides and its default locale, appending every problem
it finds to ``problems``; the records' fields are checked afterwards (:mod:`calc.fields`), one
record at a time as the rows are drawn (a CSV file is read as it is checked).

CSV: the delimiter (``,``, ``;`` or a tab) is the one that makes the header name the most
spendcalc fields, unless given (:mod:`calc.csvtext`); a quote never closed, a NUL or a row
longer than the header is a problem naming its line, never a row left out.

>>> problems = []
>>> read = records_csv("company;country\\nMicrosoft;JP\\n", "pledges.csv", problems)
>>> list(read.rows), read.delimiter, problems
([(2, {'company': 'Microsoft', 'country': 'JP'})], ';', [])
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from rates import InvalidRateError, Override

from .csvtext import (
    DELIMITERS,
    NUL_IN_ROW,
    csv_lines,
    csv_problem,
    delimiter_name,
    named_in,
    sniff,
    too_many_fields,
)
from .errors import Problem
from .fields import FIELDS, show
from .inputlocale import known_locale
from .records import record

if TYPE_CHECKING:
    import tomllib as toml
    from _csv import Reader
else:
    try:  # tomllib's own parser, compiled (about three times faster on a big file)
        import tomli as toml
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib reads the same
        import tomllib as toml

__all__ = ["READERS", "Records", "records_csv", "records_json", "records_toml"]

#: Integers longer than Python reads by default (sys.get_int_max_str_digits()) are read as Decimal.
_LONG_INT = 4000
_KNOWN = frozenset(FIELDS)
T = TypeVar("T")

Row = tuple[int | None, dict[str, object]]


@record
class Records:
    """What a reader found: the records as ``(line, record)`` (drawn once, in order), the file's
    rate overrides, its ``[defaults]`` locale, and the CSV delimiter it was read with. (A record,
    not a NamedTuple: typing compiles a NamedTuple's string annotations, start-up time.)"""

    rows: Iterable[Row]
    overrides: list[str]
    locale: str | None = None
    delimiter: str | None = None


def records_toml(text: str, name: str, problems: list[Problem]) -> Records:
    from .toml_quick import loads  # the common shape of the file, read quickly

    headers: list[int] = []
    try:
        data = loads(text, headers)
        if data is None:  # anything else: tomli reads it, or says what is wrong
            data, headers = toml.loads(text, parse_float=Decimal), _table_lines(text)
    except toml.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        problems.append(
            Problem(name, int(match.group(1)) if match else None, None, f"is not valid TOML: {exc}")
        )
        return Records([], [])
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits())
        problems.append(_long_number(text, name))
        return Records([], [])
    except RecursionError:
        problems.append(_too_deep(name))
        return Records([], [])
    if "commitment" in data and "commitments" in data:
        problems.append(
            Problem(name, None, None, "holds both [[commitment]] and [[commitments]]; use one")
        )
        return Records([], [])
    tables = data.get("commitment", data.get("commitments", []))
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(Problem(name, None, None, "holds no [[commitment]] tables"))
        return Records([], [])
    records = [(headers[i] if i < len(headers) else None, t) for i, t in enumerate(tables)]
    overrides = _overrides(data.get("rates"), name, problems)
    return Records(_drain(records), overrides, _defaults(data.get("defaults"), name, problems))


#: The rest of a ``[[commitment]]`` (or ``[[commitments]]``) header after its ``[[``.
_TOML_TABLE = re.compile(r"[ \t]*commitments?[ \t]*\]\]")


def _table_lines(text: str) -> list[int]:
    """The line of each ``[[commitment]]`` header: a line that starts with one, after spaces or
    tabs (found with str.find, in one pass over `text`, the lines counted as it goes)."""
    lines, line, at = [], 1, 0
    found = text.find("[[")
    while found >= 0:
        start = text.rfind("\n", 0, found) + 1
        if (start == found or not text[start:found].strip(" \t")) and _TOML_TABLE.match(
            text, found + 2
        ):
            line += text.count("\n", at, start)
            at = start
            lines.append(line)
        found = text.find("[[", found + 2)
    return lines


def _drain(items: list[T]) -> Iterator[T]:
    """The items in order, each let go of once drawn (a big file's records are freed as they
    are checked)."""
    items.reverse()
    while items:
        yield items.pop()


def records_json(text: str, name: str, problems: list[Problem]) -> Records:
    from .parallel import started

    # A big file's records' lines are found by a second process while this one decodes it
    # (calc.parallel; about a record for every 300 characters).
    lines = started(lambda: _json_element_lines(text), len(text) // 300)
    try:
        return _json_records(text, name, problems, lambda: lines.result(
            lambda: _json_element_lines(text)))  # fmt: skip
    finally:
        lines.close()  # (if they were never asked for: the file was not a list of records)


def _json_records(
    text: str, name: str, problems: list[Problem], element_lines: Callable[[], list[int]]
) -> Records:
    """:func:`records_json`, the lines of the records from `element_lines`."""
    import json  # the JSON reader loads only for a JSON file (start-up time of a report)

    try:
        data = json.loads(
            text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=_JsonObject.of
        )
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, exc.lineno, None, f"is not valid JSON: {exc.msg}"))
        return Records([], [])
    except RecursionError:
        problems.append(_too_deep(name))
        return Records([], [])
    overrides: object = None
    defaults: object = None
    if isinstance(data, _JsonObject):
        if data.twice:
            problems.append(Problem(name, None, None, _twice(data.twice)))
        overrides = data.get("rates")
        defaults = data.get("defaults")
        data = data.get("commitments")
    if not isinstance(data, list):
        problems.append(
            Problem(
                name, None, None, 'holds no list of commitments (a [...] or {"commitments": [...]})'
            )
        )
        return Records([], [])
    starts = element_lines()
    records: list[Row] = []
    for i, item in enumerate(data):
        line = starts[i] if i < len(starts) else None
        if not isinstance(item, _JsonObject):
            problems.append(
                Problem(name, line, None, f"record {i + 1} is {type(item).__name__}, not an object")
            )
            continue
        if item.twice:
            where = "" if line is not None else f"record {i + 1}: "
            problems.append(Problem(name, line, None, where + _twice(item.twice)))
            continue
        records.append((line, item))
    data.clear()
    overrides = _overrides(overrides, name, problems)
    return Records(_drain(records), overrides, _defaults(defaults, name, problems))


class _JsonObject(dict[str, object]):
    """A JSON object that remembers the keys it was given more than once (json keeps the last)."""

    twice: tuple[str, ...] = ()

    @classmethod
    def of(cls, pairs: list[tuple[str, object]]) -> _JsonObject:
        obj = cls(pairs)
        if len(obj) < len(pairs):
            keys = [key for key, _value in pairs]
            obj.twice = tuple(dict.fromkeys(k for k in keys if keys.count(k) > 1))
        return obj


def _twice(keys: Sequence[str]) -> str:
    shown = ", ".join(show(k) for k in keys)
    return f"names {shown} more than once; keep one of each (only the last would be read)"


def _json_int(digits: str) -> int | Decimal:
    """A JSON integer: an int, or a Decimal when it is too long for int() to read."""
    return int(digits) if len(digits) <= _LONG_INT else Decimal(digits)


def _long_number(text: str, name: str) -> Problem:
    match = re.search(f"[0-9_]{{{_LONG_INT},}}", text)
    line = text.count("\n", 0, match.start()) + 1 if match else None
    return Problem(name, line, None, "holds a number too long to read; check the figure")


def _too_deep(name: str) -> Problem:
    return Problem(name, None, None, "nests lists or tables too deeply to read; check the file")


def _json_element_lines(text: str) -> list[int]:
    """The line on which each element of the (first) top-level array starts."""
    import json  # the JSON reader loads only for a JSON file (start-up time of a report)

    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=_json_int)
    match = re.search(r'"commitments"\s*:\s*\[', text) or re.search(r"\[", text)
    if match is None:
        return []
    position, lines, line, counted = match.end(), list[int](), 1, 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return lines
        line += text.count("\n", counted, position)  # from where the last count stopped
        counted = position
        lines.append(line)
        try:
            _value, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            return lines


def records_csv(
    text: str,
    name: str,
    problems: list[Problem],
    *,
    delimiter: str | None = None,
    cli: bool = False,
) -> Records:
    """The rows of a CSV file, drawn as they are read; the header names the fields.

    `delimiter` (``','``, ``';'``, ``'\\t'`` or ``'tab'``) is sniffed from the header when None;
    given, and the header names no field with it but does with another, the file is refused in
    one problem saying which to use (``--delimiter`` with ``cli``).
    """
    import csv  # the CSV reader loads only for a CSV file (start-up time of a report)

    first = text.split("\n", 1)[0].rstrip("\r")
    sniffed = sniff(first, _KNOWN)
    used = sniffed if delimiter is None else DELIMITERS[delimiter]
    if used != sniffed and named_in(first, used, _KNOWN) == 0 < named_in(first, sniffed, _KNOWN):
        shown = "tab" if sniffed == "\t" else sniffed
        fix = f"--delimiter {shown!r}" if cli else f"delimiter={shown!r}"
        problems.append(
            Problem(name, 1, None,
                    f"the header names no spendcalc field when read with {used!r} as the "
                    f"delimiter, but does with {sniffed!r}: the file looks "
                    f"{delimiter_name(sniffed)}-separated; read it with {fix}")
        )  # fmt: skip
        return Records([], [], delimiter=used)
    reader = csv.reader(csv_lines(text), delimiter=used, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        problems.append(Problem(name, 1, None, csv_problem(exc)))
        return Records([], [], delimiter=used)
    if header is None:
        problems.append(Problem(name, None, None, "is empty; the first row names the fields"))
        return Records([], [], delimiter=used)
    header = [h.strip() for h in header]
    named = [h.lower() for h in header if h]
    if len(set(named)) < len(named):
        counts = Counter(named)
        twice = [h for h, count in counts.items() if count > 1]
        problems.append(Problem(name, reader.line_num, None, "the header " + _twice(twice)))
        return Records([], [], delimiter=used)
    rows = _csv_rows(reader, header, name, problems, nul="\0" in text, delimiter=used)
    return Records(rows, [], delimiter=used)


def _csv_rows(
    reader: Reader,
    header: list[str],
    name: str,
    problems: list[Problem],
    *,
    nul: bool,
    delimiter: str,
) -> Iterator[Row]:
    """The rows after the header, each with its first line; a bad row is a problem, not a row."""
    import csv

    unnamed = [i for i, h in enumerate(header) if not h]
    named = [(i, h) for i, h in enumerate(header) if h]
    start = reader.line_num + 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not "".join(row).strip():
                continue
            if len(row) > len(header):
                problems.append(
                    Problem(name, line, None, too_many_fields(len(row), len(header), delimiter))
                )
                continue
            if nul and "\0" in "".join(row):
                problems.append(Problem(name, line, None, NUL_IN_ROW))
                continue
            if not unnamed:
                yield line, dict(zip(header, row, strict=False))
                continue
            stray = [i + 1 for i in unnamed if i < len(row) and row[i].strip()]
            if stray:
                problems.append(
                    Problem(name, line, None,
                            f"has a value in column {stray[0]}, which the header does not name")
                )  # fmt: skip
                continue
            yield line, {h: row[i] for i, h in named if i < len(row)}
    except csv.Error as exc:
        problems.append(Problem(name, start, None, csv_problem(exc)))


def _defaults(value: object, name: str, problems: list[Problem]) -> str | None:
    """The file's default locale, from its ``[defaults]`` (TOML) or ``"defaults"`` (JSON)."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problems.append(
            Problem(
                name, None, None, 'defaults must be a table such as [defaults] locale = "de_DE"'
            )
        )
        return None
    others = [show(k) for k in value if k != "locale"]
    if others:
        problems.append(
            Problem(name, None, None,
                    f"[defaults] holds {', '.join(others)}, which spendcalc does not read; it may "
                    "hold locale only")
        )  # fmt: skip
    code = value.get("locale")
    if code is None:
        return None
    if not isinstance(code, str) or not known_locale(code.strip()):
        problems.append(
            Problem(name, None, None,
                    f"[defaults] locale {show(code)} is not a locale babel knows; use one such "
                    "as 'en_GB' or 'de_DE'")
        )  # fmt: skip
        return None
    return code.strip()


def _overrides(value: object, name: str, problems: list[Problem]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, Mapping):
        problems.append(
            Problem(name, None, "rates", 'rates must be a table such as {"TWD" = "34.7"}')
        )
        return []
    out = []
    for key, rate in value.items():
        text = f"{key}={rate}"
        try:
            Override.parse(text)
        except InvalidRateError as exc:
            problems.append(Problem(name, None, "rates", str(exc)))
            continue
        out.append(text)
    return out


#: The reader of each format (CSV takes ``delimiter`` and ``cli`` too).
READERS: dict[str, Callable[[str, str, list[Problem]], Records]] = {
    "toml": records_toml,
    "csv": records_csv,
    "json": records_json,
}
