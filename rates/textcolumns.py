"""The batch path's rates for a CSV writer: per (currency, fixing), the denominator and the text.

A ledger writes, for every row, its rate as text and its fixing date beside the converted
amount. :class:`TextColumns` keeps, for each currency a ledger has named so far, its column of
the bundled fixings into the quote currency: the exact fraction's denominator (the published
value in millionths; the numerator is the quote's, the same for every currency) and the text
``"rate,fixing date"`` as :meth:`rates.RateBook.rate` gives them (the Decimal's ``str``). A
row's slot is ``offset(code) + index_of(day)``; a slot whose denominator is 0 is one the columns
do not answer (no fixing that day or within the gap, the currency or the quote not quoted, the
quote itself): the caller asks :meth:`rates.CrossTable.rate` for it, as
:class:`rates.ratios.CrossRatios` does. Plain lists and ``array`` only: no numpy.
"""

from __future__ import annotations

import datetime as _dt
from array import array
from bisect import bisect_right
from decimal import Decimal
from itertools import compress, repeat
from operator import mul, sub

from .rate import RATE_CONTEXT

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from .ratios import CrossRatios


class TextColumns:
    """The columns of :class:`rates.ratios.CrossRatios` as denominators and text, made per
    currency on first use (see the module's docstring). ``ratios.units`` must not be None.

    >>> import datetime
    >>> from rates import RateBook
    >>> columns = TextColumns(RateBook(cache=None).cross_table("USD").ratios)
    >>> at = columns.offset("GBP") + columns.index_of(datetime.date(2023, 12, 2))
    >>> columns.texts[at], columns.numerators[columns.index_of(datetime.date(2023, 12, 2))]
    ('1.263873554535417514091463769,2023-12-01', 1087500)
    >>> columns.denominators[at]
    860450
    """

    def __init__(self, ratios: CrossRatios) -> None:
        units = ratios.units
        assert units is not None
        self.ratios = ratios
        self.count = units.count
        self._ordinals = units.ordinals
        self._until = ratios.table.until.toordinal()
        self._max_gap = ratios.book.max_gap
        self._offsets: dict[str, int] = {}
        #: The quote per 1 EUR in millionths on each fixing (0 where not quoted; the last
        #: entry, for "no fixing", 0): every slot's numerator on that fixing.
        self.numerators = array("q", ratios.micros(ratios.quote))
        self.numerators.append(0)
        self._quote_values = ratios.quote_decimals()
        #: Each slot's denominator (0: the book answers that slot).
        self.denominators = array("q")
        #: Each slot's ``"rate,fixing date"`` (None where the denominator is 0).
        self.texts: list[str | None] = []
        self._fixings = [f",{d}" for d in ratios.fixing_texts]

    def offset(self, code: str) -> int:
        """Where ``code``'s column starts (made on first use)."""
        found = self._offsets.get(code)
        if found is None:
            found = self._offsets[code] = len(self.texts)
            self._add_column(code)
        return found

    def index_of(self, day: _dt.date) -> int:
        """The index of the fixing ``day`` uses (the last on or before it, at most the book's
        gap back, not after the table's last day), else ``count`` ("no fixing")."""
        ordinal = day.toordinal()
        at = bisect_right(self._ordinals, ordinal) - 1
        if at < 0 or ordinal > self._until or ordinal - self._ordinals[at] > self._max_gap:
            return self.count
        return at

    def _add_column(self, code: str) -> None:
        units = self.ratios.units
        assert units is not None
        count = self.count
        if code == self.ratios.quote or not (code in units.mantissas or code == "EUR"):
            self.denominators.extend(repeat(0, count + 1))  # the quote itself, or a code
            self.texts.extend(repeat(None, count + 1))  # without bundled values: the book's
            return
        dens = self.ratios.column(code)[1]
        texts: list[str | None] = list(column_texts(self.ratios, code, self._fixings))
        for i in [i for i, d in enumerate(dens) if not d]:
            texts[i] = None  # not quoted that day
        texts.append(None)
        self.texts += texts
        self.denominators.extend(dens)
        self.denominators.append(0)
        self.ratios.forget_micros()  # in the columns now

    def doubled(self, factor: int) -> list[int]:
        """``2 * numerators * factor``, per fixing."""
        return list(map(mul, self.numerators, repeat(2 * factor)))


def column_texts(ratios: CrossRatios, code: str, after: list[str] | None = None) -> list[str]:
    """The rate of ``code`` into the quote on every bundled fixing as text, as
    :meth:`rates.RateBook.rate` divides it (``""`` where either is not quoted), each followed
    by ``after``'s text for its fixing when given (``",2023-12-01"``)."""
    (mq, sq), (mb, sb) = ratios.digits(ratios.quote), ratios.digits(code)
    # (m_q / m_b) * 10**(s_b - s_q): the same digits and exponent as dividing the values
    values = map(
        RATE_CONTEXT.divide, ratios.quote_decimals(), map(Decimal, map(max, mb, repeat(1)))
    )
    shown = map(str, map(Decimal.scaleb, values, map(sub, sb, sq)))
    texts = list(shown if after is None else map(str.__add__, shown, after))
    for i in compress(range(len(texts)), map(_not, map(min, mq, mb))):
        texts[i] = ""  # not quoted that day
    return texts


def _not(value: int) -> bool:
    return not value
