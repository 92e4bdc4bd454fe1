"""A workbook saved again by LibreOffice Calc imports exactly as the one the application wrote.

Needs LibreOffice (Debian package libreoffice-calc-nogui); CI installs it, and in CI a skip is a failure.
"""

import shutil
import subprocess

import pytest

from communes.models import User
from indicators import services
from indicators.excel import imports
from indicators.excel.spreadsheets import SCORES, STATS
from indicators.models import Period
from tests.fixtures_xlsx.builders import column_index, make_user, read, template, xlsx

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not shutil.which("soffice"), reason="needs LibreOffice: apt-get install libreoffice-calc-nogui"
    ),
]


def through_libreoffice(data, tmp_path):
    source, converted = tmp_path / "in" / "so-lieu.xlsx", tmp_path / "out"
    source.parent.mkdir()
    source.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(converted),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (converted / "so-lieu.xlsx").read_bytes()


def plan_summary(plan):
    assert plan.is_valid, plan.problems
    return [(row.number, row.unit.code, row.subject.pk, row.status, row.values) for row in plan.rows]


@pytest.mark.parametrize("kind", [STATS, SCORES])
def test_a_template_saved_by_libreoffice_imports_the_same(tmp_path, kind):
    staff = make_user("staff", User.Role.DISTRICT_STAFF, "298")
    services.open_year(2099)
    rows = read(template(staff, "2023-H1", kind))[:40]
    received, on_time = column_index(STATS, "received"), column_index(STATS, "resolved_on_time")
    # Filled in as a person would: decimals, and unit codes typed as numbers.
    for number, row in enumerate(rows[1:]):
        row[column_index(kind, "period")] = "2099-Q1"
        code = row[column_index(kind, "unit_code")]
        if number % 2 and code.isdigit():
            row[column_index(kind, "unit_code")] = int(code)
        if kind == STATS:
            row[received], row[on_time] = (row[received] or 0) + 1, (row[on_time] or 0) + 1
        else:
            row[column_index(kind, "self_points")] = 3.45
    ours = xlsx(rows)
    theirs = through_libreoffice(ours, tmp_path)
    assert theirs != ours
    expected = plan_summary(imports.build_plan(ours, staff))
    assert plan_summary(imports.build_plan(theirs, staff)) == expected
    assert expected and {status for *_key, status, _values in expected} == {"new"}
    imports.apply_plan(staff, imports.build_plan(theirs, staff))
    assert plan_summary(imports.build_plan(theirs, staff))[0][3] == "unchanged"
    assert Period.objects.get_by_code("2099-Q1").dossier_stats.exists() == (kind == STATS)
