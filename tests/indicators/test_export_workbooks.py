"""Templates to fill in and exports of saved figures: layout, values, scope, and the command line."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import Unit, User
from indicators import services
from indicators.excel import exports, imports
from indicators.excel.spreadsheets import SCORES, STATS, XLSX_CONTENT_TYPE
from indicators.figures import communes_of
from indicators.models import COUNT_FIELDS, AreaScore, DossierStats, Period, ProcedureField
from tests.fixtures_xlsx.builders import column_index, headers, make_user, read, template, xlsx

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG, TU_KY = "11089", "11143", "298"


def cells(rows, kind, key):
    return [row[column_index(kind, key)] for row in rows[1:]]


def download(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), {"period": "2023-H1", "kind": STATS, **params})


def test_a_district_template_has_every_unit_and_field_with_the_saved_figures(staff):
    rows = read(template(staff, "2023-H1"))
    assert rows[0] == headers(STATS)
    period = Period.objects.get_by_code("2023-H1")
    units = [Unit.objects.get(code=TU_KY), *communes_of(Unit.objects.get(code=TU_KY), period)]
    fields = list(ProcedureField.objects.all())
    assert len(rows) == 1 + len(units) * len(fields) == 1 + 24 * 8
    # The district first, then its communes in Vietnamese alphabetical order, as the report lists them.
    assert cells(rows, STATS, "unit_code")[:: len(fields)] == [unit.code for unit in units]
    assert set(cells(rows, STATS, "period")) == {"2023-H1"}
    saved = {
        (row.unit.code, row.field.code): row
        for row in DossierStats.objects.filter(period=period).select_related("unit", "field")
    }
    assert len(saved) == 99
    for row in rows[1:]:
        key = (row[column_index(STATS, "unit_code")], row[column_index(STATS, "field")])
        expected = [getattr(saved[key], name) for name in COUNT_FIELDS] if key in saved else [None] * 16
        assert [row[column_index(STATS, name)] for name in COUNT_FIELDS] == expected, key


def test_an_officer_template_has_their_own_unit_only(officer):
    rows = read(template(officer, "2023-H1"))
    assert set(cells(rows, STATS, "unit_code")) == {NGOC_KY}
    assert len(rows) == 1 + ProcedureField.objects.count()
    assert set(cells(rows, STATS, "unit_name")) == {str(Unit.objects.get(code=NGOC_KY))}


def test_a_score_template_shows_the_framework_maximum(officer):
    rows = read(template(officer, "2023-H1", SCORES))
    assert rows[0] == headers(SCORES)
    assert cells(rows, SCORES, "area") == list(range(1, 8))
    assert cells(rows, SCORES, "max_points") == [10, 5, 12, 4, 20, 4.6, 18.4]
    saved = AreaScore.objects.get(unit__code=NGOC_KY, period__year=2023, period__kind="H", area__number=1)
    assert Decimal(str(cells(rows, SCORES, "self_points")[0])) == saved.self_points


def test_a_template_imports_back_unchanged(staff):
    for kind in (STATS, SCORES):
        plan = imports.build_plan(template(staff, "2023-H1", kind), staff)
        assert plan.is_valid, plan.problems
        assert not plan.changing
        assert plan.unchanged_count == (99 if kind == STATS else 168)


def test_the_round_trip_template_fill_import(client, officer, settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path
    services.open_year(2099)
    rows = read(template(officer, "2099-Q2", SCORES))
    for row, points in zip(rows[1:], [9, 4.5, 11, 4, 15, 4.6, 17.25], strict=True):
        row[column_index(SCORES, "self_points")] = points
    client.force_login(officer)
    response = client.post(reverse("exchange_import"), {"file": _file(xlsx(rows))})
    assert response.context["plan"].new_count == 7
    client.post(reverse("exchange_import_confirm"), {"token": response.context["token"]})
    saved = AreaScore.objects.filter(
        unit__code=NGOC_KY, period__year=2099, period__number=2, period__kind="Q"
    )
    assert sorted(saved.values_list("self_points", flat=True)) == sorted(
        Decimal(str(points)).quantize(Decimal("0.01")) for points in [9, 4.5, 11, 4, 15, 4.6, 17.25]
    )
    # The template of the same period now comes back filled in.
    assert cells(read(template(officer, "2099-Q2", SCORES)), SCORES, "self_points")[-1] == 17.25


def _file(data):
    stream = BytesIO(data)
    stream.name = "diem.xlsx"
    return stream


def test_an_export_holds_the_saved_rows_of_the_chosen_unit(client, staff):
    response = download(client, staff, "exchange_export", unit=NGOC_KY)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="ho-so-tthc-2023-H1-11089.xlsx"'
    rows = read(response.content)
    saved = DossierStats.objects.filter(unit__code=NGOC_KY, period__year=2023, period__kind="H")
    assert sorted(cells(rows, STATS, "field")) == sorted(saved.values_list("field__code", flat=True))


def test_a_unit_filter_takes_the_units_below_it(client, staff):
    rows = read(download(client, staff, "exchange_export", unit=TU_KY).content)
    assert len(rows) == 1 + 99


def test_an_officer_exports_their_own_unit_only(client, officer):
    rows = read(download(client, officer, "exchange_export").content)
    assert set(cells(rows, STATS, "unit_code")) == {NGOC_KY}
    response = download(client, officer, "exchange_export", unit=TIEN_DONG)
    assert response.status_code == 400  # not a choice: another commune is not offered at all
    assert response.context["workbook_form"].errors["unit"]


def test_an_officer_gets_no_template_of_another_commune(client, officer, staff):
    # Their district is not offered, even through a URL typed by hand.
    assert download(client, officer, "exchange_template", unit=TU_KY).status_code == 400
    response = download(client, staff, "exchange_template", unit=TIEN_DONG)
    assert response.status_code == 200
    assert set(cells(read(response.content), STATS, "unit_code")) == {TIEN_DONG}


def test_a_leader_exports_but_gets_no_template(client, leader):
    assert download(client, leader, "exchange_export").status_code == 200
    assert download(client, leader, "exchange_template").status_code == 403


def test_a_leader_cannot_download_a_template_of_a_unit_they_see(client):
    leader = make_user("leader.xa", User.Role.LEADER, NGOC_KY)
    assert download(client, leader, "exchange_template", unit=NGOC_KY).status_code == 403


def test_an_unknown_period_is_a_form_error(client, staff):
    response = download(client, staff, "exchange_export", period="2023-H3")
    assert response.status_code == 400
    assert response.context["workbook_form"].errors["period"]


def test_downloads_cost_the_same_queries_for_one_unit_or_a_district(client, staff, officer):
    def queries(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get(reverse("exchange_template"), {"period": "2023-H1", "kind": SCORES}).status_code
                == 200
            )
        return len(captured)

    assert queries(staff) == queries(officer)


def test_an_export_costs_the_same_queries_for_one_commune_or_a_district(staff):
    period = Period.objects.get_by_code("2023-H1")

    def export(code):
        with CaptureQueriesContext(connection) as captured:
            data = exports.workbook(staff, period, STATS, within=Unit.objects.get(code=code), template=False)
        return len(captured) - 1, len(read(data[0]))  # less the query of the unit itself

    (commune_queries, commune_rows), (district_queries, district_rows) = export(NGOC_KY), export("298")
    assert district_rows > 5 * commune_rows
    assert district_queries == commune_queries


def test_the_command_writes_a_template(tmp_path, staff):
    output = tmp_path / "mau.xlsx"
    call_command("export_template", "--period", "2023-H1", "--output", str(output), verbosity=0)
    assert read(output.read_bytes()) == read(template(make_user("root", User.Role.ADMINISTRATOR), "2023-H1"))
    call_command(
        "export_template",
        "--period=2023-H1",
        f"--output={output}",
        "--kind=scores",
        f"--unit={NGOC_KY}",
        verbosity=0,
    )
    assert read(output.read_bytes()) == read(template(staff, "2023-H1", SCORES, within=NGOC_KY))


def test_the_command_limits_the_template_to_a_users_scope(tmp_path, officer):
    output = tmp_path / "mau.xlsx"
    call_command("export_template", "--period=2023-H1", f"--output={output}", "--user=officer", verbosity=0)
    assert set(cells(read(output.read_bytes()), STATS, "unit_code")) == {NGOC_KY}


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--period=2023-H3"], "There is no reporting period “2023-H3”."),
        (["--period=2023-H1", "--unit=99999"], "There is no unit with the code “99999”."),
        (["--period=2023-H1", "--user=nobody"], "No active user “nobody”."),
    ],
)
def test_the_command_refuses_unknown_names(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_template", *arguments, f"--output={tmp_path / 'x.xlsx'}")


def test_a_template_has_no_unit_the_user_may_only_read(leader):
    period = Period.objects.get_by_code("2023-H1")
    assert not exports.template_units(leader, period).exists()
    assert exports.export_units(leader, period).count() == 24
