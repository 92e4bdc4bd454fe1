"""An import interrupted half-way leaves nothing written: an error raised between two rows, and a real
process killed (SIGKILL) while its transaction is half written on PostgreSQL."""

import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import User
from indicators.excel import imports
from indicators.excel.spreadsheets import STATS
from indicators.models import DossierStats, ProcedureField
from indicators.services import report_figures
from tests.faults.conftest import backends, query, wait_for
from tests.faults.test_outage import UNAVAILABLE
from tests.fixtures_xlsx.builders import figures_snapshot, headers, make_user, stats_row, xlsx

NGOC_KY, TIEN_DONG = "11089", "11143"
RECEIVED = 777  # no report of the demo data has it: every row of the file changes something


def two_reports(fields):
    """Every field of two communes' H1-2023 reports, with new figures: one save_figures() each."""
    rows = [
        stats_row("2023-H1", unit, field, received=RECEIVED)
        for unit in (NGOC_KY, TIEN_DONG)
        for field in fields
    ]
    return xlsx([headers(STATS), *rows])


class FailingHalfWay:
    """The writer as report_figures calls it (one table's rows), failing half-way through the figures."""

    def __init__(self):
        self.written_before_failing = None
        self.write = report_figures.write

    def __call__(self, model, records, user):
        if model is not DossierStats:
            return self.write(model, records, user)
        self.write(model, records[: len(records) // 2], user)
        self.written_before_failing = figures_snapshot()
        raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def half_way(monkeypatch, db):
    fields = list(ProcedureField.objects.values_list("code", flat=True))
    data = two_reports(fields)
    staff = make_user("staff", User.Role.DISTRICT_STAFF, "298")
    plan = imports.build_plan(data, staff)
    assert plan.is_valid, plan.problems
    # The reports and half the rows have been written when it fails.
    assert plan.count(imports.NEW) + plan.count(imports.CHANGED) > len(fields)
    failing = FailingHalfWay()
    monkeypatch.setattr(report_figures, "write", failing)
    return failing, staff, data, plan


def test_an_import_failing_half_way_writes_nothing(half_way):
    failing, staff, _data, plan = half_way
    before = figures_snapshot()
    with pytest.raises(OperationalError):
        imports.apply_plan(staff, plan)
    assert failing.written_before_failing != before, "the failure must come after some rows were written"
    assert figures_snapshot() == before


def test_an_upload_confirmed_as_the_database_fails_writes_nothing_and_says_so(
    half_way, client, settings, tmp_path
):
    failing, staff, data, _plan = half_way
    settings.EXCEL_UPLOAD_DIR = tmp_path
    client.force_login(staff)
    upload = client.post(reverse("exchange_import"), {"file": SimpleUploadedFile("so-lieu.xlsx", data)})
    before = figures_snapshot()
    response = client.post(reverse("exchange_import_confirm"), {"token": upload.context["token"]})
    assert response.status_code == 503
    assert _(UNAVAILABLE) in response.content.decode()
    assert failing.written_before_failing != before
    assert figures_snapshot() == before


def test_the_command_failing_half_way_writes_nothing(half_way, tmp_path):
    failing, staff, data, _plan = half_way
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(data)
    before = figures_snapshot()
    with pytest.raises(OperationalError):
        call_command("import_data", str(path), user=staff.username)
    assert failing.written_before_failing != before
    assert figures_snapshot() == before


REPORT = """SELECT report.id FROM indicators_periodreport report
    JOIN communes_unit unit ON unit.id = report.unit_id
    JOIN indicators_period period ON period.id = report.period_id
    WHERE unit.code = %s AND period.year = 2023 AND period.kind = 'H' AND period.number = 1"""


def tables(url):
    """Every row of every table of the figures, their reports and their history."""
    with psycopg.connect(url) as connection:
        names = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'indicators%'"
        ).fetchall()
        return {
            name: connection.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall() for (name,) in names
        }


def test_an_import_killed_half_way_through_its_transaction_writes_nothing(site, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(two_reports(["tu-phap", "van-hoa", "noi-vu"]))
    command = [
        sys.executable,
        str(settings.BASE_DIR / "manage.py"),
        "import_data",
        str(path),
        "--user",
        "noivu",
    ]
    before = tables(site.database_url)
    with psycopg.connect(site.database_url, autocommit=True) as locker:
        with locker.transaction():
            # Tiên Động's report comes second in the file: the import waits for it, Ngọc Kỳ's written.
            locker.execute(REPORT + " FOR UPDATE", [TIEN_DONG])
            process = subprocess.Popen(
                command, env=site.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            try:
                [waiting] = wait_for(lambda: backends(site, "wait_event_type = 'Lock'"), "the import to wait")
                with pytest.raises(psycopg.errors.LockNotAvailable):  # Ngọc Kỳ's report: updated, uncommitted
                    query(site.database_url, REPORT + " FOR UPDATE NOWAIT", [NGOC_KY])
            finally:
                process.kill()
                process.wait()
        # The import's database session ends once the lock is released and it finds its client gone.
        wait_for(lambda: waiting not in backends(site), "the killed import's session to end")
    assert tables(site.database_url) == before

    # The same file, not interrupted, writes: the comparison above can tell.
    assert subprocess.run(command, env=site.env, capture_output=True).returncode == 0
    assert tables(site.database_url) != before
