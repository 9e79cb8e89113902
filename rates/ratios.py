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
from .tables import BOOK, NORMAL, SAME, ArrayTables, DayTable, code_offsets
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


class Rows:
    """A batch of rows' rates: ``numerators[i] / denominators[i]`` exactly, with provenance.

    ``numerators``, ``denominators`` and ``fixing_index`` are lists, or numpy arrays for
    numpy rows. :attr:`answered` holds the book's :class:`Rate` for the rows it answered;
    the same currency is rate 1 with the row's own day as its fixing (:attr:`same` lists those
    rows). Rows looked up in the array tables (:mod:`rates.tables`) gather their numerators
    and denominators when first read; :meth:`ratio_tables` gives the tables themselves.
    """

    __slots__ = ("_denominators", "_numerators", "answered", "days", "fixing_index", "kinds",
                 "order", "positions", "ratios", "same", "tables")  # fmt: skip

    def __init__(self, ratios: CrossRatios) -> None:
        self.ratios = ratios
        self.order = ratios.order  # the layout the positions are in
        self.answered: dict[int, Rate] = {}
        self.same: Any = []
        self._numerators: Any = []
        self._denominators: Any = []
        self.fixing_index: Any = []
        self.positions: Any = []
        self.days: Any = []
        self.kinds: Any = []
        self.tables: Any = None

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def numerators(self) -> Any:
        if self._numerators is None:
            self._gather()
        return self._numerators

    @numerators.setter
    def numerators(self, values: Any) -> None:
        self._numerators = values

    @property
    def denominators(self) -> Any:
        if self._denominators is None:
            self._gather()
        return self._denominators

    @denominators.setter
    def denominators(self, values: Any) -> None:
        self._denominators = values

    def _gather(self) -> None:
        """The numerators and denominators of rows from the array tables, the book's answers
        put in (as Python ints where one does not fit int64)."""
        tables = self.tables
        nums, dens = tables.nums.take(self.fixing_index), tables.dens.take(self.positions)
        exact = self.exact_ratios()
        if any(max(pair) >= 2**63 for pair in exact.values()):
            nums, dens = nums.astype(object), dens.astype(object)
        for row, (n, d) in exact.items():
            nums[row], dens[row] = n, d
        self._numerators, self._denominators = nums, dens

    def exact_ratios(self) -> dict[int, tuple[int, int]]:
        """The rate of each row the book answered as a fraction in lowest terms."""
        out = {}
        for row, rate in self.answered.items():
            ratio = Fraction(rate.ratio[0]) / Fraction(rate.ratio[1])
            out[row] = (ratio.numerator, ratio.denominator)
        return out

    def ratio_tables(self) -> tuple[Any, Any, Any, Any, int, int, float, Any] | None:
        """For rows looked up in the array tables: (positions, the tables' numerators (by
        fixing), denominators (by position) and float quotients (None: not kept), the largest
        numerator, denominator and quotient, the fixing indices), so a kernel can gather each
        row's fraction itself; the rows the book answered are not in them
        (:meth:`exact_ratios`). None for other rows."""
        t = self.tables
        if t is None:
            return None
        return (self.positions, t.nums, t.dens, t.ratios, t.max_num, t.max_den, t.max_ratio,
                self.fixing_index)  # fmt: skip

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

    def same_rows(self) -> list[int]:
        """The rows of the same currency as the quote."""
        return self.same if isinstance(self.same, list) else self.same.tolist()

    def fixing_dates(self, *, texts: bool = False) -> list[_dt.date] | list[str]:
        """Each row's fixing date (as ``YYYY-MM-DD`` with ``texts=True``)."""
        ratios = self.ratios
        dates: list[object] = [*(ratios.fixing_texts if texts else ratios.fixing_dates), None]
        index = self.fixing_index
        out = list(map(dates.__getitem__, index if isinstance(index, list) else index.tolist()))
        days = self.days
        for row in self.same_rows():
            day = days[row] if isinstance(days, list) else _day(days[row])
            out[row] = day.isoformat() if texts else day
        for row, rate in self.answered.items():
            out[row] = rate.fixing_date.isoformat() if texts else rate.fixing_date
        return out  # type: ignore[return-value] # every None was replaced

    def fixing_array(self) -> Any:
        """:meth:`fixing_dates` of numpy rows as a ``datetime64[D]`` array."""
        import numpy as np

        out = self.ratios.fixing_array(np).take(np.asarray(self.fixing_index))
        if len(self.same):
            out[self.same] = np.asarray(self.days, dtype="datetime64[D]")[self.same]
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
        for row in self.same_rows():
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
        self._same_set: set[int] | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def _at(self, row: int) -> str:
        rate = self.rows.answered.get(row)
        if rate is not None:
            return rate.source
        if self._same_set is None:
            self._same_set = set(self.rows.same_rows())
        return SOURCE_SAME if row in self._same_set else SOURCE_BUNDLED

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        import numpy as np

        out = np.full(len(self), SOURCE_BUNDLED, dtype=object)
        if len(self.rows.same):
            out[self.rows.same] = SOURCE_SAME
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
        self._fixing_texts: list[str] | None = None
        self._layouts: dict[frozenset[str], _Layout] = {}
        self._values: dict[tuple[str, int], Decimal] = {}
        self._order: list[str] = []  # the codes of the last layout, in layout order
        self._offsets: tuple[ArrayTables, dict[str, int]] | None = None
        self._fixing_array: Any = None
        self._quote_decimals: list[Decimal] | None = None
        self._micro: dict[str, array[int]] = {}
        self._flat_text: tuple[str, array[int]] = ("", array("I"))
        self._flat_text_order: list[str] | None = None
        self._flat: tuple[array[int], array[int]] = (array("i"), array("B"))
        self._eur: tuple[array[int], array[int]] | None = None

    @property
    def index_of_day(self) -> dict[_dt.date, int]:
        """Each calendar day -> the index of the bundled fixing it uses (the table's)."""
        return self.table.index_of_day

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

    def quote_decimals(self) -> list[Decimal]:
        """The quote's published digits on each fixing as Decimals (1 where not quoted)."""
        if self._quote_decimals is None:
            mq = self._digits(self.quote)[0]
            self._quote_decimals = list(map(Decimal, map(max, mq, repeat(1))))
        return self._quote_decimals

    def micros(self, code: str) -> array[int]:
        """``code`` per 1 EUR on every fixing in millionths, 0 where it was not quoted."""
        return self._micros(code)

    def forget_micros(self) -> None:
        """Let go of the columns in millionths kept so far (a caller has its own copy)."""
        self._micro.clear()

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
        if self._fixing_array is None and self.units is not None:
            self._fixing_array = self._day_table(np).fixings
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
        for row in rows.same_rows():
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
        # (m_q / m_b) * 10**(s_b - s_q): the same digits and exponent as dividing the values
        values = map(
            RATE_CONTEXT.divide, self.quote_decimals(), map(Decimal, map(max, mb, repeat(1)))
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
        np = _numpy()
        if (
            np is not None
            and self.units is not None
            and len(days) > 64
            and set(map(type, days)) == {_dt.date}
        ):  # the lookups in passes over arrays; the same rows
            count = len(days)
            tables = self._tables(np)
            offset_of, unknown = self._offset_of(tables), len(tables.order) * tables.span
            ordinals = np.fromiter(map(_dt.date.toordinal, days), dtype=np.int64, count=count)
            starts = np.fromiter(
                map(offset_of.get, currencies, repeat(unknown)), dtype=np.int64, count=count
            )
            out = self._array_tail(np, tables, ordinals, starts)
            out.days = days if isinstance(days, list) else list(days)
            self._finish_arrays(np, out, currencies)
            return out
        offsets, nums, dens, kinds = self._layout(frozenset(currencies))
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
            out.numerators[row], out.denominators[row] = ratio.numerator, ratio.denominator

    def _finish_arrays(self, np: Any, out: Rows, currencies: Sequence[str]) -> None:
        """:meth:`_finish` for rows looked up in the array tables: the same currency's rows
        found in passes, the book asked once per (day, currency) it must answer."""
        kinds = out.kinds
        special = np.flatnonzero(kinds)
        if not len(special):
            out.same = special
            return
        of_special = kinds.take(special)
        out.same = special[of_special == SAME]
        days = out.days
        asked: dict[tuple[object, str], Rate] = {}
        for row in special[of_special == BOOK].tolist():
            day = days[row] if isinstance(days, list) else _day(days[row])
            code = currencies[row]
            code = code.decode("ascii") if isinstance(code, bytes) else str(code)
            key = (day, code)
            rate = asked.get(key)
            if rate is None:
                try:
                    rate = asked[key] = self.table.rate(day, code)
                except RateError as exc:
                    exc.row = row
                    raise
            out.answered[row] = rate

    def array_rows(self, days: Any, currencies: Any) -> Rows:
        """:meth:`rows` for numpy arrays: ``days`` as ``datetime64[D]`` (or anything
        ``numpy.asarray`` makes one of), ``currencies`` as an array of three-letter codes
        (``str`` or ``bytes``). The columns of the result are numpy arrays."""
        import numpy as np

        days = np.asarray(days, dtype="datetime64[D]")
        tables = self._tables(np) if self.units is not None else None
        starts = code_offsets(np, tables, currencies) if tables is not None else None
        if tables is None or starts is None:  # not all three capitals: lists, then arrays
            listed = self.rows(
                days.astype(object).tolist(), [str(c) for c in np.asarray(currencies).tolist()]
            )
            listed.days = days
            for name in ("numerators", "denominators", "fixing_index", "positions"):
                setattr(listed, name, _int_array(np, getattr(listed, name)))
            listed.same = np.asarray(listed.same_rows(), dtype=np.int64)
            return listed
        out = self._array_tail(np, tables, days.astype(np.int64) + _UNIX_EPOCH, starts)
        out.days = days
        self._finish_arrays(np, out, currencies)
        return out

    def array_tables(self, np: Any) -> ArrayTables:
        """The array tables of this quote (:mod:`rates.tables`), made once per process."""
        return self._tables(np)

    def digits(self, code: str) -> tuple[Sequence[int], Sequence[int]]:
        """``code``'s published digits and decimal places on every fixing (EUR: 1 and 0)."""
        return self._digits(code)

    def _tables(self, np: Any) -> ArrayTables:
        assert self.units is not None
        return ArrayTables.of(np, self.units, self.quote)

    def _day_table(self, np: Any) -> DayTable:
        assert self.units is not None
        return DayTable.of(np, self.units, self.book.max_gap, self.table.until)

    def _offset_of(self, tables: ArrayTables) -> dict[str, int]:
        """Each code's column offset in ``tables``."""
        if self._offsets is None or self._offsets[0] is not tables:
            span = tables.span
            self._offsets = (tables, {code: i * span for i, code in enumerate(tables.order)})
        return self._offsets[1]

    def _array_tail(self, np: Any, tables: ArrayTables, ordinals: Any, starts: Any) -> Rows:
        """The rows at ``ordinals`` (days) in the columns at offsets ``starts``; the
        numerators and denominators are gathered when read."""
        index = self._day_table(np).indices(np, ordinals)
        positions = starts + index
        out = Rows(self)
        out.order, out.tables = tables.order, tables
        out.fixing_index, out.positions = index, positions
        out.numerators = out.denominators = None
        out.kinds = tables.kinds.take(positions)
        return out


def _int_array(np: Any, values: list[int]) -> Any:
    try:
        return np.array(values, dtype=np.int64)
    except OverflowError:
        return np.array(values, dtype=object)


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
