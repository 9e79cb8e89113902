"""The batch path's rates as exact fractions of integers, for many (day, currency) rows at once.

On a bundled fixing, base->quote is ``(m_q / 10**s_q) / (m_b / 10**s_b)`` for the published
digits ``m`` and decimal places ``s`` (:mod:`rates.units`), that is the fraction
``m_q * 10**s_b / (m_b * 10**s_q)`` (not reduced: the arithmetic needs no lowest terms). :class:`CrossRatios` holds those
fractions per currency and fixing and answers a batch of rows with them; a row they do not cover
(a currency not quoted that day, a day outside the snapshot or too far from a fixing, a book
with overrides, a currency the ECB does not quote) is answered by :meth:`RateBook.rate`, whose
rate (or error) it then carries, so every row is the book's answer.

Rows come as lists (dates, codes) or as numpy arrays (``datetime64[D]`` days, codes as a
``str`` array); numpy is optional for lists.
"""

from __future__ import annotations

import datetime as _dt
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate, compress, repeat
from operator import add, mul, not_, sub
from typing import Any

from .ecb import SOURCE_BUNDLED
from .errors import RateError
from .rate import RATE_CONTEXT, SOURCE_SAME, Rate
from .units import FixingUnits

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .crosstable import CrossTable

    #: Where each code's column starts, and every column's numerators, denominators and kinds.
    _Layout = tuple[dict[str, int], array[int], array[int], array[int]]

_ONE = Decimal(1)
_POWERS = [10**k for k in range(19)]
#: 10**(6 - places): a value's digits in millionths.
_MICRO = [10 ** (6 - k) if k <= 6 else 0 for k in range(256)]
_UNIX_EPOCH = _dt.date(1970, 1, 1).toordinal()
#: What a row's layout position holds: a bundled fraction, the same currency, or a row the book
#: must answer.
NORMAL, BOOK, SAME = 0, 1, 2


class Rows:
    """A batch of rows' rates: ``numerators[i] / denominators[i]`` exactly, with provenance.

    ``numerators``, ``denominators`` and ``fixing_index`` are lists, or numpy arrays for
    numpy rows. :attr:`answered` holds the book's :class:`Rate` for the rows it answered;
    the same currency is rate 1 with the row's own day as its fixing.
    """

    __slots__ = ("answered", "days", "denominators", "fixing_index", "kinds", "numerators",
                 "order", "positions", "ratios", "same")  # fmt: skip

    def __init__(self, ratios: CrossRatios) -> None:
        self.ratios = ratios
        self.order = ratios.order  # the layout the positions are in
        self.answered: dict[int, Rate] = {}
        self.same: list[int] = []
        self.numerators: Any = []
        self.denominators: Any = []
        self.fixing_index: Any = []
        self.positions: Any = []
        self.days: Any = []
        self.kinds: Any = []

    def __len__(self) -> int:
        return len(self.numerators)

    def rate_values(self) -> RateColumn:
        """Each row's rate (a Decimal to 28 digits, as the book gives it), made when read."""
        return RateColumn(self, texts=False)

    def rate_texts(self) -> RateColumn:
        """Each row's rate as text (``str`` of the Decimal), made when read."""
        return RateColumn(self, texts=True)

    def rate_text_list(self) -> list[str]:
        """Each row's rate as text, all at once (a CSV writes them all): the divisions in
        C-level passes, the texts kept per fixing and currency (a bounded number of them)."""
        return self.ratios.texts_of(self)

    def fixing_dates(self, *, texts: bool = False) -> list[_dt.date] | list[str]:
        """Each row's fixing date (as ``YYYY-MM-DD`` with ``texts=True``)."""
        ratios = self.ratios
        dates: list[object] = [*(ratios.fixing_texts if texts else ratios.fixing_dates), None]
        index = self.fixing_index
        out = list(map(dates.__getitem__, index if isinstance(index, list) else index.tolist()))
        days = self.days
        for row in self.same:
            day = days[row] if isinstance(days, list) else _day(days[row])
            out[row] = day.isoformat() if texts else day
        for row, rate in self.answered.items():
            out[row] = rate.fixing_date.isoformat() if texts else rate.fixing_date
        return out  # type: ignore[return-value] # every None was replaced

    def fixing_array(self) -> Any:
        """:meth:`fixing_dates` of numpy rows as a ``datetime64[D]`` array."""
        import numpy as np

        out = self.ratios.fixing_array(np)[np.asarray(self.fixing_index)]
        if self.same:
            out[self.same] = np.asarray(self.days)[self.same]
        for row, rate in self.answered.items():
            out[row] = np.datetime64(rate.fixing_date, "D")
        return out

    def source_array(self) -> SourceColumn:
        """:meth:`sources` of numpy rows, each made when read (``numpy.asarray`` of it is an
        object array)."""
        return SourceColumn(self)

    def sources(self) -> list[str]:
        """Each row's source."""
        out = [SOURCE_BUNDLED] * len(self)
        for row in self.same:
            out[row] = SOURCE_SAME
        for row, rate in self.answered.items():
            out[row] = rate.source
        return out


class _LazyColumn(Sequence[Any]):
    """A column of :class:`Rows` whose entries are made when read: indexing, slices, negative
    indices and equality with any sequence; :meth:`_at` makes one entry."""

    def __len__(self) -> int:
        raise NotImplementedError

    def _at(self, row: int) -> Any:
        raise NotImplementedError

    def __getitem__(self, row: int) -> Any:  # type: ignore[override]
        if isinstance(row, slice):
            return [self._at(i) for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return self._at(row)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class RateColumn(_LazyColumn):
    """The rates of :class:`Rows`, one per row, each computed when it is read (and kept per
    fixing and currency): a batch that only needs its results never divides a Decimal."""

    def __init__(self, rows: Rows, *, texts: bool) -> None:
        self.rows, self.texts = rows, texts
        self._positions: Any = rows.positions

    def __len__(self) -> int:
        return len(self._positions)

    def _at(self, row: int) -> Any:
        rows = self.rows
        rate = rows.answered.get(row)
        if rate is not None:
            value = rate.value
        else:
            span = len(rows.ratios.fixing_dates) + 1
            code, index = divmod(int(self._positions[row]), span)
            value = rows.ratios.value_of(rows.order[code], index)
        return str(value) if self.texts else value

    def __iter__(self) -> Iterator[Any]:
        return map(self._at, range(len(self)))

    def __repr__(self) -> str:
        return f"RateColumn({list(self)!r})"


class SourceColumn(_LazyColumn):
    """The sources of :class:`Rows`, one per row, each made when read."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self._same = set(rows.same)

    def __len__(self) -> int:
        return len(self.rows)

    def _at(self, row: int) -> str:
        rate = self.rows.answered.get(row)
        if rate is not None:
            return rate.source
        return SOURCE_SAME if row in self._same else SOURCE_BUNDLED

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        out = np.full(len(self), SOURCE_BUNDLED, dtype=object)
        if self._same:
            out[list(self._same)] = SOURCE_SAME
        for row, rate in self.rows.answered.items():
            out[row] = rate.source
        return out


class CrossRatios:
    """Cross rates into ``table.quote`` as exact integer fractions, per currency and fixing.

    Made by :meth:`rates.CrossTable.ratios`.

    >>> import datetime
    >>> from rates import RateBook
    >>> ratios = RateBook(cache=None).cross_table("USD").ratios
    >>> rows = ratios.rows([datetime.date(2023, 12, 2)], ["GBP"])
    >>> Fraction(rows.numerators[0], rows.denominators[0]) == Fraction("1.0875") / Fraction("0.86045")
    True
    """

    def __init__(self, table: CrossTable) -> None:
        self.table = table
        self.book, self.quote, self.simple = table.book, table.quote, table.simple
        self.units: FixingUnits | None = table.units
        self.fixing_dates = table.fixing_dates
        self.index_of_day = table.index_of_day
        self._fixing_texts: list[str] | None = None
        self._layouts: dict[frozenset[str], _Layout] = {}
        self._values: dict[tuple[str, int], Decimal] = {}
        self._order: list[str] = []  # the codes of the last layout, in layout order
        self._arrays: dict[frozenset[str], tuple[Any, ...]] = {}
        self._day_array: Any = None
        self._fixing_array: Any = None
        self._quote_decimals: list[Decimal] | None = None
        self._micro: dict[str, array[int]] = {}
        self._flat_text: tuple[str, array[int]] = ("", array("I"))
        self._flat_text_order: list[str] | None = None
        self._flat: tuple[array[int], array[int]] = (array("i"), array("B"))
        self._eur: tuple[array[int], array[int]] | None = None

    @property
    def fixing_texts(self) -> list[str]:
        if self._fixing_texts is None:
            self._fixing_texts = [d.isoformat() for d in self.fixing_dates]
        return self._fixing_texts

    # -- columns ----------------------------------------------------------------------------

    def _digits(self, code: str) -> tuple[Sequence[int], Sequence[int]]:
        units = self.units
        assert units is not None
        if code == "EUR":
            if self._eur is None:
                self._eur = (array("i", repeat(1, units.count)), array("B", repeat(0, units.count)))
            return self._eur
        return units.mantissas[code], units.scales[code]

    def _micros(self, code: str) -> array[int]:
        """``code`` per 1 EUR on every fixing in millionths (every ECB value has at most six
        decimals), 0 where it was not quoted; kept once made."""
        found = self._micro.get(code)
        if found is None:
            m, s = self._digits(code)
            np = _numpy()
            if np is not None:
                power = np.array(_MICRO, dtype=np.int64)[np.frombuffer(s, dtype=np.uint8)]
                found = _int64s(np.frombuffer(m, dtype=np.intc).astype(np.int64) * power)
            else:
                found = array("q", map(mul, m, map(_MICRO.__getitem__, s)))
            self._micro[code] = found
        return found

    def column(self, base: str) -> tuple[array[int], array[int]]:
        """``base``->quote on every bundled fixing as (numerators, denominators): the exact
        fraction of the two values in millionths, not reduced; a denominator of 0 where either
        currency was not quoted (and everywhere when the fast path does not apply to ``base``)."""
        count = len(self.fixing_dates)
        units = self.units
        if units is None or base == self.quote or not (base in units.mantissas or base == "EUR"):
            return array("q", repeat(0, count)), array("q", repeat(0, count))
        nums, dens = self._micros(self.quote), self._micros(base)
        if 0 in nums:  # the quote has gaps: no rate there either
            dens = array("q", map(mul, dens, map(bool, nums)))
        return nums, dens

    def fixing_array(self, np: Any) -> Any:
        """The fixing dates as ``datetime64[D]``, and NaT after them (for "no fixing")."""
        if self._fixing_array is None:
            days = [d.toordinal() - _UNIX_EPOCH for d in self.fixing_dates]
            self._fixing_array = np.array([*days, 0], dtype=np.int64).astype("datetime64[D]")
            self._fixing_array[-1] = np.datetime64("NaT")
        return self._fixing_array

    @property
    def order(self) -> list[str]:
        """The codes of the layouts made so far, in layout order (a new list when it grows)."""
        return self._order

    def value_of(self, code: str, index: int) -> Decimal:
        """``code``->quote on the fixing at ``index`` (a Decimal, as :meth:`RateBook.rate`
        divides it), from the published values; kept once made."""
        key = (code, index)
        value = self._values.get(key)
        if value is None:
            if code == self.quote:
                return _ONE
            (mq, sq), (mb, sb) = self._digits(self.quote), self._digits(code)
            quote_value = Decimal(mq[index]).scaleb(-sq[index])
            base_value = Decimal(mb[index]).scaleb(-sb[index])
            value = RATE_CONTEXT.divide(quote_value, base_value)
            if len(self._values) > 100_000:  # bounded: a million rows keep no million rates
                self._values.clear()
            self._values[key] = value
        return value

    def _flat_digits(self, order: list[str]) -> tuple[array[int], array[int]]:
        """The published digits and places of each code in ``order``, laid out as the
        positions are (0 where there is no value, and for the quote itself)."""
        mantissas, places = array("i"), array("B")
        count = len(self.fixing_dates)
        for code in order:
            units = self.units
            if (
                units is None
                or code == self.quote
                or not (code in units.mantissas or code == "EUR")
            ):
                mantissas.extend(repeat(0, count + 1))
                places.extend(repeat(0, count + 1))
                continue
            m, s = self._digits(code)
            mantissas.extend(m)
            mantissas.append(0)
            places.extend(s)
            places.append(0)
        return mantissas, places

    def _layout(self, codes: frozenset[str]) -> _Layout:
        """Every code's column laid end to end (each followed by a "no fixing" slot), one
        order for all the layouts: position = offset[code] + fixing index."""
        found = self._layouts.get(codes)
        if found is None:
            order = sorted(set(self._order) | codes)
            if order != self._order:
                self._layouts.clear()
                self._arrays.clear()
                self._order = order
                self._flat = self._flat_digits(order)
            count = len(self.fixing_dates)
            offsets: dict[str, int] = {}
            nums, dens, kinds = array("q"), array("q"), array("b")
            np = _numpy()
            if np is not None:  # the same layout, made in passes over arrays
                parts: list[tuple[Any, Any, Any]] = []
                for code in order:
                    if code == self.quote:
                        n = d = np.ones(count, dtype=np.int64)
                        k = np.full(count, SAME, dtype=np.int8)
                    else:
                        n, d = (np.frombuffer(c, dtype=np.int64) for c in self.column(code))
                        k = np.where(d != 0, NORMAL, BOOK).astype(np.int8)
                    parts.append((n, d, k))
                    parts.append(
                        (np.zeros(1, np.int64), np.zeros(1, np.int64), np.full(1, BOOK, np.int8))
                    )
                    offsets[code] = (count + 1) * (len(parts) // 2 - 1)
                nums = _int64s(np.concatenate([p[0] for p in parts]))
                dens = _int64s(np.concatenate([p[1] for p in parts]))
                kinds.frombytes(np.concatenate([p[2] for p in parts]).tobytes())
                found = self._layouts[frozenset(order)] = (offsets, nums, dens, kinds)
                self._layouts[codes] = found
                self._micro.clear()  # in the layout now
                return found
            for code in order:
                offsets[code] = len(nums)
                if code == self.quote:
                    nums.extend(repeat(1, count))
                    dens.extend(repeat(1, count))
                    kinds.extend(repeat(SAME, count))
                else:
                    column_nums, column_dens = self.column(code)
                    nums.extend(column_nums)
                    dens.extend(column_dens)
                    kinds.frombytes(bytes(map(not_, column_dens)))  # 0 -> BOOK (1)
                nums.append(0)
                dens.append(0)
                kinds.append(BOOK)
            found = self._layouts[frozenset(order)] = (offsets, nums, dens, kinds)
            self._layouts[codes] = found
            self._micro.clear()  # in the layout now
        return found

    def texts_of(self, rows: Rows) -> list[str]:
        """:meth:`Rows.rate_text_list`."""
        positions = rows.positions if isinstance(rows.positions, list) else rows.positions.tolist()
        if rows.order is not self._order:  # the layout grew since: the one-by-one way
            return list(rows.rate_texts())
        if self._flat_text_order is not self._order:
            if len(positions) < 4096 and self._flat_text_order is None:
                return list(rows.rate_texts())  # a small batch: only the rates it needs
            self._flat_text = self._texts_of_order(self._order)
            self._flat_text_order = self._order
        texts, starts = self._flat_text
        ends = map(starts.__getitem__, map((1).__add__, positions))
        out = list(map(texts.__getitem__, map(slice, map(starts.__getitem__, positions), ends)))
        for row in rows.same:
            out[row] = "1"
        for row, rate in rows.answered.items():
            out[row] = str(rate.value)
        return out

    def _texts_of_column(self, code: str) -> tuple[str, array[int]]:
        """Every fixing's ``code``->quote rate as text ('' where there is none, and for the
        quote itself), as one string and the offsets of each text in it."""
        count = len(self.fixing_dates)
        units = self.units
        if units is None or code == self.quote or not (code in units.mantissas or code == "EUR"):
            return "", array("I", repeat(0, count + 2))
        (mq, sq), (mb, sb) = self._digits(self.quote), self._digits(code)
        if self._quote_decimals is None:
            self._quote_decimals = list(map(Decimal, map(max, mq, repeat(1))))
        # (m_q / m_b) * 10**(s_b - s_q): the same digits and exponent as dividing the values
        values = map(
            RATE_CONTEXT.divide, self._quote_decimals, map(Decimal, map(max, mb, repeat(1)))
        )
        texts = list(map(str, map(Decimal.scaleb, values, map(sub, sb, sq))))
        for i in compress(range(count), map(_not, map(min, mq, mb))):
            texts[i] = ""  # not quoted that day
        texts.append("")  # the "no fixing" slot
        starts = array("I", accumulate(map(len, texts), initial=0))
        return "".join(texts), starts

    def _texts_of_order(self, order: list[str]) -> tuple[str, array[int]]:
        """:meth:`_texts_of_column` of every code in ``order``, end to end, as positions are
        (appended one column at a time: no second copy of them all is ever held)."""
        flat, starts = "", array("I")
        for code in order:
            text, offsets = self._texts_of_column(code)
            at = len(flat)
            starts.extend(map(at.__add__, offsets[:-1]))
            flat += text
            del text
        starts.append(len(flat))
        self._quote_decimals = None  # only needed to make the texts
        return flat, starts

    # -- rows -------------------------------------------------------------------------------

    def rows(self, days: Sequence[_dt.date], currencies: Sequence[str]) -> Rows:
        """The rates of rows ``(days[i], currencies[i])`` (lists, or numpy arrays: see
        :meth:`array_rows`).

        :raises RateError: the book's error for a row it cannot answer, with ``row`` set
        """
        if _is_array(days) or _is_array(currencies):
            return self.array_rows(days, currencies)
        offsets, nums, dens, kinds = self._layout(frozenset(currencies))
        np = _numpy()
        if np is not None and len(days) > 64 and set(map(type, days)) == {_dt.date}:
            count = len(days)  # the lookups in passes over arrays; the same rows
            ordinals = np.fromiter(map(_dt.date.toordinal, days), dtype=np.int64, count=count)
            starts = np.fromiter(map(offsets.__getitem__, currencies), dtype=np.int64, count=count)
            out = self._array_tail(np, ordinals, starts, codes=frozenset(currencies))
            out.days = days if isinstance(days, list) else list(days)
            self._finish(out, np.flatnonzero(out.kinds).tolist(), out.kinds, currencies)
            return out
        none = len(self.fixing_dates)
        out = Rows(self)
        out.days = days if isinstance(days, list) else list(days)
        indices = list(map(self.index_of_day.get, days, repeat(none)))
        positions = list(map(add, map(offsets.__getitem__, currencies), indices))
        out.fixing_index, out.positions = indices, positions
        out.numerators = list(map(nums.__getitem__, positions))
        out.denominators = list(map(dens.__getitem__, positions))
        row_kinds = list(map(kinds.__getitem__, positions))
        self._finish(out, compress(range(len(row_kinds)), row_kinds), row_kinds, currencies)
        return out

    def _finish(
        self, out: Rows, special: Iterable[int], row_kinds: Any, currencies: Sequence[str]
    ) -> None:
        """The rows the columns do not cover: the same currency, and the book's answers."""
        days = out.days
        asked: dict[tuple[object, str], Rate] = {}
        for row in special:
            if row_kinds[row] == SAME:
                out.same.append(row)
                continue
            day = days[row] if isinstance(days, list) else _day(days[row])
            code = str(currencies[row])
            key = (day, code)
            rate = asked.get(key)
            if rate is None:
                try:
                    rate = asked[key] = self.table.rate(day, code)
                except RateError as exc:
                    exc.row = row
                    raise
            out.answered[row] = rate
            ratio = Fraction(rate.ratio[0]) / Fraction(rate.ratio[1])
            try:
                out.numerators[row], out.denominators[row] = ratio.numerator, ratio.denominator
            except OverflowError:  # an override's fraction beyond int64: Python ints
                out.numerators = out.numerators.astype(object)
                out.denominators = out.denominators.astype(object)
                out.numerators[row], out.denominators[row] = ratio.numerator, ratio.denominator

    def array_rows(self, days: Any, currencies: Any) -> Rows:
        """:meth:`rows` for numpy arrays: ``days`` as ``datetime64[D]`` (or anything
        ``numpy.asarray`` makes one of), ``currencies`` as an array of three-letter codes
        (``str`` or ``bytes``). The columns of the result are numpy arrays."""
        import numpy as np

        days = np.asarray(days, dtype="datetime64[D]")
        keys = _code_keys(np, currencies)
        if keys is None:  # not all of them three capitals: the list path, then arrays
            listed = self.rows(
                days.astype(object).tolist(), [str(c) for c in np.asarray(currencies).tolist()]
            )
            listed.days = days
            for name in ("numerators", "denominators", "fixing_index", "positions"):
                setattr(listed, name, _int_array(np, getattr(listed, name)))
            return listed
        present = np.flatnonzero(np.bincount(keys, minlength=_KEYS)).tolist()
        codes = frozenset(map(_code_of_key, present))
        by_key = self._arrays_of(np, codes)[0]
        out = self._array_tail(np, days.astype(np.int64) + _UNIX_EPOCH, by_key[keys], codes)
        out.days = days
        self._finish(out, np.flatnonzero(out.kinds).tolist(), out.kinds, currencies)
        return out

    def _arrays_of(self, np: Any, codes: frozenset[str]) -> tuple[Any, Any, Any, Any]:
        """The layout of ``codes`` as numpy arrays, with each code's offset by its number
        (:func:`_code_keys`)."""
        arrays = self._arrays.get(codes)
        if arrays is None:
            offsets, nums, dens, kinds = self._layout(codes)
            by_key = np.zeros(_KEYS, dtype=np.int64)
            for code, offset in offsets.items():
                key = _key_of_code(code)
                if key is not None:
                    by_key[key] = offset
            arrays = self._arrays[codes] = (
                by_key, np.frombuffer(nums, dtype=np.int64), np.frombuffer(dens, dtype=np.int64),
                np.frombuffer(kinds, dtype=np.int8),
            )  # fmt: skip
        return arrays

    def _array_tail(self, np: Any, ordinals: Any, starts: Any, codes: frozenset[str]) -> Rows:
        """The rows at ``ordinals`` (days) in the columns at layout offsets ``starts``."""
        _by_key, nums_a, dens_a, kinds_a = self._arrays_of(np, codes)
        base, day_index = self._days_array(np)
        index = day_index.take(ordinals - base, mode="clip")
        positions = starts + index
        out = Rows(self)
        out.fixing_index, out.positions = index, positions
        out.numerators, out.denominators = nums_a[positions], dens_a[positions]
        out.kinds = kinds_a[positions]
        return out

    def _days_array(self, np: Any) -> tuple[int, Any]:
        """The ordinal of the day before the first and, for each day from it to the day after
        the last, its fixing's index (``len(fixing_dates)``, "no fixing", for the two ends
        and every day without one): a day outside is clipped to an end."""
        if self._day_array is None:
            none = len(self.fixing_dates)
            ordinals = {day.toordinal(): index for day, index in self.index_of_day.items()}
            base = min(ordinals, default=1) - 1
            table = np.full(max(ordinals, default=0) - base + 2, none, dtype=np.int64)
            if ordinals:
                table[np.array(list(ordinals), dtype=np.int64) - base] = list(ordinals.values())
            self._day_array = (base, table)
        return self._day_array  # type: ignore[no-any-return]


def _int_array(np: Any, values: list[int]) -> Any:
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        return np.array(values, dtype=object)


_KEYS = 26**3


def _code_keys(np: Any, currencies: Any) -> Any:
    """Each code as a number 0..26**3-1 (AAA..ZZZ), or None unless all are three capitals."""
    codes = np.asarray(currencies)
    if codes.dtype.kind == "U" and codes.dtype.itemsize == 12:
        chars = codes.view(np.uint32).reshape(-1, 3).astype(np.int64) - 65
    elif codes.dtype.kind == "S" and codes.dtype.itemsize == 3:
        chars = codes.view(np.uint8).reshape(-1, 3).astype(np.int64) - 65
    else:
        return None
    if chars.size and (chars.min() < 0 or chars.max() > 25):
        return None
    return chars[:, 0] * 676 + chars[:, 1] * 26 + chars[:, 2]


def _code_of_key(key: int) -> str:
    return chr(65 + key // 676) + chr(65 + key // 26 % 26) + chr(65 + key % 26)


def _key_of_code(code: str) -> int | None:
    if len(code) != 3 or not all("A" <= c <= "Z" for c in code):
        return None
    return (ord(code[0]) - 65) * 676 + (ord(code[1]) - 65) * 26 + ord(code[2]) - 65


#: Whether to use numpy once something has loaded it (tests turn it off to compare the paths).
USE_NUMPY = True


def _numpy() -> Any:
    """numpy if something has loaded it already (the batch path does when it uses it), else
    None: the ledger command keeps to Python ints and its memory small."""
    return sys.modules.get("numpy") if USE_NUMPY else None


def _int64s(values: Any) -> array[int]:
    out = array("q")
    out.frombytes(values.astype("=i8").tobytes())
    return out


def _not(value: object) -> bool:
    return not value


def _negative(value: int) -> int:
    return -value


def _is_array(values: object) -> bool:
    return hasattr(values, "dtype") and hasattr(values, "shape")


def _day(value: Any) -> _dt.date:
    """A numpy ``datetime64[D]`` scalar as a date."""
    return _dt.date.fromordinal(int(value.astype("int64")) + _UNIX_EPOCH)
