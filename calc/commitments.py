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
============== =================================================================================

TOML holds ``[[commitment]]`` tables, JSON a list of objects (or ``{"commitments": [...]}``),
CSV a header row. TOML and JSON files may also carry rate overrides for currencies the ECB does
not quote: ``[rates]`` / ``"rates": {"TWD": "34.7", "USD/KES": "129.5"}``.

Every bad record is reported, each as ``file:line: field 'value' is wrong: fix``. The format
readers are :mod:`calc.readers`; the field checks :mod:`calc.fields`.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import overload

from . import fields
from .errors import CommitmentFileError, Problem
from .fields import CATEGORIES, FIELDS, Category, last_day, years_between
from .money import Money
from .readers import READERS

__all__ = ["CATEGORIES", "FIELDS", "Commitment", "CommitmentSet", "load_commitments", "load_text"]


@dataclass(frozen=True, slots=True)
class Commitment:
    """One pledge: who, where, what, how much (None: undisclosed), when, over how long.

    An amount as the press worded it keeps its wording: ``qualifier`` (``"up to"``, ``"+"``,
    see :data:`calc.press.QUALIFIERS`), ``high`` (the high end of a range, whose low end is
    ``amount``) and ``press_conversion`` (an equivalent the text gave in brackets).
    """

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
    qualifier: str | None = None
    high: Money | None = None
    press_conversion: Money | None = None
    package: str = ""

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


@dataclass(frozen=True)
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


def load_commitments(path: str | os.PathLike[str], *, sheet: str | None = None) -> CommitmentSet:
    """Read a commitments file; the format is chosen by the suffix (.toml, .csv, .json, .xlsx).

    A workbook is read from its first sheet, or the one ``sheet`` names
    (:func:`calc.workbook.load_workbook`).

    :raises CommitmentFileError: naming every bad record as ``file:line: field ...``
    """
    path = os.fspath(path)
    name = os.path.basename(path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".xlsx":
        from .workbook import load_workbook  # openpyxl loads only for a workbook

        return load_workbook(path, sheet=sheet)
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
    reader = READERS.get(fmt)
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


def _commitment(
    record: Mapping[str, object],
    name: str,
    line: int | None,
    index: int,
    problems: list[Problem],
) -> Commitment | None:
    """Record `index` (at `line` of file `name`) checked field by field; None if any is wrong.

    Every problem found is appended to `problems`.
    """
    found: list[Problem] = []
    where = "" if line is not None else f"commitment {index}: "  # no line known: say which one

    def bad(field_name: str, message: str) -> None:
        found.append(Problem(name, line, field_name, where + message))

    record = fields.keys(record, bad)
    company = fields.text(record, "company", bad, required=True)
    country = fields.country(fields.text(record, "country", bad, required=True), bad)
    category = fields.category(fields.text(record, "category", bad), bad)
    announced, month_only = fields.announced(record.get("announced"), bad)
    amount = fields.amount(record.get("amount"), record.get("currency"), bad)
    period_years = fields.years(record, "period_years", bad)
    training_years = fields.years(record, "training_years", bad)
    start = fields.date(record, "start", bad)
    end = fields.date(record, "end", bad)
    fields.period(start, end, period_years, bad)
    workers = fields.workers(record.get("workers"), bad)
    fields.period_end(announced, start, period_years, bad)
    package = fields.text(record, "package", bad)
    problems.extend(found)
    if found or announced is None:
        return None
    # As before: a description or source that is not text is read as '' (found is read above).
    return Commitment(
        company=company, country=country, announced=announced, category=category,
        description=fields.text(record, "description", bad), amount=amount,
        announced_month_only=month_only, period_years=period_years, start=start, end=end,
        workers=workers, training_years=training_years,
        source=fields.text(record, "source", bad), package=package,
        location=f"{name}:{line}" if line is not None else f"{name}, commitment {index}",
    )  # fmt: skip
