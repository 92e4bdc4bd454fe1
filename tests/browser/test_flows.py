"""The work of issue 13, done in real Chromium as its users do it, on a desktop and on a phone.

- A commune officer finds the quarter's report on their commune's page, opens it with its button, types the
  figures the Vietnamese way (8,5 points; 1.698 dossiers) and submits it.
- The Home Affairs Office appraises a submitted report and approves it with one click, or returns it with a
  reason, which the officer then finds on their commune's page and on the report.
- A leader reads every dashboard.

Every page visited is checked (no console error, no failed request; on a phone no sideways page scroll and
nothing drawn over a chart's title) and kept as a screenshot (conftest.py's `screenshot`).
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from communes.models import Unit
from indicators import services
from indicators.models import AreaScore, DossierStats, Period, PeriodReport, ProcedureField, ReformArea
from indicators.selectors import area_maxima

from .test_dashboards import PAGES, PHONE, open_and_check

DEVICES = pytest.mark.parametrize("device", ["desktop", "phone"])
VIEWPORTS = {"desktop": None, "phone": PHONE}
OFFICER_UNIT = "11089"  # Xã Ngọc Kỳ, b.canbo's commune
# Shares of each area's maximum: the officer's self-assessment and the district's appraisal. Area 1 is worth
# 10 points, so it gets 8,5 and 7,5.
SELF_SHARE = Decimal("0.85")
APPRAISED_SHARE = Decimal("0.75")
# What the officer types for the civil-status field (Tư pháp - Hộ tịch): balanced (25 + 1 698 = 1 650 + 48
# + 25), with Vietnamese thousands separators.
TYPED_COUNTS = {
    "carried_over": "25",
    "received": "1.698",
    "resolved_on_time": "1.650",
    "resolved_overdue": "48",
    "pending": "25",
    "online_eligible": "1.200",
    "online": "1.015",
}
COUNTS = {name: int(typed.replace(".", "")) for name, typed in TYPED_COUNTS.items()}
REASON = "Số hồ sơ tiếp nhận lĩnh vực Tư pháp - Hộ tịch chưa khớp với phần mềm một cửa."

# Plotly's pieces on a phone that must not cover a chart's title: [descriptions of those that do].
COVERED_TITLES = """charts => charts.flatMap((chart, index) => {
  const shown = el => {
    const box = el.getBoundingClientRect();
    const hidden = box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden";
    return hidden ? null : box;
  };
  const title = chart.querySelector("svg .gtitle");
  const titleBox = title && shown(title);
  if (!titleBox) return [];
  return [...chart.querySelectorAll(".modebar, .legend")]
    .filter(el => {
      const box = shown(el);
      return box && box.left < titleBox.right && titleBox.left < box.right
        && box.top < titleBox.bottom && titleBox.top < box.bottom;
    })
    .map(el => `chart ${index} “${title.textContent}”: covered by .${el.getAttribute("class")}`);
})"""


def share(maximum, fraction):
    return (maximum * fraction).quantize(Decimal("0.01"))


def typed(points):
    """Points as a Vietnamese user types them: a decimal comma, no trailing zeros (8,5; 17)."""
    return f"{points.normalize():f}".replace(".", ",")


def assert_no_errors(page):
    assert page.console_errors == [], page.console_errors
    assert page.failed_requests == [], page.failed_requests


def visit(page, url):
    # An error page says so at once, rather than as a field the test then waits for in vain.
    page.goto(url)
    assert_no_errors(page)


def looks_right(page, screenshot, name, device):
    """What every page must be, then its screenshot: name-device.png."""
    assert_no_errors(page)
    if device == "phone":
        # The page itself never scrolls sideways: wide tables scroll inside their frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
        assert page.eval_on_selector_all(".chart", COVERED_TITLES) == [], page.url
    screenshot(page, f"{name}-{device}")


# The fields of the form a button sends (a link sends none) that the browser itself refuses to send, and
# why.
REFUSED_FIELDS = """control => [...(control.form?.elements ?? [])]
  .filter(field => field.willValidate && !field.checkValidity())
  .map(field => `${field.name}: ${field.validationMessage}`)"""


def click_and_wait(page, control):
    # A field the browser finds invalid stops the click from sending anything: say which, not time out.
    assert control.evaluate(REFUSED_FIELDS) == [], page.url
    with page.expect_navigation():
        control.click()
    assert_no_errors(page)


def message(page):
    return page.locator(".message").all_inner_texts()


def status(page):
    """The report's status as the report page shows it, without the date of submission that may follow."""
    return page.locator(".page-head .status").inner_text().split(" · ")[0]


@pytest.fixture
def quarter(demo_data):
    """The quarter under way, still open for entry today, whatever the date of the run.

    seed_demo opens the current year (reports due on the 15th of a quarter's last month): after that day
    no quarter is open, so the test gives the quarter of today a deadline it has not passed.
    """
    today = timezone.localdate()
    open_now = Period.objects.filter(kind=Period.Kind.QUARTER, start__lte=today, deadline__gte=today)
    period = open_now.first()
    if period is None:
        number = (today.month - 1) // 3 + 1
        start, end = Period.bounds(today.year, Period.Kind.QUARTER, number)
        period, _created = Period.objects.get_or_create(
            year=today.year,
            kind=Period.Kind.QUARTER,
            number=number,
            defaults={"start": start, "end": end, "deadline": today},
        )
        period.deadline = max(period.deadline, today)
        period.save(update_fields=["deadline"])
    assert area_maxima(Unit.objects.get(code=OFFICER_UNIT), period), f"no scoring framework for {period}"
    return period


@pytest.fixture
def submitted_report(quarter, browser_users):
    """The officer's report of the quarter, entered and submitted through the services the screen uses."""
    officer = browser_users["b.canbo"]
    report = services.report_for(officer.unit, quarter)
    scores = [
        AreaScore(area_id=area_id, self_points=share(maximum, SELF_SHARE))
        for area_id, maximum in area_maxima(officer.unit, quarter).items()
    ]
    stats = [DossierStats(field=ProcedureField.objects.get(code="tu-phap"), **COUNTS)]
    services.save_figures(officer, report, scores=scores, stats=stats)
    services.submit_report(officer, report, report.version)
    return report


def area_numbers(unit, period):
    """{area number: its maximum points} of the areas the report screen asks for."""
    maxima = area_maxima(unit, period)
    return {area.number: maxima[area.pk] for area in ReformArea.objects.filter(pk__in=maxima)}


def report_url(live_server, period):
    return f"{live_server.url}/bao-cao/{OFFICER_UNIT}/{period.code}/"


@DEVICES
def test_an_officer_enters_and_submits_the_quarter_from_their_commune_page(
    logged_in_page, quarter, screenshot, device
):
    page = logged_in_page("b.canbo", viewport=VIEWPORTS[device])
    assert page.url.rstrip("/").endswith(f"/xa/{OFFICER_UNIT}")
    open_and_check(page, page.url, phone=device == "phone")
    due = page.locator("section.due")
    assert due.locator("h2").inner_text() == "Báo cáo cần nhập"
    item = due.locator(".due-item", has_text=quarter.label)
    assert item.locator("p").first.inner_text().endswith(" · Chưa lập báo cáo")
    looks_right(page, screenshot, "officer-commune", device)

    click_and_wait(page, item.get_by_role("link", name="Nhập báo cáo", exact=True))
    assert page.url.endswith(f"/bao-cao/{OFFICER_UNIT}/{quarter.code}/")
    areas = area_numbers(Unit.objects.get(code=OFFICER_UNIT), quarter)
    for number, maximum in areas.items():
        page.fill(f"[name='area-{number}-self_points']", typed(share(maximum, SELF_SHARE)))
    for name, value in TYPED_COUNTS.items():
        page.fill(f"[name='field-tu-phap-{name}']", value)
    page.fill("[name='report-overdue_on_software']", "48")
    looks_right(page, screenshot, "officer-report", device)

    click_and_wait(page, page.get_by_role("button", name="Lưu và nộp báo cáo", exact=True))
    assert message(page) == ["Đã nộp báo cáo."]
    assert status(page) == "Đã nộp"
    # Saved values come back the Vietnamese way.
    assert page.input_value("[name='area-1-self_points']") == "8,50"
    assert page.input_value("[name='field-tu-phap-received']") == "1.698"
    looks_right(page, screenshot, "officer-submitted", device)

    report = PeriodReport.objects.get(unit__code=OFFICER_UNIT, period=quarter)
    assert report.status == PeriodReport.Status.SUBMITTED
    scores = dict(report.unit.area_scores.filter(period=quarter).values_list("area__number", "self_points"))
    assert scores == {number: share(maximum, SELF_SHARE) for number, maximum in areas.items()}
    assert scores[1] == Decimal("8.5")
    stats = DossierStats.objects.get(unit=report.unit, period=quarter, field__code="tu-phap")
    assert {name: getattr(stats, name) for name in COUNTS} == COUNTS
    assert stats.received == 1698


@DEVICES
def test_the_district_appraises_and_approves_a_report_in_one_click(
    logged_in_page, live_server, submitted_report, screenshot, device
):
    page = logged_in_page("b.noivu", viewport=VIEWPORTS[device])
    open_and_check(page, page.url, phone=device == "phone")
    looks_right(page, screenshot, "district-home", device)

    visit(page, report_url(live_server, submitted_report.period))
    assert status(page) == "Đã nộp"
    areas = area_numbers(submitted_report.unit, submitted_report.period)
    for number, maximum in areas.items():
        page.fill(f"[name='area-{number}-appraised_points']", typed(share(maximum, APPRAISED_SHARE)))
    looks_right(page, screenshot, "district-appraisal", device)

    # Straight to the decision: the points typed above are saved with it.
    click_and_wait(page, page.get_by_role("button", name="Lưu và phê duyệt", exact=True))
    assert message(page) == ["Đã phê duyệt báo cáo và lưu điểm thẩm định."]
    assert status(page) == "Đã duyệt"
    assert page.input_value("[name='area-1-appraised_points']") == "7,50"
    looks_right(page, screenshot, "district-approved", device)

    submitted_report.refresh_from_db()
    assert submitted_report.status == PeriodReport.Status.APPROVED
    appraised = dict(
        AreaScore.objects.filter(unit=submitted_report.unit, period=submitted_report.period).values_list(
            "area__number", "appraised_points"
        )
    )
    assert appraised == {number: share(maximum, APPRAISED_SHARE) for number, maximum in areas.items()}
    assert appraised[1] == Decimal("7.5")


@DEVICES
def test_a_returned_report_reaches_the_officer_with_its_reason(
    logged_in_page, live_server, submitted_report, screenshot, device
):
    period = submitted_report.period
    page = logged_in_page("b.noivu", viewport=VIEWPORTS[device])
    visit(page, report_url(live_server, period))
    page.fill("#id_return_reason", REASON)
    looks_right(page, screenshot, "district-return", device)
    click_and_wait(page, page.get_by_role("button", name="Lưu và trả lại để chỉnh sửa", exact=True))
    # Nothing appraised was typed: the message does not claim any.
    assert message(page) == ["Đã trả lại báo cáo cho đơn vị."]
    assert status(page) == "Trả lại để chỉnh sửa"
    looks_right(page, screenshot, "district-returned", device)
    submitted_report.refresh_from_db()
    assert (submitted_report.status, submitted_report.return_reason) == (PeriodReport.Status.RETURNED, REASON)

    officer = logged_in_page("b.canbo", viewport=VIEWPORTS[device])
    assert officer.url.rstrip("/").endswith(f"/xa/{OFFICER_UNIT}")
    open_and_check(officer, officer.url, phone=device == "phone")
    item = officer.locator("section.due .due-item", has_text=period.label)
    assert item.locator("p").first.inner_text().endswith(" · Trả lại để chỉnh sửa")
    looks_right(officer, screenshot, "officer-commune-returned", device)

    click_and_wait(officer, item.get_by_role("link", name="Tiếp tục nhập báo cáo", exact=True))
    assert status(officer) == "Trả lại để chỉnh sửa"
    assert officer.locator("p.note", has_text="Bị trả lại:").inner_text().endswith(f"Bị trả lại: {REASON}")
    looks_right(officer, screenshot, "officer-report-returned", device)


def page_name(path):
    """A screenshot's name for a dashboard path: /xa/11143/?period=2023-H1 -> xa-11143."""
    return path.split("?")[0].strip("/").replace("/", "-") or "tong-quan"


@DEVICES
def test_a_leader_reads_every_dashboard(logged_in_page, live_server, screenshot, device):
    page = logged_in_page("b.lanhdao", viewport=VIEWPORTS[device])
    for path in PAGES:
        open_and_check(page, live_server.url + path, phone=device == "phone")
        looks_right(page, screenshot, f"leader-{page_name(path)}", device)
