"""A commune officer finds the report of the period under way from the commune's page, before any figure."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Unit, User
from indicators import selectors, services
from indicators.models import Period, PeriodReport
from tests.fixtures_xlsx.builders import make_user
from tests.indicators.factories import make_commune

pytestmark = pytest.mark.django_db

IN_Q1_2099 = datetime.date(2099, 2, 1)


@pytest.fixture
def quarter():
    services.open_year(2099)
    return Period.objects.get_by_code("2099-Q1")


def test_the_quarter_under_way_is_due_until_its_report_is_submitted(quarter):
    commune = Unit.objects.get(code="11089")
    [due] = selectors.reports_due(commune, today=IN_Q1_2099)
    assert due.period == quarter and due.status is None and due.status_label == "Chưa lập báo cáo"

    report = PeriodReport.objects.create(unit=commune, period=quarter)
    assert [d.status for d in selectors.reports_due(commune, today=IN_Q1_2099)] == ["draft"]
    report.status, report.submitted_at = PeriodReport.Status.SUBMITTED, timezone.now()
    report.save()
    assert selectors.reports_due(commune, today=IN_Q1_2099) == []


def test_a_quarter_past_its_deadline_is_no_longer_due_but_a_returned_report_is(quarter):
    commune = Unit.objects.get(code="11089")
    after = quarter.deadline + datetime.timedelta(days=1)
    assert selectors.reports_due(commune, today=after) == []
    PeriodReport.objects.create(
        unit=commune, period=quarter, status=PeriodReport.Status.RETURNED, return_reason="Thiếu số liệu"
    )
    assert [d.period for d in selectors.reports_due(commune, today=after)] == [quarter]


def under_way(quarter):
    """Make the quarter the one under way today, whatever the date the tests run on."""
    today = timezone.localdate()
    Period.objects.filter(pk=quarter.pk).update(
        start=today - datetime.timedelta(days=10), deadline=today + datetime.timedelta(days=20)
    )


def test_the_officer_reaches_the_report_form_from_the_communes_page(client, quarter):
    under_way(quarter)
    client.force_login(make_user("officer", User.Role.COMMUNE_OFFICER, "11089"))
    page = client.get(reverse("commune_profile", args=["11089"])).content.decode()
    assert "Báo cáo cần nhập" in page
    assert reverse("report", args=["11089", "2099-Q1"]) in page
    assert reverse("exchange_template") + "?period=2099-Q1&amp;kind=stats&amp;unit=11089" in page


def test_a_new_commune_without_figures_still_shows_its_report_to_enter(client, quarter):
    under_way(quarter)
    commune = make_commune(Unit.objects.get(code="298"), "N1", "Xã Mới Lập")
    client.force_login(make_user("new-officer", User.Role.COMMUNE_OFFICER, "N1"))
    page = client.get(reverse("commune_profile", args=[commune.code])).content.decode()
    assert reverse("report", args=["N1", "2099-Q1"]) in page


def test_a_leader_who_enters_nothing_sees_no_reports_to_enter(client, quarter):
    under_way(quarter)
    client.force_login(make_user("leader", User.Role.LEADER, "298"))
    page = client.get(reverse("commune_profile", args=["11089"])).content.decode()
    assert "Báo cáo cần nhập" not in page


def test_the_officer_opens_the_report_not_yet_started(client, quarter):
    under_way(quarter)
    client.force_login(make_user("officer", User.Role.COMMUNE_OFFICER, "11089"))
    response = client.get(reverse("report", args=["11089", "2099-Q1"]))
    assert response.status_code == 200
    assert response.context["history"] == [] and "Lưu và nộp" in response.content.decode()
