"""The data administration's import and export buttons (django-import-export): a good file is previewed then
written; a bad file, a foreign unit's rows and a locked report's rows are refused with a message and nothing
is written; figures go through the same write path (versions, history, stored totals) as the report screen."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from communes.models import Unit, User
from indicators import services
from indicators.excel import admin_exchange, resources
from indicators.models import (
    AreaScore,
    ClassificationBand,
    DossierStats,
    FrameworkArea,
    Period,
    ProcedureField,
    ProvinceAverage,
    ReformArea,
    ScoringFramework,
    Target,
)
from tests.fixtures_xlsx.builders import figures_snapshot, make_user
from tests.indicators.test_totals import assert_in_step

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG = "11089", "11143"
CSV = "1"  # the index of CSV in IMPORT_EXPORT_FORMATS (Excel first)


def csv_of(resource, queryset=None):
    with translation.override("vi"):
        return resource().export(queryset).csv


def edited(text, old, new):
    """The file with the first `old` of its first data row made `new`."""
    head, first, *rest = text.splitlines()
    assert old in first, first
    return "\n".join([head, first.replace(old, new, 1), *rest]) + "\n"


def preview(client, model, text, resource=0):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
    upload = SimpleUploadedFile("du-lieu.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"format": CSV, "resource": str(resource), "import_file": upload})


def import_file(client, model, text, resource=0):
    """Preview, then confirm when the preview allows it; the preview's response."""
    response = preview(client, model, text, resource)
    assert response.status_code == 200
    confirm = response.context.get("confirm_form")
    if confirm is not None:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
        done = client.post(url, confirm.initial)
        assert done.status_code == 302, done.content.decode()[:2000]
    return response


def page_text(response):
    return response.content.decode()


@pytest.fixture
def administrator(client):
    user = make_user("quantri", User.Role.ADMINISTRATOR)
    client.force_login(user)
    return user


def test_a_unit_file_is_previewed_then_written(client, administrator):
    text = edited(csv_of(resources.UnitResource, Unit.objects.filter(code=NGOC_KY)), "Ngọc Kỳ", "Ngọc Kỳ Mới")
    response = import_file(client, Unit, text)
    assert "Mới" in page_text(response)  # the preview shows the change
    assert Unit.objects.get(code=NGOC_KY).name == "Ngọc Kỳ Mới"
    assert_in_step()


def test_a_unit_file_with_dates_and_labels_typed_by_hand(client, administrator):
    text = (
        "Mã đơn vị,Tên,Loại,Cấp,Trực thuộc,Thành lập từ ngày,Giải thể / sáp nhập ngày,Sáp nhập vào\n"
        "99001,Xã Mới,xa,cap xa,298,01/07/2025,,\n"
    )
    import_file(client, Unit, text)
    unit = Unit.objects.get(code="99001")
    assert (unit.kind, unit.level, unit.parent.code, unit.valid_from.isoformat()) == (
        "xa",
        "commune",
        "298",
        "2025-07-01",
    )


def test_a_procedure_field_file(client, administrator):
    text = edited(csv_of(resources.ProcedureFieldResource), "Tài chính - Kế hoạch", "Tài chính")
    import_file(client, ProcedureField, text)
    assert ProcedureField.objects.get(code="tai-chinh").name == "Tài chính"


def test_a_target_file_with_a_vietnamese_decimal(client, administrator):
    text = edited(csv_of(resources.TargetResource, Target.objects.filter(year=2023)), '"30,00"', '"35,5"')
    import_file(client, Target, text)
    changed = Target.objects.get(year=2023, level="commune", metric="online_payment")
    assert str(changed.min_percent) == "35.50"


def test_a_province_average_file(client, administrator):
    average = ProvinceAverage.objects.first()
    text = (
        "Kỳ,Cấp,Chỉ số,Tỷ lệ (%)\n"
        f'{average.period.code},{average.get_level_display()},{average.get_metric_display()},"50,25"\n'
    )
    import_file(client, ProvinceAverage, text)
    average.refresh_from_db()
    assert str(average.percent) == "50.25"


def test_a_framework_maximum_and_band_file(client, administrator):
    rows = FrameworkArea.objects.filter(framework__year=2023, framework__level="commune", area__number=1)
    text = csv_of(resources.FrameworkAreaResource, rows).replace("2023", "2030")
    import_file(client, ScoringFramework, text, resource=0)
    created = FrameworkArea.objects.get(framework__year=2030, framework__level="commune", area__number=1)
    assert created.max_points == rows.get().max_points

    bands = ClassificationBand.objects.filter(framework__year=2023, framework__level="commune", rank=1)
    text = csv_of(resources.ClassificationBandResource, bands).replace("Hoàn thành xuất sắc", "Xuất sắc")
    import_file(client, ScoringFramework, text, resource=1)
    assert bands.get().label.startswith("Xuất sắc")
    assert_in_step()


TARGETS = "Năm,Cấp,Chỉ số,Tỷ lệ tối thiểu (%)\n"


@pytest.mark.parametrize(
    ("model", "text", "message"),
    [
        (Unit, "Mã đơn vị,Tên,Loại,Cấp,Trực thuộc\n99002,Xã Lạ,làng,Cấp xã,298\n", "không phải là một trong"),
        (
            Unit,
            "Mã đơn vị,Tên,Loại,Cấp,Trực thuộc\n99002,Xã Lạ,Xã,Cấp xã,99999\n",
            "Không có đơn vị nào mang mã “99999”.",
        ),
        (
            Target,
            'Năm,Cấp,Chỉ số,Tỷ lệ tối thiểu (%)\n2023,Cấp xã,"Thanh toán trực tuyến phí, lệ phí",120\n',
            "100",
        ),
        (
            Target,
            "Năm,Cấp,Chỉ số,Tỷ lệ tối thiểu (%)\n2023,Cấp xã,Trực tuyến,50\n",
            "không phải là một trong",
        ),
        (ProcedureField, "Mã,Tên lĩnh vực TTHC,Thứ tự hiển thị\nmoi,Mới,-1\n", "là số âm"),
        (ProvinceAverage, "Kỳ,Cấp,Chỉ số,Tỷ lệ (%)\n2023-H9,Cấp xã,x,5\n", "Không có kỳ báo cáo “2023-H9”."),
        (
            ScoringFramework,
            "Năm,Cấp,Lĩnh vực CCHC,Điểm tối đa\n2031,Cấp xã,9,1\n",
            "Không có lĩnh vực CCHC “9”.",
        ),
    ],
)
def test_a_bad_reference_file_says_why_and_writes_nothing(client, administrator, model, text, message):
    before = list(model.objects.values_list("pk", flat=True)), Unit.objects.count()
    response = import_file(client, model, text)
    assert "confirm_form" not in response.context
    assert message in page_text(response)
    assert (list(model.objects.values_list("pk", flat=True)), Unit.objects.count()) == before


def test_only_administrators_import_reference_data(client, staff):
    client.force_login(staff)
    response = preview(client, Unit, "Mã đơn vị,Tên\n11089,Ngọc Kỳ\n")
    assert response.status_code == 403
    export = reverse("admin:communes_unit_export")
    assert client.get(export).status_code == 200  # staff read reference data, and may take it away


def stats_file(unit_code, period_code, field="tu-phap", received="12"):
    return (
        "Mã đơn vị,Kỳ,Mã lĩnh vực TTHC,Tiếp nhận trong kỳ,Giải quyết trước và đúng hạn\n"
        f"{unit_code},{period_code},{field},{received},{received}\n"
    )


def scores_file(unit_code, period_code, self_points="1,5", appraised=""):
    areas = ReformArea.objects.order_by("number").values_list("number", flat=True)
    lines = [f'{unit_code},{period_code},{area},"{self_points}","{appraised}"' for area in areas]
    return "Mã đơn vị,Kỳ,Lĩnh vực CCHC,Điểm tự đánh giá,Điểm thẩm định\n" + "\n".join(lines) + "\n"


def test_statistics_go_through_the_write_path(client, staff, open_period):
    client.force_login(staff)
    history = DossierStats.history.count()
    response = import_file(client, DossierStats, stats_file(NGOC_KY, open_period.code))
    assert "confirm_form" in response.context
    row = DossierStats.objects.get(unit__code=NGOC_KY, period=open_period, field__code="tu-phap")
    assert (row.received, row.resolved_on_time, row.version) == (12, 12, 0)
    assert DossierStats.history.count() == history + 1
    assert DossierStats.history.latest("history_date").history_user == staff
    report = services.report_for(row.unit, open_period)
    assert report.pk is not None and report.status == report.Status.DRAFT
    assert_in_step()

    # The same row again, changed: its version rises, as on the report screen.
    import_file(client, DossierStats, stats_file(NGOC_KY, open_period.code, received="1.698"))
    row.refresh_from_db()
    assert (row.received, row.version) == (1698, 1)


def test_an_officer_imports_self_assessed_points(client, officer, open_period):
    client.force_login(officer)
    import_file(client, AreaScore, scores_file(NGOC_KY, open_period.code))
    scores = AreaScore.objects.filter(unit__code=NGOC_KY, period=open_period)
    assert scores.count() == ReformArea.objects.count()
    assert all(str(score.self_points) == "1.50" and score.max_points > 0 for score in scores)


def test_an_officer_cannot_appraise_through_an_import(client, officer, open_period):
    client.force_login(officer)
    before = figures_snapshot()
    response = import_file(client, AreaScore, scores_file(NGOC_KY, open_period.code, appraised="1"))
    assert "Chỉ Phòng Nội vụ mới được chấm điểm thẩm định." in page_text(response)
    assert figures_snapshot() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (stats_file(NGOC_KY, "2099-Q1", received="-3"), "là số âm"),
        (stats_file(NGOC_KY, "2099-Q9"), "Không có kỳ báo cáo “2099-Q9”."),
        (stats_file(NGOC_KY, "2099-Q1", field="khong-co"), "Không có lĩnh vực TTHC “khong-co”."),
        (stats_file("12345", "2099-Q1"), "Không có đơn vị nào mang mã “12345”."),
    ],
)
def test_a_bad_statistics_file_says_why_and_writes_nothing(client, staff, open_period, text, message):
    client.force_login(staff)
    before = figures_snapshot()
    response = import_file(client, DossierStats, text)
    assert "confirm_form" not in response.context
    assert message in page_text(response)
    assert figures_snapshot() == before


def test_a_foreign_units_rows_are_refused(client, officer, open_period):
    client.force_login(officer)
    before = figures_snapshot()
    text = stats_file(NGOC_KY, open_period.code) + stats_file(TIEN_DONG, open_period.code).split("\n", 1)[1]
    response = import_file(client, DossierStats, text)
    assert "confirm_form" not in response.context
    assert "Bạn không được sửa số liệu của đơn vị này." in page_text(response)
    assert figures_snapshot() == before


def test_a_locked_reports_rows_are_refused(client, staff):
    unit, period = Unit.objects.get(code=NGOC_KY), Period.objects.get_by_code("2023-H1")
    report = services.report_for(unit, period)
    services.approve_report(staff, report, report.version)
    client.force_login(staff)
    before = figures_snapshot()
    response = import_file(client, DossierStats, stats_file(NGOC_KY, "2023-H1"))
    assert "confirm_form" not in response.context
    assert "Báo cáo đã được duyệt và khoá." in page_text(response)
    assert figures_snapshot() == before


def test_a_file_too_large_is_refused_without_reading_its_rows(client, staff, open_period, monkeypatch):
    monkeypatch.setattr(admin_exchange, "MAX_IMPORT_ROWS", 1)
    client.force_login(staff)
    before = figures_snapshot()
    text = stats_file(NGOC_KY, open_period.code) + stats_file(NGOC_KY, open_period.code).split("\n", 1)[1]
    response = import_file(client, DossierStats, text)
    # The reader stops one row past the limit: the file's own count is not known.
    assert "Tệp có hơn 1 dòng." in page_text(response)
    assert figures_snapshot() == before


def export(client, resource, model=DossierStats, index=0):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    columns = {f"{resource.__name__.lower()}_{name}": "on" for name in resource().get_export_order()}
    response = client.post(url, {"format": CSV, "resource": str(index), **columns})
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8-sig")


def test_an_officer_exports_only_the_figures_they_read(client, officer):
    client.force_login(officer)
    text = export(client, resources.DossierStatsResource)
    codes = {line.split(",", 1)[0] for line in text.splitlines()[1:]}
    assert codes == {NGOC_KY}


def test_an_export_reads_its_rows_in_a_fixed_number_of_queries(client, staff, django_assert_num_queries):
    client.force_login(staff)
    with django_assert_num_queries(7):
        text = export(client, resources.DossierStatsResource)
    assert len(text.splitlines()) - 1 == DossierStats.objects.count()


def test_a_preview_waits_beside_the_excel_uploads_until_its_confirmation(
    client, staff, open_period, settings, tmp_path
):
    settings.EXCEL_UPLOAD_DIR = tmp_path
    abandoned = tmp_path / "1-abandoned.admin"
    abandoned.write_bytes(b"an import nobody confirmed")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(abandoned, (two_days_ago, two_days_ago))
    client.force_login(staff)
    response = preview(client, DossierStats, stats_file(NGOC_KY, open_period.code))
    assert [path.name.startswith(f"{staff.pk}-") for path in tmp_path.iterdir()] == [True]
    assert not abandoned.exists()
    url = reverse("admin:indicators_dossierstats_process_import")
    client.post(url, response.context["confirm_form"].initial)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("index", "model", "header"), [(0, FrameworkArea, "Điểm tối đa"), (1, ClassificationBand, "Ngưỡng")]
)
def test_a_framework_export_holds_its_rows(client, administrator, index, model, header):
    resource = [resources.FrameworkAreaResource, resources.ClassificationBandResource][index]
    lines = export(client, resource, ScoringFramework, index).splitlines()
    assert header in lines[0]
    assert len(lines) - 1 == model.objects.count()
