"""The Excel workbooks of figures: their columns, writing them, and reading them back tolerantly.

A workbook may come back from Excel or LibreOffice Calc rather than from us: numbers as floats (12.0),
codes typed as numbers, headers and cells with stray spaces, empty rows. Reading accepts all of those and
refuses, with a sentence for the user, anything it cannot read for sure.
"""

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from xml.parsers import expat

import openpyxl
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from communes.text import fold

from ..formatting import format_number
from ..models import COUNT_FIELDS, DossierStats
from .spreadsheet_cells import show

STATS, SCORES = "stats", "scores"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_FILE_BYTES = 5 * 1024 * 1024
# A few megabytes of xlsx can unpack to gigabytes (a "zip bomb"): the unpacked size is checked first.
MAX_UNPACKED_BYTES = 80 * 1024 * 1024
MAX_DATA_ROWS = 20_000
# Rows read, empty ones included: room for blank rows between the figures, and an end to the walk through a
# sheet whatever row numbers or size (<dimension ref="A1:XFD1048576"/>) the file declares.
ROOM_FOR_BLANK_ROWS = 5_000
MAX_SHEET_ROWS = MAX_DATA_ROWS + ROOM_FOR_BLANK_ROWS
# Columns read: the templates have about twenty; a cell further right is ignored.
MAX_COLUMNS = 64
# openpyxl's time and memory follow the number of XML elements, which a few kilobytes of zip can multiply:
# they are counted before openpyxl reads anything. A 20,000-row statistics template has about 860,000, nearly
# all inside the rows of its sheet. Outside rows (styles, shared strings, a sheet's columns) a workbook has
# tens of thousands at most; a row of Excel's 16,384 columns with their values, about 33,000.
ELEMENTS_PER_ROW = 60
MAX_ELEMENTS_OUTSIDE_ROWS = 100_000  # in each part of the workbook
MAX_ROW_ELEMENTS = 50_000  # openpyxl builds a whole row in memory before handing it over
# A workbook of ours has one sheet and about ten parts; people add a few sheets of their own.
MAX_SHEETS = 255
MAX_PARTS = 1_000
# A spreadsheet runs a cell starting with one of these as a formula (OWASP's "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy: the header is written and recognised in the active language
    read: bool = True  # False: shown to help the person filling it in, ignored on import
    width: int = 14
    text: bool = False  # stored as text so that Excel keeps codes such as 011089 as they are

    @property
    def header(self):
        return capfirst(str(self.label))

    def header_keys(self):
        """The header as written now, and in English for a file written before the translation existed."""
        with override("en"):
            english = str(self.label)
        return {header_key(str(self.label)), header_key(english)}


@dataclass(frozen=True)
class Layout:
    kind: str
    title: object
    columns: tuple

    def column(self, key):
        return next(column for column in self.columns if column.key == key)

    @property
    def sheet_title(self):
        return capfirst(str(self.title))[:31]


PERIOD = Column("period", gettext_lazy("reporting period"), text=True, width=12)
UNIT_CODE = Column("unit_code", gettext_lazy("unit code"), text=True, width=12)
UNIT_NAME = Column("unit_name", gettext_lazy("unit name"), read=False, width=26)

STATS_LAYOUT = Layout(
    STATS,
    gettext_lazy("dossier statistics"),
    (
        PERIOD,
        UNIT_CODE,
        UNIT_NAME,
        Column("field", gettext_lazy("procedure field code"), text=True, width=14),
        Column("field_name", gettext_lazy("procedure field"), read=False, width=30),
        *(Column(name, DossierStats._meta.get_field(name).verbose_name) for name in COUNT_FIELDS),
    ),
)
SCORES_LAYOUT = Layout(
    SCORES,
    gettext_lazy("area scores"),
    (
        PERIOD,
        UNIT_CODE,
        UNIT_NAME,
        Column("area", gettext_lazy("reform area number"), width=10),
        Column("area_name", gettext_lazy("area name"), read=False, width=48),
        Column("max_points", gettext_lazy("maximum points"), read=False, width=10),
        Column("self_points", gettext_lazy("self-assessed points"), width=12),
        Column("appraised_points", gettext_lazy("appraised points"), width=12),
        Column("note", gettext_lazy("note"), width=40),
    ),
)
LAYOUTS = {STATS: STATS_LAYOUT, SCORES: SCORES_LAYOUT}
# Both layouts start with these; the other columns tell a statistics file from a scores file.
SHARED_COLUMNS = {PERIOD.key, UNIT_CODE.key, UNIT_NAME.key}


def header_key(text):
    """What is compared when recognising a header: no case, accents, stray spaces or trailing * and :."""
    text = unicodedata.normalize("NFC", str(text)).strip().rstrip("*:").strip()
    return " ".join(fold(text).split())


# ---------------------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class SheetColumn:
    header: str
    width: int | None = None  # None: as wide as its longest value, within bounds
    text: bool = False  # cells formatted as text, so that Excel keeps a code such as 011089
    shaded: bool = False  # a column shown to help, which an import does not read


def write_sheet(title, columns, rows, frozen="A2"):
    """The xlsx bytes of one sheet: the one writer of the Excel page's workbooks and the dashboards' tables.

    `rows` are lists of cell values in the order of `columns`. Text that a spreadsheet would run as a formula
    is kept as it is, so that it imports back unchanged, but as text that never runs.
    """
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    # A title may hold a character Excel forbids in a sheet's name (: / ? * [ ]).
    sheet.title = INVALID_TITLE_REGEX.sub(" ", str(title))[:31]
    bold, shaded = Font(bold=True), PatternFill("solid", fgColor="E7EAF0")
    widths = [len(column.header) for column in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.shaded:
            cell.fill = shaded
    text_columns = [index for index, column in enumerate(columns, start=1) if column.text]
    fitted = [index for index, column in enumerate(columns) if column.width is None]  # measured, the rest set
    # Cells are reached by their row number: sheet.max_row scans every cell, once per row it would be slow.
    for number, values in enumerate(rows, start=2):
        sheet.append([_cell_value(value) for value in values])
        for index, value in enumerate(values, start=1):
            if looks_like_formula(value):
                cell = sheet.cell(row=number, column=index)
                cell.data_type, cell.quotePrefix = "s", True
        for index in fitted:
            if values[index] is not None:
                widths[index] = max(widths[index], len(str(values[index])))
        for index in text_columns:
            sheet.cell(row=number, column=index).number_format = "@"
    for index, column in enumerate(columns, start=1):
        width = column.width or min(max(widths[index - 1] + 2, 8), 60)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = frozen
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def write_workbook(layout, rows):
    """A template or an export of the Excel page: one row per dict of {column key: value}."""
    columns = [
        SheetColumn(column.header, column.width, column.text, shaded=not column.read)
        for column in layout.columns
    ]
    lines = ([row.get(column.key) for column in layout.columns] for row in rows)
    return write_sheet(layout.sheet_title, columns, lines, frozen="C2")


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def escape_formula(value):
    """Text a spreadsheet would run as a formula, behind the apostrophe that makes it text (CSV, reports)."""
    return "'" + value if looks_like_formula(value) else value


def write_csv(headers, rows):
    """A CSV file's text: the one writer of CSV downloads. Excel opens UTF-8 CSV with Vietnamese letters
    only with a byte-order mark, and runs a cell that starts like a formula: those keep an apostrophe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in headers])
    for values in rows:
        writer.writerow(["" if value is None else escape_formula(value) for value in values])
    return buffer.getvalue()


def _cell_value(value):
    # Decimals would be written as text by some readers; a float keeps the cell numeric.
    return float(value) if isinstance(value, Decimal) else value


# ---------------------------------------------------------------------------------------------- reading


def read_rows(data, max_rows=MAX_DATA_ROWS):
    """[(spreadsheet row number, [cell values])] of the first sheet's non-empty rows; raises FileRefused.

    The one reader of every workbook that enters the product (the Excel page, the data administration's
    import, the commands): whatever the file holds, reading it costs at most about what the largest workbook
    accepted costs. Size, parts, sheets, XML elements and rows are checked before any cell is read, and
    openpyxl then reads each part of the file at most once.
    """
    _check_size(data)
    limits = _Limits(max_rows)
    stream = io.BytesIO(data)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_PARTS:
                raise _not_a_workbook()
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise _too_large()
            _check_xml(archive, limits)
        sheet = _first_sheet(stream)
        try:
            rows = _sheet_rows(sheet, limits)
        finally:
            sheet.parent.close()
    except FileRefused:
        raise
    except Exception:
        # A damaged zip or workbook shows as many kinds of error, from zipfile, expat or openpyxl, while it
        # is opened or only once a bad cell (a number that is not one, a missing shared string) is read.
        raise _not_a_workbook() from None
    if not rows:
        raise FileRefused(_("The file is empty."))
    return rows


def read_csv_rows(text, max_rows=MAX_DATA_ROWS):
    """[(line number, [cell texts])] of a CSV file's non-empty lines, within the bounds of read_rows."""
    _check_size(text)
    limits, rows = _Limits(max_rows), []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text)), start=1):
            if number > limits.sheet_rows:
                raise limits.too_many_rows()
            cells = [unicodedata.normalize("NFC", value).strip() for value in values[:MAX_COLUMNS]]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > limits.data_rows + 1:
                    raise limits.too_many_rows()
    except csv.Error:
        raise FileRefused(
            _("The file is not a CSV file. Save it as “CSV UTF-8 (comma delimited)” and upload it again.")
        ) from None
    if not rows:
        raise FileRefused(_("The file is empty."))
    return rows


def _check_size(data):
    """Refuses an empty file, or one larger than MAX_FILE_BYTES (bytes, or characters of a text)."""
    if not data:
        raise FileRefused(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise _too_large()


def _too_large():
    return FileRefused(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20})


@dataclass(frozen=True)
class _Limits:
    data_rows: int

    @property
    def sheet_rows(self):
        return self.data_rows + ROOM_FOR_BLANK_ROWS

    @property
    def elements(self):
        return ELEMENTS_PER_ROW * self.data_rows

    def too_many_rows(self):
        rows = format_number(self.data_rows)
        return FileRefused(_("The file has more than %(rows)s rows.") % {"rows": rows})


def _not_a_workbook():
    return FileRefused(
        _(
            "The file is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice Calc, save it as "
            "“Excel Workbook (.xlsx)” and upload it again."
        )
    )


def _first_sheet(stream):
    """The first worksheet, opened as openpyxl's load_workbook(read_only=True) would open it, but without
    opening the others: each declared sheet costs openpyxl a read of its part, and a thousand sheets may
    name the same part."""
    reader = ExcelReader(stream, read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)  # number formats tell dates from numbers
    for sheet, relationship in reader.parser.find_sheets():
        if "chartsheet" not in relationship.Type and relationship.target in reader.valid_files:
            return ReadOnlyWorksheet(reader.wb, sheet.name, relationship.target, reader.shared_strings)
    raise FileRefused(_("The file is empty."))


def _sheet_rows(sheet, limits):
    rows = []
    # Explicit bounds, never the size the file declares: openpyxl would pad every row to the declared width
    # and walk every declared row. It fills the rows missing before a far one with empty rows: the walk
    # stops one row past the limit.
    cells_by_row = sheet.iter_rows(max_row=limits.sheet_rows + 1, max_col=MAX_COLUMNS, values_only=True)
    for number, values in enumerate(cells_by_row, start=1):
        if number > limits.sheet_rows:
            raise limits.too_many_rows()
        if values.count(None) == len(values):
            continue  # openpyxl fills a gap with empty rows: thousands of them, not worth cleaning
        cells = [_clean(value) for value in values]
        if any(value is not None for value in cells):
            rows.append((number, cells))
            if len(rows) > limits.data_rows + 1:
                raise limits.too_many_rows()
    return rows


def _check_xml(archive, limits):
    """Refuse a workbook whose XML openpyxl could not read within the limits above; raises FileRefused.

    Every part is scanned with expat, which keeps nothing. A part that is not XML (an image) ends only its
    own scan: openpyxl reads XML with the same expat (or lxml, without entities), so it could not read that
    part either.
    """
    scan = _XmlScan(limits)
    for member in archive.infolist():
        with archive.open(member) as part:
            scan.part(part)


class _XmlScan:
    """Counts, part after part, the elements openpyxl would build; refuses as soon as a limit is passed."""

    def __init__(self, limits):
        self.limits = limits
        self.elements, self.sheets = 0, 0

    def part(self, source):
        parser = expat.ParserCreate()
        parser.ordered_attributes = True  # a list rather than a dict: cheaper, and never read
        parser.StartDoctypeDeclHandler = self.doctype
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        self.depth, self.rows, self.outside_rows = 0, 0, 0
        self.row_depth, self.row_elements = None, 0  # row_depth: the depth of the row being read, if any
        try:
            parser.ParseFile(source)
        except expat.ExpatError:
            pass

    def doctype(self, *_declaration):
        # The entities of a DTD can expand a few bytes into gigabytes (the "billion laughs") or read a file
        # of the server; no part of a workbook has a DTD, and expat stops here before reading one.
        raise _not_a_workbook()

    def start(self, name, _attributes):
        self.depth += 1
        self.elements += 1
        if self.row_depth is not None:
            self.row_elements += 1
            if self.row_elements > MAX_ROW_ELEMENTS:
                raise _too_much_data()
        else:
            self.outside_rows += 1
            if self.outside_rows > MAX_ELEMENTS_OUTSIDE_ROWS:
                raise _too_much_data()
        if self.elements > self.limits.elements:
            raise _too_much_data()
        local_name = name.rpartition(":")[2]  # with or without a namespace prefix
        if local_name == "row":
            # Every row counts, empty or repeated: openpyxl reads them all, even those it does not return.
            self.rows += 1
            if self.rows > self.limits.sheet_rows:
                raise self.limits.too_many_rows()
            if self.row_depth is None:
                self.row_depth, self.row_elements = self.depth, 0
        elif local_name == "sheet":
            # openpyxl builds an object for each sheet the workbook declares, before any is read.
            self.sheets += 1
            if self.sheets > MAX_SHEETS:
                raise _too_much_data()

    def end(self, _name):
        if self.depth == self.row_depth:
            self.row_depth = None
        self.depth -= 1


def _too_much_data():
    return FileRefused(_("The file holds too much data to import at once. Split it into smaller files."))


def _clean(value):
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value or None
    return value


def match_header(layout_choices, cells):
    """(layout, {column key: cell index}, problems) for the header row; the layout is the closest one."""
    keys = [header_key(value) if value is not None else None for value in cells]

    def specific_matches(layout):
        return {
            column.key
            for column in layout.columns
            if column.key not in SHARED_COLUMNS and column.header_keys() & set(keys)
        }

    layout = max(layout_choices, key=lambda layout: len(specific_matches(layout)))
    if not specific_matches(layout):
        return layout, {}, [_("The first row does not hold the column headers of a template.")]
    by_key = {key: column for column in layout.columns for key in column.header_keys()}
    indexes, problems = {}, []
    for index, (key, value) in enumerate(zip(keys, cells, strict=True)):
        if key is None:
            continue  # a column without a header is somebody's scratch space
        column = by_key.get(key)
        if column is None:
            message = _("The column “%(column)s” is not part of the template.") % {"column": show(value)}
            problems.append(message)
        elif column.key in indexes:
            problems.append(_("The column “%(column)s” appears twice.") % {"column": column.header})
        else:
            indexes[column.key] = index
    missing = [column.header for column in layout.columns if column.read and column.key not in indexes]
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return layout, indexes, problems
