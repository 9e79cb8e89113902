"""The ledger's quick path with numpy: a block of plain CSV lines read, rounded and written as bytes.

When numpy is installed (``spendcalc[fast]``), :func:`calc.ledger.convert_csv` hands each block
of plain lines (no quote, carriage return or NUL) to :meth:`ArrayBlocks.convert` first. The
block's bytes are cut at its commas and line feeds in one pass; dates of the form
``YYYY-MM-DD``, three-capital codes and plain amounts of up to 18 digits (the same places in
every row) are read with array arithmetic; each row's rate is looked up and rounded by the
integer kernel (:func:`calc.kernel.rounded_at`, exact on every row); the output lines are laid
out as a matrix of bytes (the line as read, the added cells, NUL where a row is shorter) and
written without the NULs. Anything else (another date form, a blank row, a cell that starts a
formula, an amount that is not plain) answers None and the next path does the block, so every
error is that path's; the bytes written are the same.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

from rates.ecb import SOURCE_BUNDLED
from rates.rate import SOURCE_SAME

from . import kernel
from .decimals import Rounding
from .errors import CalcError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from rates.ratios import CrossRatios

#: The widest rate text kept per slot (28 digits, a point, up to six zeros; longer: the next
#: path).
TEXT_WIDTH = 36
#: Rows laid out as matrices of bytes at a time (the scratch memory stays small).
SUB_BLOCK = 1024
_FORMULA = b"=+-@\t"
#: Days in each month (index 1..12) of a common year.
_MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


class ArrayBlocks:
    """Converts blocks of a ledger's plain lines with numpy (see the module's docstring);
    the arguments are :class:`calc.ledger_quick.QuickBlocks`'s."""

    def __init__(
        self,
        np: Any,
        ratios: CrossRatios,
        to: str,
        places: int,
        rule: Rounding,
        at: tuple[int, int, int],
        fields: int,
        passed: Sequence[int],
        parse_code: Callable[[str, str, int], str],
    ) -> None:
        self.np, self.ratios, self.places, self.rule = np, ratios, places, rule
        self.at, self.fields, self.passed, self.parse_code = at, fields, passed, parse_code
        self.tables = tables = ratios.array_tables(np)
        self.span = tables.span
        # calloc'd: the pages of columns never named are never touched
        self.texts = np.zeros((len(tables.order) + 1) * tables.span, dtype=f"S{TEXT_WIDTH}")
        self._made: set[int] = set()  # the layout rows whose texts are in
        self._codes: set[int] = set()  # the code keys read so far
        self._mid = np.frombuffer(f",{to},".encode("ascii"), dtype=np.uint8)
        self._fixings = np.array([f",{d}" for d in ratios.fixing_texts] + [""], dtype="S11")
        self._sources: dict[str, int] = {SOURCE_BUNDLED: 0, SOURCE_SAME: 1}
        self._source_bytes = [f",{SOURCE_BUNDLED}\n".encode(), f",{SOURCE_SAME}\n".encode()]
        self.broken = False  # a text too wide for the table: the next path from now on
        month = np.array(_MONTH_DAYS, dtype=np.int64)
        self._month_days = month
        self._powers = np.array([10**k for k in range(19)], dtype=np.int64)
        quads = "".join(f"{i:04d}" for i in range(10_000)).encode("ascii")
        self._quads = np.frombuffer(quads, dtype=np.uint32)  # "0000" to "9999", 4 bytes each

    def convert(self, text: str, name: str, first_line: int) -> str | None:
        """:meth:`calc.ledger_quick.QuickBlocks.convert`, with arrays."""
        if self.broken:
            return None
        np, fields = self.np, self.fields
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return None
        buf = np.frombuffer(data + b"\n", dtype=np.uint8)
        cuts = np.flatnonzero((buf == 44) | (buf == 10))
        count = text.count("\n") + 1
        if len(cuts) != count * fields:
            return None
        ends = cuts.reshape(count, fields)
        if not bool((buf[ends[:, -1]] == 10).all()) or not bool((buf[ends[:, :-1]] == 44).all()):
            return None  # a row of another width: the next path
        starts = np.empty_like(ends)
        starts[:, 1:] = ends[:, :-1] + 1
        starts[0, 0] = 0
        starts[1:, 0] = ends[:-1, -1] + 1
        widths = ends - starts
        for column in self.passed:
            filled = widths[:, column] > 0
            firsts = buf[starts[filled, column]]
            if bool(np.isin(firsts, np.frombuffer(_FORMULA, dtype=np.uint8)).any()):
                return None  # a cell to escape
        at_day, at_code, at_amount = self.at
        ordinals = self._days(buf, starts[:, at_day], widths[:, at_day])
        if ordinals is None:
            return None
        keys = self._keys(buf, starts[:, at_code], widths[:, at_code])
        if keys is None:
            return None
        self._check_codes(keys, buf, starts[:, at_code], name, first_line)
        parts: list[tuple[Any, int]] = []
        for start in range(0, count, SUB_BLOCK):
            stop = start + SUB_BLOCK
            part = self._amounts(buf, starts[start:stop, at_amount], ends[start:stop, at_amount])
            if part is None or (parts and part[1] != parts[0][1]):
                return None
            parts.append(part)
        digits, power = np.concatenate([p[0] for p in parts]), parts[0][1]
        days = (ordinals - _dt.date(1970, 1, 1).toordinal()).astype("datetime64[D]")
        codes = buf[starts[:, at_code, None] + np.arange(3)].copy().view("S3").ravel()
        rows = self.ratios.array_rows(days, codes)  # the book's error for a row without a rate
        tables = rows.ratio_tables()
        if tables is None:
            return None
        minor = kernel.rounded_at(
            digits, power, tables, rows.exact_ratios(), self.places, self.rule
        )
        if minor is None or minor.dtype != np.int64 or int(minor.min()) == -(2**63):
            return None
        return self._write(buf, starts[:, 0], ends[:, -1], minor, rows)

    # -- reading ----------------------------------------------------------------------------

    def _days(self, buf: Any, starts: Any, widths: Any) -> Any:
        """Each ``YYYY-MM-DD`` date as a proleptic ordinal; None unless every one is a valid
        date of that form."""
        np = self.np
        if not bool((widths == 10).all()):
            return None
        block = buf[starts[:, None] + np.arange(10)].astype(np.int64)
        if not bool(((block[:, 4] == 45) & (block[:, 7] == 45)).all()):
            return None
        digits = block[:, [0, 1, 2, 3, 5, 6, 8, 9]] - 48
        if not bool(((digits >= 0) & (digits <= 9)).all()):
            return None
        year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
        month = digits[:, 4] * 10 + digits[:, 5]
        day = digits[:, 6] * 10 + digits[:, 7]
        if not bool(((year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)).all()):
            return None
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        if not bool((day <= self._month_days[month] + (leap & (month == 2))).all()):
            return None
        # days from the civil date (the proleptic Gregorian calendar, as datetime.date)
        shifted = year - (month <= 2)
        era = shifted // 400
        in_era = shifted - era * 400
        in_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
        of_era = in_era * 365 + in_era // 4 - in_era // 100 + in_year
        return era * 146097 + of_era - 305  # counted from 0000-03-01, which is ordinal -305

    def _keys(self, buf: Any, starts: Any, widths: Any) -> Any:
        """Each three-capital code as a number (AAA 0 to ZZZ 17575); None unless all are."""
        np = self.np
        if not bool((widths == 3).all()):
            return None
        chars = buf[starts[:, None] + np.arange(3)].astype(np.int64) - 65
        if not bool(((chars >= 0) & (chars <= 25)).all()):
            return None
        return chars[:, 0] * 676 + chars[:, 1] * 26 + chars[:, 2]

    def _check_codes(self, keys: Any, buf: Any, starts: Any, name: str, first_line: int) -> None:
        """Read each code not seen yet as the next path does (the first bad one in row order
        raises its error)."""
        np = self.np
        new = [k for k in np.flatnonzero(np.bincount(keys)).tolist() if k not in self._codes]
        bad: list[tuple[int, str]] = []
        for key in new:
            code = _code_of(key)
            try:
                self.parse_code(code, name, 0)
            except CalcError:
                bad.append((int(np.flatnonzero(keys == key)[0]), code))
                continue
            self._codes.add(key)
        if bad:
            row, code = min(bad)
            self.parse_code(code, name, first_line + row)

    def _amounts(self, buf: Any, starts: Any, ends: Any) -> tuple[Any, int] | None:
        """Plain amounts (``-1234.56``, ``.5``, ``7``) of up to 18 digits with the same places,
        as int64 digits and the power of ten they are over; None otherwise."""
        np = self.np
        widths = ends - starts
        top = int(widths.max())
        if int(widths.min()) < 1 or top > 20:
            return None
        # the bytes right to left: column j is the j-th byte before each end (0 past the start)
        back = ends[:, None] - 1 - np.arange(top)
        inside = back >= starts[:, None]
        block = np.where(inside, buf.take(back, mode="clip"), 0).astype(np.int64)
        first = bytes(buf[starts[0] : ends[0]])
        places = len(first) - first.find(b".") - 1 if b"." in first else 0
        point = block == 46
        if places:
            if not bool(point[:, places].all()) or int(point.sum()) != len(block):
                return None
        elif bool(point.any()):
            return None
        minus = block == 45
        lead = widths - 1  # where a minus sign may stand
        if bool(minus.any()):
            at_lead = np.zeros_like(minus)
            at_lead[np.arange(len(block)), lead] = True
            if bool((minus & ~at_lead).any()):
                return None
        digit = inside & ~point & ~minus
        values = block - 48
        if not bool(((values[digit] >= 0) & (values[digit] <= 9)).all()):
            return None
        count = digit.sum(axis=1)
        if int(count.min()) < 1 or int(count.max()) > 18:
            return None
        exponent = np.arange(top) - (np.arange(top) > places) * (places > 0)
        powers = self._powers[np.minimum(exponent, 18)]
        magnitude = (np.where(digit, values, 0) * powers).sum(axis=1)
        negative = minus.any(axis=1)
        return np.where(negative, -magnitude, magnitude), 10**places

    # -- writing ----------------------------------------------------------------------------

    def _write(
        self, buf: Any, line_starts: Any, line_ends: Any, minor: Any, rows: Any
    ) -> str | None:
        """The block's output: each line as read, then its converted amount, the target, the
        rate and fixing date, the source."""
        np = self.np
        count = len(minor)
        positions = rows.positions
        for row in np.flatnonzero(np.bincount(positions // self.span)).tolist():
            if row not in self._made and not self._make(row):
                return None
        rates = self.texts.take(positions)
        fixings = self._fixings.take(rows.fixing_index)
        sources = np.zeros(count, dtype=np.intp)
        same = rows.same_rows()
        if same:  # their fixing date is their own day
            at = np.array(same, dtype=np.intp)
            rates[at] = b"1"
            shown = np.datetime_as_string(rows.days[at].astype("datetime64[D]")).astype("S10")
            fixings[at] = np.char.add(b",", shown)
            sources[at] = 1
        for row, rate in rows.answered.items():
            shown = str(rate.value).encode("ascii")
            if len(shown) > TEXT_WIDTH:
                return None
            rates[row] = shown
            fixings[row] = f",{rate.fixing_date.isoformat()}".encode("ascii")
            sources[row] = self._source_of(rate.source)
        source_table = np.array(self._source_bytes, dtype=f"S{max(map(len, self._source_bytes))}")
        out = []
        for start in range(0, count, SUB_BLOCK):
            stop = min(start + SUB_BLOCK, count)
            begin, end = line_starts[start:stop], line_ends[start:stop]
            size = stop - start
            index = begin[:, None] + np.arange(int((end - begin).max()))
            lines = np.where(index < end[:, None], buf.take(index, mode="clip"), 0)
            pieces = [
                lines.astype(np.uint8, copy=False),
                self._number_bytes(minor[start:stop]),
                np.broadcast_to(self._mid, (size, len(self._mid))),
                rates[start:stop].view(np.uint8).reshape(size, TEXT_WIDTH),
                fixings[start:stop].view(np.uint8).reshape(size, 11),
                source_table.take(sources[start:stop]).view(np.uint8).reshape(size, -1),
            ]
            matrix = np.hstack(pieces).ravel()
            out.append(matrix[matrix != 0].tobytes().decode("utf-8"))
        return "".join(out)

    def _number_bytes(self, minor: Any) -> Any:
        """``,`` and each integer in units of ``10**-places`` as decimal text, as a matrix of
        bytes (NUL before the sign and leading digits)."""
        np, places = self.np, self.places
        count = len(minor)
        magnitude = np.abs(minor)
        if places > 4:  # four digits at a time below: the whole part, and the places
            return self._number_bytes_by_digit(minor)
        whole, part = np.divmod(magnitude, 10**places)
        # As many digit columns as the block's largest whole part has, in fours (the table
        # of "0000" to "9999"); NUL before each one's first digit (the units always shown).
        size = len(str(int(whole.max()))) if count else 1
        fours = -(-size // 4)
        quads = np.empty((count, fours), dtype=np.int64)
        rest = whole
        for at in range(fours - 1, -1, -1):
            rest, quads[:, at] = np.divmod(rest, 10_000)
        digits = self._quads.take(quads).view(np.uint8)  # (count, 4 * fours)
        reached = np.logical_or.accumulate(digits[:, :-1] != 48, axis=1)
        digits[:, :-1] *= reached  # 0 before the figure's first digit
        pieces = [np.full((count, 1), 44, dtype=np.uint8),
                  np.where(minor < 0, 45, 0).astype(np.uint8)[:, None], digits]  # fmt: skip
        if places:
            pieces.append(np.full((count, 1), 46, dtype=np.uint8))  # the decimal point
            pieces.append(self._quads.take(part).view(np.uint8).reshape(count, 4)[:, 4 - places :])
        return np.hstack(pieces)

    def _number_bytes_by_digit(self, minor: Any) -> Any:
        """:meth:`_number_bytes`, one digit column at a time (for any number of places)."""
        np, places = self.np, self.places
        count = len(minor)
        magnitude = np.abs(minor)
        # As many digit columns as the block's largest figure has (not int64's 19).
        digits = max(places + 1, len(str(int(magnitude.max())))) if count else places + 1
        columns = []  # right to left
        rest = magnitude
        for j in range(digits):
            shown = rest != 0  # a digit at 10**j is written if the figure reaches it
            rest, digit = np.divmod(rest, 10)
            digit += 48
            columns.append(digit if j <= places else np.where(shown, digit, 0))
            if j == places - 1:
                columns.append(np.full(count, 46))  # the decimal point
        columns.append(np.where(minor < 0, 45, 0))
        columns.append(np.full(count, 44))
        return np.stack(columns[::-1], axis=1).astype(np.uint8)

    def _make(self, row: int) -> bool:
        """The rate texts of one layout row (a currency's column); False if one is too wide
        for the table (then this path stops)."""
        ratios, tables = self.ratios, self.tables
        if row >= len(tables.order) or tables.order[row] == ratios.quote:
            self._made.add(row)
            return True  # the book's rows, or the quote's own: texts made per row
        from rates.textcolumns import column_text_array

        texts = column_text_array(self.np, ratios, tables.order[row], TEXT_WIDTH)
        if texts is None:
            self.broken = True
            return False
        start = row * self.span
        self.texts[start : start + len(texts)] = texts
        self._made.add(row)
        return True

    def _source_of(self, source: str) -> int:
        found = self._sources.get(source)
        if found is None:
            found = self._sources[source] = len(self._source_bytes)
            self._source_bytes.append(f",{source}\n".encode())
        return found


def _code_of(key: int) -> str:
    return chr(65 + key // 676) + chr(65 + key // 26 % 26) + chr(65 + key % 26)
