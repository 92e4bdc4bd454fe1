"""python manage.py report: the same document from the command line, and clear refusals."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command

from tests import report_h1_2023 as report
from tests.reports.conftest import HEADLINE

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_report(tmp_path):
    output = tmp_path / "bao-cao.docx"
    out = io.StringIO()
    call_command(
        "report", "--period", report.PERIOD, "--unit", report.DISTRICT_CODE, "--output", output, stdout=out
    )
    text = "\n".join(paragraph.text for paragraph in docx.Document(output).paragraphs)
    assert "BÁO CÁO" in text and all(figure in text for figure in HEADLINE) and str(output) in out.getvalue()


@pytest.mark.parametrize(
    "period, unit, message",
    [
        ("2031-H1", report.DISTRICT_CODE, "Không có kỳ báo cáo “2031-H1”"),
        ("2023-X", report.DISTRICT_CODE, "Không có kỳ báo cáo “2023-X”"),
        (report.PERIOD, "999", "Không có đơn vị nào mang mã “999”"),
        (report.PERIOD, "11089", "Xã Ngọc Kỳ"),  # a commune: the report is a district's
        (report.PERIOD, "30", "Tỉnh Hải Dương"),  # a province: not a district either
        ("2023-Q1", report.DISTRICT_CODE, "Huyện Tứ Kỳ"),  # no figures in the quarters of 2023
    ],
)
def test_the_command_refuses_what_it_cannot_write(tmp_path, period, unit, message):
    output = tmp_path / "x.docx"
    with pytest.raises(CommandError) as refused:
        call_command("report", "--period", period, "--unit", unit, "--output", output)
    assert message in str(refused.value)
    assert not output.exists()
