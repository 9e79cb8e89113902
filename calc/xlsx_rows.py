"""A worksheet's rows, one at a time, each cell's value as the spreadsheet stores it.

:func:`sheet_rows` yields ``(row number, values)`` for every row a sheet's part lists, the
values from column A on (``None`` where a row has no cell, or an empty one):

- text (``t="s"``, a shared string; ``"inlineStr"``; ``"str"``, a formula's text) is a ``str``,
  with Excel's escapes of characters XML cannot hold (``_x000D_``) read back;
- a number (``t="n"``, or no type) is an ``int`` if written without a point or an exponent, else
  a ``float``; in a date format (:func:`calc.xlsx_parts.is_date_format`) it is a count of days
  from 1900 (or 1904, as the workbook says), so a ``datetime`` (a ``time`` if under one day),
  as openpyxl reads it;
- ``t="d"`` (an ISO 8601 date) is a ``datetime``; ``t="b"`` a ``bool``; ``t="e"``, a formula's
  error such as ``#DIV/0!``, a :class:`CellError`, never a blank.

Two readers give the same rows. Spreadsheets write a sheet's XML in one shape (Excel, LibreOffice
and openpyxl: ``<row r="2"><c r="A2" s="1" t="s"><v>0</v></c>...</row>``, UTF-8, no prefixes):
the fast reader matches that shape a row at a time with one regular expression, every character
of it, and hands the rest of the part (before the first row and after the last) to expat, so
the part is still checked as XML. From the first piece it does not recognise (attributes in
another order, comments, rich inline text, namespace prefixes, another encoding) expat reads
the part to its end, with the same results, at about a third of the speed.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import math
import re
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from .fields import show
from .xlsx_parts import Archive, XlsxError, parser

__all__ = ["CellError", "Unsplit", "shared_strings", "sheet_rows"]

#: Excel's last row and column (XFD).
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384
_EPOCHS = {False: _dt.datetime(1899, 12, 30), True: _dt.datetime(1904, 1, 1)}
_DAY_MS = 86_400_000
#: The most text before the rows, and in one row, the fast reader takes (expat reads the rest).
_HEAD_MOST, _ROW_MOST = 4 << 20, 16 << 20
#: How much text expat reads at a time.
_SLICE = 4096

_CELL = re.compile(
    r'(<c)(?: r="([A-Z]{1,3})[0-9]++")?(?: s="([0-9]++)")?(?: t="([a-zA-Z]++)")? ?'
    r'(?:/>|>(?:<f(?:\s+[\w:.-]+="[^"<&]*+")*\s*(?:/>|>[^<]*+</f>))?'
    r'(?:<v>([^<]*+)</v>|<is><t(?: xml:space="preserve")?>([^<]*+)</t></is>)?</c>)'
    r'|(<row(?:\s+[\w:.-]+="[^"<&]*+")*)\s*(/?)>|(</row>)|(\S)'
)  # <c, column, style, type, value, inline text | <row and its attributes, "/" | </row> | else
# (possessive, *+ and ++, where giving back a character could never make a match: faster)
_STRAY = itemgetter(9)  # (a token's last group: a character no other piece matched)
_ROW_NUMBER = re.compile(r'\sr="([^"]*)"')
_STRING = re.compile(r'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|(<si><t/></si>)|(\S)')
#: The bytes of UTF-8 text XML allows (not the C0 controls but tab, CR and LF).
_XML_BYTES = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 13))
_ENTITY = re.compile(r"&(?:(#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|lt|gt|amp|quot|apos);)?")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")
_ENCODING = re.compile(rb'\s*<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)')


class CellError(str):
    """The value of an error cell (``t="e"``): the error's text, such as ``#DIV/0!``."""

    __slots__ = ()


def column_index(letters: str) -> int:
    """The index of a column from its letters: A is 0, XFD is 16383."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def column_letters(index: int) -> str:
    """The letters of the column `index` (from 0)."""
    letters = ""
    index += 1
    while index:
        index, left = divmod(index - 1, 26)
        letters = chr(65 + left) + letters
    return letters


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name is None:
        raise XlsxError("a text holds an & that starts no entity")
    if name[0] != "#":
        return _NAMED[name]
    code = int(name[2:], 16) if name[1] == "x" else int(name[1:])
    if not (code in (9, 10, 13) or 32 <= code < 0xD800 or 0xE000 <= code < 0x110000):
        raise XlsxError(f"a text holds &{name};, a character XML does not allow")
    return chr(code)


def _xml_text(raw: str) -> str:
    """Text between two tags as XML reads it: line ends as newlines, entities replaced."""
    if "\r" in raw:
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return _ENTITY.sub(_entity, raw) if "&" in raw else raw


def excel_text(text: str) -> str:
    """Text with Excel's escapes read back (``_x000D_`` is a carriage return)."""
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


class _Rows:
    """The rows of a sheet as they are read: the state both readers share, and expat's handlers."""

    def __init__(self, strings: list[str], dates: list[bool], date1904: bool) -> None:
        self.strings, self.dates, self.epoch = strings, dates, _EPOCHS[date1904]
        self.done: list[tuple[int, list[object]]] = []
        self.number = 0  # the row being read, or the last one read
        self.values: list[object] | None = None
        self.column = -1
        self.depth = 0
        self.in_data = False
        self.slow = False  # once expat reads a piece of the rows, it reads the rest
        self.numbered = False  # whether the next row must give its number (sheet_rows' half)
        self.columns: dict[str, int] = {}  # the fast reader's column letters read
        self.memo: dict[tuple[str, str], object] = {}  # date cells' values by their text
        # expat's: the open cell's attributes, and the text being gathered
        self.cell_attributes: dict[str, str] = {}
        self.text: list[str] | None = None
        self.value: str | None = None
        self.inline: list[str] | None = None
        self.phonetic = 0

    # -- what both readers do --------------------------------------------------------------

    def row(self, number: str | None) -> None:
        if self.values is not None:
            raise XlsxError(f"a row opens inside row {self.number}")
        if number is not None and not (number.isascii() and number.isdecimal()):
            raise XlsxError(f"a row after row {self.number} is numbered {show(number)}")
        at = self.number + 1 if number is None else int(number)
        if at <= self.number:
            raise XlsxError(f"row {at} comes after row {self.number}")
        if at > MAX_ROW:
            raise XlsxError(f"row {at} is past a sheet's last row, {MAX_ROW}")
        self.number, self.values, self.column = at, [], -1

    def end_row(self) -> None:
        if self.values:  # a row of blank cells is no row
            self.done.append((self.number, self.values))
        self.values = None

    def where(self, column: int) -> str:
        return f"{column_letters(column)}{self.number}"

    def misplaced(self, values: list[object] | None, before: int, column: int) -> XlsxError | None:
        """Why a cell cannot be at `column` of the row `values` after the one at `before`."""
        if values is None:
            return XlsxError("a cell lies outside a row")
        if column <= before:
            return XlsxError(f"cell {self.where(column)} comes after a cell to its right")
        if column >= MAX_COLUMN:
            return XlsxError(f"cell {self.where(column)} is past a sheet's last column, XFD")
        return None

    def place(self, column: int, value: object) -> None:
        """The cell's value at `column` of the open row."""
        values = self.values
        wrong = self.misplaced(values, self.column, column)
        if wrong is not None or values is None:
            raise wrong or XlsxError("a cell lies outside a row")
        self.column = column
        if value is None or value == "":
            return
        if column > len(values):
            values.extend([None] * (column - len(values)))
        values.append(value)

    def cell(self, column: int, style: str | None, kind: str | None, value: str | None,
             inline: str | None) -> object:  # fmt: skip
        """A cell's value from its type, style and text (the module's docstring)."""
        if kind is None or kind == "n":
            if not value:
                return None
            return self.number_of(column, value, style)
        if kind == "s":
            if value is None:
                return None
            try:
                return self.strings[int(value)]
            except (ValueError, IndexError):
                raise XlsxError(
                    f"cell {self.where(column)} names shared string {show(value)}, and the workbook "
                    f"has {len(self.strings)}"
                ) from None
        if kind == "inlineStr":
            return None if inline is None else excel_text(inline)
        if kind == "str":
            return None if value is None else excel_text(value)
        if kind == "b":
            if value in ("0", "1"):
                return value == "1"
            raise XlsxError(
                f"cell {self.where(column)} holds {show(value)}, not TRUE (1) or FALSE (0)"
            )
        if kind == "e":
            return CellError(value or "#N/A")
        if kind == "d":
            try:
                return _dt.datetime.fromisoformat(value or "")
            except ValueError:
                raise XlsxError(
                    f"cell {self.where(column)} holds {show(value)}, not an ISO 8601 date"
                ) from None
        raise XlsxError(f"cell {self.where(column)} has the unknown type {show(kind)}")

    def number_of(self, column: int, text: str, style: str | None) -> object:
        try:
            number: float | int = (
                float(text) if "." in text or "e" in text or "E" in text else int(text)
            )
        except ValueError:
            raise XlsxError(f"cell {self.where(column)} holds {show(text)}, not a number") from None
        if isinstance(number, float) and not math.isfinite(number):
            raise XlsxError(f"cell {self.where(column)} holds {show(text)}, not a finite number")
        if style is None or not self.dates:
            return number
        if not (style.isascii() and style.isdecimal()):
            raise XlsxError(f"cell {self.where(column)} has the style {show(style)}, not a number")
        index = int(style)
        if index < len(self.dates) and self.dates[index]:
            key = (text, style)
            found = self.memo.get(key)
            if found is None:
                if len(self.memo) > 4096:
                    self.memo.clear()
                found = self.memo[key] = self.date(column, number)
            return found
        return number

    def date(self, column: int, serial: float) -> object:
        """A date cell's value: days since the epoch, as openpyxl counts them (Excel counts a
        29 February 1900 that never was: the days before it are one day later)."""
        days, fraction = divmod(serial, 1)
        milliseconds = round(fraction * _DAY_MS)
        if 0 <= serial < 1 and milliseconds < _DAY_MS:
            return (_dt.datetime.min + _dt.timedelta(milliseconds=milliseconds)).time()
        if 0 < serial < 60 and self.epoch.year == 1899:
            days += 1
        try:
            return self.epoch + _dt.timedelta(days=days, milliseconds=milliseconds)
        except OverflowError:
            raise XlsxError(
                f"cell {self.where(column)} is a date {serial!r} days from {self.epoch.date()}, "
                "past the years a spreadsheet shows"
            ) from None

    # -- the fast reader -------------------------------------------------------------------

    def tokens(self, text: str) -> list[tuple[str, ...]] | None:
        """The pieces of `text` the fast reader reads, if they are all of it and it is whole
        rows (as spreadsheets write them); else None (expat reads it)."""
        if "]]>" in text or "\ufffe" in text or "\uffff" in text:
            return None  # expat says what is wrong
        found = _CELL.findall(text)
        if found and not (found[-1][8] or found[-1][7]):
            return None  # a row left open: expat says where
        if any(map(_STRAY, found)):
            return None  # a shape the fast reader does not know
        return found

    def read(self, tokens: list[tuple[str, ...]]) -> Iterator[tuple[int, list[object]]]:
        """The rows of the pieces :meth:`tokens` found, each as soon as it is read."""
        strings, count, columns, memo = self.strings, len(self.strings), self.columns, self.memo
        values: list[object] | None = None
        column = -1
        for c, letters, style, kind, value, inline, row, slash, _end, _stray in tokens:
            if c:
                if not letters:
                    at = column + 1
                elif (at := columns.get(letters, -1)) < 0:
                    at = columns[letters] = column_index(letters)
                if values is None or at <= column or at >= MAX_COLUMN:
                    raise self.misplaced(values, column, at) or XlsxError(f"no cell at {at}")
                column = at
                found: object
                if kind == "s" and value.isdecimal() and int(value) < count:
                    found = strings[int(value)]
                elif kind == "inlineStr":
                    if "&" in inline or "\r" in inline:
                        inline = _xml_text(inline)
                    found = excel_text(inline) if "_x" in inline else inline
                elif (not kind or kind == "n") and not style and value.isdecimal():
                    found = int(value)  # (what number_of makes of it, at once)
                elif not kind or kind == "n":
                    found = memo.get((value, style)) if style else None  # (a date read before)
                    if found is None:
                        found = self.number_of(at, value, style or None) if value else None
                else:
                    if "&" in value or "\r" in value:
                        value = _xml_text(value)
                    found = self.cell(at, style or None, kind, value or None, None)
                if found is not None and found != "":
                    if at != len(values):
                        values.extend([None] * (at - len(values)))
                    values.append(found)
            elif row:
                if values is not None:
                    raise XlsxError(f"a row opens inside row {self.number}")
                number_given = _ROW_NUMBER.search(row)
                if self.numbered:  # a second half's first row: its number must be given
                    if number_given is None:
                        raise Unsplit
                    self.numbered = False
                self.row(number_given.group(1) if number_given else None)
                values, column, self.values = self.values, -1, None
                if slash:
                    values = None
            else:  # </row>
                if values is None:
                    raise XlsxError(f"a row closes after row {self.number}, which it does not open")
                if values:
                    yield self.number, values
                values = None

    # -- expat's handlers ------------------------------------------------------------------

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        name = name.rpartition(":")[2]
        if name == "c":
            self.cell_attributes, self.value, self.inline = attributes, None, None
        elif name == "v":
            self.text = []
        elif name == "t":
            if self.inline is not None and not self.phonetic:
                self.text = []
        elif name == "is":
            self.inline = []
        elif name == "rPh":
            self.phonetic += 1
        elif name == "row" and self.in_data:
            self.row(attributes.get("r"))
        elif name == "sheetData":
            self.in_data = True

    def characters(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, name: str) -> None:
        self.depth -= 1
        name = name.rpartition(":")[2]
        if name == "v" and self.text is not None:
            self.value, self.text = "".join(self.text), None
        elif name == "t" and self.text is not None and self.inline is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c":
            self.end_cell()
        elif name == "row" and self.in_data:
            self.end_row()
        elif name == "sheetData":
            self.in_data = False

    def end_cell(self) -> None:
        attributes = self.cell_attributes
        reference = attributes.get("r")
        if reference is None:
            column = self.column + 1
        else:
            found = _REFERENCE.fullmatch(reference)
            if found is None:
                raise XlsxError(f"a cell of row {self.number} is at {show(reference)}, not a cell")
            column = column_index(found.group(1))
        inline = None if self.inline is None else "".join(self.inline)
        value = self.cell(column, attributes.get("s"), attributes.get("t"), self.value, inline)
        self.place(column, value)
        self.inline = None

    def expat(self) -> Any:
        made = parser()
        made.buffer_text = True
        made.StartElementHandler, made.EndElementHandler = self.start, self.end
        made.CharacterDataHandler = self.characters
        return made


class Unsplit(Exception):
    """A half of a sheet (:func:`sheet_rows`' `half`) cannot be read apart from the other."""


def sheet_rows(
    archive: Archive,
    part: str,
    strings: list[str],
    dates: list[bool],
    date1904: bool,
    half: tuple[bool, int] | None = None,
) -> Iterator[tuple[int, list[object]]]:
    """``(row number, values)`` of every row the sheet's `part` lists (the module's docstring).

    With `half` ``(first, middle)``, only the rows of one half of them, for two processes to
    read a sheet between them: the fast reader's pieces of rows (each whole rows) that start
    before the `middle` character of the text (`first`), or the rest, from the first of those
    that start at or after it (not `first`). The halves are those rows, the whole sheet's, when
    they are read as if alone: a half raises :class:`Unsplit` where that cannot be known (where
    the fast reader leaves the rows to expat, or where the second half's first row gives no
    number: its number is the row's before it, plus one). Whether the second's first row comes
    after the first's last is for the caller to check.

    :raises XlsxError: if the part is not a sheet's well-formed XML, or a cell cannot be read
    """
    import xml.parsers.expat

    rows = _Rows(strings, dates, date1904)
    made = rows.expat()
    first, middle = half if half is not None else (False, -1)
    rows.numbered = half is not None and not first
    at, tail = 0, False
    try:
        for text, fast in _pieces(archive.chunks(part), rows, made):
            start, at = at, at + len(text)
            if half is not None:
                tail = tail or (not fast and text[:12] == "</sheetData>")
                if rows.slow or not (fast or tail):
                    raise Unsplit  # rows expat reads: read in one process
                if fast and (start >= middle) == first:
                    if first:
                        return  # (the second half's rows)
                    continue  # (the first half's)
            tokens = rows.tokens(text) if fast and isinstance(text, str) else None
            if tokens is not None:
                yield from rows.read(tokens)
                continue
            if half is not None and not tail:
                raise Unsplit
            rows.slow = True  # expat reads the rest, a slice at a time: the rows in one are
            for at in range(0, len(text), _SLICE):  # all the reader holds
                made.Parse(text[at : at + _SLICE], False)
                yield from rows.done
                rows.done.clear()
        made.Parse("", True)
    except xml.parsers.expat.ExpatError as exc:
        raise XlsxError(f"its part {show(part)} is not well-formed XML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise XlsxError(f"its part {show(part)} is not UTF-8 text ({exc.reason})") from None
    yield from rows.done


def _pieces(chunks: Iterator[bytes], rows: _Rows, made: Any) -> Iterator[tuple[str | bytes, bool]]:
    """The part's text in pieces, each with whether the fast reader may try it: whole rows,
    between the text before them (given to expat here) and the text after them."""
    first = next(chunks, b"")
    if first.translate(None, _XML_BYTES):
        rows.slow = True
    declared = _ENCODING.match(first)
    if first.startswith((b"\xfe\xff", b"\xff\xfe")) or (
        declared and declared.group(1).lower() not in (b"utf-8", b"utf8")
    ):
        yield first, False  # expat reads what the part declares
        for other in chunks:
            yield other, False
        return
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buffer, fast, started = decoder.decode(first), True, False
    more = True
    while more:
        data: bytes | None = next(chunks, None)
        more = data is not None
        if data and data.translate(None, _XML_BYTES):
            rows.slow = True  # a character XML does not allow: expat says so
        buffer += decoder.decode(data or b"", final=not more)
        if not fast or rows.slow:
            yield buffer, False
            buffer = ""
            continue
        if not started:
            at = buffer.find("<sheetData>")
            if at < 0:
                if len(buffer) > _HEAD_MOST or not more:
                    fast = False
                continue
            head, buffer = buffer[: at + 11], buffer[at + 11 :]
            fast = "<!" not in head
            made.Parse(head, False)
            started = fast = fast and rows.in_data and rows.depth == 2
            if not fast:
                continue
        end = buffer.find("</sheetData>")
        cut = end if end >= 0 else buffer.rfind("</row>")
        if cut < 0:
            if len(buffer) > _ROW_MOST:  # a row this long is not a spreadsheet's
                fast = False
            continue
        cut += 0 if end >= 0 else 6
        yield buffer[:cut], True
        buffer = buffer[cut:]
        if end >= 0:
            fast = False  # the text after the rows: expat's
    if buffer:
        yield buffer, False


def shared_strings(archive: Archive, part: str) -> list[str]:
    """The shared strings of the part (a rich text's runs joined, phonetic hints left out)."""
    found = _fast_strings(archive, part)
    if found is not None:
        return found
    found = []
    text: list[str] | None = None
    item: list[str] = []
    phonetic = 0

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal text, phonetic
        name = name.rpartition(":")[2]
        if name == "si":
            item.clear()
        elif name == "t" and not phonetic:
            text = []
        elif name == "rPh":
            phonetic += 1

    def end(name: str) -> None:
        nonlocal text, phonetic
        name = name.rpartition(":")[2]
        if name == "t" and text is not None:
            item.append("".join(text))
            text = None
        elif name == "rPh":
            phonetic -= 1
        elif name == "si":
            found.append(excel_text("".join(item)))

    def characters(data: str) -> None:
        if text is not None:
            text.append(data)

    made = parser()
    made.buffer_text = True
    made.StartElementHandler, made.EndElementHandler = start, end
    made.CharacterDataHandler = characters
    archive.feed(part, made)
    return found


def _fast_strings(archive: Archive, part: str) -> list[str] | None:
    """The shared strings if every one is a plain ``<si><t>...</t></si>`` in UTF-8 and the part
    is well-formed; else None (expat reads them)."""
    import xml.parsers.expat

    made = parser()
    found: list[str] = []
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    buffer, started, ended = "", False, False
    try:
        for data in archive.chunks(part):
            if (
                not started
                and _ENCODING.match(data)
                and not re.match(rb'\s*<\?xml[^>]*?encoding\s*=\s*["\']utf-?8', data, re.IGNORECASE)
            ):
                return None
            if data.translate(None, _XML_BYTES):
                return None
            buffer += decoder.decode(data)
            if ended:
                continue
            if not started:
                at = buffer.find("<si>")
                if at < 0:
                    at = buffer.find("</sst>")
                    if at < 0:
                        continue
                head, buffer, started = buffer[:at], buffer[at:], True
                if "<!" in head:
                    return None
                made.Parse(head, False)
            at = buffer.find("</sst>")
            ended = at >= 0
            cut = at if ended else buffer.rfind("</si>") + 5
            if cut <= 0:
                continue
            piece, buffer = buffer[:cut], buffer[cut:]
            if "]]>" in piece or "\ufffe" in piece or "\uffff" in piece:
                return None
            for raw, _empty, stray in _STRING.findall(piece):
                if stray:
                    return None
                found.append(excel_text(_xml_text(raw)))
        buffer += decoder.decode(b"", final=True)
        made.Parse(buffer, True)
    except (xml.parsers.expat.ExpatError, UnicodeDecodeError, XlsxError):
        return None  # expat reads it again, and says what is wrong
    return found if started else None
