"""Every hostile workbook of the corpus through every door that takes a workbook (the Excel page, the data
administration's import, the command line): a clear message, nothing written, nothing kept, and a bounded
amount of work.

The work is counted, not timed: the parts of the zip opened and the rows openpyxl walks. Before the bounded
reader, the admin import walked all 1.048.576 declared rows of the dimension bomb (21 CPU s), and a
workbook declaring 200 sheets on one part made openpyxl read that part 200 times (24 CPU s).
"""

import io
import zipfile
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from indicators.excel.spreadsheets import MAX_FILE_BYTES, MAX_SHEET_ROWS, FileRefused, read_rows
from tests.fixtures_xlsx.builders import figures_snapshot
from tests.fixtures_xlsx.hostile import HOSTILE

pytestmark = pytest.mark.django_db

XLSX = "0"  # the index of Excel among the admin import's formats


def expected(message, rows=MAX_SHEET_ROWS - 5_000):
    return _(message) % {"rows": f"{rows:,}".replace(",", "."), "size": MAX_FILE_BYTES // 2**20}


@contextmanager
def counting_work(monkeypatch):
    """{"parts": zip parts opened, "rows": rows openpyxl handed over}, counted while the block runs."""
    work = {"parts": 0, "rows": 0}
    open_part, cells_by_row = zipfile.ZipFile.open, ReadOnlyWorksheet._cells_by_row

    def counted_open(self, *args, **kwargs):
        work["parts"] += 1
        return open_part(self, *args, **kwargs)

    def counted_rows(self, *args, **kwargs):
        for row in cells_by_row(self, *args, **kwargs):
            work["rows"] += 1
            yield row

    monkeypatch.setattr(zipfile.ZipFile, "open", counted_open)
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted_rows)
    yield work


def bounded(work, data, reads=1):
    """Each part opened at most twice a read of the file (scanned, then read), and no row walked past the
    limit. The data administration reads a file twice: its form checks it, then the package reads it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = min(len(archive.infolist()), 1_000)
    return work["parts"] <= reads * (2 * parts + 2) and work["rows"] <= reads * (MAX_SHEET_ROWS + 1)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize("name", HOSTILE)
def test_the_excel_page(client, staff, uploads, monkeypatch, name):
    data, message = HOSTILE[name]
    client.force_login(staff)
    before, stream = figures_snapshot(), io.BytesIO(data)
    stream.name = "so-lieu.xlsx"
    with counting_work(monkeypatch) as work:
        response = client.post(reverse("exchange_import"), {"file": stream})
    assert response.status_code == 400
    problems = [problem.message for problem in response.context["plan"].problems]
    assert problems if message is None else problems == [expected(message)]
    assert figures_snapshot() == before and not list(uploads.iterdir())
    assert bounded(work, data), work


@pytest.mark.parametrize("name", HOSTILE)
def test_the_data_administrations_import(client, staff, uploads, monkeypatch, name):
    data, message = HOSTILE[name]
    client.force_login(staff)
    before, upload = figures_snapshot(), io.BytesIO(data)
    upload.name = "so-lieu.xlsx"
    url = reverse("admin:indicators_dossierstats_import")
    with counting_work(monkeypatch) as work:
        response = client.post(url, {"format": XLSX, "resource": "0", "import_file": upload})
    assert response.status_code == 200 and "confirm_form" not in response.context
    page = response.content.decode()
    if message is None:  # a header row and nothing under it
        assert response.context["form"].errors["import_file"]
    else:
        assert response.context["form"].errors["import_file"] == [expected(message, rows=2000)]
    assert "Traceback" not in page
    assert figures_snapshot() == before and not list(uploads.iterdir())
    assert bounded(work, data, reads=2), work


@pytest.mark.parametrize("name", [name for name, (_data, message) in HOSTILE.items() if message])
def test_the_command_line(staff, tmp_path, name):
    data, message = HOSTILE[name]
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(data)
    out, before = StringIO(), figures_snapshot()
    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--user=staff", stdout=out)
    assert expected(message) in out.getvalue()
    assert figures_snapshot() == before


def test_a_workbook_declaring_sheets_on_one_part_is_read_once(monkeypatch):
    data, _message = HOSTILE["sheets-on-one-part"]
    with counting_work(monkeypatch) as work:
        rows = read_rows(data)
    assert [cells[0] for _number, cells in rows] == ["unit code"]
    assert work["parts"] <= 2 * 6 + 2


def test_the_reader_refuses_what_it_cannot_bound():
    for name, (data, message) in HOSTILE.items():
        if message is not None:
            with pytest.raises(FileRefused) as refusal:
                read_rows(data)
            assert refusal.value.message == expected(message), name
