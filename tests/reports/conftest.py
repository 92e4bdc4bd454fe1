"""The H1-2023 report of Tứ Kỳ as the application writes it, built once for the document tests."""

import datetime
import io

import docx
import pytest

from communes.models import Unit
from indicators.formatting import format_number
from indicators.models import Period
from reports import content, document
from tests import report_h1_2023 as report

# A fixed issuing date, so that the date line can be asserted.
TODAY = datetime.date(2023, 7, 20)


def printed(value):
    """A rate or points as the report prints them: 99,94 · 98,2 · 100."""
    return format_number(value, 2).rstrip("0").rstrip(",")


def fraction(counts, part, whole):
    return f"{format_number(counts[part])}/{format_number(counts[whole])}"


# The report's own headline figures: "1.641/1.642", "99,94%", "22.506/23.521", "95,68%".
HEADLINE = [
    fraction(report.DISTRICT_COUNTS, "resolved_on_time", "resolved"),
    f"{printed(report.DISTRICT_RATES['on_time'])}%",
    fraction(report.COMMUNE_COUNTS, "inputs_digitized", "inputs"),
    f"{printed(report.COMMUNE_RATES['inputs_digitized'])}%",
]


def build(period_code="2023-H1", unit_code="298"):
    unit = Unit.objects.get(code=unit_code)
    return document.build(
        content.gather(unit, Period.objects.get_by_code(period_code), Unit.objects.all()), TODAY
    )


def paragraphs(data):
    """Every paragraph of a .docx, body and table cells alike, in document order."""
    opened = docx.Document(io.BytesIO(data))
    found = list(opened.paragraphs)
    for table in opened.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    return found


@pytest.fixture(scope="module")
def report_docx(django_db_setup, django_db_blocker):
    """The bytes of the H1-2023 report, built from the seeded data (read only)."""
    with django_db_blocker.unblock():
        return build()
