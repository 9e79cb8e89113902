"""Errors raised by :mod:`calc`.

Every error the package raises derives from :class:`CalcError`; each also mixes in the
builtin it refines, so ``except ValueError`` keeps working for callers who do not know
spendcalc::

    CalcError
      UnknownCurrencyError(CalcError, rates.errors.UnknownCurrencyError)
                                                     a code that is not ISO 4217 (a ValueError;
                                                     the one "not a currency" error of both packages)
      AmountParseError(CalcError, ValueError)        text that is not an amount ("two billion")
      CurrencyMismatchError(CalcError, TypeError)    GBP + USD without a conversion
      CommitmentFileError(CalcError, ValueError)     a bad commitments file; carries path and problems
      ReportError(CalcError, ValueError)             a report that cannot be built as asked
      UnknownLocaleError(CalcError, ValueError)      a locale babel does not know ("xx_YY")

    CalcWarning(UserWarning)                         read, but something in it is not used (a
                                                     commitments file's extra columns)

Errors of the rate book (:class:`rates.RateError`) pass through :mod:`calc` unchanged.
Messages are one sentence that names the bad value and, where there is one, the fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self, TypeVar

import rates.errors
from rates.value import Value

E = TypeVar("E", bound=BaseException)


class CalcError(Exception):
    """Base of every error raised by :mod:`calc`.

    :ivar where: the file (or record) the error is about, if known
    :ivar line: the line of ``where``, if known
    :ivar row: the index of the row of a batch the error is about, if known
    """

    where: str | None = None
    line: int | None = None
    row: int | None = None

    def at(
        self, *, where: str | None = None, line: int | None = None, row: int | None = None
    ) -> Self:
        """This error with its context set by :func:`add_context`.

        >>> error = CalcError("no amount").at(where="pledges.toml", line=4)
        >>> str(error), error.where, error.line
        ('pledges.toml:4: no amount', 'pledges.toml', 4)
        """
        return add_context(self, where=where, line=line, row=row)


def add_context(
    exc: E, *, where: str | None = None, line: int | None = None, row: int | None = None
) -> E:
    """Record where `exc` happened on `exc` itself, as attributes; return `exc`.

    ``where`` (and ``line``) also lead the message, as ``where:line: ...``; ``row`` (an index into
    a batch's rows) is only kept. Works for any exception, :class:`rates.RateError` included.

    >>> str(add_context(ValueError("bad amount"), where="pledges.csv", line=3))
    'pledges.csv:3: bad amount'
    """
    found: dict[str, object] = {"row": row} if row is not None else {}
    if where is not None:
        found.update(where=where, line=line)
        lead = where if line is None else f"{where}:{line}"
        exc.args = (f"{lead}: {exc}",)
    vars(exc).update(found)
    return exc


class UnknownCurrencyError(CalcError, rates.errors.UnknownCurrencyError):
    """A currency code that is not a known ISO 4217 code: one error for "not a currency",
    whichever package says it (``except rates.errors.UnknownCurrencyError`` catches both)."""

    def __init__(self, code: object, message: str | None = None) -> None:
        super().__init__(code, message or f"{code!r} is not an ISO 4217 currency code.")


class AmountParseError(CalcError, ValueError):
    """Text that cannot be read as a positive amount of money."""

    def __init__(self, text: object, reason: str, *, ambiguous: tuple[str, ...] = ()) -> None:
        self.text = text
        self.reason = reason
        #: The currencies a symbol in `text` could mean ('kr': SEK, NOK, DKK, ISK), if that is why.
        self.ambiguous = ambiguous
        super().__init__(f"{text!r} is not an amount: {reason}")


class CurrencyMismatchError(CalcError, TypeError):
    """Arithmetic or comparison between amounts in different currencies."""


class Problem(Value):
    """One problem in a commitments file: where it is and what is wrong.

    In a text file ``line`` is a line; in a workbook (``sheet`` given) it is the sheet's row,
    and ``column`` its letter:

    >>> str(Problem("pledges.csv", 3, "amount", "amount 'x' is not an amount"))
    "pledges.csv:3: amount 'x' is not an amount"
    >>> str(Problem("pledges.xlsx", 3, "amount", "...", sheet="Pledges", column="C"))
    "pledges.xlsx, sheet 'Pledges', row 3, column C (amount): ..."
    """

    __slots__ = ("path", "line", "field", "message", "sheet", "column")
    path: str
    line: int | None
    field: str | None
    message: str
    sheet: str | None
    column: str | None

    def __init__(
        self,
        path: str,
        line: int | None,
        field: str | None,
        message: str,
        *,
        sheet: str | None = None,
        column: str | None = None,
    ) -> None:
        self._set(path=path, line=line, field=field, message=message, sheet=sheet, column=column)

    def __str__(self) -> str:
        if self.sheet is None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            return f"{where}: {self.message}"
        parts = [self.path, f"sheet {self.sheet!r}"]
        if self.line is not None:
            parts.append(f"row {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}" + (f" ({self.field})" if self.field else ""))
        return f"{', '.join(parts)}: {self.message}"


class CommitmentFileError(CalcError, ValueError):
    """A commitments file that cannot be read; lists every problem found, not just the first."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        first = str(self.problems[0]) if self.problems else f"{path}: cannot be read"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more != 1 else ''})" if more > 0 else ""
        super().__init__(first + suffix)

    def details(self) -> str:
        """All problems, one per line."""
        return "\n".join(str(p) for p in self.problems)


class ReportError(CalcError, ValueError):
    """A report that cannot be built as asked (e.g. an unknown rate policy)."""


class UnknownLocaleError(CalcError, ValueError):
    """A locale identifier babel does not know, for parsing or formatting."""

    def __init__(self, locale: object, message: str | None = None) -> None:
        self.locale = locale
        default = f"{locale!r} is not a locale babel knows; use one such as 'en_GB' or 'de_DE'."
        super().__init__(message or default)


class CalcWarning(UserWarning):
    """spendcalc read something it keeps but does not use (a commitments file's extra columns);
    the CLI prints each as one ``warning:`` line."""
