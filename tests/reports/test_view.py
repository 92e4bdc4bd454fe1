"""The report's download from the dashboard: who may have it, and a query count that does not grow."""

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import Unit, User
from tests import report_h1_2023 as report
from tests.indicators.test_dashboards import add_communes, login
from tests.reports.conftest import HEADLINE

pytestmark = pytest.mark.django_db

URL = reverse("report_docx", args=[report.DISTRICT_CODE, report.PERIOD])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize("role", [User.Role.DISTRICT_STAFF, User.Role.LEADER, User.Role.ADMINISTRATOR])
def test_district_staff_leaders_and_administrators_download_the_report(client, role):
    login(client, role, None if role == User.Role.ADMINISTRATOR else report.DISTRICT_CODE)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert f"bao-cao-cchc-298-{report.PERIOD}.docx" in response["Content-Disposition"]
    text = "\n".join(paragraph.text for paragraph in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert all(figure in text for figure in HEADLINE)
    overview = client.get(reverse("home"), {"period": report.PERIOD}).content.decode()
    assert f'action="{URL}"' in overview


def test_anonymous_visitors_are_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_commune_officers_are_refused(client):
    login(client, User.Role.COMMUNE_OFFICER, "11089")
    assert client.get(URL).status_code == 403
    assert client.get(reverse("home"), {"period": report.PERIOD}).status_code == 302  # to their own profile


def test_a_district_outside_the_users_scope_is_refused(client):
    other = Unit.objects.create(
        code="D7", name="Thanh Hà", kind="huyen", level="district", parent=Unit.objects.get(code="30")
    )
    login(client, User.Role.LEADER, other.code)
    assert client.get(URL).status_code == 403


def test_no_report_for_what_is_not_a_district_or_has_no_figures(client):
    login(client, User.Role.ADMINISTRATOR, None)
    for unit, period in (("11089", report.PERIOD), ("30", report.PERIOD), (report.DISTRICT_CODE, "2023-Q1")):
        response = client.get(reverse("report_docx", args=[unit, period]))
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert client.get(reverse("report_docx", args=[report.DISTRICT_CODE, "2031-H1"])).status_code == 404
    # The button is offered for districts only.
    page = client.get(reverse("home"), {"period": report.PERIOD, "unit": "30"}).content.decode()
    assert "report-download" not in page


def test_the_query_count_does_not_grow_with_the_communes(client, django_assert_num_queries):
    login(client, User.Role.DISTRICT_STAFF, report.DISTRICT_CODE)
    with CaptureQueriesContext(connection) as at_23:
        assert client.get(URL).status_code == 200
    assert len(at_23) <= 80  # about ten dashboard queries for each part of the report
    add_communes(477)
    with django_assert_num_queries(len(at_23)):
        response = client.get(URL)
    assert response.status_code == 200
    opened = docx.Document(io.BytesIO(response.content))
    assert len(opened.tables[3].rows) == 1 + 1 + 500 + 2
