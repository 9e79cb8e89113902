"""Read the bundled history of ECB euro reference rates.

The snapshot (``rates/data/ecb-eurofxref.csv``, made by ``tools/make_snapshot.py`` from the ECB's
``eurofxref-hist.zip``) holds one row per TARGET business day, ascending, each value the number
of units of a currency per 1 EUR exactly as the ECB published it, and an empty field where the
ECB gave no rate. Getting the bytes (:func:`snapshot_bytes`) is apart from reading them
(:func:`parse_history`), so tests feed text directly.

Reading is lazy: the bundled file is mapped into memory, not read, and its text is neither
decoded, split into rows nor counted until something needs every row; a lookup by date bisects
it by offset and decodes and splits the one row found.
"""

from __future__ import annotations

import datetime as _dt
import os
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from decimal import Decimal

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from mmap import mmap
    from typing import Any

SNAPSHOT_NAME = "ecb-eurofxref.csv"
SOURCE_BUNDLED = "ECB reference rates (bundled)"
FIRST_ECB_FIXING = _dt.date(1999, 1, 4)


def snapshot_path() -> str:
    """The path of the bundled snapshot inside the installed package (package data)."""
    return os.path.join(os.path.dirname(__file__), "data", SNAPSHOT_NAME)


def snapshot_bytes() -> bytes:
    """The bytes of the bundled snapshot."""
    with open(snapshot_path(), "rb") as file:
        return file.read()


class History:
    """Daily ECB fixings: for each date, the units of each currency per 1 EUR.

    >>> h = parse_history("Date,USD,GBP\\n2023-11-29,1.0982,0.86573\\n2023-11-30,1.0931,0.86368\\n")
    >>> h.value("GBP", h.index_on_or_before("2023-12-02"))
    Decimal('0.86368')
    >>> h.coverage("USD")
    (datetime.date(2023, 11, 29), datetime.date(2023, 11, 30))

    The rows stay one string until something needs them all: finding the fixing for one date
    bisects that string by character offset, so a single lookup neither splits nor copies the
    thousands of rows.
    """

    __slots__ = (
        "_column",
        "_count",
        "_coverage",
        "_dates",
        "_end",
        "_found",
        "_lookups",
        "_rows",
        "_split",
        "_start",
        "_text",
        "_view",
        "currencies",
        "description",
    )  # fmt: skip

    def __init__(
        self,
        header: list[str],
        text: str | None,
        start: int,
        end: int,
        description: str = "",
        *,
        view: mmap | bytes | None = None,
    ) -> None:
        """The rows are ``text[start:end]``: ascending by date, each after a newline. Instead of
        the text, ``view`` may give its ASCII bytes (the bundled file, mapped): it is read where
        a lookup bisects it and decoded whole only when something needs every row."""
        self.currencies: tuple[str, ...] = tuple(header[1:])
        self._column = {code: i for i, code in enumerate(header[1:], start=1)}
        self._text, self._view, self._start, self._end = text, view, start, end
        self.description = description
        self._rows: list[str] | None = None
        self._dates: list[str] | None = None
        self._count: int | None = None  # counted on first use: a lookup needs no row numbers
        self._found: dict[int, str] = {}
        self._lookups = 0
        self._split: dict[int, list[str]] = {}
        self._coverage: dict[str, tuple[int, int] | None] = {}

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._whole().count("\n", self._start, self._end)
        return self._count

    def _whole(self) -> str:
        """The text, decoded from the view on first use (ASCII: offsets are the same)."""
        if self._text is None:
            assert self._view is not None
            self._text = bytes(self._view).decode("ascii")
        return self._text

    def _slice(self, start: int, stop: int) -> str:
        if self._text is not None or self._view is None:
            return self._whole()[start:stop]
        return bytes(self._view[start:stop]).decode("ascii")

    @property
    def rows(self) -> list[str]:
        """Every row's text, ascending by date (split on first use)."""
        if self._rows is None:
            self._rows = self._whole()[self._start + 1 : self._end].split("\n")
        return self._rows

    @property
    def dates(self) -> list[str]:
        """Every fixing date as ``YYYY-MM-DD``, ascending."""
        if self._dates is None:
            self._dates = [row[:10] for row in self.rows]
        return self._dates

    @property
    def first_date(self) -> str:
        return self._slice(self._start + 1, self._start + 11)

    @property
    def last_date(self) -> str:
        text, newline = self._searched()
        last = text.rfind(newline, self._start, self._end) + 1
        return self._slice(last, last + 10)

    def _searched(self) -> tuple[Any, Any]:
        """What a bisection searches (the text, or else the view) and its newline."""
        if self._text is not None or self._view is None:
            return self._whole(), "\n"
        return self._view, b"\n"

    def quotes(self, currency: str) -> bool:
        """Whether the history has a column for ``currency``."""
        return currency in self._column

    def index_on_or_before(self, iso_day: str) -> int:
        """Index of the last fixing date on or before ``iso_day``, or -1 if there is none."""
        self._lookups += 1
        if self._dates is not None or self._lookups > _TEXT_LOOKUPS:
            return bisect_right(self.dates, iso_day) - 1
        best = self._newline_before(iso_day)
        if best < 0:
            return -1
        index = self._whole().count("\n", self._start, best)
        self._found[index] = self._row_at(best)
        return index

    def fields_on_or_before(self, iso_day: str) -> list[str] | None:
        """The fields of the last fixing on or before ``iso_day`` (its date first, then the
        values in :attr:`currencies` order; see :meth:`value_in`), or None if there is none.

        Unlike :meth:`index_on_or_before` this numbers no rows, so a lookup in a new process
        reads the snapshot's text only around the rows it bisects.

        >>> h = parse_history("Date,USD,GBP\\n2023-11-29,1.0982,0.86573\\n2023-11-30,1.0931,\\n")
        >>> fields = h.fields_on_or_before("2023-12-02")
        >>> fields[0], h.value_in(fields, "USD"), h.value_in(fields, "GBP")
        ('2023-11-30', Decimal('1.0931'), None)
        """
        self._lookups += 1
        if self._dates is not None or self._lookups > _TEXT_LOOKUPS:
            index = bisect_right(self.dates, iso_day) - 1
            return None if index < 0 else self.rows[index].split(",")
        best = self._newline_before(iso_day)
        return None if best < 0 else self._row_at(best).split(",")

    def value_in(self, fields: list[str], currency: str) -> Decimal | None:
        """Units of ``currency`` per 1 EUR in a row's ``fields``, or None where not quoted."""
        column = self._column[currency]
        text = fields[column] if column < len(fields) else ""
        return Decimal(text) if text else None

    def _newline_before(self, iso_day: str) -> int:
        """The offset of the newline before the last row dated on or before ``iso_day``, or -1:
        a bisection of the text by character offset."""
        text, newline = self._searched()
        key = iso_day if newline == "\n" else iso_day.encode("ascii", "replace")
        low, high = self._start, self._end
        best = -1
        while low < high:  # text[low] is always the newline before a row
            row = text.rfind(newline, low, (low + high) // 2 + 1)
            if text[row + 1 : row + 11] <= key:
                best = row
                low = text.find(newline, row + 1, high)
                if low < 0:
                    break
            else:
                high = row
        return best

    def _row_at(self, newline: int) -> str:
        text, line_end = self._searched()
        stop = text.find(line_end, newline + 1, self._end)
        return self._slice(newline + 1, stop if stop >= 0 else self._end)

    def _row(self, index: int) -> str:
        if self._rows is None and index in self._found:
            return self._found[index]
        return self.rows[index]

    def raw(self, currency: str, index: int) -> str:
        """The published text of ``currency`` on the fixing at ``index``; '' if there was none."""
        fields = self._split.get(index)
        if fields is None:
            fields = self._split[index] = self._row(index).split(",")
        column = self._column[currency]
        return fields[column] if column < len(fields) else ""

    def value(self, currency: str, index: int) -> Decimal | None:
        """Units of ``currency`` per 1 EUR on the fixing at ``index``, or None where not quoted."""
        text = self.raw(currency, index)
        return Decimal(text) if text else None

    def date_text(self, index: int) -> str:
        """The fixing date at ``index`` as ``YYYY-MM-DD``."""
        return self._row(index)[:10]

    def day(self, index: int) -> _dt.date:
        """The fixing date at ``index``."""
        return _dt.date.fromisoformat(self.date_text(index))

    def column(self, currency: str) -> list[str]:
        """The published text of ``currency`` on every fixing ('' where there was none)."""
        at = self._column[currency]
        return [(row.split(",", at + 1) + [""] * (at + 1))[at] for row in self.rows]

    def columns(self, currencies: Iterable[str]) -> dict[str, list[str]]:
        """:meth:`column` for several currencies, splitting each row once."""
        wanted = [(code, self._column[code]) for code in dict.fromkeys(currencies)]
        out: dict[str, list[str]] = {code: [] for code, _at in wanted}
        width = len(self.currencies) + 1
        for row in self.rows:
            fields = row.split(",")
            if len(fields) < width:
                fields += [""] * (width - len(fields))
            for code, at in wanted:
                out[code].append(fields[at])
        return out

    def calendar(self, max_gap: int, until: str) -> dict[_dt.date, int]:
        """Each calendar day from the first fixing to ``until`` -> the index of the fixing that
        day uses: the last on or before it, if at most ``max_gap`` days back."""
        ordinals = [_dt.date.fromisoformat(d).toordinal() for d in self.dates]
        return calendar_of(ordinals, max_gap, _dt.date.fromisoformat(until))

    def coverage_indices(self, currency: str) -> tuple[int, int] | None:
        """Indices of the first and last fixing that quote ``currency``, or None."""
        if currency not in self._coverage:
            column = self._column[currency]
            found = [
                i
                for i, row in enumerate(self.rows)
                if (fields := row.split(",")) and column < len(fields) and fields[column]
            ]
            self._coverage[currency] = (found[0], found[-1]) if found else None
        return self._coverage[currency]

    def coverage(self, currency: str) -> tuple[_dt.date, _dt.date] | None:
        """First and last fixing date that quote ``currency``, or None."""
        span = self.coverage_indices(currency)
        return None if span is None else (self.day(span[0]), self.day(span[1]))


#: Lookups answered by bisecting the text before the rows are split once for all (each costs
#: a count of the newlines before the row found, about a millisecond at the end of the history).
_TEXT_LOOKUPS = 4


def calendar_of(ordinals: Sequence[int], max_gap: int, until: _dt.date) -> dict[_dt.date, int]:
    """Each calendar day from the first of the fixings (their date ordinals, ascending) to
    ``until`` -> the index of the fixing that day uses: the last on or before it, if at most
    ``max_gap`` days back (:meth:`History.calendar`)."""
    last = until.toordinal()
    days: dict[_dt.date, int] = {}
    fromordinal = _dt.date.fromordinal
    for index, first in enumerate(ordinals):
        stop = ordinals[index + 1] if index + 1 < len(ordinals) else last + 1
        for ordinal in range(first, min(stop, first + max_gap + 1, last + 1)):
            days[fromordinal(ordinal)] = index
    return days


def parse_history(text: str, *, clean: bool = False) -> History:
    """Read snapshot text (or the ECB's own CSV) into a :class:`History`.

    Lines starting with '#' are descriptions; ``N/A`` and empty fields mean "no rate";
    rows may come in any order. ``clean=True`` says the text is already in the snapshot's form
    (ascending, no ``N/A``, no trailing commas, ``\\n`` line ends), so it is used as it is.

    :param text: the CSV text, header ``Date,USD,JPY,...``
    :raises ValueError: if the text has no ``Date`` header or a row has a bad date
    """
    description, start = _descriptions(text)
    header_end = text.find("\n", start)
    header_line = text[start : header_end if header_end >= 0 else None]
    if not header_line.startswith("Date,"):
        raise ValueError("rate history has no 'Date,...' header line")
    header = header_line.rstrip(",\r").split(",")
    if not clean:
        body = text[header_end:] if header_end >= 0 else ""
        rows = [line.rstrip(",\r").replace("N/A", "") for line in body.splitlines() if line.strip()]
        rows.sort()
        text, header_end = "\n" + "\n".join(rows), 0
    end = len(text.rstrip("\n")) if text.endswith("\n") else len(text)
    if end <= header_end + 1:
        raise ValueError("rate history has no rows")
    history = History(header, text, header_end, end, description)
    for day in (history.first_date, history.last_date):
        _dt.date.fromisoformat(day)
    return history


def _descriptions(text: str) -> tuple[str, int]:
    """The last '#' description line at the start of `text`, and where the lines after it begin."""
    description, start = "", 0
    while text.startswith("#", start):
        stop = text.index("\n", start)
        description = text[start:stop].lstrip("# ").strip()
        start = stop + 1
    return description, start


_bundled: History | None = None


def bundled_history() -> History:
    """The bundled snapshot, read once per process: mapped into memory, so that a lookup reads
    the pages its bisection touches, not 1.7 MB (read whole where it cannot be mapped)."""
    global _bundled
    if _bundled is None:
        try:
            _bundled = _mapped_history(snapshot_path())
        except (OSError, ValueError, ImportError):
            _bundled = parse_history(snapshot_bytes().decode("ascii"), clean=True)
    return _bundled


def _mapped_history(path: str) -> History:
    """:func:`parse_history` with ``clean=True`` of the file at `path`, mapped, not read."""
    import mmap  # only for the bundled file (start-up time)

    with open(path, "rb") as file:
        view = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    head = bytes(view[:4096]).decode("ascii")  # the descriptions and the header
    description, start = _descriptions(head)
    header_end = head.find("\n", start)
    if header_end < 0 or not head.startswith("Date,", start):
        raise ValueError("the bundled snapshot has no 'Date,...' header in its first 4 kB")
    header = head[start:header_end].rstrip(",\r").split(",")
    end = len(view)
    while end > header_end + 1 and view[end - 1 : end] == b"\n":
        end -= 1
    if end <= header_end + 1:
        raise ValueError("rate history has no rows")
    history = History(header, None, header_end, end, description, view=view)
    for day in (history.first_date, history.last_date):
        _dt.date.fromisoformat(day)
    return history
