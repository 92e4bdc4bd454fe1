"""Who reads the figures of a draft or returned report: those who may write them, and nobody else.

The unit's officers, the Home Affairs Office above it and administrators read them on the report screen, in
the Excel export and in the data administration; leaders see them nowhere until the report is submitted, and
dashboards never (test_workflow.py).
"""

import pytest
from django.urls import reverse

from communes.models import User
from indicators.models import DossierStats, PeriodReport
from tests.fixtures_xlsx.builders import make_user, read
from tests.indicators.test_workflow import NGOC_KY, figures, post, url

pytestmark = pytest.mark.django_db

RECEIVED = "4321"  # a count that appears nowhere else on the pages


@pytest.fixture
def draft(client, officer, open_period):
    data = figures(**{"field-tu-phap-received": RECEIVED, "field-tu-phap-resolved_on_time": "4311"})
    assert post(client, officer, NGOC_KY, open_period, **data).status_code == 302
    return PeriodReport.objects.get(unit__code=NGOC_KY, period=open_period)


def export_rows(client, period):
    response = client.get(reverse("exchange_export"), {"period": period.code, "kind": "stats"})
    assert response.status_code == 200
    return read(response.content)[1:]


def shows_the_figures(client, user, report):
    client.force_login(user)
    page = client.get(url(NGOC_KY, report.period)).content.decode()
    exported = any(row[1] == NGOC_KY for row in export_rows(client, report.period))
    row = DossierStats.objects.get(unit__code=NGOC_KY, period=report.period)
    listing = client.get(reverse("admin:indicators_dossierstats_changelist"), {"period": report.period.pk})
    listed = reverse("admin:indicators_dossierstats_change", args=[row.pk]) in listing.content.decode()
    change = client.get(reverse("admin:indicators_dossierstats_change", args=[row.pk])).status_code
    history = client.get(reverse("admin:indicators_dossierstats_history", args=[row.pk])).status_code
    return {
        "screen": 'value="4.321"' in page,  # as Vietnamese write it
        "export": exported,
        "admin list": listed,
        "admin row": change == 200,
        "admin history": history == 200,
    }


ALL = {"screen": True, "export": True, "admin list": True, "admin row": True, "admin history": True}
NONE = dict.fromkeys(ALL, False)


@pytest.mark.parametrize("status", [PeriodReport.Status.DRAFT, PeriodReport.Status.RETURNED])
def test_a_leader_reads_no_figure_of_an_unpublished_report(client, draft, leader, status):
    PeriodReport.objects.filter(pk=draft.pk).update(status=status, return_reason="x")
    assert shows_the_figures(client, leader, draft) == NONE
    page = client.get(url(NGOC_KY, draft.period)).content.decode()
    assert "chưa được nộp" in page


def test_those_who_may_write_the_draft_read_it(client, draft, officer, staff):
    assert shows_the_figures(client, officer, draft) == ALL
    assert shows_the_figures(client, staff, draft) == ALL
    admin = make_user("root", User.Role.ADMINISTRATOR, None, is_superuser=True)
    assert shows_the_figures(client, admin, draft) == ALL


def test_once_submitted_the_leader_reads_it(client, draft, officer, leader):
    assert post(client, officer, NGOC_KY, draft.period, action="submit", **figures(
        **{"field-tu-phap-received": RECEIVED, "field-tu-phap-resolved_on_time": "4311"}
    )).status_code == 302
    assert shows_the_figures(client, leader, draft) == ALL
