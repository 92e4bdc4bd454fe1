"""The data table beside every chart, and the same table as JSON, CSV and xlsx."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ..excel.spreadsheets import SheetColumn, escape_formula, write_csv, write_sheet
from ..formatting import NO_DATA, format_change, format_number, format_percent, rounded

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    key: str
    label: str
    # text, int, percent, points, change (of a rate, in percentage points), or code (a unit's code: left out
    # on a phone, where the figures come first)
    kind: str = "text"
    # What SQL sorts all rows by when the reader asks for this column (None: not sortable).
    order: object = None
    # A first click sorts numbers from the largest (the best score, the most overdue dossiers); ranks and
    # text from the first.
    descending_first: bool = None
    shown: bool = True  # False: a code for programs, in the downloads only
    # What the downloads read for this column from SQL (a field name or an expression giving the value as
    # machine_value() would); None: added by the rows' `complete`, or read from the row built in Python.
    value: object = None
    # cell(row) -> the HTML of the cell in the HTML table (a link, a mark), instead of the value displayed.
    cell: Callable = None

    def __post_init__(self):
        if self.descending_first is None:
            self.descending_first = self.kind in ("int", "percent", "points", "change") and self.key != "rank"


class Rows:
    """The rows of a data table, read from SQL a page at a time in the order the reader chose.

    `lines`: figures.Lines; `build(lines, units)`: their rows, `units` (the lines' ids or, for all of them,
    a queryset) telling what else to fetch for them. The downloads read every row straight from SQL
    instead (records()); `complete(records, ids)` adds the columns SQL does not give, for all rows at once.
    """

    def __init__(self, lines, build, default_order, complete=None):
        self.lines, self.build, self.default_order, self.complete = lines, build, default_order, complete

    def sorted(self, order):
        return Rows(self.lines.order_by(*order), self.build, self.default_order, self.complete)

    def records(self, columns):
        """Every row as {column key: machine value}, from SQL with no object a row."""
        read = [column for column in columns if column.value is not None]
        keys = [column.key for column in read]
        found = self.lines.rows.values_list("pk", *[column.value for column in read])
        records, ids = [], []
        for pk, *values in found:
            ids.append(pk)
            records.append(dict(zip(keys, values, strict=True)))
        if self.complete:
            self.complete(records, ids)
        return records

    def count(self):
        return self.lines.count()

    __len__ = count

    def __getitem__(self, index):
        chunk = self.lines[index]
        return self.build(chunk, [line.pk for line in chunk])

    def __iter__(self):
        return iter(self.build(list(self.lines), self.lines.units))


@dataclass
class Table:
    columns: list
    rows: object = field(default_factory=list)  # a list, or Rows read a page at a time
    sort: str = ""  # the key of ?sort= applied (or the usual order's), "-" first when descending

    def sorted_by(self, key):
        """The table sorted by `key` (?sort=: a column's key, "-" first for descending), if it is one."""
        column = next((c for c in self.columns if c.key == key.removeprefix("-") and c.order), None)
        if column is None or not isinstance(self.rows, Rows):
            return self
        descending = key.startswith("-")
        order = [
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            for expression in column.order
        ]
        return Table(self.columns, self.rows.sorted([*order, *self.rows.default_order]), key)

    def headers(self):
        """(column, ?sort= of its link or None, "ascending"/"descending"/None) for the HTML table."""
        sortable = isinstance(self.rows, Rows)
        for column in self.columns:
            if not column.shown:
                continue
            if not (sortable and column.order):
                yield column, None, None
            elif self.sort == column.key:
                yield column, f"-{column.key}", "ascending"
            elif self.sort == f"-{column.key}":
                yield column, column.key, "descending"
            else:
                yield column, f"-{column.key}" if column.descending_first else column.key, None

    def body(self, rows=None):
        """The rows of the HTML table (`rows`, or all of them) as HTML: built here, since a template loop
        over a page's hundreds of cells took longer than reading them from the database."""
        rows = self.rows if rows is None else rows
        columns = [
            (c.key, c.kind, c.cell, CELL_OPENINGS.get(c.kind, "<td>")) for c in self.columns if c.shown
        ]
        lines = []
        for row in rows:
            cells = []
            for key, kind, cell, opening in columns:
                text, numeric = display(row.get(key), kind)
                if cell:
                    text = conditional_escape(cell(row))
                elif not (numeric and kind in DIGITS_ONLY):
                    text = conditional_escape(text)
                cells.append(f'<td class="num">{text}</td>' if numeric else f"{opening}{text}</td>")
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))  # every text escaped above, or made of digits and separators


CELL_OPENINGS = {"code": '<td class="code">'}
# Kinds displayed as digits, separators, a sign and % (or the no-data dash): nothing to escape.
DIGITS_ONLY = {"int", "percent", "points"}


def display(value, kind):
    """(The value as the HTML table shows it, whether it is a number aligned as one)."""
    if value is None or value == "":
        return NO_DATA, False
    if isinstance(value, bool):
        return (gettext("Yes") if value else gettext("No")), False
    if kind == "percent":
        return format_percent(value), True
    if kind == "points":
        return format_number(value, 2), True
    if kind == "change":
        return format_change(value), True
    if kind == "int":
        return format_number(value), True
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT"), False
    return str(value), False


def machine_value(value, kind):
    """Rates and points rounded half-up to two places, as the report prints them; None stays None."""
    if value is None:
        return None
    if isinstance(value, Promise):
        return str(value)
    if kind in ("percent", "points", "change"):
        return float(rounded(value, 2))
    if isinstance(value, Decimal):
        return float(value)
    return value


def excel_value(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # xlsx has no time zones: Vietnam's time
    return escape_formula(value)


def _json_value(value):
    # Decimals as JSON numbers (Django's encoder writes them as strings); dates and times as Django writes
    # them (milliseconds, "Z" for UTC).
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return _DJANGO_JSON.default(value)


_DJANGO_JSON = DjangoJSONEncoder()


def json_response(payload):
    # orjson: the downloads of all rows of 10,000 communes spend their time encoding with the standard one.
    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    content = orjson.dumps(payload, default=_json_value, option=options)
    return HttpResponse(content, content_type="application/json")


def records(table):
    """The table's rows as {column key: machine value}: what JSON, CSV and xlsx give."""
    if isinstance(table.rows, Rows):
        return table.rows.records(table.columns)
    return [
        {column.key: machine_value(row.get(column.key), column.kind) for column in table.columns}
        for row in table.rows
    ]


def csv_response(table, filename):
    lines = ([row.get(column.key) for column in table.columns] for row in records(table))
    content = write_csv([column.label for column in table.columns], lines)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table, filename, title):
    columns = [SheetColumn(str(column.label)) for column in table.columns]
    lines = ([excel_value(row.get(c.key)) for c in table.columns] for row in records(table))
    response = HttpResponse(write_sheet(title, columns, lines), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
