"""The batch path's lookup tables as numpy arrays: made once per process, answered in passes.

For one quote currency, every currency's column of exact fractions (:mod:`rates.ratios`) is laid
end to end, each column followed by a "no fixing" slot, so a row's rate sits at
``offset[code] + fixing index``. :class:`ArrayTables` holds those columns (the denominators,
what each slot is; the numerators, the quote's, per fixing; the largest quotient), a table
from a code's three letters to its column's offset, and :class:`DayTable` a table from a day to
its fixing's index. They depend only on the bundled integers (:class:`rates.units.FixingUnits`),
the quote and the calendar (the gap allowed and the last day), so they are kept in
``FixingUnits.memo``: a second :class:`rates.RateBook` in the same process reuses them.

:func:`code_offsets` and :meth:`DayTable.indices` turn a batch of rows (codes as a ``str`` or
``bytes`` array, days as ``datetime64[D]``) into positions without a Python loop over the rows.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .units import FixingUnits

#: What a slot holds: a bundled fraction, a row the book must answer, the same currency.
NORMAL, BOOK, SAME = 0, 1, 2
#: 10**(6 - places): a value's digits in millionths (every ECB value has at most six decimals).
_MICRO = [10 ** (6 - k) if k <= 6 else 0 for k in range(256)]
_UNIX_EPOCH = _dt.date(1970, 1, 1).toordinal()
#: A code's three capitals (65..90 each) as the number ``c0 * 676 + c1 * 26 + c2``.
_KEY_WEIGHTS = (676, 26, 1)
_KEYS = 90 * 703 + 1


class ArrayTables:
    """Every currency's column into one quote currency, end to end (see the module's docstring).

    ``order`` names the columns in layout order (a last, unnamed column answers every code
    the ECB does not quote: all of it is for the book); ``span`` is a column's length (the
    fixings and the "no fixing" slot).
    """

    __slots__ = ("dens", "kinds", "max_den", "max_num", "max_ratio", "nums", "offsets", "order",
                 "quote", "ratios", "span")  # fmt: skip

    def __init__(self, np: Any, units: FixingUnits, quote: str) -> None:
        self.quote = quote
        self.order = order = sorted({*units.currencies, "EUR"})
        count = units.count
        self.span = span = count + 1
        power = np.array(_MICRO, dtype=np.int64)
        micro = np.zeros((len(order) + 1, span), dtype=np.int64)
        for row, code in enumerate(order):
            if code == "EUR":
                micro[row, :count] = 10**6
            else:
                digits = np.frombuffer(units.mantissas[code], dtype=np.intc)
                places = np.frombuffer(units.scales[code], dtype=np.uint8)
                micro[row, :count] = digits * power[places]
        at = order.index(quote)
        quote_micro = micro[at].copy()  # every slot's numerator on its fixing
        dens = micro  # in place: no second matrix of that size
        dens[:, quote_micro == 0] = 0  # no rate where the quote is not quoted
        dens[at, :count] = quote_micro[:count]  # the quote itself: rate 1 (n = d), its own day
        kinds = (dens == 0).astype(np.int8)  # NORMAL 0, BOOK 1
        kinds[at, :count] = np.where(quote_micro[:count] != 0, SAME, BOOK)
        #: Each fixing's numerator (the quote per 1 EUR in millionths; 0: "no fixing"): a
        #: slot's numerator is that of its fixing, so no column of numerators is kept.
        self.nums = quote_micro
        self.dens, self.kinds = dens.ravel(), kinds.ravel()
        self.max_num, self.max_den = int(quote_micro.max()), int(self.dens.max())
        #: No table of the float quotients (memory): the kernel divides the rows it gathers.
        self.ratios = None
        self.max_ratio = max(
            float((quote_micro[:count] / np.where(row[:count] != 0, row[:count], np.inf)).max())
            for row in micro
        )
        self.offsets = np.full(_KEYS, len(order) * span, dtype=np.int64)
        for row, code in enumerate(order):
            if len(code) == 3 and code.isascii() and code.isupper() and code.isalpha():
                self.offsets[_key(code)] = row * span

    @classmethod
    def of(cls, np: Any, units: FixingUnits, quote: str) -> ArrayTables:
        """The tables of ``units`` into ``quote``, made once per process."""
        found = units.memo.get(("tables", quote))
        if found is None:
            found = units.memo[("tables", quote)] = cls(np, units, quote)
        return found  # type: ignore[return-value]


class DayTable:
    """Each day from the day before the first fixing to the day after ``until`` -> the index of
    the fixing it uses (the last on or before it, at most ``max_gap`` days back), else
    ``count`` ("no fixing"); also the fixing dates as ``datetime64[D]`` with NaT for "none"."""

    __slots__ = ("base", "fixings", "table")

    def __init__(self, np: Any, units: FixingUnits, max_gap: int, until: _dt.date) -> None:
        count = units.count
        ordinals = np.frombuffer(units.ordinals, dtype=np.intc).astype(np.int64)
        first = int(ordinals[0]) if count else until.toordinal() + 1
        self.base = first - 1
        days = np.arange(first, until.toordinal() + 1, dtype=np.int64)
        index = np.searchsorted(ordinals, days, side="right") - 1
        table = np.full(len(days) + 2, count, dtype=np.int64)
        table[1:-1] = np.where(days - ordinals[index] <= max_gap, index, count)
        self.table = table
        fixings = np.empty(count + 1, dtype="datetime64[D]")
        fixings[:count] = (ordinals - _UNIX_EPOCH).astype("datetime64[D]")
        fixings[count] = np.datetime64("NaT")
        self.fixings = fixings

    @classmethod
    def of(cls, np: Any, units: FixingUnits, max_gap: int, until: _dt.date) -> DayTable:
        """The table of ``units`` for that gap and last day, made once per process."""
        found = units.memo.get(("days", max_gap, until))
        if found is None:
            found = units.memo[("days", max_gap, until)] = cls(np, units, max_gap, until)
        return found  # type: ignore[return-value]

    def indices(self, np: Any, ordinals: Any) -> Any:
        """The fixing index of each day (``datetime64[D]`` days as int64 since 1970 + the Unix
        epoch's ordinal, or proleptic ordinals): days outside the table clip to "none"."""
        return self.table.take(ordinals - self.base, mode="clip")


def code_offsets(np: Any, tables: ArrayTables, currencies: Any) -> Any:
    """Each code's column offset in ``tables``, or None unless every code is three capitals
    in a ``str`` (``<U3``) or ``bytes`` (``S3``) array."""
    codes = np.asarray(currencies)
    if codes.dtype.kind == "U" and codes.dtype.itemsize == 12:
        chars = codes.view(np.uint32).reshape(-1, 3)
    elif codes.dtype.kind == "S" and codes.dtype.itemsize == 3:
        chars = codes.view(np.uint8).reshape(-1, 3)
    else:
        return None
    if chars.size and (int(chars.min()) < 65 or int(chars.max()) > 90):
        return None
    keys = chars[:, 0].astype(np.int32) * 676
    keys += chars[:, 1] * np.int32(26)
    keys += chars[:, 2]
    return tables.offsets.take(keys)


def _key(code: str) -> int:
    return sum(ord(c) * w for c, w in zip(code, _KEY_WEIGHTS, strict=True))
