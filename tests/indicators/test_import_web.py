"""Uploading a workbook: the preview, the confirmation, who may do it, and data changed in between."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import Unit, User
from indicators import services
from indicators.excel import imports
from indicators.excel.spreadsheets import LAYOUTS, SCORES, STATS
from indicators.models import AreaScore, DossierStats, Period, PeriodReport, ProcedureField, ReformArea
from tests.fixtures_xlsx.builders import (
    column_index,
    figures_snapshot,
    headers,
    make_user,
    read,
    score_row,
    stats_row,
    template,
    xlsx,
)

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG, TU_KY = "11089", "11143", "298"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"
    return settings.EXCEL_UPLOAD_DIR


def named(data, name="so-lieu.xlsx"):
    stream = BytesIO(data)
    stream.name = name
    return stream


def preview(client, user, data):
    client.force_login(user)
    return client.post(reverse("exchange_import"), {"file": named(data)})


def confirm(client, token):
    return client.post(reverse("exchange_import_confirm"), {"token": token})


def stats_of(unit_code, period_code, field_code):
    return DossierStats.objects.get(
        unit__code=unit_code, period=Period.objects.get_by_code(period_code), field__code=field_code
    )


def test_a_good_file_is_previewed_then_saved_on_confirmation(client, staff):
    before = stats_of(NGOC_KY, "2023-H1", "tu-phap")
    rows = read(template(staff, "2023-H1", within=NGOC_KY))
    by_field = {row[column_index(STATS, "field")]: row for row in rows[1:]}
    changed = by_field["tu-phap"]
    changed[column_index(STATS, "received")] += 10
    changed[column_index(STATS, "resolved_on_time")] += 10
    by_field["van-hoa"][column_index(STATS, "received")] = 4
    by_field["van-hoa"][column_index(STATS, "resolved_on_time")] = 4
    data = xlsx(rows)
    snapshot = figures_snapshot()

    response = preview(client, staff, data)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.is_valid, plan.problems
    assert (plan.new_count, plan.changed_count, plan.unchanged_count) == (1, 1, 3)
    assert plan.empty_rows == 3  # the fields Ngọc Kỳ has no dossiers in
    text = response.content.decode()
    received = LAYOUTS[STATS].column("received").header
    assert f"{received}: {before.received:,}".replace(",", ".") in text
    assert figures_snapshot() == snapshot, "a preview must not write"

    response = confirm(client, response.context["token"])
    assert response.status_code == 302
    after = stats_of(NGOC_KY, "2023-H1", "tu-phap")
    assert (after.received, after.resolved_on_time) == (before.received + 10, before.resolved_on_time + 10)
    assert after.version == before.version + 1
    new = stats_of(NGOC_KY, "2023-H1", "van-hoa")
    assert (new.received, new.resolved_on_time, new.online) == (4, 4, 0)
    # History says who did it, as for a save on the report screen.
    assert after.history.latest().history_user == staff
    assert new.history.latest().history_user == staff
    report = PeriodReport.objects.get(unit__code=NGOC_KY, period=Period.objects.get_by_code("2023-H1"))
    assert report.history.latest().history_user == staff
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [_("Saved: %(new)s new rows and %(changed)s changed rows.") % {"new": 1, "changed": 1}]


def test_a_token_is_used_once(client, staff):
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    token = preview(client, staff, data).context["token"]
    assert confirm(client, token).status_code == 302
    client.get(reverse("exchange"))  # shows, and so clears, the first message
    snapshot = figures_snapshot()
    response = confirm(client, token)
    assert response.status_code == 302
    assert figures_snapshot() == snapshot
    assert [str(m) for m in response.wsgi_request._messages] == [
        _("This preview is no longer available. Upload the file again.")
    ]


def test_the_confirmation_trusts_nothing_the_browser_sends(client, staff, officer, upload_dir):
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    token = preview(client, staff, data).context["token"]
    snapshot = figures_snapshot()
    # Another user with the same token, and forged tokens, reach nothing: the token lives in the session.
    for user in (officer, make_user("staff2", User.Role.DISTRICT_STAFF, TU_KY)):
        client.force_login(user)
        for forged in [token, "../../etc/passwd", "x" * 32, ""]:
            assert confirm(client, forged)["Location"] == reverse("exchange")
    assert figures_snapshot() == snapshot
    assert len(list(upload_dir.iterdir())) == 1  # still waiting for its owner


def test_the_file_is_checked_again_on_confirmation(client, staff):
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    token = preview(client, staff, data).context["token"]
    report = services.report_for(Unit.objects.get(code=NGOC_KY), Period.objects.get_by_code("2023-H1"))
    services.approve_report(staff, report, report.version)
    snapshot = figures_snapshot()
    response = confirm(client, token)
    assert response.status_code == 400
    assert [p.message for p in response.context["plan"].problems] == [
        _("The report is approved and locked. The Home Affairs Office can reopen it.")
    ]
    assert figures_snapshot() == snapshot
    # The refused file is corrected and uploaded again from the same page.
    page = response.content.decode()
    assert f'action="{reverse("exchange_import")}" enctype="multipart/form-data"' in page
    assert "Tải lên tệp đã sửa" in page


def test_a_row_changed_since_the_preview_refuses_the_whole_file(client, staff):
    data = xlsx(
        [
            headers(STATS),
            stats_row("2023-H1", NGOC_KY, "van-hoa", received=2),
            stats_row("2023-H1", NGOC_KY, "tu-phap", received=20, online_eligible=5, inputs=5, results=5),
        ]
    )
    token = preview(client, staff, data).context["token"]
    # Somebody else saves the same row through the report screen meanwhile.
    row = stats_of(NGOC_KY, "2023-H1", "tu-phap")
    row.received += 1
    row.resolved_on_time += 1
    report = services.report_for(row.unit, row.period)
    services.save_figures(make_user("colleague", User.Role.DISTRICT_STAFF, TU_KY), report, stats=[row])
    snapshot = figures_snapshot()

    response = confirm(client, token)
    assert response.status_code == 409
    assert figures_snapshot() == snapshot, "nothing of the file, not even its new row, may be written"
    [message] = [str(m) for m in response.wsgi_request._messages]
    assert message.startswith(_("Nothing was saved: %(reason)s") % {"reason": ""})
    assert str(services.StaleData(row)) in message
    # The new preview shows the figures as they are now and can be confirmed after a look.
    assert response.context["token"] and response.context["token"] != token
    assert confirm(client, response.context["token"]).status_code == 302
    assert stats_of(NGOC_KY, "2023-H1", "tu-phap").received == 20


def test_a_row_created_since_the_preview_is_not_overwritten(client, staff):
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    token = preview(client, staff, data).context["token"]
    unit, period = Unit.objects.get(code=NGOC_KY), Period.objects.get_by_code("2023-H1")
    created = DossierStats(field=ProcedureField.objects.get(code="van-hoa"), received=7, resolved_on_time=7)
    colleague = make_user("colleague", User.Role.DISTRICT_STAFF, TU_KY)
    services.save_figures(colleague, services.report_for(unit, period), stats=[created])
    response = confirm(client, token)
    assert response.status_code == 409
    assert stats_of(NGOC_KY, "2023-H1", "van-hoa").received == 7


def test_an_officer_imports_their_own_units_figures(client, officer, open_period):
    data = template(officer, open_period.code)
    rows = read(data)
    assert {row[column_index(STATS, "unit_code")] for row in rows[1:]} == {NGOC_KY}
    rows[1][column_index(STATS, "received")] = 12
    rows[1][column_index(STATS, "resolved_on_time")] = 12
    response = preview(client, officer, xlsx(rows))
    assert response.context["plan"].is_valid, response.context["plan"].problems
    # A file of one unit's report leads to that report, where its warnings show.
    assert confirm(client, response.context["token"])["Location"] == reverse(
        "report", args=[NGOC_KY, open_period.code]
    )
    row = DossierStats.objects.get(unit__code=NGOC_KY, period=open_period)
    assert (row.received, row.field.code) == (12, rows[1][column_index(STATS, "field")])
    assert PeriodReport.objects.get(unit__code=NGOC_KY, period=open_period).status == "draft"


def test_scores_get_their_maximum_from_the_framework(client, staff, open_period):
    data = xlsx(
        [
            headers(SCORES),
            score_row(open_period.code, NGOC_KY, 1, "8,5", note=" Đã họp giao ban "),
            score_row(open_period.code, NGOC_KY, 7.0, 12, appraised_points=11.2),
        ]
    )
    response = preview(client, staff, data)
    assert response.context["plan"].is_valid, response.context["plan"].problems
    confirm(client, response.context["token"])
    scores = {s.area.number: s for s in AreaScore.objects.filter(unit__code=NGOC_KY, period=open_period)}
    assert (scores[1].self_points, scores[1].max_points, scores[1].note) == (
        Decimal("8.50"),
        Decimal("10.00"),
        "Đã họp giao ban",
    )
    assert (scores[7].self_points, scores[7].appraised_points, scores[7].max_points) == (
        Decimal("12.00"),
        Decimal("11.20"),
        Decimal("18.40"),
    )


def test_a_leader_reads_but_cannot_import(client, leader):
    client.force_login(leader)
    page = client.get(reverse("exchange"))
    assert page.status_code == 200 and not page.context["can_import"]
    assert reverse("exchange_import") not in page.content.decode()
    snapshot = figures_snapshot()
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    assert client.post(reverse("exchange_import"), {"file": named(data)}).status_code == 403
    assert confirm(client, "x" * 32).status_code == 403
    assert figures_snapshot() == snapshot


@pytest.mark.parametrize("name", ["exchange", "exchange_template", "exchange_export"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name), {"period": "2023-H1", "kind": STATS})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["exchange_import", "exchange_import_confirm"])
def test_anonymous_uploads_are_sent_to_log_in(client, name):
    snapshot = figures_snapshot()
    response = client.post(reverse(name), {"token": "x" * 32})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert figures_snapshot() == snapshot


def test_a_file_saved_by_a_spreadsheet_program_reads_the_same(client, staff):
    """Codes typed as numbers, floats for counts, stray spaces, headers without accents, empty rows."""
    head = [f" {name}  " for name in headers(STATS)]
    head[column_index(STATS, "received")] = "tiep nhan trong ky"
    row = stats_row("2023-H1", NGOC_KY, "van-hoa", received=3)
    row[column_index(STATS, "unit_code")] = 11089.0
    row[column_index(STATS, "field")] = "  Văn hóa - Thông tin "
    row[column_index(STATS, "received")] = 3.0
    row[column_index(STATS, "resolved_on_time")] = " 3 "
    other = stats_row("2023-H1", TIEN_DONG, "van-hoa", received=1500)
    other[column_index(STATS, "unit_code")] = 11143
    other[column_index(STATS, "received")] = "1.500"
    response = preview(client, staff, xlsx([head, [], row, [None, None], [], other, [], []]))
    plan = response.context["plan"]
    assert plan.is_valid, plan.problems
    assert [(r.number, r.unit.code, r.values["received"]) for r in plan.rows] == [
        (3, NGOC_KY, 3),
        (6, TIEN_DONG, 1500),
    ]


def test_a_preview_costs_the_same_queries_whatever_the_number_of_rows(client, staff):
    def queries(rows):
        data = xlsx([headers(STATS), *rows])
        client.force_login(staff)
        with CaptureQueriesContext(connection) as captured:
            response = client.post(reverse("exchange_import"), {"file": named(data)})
        assert response.context["plan"].is_valid
        return len(captured)

    fields = list(ProcedureField.objects.values_list("code", flat=True))
    one = queries([stats_row("2023-H1", NGOC_KY, fields[0], received=1)])
    many = queries([stats_row("2023-H1", NGOC_KY, code, received=1) for code in fields])
    assert one == many


def test_a_confirmation_costs_the_same_queries_whatever_the_number_of_rows(staff, open_period):
    def workbook(fields, received):
        units = (NGOC_KY, TIEN_DONG)
        rows = [
            stats_row(open_period.code, unit, code, received=received) for unit in units for code in fields
        ]
        return xlsx([headers(STATS), *rows])

    def queries(fields, received):
        plan = imports.build_plan(workbook(fields, received), staff)
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                written = imports.apply_plan(staff, plan, plan.seen_versions())
            transaction.set_rollback(True)
        assert sum(written.values()) == 2 * len(fields)
        return len(captured)

    fields = list(ProcedureField.objects.values_list("code", flat=True))
    assert len(fields) > 5
    assert queries(fields[:1], received=1) == queries(fields, received=1)
    imports.apply_plan(staff, imports.build_plan(workbook(fields, received=1), staff))
    assert queries(fields[:1], received=2) == queries(fields, received=2)


def test_the_areas_are_named_in_the_preview(client, staff):
    data = xlsx([headers(SCORES), score_row("2023-H1", NGOC_KY, 2, 4.5)])
    response = preview(client, staff, data)
    assert str(ReformArea.objects.get(number=2)) in response.content.decode()


def test_a_user_keeps_five_uploads_whatever_their_number_of_sessions(upload_dir, staff):
    """Three logins of one user, five previews each: their files are the five newest, not fifteen."""
    from django.test import Client

    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    tokens = []
    for _login in range(3):
        client = Client()
        for _preview in range(5):
            tokens.append((client, preview(client, staff, data).context["token"]))
    assert len(list(upload_dir.glob("*.xlsx"))) == 5
    # The newest still confirms; an older one says it is gone, and nothing is written.
    client, newest = tokens[-1]
    assert confirm(client, newest).status_code == 302
    client, oldest = tokens[0]
    snapshot = figures_snapshot()
    response = confirm(client, oldest)
    assert response.status_code == 302 and figures_snapshot() == snapshot
    assert [str(m) for m in response.wsgi_request._messages] == [
        _("This preview is no longer available. Upload the file again.")
    ]


def test_when_the_uploads_fill_their_space_a_preview_cannot_be_confirmed(client, settings, upload_dir, staff):
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "van-hoa", received=2)])
    settings.EXCEL_UPLOAD_MAX_TOTAL_BYTES = len(data) * 2
    colleague = make_user("colleague", User.Role.DISTRICT_STAFF, TU_KY)
    assert preview(client, staff, data).context["token"]
    assert preview(client, colleague, data).context["token"]
    response = preview(client, staff, data)
    assert response.status_code == 503 and response.context["token"] is None
    assert "quá nhiều tệp" in response.content.decode()
    assert len(list(upload_dir.glob("*.xlsx"))) == 2


def test_the_period_list_runs_by_year_then_quarters_half_years_nine_months_and_year(client, staff):
    client.force_login(staff)
    groups = client.get(reverse("exchange")).context["workbook_form"].fields["period"].choices
    years = [label for label, _periods in groups]
    assert years == sorted(years, reverse=True) and years[0].startswith("Năm ")
    codes = [code for code, _label in dict(groups)[years[-1]]]
    year = codes[0][:4]
    assert codes == [
        f"{year}-Q4",
        f"{year}-Q3",
        f"{year}-Q2",
        f"{year}-Q1",
        f"{year}-H2",
        f"{year}-H1",
        f"{year}-9M",
        year,
    ]
