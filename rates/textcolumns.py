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

:func:`column_texts` makes one currency's texts with a Decimal division per fixing;
:func:`column_text_array` makes the same bytes with numpy (passed in: this module never
imports it) in a few passes over the whole column, for the ledger's numpy path
(:mod:`calc.ledger_arrays`).
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
    from collections.abc import Iterator
    from typing import Any

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


#: A quotient's digits are worked out four at a time: twelve before the point (an int32 over
#: 1 is below 10**10), forty after it, by long division eight at a time (the first significant
#: digit is at most the 10th after the point for an int32 divisor; the 28 kept and the rounding
#: digit follow it; the remainder tells whether anything is left beyond).
_WHOLE, _FRACTION = 12, 40
_PRECISION = 28
#: The most zeros ``str`` writes between the point and a rate's first digit.
_ZEROS = 6


def column_text_array(np: Any, ratios: CrossRatios, code: str, width: int) -> Any:
    """:func:`column_texts` (no ``after``) as a numpy ``S{width}`` array (``b""`` where either
    is not quoted), or None if a text is wider than ``width``.

    The same text, made without a Decimal per fixing: the quotient of the two mantissas is
    worked out by long division in int64 columns, its first 28 significant digits kept and
    rounded half-even on the rest, as ``RATE_CONTEXT.divide`` does (an exact quotient keeps
    its digits down to the units, no trailing zeros below); the decimal point put where the
    two scales say, as ``scaleb`` and ``str`` do. A fixing whose text would be in exponent
    form, or whose rounding carries into a 29th digit, is made with Decimal, by
    :func:`column_texts`'s expression.
    """
    (mq, sq), (mb, sb) = ratios.digits(ratios.quote), ratios.digits(code)
    top = np.frombuffer(mq, dtype=np.intc).astype(np.int64)
    bottom = np.frombuffer(mb, dtype=np.intc).astype(np.int64)
    blank = np.minimum(top, bottom) <= 0  # not quoted that day
    np.maximum(top, 1, out=top)
    np.maximum(bottom, 1, out=bottom)
    count = len(top)
    # the quotient's digits as characters, a row each: _WHOLE, then _FRACTION after the point
    quads = np.empty((count, (_WHOLE + _FRACTION) // 4), dtype=np.int64)
    whole, rest = np.divmod(top, bottom)
    quads[:, 0], low = np.divmod(whole, 10**8)
    quads[:, 1], quads[:, 2] = np.divmod(low, 10**4)
    for at in range(_WHOLE // 4, quads.shape[1], 2):
        part, rest = np.divmod(rest * 10**8, bottom)
        quads[:, at], quads[:, at + 1] = np.divmod(part, 10**4)
    digits = _quads(np).take(quads).view(np.uint8)  # (count, _WHOLE + _FRACTION)
    del quads
    span = digits.shape[1]
    nonzero = digits != 48
    first = nonzero.argmax(axis=1)  # the first significant digit's column
    last_nonzero = span - 1 - nonzero[:, ::-1].argmax(axis=1)
    del nonzero
    kept = np.empty((count, _PRECISION + 1), dtype=np.uint8)
    for column, at in _groups(np, first):  # the digits from the first significant one on
        kept[at] = digits[at, column : column + _PRECISION + 1]
    del digits
    sticky = (rest != 0) | (last_nonzero > first + _PRECISION)  # anything past the next digit
    exact = ~sticky & (last_nonzero < first + _PRECISION)
    coefficient, next_digit = kept[:, :_PRECISION], kept[:, _PRECISION]
    # half-even: up past a half, or at a half with anything beyond it or an odd last digit
    up = (next_digit > 53) | ((next_digit == 53) & (sticky | (kept[:, _PRECISION - 1] % 2 == 1)))
    coefficient[:, -1] += up
    for at in range(_PRECISION - 1, 0, -1):  # carry the ones that were nines
        over = np.flatnonzero(coefficient[:, at] == 58)
        if not len(over):
            break
        coefficient[over, at] = 48
        coefficient[over, at - 1] += 1
    carried_out = coefficient[:, 0] == 58  # all nines: a 29th digit
    # the last digit shown: the 28th, or, for an exact quotient, its last non-zero digit but
    # not before the units
    units_before = _WHOLE - 1  # the units digit's column, before the shift
    last = np.where(exact, np.maximum(last_nonzero, units_before), first + _PRECISION - 1)
    shift = np.frombuffer(sb, dtype=np.uint8).astype(np.int64) - np.frombuffer(sq, dtype=np.uint8)
    units = shift + units_before  # the units digit's column once the point is moved
    start = np.minimum(first, units)  # "0" before the point when the digits start after it
    plain = (last >= units) & (first - units <= _ZEROS) & ~carried_out  # str's plain form
    ends = np.flatnonzero(exact & (last < first + _PRECISION - 1))
    if len(ends):  # an exact quotient's zeros after its last digit are not shown
        past = np.arange(_PRECISION) > (last - first)[ends, None]
        coefficient[ends] = np.where(past, 0, coefficient[ends])
    # the texts: the columns start..units, a point, units+1..last; laid out in groups of rows
    # with the same leading zeros, whole digits and point (a few per column): slices, no gather
    pad = _ZEROS + 1
    padded = np.zeros((count, pad + _PRECISION + width), dtype=np.uint8)
    padded[:, :pad] = 48
    padded[:, pad : pad + _PRECISION] = coefficient
    before = units - start + 1  # the characters before the point
    pointed = last > units
    length = before + pointed * (1 + last - units)
    if bool((length[plain & ~blank] > width).any()):
        return None
    chars = np.zeros((count, width), dtype=np.uint8)
    key = ((start - first + pad) * 64 + np.minimum(before, 63)) * 2 + pointed + 1
    key[~plain | blank] = 0
    for group, at in _groups(np, key):
        if not group:
            continue  # blank, or made below
        skip, shown, point = (group - 1) // 128, (group - 1) // 2 % 64, (group - 1) % 2
        chars[at, :shown] = padded[at, skip : skip + shown]
        if point:
            chars[at, shown] = 46
            chars[at, shown + 1 :] = padded[at, skip + shown : skip + width - 1]
    out = chars.view(f"S{width}").ravel()
    odd = np.flatnonzero(~plain & ~blank)
    if len(odd):
        values = ratios.quote_decimals()
        for i in odd.tolist():
            value = RATE_CONTEXT.divide(values[i], Decimal(max(mb[i], 1)))
            text = str(value.scaleb(sb[i] - sq[i])).encode("ascii")
            if len(text) > width:
                return None
            out[i] = text
    return out


def _groups(np: Any, keys: Any) -> Iterator[tuple[int, Any]]:
    """Each value of ``keys`` (small integers, at least 0) and the rows that have it (a slice
    when all do)."""
    counts = np.bincount(keys)
    for key in np.flatnonzero(counts).tolist():
        yield key, (slice(None) if counts[key] == len(keys) else np.flatnonzero(keys == key))


_QUADS: list[Any] = []


def _quads(np: Any) -> Any:
    """The characters of 0000 to 9999 as one uint32 each (made once)."""
    if not _QUADS:
        text = "".join(f"{i:04d}" for i in range(10_000)).encode("ascii")
        _QUADS.append(np.frombuffer(text, dtype=np.uint32))
    return _QUADS[0]
