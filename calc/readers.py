"""The format readers of commitments files: TOML, JSON and CSV, each keeping track of lines.

Each reader turns text into ``(line, record)`` pairs (``line`` None where the format does not
say) and the file's rate overrides, appending every problem it finds to ``problems``; the
records' fields are checked afterwards (:mod:`calc.fields`).

>>> problems = []
>>> records_csv("company,country\\nMicrosoft,JP\\n", "pledges.csv", problems)
([(2, {'company': 'Microsoft', 'country': 'JP'})], [])
"""

from __future__ import annotations

import io
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from rates import InvalidRateError, Override

from .errors import Problem
from .fields import show

__all__ = ["READERS", "Records", "records_csv", "records_json", "records_toml"]

#: Integers longer than Python reads by default (sys.get_int_max_str_digits()) are read as Decimal.
_LONG_INT = 4000

Records = tuple[list[tuple[int | None, dict[str, object]]], list[str]]


def records_toml(text: str, name: str, problems: list[Problem]) -> Records:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        problems.append(
            Problem(name, int(match.group(1)) if match else None, None, f"is not valid TOML: {exc}")
        )
        return [], []
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits())
        problems.append(_long_number(text, name))
        return [], []
    except RecursionError:
        problems.append(_too_deep(name))
        return [], []
    if "commitment" in data and "commitments" in data:
        problems.append(
            Problem(name, None, None, "holds both [[commitment]] and [[commitments]]; use one")
        )
        return [], []
    tables = data.get("commitment", data.get("commitments", []))
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(Problem(name, None, None, "holds no [[commitment]] tables"))
        return [], []
    lines = [i for i, line in enumerate(text.splitlines(), start=1)
             if re.match(r"\s*\[\[\s*commitments?\s*\]\]", line)]  # fmt: skip
    records = [(lines[i] if i < len(lines) else None, t) for i, t in enumerate(tables)]
    return records, _overrides(data.get("rates"), name, problems)


def records_json(text: str, name: str, problems: list[Problem]) -> Records:
    import json  # the JSON reader loads only for a JSON file (start-up time of a report)

    try:
        data = json.loads(
            text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=_JsonObject.of
        )
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, exc.lineno, None, f"is not valid JSON: {exc.msg}"))
        return [], []
    except RecursionError:
        problems.append(_too_deep(name))
        return [], []
    overrides: object = None
    if isinstance(data, _JsonObject):
        if data.twice:
            problems.append(Problem(name, None, None, _twice(data.twice)))
        overrides = data.get("rates")
        data = data.get("commitments")
    if not isinstance(data, list):
        problems.append(
            Problem(
                name, None, None, 'holds no list of commitments (a [...] or {"commitments": [...]})'
            )
        )
        return [], []
    starts = _json_element_lines(text)
    records: list[tuple[int | None, dict[str, object]]] = []
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
    return records, _overrides(overrides, name, problems)


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
    position, lines = match.end(), list[int]()
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return lines
        lines.append(text.count("\n", 0, position) + 1)
        try:
            _value, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            return lines


def records_csv(text: str, name: str, problems: list[Problem]) -> Records:
    import csv  # the CSV reader loads only for a CSV file (start-up time of a report)

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            problems.append(Problem(name, None, None, "is empty; the first row names the fields"))
            return [], []
        header = [h.strip().lower() for h in header]
        named = [h for h in header if h]
        if len(set(named)) < len(named):
            twice = [h for h in dict.fromkeys(named) if named.count(h) > 1]
            problems.append(Problem(name, reader.line_num, None, "the header " + _twice(twice)))
            return [], []
        records: list[tuple[int | None, dict[str, object]]] = []
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problems.append(
                    Problem(
                        name,
                        line,
                        None,
                        f"has {len(row)} fields but the header names {len(header)}",
                    )
                )
                continue
            unnamed = [
                i
                for i, (k, v) in enumerate(zip(header, row, strict=False), 1)
                if not k and v.strip()
            ]
            if unnamed:
                problems.append(
                    Problem(
                        name,
                        line,
                        None,
                        f"has a value in column {unnamed[0]}, which the header does not name",
                    )
                )
                continue
            records.append((line, {k: v for k, v in zip(header, row, strict=False) if k}))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, f"is not valid CSV: {exc}"))
        return [], []
    return records, []


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


#: The reader of each format.
READERS: dict[str, Callable[[str, str, list[Problem]], Records]] = {
    "toml": records_toml,
    "csv": records_csv,
    "json": records_json,
}
