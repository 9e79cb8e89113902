"""spendcalc's own reader of .xlsx sheets (calc.xlsx_parts, calc.xlsx_rows): cells as the
spreadsheet stores them, both readers alike, and bad or hostile files in one error."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from calc import CommitmentFileError, xlsx_parts, xlsx_rows
from calc.workbook import load_workbook
from calc.xlsx_parts import Archive, Workbook, XlsxError, is_date_format
from calc.xlsx_rows import CellError, column_index, column_letters, sheet_rows

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '<numFmt numFmtId="165" formatCode="0.00&quot; days&quot;"/>'
    '<numFmt numFmtId="166" formatCode="[Red]#,##0"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="20"/></cellXfs></styleSheet>'
)  # the styles s="0"..s="5": general, a date, a date, a number, a number, a time


KIND = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    '+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{KIND}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{KIND}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{KIND}.styles+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{KIND}.sharedStrings+xml"/>'
    "</Types>"
)  # what openpyxl needs to open the workbook


def raw_book(rows_xml, *, strings=None, date1904=False, styles=STYLES, sheet_xml=None,
             extra=(), compression=zipfile.ZIP_DEFLATED):  # fmt: skip
    """A workbook (bytes) made of the XML given: a sheet 'Data' with `rows_xml` in its
    <sheetData>, or the whole part `sheet_xml`; shared `strings` (XML of <si> items)."""
    sheet = sheet_xml or f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="r1" '
        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        f'<workbookPr date1904="{int(date1904)}"/><sheets>'
        '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELS}/styles" Target="/xl/styles.xml"/>'
        f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
        "xl/styles.xml": styles,
        **dict(extra),
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{strings}</sst>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, text in parts.items():
            archive.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return out.getvalue()


def read_rows(data, *, expat=False, monkeypatch=None):
    """The sheet's rows as the reader gives them; with ``expat``, all read by expat."""
    if expat:
        assert monkeypatch is not None
        monkeypatch.setattr(xlsx_rows._Rows, "tokens", lambda self, text: None)
    archive = Archive(io.BytesIO(data))
    book = Workbook(archive)
    part = book.sheets[0][1]
    return list(sheet_rows(archive, part, book.strings(), book.date_styles(), book.date1904))


@pytest.fixture(params=["fast", "expat"])
def reader(request, monkeypatch):
    """Rows read by the fast reader (where it can), or by expat alone: the same either way."""
    return lambda data: read_rows(data, expat=request.param == "expat", monkeypatch=monkeypatch)


# The cells ---------------------------------------------------------------------------------


def test_shared_and_inline_strings_rich_text_and_escapes(reader):
    strings = (
        '<si><t>plain</t></si><si><t xml:space="preserve"> spaced </t></si>'
        "<si><r><rPr><b/></rPr><t>rich </t></r><r><t>text</t></r>"
        '<rPh sb="0" eb="1"><t>ignored</t></rPh></si>'
        "<si><t>A &amp; B &lt;3 &#163;&#x20AC;</t></si><si><t>line_x000D_end</t></si><si><t/></si>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>'
        '<c r="F1" t="s"><v>5</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>inline &quot;q&quot;</t></is></c>'
        '<c r="B2" t="inlineStr"><is><r><t>two </t></r><r><t>runs</t></r></is></c>'
        '<c r="C2" t="str"><f>A1&amp;"!"</f><v>plain!</v></c></row>'
    )
    assert reader(raw_book(rows, strings=strings)) == [
        (1, ["plain", " spaced ", "rich text", "A & B <3 £€", "line\rend"]),
        (2, ['inline "q"', "two runs", "plain!"]),
    ]


def test_numbers_booleans_errors_and_iso_dates(reader):
    rows = (
        '<row r="1"><c r="A1"><v>42</v></c><c r="B1" t="n"><v>2.5</v></c>'
        '<c r="C1"><v>-7</v></c><c r="D1"><v>1E3</v></c><c r="E1" t="b"><v>1</v></c>'
        '<c r="F1" t="b"><v>0</v></c><c r="G1" t="e"><v>#DIV/0!</v></c>'
        '<c r="H1" t="d"><v>2024-04-09T00:00:00</v></c><c r="I1" s="3"><v>1.5</v></c>'
        '<c r="J1" s="4"><v>45000</v></c><c r="K1" t="n"><v>12</v></c>'
        '<c r="L1" t="n"><v>-3</v></c></row>'
    )
    ((number, values),) = reader(raw_book(rows))
    assert values == [42, 2.5, -7, 1000.0, True, False, "#DIV/0!", dt.datetime(2024, 4, 9),
                      1.5, 45000, 12, -3]  # fmt: skip
    assert [type(v) for v in values[:6]] == [int, float, int, float, bool, bool]
    assert [type(v) for v in values[-2:]] == [int, int]
    assert isinstance(values[6], CellError) and number == 1


@pytest.mark.parametrize(
    ("date1904", "serial", "style", "expected"),
    [
        (False, "45391", "1", dt.datetime(2024, 4, 9)),
        (False, "45391.5", "2", dt.datetime(2024, 4, 9, 12)),
        (True, "43929", "1", dt.datetime(2024, 4, 9)),  # 1904: 1462 days fewer
        (False, "0.75", "5", dt.time(18)),
        (False, "59", "1", dt.datetime(1900, 2, 28)),  # before Excel's 29 February 1900
    ],
)
def test_a_number_in_a_date_format_is_a_date(reader, date1904, serial, style, expected):
    rows = f'<row r="1"><c r="A1" s="{style}"><v>{serial}</v></c></row>'
    assert reader(raw_book(rows, date1904=date1904)) == [(1, [expected])]


def test_which_formats_are_dates():
    assert is_date_format("yyyy-mm-dd") and is_date_format("d mmm") and is_date_format("h:mm")
    assert is_date_format("[$-409]mmmm d, yyyy") and is_date_format("[h]:mm:ss")
    assert not is_date_format('0.00 "days"') and not is_date_format("[Red]#,##0")
    assert not is_date_format("General") and not is_date_format("0\\d") and not is_date_format("")
    assert not is_date_format('#,##0;[Red]-#,##0;"d"')


def test_gaps_missing_references_and_blank_cells(reader):
    rows = (
        '<row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c><c r="E2"><v>5</v></c></row>'
        '<row><c><v>1</v></c><c><v>2</v></c><c r="D3" s="1"/><c><v>4</v></c></row>'
        '<row r="7" spans="1:3"/>'
        '<row r="9"><c r="C9" t="inlineStr"><is><t/></is></c><c r="AA9"><v>27</v></c></row>'
    )
    assert reader(raw_book(rows)) == [
        (2, [None, "b", None, None, 5]),
        (3, [1, 2, None, None, 4]),
        (9, [*[None] * 26, 27]),
    ]


@pytest.mark.parametrize(
    "sheet",
    [
        # namespace prefixes, attributes in another order, whitespace and a comment: expat reads
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c t="inlineStr" r="A1">'
        '<x:is><x:t>a</x:t></x:is></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData>'
        "</x:worksheet>",
        f'<worksheet xmlns="{MAIN}">\n <sheetData>\n  <row r="1">\n   <c r="A1" t="inlineStr">'
        '<is><t>a</t></is></c>\n   <!-- a note -->\n   <c t="n" r="B1"><v>2</v></c>\n'
        "  </row>\n </sheetData>\n</worksheet>\n",
        '<?xml version="1.0" encoding="UTF-16"?>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t>'
        '</is></c><c r="B1"><v>2</v></c></row></sheetData></worksheet>',
    ],
)
def test_other_shapes_of_the_same_xml_read_the_same(reader, sheet):
    data = sheet.encode("utf-16") if "UTF-16" in sheet else sheet.encode()
    book = raw_book("", extra=[("xl/worksheets/sheet1.xml", data)])
    assert reader(book) == [(1, ["a", 2])]


def test_the_fast_reader_hands_the_rest_to_expat_from_a_row_it_does_not_know(monkeypatch):
    """Whatever shape the rows after are in, the fast reader's rows and expat's are one list."""
    plain = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 3000))
    odd = '<row r="3000"><c t="n" r="A3000"><v>3000</v></c></row>'  # attributes reordered
    monkeypatch.setattr(xlsx_parts, "CHUNK", 4096)  # many pieces
    tried = []
    tokens = xlsx_rows._Rows.tokens
    monkeypatch.setattr(
        xlsx_rows._Rows, "tokens", lambda s, t: tried.append(tokens(s, t)) or tried[-1]
    )
    after = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(3001, 6000))
    rows = read_rows(raw_book(plain + odd + after))
    assert rows == [(n, [n]) for n in range(1, 6000)]
    assert tried[0] is not None and tried[-1] is None  # the fast reader read, then expat


def test_the_same_rows_as_openpyxl_reads(tmp_path):
    """A differential check: openpyxl's values for every row of the workbooks it writes (in
    its normal mode and its write-only mode; both write text inline)."""
    cells = [
        ["text", "£2.5bn", 3, 2.5, 1 / 3, -12, True, None, dt.datetime(2024, 4, 9),
         dt.datetime(2023, 11, 30, 15, 30), "x" * 300, "tab\tand\nnewline", "ünïcödé €"],
        [None, None, "late", *[None] * 5, 0, 0.0, False, 1e15, 123456789012.345],
    ]  # fmt: skip
    for write_only in (False, True):
        book = openpyxl.Workbook(write_only=write_only)
        sheet = book.create_sheet("S") if write_only else book.active
        for row in cells * 50:
            sheet.append(row)
        path = tmp_path / f"{write_only}.xlsx"
        book.save(path)
        theirs = openpyxl.load_workbook(path, read_only=True, data_only=True)
        expected = [
            [None if v == "" else v for v in row]
            for row in theirs.worksheets[0].iter_rows(values_only=True)
        ]
        theirs.close()
        ours = read_rows(path.read_bytes())
        assert [n for n, _v in ours] == list(range(1, len(expected) + 1))
        padded = [values + [None] * (len(cells[0]) - len(values)) for _n, values in ours]
        assert padded == expected


def test_column_letters_and_indices():
    for index, letters in [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (16383, "XFD")]:
        assert column_letters(index) == letters and column_index(letters) == index


# Through load_workbook ---------------------------------------------------------------------

HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>company</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>country</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>amount</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>announced</t></is></c></row>'
)


def test_a_workbook_of_raw_parts_loads_with_its_dates_and_1904():
    row = (
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
        '<c r="C2" t="s"><v>2</v></c><c r="D2" s="2"><v>43929</v></c></row>'
    )
    strings = "<si><t>Acme</t></si><si><t>GB</t></si><si><t>£2.5bn</t></si>"
    (c,) = load_workbook(raw_book(HEADER + row, strings=strings, date1904=True), name="p.xlsx")
    assert (c.company, c.country, c.announced) == ("Acme", "GB", dt.date(2024, 4, 9))
    assert c.amount is not None and c.amount.amount == Decimal(2_500_000_000)


def test_an_error_cell_is_an_error_naming_sheet_row_and_column(reader):
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>GB</t></is></c><c r="C2" t="e"><v>#VALUE!</v></c>'
        '<c r="D2" t="inlineStr"><is><t>2024-01-02</t></is></c></row>'
    )
    with pytest.raises(CommitmentFileError) as caught:
        load_workbook(raw_book(HEADER + row), name="p.xlsx")
    assert str(caught.value) == (
        "p.xlsx, sheet 'Data', row 2, column C (amount): amount is the spreadsheet error "
        "#VALUE!; fix the formula or the value"
    )


BAD = "p.xlsx: is not an Excel workbook (.xlsx): "
FIX = "; save it from the spreadsheet as an Excel workbook"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (raw_book(HEADER + '<row r="2"><c r="A2"><v>1</v></c>'),
         "its part 'xl/worksheets/sheet1.xml' is not well-formed XML (mismatched tag: line 1, "
         "column "),
        (raw_book(HEADER + '<row r="2"><c r="A2" t="zz"><v>1</v></c></row>'),
         "cell A2 has the unknown type 'zz'"),
        (raw_book(HEADER + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>', strings=""),
         "cell A2 names shared string '7', and the workbook has 0"),
        (raw_book(HEADER + '<row r="2"><c r="A2"><v>abc</v></c></row>'),
         "cell A2 holds 'abc', not a number"),
        (raw_book(HEADER + '<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>1</v></c></row>'),
         "cell A2 comes after a cell to its right"),
        (raw_book(HEADER + '<row r="1"><c r="A1"><v>1</v></c></row>'), "row 1 comes after row 1"),
        (raw_book(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>&bogus;</t></is></c>'
                  "</row>"), "a text holds an & that starts no entity"),
        (raw_book(HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>a\x01b</t></is></c>'
                  "</row>"), "its part 'xl/worksheets/sheet1.xml' is not well-formed XML"),
        (raw_book("", sheet_xml='<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;">]><worksheet><sheetData><row><c t="inlineStr"><is>'
                  "<t>&b;</t></is></c></row></sheetData></worksheet>"),
         "a part declares a document type (<!DOCTYPE>), which no workbook does"),
        (raw_book("", extra=[("xl/worksheets/sheet1.xml", b"\xff\xfe\x00garbage")]),
         "its part 'xl/worksheets/sheet1.xml' is not well-formed XML"),
    ],
)  # fmt: skip
def test_a_malformed_sheet_is_one_clear_error(data, message):
    with pytest.raises(CommitmentFileError) as caught:
        load_workbook(data, name="p.xlsx")
    (problem,) = caught.value.problems
    text = str(problem)
    where, _, said = text.partition(": is not an Excel workbook (.xlsx): ")
    assert where in ("p.xlsx", "p.xlsx, sheet 'Data'") and said, text
    assert said.startswith(message) and said.endswith(FIX), text


def test_a_missing_part_or_a_damaged_archive_is_one_clear_error():
    data = raw_book(HEADER)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item))
    with pytest.raises(CommitmentFileError, match=r"^p\.xlsx, sheet 'Data': is not an Excel "
                       r"workbook \(\.xlsx\): it has no part 'xl/worksheets/sheet1\.xml'" + FIX + "$"):  # fmt: skip
        load_workbook(out.getvalue(), name="p.xlsx")
    stored = raw_book(HEADER, compression=zipfile.ZIP_STORED)
    at = stored.index(b"<sheetData>")
    damaged = stored[:at] + b"<sheetDat_>" + stored[at + 11 :]  # the CRC no longer matches
    with pytest.raises(CommitmentFileError, match=r"^p\.xlsx, sheet 'Data': is not an Excel "
                       r"workbook \(\.xlsx\): its part 'xl/worksheets/sheet1\.xml' is damaged: "
                       "Bad CRC-32"):  # fmt: skip
        load_workbook(damaged, name="p.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(monkeypatch):
    padding = " " * (1 << 20)  # a megabyte of spaces packs into a kilobyte
    data = raw_book(HEADER + padding)
    monkeypatch.setattr(xlsx_parts, "SMALL", 1 << 16)
    unpacked = []
    real = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile, "open", lambda *a, **k: unpacked.append(a[1]) or real(*a, **k)
    )
    with pytest.raises(CommitmentFileError) as caught:
        load_workbook(data, name="p.xlsx")
    assert str(caught.value).startswith(
        "p.xlsx, sheet 'Data': is not an Excel workbook (.xlsx): its part "
        "'xl/worksheets/sheet1.xml' would unpack to 1,048,"
    )
    assert str(caught.value).endswith(", more than a spreadsheet writes (a zip bomb?)" + FIX)
    assert "xl/worksheets/sheet1.xml" not in [getattr(u, "filename", u) for u in unpacked]
    monkeypatch.setattr(xlsx_parts, "MAX_PART", 1000)  # and a bound whatever the ratio
    with pytest.raises(CommitmentFileError, match=r"would unpack to 2,[0-9]{3} bytes from"):
        load_workbook(raw_book(HEADER + " " * 2000), name="p.xlsx")


def test_a_part_is_never_read_past_the_size_it_declares(monkeypatch):
    archive = Archive(io.BytesIO(raw_book(HEADER)))
    info = archive.names["xl/worksheets/sheet1.xml"]
    monkeypatch.setattr(info, "file_size", info.file_size - 10)
    with pytest.raises(XlsxError, match=r"is damaged|unpacks to more than it declares"):
        b"".join(archive.chunks("xl/worksheets/sheet1.xml"))


def test_a_workbook_without_openpyxl_is_read_all_the_same(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "openpyxl", None)
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Acme</t></is></c><c r="B2" t="inlineStr">'
        '<is><t>GB</t></is></c><c r="D2" s="1"><v>45293</v></c></row>'
    )
    (c,) = load_workbook(raw_book(HEADER + row), name="p.xlsx")
    assert (c.company, c.announced, c.amount) == ("Acme", dt.date(2024, 1, 2), None)


@pytest.mark.filterwarnings("ignore:Workbook contains no default style:UserWarning")
def test_shared_strings_dates_and_1904_as_openpyxl_reads_them(tmp_path):
    """The differential check on a workbook with shared strings (as Excel saves text; openpyxl
    writes text inline), date styles and the 1904 date system."""
    texts = ["Acme", "A &amp; B", "ünïcödé €", " spaced ", "", "x" * 500]
    strings = "".join(f'<si><t xml:space="preserve">{t}</t></si>' for t in texts)
    strings += "<si><r><t>rich </t></r><r><rPr><i/></rPr><t>text</t></r></si>"
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>{n % 7}</v></c><c r="B{n}" s="1"><v>{40000 + n}</v>'
        f'</c><c r="C{n}" s="2"><v>{n}.25</v></c><c r="D{n}" s="3"><v>{n}.5</v></c>'
        f'<c r="F{n}" t="b"><v>{n % 2}</v></c></row>'
        for n in range(1, 400)
    )
    for date1904 in (False, True):
        path = tmp_path / f"{date1904}.xlsx"
        path.write_bytes(raw_book(rows, strings=strings, date1904=date1904))
        theirs = openpyxl.load_workbook(path, read_only=True, data_only=True)
        expected = [list(row) for row in theirs.worksheets[0].iter_rows(values_only=True)]
        theirs.close()
        ours = [values for _n, values in read_rows(path.read_bytes())]
        assert [v + [None] * (6 - len(v)) for v in ours] == [
            [None if v == "" else v for v in row] for row in expected
        ]
        assert ours[0][1] == (dt.datetime(2013, 7, 8) if date1904 else dt.datetime(2009, 7, 7))


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ('<row r="x"><c><v>1</v></c></row>', "a row after row 1 is numbered 'x'"),
        ('<row r="2"><c r="A2" s="y"><v>1</v></c></row>', "cell A2 has the style 'y', not a number"),
        ('<row r="2"><c r="A2"><v>1</v></c><row r="3"></row></row>', "a row opens inside row 2|mismatched tag"),
        ('<row r="2"/></row>', "a row closes after row 2, which it does not open|mismatched tag"),
        ('<row r="2"><c r="2A"><v>1</v></c></row>', "a cell of row 2 is at '2A', not a cell"),
        ('<row r="2"><c r="XFE2"><v>1</v></c></row>', "cell XFE2 is past a sheet's last column, XFD"),
        ('<row r="1048577"><c><v>1</v></c></row>', "row 1048577 is past a sheet's last row, 1048576"),
    ],
)  # fmt: skip
def test_rows_and_cells_out_of_place_are_one_clear_error(reader, rows, message):
    with pytest.raises(XlsxError, match=message):
        reader(raw_book(HEADER + rows))


def halves_and_whole(data, middle, monkeypatch):
    """The rows of the sheet of workbook `data` read whole, and as its two halves at `middle`
    (each "unsplit" where it cannot be read apart), in pieces of 64 bytes."""
    monkeypatch.setattr(xlsx_parts, "CHUNK", 64)
    found = []
    for half in (None, (True, middle), (False, middle)):
        archive = Archive(io.BytesIO(data))
        book = Workbook(archive)
        part = book.sheets[0][1]
        try:
            found.append(list(sheet_rows(archive, part, book.strings(), book.date_styles(),
                                         book.date1904, half)))  # fmt: skip
        except xlsx_rows.Unsplit:
            found.append("unsplit")
        except XlsxError as exc:
            found.append(str(exc))
    return found


NUMBERED = "".join(
    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>a{n}</t></is></c><c r="B{n}"><v>{n}</v></c>'
    "</row>"
    for n in range(1, 40)
)


@pytest.mark.parametrize("middle", [0, 1, 100, 700, 1500, 2200, 10**6])
def test_a_sheet_read_in_two_halves_is_the_sheet_read_whole(middle, monkeypatch):
    whole, first, second = halves_and_whole(raw_book(NUMBERED), middle, monkeypatch)
    assert len(whole) == 39 and first + second == whole
    if 100 <= middle <= 2200:
        assert first and second  # (split between them)


def test_a_half_that_cannot_be_read_apart_says_so(monkeypatch):
    # The second half's first row gives no number (it is the row's before it, plus one).
    unnumbered = NUMBERED.replace('<row r="', '<row x="')
    whole, first, second = halves_and_whole(raw_book(unnumbered), 1500, monkeypatch)
    assert len(whole) == 39 and first == whole[: len(first)] and second == "unsplit"
    # Rows expat reads (a comment among them), in either half.
    commented = NUMBERED.replace('<row r="3">', '<!-- x --><row r="3">')
    whole, first, second = halves_and_whole(raw_book(commented), 1500, monkeypatch)
    assert len(whole) == 39 and first == second == "unsplit"
    # A cell that cannot be read: the half that holds it says what the whole says.
    bad = NUMBERED.replace('<c r="B30"><v>30</v>', '<c r="B30" t="b"><v>7</v>')
    whole, first, second = halves_and_whole(raw_book(bad), 700, monkeypatch)
    assert "B30" in whole and second == whole and first != whole
