"""Commitments: one record per pledge, read from TOML, CSV or JSON with errors that say where.

Every format has the same fields (only ``company``, ``country`` and ``announced`` are required):

============== =================================================================================
company        who commits
country        ISO 3166-1 alpha-2 code (``JP``, ``GB``), any case
category       infrastructure | training | research | other (default other)
description    free text
amount         a number with ``currency``, or text such as ``"£2.5bn"``; empty = undisclosed
currency       ISO 4217 code; needed with a bare number, optional with text
announced      ``YYYY-MM-DD``, or ``YYYY-MM`` (shown as such; rated at the month's average)
period_years   years the money is spent over, from the announcement
start / end    the spending period as dates (instead of ``period_years``)
workers        people to be trained (``3000000``, ``"3,000,000"`` or ``"3 million"``)
training_years years the training runs over
source         where the figure was published
============== =================================================================================

TOML holds ``[[commitment]]`` tables, JSON a list of objects (or ``{"commitments": [...]}``),
CSV a header row. TOML and JSON files may also carry rate overrides for currencies the ECB does
not quote: ``[rates]`` / ``"rates": {"TWD": "34.7", "USD/KES": "129.5"}``.

Every bad record is reported, each as ``file:line: field 'value' is wrong: fix``.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .errors import CalcError, CommitmentFileError, Problem
from .money import Money, validate_currency

Category = Literal["infrastructure", "training", "research", "other"]
CATEGORIES: tuple[Category, ...] = ("infrastructure", "training", "research", "other")
FIELDS = (
    "company", "country", "category", "description", "amount", "currency", "announced",
    "period_years", "start", "end", "workers", "training_years", "source",
)  # fmt: skip
_UNDISCLOSED = {"", "undisclosed", "not disclosed", "n/a", "na", "none", "-", "—"}
_WORKER_SCALES = {"thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "billion": 9, "bn": 9}
_MAX_YEARS = Decimal(200)
#: No pledge comes near this many units of any currency; a larger figure is a typo.
_MAX_AMOUNT = Decimal(10) ** 21
#: Nor is any figure given to more decimal places than this (a typo, or a float gone wrong).
_MAX_DECIMALS = 20
#: A spending or training period shorter than this (about nine hours) is a typo.
_MIN_YEARS = Decimal("0.001")
#: Integers longer than Python reads by default (sys.get_int_max_str_digits()) are read as Decimal.
_LONG_INT = 4000


@dataclass(frozen=True, slots=True)
class Commitment:
    """One pledge: who, where, what, how much (None: undisclosed), when, over how long."""

    company: str
    country: str
    announced: _dt.date
    category: Category = "other"
    description: str = ""
    amount: Money | None = None
    announced_month_only: bool = False
    period_years: Decimal | None = None
    start: _dt.date | None = None
    end: _dt.date | None = None
    workers: int | None = None
    training_years: Decimal | None = None
    source: str = ""
    location: str = ""

    @property
    def disclosed(self) -> bool:
        """Whether the commitment states an amount."""
        return self.amount is not None

    @property
    def announced_text(self) -> str:
        """The announcement date as given: ``2024-04-09`` or ``2023-11``."""
        return (
            self.announced.strftime("%Y-%m")
            if self.announced_month_only
            else self.announced.isoformat()
        )

    @property
    def period(self) -> tuple[_dt.date, _dt.date] | None:
        """The spending period: ``start``/``end``, or the announcement plus ``period_years``."""
        if self.start is not None and self.end is not None:
            return self.start, self.end
        if self.period_years is not None:
            start = self.start or self.announced
            return start, _add_years(start, self.period_years)
        return None

    @property
    def years(self) -> Decimal | None:
        """The spending period in years: as stated, or the days between start and end / 365.25."""
        if self.period_years is not None:
            return self.period_years
        if self.start is not None and self.end is not None:
            return Decimal((self.end - self.start).days) / Decimal("365.25")
        return None


@dataclass(frozen=True)
class CommitmentSet(Sequence[Commitment]):
    """The commitments of one file, and the rate overrides it carries."""

    commitments: tuple[Commitment, ...]
    overrides: tuple[str, ...] = ()
    path: str = ""

    def __len__(self) -> int:
        return len(self.commitments)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        return self.commitments[index]

    def __iter__(self) -> Iterator[Commitment]:
        return iter(self.commitments)


def load_commitments(path: str | os.PathLike[str]) -> CommitmentSet:
    """Read a commitments file; the format is chosen by the suffix (.toml, .csv, .json).

    :raises CommitmentFileError: naming every bad record as ``file:line: field ...``
    """
    path = os.fspath(path)
    name = os.path.basename(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".toml", ".csv", ".json"):
        raise CommitmentFileError(
            path,
            [
                Problem(
                    name,
                    None,
                    None,
                    f"{suffix or 'no suffix'!r} is not a commitments "
                    "format; name the file .toml, .csv or .json",
                )
            ],
        )
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except OSError as exc:
        raise CommitmentFileError(
            path, [Problem(name, None, None, f"cannot be read: {exc.strerror}")]
        ) from exc
    return load_text(raw, suffix[1:], name=name)


def load_text(raw: bytes | str, fmt: str, *, name: str = "<text>") -> CommitmentSet:
    """Read commitments from bytes or text in ``fmt`` ('toml', 'csv' or 'json').

    :raises CommitmentFileError: naming every bad record
    """
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommitmentFileError(
                name,
                [
                    Problem(
                        name, None, None, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"
                    )
                ],
            ) from None
    else:
        text = raw.removeprefix("\ufeff")
    reader = {"toml": _records_toml, "csv": _records_csv, "json": _records_json}.get(fmt)
    if reader is None:
        raise CommitmentFileError(name, [Problem(name, None, None, f"unknown format {fmt!r}")])
    problems: list[Problem] = []
    records, overrides = reader(text, name, problems)
    commitments = []
    for index, (line, record) in enumerate(records, start=1):
        commitment = _commitment(record, name, line, index, problems)
        if commitment is not None:
            commitments.append(commitment)
    if not problems and not commitments:
        problems.append(Problem(name, None, None, "holds no commitments"))
    if problems:
        raise CommitmentFileError(name, problems)
    return CommitmentSet(tuple(commitments), tuple(overrides), name)


# -- formats: each gives (line, record) pairs and the file's rate overrides ----------------------

Records = tuple[list[tuple[int | None, dict[str, object]]], list[str]]


def _records_toml(text: str, name: str, problems: list[Problem]) -> Records:
    import tomllib

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


def _records_json(text: str, name: str, problems: list[Problem]) -> Records:
    import json

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
    if isinstance(data, dict):
        if data.twice:  # type: ignore[attr-defined]
            problems.append(Problem(name, None, None, _twice(data.twice)))  # type: ignore[attr-defined]
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
        if not isinstance(item, dict):
            problems.append(
                Problem(name, line, None, f"record {i + 1} is {type(item).__name__}, not an object")
            )
            continue
        if item.twice:  # type: ignore[attr-defined]
            where = "" if line is not None else f"record {i + 1}: "
            problems.append(Problem(name, line, None, where + _twice(item.twice)))  # type: ignore[attr-defined]
            continue
        records.append((line, item))
    return records, _overrides(overrides, name, problems)


class _JsonObject(dict):  # type: ignore[type-arg]
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
    shown = ", ".join(_show(k) for k in keys)
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
    import json

    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=_json_int)
    match = re.search(r'"commitments"\s*:\s*\[', text) or re.search(r"\[", text)
    if match is None:
        return []
    position, lines = match.end(), []
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


def _records_csv(text: str, name: str, problems: list[Problem]) -> Records:
    import csv
    import io

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
    from rates import InvalidRateError, Override

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


# -- one record ---------------------------------------------------------------------------------


def _commitment(
    record: Mapping[str, object],
    name: str,
    line: int | None,
    index: int,
    problems: list[Problem],
) -> Commitment | None:
    found: list[Problem] = []
    where = "" if line is not None else f"commitment {index}: "  # no line known: say which one

    def bad(field_name: str, message: str) -> None:
        found.append(Problem(name, line, field_name, where + message))

    given: dict[str, list[object]] = {}
    for k in record:
        given.setdefault(str(k).strip().lower(), []).append(k)
    for key, spellings in given.items():
        if len(spellings) > 1:
            bad(
                key,
                f"field {key!r} is given {len(spellings)} times ({', '.join(map(_show, spellings))}); keep one",
            )
    record = {str(k).strip().lower(): v for k, v in record.items()}
    for key in record:
        if key not in FIELDS:
            import difflib

            close = difflib.get_close_matches(key, FIELDS, n=1)
            hint = (
                f"; did you mean {close[0]!r}?"
                if close
                else f"; the fields are {', '.join(FIELDS)}"
            )
            bad(key, f"unknown field {_show(key)}{hint}")

    def text_of(key: str, required: bool = False) -> str:
        value = record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                bad(key, f"{key} is missing; every commitment needs one")
            return ""
        if not isinstance(value, str):
            bad(key, f"{key} {_show(value)} must be text")
            return ""
        if _SURROGATE.search(value):
            bad(key, f"{key} {_show(value)} is not valid text (a lone surrogate); fix its escapes")
            return ""
        return value.strip()

    company = text_of("company", required=True)
    country = _country(text_of("country", required=True), bad)
    category = text_of("category").lower() or "other"
    if category not in CATEGORIES:
        bad("category", f"category {_show(category)} is not one of {', '.join(CATEGORIES)}")
    announced, month_only = _announced(record.get("announced"), bad)
    amount = _amount(record.get("amount"), record.get("currency"), bad)
    period_years = _positive_decimal(record, "period_years", bad)
    training_years = _positive_decimal(record, "training_years", bad)
    start = _date(record, "start", bad)
    end = _date(record, "end", bad)
    if (start is None) != (end is None) and period_years is None:
        bad(
            "end" if end is None else "start",
            "give both start and end, or period_years, for the spending period",
        )
    if start and end and end < start:
        bad("end", f"end {end} is before start {start}")
    workers = _workers(record.get("workers"), bad)
    if announced is not None and period_years is not None:
        try:
            _add_years(start or announced, period_years)
        except (ValueError, OverflowError):
            bad("period_years", f"period_years {period_years} runs past the year 9999")
    problems.extend(found)
    if found:
        return None
    assert announced is not None
    return Commitment(
        company=company, country=country, announced=announced, category=category,  # type: ignore[arg-type]
        description=text_of("description"), amount=amount, announced_month_only=month_only,
        period_years=period_years, start=start, end=end, workers=workers,
        training_years=training_years, source=text_of("source"),
        location=f"{name}:{line}" if line is not None else f"{name}, commitment {index}",
    )  # fmt: skip


_SURROGATE = re.compile("[\ud800-\udfff]")


def _show(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut short if long, so that a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text)} characters)"


def _country(code: str, bad) -> str:  # type: ignore[no-untyped-def]
    if not code:
        return ""
    upper = code.upper()
    if upper == "UK":
        bad("country", "country 'UK' is not an ISO 3166-1 alpha-2 code; the United Kingdom is 'GB'")
        return ""
    if len(upper) != 2 or not upper.isalpha() or upper not in _territories():
        bad(
            "country",
            f"country {_show(code)} is not an ISO 3166-1 alpha-2 code (such as JP, GB, US)",
        )
        return ""
    return upper


def _territories() -> frozenset[str]:
    global _TERRITORIES
    if _TERRITORIES is None:
        from babel import Locale

        _TERRITORIES = frozenset(c for c in Locale("en").territories if len(c) == 2 and c.isalpha())
    return _TERRITORIES


_TERRITORIES: frozenset[str] | None = None


def _announced(value: object, bad) -> tuple[_dt.date | None, bool]:  # type: ignore[no-untyped-def]
    if value is None or value == "":
        bad("announced", "announced is missing; give the date as YYYY-MM-DD or YYYY-MM")
        return None, False
    if isinstance(value, _dt.datetime):
        return value.date(), False
    if isinstance(value, _dt.date):
        return value, False
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}", text):
        try:
            return _dt.date(int(text[:4]), int(text[5:]), 1), True
        except ValueError:
            pass
    elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _dt.date.fromisoformat(text), False
        except ValueError:
            pass
    bad("announced", f"announced {_show(value)} is not a date; write YYYY-MM-DD or YYYY-MM")
    return None, False


def _date(record: Mapping[str, object], key: str, bad) -> _dt.date | None:  # type: ignore[no-untyped-def]
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value).strip()):
            raise ValueError
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        bad(key, f"{key} {_show(value)} is not a date; write YYYY-MM-DD")
        return None


_PLAIN_NUMBER = re.compile(r"\s*(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9][0-9_]*)(?:\.[0-9]+)?\s*")


def _number(value: object) -> Decimal | None:
    """A finite Decimal from an int, a Decimal or plain text; None if it is not one."""
    if isinstance(value, (bool, float)):
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        # Commas only as thousands separators: "2,500,000"; "2,5" is not read as 25.
        number = Decimal(value.replace(",", "").replace("_", "").strip())
    else:
        return None
    return number if number.is_finite() else None


def _positive_decimal(record: Mapping[str, object], key: str, bad) -> Decimal | None:  # type: ignore[no-untyped-def]
    value = record.get(key)
    if value is None or value == "":
        return None
    number = _number(value)
    if number is None or number <= 0 or number > _MAX_YEARS:
        bad(key, f"{key} {_show(value)} must be a positive number of years (at most {_MAX_YEARS})")
        return None
    if number < _MIN_YEARS:
        bad(key, f"{key} {_show(value)} is under {_MIN_YEARS} years (about nine hours); check it")
        return None
    return number


def _workers(value: object, bad) -> int | None:  # type: ignore[no-untyped-def]
    if value is None or value == "":
        return None
    number = _number(value)
    if number is None and isinstance(value, str):
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*", value.lower())
        if match and match.group(2) in _WORKER_SCALES:
            number = Decimal(match.group(1)).scaleb(_WORKER_SCALES[match.group(2)])
    if number is None or number <= 0 or number != number.to_integral_value() or number > 10**11:
        bad(
            "workers",
            f"workers {_show(value)} must be a whole number of people, such as 3000000 or '3 million'",
        )
        return None
    return int(number)


def _amount(value: object, currency: object, bad) -> Money | None:  # type: ignore[no-untyped-def]
    if value is None or (isinstance(value, str) and value.strip().lower() in _UNDISCLOSED):
        return None
    code = None
    if currency is not None and not (isinstance(currency, str) and not currency.strip()):
        try:
            code = validate_currency(currency if isinstance(currency, str) else repr(currency))
        except CalcError as exc:
            bad(
                "currency",
                f"currency {currency!r}: {exc}"
                if len(repr(currency)) <= 40
                else f"currency {_show(currency)} is not an ISO 4217 currency code",
            )
            return None
    number = _number(value)
    if number is not None and number >= _MAX_AMOUNT:
        bad(
            "amount", f"amount {_show(value)} is too large (at most 10**21 units); check the figure"
        )
        return None
    if number is not None:
        if code is None:
            bad(
                "currency",
                f"amount {_show(value)} has no currency; add a currency field or write it as '$2.9bn'",
            )
            return None
        if number <= 0:
            bad(
                "amount",
                f"amount {_show(value)} must be positive; leave it empty if it is not disclosed",
            )
            return None
        if _decimals(number) > _MAX_DECIMALS:
            bad("amount", _too_precise(value))
            return None
        return Money(number, code)
    if not isinstance(value, str):
        bad(
            "amount",
            f"amount {_show(value)} is not an amount; write a number with a currency, or text such as '$2.9bn'",
        )
        return None
    from .amounts import parse_amount

    try:
        money = parse_amount(value)
    except CalcError as exc:
        money = None
        if code is not None:  # "2.5bn" with currency = "GBP": the currency is in its own field
            try:
                money = parse_amount(f"{value} {code}")
            except CalcError:
                money = None
        if money is None:
            reason = getattr(exc, "reason", "").rstrip(".")
            ambiguous = bool(getattr(exc, "ambiguous", ()))  # a symbol several share: say which
            bad(
                "amount",
                f"amount {_show(value)} is not an amount: {reason}"
                if ambiguous
                else f"amount {_show(value)} is not an amount; write a number with a currency, "
                "or text such as '$2.9bn'",
            )
            return None
    if money.amount >= _MAX_AMOUNT:
        bad(
            "amount", f"amount {_show(value)} is too large (at most 10**21 units); check the figure"
        )
        return None
    if _decimals(money.amount) > _MAX_DECIMALS:
        bad("amount", _too_precise(value))
        return None
    if code is not None and money.currency != code:
        bad("currency", f"amount {_show(value)} is in {money.currency} but currency says {code}")
        return None
    return money


def _decimals(number: Decimal) -> int:
    """Decimal places of ``number`` once trailing zeros are dropped (2.50 has 1)."""
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(-exponent - trailing_zeros, 0)


def _too_precise(value: object) -> str:
    return f"amount {_show(value)} has more than {_MAX_DECIMALS} decimal places; check the figure"


def _add_years(day: _dt.date, years: Decimal) -> _dt.date:
    whole = int(years)
    try:
        moved = day.replace(year=day.year + whole)
    except ValueError:  # 29 February
        moved = day.replace(year=day.year + whole, day=28)
    fraction = years - whole
    return moved + _dt.timedelta(days=int(fraction * Decimal("365.25")))


__all__ = ["CATEGORIES", "Commitment", "CommitmentSet", "load_commitments", "load_text"]
