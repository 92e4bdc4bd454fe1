"""The hostile workbooks: files crafted to crash or stall a reader, each built here from the few parts
openpyxl needs, each breaking one thing. Every door that takes a workbook is tried with all of them."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"

NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice Calc, save it as "
    "“Excel Workbook (.xlsx)” and upload it again."
)
TOO_MANY_ROWS = "The file has more than %(rows)s rows."
TOO_MUCH_DATA = "The file holds too much data to import at once. Split it into smaller files."
TOO_LARGE = "The file is larger than %(size)s MB."


def workbook(rows, dimension="A1:B2", prolog="", strings=("unit code",), sheets=1, head="", parts=None):
    """An xlsx whose sheet part holds the XML `rows` inside <sheetData>, after `head` (<cols>, …), with a
    shared strings table. The workbook declares `sheets` sheets, all of them that one part; `parts` adds
    {name: bytes} more."""
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'{prolog}<worksheet xmlns="{MAIN}">{dimension}{head}<sheetData>{rows}</sheetData></worksheet>'
    shared = f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>"
    declared = "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="r1"/>' for n in range(1, sheets + 1))
    contents = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="r1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>{declared}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="r1" '
            f'Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        **(parts or {}),
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in contents.items():
            archive.writestr(name, text)
    return stream.getvalue()


def first_cell(cell):
    """A workbook whose header row starts with a good cell and whose second row holds `cell`."""
    return workbook(f'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2">{cell}</row>')


HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
LAUGHS = "".join(f'<!ENTITY l{level} "{f"&l{level - 1};" * 10}">' for level in range(1, 10))
MALFORMED = {
    "shared-string-index": first_cell('<c r="A2" t="s"><v>7</v></c>'),
    "number": first_cell('<c r="A2"><v>twelve</v></c>'),
    "date": first_cell('<c r="A2" t="d"><v>2023-13-45T99:00</v></c>'),
    "boolean": first_cell('<c r="A2" t="b"><v>yes</v></c>'),
    "cell-reference": first_cell('<c r="2A"><v>1</v></c>'),
    "xml": first_cell('<c r="A2"><v>1</v></row>'),
    "row-number": workbook(HEADER_ROW + '<row r="two"><c><v>1</v></c></row>'),
    "long-integer": first_cell(f'<c r="A2"><v>{"9" * 5000}</v></c>'),
    "external-entity": workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&passwd;</t></is></c></row>',
        prolog='<!DOCTYPE worksheet [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>',
    ),
    "billion-laughs": workbook(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>',
        prolog=f'<!DOCTYPE worksheet [<!ENTITY l0 "ha">{LAUGHS}]>',
    ),
}


def dimension_bomb(last_row=1_048_576):
    """A sheet that declares every cell of Excel's grid and holds only its first and last (1,6 KB)."""
    return workbook(
        f'{HEADER_ROW}<row r="{last_row}"><c r="XFD{last_row}"><v>1</v></c></row>',
        dimension=f"A1:XFD{last_row}",
    )


def sheets_on_one_part(sheets=200, columns=99_000):
    """`sheets` declared sheets that all name one part holding `columns` <col/> elements and no dimension:
    openpyxl's load_workbook reads that part's head once per declared sheet."""
    head = "<cols>" + '<col min="1" max="1" width="9"/>' * columns + "</cols>"
    return workbook(HEADER_ROW, dimension=None, sheets=sheets, head=head)


def many_parts(parts=5_000):
    """Thousands of tiny parts, each a zip entry of its own to open and scan."""
    return workbook(HEADER_ROW, parts={f"xl/media/p{number}.xml": "<a/>" for number in range(parts)})


# name: (file, the reader's message, None where what reads its rows refuses it)
HOSTILE = {
    **{name: (data, NOT_XLSX) for name, data in MALFORMED.items()},
    "dimension-bomb": (dimension_bomb(), TOO_MANY_ROWS),
    "empty-rows": (workbook(HEADER_ROW + "<row/>" * 26_000), TOO_MANY_ROWS),
    "huge-row": (workbook(HEADER_ROW[:-6] + "<c/>" * 1_000_000 + "</row>"), TOO_MUCH_DATA),
    "many-shared-strings": (workbook(HEADER_ROW, strings=["x"] * 60_000), TOO_MUCH_DATA),
    "declared-sheets": (sheets_on_one_part(sheets=99_000, columns=1), TOO_MUCH_DATA),
    "many-parts": (many_parts(), NOT_XLSX),
    "zip-bomb": (workbook(HEADER_ROW, parts={"xl/media/zeros.bin": "0" * (100 * 2**20)}), TOO_LARGE),
    # Read, within bounds, then refused by what reads the rows: its header is not a template's.
    "sheets-on-one-part": (sheets_on_one_part(), None),
}
