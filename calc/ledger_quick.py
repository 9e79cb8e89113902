"""The ledger's quick path: a block of plain CSV lines rounded and written in C-level passes.

:func:`calc.ledger.convert_csv` hands each block of lines that holds no quote, carriage return
or NUL to :meth:`QuickBlocks.convert`. When every line has the header's number of fields, no
date is blank, no passed-through cell starts a formula and every amount is a plain decimal
with the same number of places, the block is converted here: the cells split at once, each
row's slot found with one dict lookup per column (:class:`rates.textcolumns.TextColumns`),
``round(a * n / d)`` in Python ints with one floor division per row, the lines written as they
were read with the added cells joined on. Otherwise it answers None and the careful path does
the block, so every error (and its message) is that path's; the bytes written are the same.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import compress, repeat
from operator import add, floordiv, itemgetter, lt, mul, not_, rshift
from typing import TYPE_CHECKING, Any

from rates import RateError
from rates.ecb import SOURCE_BUNDLED
from rates.rate import SOURCE_SAME

from . import kernel
from .decimals import Rounding
from .errors import CalcError
from .money import MAX_EXPONENT
from .safetext import FORMULA_START

if TYPE_CHECKING:  # pragma: no cover
    from rates import Rate
    from rates.ratios import CrossRatios

#: Every byte but the comma and the line feed: what a block's shape is checked without.
_NOT_SHAPE = bytes(b for b in range(256) if b not in b",\n")
#: The bytes of a plain amount (digits, a point, a minus sign) and the line feed.
_PLAIN = b"0123456789.-\n"
#: Characters that make the csv module quote a cell.
_QUOTED = (",", '"', "\n", "\r")


class QuickBlocks:
    """Converts blocks of a ledger's plain lines into ``to``, rounded to ``places`` decimals
    by ``rule`` (see the module's docstring).

    ``at`` holds the date, currency and amount columns, ``fields`` the header's width,
    ``passed`` the columns whose cells are checked for formulas; ``known`` the date and code
    caches shared with :func:`calc.ledger._parse_rows`, ``parse_day`` and ``parse_code`` its
    readers (they raise the careful path's errors).
    """

    def __init__(
        self,
        ratios: CrossRatios,
        to: str,
        places: int,
        rule: Rounding,
        at: tuple[int, int, int],
        fields: int,
        passed: Sequence[int],
        readers: tuple[object, object],
    ) -> None:
        from rates.textcolumns import TextColumns

        self.ratios, self.to, self.places, self.rule = ratios, to, places, rule
        self.columns = TextColumns(ratios)
        self.at, self.fields, self.passed = at, fields, passed
        self.parse_day, self.parse_code = readers
        self._index_of_text: dict[str, int] = {}  # date text -> fixing index
        self._offset_of_text: dict[str, int] = {}  # currency text -> column offset
        self._day_of_text: dict[str, _dt.date] = {}
        self._code_of_text: dict[str, str] = {}
        self._doubled: dict[int, list[int]] = {}
        self._shape: dict[int, bytes] = {}
        self._mid = f",{to},"
        self._end = f",{SOURCE_BUNDLED}\n"
        mid = self._mid.replace("%", "%%")
        self._shown = f",%d{mid}" if places == 0 else f",%d.%0{places}d{mid}"

    def convert(self, text: str, name: str, first_line: int) -> str | None:
        """The converted lines of ``text`` (lines without their line feeds, joined by them),
        each ended by a line feed; None if the block is not for the quick path.

        :raises LedgerError: for a date or currency that cannot be read (the careful path's)
        :raises rates.RateError: for a row with no rate, with ``row`` set
        """
        fields = self.fields
        count = text.count("\n") + 1
        try:
            shape = text.encode("utf-8").translate(None, _NOT_SHAPE)
        except UnicodeEncodeError:
            return None
        if shape != self._shape_of(count):
            return None  # a row of another width, or a blank line: the careful path
        cells = text.replace("\n", ",").split(",")
        at_day, at_code, at_amount = self.at
        day_texts, code_texts = cells[at_day::fields], cells[at_code::fields]
        if "" in day_texts:
            return None  # a blank row is skipped, an empty date an error: the careful path
        for column in self.passed:
            try:
                firsts = set(map(itemgetter(0), cells[column::fields]))
            except IndexError:  # an empty cell: look at the others' first characters
                firsts = set(map(itemgetter(0), filter(None, cells[column::fields])))
            if not firsts.isdisjoint(FORMULA_START):
                return None  # a cell to escape: the careful path
        amounts = _plain_amounts(cells[at_amount::fields])
        try:
            index = list(map(self._index_of_text.__getitem__, day_texts))
        except KeyError:
            index = self._learn_days(day_texts, name, first_line)
        try:
            offsets = list(map(self._offset_of_text.__getitem__, code_texts))
        except KeyError:
            offsets = self._learn_codes(code_texts, name, first_line)
        if amounts is None:
            return None  # not all plain with the same places: the careful path reads them
        digits, places = amounts
        columns, target = self.columns, self.places
        slots = list(map(add, offsets, index))
        dens = list(map(columns.denominators.__getitem__, slots))
        doubled = self._doubled.get(places)
        if doubled is None:
            doubled = self._doubled[places] = columns.doubled(10 ** max(target - places, 0))
        nums = list(map(doubled.__getitem__, index))
        if places > target:
            dens = list(map(mul, dens, repeat(10 ** (places - target))))
        special = list(compress(range(count), map(not_, dens))) if 0 in dens else []
        for row in special:
            dens[row] = 1  # worked out below, one by one
        products = list(map(mul, digits, nums))
        # round half up: floor((floor(2q) + 1) / 2) for q = a * n / d >= 0
        quotients = list(map(floordiv, products, dens))
        minor = list(map(rshift, map(add, quotients, repeat(1)), repeat(1)))
        del cells
        if self.rule == "half-even":  # a tie (2q odd, no remainder) rounded up to odd: down
            rests = list(map(int.__mod__, products, dens))
            if 0 in rests:
                for row in compress(range(count), map(not_, rests)):
                    if quotients[row] & 1 and minor[row] & 1:
                        minor[row] -= 1
        negative = (
            list(compress(range(count), map(lt, digits, repeat(0)))) if min(digits) < 0 else []
        )
        if negative:  # Python ints by the rule, for amounts below zero
            fixed = kernel.round_quotients(
                [digits[r] for r in negative],
                [nums[r] >> 1 for r in negative],
                [dens[r] for r in negative],
                self.rule,
            )
            for row, value in zip(negative, fixed, strict=True):
                minor[row] = value
        texts = list(map(columns.texts.__getitem__, slots))
        added = _Added(count, self._end)
        if special:
            self._special(special, day_texts, code_texts, digits, places, index, minor, texts,
                          added)  # fmt: skip
        if target == 0:
            shown = list(map(self._shown.__mod__, minor))
        else:  # ",whole.fraction,TO," in one format per row (the sign by hand below)
            shown = list(map(self._shown.__mod__, map(divmod, minor, repeat(10**target))))
            if min(minor) < 0:
                for row in compress(range(count), map(lt, minor, repeat(0))):
                    shown[row] = f",{kernel.minor_texts([minor[row]], target)[0]}{self._mid}"
        # the output's pieces laid side by side with slice assignments, then joined once
        pieces: list[str | None] = [None] * (4 * count)
        pieces[0::4] = text.split("\n")
        pieces[1::4] = shown
        del shown
        pieces[2::4] = texts
        pieces[3::4] = added.ends()
        return "".join(pieces)  # type: ignore[arg-type] # every piece was set

    def _shape_of(self, count: int) -> bytes:
        """What a block of ``count`` lines of the header's width leaves of commas and LFs."""
        found = self._shape.get(count)
        if found is None:
            if len(self._shape) > 64:
                self._shape.clear()
            found = self._shape[count] = ((b"," * (self.fields - 1) + b"\n") * count)[:-1]
        return found

    def _learn_days(self, texts: list[str], name: str, first_line: int) -> list[int]:
        """Read the date texts not seen yet (the first bad one in row order raises)."""
        return self._learn(texts, self.parse_day, self._day_of_text, self._index_of_text,
                           self.columns.index_of, name, first_line)  # fmt: skip

    def _learn_codes(self, texts: list[str], name: str, first_line: int) -> list[int]:
        """Read the currency texts not seen yet (the first bad one in row order raises)."""
        return self._learn(texts, self.parse_code, self._code_of_text, self._offset_of_text,
                           self.columns.offset, name, first_line)  # fmt: skip

    @staticmethod
    def _learn(
        texts: list[str],
        parse: Any,
        value_of: dict[str, Any],
        place_of: dict[str, int],
        place: Callable[[Any], int],
        name: str,
        first_line: int,
    ) -> list[int]:
        """Each text's place in the columns, reading with ``parse`` the texts not seen yet
        into ``value_of`` and ``place_of``; the first bad one in row order raises ``parse``'s
        error, naming its line."""
        bad: list[tuple[int, str]] = []
        for text in set(texts).difference(place_of):
            try:
                value = parse(text, name, 0)
            except CalcError:
                bad.append((texts.index(text), text))
                continue
            value_of[text] = value
            place_of[text] = place(value)
        if bad:
            row, text = min(bad)
            parse(text, name, first_line + row)
        return list(map(place_of.__getitem__, texts))

    def _special(
        self,
        special: list[int],
        day_texts: list[str],
        code_texts: list[str],
        digits: list[int],
        places: int,
        index: list[int],
        minor: list[int],
        texts: list[str | None],
        added: _Added,
    ) -> None:
        """The rows the columns do not answer: the same currency (rate 1 on its own day), and
        the book's answers (asked once per day and currency); their results by the rule."""
        ratios, none = self.ratios, self.columns.count
        asked: dict[tuple[_dt.date, str], Rate] = {}
        fractions: list[tuple[int, int]] = []
        for row in special:
            day = self._day_of_text[day_texts[row]]
            code = self._code_of_text[code_texts[row]]
            if code == ratios.quote and index[row] != none:
                fractions.append((1, 1))
                texts[row] = f"1,{day.isoformat()}"
                source = SOURCE_SAME
            else:
                rate = asked.get((day, code))
                if rate is None:
                    try:
                        rate = asked[(day, code)] = ratios.table.rate(day, code)
                    except RateError as exc:
                        exc.row = row
                        raise
                fraction = Fraction(rate.ratio[0]) / Fraction(rate.ratio[1])
                fractions.append((fraction.numerator, fraction.denominator))
                texts[row] = f"{rate.value!s},{rate.fixing_date.isoformat()}"
                source = rate.source
            if source != SOURCE_BUNDLED:
                added.set_end(row, f",{source}\n")
        scale = 10**self.places
        fixed = kernel.round_quotients(
            [digits[r] for r in special],
            [n * scale for n, _d in fractions],
            [d * 10**places for _n, d in fractions],
            self.rule,
        )
        for row, value in zip(special, fixed, strict=True):
            minor[row] = value


class _Added:
    """The last cell written after each row's rate: shared, a row's own where it differs (a
    list made only then)."""

    def __init__(self, count: int, end: str) -> None:
        self.count = count
        self._end_text = end
        self._ends: list[str] | None = None

    def set_end(self, row: int, end: str) -> None:
        if self._ends is None:
            self._ends = [self._end_text] * self.count
        self._ends[row] = end

    def ends(self) -> list[str]:
        return self._ends if self._ends is not None else [self._end_text] * self.count


def _plain_amounts(texts: list[str]) -> tuple[list[int], int] | None:
    """Plain decimal texts (``-1234.56``, ``.5``, ``7``), all with the same number of places,
    as their digits and that number; None otherwise."""
    block = "\n".join(texts)
    if not block.isascii() or block.encode("ascii").translate(None, _PLAIN):
        return None
    first = texts[0]
    point = first.find(".")
    places = len(first) - point - 1 if point >= 0 else 0
    if places > MAX_EXPONENT:
        return None
    points = block.count(".")
    if places:
        try:
            if points != len(texts) or set(map(itemgetter(-places - 1), texts)) != {"."}:
                return None
        except IndexError:  # a text shorter than its places
            return None
        block = block.replace(".", "")
    elif points:
        return None
    minus = block.count("-")
    if minus and ("\n" + block).count("\n-") != minus:
        return None  # a minus sign not in front
    try:
        return list(map(int, block.split("\n"))), places
    except ValueError:  # '', '-', or too many digits for int()
        return None
