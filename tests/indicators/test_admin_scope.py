"""The data administration keeps the same rules as the report screen: scope, locks, versions, history."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from communes.models import Unit, User
from indicators import services
from indicators.models import (
    COUNT_FIELDS,
    AreaScore,
    DossierStats,
    Period,
    PeriodReport,
    ProcedureField,
    ReformArea,
)
from tests.fixtures_xlsx.builders import figures_snapshot, make_user

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG, TU_KY = "11089", "11143", "298"


def admin_url(model, action, *args):
    return reverse(f"admin:indicators_{model._meta.model_name}_{action}", args=args)


def stats(unit_code, period_code="2023-H1", field="tu-phap"):
    return DossierStats.objects.get(
        unit__code=unit_code, period=Period.objects.get_by_code(period_code), field__code=field
    )


def change_data(row, **changes):
    data = {name: getattr(row, name) for name in COUNT_FIELDS} | {"loaded_version": row.version}
    return data | changes


def entered(unit_code, period, received=5):
    """A saved statistics row of an open period, entered on the report screen."""
    row = DossierStats(
        field=ProcedureField.objects.get(code="tu-phap"), received=received, resolved_on_time=received
    )
    user = make_user(f"entry{unit_code}", User.Role.DISTRICT_STAFF, TU_KY)
    services.save_figures(user, services.report_for(Unit.objects.get(code=unit_code), period), stats=[row])
    return DossierStats.objects.get(pk=row.pk)


@pytest.mark.parametrize("model", [DossierStats, AreaScore, PeriodReport])
def test_an_officer_lists_only_their_own_units_rows(client, officer, model):
    client.force_login(officer)
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    shown = response.context["cl"].result_list
    assert shown and {row.unit.code for row in shown} == {NGOC_KY}
    assert response.context["cl"].result_count == model.objects.filter(unit__code=NGOC_KY).count()


def test_the_district_lists_its_own_units_and_an_administrator_all(client, staff):
    outside = Unit.objects.create(
        code="299", name="Gia Lộc", kind="huyen", level="district", parent=Unit.objects.get(code="30")
    )
    DossierStats.objects.create(
        unit=outside,
        period=Period.objects.get_by_code("2023-H1"),
        field=ProcedureField.objects.get(code="tu-phap"),
    )
    client.force_login(staff)
    district = client.get(admin_url(DossierStats, "changelist")).context["cl"].result_count
    assert district == DossierStats.objects.exclude(unit=outside).count()
    client.force_login(make_user("root", User.Role.ADMINISTRATOR, is_superuser=True))
    assert client.get(admin_url(DossierStats, "changelist")).context["cl"].result_count == district + 1


def test_an_officer_cannot_open_or_change_another_communes_row(client, officer, open_period):
    row = entered(TIEN_DONG, open_period)
    client.force_login(officer)
    snapshot = figures_snapshot()
    assert client.get(admin_url(DossierStats, "change", row.pk)).status_code == 302  # "does not exist"
    response = client.post(
        admin_url(DossierStats, "change", row.pk), change_data(row, received=50, resolved_on_time=50)
    )
    assert response.status_code == 302
    assert figures_snapshot() == snapshot
    assert client.get(admin_url(DossierStats, "history", row.pk)).status_code == 403


def test_an_officer_is_offered_only_their_own_unit(client, officer):
    client.force_login(officer)
    form = client.get(admin_url(DossierStats, "add")).context["adminform"].form
    assert list(form.fields["unit"].queryset) == [Unit.objects.get(code=NGOC_KY)]
    search = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "indicators", "model_name": "dossierstats", "field_name": "unit", "term": "k"},
    )
    assert [item["text"] for item in search.json()["results"]] == [str(Unit.objects.get(code=NGOC_KY))]


def test_the_unit_picker_offers_units_one_may_enter_not_all_one_sees(client, leader):
    client.force_login(leader)
    picker = {"app_label": "indicators", "model_name": "dossierstats", "field_name": "unit", "term": ""}
    assert client.get(reverse("admin:autocomplete"), picker).json()["results"] == []
    # Elsewhere (here: the parent of a unit) the leader still finds the units they see.
    picker = {"app_label": "communes", "model_name": "unit", "field_name": "parent", "term": "Ngọc"}
    assert [item["text"] for item in client.get(reverse("admin:autocomplete"), picker).json()["results"]] == [
        str(Unit.objects.get(code=NGOC_KY))
    ]


def test_an_officer_cannot_add_a_row_for_another_commune(client, officer, open_period):
    client.force_login(officer)
    data = {name: 0 for name in COUNT_FIELDS} | {
        "unit": Unit.objects.get(code=TIEN_DONG).pk,
        "period": open_period.pk,
        "field": ProcedureField.objects.get(code="tu-phap").pk,
    }
    snapshot = figures_snapshot()
    response = client.post(admin_url(DossierStats, "add"), data)
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert figures_snapshot() == snapshot


def test_an_admin_change_goes_through_the_services(client, staff):
    row = stats(NGOC_KY)
    report = PeriodReport.objects.get(unit=row.unit, period=row.period)
    client.force_login(staff)
    response = client.post(
        admin_url(DossierStats, "change", row.pk),
        change_data(row, received=row.received + 2, resolved_on_time=row.resolved_on_time + 2),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = stats(NGOC_KY)
    assert (saved.received, saved.version) == (row.received + 2, row.version + 1)
    assert saved.history.latest().history_user == staff
    assert PeriodReport.objects.get(pk=report.pk).version == report.version + 1


def test_the_models_rules_show_as_form_errors(client, staff):
    row = stats(NGOC_KY)
    client.force_login(staff)
    snapshot = figures_snapshot()
    response = client.post(
        admin_url(DossierStats, "change", row.pk), change_data(row, received=row.received + 1)
    )
    assert response.status_code == 200
    assert "received" in response.context["adminform"].form.errors
    assert figures_snapshot() == snapshot


def test_a_change_based_on_an_old_version_is_refused(client, staff):
    row = stats(NGOC_KY)
    client.force_login(staff)
    stale = change_data(row, received=row.received + 2, resolved_on_time=row.resolved_on_time + 2)
    fresh = change_data(row, received=row.received + 3, resolved_on_time=row.resolved_on_time + 3)
    assert client.post(admin_url(DossierStats, "change", row.pk), fresh).status_code == 302
    snapshot = figures_snapshot()
    response = client.post(admin_url(DossierStats, "change", row.pk), stale)
    assert response.status_code == 302
    assert figures_snapshot() == snapshot
    assert str(services.StaleData(row)) in [str(m) for m in response.wsgi_request._messages]


def test_an_approved_report_is_read_only_in_the_admin(client, staff):
    row = stats(NGOC_KY, "2022-H1")
    client.force_login(staff)
    page = client.get(admin_url(DossierStats, "change", row.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    snapshot = figures_snapshot()
    response = client.post(admin_url(DossierStats, "change", row.pk), change_data(row, paused=0))
    assert response.status_code == 403
    assert client.post(admin_url(DossierStats, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert figures_snapshot() == snapshot


def test_a_bulk_delete_cannot_take_locked_rows_along(client, staff):
    rows = [stats(NGOC_KY, "2022-H1"), stats(NGOC_KY, "2023-H1")]
    client.force_login(staff)
    snapshot = figures_snapshot()
    data = {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"}
    response = client.post(admin_url(DossierStats, "changelist"), data)
    assert response.status_code == 403
    assert figures_snapshot() == snapshot


def test_a_new_score_takes_its_maximum_from_the_framework(client, officer, open_period):
    client.force_login(officer)
    data = {
        "unit": Unit.objects.get(code=NGOC_KY).pk,
        "period": open_period.pk,
        "area": ReformArea.objects.get(number=7).pk,
        "self_points": "12.5",
        "appraised_points": "12",  # read-only for an officer: ignored
        "max_points": "999",  # never typed: ignored
        "note": "",
    }
    response = client.post(admin_url(AreaScore, "add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    score = AreaScore.objects.get(unit__code=NGOC_KY, period=open_period)
    assert (score.max_points, score.self_points, score.appraised_points) == (
        Decimal("18.40"),
        Decimal("12.50"),
        None,
    )
    assert score.history.get().history_user == officer


def test_points_above_the_maximum_are_refused_in_the_admin(client, officer, open_period):
    client.force_login(officer)
    data = {
        "unit": Unit.objects.get(code=NGOC_KY).pk,
        "period": open_period.pk,
        "area": ReformArea.objects.get(number=1).pk,
        "self_points": "10.5",
        "note": "",
    }
    response = client.post(admin_url(AreaScore, "add"), data)
    assert response.status_code == 200
    assert "self_points" in response.context["adminform"].form.errors
    assert not AreaScore.objects.filter(period=open_period).exists()


def test_only_the_district_appraises_in_the_admin(client, officer, staff):
    client.force_login(officer)
    score = AreaScore.objects.filter(unit__code=NGOC_KY).first()
    assert (
        "appraised_points"
        not in client.get(admin_url(AreaScore, "change", score.pk)).context["adminform"].form.fields
    )
    client.force_login(staff)
    assert (
        "appraised_points"
        in client.get(admin_url(AreaScore, "change", score.pk)).context["adminform"].form.fields
    )


def test_a_leader_reads_but_changes_nothing(client, leader):
    row = stats(NGOC_KY)
    client.force_login(leader)
    assert client.get(admin_url(DossierStats, "changelist")).status_code == 200
    assert client.get(admin_url(DossierStats, "add")).status_code == 403
    snapshot = figures_snapshot()
    response = client.post(admin_url(DossierStats, "change", row.pk), change_data(row, paused=0))
    assert response.status_code == 403
    assert figures_snapshot() == snapshot


def test_a_revert_goes_through_the_services(client, staff, open_period):
    row = entered(NGOC_KY, open_period, received=5)
    client.force_login(staff)
    old = row.history.latest()
    client.post(admin_url(DossierStats, "change", row.pk), change_data(row, received=9, resolved_on_time=9))
    assert stats(NGOC_KY, open_period.code).received == 9
    url = reverse("admin:indicators_dossierstats_simple_history", args=[row.pk, old.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, change_data(old.instance, loaded_version=row.version + 1))
    assert response.status_code == 302
    reverted = stats(NGOC_KY, open_period.code)
    assert (reverted.received, reverted.version) == (5, row.version + 2)
    assert reverted.history.latest().history_user == staff


def test_no_revert_without_the_right_to_change(client, staff, leader, officer, open_period):
    row = entered(NGOC_KY, open_period)
    old = row.history.latest()
    url = reverse("admin:indicators_dossierstats_simple_history", args=[row.pk, old.history_id])
    data = change_data(old.instance, received=1, resolved_on_time=1)
    snapshot = figures_snapshot()
    client.force_login(leader)
    # A draft's figures, old versions included, are not the leader's to read (test_drafts.py)...
    assert client.get(url).status_code == 404
    # ...a submitted report's are, but not to revert.
    report = services.report_for(row.unit, row.period)
    PeriodReport.objects.filter(pk=report.pk).update(status="submitted", submitted_at=timezone.now())
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    client.force_login(make_user("canbo.td", User.Role.COMMUNE_OFFICER, TIEN_DONG))
    assert client.post(url, data).status_code == 404
    # Once the report is approved, not even the district can revert it.
    PeriodReport.objects.filter(pk=report.pk).update(status="approved", submitted_at=timezone.now())
    snapshot = figures_snapshot()
    client.force_login(staff)
    assert client.post(url, data).status_code == 403
    assert figures_snapshot() == snapshot


def test_a_report_has_no_revert_and_no_status_to_edit(client, staff):
    report = PeriodReport.objects.get(unit__code=NGOC_KY, period=Period.objects.get_by_code("2023-H1"))
    client.force_login(staff)
    form = client.get(admin_url(PeriodReport, "change", report.pk)).context["adminform"].form
    assert set(form.fields) == {"overdue_on_software", "loaded_version"}
    response = client.post(
        admin_url(PeriodReport, "change", report.pk),
        {"overdue_on_software": 2, "loaded_version": report.version, "status": "approved"},
    )
    assert response.status_code == 302
    saved = PeriodReport.objects.get(pk=report.pk)
    assert (saved.overdue_on_software, saved.status, saved.version) == (2, "submitted", report.version + 1)
    old = saved.history.earliest()
    url = reverse("admin:indicators_periodreport_simple_history", args=[report.pk, old.history_id])
    assert client.post(url, {"overdue_on_software": 1, "loaded_version": saved.version}).status_code == 403


def test_the_users_admin_is_for_administrators_only(client, staff):
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(staff)
    assert client.get(reverse("admin:communes_user_changelist")).status_code == 403
    assert client.get(reverse("admin:communes_user_change", args=[staff.pk])).status_code == 403
    client.force_login(make_user("root", User.Role.ADMINISTRATOR, is_superuser=True))
    assert client.get(reverse("admin:communes_user_changelist")).status_code == 200


def test_units_are_listed_within_the_users_scope(client, officer, staff):
    client.force_login(officer)
    listed = client.get(reverse("admin:communes_unit_changelist")).context["cl"].result_list
    assert [unit.code for unit in listed] == [NGOC_KY]
    client.force_login(staff)
    listed = client.get(reverse("admin:communes_unit_changelist")).context["cl"].result_list
    assert set(unit.code for unit in listed) == set(
        Unit.objects.subtree(Unit.objects.get(code=TU_KY)).values_list("code", flat=True)
    )


def test_the_admin_reads_and_shows_numbers_the_vietnamese_way(client, staff):
    row = stats(NGOC_KY)
    client.force_login(staff)
    received, resolved = row.received + 1000, row.resolved_on_time + 1000
    typed = change_data(
        row, received=f"{received:,}".replace(",", "."), resolved_on_time=f"{resolved:,}".replace(",", ".")
    )
    assert client.post(admin_url(DossierStats, "change", row.pk), typed).status_code == 302
    assert DossierStats.objects.get(pk=row.pk).received == received
    page = client.get(admin_url(DossierStats, "change", row.pk)).content.decode()
    shown = f"{received:,}".replace(",", ".")
    assert f'name="received" value="{shown}" inputmode="numeric"' in page and 'type="number"' not in page
    score = AreaScore.objects.filter(unit__code=NGOC_KY, period__year=2023).first()
    page = client.get(admin_url(AreaScore, "change", score.pk)).content.decode()
    assert f'name="self_points" value="{str(score.self_points).replace(".", ",")}"' in page
