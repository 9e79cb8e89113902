"""The batch path's rates: cross rates into one currency for many (day, currency) lookups.

:class:`CrossTable` computes, for each currency asked for, the cross rate on every bundled fixing
once (EUR->quote / EUR->currency, the same Decimal division :meth:`RateBook.rate` does), and
for each calendar day the fixing it uses. :meth:`CrossTable.lookup` answers a whole batch of
rows from those columns in C-level passes; the rows the columns do not cover go to the book.
:attr:`CrossTable.ratios` gives the same rates as exact integer fractions (:mod:`rates.ratios`),
which the batch path converts with.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from itertools import compress, repeat
from operator import add

from .ecb import SOURCE_BUNDLED, calendar_of
from .errors import RateError
from .rate import RATE_CONTEXT, SOURCE_SAME, Rate
from .units import units_for

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:  # pragma: no cover
    from .book import RateBook
    from .ecb import History
    from .ratios import CrossRatios

_ONE = Decimal(1)
#: Marks "the same currency" in a layout: a distinct object, compared with ``is`` (never ==,
#: which would also match a real rate of 1, and is slow on Decimals).
_SAME = Decimal(1)

#: The columns of a set of currencies laid end to end: ``(flat, flat_text, offsets, special)``.
_Layout = tuple[list[Decimal | None], list[str | None], dict[str, int], set[int]]


class CrossTable:
    """Rates into one currency for many (day, currency) lookups: columns computed once.

    Made by :meth:`RateBook.cross_table`. A lookup that is not two ECB currencies on a day
    inside the snapshot, or a book with overrides, goes to :meth:`RateBook.rate`, so answers
    (and errors) are always the book's.

    >>> import datetime
    >>> from rates import RateBook
    >>> table = RateBook(cache=None).cross_table("USD")
    >>> values, _shown, fixings, sources = table.lookup([datetime.date(2023, 12, 2)] * 2, ["GBP", "USD"])
    >>> values[0] == Decimal("1.0875") / Decimal("0.86045"), values[1], fixings, sources
    (True, Decimal('1'), [datetime.date(2023, 12, 1), datetime.date(2023, 12, 2)], ['ECB reference rates (bundled)', 'same currency'])
    """

    def __init__(self, book: RateBook, quote: str) -> None:
        self.book, self.quote = book, quote
        fixings = book.fixings
        self._history = history = fixings.snapshot
        self.simple = not book.overrides and (history.quotes(quote) or quote == "EUR")
        #: The last day a bundled fixing may be used for (today, or the snapshot's last day).
        self.until = _dt.date.fromisoformat(min(book.today().isoformat(), fixings.snapshot_last))
        #: The bundled fixings as integers (:mod:`rates.units`; None unless :attr:`simple`).
        self.units = units_for(history) if self.simple else None
        ordinals = self.units.ordinals if self.units is not None else []
        self._index_of_day: dict[_dt.date, int] | None = None
        #: The bundled fixing dates, ascending.
        self.fixing_dates: list[_dt.date] = list(map(_dt.date.fromordinal, ordinals))
        self._columns: dict[str, list[Decimal | None] | None] = {}
        self._per_eur_columns: dict[str, list[Decimal | None]] = {}
        self._complete: dict[str, bool] = {}  # quoted on every fixing (no None in its column)
        self._texts: dict[str, list[str | None]] = {}
        self._gaps: dict[str, list[int]] = {}
        self._layouts: dict[tuple[frozenset[str], bool], _Layout] = {}
        self._ratios: CrossRatios | None = None

    @property
    def index_of_day(self) -> dict[_dt.date, int]:
        """Each calendar day -> the index of the bundled fixing it uses (made on first use:
        the batch path's array tables do without it)."""
        if self._index_of_day is None:
            ordinals = self.units.ordinals if self.units is not None else []
            self._index_of_day = calendar_of(ordinals, self.book.max_gap, self.until)
        return self._index_of_day

    @property
    def history(self) -> History:
        """The bundled history the columns are made from."""
        return self._history

    @property
    def ratios(self) -> CrossRatios:
        """The same rates as exact integer fractions, for the batch path's integer arithmetic
        (:class:`rates.ratios.CrossRatios`), made on first use."""
        if self._ratios is None:
            from .ratios import CrossRatios

            self._ratios = CrossRatios(self)
        return self._ratios

    @property
    def fixing_texts(self) -> list[str]:
        """The fixing dates as ``YYYY-MM-DD`` text."""
        return self._history.dates

    def lookup(
        self, days: Sequence[_dt.date], currencies: Sequence[str], *, texts: bool = False
    ) -> tuple[list[Decimal], list[str], list[_dt.date] | list[str], list[str]]:
        """The rate of row ``i`` = (``days[i]``, ``currencies[i]``) into the quote currency.

        Returns ``(values, shown, fixings, sources)``, one entry per row: the rates; with
        ``texts=True`` the rates as text (each value's ``str``, else ``[]``); the fixing dates
        (as ``YYYY-MM-DD`` text with ``texts=True``); the sources. The same currency is rate 1
        with its own day as the fixing, as :meth:`RateBook.rate` says.

        :raises RateError: the book's error for a row it cannot answer, with ``row`` set
            to that row
        """
        none = len(self.fixing_dates)  # the index of "no fixing" in every column
        indices = list(map(self.index_of_day.get, days, repeat(none)))
        # One flat list of every needed column, each with a trailing None: row -> offset + index.
        flat, flat_text, offsets, special = self._layout(set(currencies), texts=texts)
        positions = list(map(add, map(offsets.__getitem__, currencies), indices))
        rates = list(map(flat.__getitem__, positions))
        dates: list[_dt.date | None] | list[str | None] = (
            [*self.fixing_texts, None] if texts else [*self.fixing_dates, None]
        )
        fixings: list[object] = list(map(dates.__getitem__, indices))
        shown = list(map(flat_text.__getitem__, positions)) if texts else []
        sources = [SOURCE_BUNDLED] * len(rates)
        # The rows to finish one by one: no rate in the columns, or the same currency. Found
        # without a Python loop over every row (and without comparing Decimals, which is slow).
        for position in compress(range(len(positions)), map(special.__contains__, positions)):
            day = days[position]
            if rates[position] is _SAME:
                rates[position], sources[position] = _ONE, SOURCE_SAME
                fixings[position] = day.isoformat() if texts else day
                continue
            try:
                rate = self.rate(day, currencies[position])  # the book's answer or error
            except RateError as exc:
                exc.row = position
                raise
            rates[position], sources[position] = rate.value, rate.source
            fixings[position] = rate.fixing_date.isoformat() if texts else rate.fixing_date
            if texts:
                shown[position] = str(rate.value)
        return rates, shown, fixings, sources  # type: ignore[return-value] # every None filled

    def _layout(self, codes: set[str], *, texts: bool) -> _Layout:
        """The columns of ``codes`` laid end to end, for lookups by ``offset[code] + index``.

        Each column is followed by a None (the index ``len(fixing_dates)`` means "no
        fixing"); the quote's own column is the marker :data:`_SAME`; ``special`` holds the
        positions the book must answer itself. Made once per set of currencies and kept.
        """
        key = (frozenset(codes), texts)
        if key not in self._layouts:
            self._prefetch(codes)
            none = len(self.fixing_dates)
            flat: list[Decimal | None] = []
            flat_text: list[str | None] = []
            offsets: dict[str, int] = {}
            special: set[int] = set()
            for code in sorted(codes):
                offsets[code] = start = len(flat)
                if code == self.quote:
                    flat.extend(repeat(_SAME, none))
                    special.update(range(start, start + none + 1))
                else:
                    column = self.column(code)
                    flat.extend(column if column is not None else repeat(None, none))
                    special.update(start + i for i in self.gaps(code))
                flat.append(None)
                if texts:
                    flat_text.extend(
                        self.column_text(code) if code != self.quote else repeat("1", none)
                    )
                    flat_text.append(None)
            self._layouts[key] = (flat, flat_text, offsets, special)
        return self._layouts[key]

    def _prefetch(self, codes: set[str]) -> None:
        """Read the per-EUR columns of every code not read yet, in one pass over the rows."""
        history = self._history
        missing = [
            c for c in (*codes, self.quote)
            if c != "EUR" and history.quotes(c) and c not in self._per_eur_columns
            and c not in self._columns
        ]  # fmt: skip
        for code, texts in history.columns(missing).items():
            self._complete[code] = "" not in texts
            self._per_eur_columns[code] = _decimals(texts, complete=self._complete[code])

    def gaps(self, base: str) -> list[int]:
        """The indices where :meth:`column` has no rate, and the index after the last fixing
        (which stands for "no fixing"): the lookups the book must answer itself."""
        if base not in self._gaps:
            column = self.column(base)
            count = len(self.fixing_dates)
            self._gaps[base] = (
                list(range(count + 1)) if column is None
                else [i for i, v in enumerate(column) if v is None] + [count]
            )  # fmt: skip
        return self._gaps[base]

    def column_text(self, base: str) -> list[str | None]:
        """:meth:`column` as text (each value's ``str``), made once per currency."""
        if base not in self._texts:
            column = self.column(base)
            self._texts[base] = (
                [None] * len(self.fixing_dates) if column is None
                else [None if v is None else str(v) for v in column]
            )  # fmt: skip
        return self._texts[base]

    def column(self, base: str) -> list[Decimal | None] | None:
        """``base``->quote on every bundled fixing (None where either is not quoted), or None
        when the fast path does not apply to ``base``."""
        if base not in self._columns:
            history = self._history
            if not self.simple or base == self.quote or not (history.quotes(base) or base == "EUR"):
                self._columns[base] = None
            else:
                per_eur, target = self._per_eur(base), self._per_eur(self.quote)
                divide = RATE_CONTEXT.divide
                if self._complete[base] and self._complete[self.quote]:
                    self._columns[base] = list(map(divide, target, per_eur))  # type: ignore[arg-type] # complete: no None
                else:
                    self._columns[base] = [
                        divide(q, b) if q is not None and b is not None else None
                        for q, b in zip(target, per_eur, strict=True)
                    ]
                if base != "EUR":  # only the quote's column is needed again: keep memory down
                    del self._per_eur_columns[base]
        return self._columns[base]

    def _per_eur(self, code: str) -> list[Decimal | None]:
        if code not in self._per_eur_columns:
            if code == "EUR":
                self._complete[code] = True
                self._per_eur_columns[code] = [_ONE] * len(self._history)
            else:
                texts = self._history.column(code)
                self._complete[code] = "" not in texts
                self._per_eur_columns[code] = _decimals(texts, complete=self._complete[code])
        return self._per_eur_columns[code]

    def rate(self, day: _dt.date, base: str) -> Rate:
        """The book's rate ``base``->quote on ``day``, from the columns where they apply."""
        index = self.index_of_day.get(day) if type(day) is _dt.date else None
        column = self.column(base) if index is not None else None
        value = column[index] if column is not None and index is not None else None
        if value is None or index is None:
            return self.book.rate(base, self.quote, day)
        return Rate(base, self.quote, value, day, self.fixing_dates[index], (SOURCE_BUNDLED,))


def _decimals(texts: list[str], *, complete: bool) -> list[Decimal | None]:
    """Published texts as Decimals ('' as None); ``complete`` says there is no ''."""
    if complete:
        return list(map(Decimal, texts))
    return [Decimal(v) if v else None for v in texts]
