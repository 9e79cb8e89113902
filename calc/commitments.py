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
package        a label that groups one company's commitments in one country into a package
               (default: those announced on the same day are one package)
locale         the locale the record's amount and dates are written in (``de_DE``: ``3,2 Mrd.
               €``, ``15.02.2024``); default the file's, then the caller's, then none
============== =================================================================================

TOML holds ``[[commitment]]`` tables, JSON a list of objects (or ``{"commitments": [...]}``),
CSV a header row (``,``, ``;`` or tab-separated: sniffed, or given). TOML and JSON files may
also carry rate overrides for currencies the ECB does not quote (``[rates]`` / ``"rates":
{"TWD": "34.7", "USD/KES": "129.5"}``) and a default locale (``[defaults] locale = "de_DE"`` /
``"defaults": {"locale": "de_DE"}``); see :mod:`calc.inputlocale` for the dates a locale reads.

Any other field or column is kept, as text, in :attr:`Commitment.extra`, and named in one
:class:`calc.errors.CalcWarning` (with a "did you mean" for a misspelt field).

Every bad record is reported, each as ``file:line: field 'value' is wrong: fix``. The format
readers are :mod:`calc.readers`; the field checks :mod:`calc.fields`.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, cast, overload

from rates.value import Value

from . import fields, records
from .csvtext import DELIMITERS
from .errors import CommitmentFileError, Problem, UnknownLocaleError
from .fields import CATEGORIES, FIELDS, Category, last_day, years_between
from .inputlocale import InputLocale, known_locale
from .money import Money
from .press import PressAmount
from .readers import READERS, records_csv

__all__ = ["CATEGORIES", "FIELDS", "Commitment", "CommitmentSet", "load_commitments", "load_text"]


class Commitment(Value):
    """One pledge: who, where, what, how much (None: undisclosed), when, over how long.

    An amount as the press worded it keeps its wording: ``qualifier`` (``"up to"``, ``"+"``,
    see :data:`calc.press.QUALIFIERS`), ``high`` (the high end of a range, whose low end is
    ``amount``) and ``press_conversion`` (an equivalent the text gave in brackets).

    Frozen and compared field by field, with the fields of :data:`COMMITMENT_FIELDS` in that
    order. A file holds many commitments, so each is kept small: the fields most records leave
    at their defaults share one slot (None while they do), and where a record was read (its
    ``location``) and its ``extra`` fields are one tuple, whose file and field names are shared.
    """

    __slots__ = ("company", "country", "announced", "category", "description", "amount",
                 "period_years", "workers", "source", "_origin", "_rare")  # fmt: skip

    company: str
    country: str
    announced: _dt.date
    category: Category
    description: str
    amount: Money | None
    period_years: Decimal | None
    workers: int | None
    source: str
    _origin: Any  # location, (location, extra) or (_Where, number, *extra values)
    _rare: tuple[Any, ...] | None  # announced_month_only to package; None: all defaults

    def __init__(
        self,
        company: str,
        country: str,
        announced: _dt.date,
        category: Category = "other",
        description: str = "",
        amount: Money | None = None,
        announced_month_only: bool = False,
        period_years: Decimal | None = None,
        start: _dt.date | None = None,
        end: _dt.date | None = None,
        workers: int | None = None,
        training_years: Decimal | None = None,
        source: str = "",
        location: str = "",
        qualifier: str | None = None,
        high: Money | None = None,
        press_conversion: Money | None = None,
        package: str = "",
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        rare = (announced_month_only, start, end, training_years, qualifier, high,
                press_conversion, package)  # fmt: skip
        origin: object = location if not extra else (location, tuple(extra))
        self._made(company, country, announced, category, description, amount, period_years,
                   workers, source, origin, None if rare == _RARE_DEFAULTS else rare)  # fmt: skip

    def _made(self, *values: object) -> None:
        setter = object.__setattr__
        for name, value in zip(self.__slots__, values, strict=True):
            setter(self, name, value)

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        return COMMITMENT_FIELDS

    def _replace(self, **changes: object) -> Commitment:
        values = dict(zip(COMMITMENT_FIELDS, self._values(), strict=True))
        values.update(changes)
        return Commitment(**values)  # type: ignore[arg-type]

    def __reduce__(self) -> tuple[object, ...]:
        return (Commitment, self._values())

    @property
    def location(self) -> str:
        """Where the record was read (``file:line``), or what the caller gave."""
        origin = self._origin
        if type(origin) is str:
            return origin
        where = origin[0]
        return where.prefix + str(origin[1]) if type(where) is _Where else where

    @property
    def extra(self) -> tuple[tuple[str, str], ...]:
        """The record's other fields (columns), as (name, text) in the file's order: kept,
        not used."""
        origin = self._origin
        if type(origin) is str:
            return ()
        where = origin[0]
        if type(where) is _Where:
            return tuple(zip(where.names, origin[2:], strict=True))
        return origin[1]  # type: ignore[no-any-return]

    def _rare_field(index: int) -> Any:  # type: ignore[misc]
        def read(self: Commitment) -> object:
            rare = self._rare
            return _RARE_DEFAULTS[index] if rare is None else rare[index]

        return property(read)

    announced_month_only: bool = _rare_field(0)
    start: _dt.date | None = _rare_field(1)
    end: _dt.date | None = _rare_field(2)
    training_years: Decimal | None = _rare_field(3)
    qualifier: str | None = _rare_field(4)
    high: Money | None = _rare_field(5)
    press_conversion: Money | None = _rare_field(6)
    package: str = _rare_field(7)
    del _rare_field

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
        """The spending period, first and last day both included: ``start``/``end``, or
        ``period_years`` from the start (or the announcement), ending the day before the
        anniversary (:func:`calc.fields.last_day`)."""
        if self.start is not None and self.end is not None:
            return self.start, self.end
        if self.period_years is not None:
            start = self.start or self.announced
            return start, last_day(start, self.period_years)
        return None

    @property
    def years(self) -> Decimal | None:
        """The spending period in years: as stated, or from ``start`` to ``end`` with both days
        counted (2026-01-01..2029-12-31 is 4; :func:`calc.fields.years_between`)."""
        if self.period_years is not None:
            return self.period_years
        if self.start is not None and self.end is not None:
            return years_between(self.start, self.end)
        return None


#: A commitment's fields, in order (its ``__init__``'s parameters).
COMMITMENT_FIELDS = (
    "company", "country", "announced", "category", "description", "amount",
    "announced_month_only", "period_years", "start", "end", "workers", "training_years",
    "source", "location", "qualifier", "high", "press_conversion", "package", "extra",
)  # fmt: skip
#: The defaults of the fields most records leave alone (announced_month_only to package).
_RARE_DEFAULTS = (False, None, None, None, None, None, None, "")


class _Where:
    """What the records of one file with the same extra field names share: the start of
    their locations (``file:``) and those names."""

    __slots__ = ("names", "prefix")

    def __init__(self, prefix: str, names: tuple[str, ...]) -> None:
        self.prefix = prefix
        self.names = names


@records.record
class CommitmentSet(Sequence[Commitment]):
    """The commitments of one file, and the rate overrides it carries."""

    commitments: tuple[Commitment, ...]
    overrides: tuple[str, ...] = ()
    path: str = ""

    def __len__(self) -> int:
        return len(self.commitments)

    @overload
    def __getitem__(self, index: int) -> Commitment: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Commitment, ...]: ...
    def __getitem__(self, index: int | slice) -> Commitment | tuple[Commitment, ...]:
        return self.commitments[index]

    def __iter__(self) -> Iterator[Commitment]:
        return iter(self.commitments)


def load_commitments(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    locale: str | None = None,
    delimiter: str | None = None,
    cli: bool = False,
) -> CommitmentSet:
    """Read a commitments file; the format is chosen by the suffix (.toml, .csv, .json, .xlsx).

    A workbook is read from its first sheet, or the one ``sheet`` names
    (:func:`calc.workbook.load_workbook`).

    `locale` reads the records that name none (and whose file sets no ``[defaults]`` locale) as
    that locale writes amounts and dates; `delimiter` (``','``, ``';'`` or ``'tab'``) is a CSV
    file's, sniffed from its header when None. With `cli`, messages name the command line's
    options (``--input-locale``, ``--delimiter``) rather than these arguments.

    :raises CommitmentFileError: naming every bad record as ``file:line: field ...``
    :raises UnknownLocaleError: if babel does not know `locale`
    """
    path = os.fspath(path)
    name = os.path.basename(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".xlsx":
        from .workbook import load_workbook  # openpyxl loads only for a workbook

        return load_workbook(path, sheet=sheet, locale=locale, cli=cli)
    if suffix not in (".toml", ".csv", ".json"):
        save_as = "save the workbook as .xlsx, or " if suffix in (".xls", ".xlsm", ".ods") else ""
        raise CommitmentFileError(
            path,
            [
                Problem(
                    name,
                    None,
                    None,
                    f"{suffix or 'no suffix'!r} is not a commitments "
                    f"format; {save_as}name the file .toml, .csv, .json or .xlsx",
                )
            ],
        )
    if sheet is not None:
        raise CommitmentFileError(
            path, [Problem(name, None, None, f"has no sheets: sheet {sheet!r} is for .xlsx files")]
        )
    return load_text(
        _read(path, name), suffix[1:], name=name, locale=locale, delimiter=delimiter, cli=cli
    )


def _read(path: str, name: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:
        raise CommitmentFileError(
            path, [Problem(name, None, None, f"cannot be read: {exc.strerror}")]
        ) from exc


def load_text(
    raw: bytes | str,
    fmt: str,
    *,
    name: str = "<text>",
    locale: str | None = None,
    delimiter: str | None = None,
    cli: bool = False,
) -> CommitmentSet:
    """Read commitments from bytes or text in ``fmt`` ('toml', 'csv' or 'json'); `locale`,
    `delimiter` and `cli` as for :func:`load_commitments`.

    >>> text = "company;country;amount;announced\\nAcme;DE;3,2 Mrd. €;15.02.2024\\n"
    >>> load_text(text, "csv", name="p.csv", locale="de_DE")[0].amount
    Money('3200000000', 'EUR')
    >>> load_text(text, "csv", name="p.csv")
    Traceback (most recent call last):
    ...
    calc.errors.CommitmentFileError: p.csv:2: announced '15.02.2024' is not a date; write YYYY-MM-DD or YYYY-MM (read with no locale; set the record's locale field or the locale argument) (and 1 more problem)

    :raises CommitmentFileError: naming every bad record
    :raises UnknownLocaleError: if babel does not know `locale`
    """
    option = "--input-locale" if cli else "the locale argument"
    if locale is not None and not known_locale(locale):
        raise UnknownLocaleError(
            locale,
            f"{locale!r} (from {option}) is not a locale babel knows; use one such as 'en_GB' "
            "or 'de_DE'.",
        )
    text = _text(raw, name)
    del raw  # a big file is held once, as text
    reader = READERS.get(fmt)
    if reader is None:
        raise CommitmentFileError(name, [Problem(name, None, None, f"unknown format {fmt!r}")])
    if delimiter is not None and (fmt != "csv" or delimiter not in DELIMITERS):
        given = f"--delimiter {delimiter!r}" if cli else f"delimiter={delimiter!r}"
        why = "is for CSV files" if fmt != "csv" else "is not one of ',', ';' and 'tab'"
        raise CommitmentFileError(name, [Problem(name, None, None, f"{given} {why}")])
    problems: list[Problem] = []
    if fmt == "csv":
        read = records_csv(text, name, problems, delimiter=delimiter, cli=cli)
    else:
        read = reader(text, name, problems)
    del text  # the reader keeps what it still needs (a CSV file's rows are read as checked)
    caller = InputLocale(locale, "caller", option=option, defaults=fmt != "csv")
    reading = RecordReader(
        name, caller if read.locale is None else InputLocale(read.locale, "file", option=option)
    )
    commitments = []
    for index, (line, record) in enumerate(read.rows, start=1):
        commitment = reading.commitment(record, line, index, problems)
        if commitment is not None:
            commitments.append(commitment)
    reading.warn(fmt)
    if not problems and not commitments:
        problems.append(Problem(name, None, None, "holds no commitments"))
    if problems:
        raise CommitmentFileError(name, problems)
    return CommitmentSet(tuple(commitments), tuple(read.overrides), name)


def _text(raw: bytes | str, name: str) -> str:
    """The file's text, without a byte-order mark."""
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CommitmentFileError(
            name,
            [Problem(name, None, None, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8")],
        ) from None


#: How many extra fields the warning names (the rest are counted).
_SHOWN_EXTRA = 12


class _Slow(Exception):
    """The quick reading of a record met something wrong or rare: the record is read again,
    field by field, by the checks that say what it is."""


def _refuse(_field: str, _message: str) -> None:
    """The quick reading's ``bad``: any problem sends the record to the field checks."""
    raise _Slow


#: The fields whose values :meth:`RecordReader._quick` reads once each.
_MEMO_FIELDS = ("country", "announced", "amount", "period_years", "training_years", "start",
                "end", "workers")  # fmt: skip
#: Values of these exact types are remembered: no two of them are equal across types (as 1,
#: True, 1.0 and Decimal(1) are, which read differently), and none can change.
_MEMO_TYPES = frozenset((str, int, _dt.date, _dt.datetime, type(None)))
#: At most this many values are remembered for a field (a file of distinct amounts holds them
#: in its commitments; the memo does not hold their texts too).
_MEMO_SIZE = 8192
_MISSING = object()
_CATEGORY_OF: dict[str, Category] = {c: c for c in CATEGORIES}


def _worded(worded: PressAmount | None) -> tuple[Money | None, tuple[object, ...] | None]:
    """An amount's money, and its wording's qualifier, high end and conversion's money (None
    when it has none of them)."""
    if worded is None:
        return None, None
    conversion = None if worded.conversion is None else worded.conversion.money
    if worded.qualifier is None and worded.high is None and conversion is None:
        return worded.money, None
    return worded.money, (worded.qualifier, worded.high, conversion)


def _rare(
    month_only: bool,
    start: _dt.date | None,
    end: _dt.date | None,
    training_years: Decimal | None,
    worded: tuple[object, ...] | None,
    package: str,
) -> tuple[object, ...] | None:
    """A commitment's rare fields as it keeps them: None while all are their defaults."""
    if (not month_only and start is None and end is None and training_years is None
            and worded is None and package == ""):  # fmt: skip
        return None
    rare = (month_only, start, end, training_years, *(worded or (None, None, None)), package)
    return None if rare == _RARE_DEFAULTS else rare


def _new(
    company: str, country: str, announced: _dt.date, category: Category, description: str,
    amount: Money | None, period_years: Decimal | None, workers: int | None, source: str,
    origin: object, rare: tuple[object, ...] | None,
) -> Commitment:  # fmt: skip
    """A commitment of its slots' values (each set by name: no loop, a file makes many)."""
    made = object.__new__(Commitment)
    setter = object.__setattr__
    setter(made, "company", company)
    setter(made, "country", country)
    setter(made, "announced", announced)
    setter(made, "category", category)
    setter(made, "description", description)
    setter(made, "amount", amount)
    setter(made, "period_years", period_years)
    setter(made, "workers", workers)
    setter(made, "source", source)
    setter(made, "_origin", origin)
    setter(made, "_rare", rare)
    return made


def _memo(memo: dict[object, Any], value: object, read: Callable[[Any], Any]) -> Any:
    """``read(value)``, remembered in `memo` for a value of one of :data:`_MEMO_TYPES`."""
    if type(value) not in _MEMO_TYPES:
        return read(value)
    found = memo.get(value, _MISSING)
    if found is _MISSING:
        found = read(value)
        if len(memo) < _MEMO_SIZE:
            memo[value] = found
    return found


def _quick_text(value: object, required: bool = False) -> str:
    """A text field as :func:`calc.fields.text` reads it, or :class:`_Slow` for anything it
    would call wrong."""
    if type(value) is str:
        text = value.strip()
        if text and (text.isascii() or not fields.has_surrogate(text)):
            return text
        if not text and not required:
            return ""
    elif value is None and not required:
        return ""
    raise _Slow


def _country(code: str) -> str:
    return fields.country(code, _refuse)


def _period_years(value: object) -> Decimal | None:
    return fields.years({"period_years": value}, "period_years", _refuse)


def _training_years(value: object) -> Decimal | None:
    return fields.years({"training_years": value}, "training_years", _refuse)


class RecordReader:
    """The records of one file being checked: its name, the locale they are read with (unless
    one names its own), the extra fields seen, and text shared between records."""

    def __init__(self, name: str, locale: InputLocale) -> None:
        self.name = name
        self.locale = locale
        self.locales: dict[str, InputLocale] = {}
        self.extra: dict[str, None] = {}
        self.shared: dict[str, str] = {}
        self.wheres: dict[tuple[str, tuple[str, ...]], _Where] = {}
        #: What the quick reading (:meth:`_quick`) found each value to be, by field: a file
        #: repeats its countries, dates, amounts and counts.
        self.memo: dict[str, dict[object, Any]] = {f: {} for f in _MEMO_FIELDS}
        self.plan_wheres: dict[tuple[str | None, tuple[str, ...]], _Where] = {}

        def announced(value: object) -> tuple[_dt.date | None, bool]:
            return fields.announced(value, _refuse, self.locale)

        def start(value: object) -> _dt.date | None:
            return fields.date({"start": value}, "start", _refuse, self.locale)

        def end(value: object) -> _dt.date | None:
            return fields.date({"end": value}, "end", _refuse, self.locale)

        def workers(value: object) -> int | None:
            return fields.workers(value, _refuse, self.locale)

        self._announced, self._start, self._end, self._workers = announced, start, end, workers

    def commitment(
        self,
        record: Mapping[str, object],
        line: int | None,
        index: int,
        problems: list[Problem],
        location: str | None = None,
        prefix: str | None = None,
    ) -> Commitment | None:
        """Record `index` (at `line`) checked field by field; None if any is wrong.

        Every problem found is appended to `problems`. `location` says where the record is
        (by default ``file:line``, or `prefix` and `line`).
        """
        try:
            return self._quick(record, line, index, location, prefix)
        except _Slow:
            pass  # something the quick reading leaves to the checks, which say what is wrong
        name = self.name
        found: list[Problem] = []
        where = "" if line is not None else f"commitment {index}: "  # no line known: say which

        def bad(field_name: str, message: str) -> None:
            found.append(Problem(name, line, field_name, where + message))

        record, others = fields.keys(record, bad)
        extra = fields.extra(others, bad) if others else ()
        self.extra.update(dict.fromkeys(n for n, _v in extra))
        locale = self._locale(fields.locale(record, bad))
        company = fields.text(record, "company", bad, required=True)
        country = fields.country(fields.text(record, "country", bad, required=True), bad)
        category = fields.category(fields.text(record, "category", bad), bad)
        description = fields.text(record, "description", bad)
        source = fields.text(record, "source", bad)
        announced, month_only = fields.announced(record.get("announced"), bad, locale)
        worded = fields.worded_amount(record.get("amount"), record.get("currency"), bad, locale)
        period_years = fields.years(record, "period_years", bad)
        training_years = fields.years(record, "training_years", bad)
        start = fields.date(record, "start", bad, locale)
        end = fields.date(record, "end", bad, locale)
        fields.period(start, end, period_years, bad)
        workers = fields.workers(record.get("workers"), bad, locale)
        fields.period_end(announced, start, period_years, bad)
        package = fields.text(record, "package", bad)
        problems.extend(found)
        if found or announced is None:
            return None
        money, worded_rare = _worded(worded)
        return self._made(
            line, index, location, prefix, extra, company, country, category, description,
            source, announced, month_only, money, worded_rare, period_years, training_years,
            start, end, workers, package,
        )  # fmt: skip

    def _made(
        self, line: int | None, index: int, location: str | None, prefix: str | None,
        extra: tuple[tuple[str, str], ...], company: str, country: str, category: Category,
        description: str, source: str, announced: _dt.date, month_only: bool,
        money: Money | None, worded_rare: tuple[object, ...] | None,
        period_years: Decimal | None, training_years: Decimal | None, start: _dt.date | None,
        end: _dt.date | None, workers: int | None, package: str,
    ) -> Commitment:  # fmt: skip
        """The commitment of fields found good, where it was read and its extra fields kept."""
        name = self.name
        shared = self.shared  # one string for a company (country, package) many records name
        origin: object
        if location:
            origin = location if not extra else (location, extra)
        else:  # where and the extra names shared by the file's records, the rest its own
            number: int | None = line
            if prefix is None:
                prefix, number = (f"{name}:", line) if line is not None else (
                    f"{name}, commitment ", index)  # fmt: skip
            names = tuple(n for n, _v in extra)
            key = (prefix, names)
            shared_where = self.wheres.get(key)
            if shared_where is None:
                shared_where = self.wheres[key] = _Where(prefix, names)
            origin = (shared_where, number, *(v for _n, v in extra))
        return _new(
            shared.setdefault(company, company), shared.setdefault(country, country), announced,
            category, description, money, period_years, workers, source, origin,
            _rare(month_only, start, end, training_years, worded_rare,
                  shared.setdefault(package, package)),
        )  # fmt: skip

    def _quick(
        self,
        record: Mapping[str, object],
        line: int | None,
        index: int,
        location: str | None,
        prefix: str | None,
    ) -> Commitment:
        """Record `index` read by the same checks as :meth:`commitment`, each value's once
        (:attr:`memo`); :class:`_Slow` at the first thing wrong or out of the common way (a
        record's own locale, a field named twice), for the field by field reading to report.
        """
        keys = tuple(record)
        plan = fields.plan_of(keys)
        if plan.twice or plan.unnamed:
            raise _Slow
        get = record.get if plan.same else {key: record[k] for k, key in plan.known}.get
        if get("locale") is not None:
            raise _Slow
        values: list[Any] = [record[k] for k, _shown in plan.others]  # each a str, once checked
        for value in values:
            if type(value) is not str or not (value.isascii() or not fields.has_surrogate(value)):
                extra = fields.extra([(shown, record[k]) for k, shown in plan.others], _refuse)
                values = [text for _name, text in extra]
                break
        memo = self.memo
        value = get("company")  # text: read here when plain (ASCII), else by _quick_text
        company = value.strip() if type(value) is str and value.isascii() else ""
        if not company:
            company = _quick_text(value, required=True)
        value = get("country")
        country = memo["country"].get(value) if type(value) is str else None
        if country is None:
            country = _memo(memo["country"], _quick_text(value, required=True), _country)
        value = get("category")
        category = _CATEGORY_OF.get(value) if type(value) is str else None
        if category is None:
            category = _CATEGORY_OF.get(_quick_text(value).lower() or "other")
            if category is None:
                raise _Slow
        value = get("description")
        description = value.strip() if type(value) is str and value.isascii() else None
        if description is None:
            description = _quick_text(value)
        value = get("source")
        source = value.strip() if type(value) is str and value.isascii() else None
        if source is None:
            source = _quick_text(value)
        value = get("announced")
        found = memo["announced"].get(value) if type(value) is str else None
        if found is None:
            found = _memo(memo["announced"], value, self._announced)
        announced, month_only = found
        amount, currency = get("amount"), get("currency")
        if type(amount) in _MEMO_TYPES and (currency is None or type(currency) is str):
            amounts = memo["amount"]
            key = (amount, currency)
            worded = amounts.get(key, _MISSING)
            if worded is _MISSING:
                worded = _worded(fields.worded_amount(amount, currency, _refuse, self.locale))
                if len(amounts) < _MEMO_SIZE:
                    amounts[key] = worded
        else:
            worded = _worded(fields.worded_amount(amount, currency, _refuse, self.locale))
        money, worded_rare = worded
        value = get("period_years")
        period_years = memo["period_years"].get(value) if type(value) is str else None
        if period_years is None and value is not None:
            period_years = _memo(memo["period_years"], value, _period_years)
        value = get("training_years")
        training_years = None
        if value is not None:
            training_years = _memo(memo["training_years"], value, _training_years)
        start = end = None
        value = get("start")
        if value is not None:
            start = _memo(memo["start"], value, self._start)
        value = get("end")
        if value is not None:
            end = _memo(memo["end"], value, self._end)
        if start is not None or end is not None:
            fields.period(start, end, period_years, _refuse)
        value = get("workers")
        workers = memo["workers"].get(value) if type(value) is str else None
        if workers is None and value is not None:
            workers = _memo(memo["workers"], value, self._workers)
        # A period in years ends by 9999 (fields.period_end); it is at most 200 years long.
        if period_years is not None and (start or announced).year >= 9999 - 201:
            fields.period_end(announced, start, period_years, _refuse)
        package = _quick_text(get("package"))
        if location or line is None:  # as the caller says, or by the record's number
            extra = tuple(zip([shown for _k, shown in plan.others], values, strict=True))
            return self._made(
                line, index, location, prefix, extra, company, country, category,
                description, source, announced, month_only, money, worded_rare, period_years,
                training_years, start, end, workers, package,
            )  # fmt: skip
        shared = self.shared
        rare = None
        if (month_only or start is not None or end is not None or training_years is not None
                or worded_rare is not None or package):  # fmt: skip
            rare = _rare(month_only, start, end, training_years, worded_rare,
                         shared.setdefault(package, package))  # fmt: skip
        return _new(
            shared.setdefault(company, company), country, announced, category, description,
            money, period_years, workers, source, (self._where(prefix, keys), line, *values),
            rare,
        )  # fmt: skip

    def _where(self, prefix: str | None, keys: tuple[str, ...]) -> _Where:
        """What the records with these `keys` at lines after `prefix` (default ``file:``)
        share: the start of their location and their extra fields' names (named once in
        :attr:`extra`)."""
        where = self.plan_wheres.get((prefix, keys))
        if where is None:
            names = tuple(shown for _k, shown in fields.plan_of(keys).others)
            self.extra.update(dict.fromkeys(names))
            start = f"{self.name}:" if prefix is None else prefix
            where = self.wheres.get((start, names))
            if where is None:
                where = self.wheres[start, names] = _Where(start, names)
            self.plan_wheres[prefix, keys] = where
        return where

    def _locale(self, code: str | None) -> InputLocale:
        if code is None:
            return self.locale
        if code not in self.locales:
            self.locales[code] = InputLocale(code, "record")
        return self.locales[code]

    def warn(self, fmt: str) -> None:
        """One warning naming the extra fields, each misspelling with the field it is close to."""
        if not self.extra:
            return
        import warnings

        from .errors import CalcWarning

        names = list(self.extra)
        shown = []
        for extra_name in names[:_SHOWN_EXTRA]:
            close = fields.close_field(extra_name)
            hint = f" (did you mean {close!r}?)" if close else ""
            plain = re.fullmatch(r"[\w .()/#&+-]+", extra_name) and extra_name == extra_name.strip()
            shown.append((extra_name if plain else repr(extra_name)) + hint)
        if len(names) > _SHOWN_EXTRA:
            shown.append(f"and {len(names) - _SHOWN_EXTRA} more")
        kind = "column" if fmt in ("csv", "xlsx") else "key"
        if len(names) == 1:
            said = f"{kind} {shown[0]} is not a spendcalc field; it is kept as extra and not used"
        else:
            said = (
                f"{kind}s {', '.join(shown)} are not spendcalc fields; they are kept as extra "
                "and not used"
            )
        warnings.warn(f"{self.name}: {said}", CalcWarning, stacklevel=3)


def combined(sets: Sequence[CommitmentSet]) -> CommitmentSet:
    """The commitments of several files as one set, in the order given, with every file's rate
    overrides (a later file's win, as later ones do in one file)."""
    if len(sets) == 1:
        return sets[0]
    return CommitmentSet(
        tuple(c for s in sets for c in s),
        tuple(o for s in sets for o in s.overrides),
        ", ".join(s.path for s in sets),
    )


def duplicates(commitments: Iterable[Commitment]) -> list[list[str]]:
    """The locations of commitments that are the same in every field, each group in order: a
    row pasted twice, or a file given twice.

    Records are first told apart by a few of their text fields (a quick key, with no amount to
    hash); only those that share one are compared in every field.
    """
    from operator import attrgetter

    names: tuple[str, ...] = cast(Any, Commitment)._fields()  # a record's fields, in order
    every = attrgetter(*(f for f in names if f != "location"))
    quick = attrgetter(*_QUICK_KEY)
    items = list(commitments)
    first: dict[tuple[object, ...], int] = {}
    again = []  # the records whose quick key an earlier one has
    for index, commitment in enumerate(items):
        if first.setdefault(quick(commitment), index) != index:
            again.append(index)
    if not again:
        return []
    candidates = sorted({first[quick(items[i])] for i in again}.union(again))
    seen: dict[tuple[object, ...], list[str]] = {}
    for index in candidates:
        seen.setdefault(every(items[index]), []).append(items[index].location)
    return [where for where in seen.values() if len(where) > 1]


#: The fields :func:`duplicates` tells records apart by first (slots: no property to run).
_QUICK_KEY = ("description", "source", "company", "country", "announced", "category")


def read_stdin(fmt: str | None, *, locale: str | None = None, delimiter: str | None = None,
               cli: bool = False) -> CommitmentSet:  # fmt: skip
    """Commitments from standard input, in ``fmt`` ('toml', 'csv' or 'json').

    :raises CommitmentFileError: if ``fmt`` is not given, naming the choices
    """
    import sys

    if fmt not in ("toml", "csv", "json"):
        raise CommitmentFileError(
            "<stdin>",
            [
                Problem(
                    "<stdin>",
                    None,
                    None,
                    "has no suffix to tell its format; give --input-format toml, csv or json",
                )
            ],
        )
    return load_text(sys.stdin.buffer.read(), fmt, name="<stdin>", locale=locale,
                     delimiter=delimiter, cli=cli)  # fmt: skip
