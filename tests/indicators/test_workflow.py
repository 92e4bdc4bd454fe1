"""The report screen and its workflow: draft, submitted, approved or returned; locks and history."""

import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from communes.models import Unit
from indicators import services
from indicators.figures import communes_of, dossier_totals
from indicators.models import AreaScore, DossierStats, Period, PeriodReport, ReformArea
from indicators.selectors import report_warnings

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG, TU_KY = "11089", "11143", "298"


def url(unit_code, period):
    return reverse("report", args=[unit_code, period.code])


def figures(**overrides):
    """A complete, valid POST of the report screen: seven areas and one procedure field."""
    data = {f"area-{n}-self_points": "3" for n in range(1, 8)}
    data |= {
        "field-tu-phap-received": "100",
        "field-tu-phap-resolved_on_time": "90",
        "field-tu-phap-pending": "10",
        "field-tu-phap-online_eligible": "80",
        "field-tu-phap-online": "70",
    }
    return data | overrides


def post(client, user, unit_code, period, action="save", version=None, **data):
    client.force_login(user)
    report = PeriodReport.objects.filter(unit__code=unit_code, period=period).first()
    version = version if version is not None else (report.version if report else 0)
    return client.post(url(unit_code, period), {"action": action, "report_version": version, **data})


def report_of(unit_code, period):
    return PeriodReport.objects.get(unit__code=unit_code, period=period)


def test_an_officer_saves_a_draft_of_their_own_unit(client, officer, open_period):
    response = post(client, officer, NGOC_KY, open_period, **figures())
    assert response.status_code == 302
    report = report_of(NGOC_KY, open_period)
    assert report.status == PeriodReport.Status.DRAFT
    row = DossierStats.objects.get(unit__code=NGOC_KY, period=open_period)
    assert (row.received, row.online, row.field.code) == (100, 70, "tu-phap")
    assert AreaScore.objects.filter(unit__code=NGOC_KY, period=open_period).count() == 7
    # Fields left at zero are not stored as empty rows.
    assert DossierStats.objects.filter(unit__code=NGOC_KY, period=open_period).count() == 1
    # Who did it is kept with every change.
    assert row.history.latest().history_user == officer
    assert report.history.latest().history_user == officer


def test_max_points_come_from_the_framework_not_from_the_form(client, officer, open_period):
    post(client, officer, NGOC_KY, open_period, **figures(**{"area-1-max_points": "999"}))
    score = AreaScore.objects.get(unit__code=NGOC_KY, period=open_period, area__number=1)
    assert score.max_points == Decimal("10")


@pytest.mark.parametrize("unit_code", [TIEN_DONG, TU_KY])
def test_an_officer_cannot_write_another_units_report(client, officer, open_period, unit_code):
    response = post(client, officer, unit_code, open_period, **figures())
    assert response.status_code == 403
    assert not DossierStats.objects.filter(period=open_period).exists()
    assert not PeriodReport.objects.filter(period=open_period).exists()


def test_an_officer_cannot_even_read_another_communes_report(client, officer):
    client.force_login(officer)
    assert client.get(url(TIEN_DONG, Period.objects.get_by_code("2023-H1"))).status_code == 403
    assert client.get(url(NGOC_KY, Period.objects.get_by_code("2023-H1"))).status_code == 200


def test_a_leader_reads_every_unit_below_but_changes_nothing(client, leader, open_period):
    client.force_login(leader)
    assert client.get(url(TIEN_DONG, open_period)).status_code == 200
    assert post(client, leader, TIEN_DONG, open_period, **figures()).status_code == 403
    assert not DossierStats.objects.filter(period=open_period).exists()


def test_anonymous_visitors_are_sent_to_log_in(client, open_period):
    response = client.get(url(NGOC_KY, open_period))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_full_cycle_submit_return_resubmit_approve_reopen(client, officer, staff, open_period):
    assert post(client, officer, NGOC_KY, open_period, action="submit", **figures()).status_code == 302
    report = report_of(NGOC_KY, open_period)
    assert report.status == "submitted" and report.submitted_by == officer and report.submitted_at

    # Submitted: the officer can no longer change it; the district can appraise.
    assert post(client, officer, NGOC_KY, open_period, **figures()).status_code == 403
    appraise = figures(**{"area-1-appraised_points": "2.5"})
    assert post(client, staff, NGOC_KY, open_period, **appraise).status_code == 302
    assert AreaScore.objects.get(unit__code=NGOC_KY, period=open_period, area__number=1).points == Decimal(
        "2.5"
    )

    # Returning needs a reason.
    assert post(client, staff, NGOC_KY, open_period, action="return", return_reason=" ").status_code == 400
    assert report_of(NGOC_KY, open_period).status == "submitted"
    post(client, staff, NGOC_KY, open_period, action="return", return_reason="Thiếu số liệu lĩnh vực đất đai")
    report = report_of(NGOC_KY, open_period)
    assert (report.status, report.decided_by, report.return_reason) == (
        "returned",
        staff,
        "Thiếu số liệu lĩnh vực đất đai",
    )

    # Returned: the officer corrects and submits again; the district approves.
    assert post(client, officer, NGOC_KY, open_period, **figures()).status_code == 302
    assert post(client, officer, NGOC_KY, open_period, action="submit", **figures()).status_code == 302
    assert post(client, staff, NGOC_KY, open_period, action="approve").status_code == 302
    assert report_of(NGOC_KY, open_period).status == "approved"

    # Approved data is locked for everyone until the district reopens it.
    assert post(client, officer, NGOC_KY, open_period, **figures()).status_code == 403
    assert post(client, staff, NGOC_KY, open_period, **figures()).status_code == 403
    assert post(client, staff, NGOC_KY, open_period, action="reopen").status_code == 302
    assert report_of(NGOC_KY, open_period).status == "draft"
    assert post(client, officer, NGOC_KY, open_period, **figures()).status_code == 302

    # The history says what each change did: the officer's save of the returned report is not a return.
    page = client.get(url(NGOC_KY, open_period)).content.decode()
    history = page.split('<section class="history">')[1].split("</section>")[0]
    lines = [re.sub(r"^[\d/: ]+ · ", "", line) for line in re.findall(r"<li>(.*?)</li>", history)]
    assert lines[:4] == [
        "officer · Lưu báo cáo",
        "staff · Mở lại để chỉnh sửa",
        "staff · Đã duyệt",
        "officer · Nộp lại báo cáo",
    ]
    assert lines[-4:] == [
        "staff · Trả lại để chỉnh sửa (Thiếu số liệu lĩnh vực đất đai)",
        "staff · Lưu báo cáo",
        "officer · Đã nộp",
        "officer · Lập báo cáo",
    ]
    assert lines.count("staff · Trả lại để chỉnh sửa (Thiếu số liệu lĩnh vực đất đai)") == 1


def test_an_officer_cannot_approve_or_reopen(client, officer, open_period):
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    assert post(client, officer, NGOC_KY, open_period, action="approve").status_code == 403
    assert report_of(NGOC_KY, open_period).status == "submitted"


def test_submitting_needs_every_area(client, officer, open_period):
    partial = figures()
    del partial["area-7-self_points"]
    assert post(client, officer, NGOC_KY, open_period, action="submit", **partial).status_code == 400
    assert not PeriodReport.objects.filter(period=open_period, status="submitted").exists()


def test_after_the_deadline_drafts_are_locked_for_officers_until_reopened(client, officer, staff):
    past = Period.objects.get_by_code("2023-Q3")
    response = post(client, officer, NGOC_KY, past, **figures())
    assert response.status_code == 403
    assert not DossierStats.objects.filter(period=past).exists()
    # The district saves a draft (allowed for them), reopens it, and the officer can then enter figures.
    assert post(client, staff, NGOC_KY, past, **figures()).status_code == 302
    assert post(client, staff, NGOC_KY, past, action="reopen").status_code == 302
    assert (
        post(
            client,
            officer,
            NGOC_KY,
            past,
            **figures(**{"field-tu-phap-received": "101", "field-tu-phap-pending": "11"}),
        ).status_code
        == 302
    )
    assert DossierStats.objects.get(period=past, unit__code=NGOC_KY).received == 101


def test_the_later_of_two_saves_of_the_same_report_is_refused(client, officer, staff, open_period):
    post(client, officer, NGOC_KY, open_period, **figures())
    loaded_version = report_of(NGOC_KY, open_period).version
    # Both open the screen at the same version; the district saves first.
    first = post(
        client,
        staff,
        NGOC_KY,
        open_period,
        version=loaded_version,
        **figures(**{"field-tu-phap-received": "120", "field-tu-phap-resolved_on_time": "110"}),
    )
    assert first.status_code == 302
    second = post(
        client,
        officer,
        NGOC_KY,
        open_period,
        version=loaded_version,
        **figures(**{"field-tu-phap-received": "130", "field-tu-phap-resolved_on_time": "120"}),
    )
    assert second.status_code == 409
    assert "người khác" in second.content.decode()
    assert DossierStats.objects.get(period=open_period, unit__code=NGOC_KY).received == 120


@pytest.mark.parametrize(
    ("overrides", "field_label"),
    [
        ({"field-tu-phap-online": "81"}, "trực tuyến"),
        ({"field-tu-phap-resolved_on_time": "91"}, "Kỳ trước chuyển sang + tiếp nhận"),
        ({"field-tu-phap-received": "-5"}, "0"),
        ({"area-1-self_points": "10.5"}, "10,00"),
    ],
)
def test_invalid_figures_are_refused_with_a_vietnamese_message_and_nothing_is_saved(
    client, officer, open_period, overrides, field_label
):
    with translation.override("vi"):
        response = post(client, officer, NGOC_KY, open_period, **figures(**overrides))
    assert response.status_code == 400
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "Chưa lưu" in text and field_label in text
    assert not DossierStats.objects.filter(period=open_period).exists()
    assert not AreaScore.objects.filter(period=open_period).exists()


def test_a_draft_never_shows_on_the_dashboards(client, officer, open_period):
    post(client, officer, NGOC_KY, open_period, **figures())
    tu_ky = Unit.objects.get(code=TU_KY)
    assert dossier_totals(open_period, communes_of(tu_ky, open_period)).received == 0
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    assert dossier_totals(open_period, communes_of(tu_ky, open_period)).received == 100


def test_a_draft_for_a_new_period_does_not_move_the_dashboards_default_period(client, officer, leader):
    """The dashboards open on the latest period with published figures, not on one a commune is drafting."""
    services.open_year(2099)
    drafted = Period.objects.get_by_code("2099-Q1")
    post(client, officer, NGOC_KY, drafted, **figures())
    client.force_login(leader)
    assert client.get(reverse("ranking"), {"format": "json"}).json()["period"]["code"] == "2023-H1"
    post(client, officer, NGOC_KY, drafted, action="submit", **figures())
    client.force_login(leader)
    assert client.get(reverse("ranking"), {"format": "json"}).json()["period"]["code"] == "2099-Q1"


def test_warnings_name_missed_targets_and_a_report_that_disagrees_with_itself():
    dai_son = PeriodReport.objects.get(unit__code="298-DS", period__year=2023, period__kind="H")
    with translation.override("vi"):
        warnings = " ".join(report_warnings(dai_son))
    assert "dưới chỉ tiêu" in warnings  # digitized results below the province's 100%
    assert "7" in warnings and "6" in warnings  # 7 late on the software against 6 resolved overdue


def test_a_count_three_times_the_previous_periods_is_flagged(client, officer, open_period):
    post(client, officer, NGOC_KY, open_period, **figures())
    q2 = Period.objects.get_by_code("2099-Q2")
    post(
        client,
        officer,
        NGOC_KY,
        q2,
        **figures(
            **{
                "field-tu-phap-received": "400",
                "field-tu-phap-resolved_on_time": "390",
                "field-tu-phap-online_eligible": "300",
                "field-tu-phap-online": "280",
            }
        ),
    )
    with translation.override("vi"):
        warnings = report_warnings(report_of(NGOC_KY, q2))
    assert any("400" in warning and "100" in warning for warning in warnings), warnings
    assert ReformArea.objects.count() == 7


def test_the_page_title_names_the_unit_and_the_period(client, officer):
    client.force_login(officer)
    with translation.override("vi"):
        html = client.get(url(NGOC_KY, Period.objects.get_by_code("2023-H1"))).content.decode()
    assert (
        re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip() == "Xã Ngọc Kỳ · 6 tháng đầu năm 2023"
    )


@pytest.mark.parametrize("version", ["abc", "1e3", "-1", "٣", "9" * 40])
def test_a_garbled_report_version_is_refused_with_a_message_and_nothing_is_saved(
    client, officer, open_period, version
):
    response = post(client, officer, NGOC_KY, open_period, version=version, **figures())
    assert response.status_code == 400
    assert "Trang này đã cũ" in response.content.decode()
    assert not DossierStats.objects.filter(period=open_period).exists()


def test_numbers_are_typed_and_shown_the_vietnamese_way(client, officer, open_period):
    """8,5 points and 1.698 dossiers, typed as a Vietnamese user writes them, are 8.5 and 1698; shown the
    same way."""
    data = figures(
        **{
            "area-1-self_points": "8,5",
            "area-2-self_points": "4.25",
            "field-tu-phap-received": "1.698",
            "field-tu-phap-resolved_on_time": "1 688",
        }
    )
    assert post(client, officer, NGOC_KY, open_period, **data).status_code == 302
    scores = AreaScore.objects.filter(unit__code=NGOC_KY, period=open_period)
    assert scores.get(area__number=1).self_points == Decimal("8.5")
    assert scores.get(area__number=2).self_points == Decimal("4.25")
    row = DossierStats.objects.get(unit__code=NGOC_KY, period=open_period)
    assert (row.received, row.resolved_on_time) == (1698, 1688)
    page = client.get(url(NGOC_KY, open_period)).content.decode()
    assert 'value="8,50"' in page and 'value="1.698"' in page and 'inputmode="decimal"' in page
    assert 'type="number"' not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"area-1-self_points": "8,555"}, "8,555 có quá hai chữ số thập phân."),
        ({"field-tu-phap-received": "1.5"}, "1.5 không phải là số nguyên."),
        ({"field-tu-phap-received": "mười"}, "“mười” không phải là số."),
    ],
)
def test_a_wrong_number_is_refused_with_its_own_message(client, officer, open_period, overrides, message):
    response = post(client, officer, NGOC_KY, open_period, **figures(**overrides))
    errors = re.findall(r'class="error">([^<]*)<', response.content.decode())
    assert response.status_code == 400 and errors == [message]
    assert not DossierStats.objects.filter(period=open_period).exists()


def test_the_excel_link_shows_only_to_those_who_may_change_the_report(client, officer, leader, open_period):
    post(client, officer, NGOC_KY, open_period, **figures())
    link = "Nhập số liệu từ tệp Excel"
    assert link in client.get(url(NGOC_KY, open_period)).content.decode()
    client.force_login(leader)
    assert link not in client.get(url(NGOC_KY, open_period)).content.decode()


def appraised_points(period, area=1):
    return AreaScore.objects.get(unit__code=NGOC_KY, period=period, area__number=area).appraised_points


@pytest.mark.parametrize(
    ("action", "extra", "status"),
    [("approve", {}, "approved"), ("return", {"return_reason": "Sai số liệu đất đai"}, "returned")],
)
def test_appraised_points_typed_on_the_screen_are_saved_with_the_decision(
    client, officer, staff, open_period, action, extra, status
):
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    typed = figures(**{"area-1-appraised_points": "2,5", **extra})
    assert post(client, staff, NGOC_KY, open_period, action=action, **typed).status_code == 302
    assert report_of(NGOC_KY, open_period).status == status
    assert appraised_points(open_period) == Decimal("2.5")


def test_a_wrong_figure_stops_the_decision_and_saves_nothing(client, officer, staff, open_period):
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    typed = figures(**{"area-1-appraised_points": "2,5", "area-2-appraised_points": "99"})
    assert post(client, staff, NGOC_KY, open_period, action="approve", **typed).status_code == 400
    assert report_of(NGOC_KY, open_period).status == "submitted"
    assert appraised_points(open_period) is None
    # A return without its reason keeps what was typed unsaved too, and says why.
    unexplained = figures(**{"area-1-appraised_points": "2"})
    response = post(client, staff, NGOC_KY, open_period, action="return", **unexplained)
    assert response.status_code == 400 and "lý do" in response.content.decode()
    assert appraised_points(open_period) is None


def test_the_score_sheet_shows_its_saved_totals(client, officer, staff, open_period):
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    post(client, staff, NGOC_KY, open_period, **figures(**{"area-1-appraised_points": "2,5"}))
    page = client.get(url(NGOC_KY, open_period)).content.decode()
    footer = re.sub(r"<[^>]+>", " ", page.split("<tfoot>")[1].split("</tfoot>")[0]).split()
    max_total = sum(
        AreaScore.objects.filter(unit__code=NGOC_KY, period=open_period).values_list("max_points", flat=True)
    )
    percent = f"{(Decimal('20.5') / max_total * 100):.2f}".replace(".", ",")
    assert footer[-3:] == ["21,00", "2,50", f"{percent}%"]


def test_the_return_reason_does_not_stop_the_browser_approving(client, officer, staff, open_period):
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    client.force_login(staff)
    page = client.get(url(NGOC_KY, open_period)).content.decode()
    reason = re.search(r"<textarea[^>]*return_reason[^>]*>", page).group(0)
    assert "required" not in reason


def test_a_decision_mentions_the_appraised_points_only_if_it_saved_some(client, officer, staff, open_period):
    def said(response):
        """What the decision said (the last message: earlier ones wait for a page to show them)."""
        with translation.override("vi"):
            return [str(message) for message in get_messages(response.wsgi_request)][-1:]

    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    returned = post(client, staff, NGOC_KY, open_period, action="return", return_reason="Thiếu", **figures())
    assert said(returned) == ["Đã trả lại báo cáo cho đơn vị."]

    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    appraised = figures(**{"area-1-appraised_points": "2.5"})
    approved = post(client, staff, NGOC_KY, open_period, action="approve", **appraised)
    assert said(approved) == ["Đã phê duyệt báo cáo và lưu điểm thẩm định."]

    post(client, staff, NGOC_KY, open_period, action="reopen")
    post(client, officer, NGOC_KY, open_period, action="submit", **figures())
    # Decided by a script, without the screen's figures: nothing appraised was saved with it.
    assert said(post(client, staff, NGOC_KY, open_period, action="approve")) == ["Đã phê duyệt báo cáo."]
