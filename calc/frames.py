"""pandas DataFrames of a report and of a ledger: exact values, provenance columns.

pandas is an optional extra (``pip install pandas``, or ``'.[frames]'`` in a source tree),
imported only here. Amounts are :class:`decimal.Decimal` objects in ``object`` columns, never
floats: sum them with ``sum()`` or ``df["converted"].apply(...)``, or convert deliberately.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import CalcError

if TYPE_CHECKING:
    from rates import RateBook

    from .report import Report

__all__ = ["FRAMES", "normalise_frame", "report_frame"]

FRAMES = ("countries", "conversions", "years")


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise CalcError(
            "A DataFrame needs pandas; install it with: pip install pandas "
            "(or, in a spendcalc source tree, pip install '.[frames]')."
        ) from None
    return pandas


def report_frame(report: Report, kind: str = "countries") -> Any:
    """A table of the report as a DataFrame: ``countries`` (the main table's figures),
    ``conversions`` (one row per commitment, with its rate, fixing date and source) or
    ``years`` (the calendar-year profile, one row per row and year). Every row carries the
    report's ``rates``, ``policy`` and ``rounding``.

    :raises CalcError: for another kind, or if pandas is not installed
    """
    if kind not in FRAMES:
        raise CalcError(f"{kind!r} is not a table of the report; use one of {', '.join(FRAMES)}.")
    pandas = _pandas()
    from .provenance import policy_phrase, rates_phrase

    provenance = {
        "rates": rates_phrase(report), "policy": policy_phrase(report), "rounding": report.rounding
    }  # fmt: skip
    records = list(_records(report, kind))
    return pandas.DataFrame([{**r, **provenance} for r in records], dtype=object)


def _records(report: Report, kind: str) -> Iterator[dict[str, object]]:
    if kind == "conversions":
        from .serialise import conversion_values

        yield from conversion_values(report)
        return
    for row in report.rows:
        if kind == "years":
            for year, money in row.years:
                yield {report.by: row.key, "year": year, "amount": money.amount,
                       "currency": money.currency}  # fmt: skip
            continue
        yield {
            report.by: row.key, "currency": report.currency, "commitments": row.commitments,
            "disclosed": row.disclosed, "undisclosed": row.undisclosed,
            "total": None if row.total is None else row.total.amount,
            "share": row.share, "workers": row.workers,
            "commitment_per_worker_trained": _amount(row.per_worker_trained),
            "training_spend_per_worker": _amount(row.training_per_worker),
        }  # fmt: skip


def _amount(money: Any) -> Decimal | None:
    return None if money is None else money.amount


def normalise_frame(
    frame: Any,
    to: str,
    *,
    date: str = "date",
    currency: str = "currency",
    amount: str = "amount",
    book: RateBook | None = None,
) -> Any:
    """A copy of ``frame`` with the columns ``spendcalc ledger`` adds — ``converted``,
    ``to_currency``, ``rate``, ``fixing_date``, ``rate_source`` — each row converted at its
    own date's fixing by the batch path (:func:`calc.ledger.normalise_columns`).

    ``date`` holds dates (``datetime.date``, pandas Timestamps or ``YYYY-MM-DD`` text),
    ``currency`` ISO codes and ``amount`` Decimals, ints or numeric text; a float amount is
    refused, as everywhere in spendcalc.

    :raises CalcError: for a missing column, a float or a bad value (naming the row)
    :raises rates.RateError: for a row with no rate
    """
    _pandas()
    from .ledger import OUTPUT_COLUMNS, normalise_columns
    from .money import Money, validate_currency

    for column in (date, currency, amount):
        if column not in frame.columns:
            raise CalcError(
                f"The DataFrame has no {column!r} column; name the columns with date=, "
                f"currency= and amount= (it has {', '.join(map(str, frame.columns))})."
            )
    days = [_day(value, i) for i, value in enumerate(frame[date])]
    codes = [validate_currency(str(value).strip()) for value in frame[currency]]
    amounts = [Money(_decimal(value, i), "EUR").amount for i, value in enumerate(frame[amount])]
    done = normalise_columns(days, codes, amounts, validate_currency(to), book=book)
    out = frame.copy()
    columns: list[list[Any]] = [
        done.results,
        [to.upper()] * len(days),
        done.rates,
        done.fixing_dates,
        done.sources,
    ]
    for name, values in zip(OUTPUT_COLUMNS, columns, strict=True):
        out[name] = pandas_object(values)
    return out


def pandas_object(values: list[Any]) -> Any:
    """A column of Python objects (Decimals stay Decimals)."""
    return _pandas().Series(values, dtype=object).values


def _day(value: object, row: int) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    to_date = getattr(value, "date", None)  # a pandas Timestamp
    if callable(to_date):
        day = to_date()
        if isinstance(day, _dt.date):
            return day
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CalcError(f"Row {row}: date {value!r} is not a date; write YYYY-MM-DD.") from None


def _decimal(value: object, row: int) -> Decimal:
    if isinstance(value, float):
        raise CalcError(
            f"Row {row}: amount {value!r} is a float, which has already lost digits; "
            "give the column as Decimal objects or text (dtype=object)."
        )
    if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        return Decimal(value)
    try:
        return Decimal(str(value).strip())
    except ArithmeticError:
        raise CalcError(f"Row {row}: amount {value!r} is not a number.") from None
