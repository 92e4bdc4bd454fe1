"""Workbooks crafted to crash or stall the reader: each is refused with a sentence, quickly, never a 500.

The files (tests/fixtures_xlsx/hostile.py) are tiny (about 1.6 KB), built from the few parts openpyxl needs;
each breaks one thing.
"""

import io
import re
import time
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.excel import spreadsheets
from indicators.excel.spreadsheets import MAX_COLUMNS, FileRefused, read_rows
from tests.fixtures_xlsx.builders import figures_snapshot
from tests.fixtures_xlsx.hostile import (
    MALFORMED,
    NOT_XLSX,
    TOO_MANY_ROWS,
    TOO_MUCH_DATA,
    dimension_bomb,
    first_cell,
    workbook,
)

pytestmark = pytest.mark.django_db


def timed(data):
    """(what read_rows returned or the FileRefused it raised, CPU seconds)."""
    start = time.process_time()
    try:
        outcome = read_rows(data)
    except FileRefused as refusal:
        outcome = refusal
    return outcome, time.process_time() - start


# ------------------------------------------------------------------------------------------ reading


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_workbook_is_not_a_readable_workbook(name):
    data = MALFORMED[name]
    assert len(data) < 2_000
    with pytest.raises(FileRefused) as refusal:
        read_rows(data)
    assert refusal.value.message == _(NOT_XLSX)


def test_the_crafted_files_are_well_formed_apart_from_their_one_defect():
    # Each file is refused for what it was built to break, not because the builder is wrong.
    rows = read_rows(first_cell('<c r="A2"><v>12</v></c>'))
    assert [(number, cells[0]) for number, cells in rows] == [(1, "unit code"), (2, 12)]


def test_the_declared_size_of_a_sheet_is_not_walked():
    """The whole grid declared and its last cell filled: refused at once, not 27 minutes of CPU."""
    outcome, seconds = timed(dimension_bomb())
    assert isinstance(outcome, FileRefused)
    assert outcome.message == _(TOO_MANY_ROWS) % {"rows": "20.000"}
    assert seconds < 1


def test_a_far_last_cell_is_read_without_padding_the_rows():
    """The same within the row limit (15 s before): read quickly, rows no wider than the columns read."""
    outcome, seconds = timed(dimension_bomb(last_row=10_000))
    assert outcome == [(1, ["unit code"] + [None] * (MAX_COLUMNS - 1))]  # XFD is beyond the columns read
    assert seconds < 1


def test_a_declared_size_smaller_than_the_sheet_does_not_hide_rows():
    data = workbook(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3"><c r="B3"><v>5</v></c></row>', dimension="A1"
    )
    assert [(number, cells[:2]) for number, cells in read_rows(data)] == [
        (1, ["unit code", None]),
        (3, [None, 5]),
    ]


def test_empty_rows_count_towards_the_row_limit():
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + "<row/>" * spreadsheets.MAX_SHEET_ROWS
    with pytest.raises(FileRefused) as refusal:
        read_rows(workbook(rows))
    assert refusal.value.message == _(TOO_MANY_ROWS) % {"rows": "20.000"}


def test_repeated_row_numbers_count_towards_the_row_limit():
    # openpyxl reads a row numbered like an earlier one, then drops it: the count must not.
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        + '<row r="1"><c/></row>' * spreadsheets.MAX_SHEET_ROWS
    )
    with pytest.raises(FileRefused) as refusal:
        read_rows(workbook(rows))
    assert refusal.value.message == _(TOO_MANY_ROWS) % {"rows": "20.000"}


def test_a_huge_row_is_refused_before_openpyxl_builds_it():
    """A million empty cells in one row, 8 KB zipped: 4 s and 365 MB before, refused at once now."""
    data = workbook('<row r="1"><c r="A1" t="s"><v>0</v></c>' + "<c/>" * 1_000_000 + "</row>")
    outcome, seconds = timed(data)
    assert isinstance(outcome, FileRefused)
    assert outcome.message == _(TOO_MUCH_DATA)
    assert seconds < 1


def test_a_part_outside_the_rows_cannot_grow_without_bound():
    # 60,000 shared strings (120,000 elements), read one by one before any row; styles would be slower.
    data = workbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=["x"] * 60_000)
    outcome, seconds = timed(data)
    assert isinstance(outcome, FileRefused)
    assert outcome.message == _(TOO_MUCH_DATA)
    assert seconds < 1


def test_a_part_that_is_not_xml_is_left_alone():
    """An image inside the workbook is not XML: the scan skips it and the sheet is read."""
    stream = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(first_cell('<c r="A2"><v>12</v></c>'))) as source:
        with zipfile.ZipFile(stream, "w") as archive:
            for member in source.infolist():
                archive.writestr(member, source.read(member))
            archive.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert [cells[0] for _number, cells in read_rows(stream.getvalue())] == ["unit code", 12]


# ------------------------------------------------------------------------------------------ import


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(
    "data, message",
    [
        *[pytest.param(data, NOT_XLSX, id=name) for name, data in MALFORMED.items()],
        pytest.param(dimension_bomb(), TOO_MANY_ROWS, id="dimension-bomb"),
    ],
)
def test_the_upload_page_shows_the_refusal(client, staff, data, message):
    client.force_login(staff)
    stream = io.BytesIO(data)
    stream.name = "so-lieu.xlsx"
    before = figures_snapshot()
    response = client.post(reverse("exchange_import"), {"file": stream})
    assert response.status_code == 400
    expected = _(message) % {"rows": "20.000"} if "%(rows)s" in message else _(message)
    assert [(problem.row, problem.message) for problem in response.context["plan"].problems] == [
        (None, expected)
    ]
    assert expected in page_text(response)
    assert figures_snapshot() == before


def test_the_command_line_import_refuses_a_crafted_file(staff, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(MALFORMED["shared-string-index"])
    out = StringIO()
    with pytest.raises(CommandError, match=_("The file was refused: nothing was saved.")):
        call_command("import_data", str(path), "--user=staff", stdout=out)
    assert _(NOT_XLSX) in out.getvalue()
