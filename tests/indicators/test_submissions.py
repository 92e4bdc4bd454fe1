import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communes.models import Unit, User
from indicators.models import Period, PeriodReport

from .factories import make_commune

pytestmark = pytest.mark.django_db


def login(client, role, unit_code):
    user = User.objects.create_user(
        f"{role}-{unit_code}", password="x", role=role, unit=Unit.objects.get(code=unit_code)
    )
    client.force_login(user)
    return user


def rows(client, period="2023-H1"):
    response = client.get(reverse("submissions"), {"period": period})
    assert response.status_code == 200
    return {row["code"]: row for row in response.context["page"].table.rows}


def test_the_district_sees_itself_first_and_every_commune_with_its_state(client):
    login(client, User.Role.DISTRICT_STAFF, "298")
    by_code = rows(client)
    assert list(by_code)[0] == "298"
    assert len(by_code) == 24
    late = {code for code, row in by_code.items() if row["state"] == "late"}
    # The report names Tân Kỳ, Dân Chủ, Quang Phục and Tái Sơn as reporting late.
    assert {Unit.objects.get(code=code).name for code in late} == {
        "Tân Kỳ",
        "Dân Chủ",
        "Quang Phục",
        "Tái Sơn",
    }
    assert all(row["state"] == "on_time" for code, row in by_code.items() if code not in late)


def test_units_without_a_report_are_listed_as_not_submitted(client):
    login(client, User.Role.LEADER, "298")
    by_code = rows(client, "2023-Q3")
    assert len(by_code) == 24 and {row["state"] for row in by_code.values()} == {"not_submitted"}


def test_a_draft_is_not_submitted_and_a_submission_on_the_deadline_day_is_on_time(client):
    login(client, User.Role.DISTRICT_STAFF, "298")
    q3 = Period.objects.get_by_code("2023-Q3")
    deadline_evening = timezone.make_aware(datetime.datetime.combine(q3.deadline, datetime.time(23, 30)))
    PeriodReport.objects.create(unit=Unit.objects.get(code="11089"), period=q3)
    PeriodReport.objects.create(
        unit=Unit.objects.get(code="11143"), period=q3, status="submitted", submitted_at=deadline_evening
    )
    by_code = rows(client, "2023-Q3")
    assert by_code["11089"]["state"] == "not_submitted"
    assert by_code["11143"]["state"] == "on_time"


def test_a_commune_officer_sees_only_their_own_unit(client):
    login(client, User.Role.COMMUNE_OFFICER, "11089")
    assert list(rows(client)) == ["11089"]


def count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("submissions"), {"period": "2023-H1"})
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_communes(client):
    login(client, User.Role.DISTRICT_STAFF, "298")
    at_23 = count_queries(client)
    district = Unit.objects.get(code="298")
    h1 = Period.objects.get_by_code("2023-H1")
    for number in range(40):
        commune = make_commune(district, f"S{number:03d}", f"Xã Nộp {number}")
        PeriodReport.objects.create(unit=commune, period=h1, status="submitted", submitted_at=timezone.now())
    assert count_queries(client) == at_23


def test_a_returned_report_is_not_submitted_on_the_list_the_json_or_the_overview(client):
    """It keeps the date it was sent, but it was given back: it is not submitted, on time or late."""
    login(client, User.Role.DISTRICT_STAFF, "298")
    q3 = Period.objects.get_by_code("2023-Q3")
    on_time = timezone.make_aware(datetime.datetime.combine(q3.deadline, datetime.time(9)))
    PeriodReport.objects.create(
        unit=Unit.objects.get(code="11089"),
        period=q3,
        status="returned",
        return_reason="Thiếu số liệu lĩnh vực Tư pháp",
        submitted_at=on_time,
    )
    assert rows(client, "2023-Q3")["11089"]["state"] == "not_submitted"
    payload = client.get(reverse("submissions"), {"period": "2023-Q3", "format": "json"}).json()
    assert payload["counts"] == {"on_time": 0, "late": 0, "not_submitted": 24}
    overview = client.get(reverse("home"), {"period": "2023-Q3", "format": "json"}).json()
    assert overview["submitted"] == {"count": 0, "total": 23}


def test_the_download_counts_its_rows_as_the_page_counts_the_units(client):
    """The page counts with a query, the download counts the rows it has read: the same figures."""
    login(client, User.Role.DISTRICT_STAFF, "298")
    page = client.get(reverse("submissions"), {"period": "2023-H1"})
    payload = client.get(reverse("submissions"), {"period": "2023-H1", "format": "json"}).json()
    # The report's H1 2023: four communes late, the district and the 19 others on time.
    assert page.context["counts"] == payload["counts"] == {"on_time": 20, "late": 4, "not_submitted": 0}
    assert [row["state"] for row in payload["rows"]].count("late") == 4
