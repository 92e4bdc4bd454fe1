"""The Home Affairs Office's home page says what to do now: reports to appraise, quarters under way, late
communes and returned reports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from communes.models import Unit, User
from indicators import selectors, services
from indicators.models import Period, PeriodReport
from tests.fixtures_xlsx.builders import make_user
from tests.indicators.test_home import page_text

pytestmark = pytest.mark.django_db

IN_Q2_2099 = datetime.date(2099, 5, 1)  # Q2 under way, Q1's deadline passed


@pytest.fixture
def year():
    PeriodReport.objects.filter(status="submitted").update(status="approved")  # the demo's 2023 reports
    services.open_year(2099)
    return {period.code: period for period in Period.objects.filter(year=2099)}


def submit(code, period, days_after_start=1):
    when = datetime.datetime.combine(
        period.start + datetime.timedelta(days=days_after_start), datetime.time(9)
    )
    return PeriodReport.objects.create(
        unit=Unit.objects.get(code=code),
        period=period,
        status=PeriodReport.Status.SUBMITTED,
        submitted_at=timezone.make_aware(when),
    )


def test_the_work_lists_submitted_reports_longest_waiting_first_and_counts_the_quarters(year):
    q1, q2 = year["2099-Q1"], year["2099-Q2"]
    submit("11089", q2, days_after_start=5)
    submit("11143", q1, days_after_start=100)  # after Q1's deadline: late
    submit("11092", q1, days_after_start=2)
    PeriodReport.objects.create(
        unit=Unit.objects.get(code="11086"), period=q1, status="returned", return_reason="Thiếu số liệu"
    )
    staff = make_user("noivu", User.Role.DISTRICT_STAFF, "298")

    work = selectors.appraisal_work(staff, Unit.objects.get(code="298"), today=IN_Q2_2099)

    assert [(r.unit.code, r.period.code) for r in work.waiting] == [
        ("11092", "2099-Q1"),
        ("11089", "2099-Q2"),
        ("11143", "2099-Q1"),
    ]
    assert [r.is_late for r in work.waiting] == [False, False, True]
    assert work.waiting_count == 3 and work.returned_count == 1
    [under_way] = work.under_way
    assert (under_way.period, under_way.submitted, under_way.total) == (q2, 1, 23)
    assert (work.overdue.period, work.overdue.submitted, work.overdue.missing) == (q1, 2, 21)


def test_the_district_staffs_home_page_links_each_waiting_report_to_its_appraisal(client, year):
    report = submit("11089", year["2099-Q1"])
    client.force_login(make_user("noivu", User.Role.DISTRICT_STAFF, "298"))
    response = client.get(reverse("home"), {"period": "2023-H1"})
    text = page_text(response)
    assert "Việc cần làm" in text and "1 báo cáo chờ thẩm định" in text
    assert "Xã Ngọc Kỳ Quý I năm 2099" in text
    assert reverse("report", args=["11089", report.period.code]) in response.content.decode()


def test_the_home_page_runs_as_many_queries_whatever_the_number_of_waiting_reports(
    client, year, django_assert_num_queries
):
    client.force_login(make_user("noivu", User.Role.DISTRICT_STAFF, "298"))
    codes = list(Unit.objects.get(code="298").children.values_list("code", flat=True))
    submit(codes[0], year["2099-Q1"])
    with django_assert_num_queries(17) as one:
        client.get(reverse("home"), {"period": "2023-H1"})
    for code in codes[1:15]:
        submit(code, year["2099-Q1"])
    with django_assert_num_queries(len(one.captured_queries)):
        text = page_text(client.get(reverse("home"), {"period": "2023-H1"}))
    assert "15 báo cáo chờ thẩm định" in text and "Đang hiện 10 báo cáo chờ lâu nhất." in text


def test_leaders_see_the_figures_without_a_work_list(client, year):
    submit("11089", year["2099-Q1"])
    client.force_login(make_user("lanhdao", User.Role.LEADER, "298"))
    assert "Việc cần làm" not in page_text(client.get(reverse("home"), {"period": "2023-H1"}))
