"""The parts of an .xlsx file that say where a sheet's cells are and what they mean.

An .xlsx file is a zip archive of XML parts (ECMA-376, "Office Open XML"). This module opens
the archive and reads, with the standard library only (:mod:`zipfile`, :mod:`xml.parsers.expat`):

- the package's relationships (``_rels/.rels``), which name the workbook part;
- the workbook (``xl/workbook.xml``): its sheets in order, by name, and whether its dates count
  from 1904 (``<workbookPr date1904="1"/>``);
- the workbook's relationships, which name each sheet's part, the shared strings and the styles;
- the shared strings (``xl/sharedStrings.xml``): the text of the cells of type ``s``, a rich
  text's runs joined, its phonetic hints left out;
- the styles (``xl/styles.xml``): which cell formats (``cellXfs``) show a number as a date or
  a time, which is how a spreadsheet stores a date: a number of days.

:mod:`calc.xlsx_rows` reads a sheet's rows with them. Every read is bounded: a part that would
unpack to more than :data:`MAX_RATIO` times its packed size (and more than :data:`SMALL` bytes),
or to more than :data:`MAX_PART` bytes, is refused before it is unpacked, and no part is read
past the size its archive declares. A part with a document type declaration (an XML
``<!DOCTYPE``, where entities that expand without end live) is refused too. Every such problem
is an :class:`XlsxError`, one sentence on what is wrong.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from .fields import show

__all__ = ["MAX_PART", "MAX_RATIO", "SMALL", "Archive", "Workbook", "XlsxError", "is_date_format"]

#: The most bytes a part of a workbook may unpack to (a sheet's part is read a piece at a time).
MAX_PART = 4 << 30
#: The most a part larger than :data:`SMALL` may unpack to, as a multiple of its packed size:
#: the XML of real sheets packs some 10 to 20 times; a "zip bomb" packs a thousand times.
MAX_RATIO = 200
#: Parts that unpack to no more than this are read whatever their ratio.
SMALL = 16 << 20
#: How much of a part is unpacked at a time (what a sheet's reader holds is a few times this).
CHUNK = 64 << 10

_MAIN = "officeDocument/2006/relationships/officeDocument"
#: The built-in number formats that show a date or a time (ECMA-376 §18.8.30).
_BUILTIN_DATES = frozenset((*range(14, 23), 45, 46, 47))
#: What a format shows besides its codes: quoted text, escaped characters, [colours] and
#: [conditions] (but not [h], [m], [s], elapsed time), and padding/spacing (``_x``, ``*x``).
_LITERALS = re.compile(r'"[^"]*"|\\.|[_*].|\[(?![hms]+\])[^\]]*\]', re.IGNORECASE)
_DATE_CODES = re.compile(r"[dmyhse]", re.IGNORECASE)
_NOT_CODES = re.compile(r"general", re.IGNORECASE)


class XlsxError(ValueError):
    """The file is not a workbook this reader can read; the message says why, in one clause."""


def is_date_format(code: str) -> bool:
    """Whether a number format shows a number as a date or a time (its first section holds
    ``d``, ``m``, ``y``, ``h``, ``s`` or ``e`` outside quotes, escapes and brackets).

    >>> is_date_format("yyyy-mm-dd"), is_date_format('0.00 "days"'), is_date_format("[Red]0")
    (True, False, False)
    """
    first = code.split(";", 1)[0]
    return _DATE_CODES.search(_NOT_CODES.sub("", _LITERALS.sub("", first))) is not None


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace prefix."""
    return name.rpartition(":")[2]


def no_doctype(*_args: object) -> None:
    """Set as a parser's StartDoctypeDeclHandler: a part of a workbook has no document type."""
    raise XlsxError("a part declares a document type (<!DOCTYPE>), which no workbook does")


def parser(start: Callable[[str, dict[str, str]], None] | None = None) -> Any:
    """An expat parser (no namespace processing: names keep their prefix) that refuses a
    document type; ``start`` gets every element's local name and attributes (local names)."""
    import xml.parsers.expat

    made = xml.parsers.expat.ParserCreate()
    made.StartDoctypeDeclHandler = no_doctype
    if start is not None:

        def started(name: str, attributes: dict[str, str]) -> None:
            start(_local(name), {_local(k): v for k, v in attributes.items()})

        made.StartElementHandler = started
    return made


class Archive:
    """The zip archive of a workbook, read part by part within bounds.

    :raises XlsxError: if the file is not a zip archive
    :raises OSError: if it cannot be read
    """

    def __init__(self, source: str | IO[bytes]) -> None:
        try:
            self.zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile as exc:
            raise XlsxError(str(exc)) from None
        self.names = {info.filename: info for info in self.zip.infolist()}

    def close(self) -> None:
        self.zip.close()

    def has(self, part: str) -> bool:
        return part in self.names

    def size(self, part: str) -> int:
        """The bytes `part` unpacks to, as the archive declares them (0 if it has no such part)."""
        info = self.names.get(part)
        return 0 if info is None else info.file_size

    def chunks(self, part: str) -> Iterator[bytes]:
        """The bytes of `part`, :data:`CHUNK` at a time, within the bounds (module docstring).

        :raises XlsxError: if the part is missing, too large, or its data is damaged
        """
        info = self.names.get(part)
        if info is None:
            raise XlsxError(f"it has no part {show(part)}")
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > MAX_PART or (size > SMALL and size > MAX_RATIO * packed):
            raise XlsxError(
                f"its part {show(part)} would unpack to {size:,} bytes from {packed:,}, more than a "
                f"spreadsheet writes (a zip bomb?)"
            )
        left = size
        try:
            with self.zip.open(info) as opened:
                while data := opened.read(min(CHUNK, left + 1)):
                    left -= len(data)
                    if left < 0:
                        raise XlsxError(f"its part {show(part)} unpacks to more than it declares")
                    yield data
        except XlsxError:
            raise
        except Exception as exc:  # zipfile, zlib, lzma and bz2 raise a dozen kinds for bad data
            raise XlsxError(f"its part {show(part)} is damaged: {exc}") from None

    def parse(self, part: str, start: Callable[[str, dict[str, str]], None]) -> None:
        """Parse the XML of `part`, calling ``start(name, attributes)`` for every element."""
        self.feed(part, parser(start))

    def feed(self, part: str, made: Any) -> None:
        """Feed the XML of `part` to the expat parser `made`, to its end.

        :raises XlsxError: if the XML is not well-formed
        """
        import xml.parsers.expat

        try:
            for data in self.chunks(part):
                made.Parse(data, False)
            made.Parse(b"", True)
        except xml.parsers.expat.ExpatError as exc:
            raise XlsxError(f"its part {show(part)} is not well-formed XML ({exc})") from None


def _target(base: str, target: str) -> str:
    """The part a relationship of the part `base` points to."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


class Workbook:
    """What the workbook part says: its sheets, its date system, its strings and styles.

    ``sheets`` are ``(name, part, kind)`` in the workbook's order; ``kind`` is the relationship's
    last word (``worksheet``, ``chartsheet``, ...).
    """

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.part = self._main()
        self.date1904 = False
        self.sheets: list[tuple[str, str, str]] = []
        rels = self._relationships(self.part)
        listed: list[tuple[str, str]] = []

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "sheet":
                listed.append((attributes.get("name", ""), attributes.get("id", "")))
            elif name == "workbookPr":
                self.date1904 = attributes.get("date1904", "0").lower() in ("1", "true")

        archive.parse(self.part, start)
        for title, rid in listed:
            target, kind = rels.get(rid, ("", ""))
            self.sheets.append((title, target, kind))
        by_kind = {kind: target for target, kind in rels.values()}
        self.strings_part = by_kind.get("sharedStrings")
        self.styles_part = by_kind.get("styles")

    def _main(self) -> str:
        """The workbook's part: the package's office document (``xl/workbook.xml`` if unsaid)."""
        if self.archive.has("_rels/.rels"):
            found = [
                _target("", target)
                for target, kind in self._relationships("", "_rels/.rels").values()
                if kind == _MAIN.rpartition("/")[2]
            ]
            if found:
                return found[0]
        return "xl/workbook.xml"

    def _relationships(self, base: str, part: str | None = None) -> dict[str, tuple[str, str]]:
        """``{id: (target part, kind)}`` of the relationships of the part `base`."""
        part = part or _rels_of(base)
        found: dict[str, tuple[str, str]] = {}
        if not self.archive.has(part):
            return found

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "Relationship" and attributes.get("TargetMode") != "External":
                kind = attributes.get("Type", "").rpartition("/")[2]
                target = _target(base, attributes.get("Target", ""))
                found[attributes.get("Id", "")] = (target, kind)

        self.archive.parse(part, start)
        return found

    def date_styles(self) -> list[bool]:
        """For each cell format (``s`` of a cell), whether it shows a number as a date."""
        if self.styles_part is None or not self.archive.has(self.styles_part):
            return []
        codes: dict[int, str] = {}
        formats: list[int] = []
        inside = [False]  # in <cellXfs>

        def start(name: str, attributes: dict[str, str]) -> None:
            if name == "numFmt":
                codes[_number(attributes.get("numFmtId", "0"))] = attributes.get("formatCode", "")
            elif name == "cellXfs":
                inside[0] = True
            elif name in ("cellStyleXfs", "dxfs", "cellStyles"):
                inside[0] = False
            elif name == "xf" and inside[0]:
                formats.append(_number(attributes.get("numFmtId", "0")))

        self.archive.parse(self.styles_part, start)
        return [is_date_format(codes[f]) if f in codes else f in _BUILTIN_DATES for f in formats]

    def strings(self) -> list[str]:
        """The shared strings, in order (:mod:`calc.xlsx_rows` reads them)."""
        if self.strings_part is None or not self.archive.has(self.strings_part):
            return []
        from .xlsx_rows import shared_strings

        return shared_strings(self.archive, self.strings_part)


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise XlsxError(f"its styles name the number format {show(text)}, not a number") from None
