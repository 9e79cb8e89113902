"""Read the bundled history of ECB euro reference rates.

The snapshot (``rates/data/ecb-eurofxref.csv``, made by ``tools/make_snapshot.py`` from the ECB's
``eurofxref-hist.zip``) holds one row per TARGET business day, ascending, each value the number
of units of a currency per 1 EUR exactly as the ECB published it, and an empty field where the
ECB gave no rate. Getting the bytes (:func:`snapshot_bytes`) is apart from reading them
(:func:`parse_history`), so tests feed text directly.

Reading is lazy: the rows are only split into dates at load time; a row's fields are split when
a lookup needs them. One lookup in a new process therefore costs a few milliseconds.
"""

from __future__ import annotations

import datetime as _dt
import os
from bisect import bisect_right
from decimal import Decimal

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
    """

    __slots__ = ("_column", "_coverage", "_rows", "_split", "currencies", "dates", "description")

    def __init__(self, header: list[str], rows: list[str], description: str = "") -> None:
        self.currencies: tuple[str, ...] = tuple(header[1:])
        self._column = {code: i for i, code in enumerate(header[1:], start=1)}
        self._rows = rows
        self.dates: list[str] = [row[:10] for row in rows]
        self.description = description
        self._split: dict[int, list[str]] = {}
        self._coverage: dict[str, tuple[int, int] | None] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def quotes(self, currency: str) -> bool:
        """Whether the history has a column for ``currency``."""
        return currency in self._column

    def index_on_or_before(self, iso_day: str) -> int:
        """Index of the last fixing date on or before ``iso_day``, or -1 if there is none."""
        return bisect_right(self.dates, iso_day) - 1

    def raw(self, currency: str, index: int) -> str:
        """The published text of ``currency`` on the fixing at ``index``; '' where there was none."""
        fields = self._split.get(index)
        if fields is None:
            fields = self._split[index] = self._rows[index].split(",")
        column = self._column[currency]
        return fields[column] if column < len(fields) else ""

    def value(self, currency: str, index: int) -> Decimal | None:
        """Units of ``currency`` per 1 EUR on the fixing at ``index``, or None where not quoted."""
        text = self.raw(currency, index)
        return Decimal(text) if text else None

    def day(self, index: int) -> _dt.date:
        """The fixing date at ``index``."""
        return _dt.date.fromisoformat(self.dates[index])

    def coverage_indices(self, currency: str) -> tuple[int, int] | None:
        """Indices of the first and last fixing that quote ``currency``, or None."""
        if currency not in self._coverage:
            column = self._column[currency]
            found = [
                i
                for i, row in enumerate(self._rows)
                if (fields := row.split(",")) and column < len(fields) and fields[column]
            ]
            self._coverage[currency] = (found[0], found[-1]) if found else None
        return self._coverage[currency]

    def coverage(self, currency: str) -> tuple[_dt.date, _dt.date] | None:
        """First and last fixing date that quote ``currency``, or None."""
        span = self.coverage_indices(currency)
        return None if span is None else (self.day(span[0]), self.day(span[1]))

    def nearest_quoted(self, currency: str, index: int) -> tuple[int | None, int | None]:
        """Indices of the nearest fixings quoting ``currency`` at or before, and after, ``index``."""
        before = next((i for i in range(index, -1, -1) if self.raw(currency, i)), None)
        after = next((i for i in range(index + 1, len(self._rows)) if self.raw(currency, i)), None)
        return before, after


def parse_history(text: str) -> History:
    """Read snapshot text (or the ECB's own CSV) into a :class:`History`.

    Lines starting with '#' are descriptions; ``N/A`` and empty fields mean "no rate";
    rows may come in any order.

    :param text: the CSV text, header ``Date,USD,JPY,...``
    :raises ValueError: if the text has no ``Date`` header or a row has a bad date
    """
    lines = text.splitlines()
    description = ""
    while lines and lines[0].startswith("#"):
        description = lines.pop(0).lstrip("# ").strip()
    if not lines or not lines[0].startswith("Date,"):
        raise ValueError("rate history has no 'Date,...' header line")
    header = lines[0].rstrip(",").split(",")
    rows = [line.rstrip(",") for line in lines[1:] if line.strip()]
    if "N/A" in text:
        rows = [row.replace("N/A", "") for row in rows]
    if any(rows[i] > rows[i + 1] for i in range(len(rows) - 1)):
        rows.sort()
    for row in (rows[0], rows[-1]) if rows else ():
        _dt.date.fromisoformat(row[:10])
    return History(header, rows, description)


_bundled: History | None = None


def bundled_history() -> History:
    """The bundled snapshot, read once per process."""
    global _bundled
    if _bundled is None:
        _bundled = parse_history(snapshot_bytes().decode("ascii"))
    return _bundled
