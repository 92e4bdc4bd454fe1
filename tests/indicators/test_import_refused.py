"""A corpus of bad files: each is refused whole, with its own message, and nothing is written.

Every file is uploaded through the web page (never a 500, always the page listing the problems) and the
expected problems are (row as the spreadsheet numbers it, column header, message).
"""

import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import Unit, User
from indicators.excel import imports
from indicators.excel.spreadsheets import LAYOUTS, SCORES, STATS
from indicators.models import DossierStats, Period
from tests.fixtures_xlsx.builders import (
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
VALID = stats_row("2023-H1", NGOC_KY, "tu-phap", received=10)  # a good row: it must not be written either


def header(kind, key):
    return LAYOUTS[kind].column(key).header


def upload(client, user, data, name="so-lieu.xlsx"):
    client.force_login(user)
    before = figures_snapshot()
    response = client.post(reverse("exchange_import"), {"file": _named(data, name)})
    assert figures_snapshot() == before, "a refused file wrote something"
    return response


def _named(data, name):
    stream = BytesIO(data)
    stream.name = name
    return stream


def problems(response):
    return [(p.row, p.column, p.message) for p in response.context["plan"].problems]


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def assert_refused(response, expected):
    assert response.status_code == 400
    assert problems(response) == expected
    text = page_text(response)
    for _row, _column, message in expected:
        assert str(message) in text.replace("&quot;", '"').replace("&#x27;", "'")


NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice Calc, save it as "
    "“Excel Workbook (.xlsx)” and upload it again."
)


@pytest.mark.parametrize(
    "data, name",
    [
        (b"period;unit;received\n2023-H1;11089;10\n", "so-lieu.csv"),
        ("Kỳ báo cáo\tMã đơn vị\n2023-H1\t11089\n".encode(), "so-lieu.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "so-lieu-cu.xls"),
    ],
    ids=["csv", "text-renamed-xlsx", "old-xls"],
)
def test_a_file_that_is_not_xlsx_is_refused(client, staff, data, name):
    assert_refused(upload(client, staff, data, name), [(None, "", _(NOT_XLSX))])


def test_a_zip_that_is_not_a_workbook_is_refused(client, staff):
    stream = BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert_refused(upload(client, staff, stream.getvalue()), [(None, "", _(NOT_XLSX))])


def test_an_empty_upload_is_refused_by_the_form(client, staff):
    client.force_login(staff)
    response = client.post(reverse("exchange_import"), {"file": _named(b"", "rong.xlsx")})
    assert response.status_code == 400
    assert response.context["upload_form"].errors["file"] == [_("The file is empty.")]


def test_a_workbook_without_any_row_is_refused(client, staff):
    assert_refused(upload(client, staff, xlsx([])), [(None, "", _("The file is empty."))])


def test_a_workbook_with_headers_only_is_refused(client, staff):
    message = _("The file has no rows of figures under the header row.")
    assert_refused(upload(client, staff, xlsx([headers(STATS), [None], []])), [(None, "", message)])


def test_a_sheet_whose_first_row_is_not_the_headers_is_refused(client, staff):
    data = xlsx([["Báo cáo số liệu 6 tháng"], headers(STATS), VALID])
    message = _("The first row does not hold the column headers of a template.")
    assert_refused(upload(client, staff, data), [(1, "", message)])


def test_a_missing_column_is_named(client, staff):
    columns = [i for i, name in enumerate(headers(STATS)) if name != header(STATS, "paused")]
    data = xlsx([[headers(STATS)[i] for i in columns], [VALID[i] for i in columns]])
    message = _("Missing columns: %(columns)s.") % {"columns": header(STATS, "paused")}
    assert_refused(upload(client, staff, data), [(1, "", message)])


def test_an_unknown_and_a_repeated_column_are_named(client, staff):
    data = xlsx([[*headers(STATS), "Ghi chú thêm", header(STATS, "received")], [*VALID, "x", 3]])
    assert_refused(
        upload(client, staff, data),
        [
            (1, "", _("The column “%(column)s” is not part of the template.") % {"column": "Ghi chú thêm"}),
            (1, "", _("The column “%(column)s” appears twice.") % {"column": header(STATS, "received")}),
        ],
    )


def with_cell(key, value, row=None):
    row = list(row or VALID)
    row[[column.key for column in LAYOUTS[STATS].columns].index(key)] = value
    return row


@pytest.mark.parametrize(
    "key, value, msgid, shown",
    [
        ("received", "mười", "“%(value)s” is not a number.", "mười"),
        ("received", "12%", "“%(value)s” is not a number.", "12%"),
        ("pending", -3, "%(value)s is negative; figures cannot be negative.", "-3"),
        ("returned", 2.5, "%(value)s is not a whole number.", "2,5"),
        ("returned", 3_000_000_000, "%(value)s is too large.", "3.000.000.000"),
        ("paused", 10**30, "%(value)s is too large.", "1e+30"),  # a spreadsheet keeps it as a float
        ("cancelled", True, "“%(value)s” is not a number.", "True"),
    ],
    ids=["text", "percent", "negative", "fraction", "too-large", "huge", "boolean"],
)
def test_a_cell_that_is_not_a_count_is_refused(client, staff, key, value, msgid, shown):
    data = xlsx([headers(STATS), VALID, with_cell(key, value, stats_row("2023-H1", NGOC_KY, "lao-dong"))])
    expected = _(msgid) % {"value": shown}
    assert_refused(upload(client, staff, data), [(3, header(STATS, key), expected)])


def test_a_part_above_its_whole_gets_the_models_message(client, staff):
    bad = stats_row("2023-H1", NGOC_KY, "lao-dong", received=5, online_eligible=5, online=7)
    expected = DossierStats(**dict.fromkeys(["received", "online_eligible"], 5), online=7)
    message = _model_message(expected, "online")
    assert_refused(
        upload(client, staff, xlsx([headers(STATS), VALID, bad])), [(3, header(STATS, "online"), message)]
    )


def test_a_row_that_does_not_balance_gets_the_models_message(client, staff):
    bad = stats_row("2023-H1", NGOC_KY, "lao-dong", received=5, resolved_on_time=4)
    message = _model_message(DossierStats(received=5, resolved_on_time=4), "received")
    assert_refused(
        upload(client, staff, xlsx([headers(STATS), VALID, bad])), [(3, header(STATS, "received"), message)]
    )


def _model_message(instance, field):
    with pytest.raises(Exception) as error:
        instance.clean()
    return error.value.message_dict[field][0]


def test_a_repeated_unit_and_field_is_refused(client, staff):
    data = xlsx([headers(STATS), VALID, stats_row("2023-H1", NGOC_KY, "lao-dong"), VALID])
    message = _("This unit and procedure field already appear in row %(first)s.") % {"first": 2}
    assert_refused(upload(client, staff, data), [(4, header(STATS, "field"), message)])


def test_a_repeated_unit_and_area_is_refused(client, staff):
    data = xlsx([headers(SCORES), score_row("2023-H1", NGOC_KY, 1, 8), score_row("2023-H1", NGOC_KY, "1", 9)])
    message = _("This unit and reform area already appear in row %(first)s.") % {"first": 2}
    assert_refused(upload(client, staff, data), [(3, header(SCORES, "area"), message)])


def test_an_unknown_unit_period_and_field_are_each_named(client, staff):
    data = xlsx(
        [
            headers(STATS),
            VALID,
            stats_row("2023-H1", "99999", "tu-phap", received=1),
            stats_row("2023-H3", NGOC_KY, "tu-phap", received=1),
            stats_row("2023-H1", NGOC_KY, "thue-dat", received=1),
            stats_row(None, None, None, received=1),
        ]
    )
    assert_refused(
        upload(client, staff, data),
        [
            (
                3,
                header(STATS, "unit_code"),
                _("There is no unit with the code “%(code)s”.") % {"code": "99999"},
            ),
            (4, header(STATS, "period"), _("There is no reporting period “%(code)s”.") % {"code": "2023-H3"}),
            (5, header(STATS, "field"), _("There is no procedure field “%(code)s”.") % {"code": "thue-dat"}),
            (6, header(STATS, "period"), _("The reporting period is missing.")),
            (6, header(STATS, "unit_code"), _("The unit code is missing.")),
            (6, header(STATS, "field"), _("The procedure field code is missing.")),
        ],
    )


def test_an_unknown_reform_area_is_named(client, staff):
    data = xlsx([headers(SCORES), score_row("2023-H1", NGOC_KY, 8, 1)])
    message = _("There is no reform area “%(area)s”.") % {"area": "8"}
    assert_refused(upload(client, staff, data), [(2, header(SCORES, "area"), message)])


def test_an_officer_cannot_upload_another_communes_rows(client, officer, open_period):
    own = stats_row(open_period.code, NGOC_KY, "tu-phap", received=4)
    other = stats_row(open_period.code, TIEN_DONG, "tu-phap", received=4)
    tien_dong = Unit.objects.get(code=TIEN_DONG)
    message = _("%(unit)s (code %(code)s) is outside your scope: you cannot enter its figures.") % {
        "unit": tien_dong,
        "code": TIEN_DONG,
    }
    response = upload(client, officer, xlsx([headers(STATS), own, other]))
    assert_refused(response, [(3, header(STATS, "unit_code"), message)])


def test_a_district_cannot_upload_rows_of_a_unit_outside_it(client, staff):
    other_district = Unit.objects.create(
        code="299", name="Gia Lộc", kind="huyen", level="district", parent=Unit.objects.get(code="30")
    )
    message = _("%(unit)s (code %(code)s) is outside your scope: you cannot enter its figures.") % {
        "unit": other_district,
        "code": "299",
    }
    data = xlsx([headers(STATS), stats_row("2023-H1", "299", "tu-phap", received=1)])
    assert_refused(upload(client, staff, data), [(2, header(STATS, "unit_code"), message)])


def test_an_approved_report_is_locked_even_for_the_district(client, staff):
    # 2022-H1 was approved: the reason is the workflow's own sentence.
    data = xlsx([headers(STATS), stats_row("2022-H1", NGOC_KY, "tu-phap", received=3)])
    message = _("The report is approved and locked. The Home Affairs Office can reopen it.")
    assert_refused(upload(client, staff, data), [(2, header(STATS, "period"), message)])


def test_a_period_past_its_deadline_is_locked_for_an_officer(client, officer):
    period = Period.objects.get_by_code("2023-Q3")
    data = xlsx([headers(STATS), stats_row("2023-Q3", NGOC_KY, "tu-phap", received=3)])
    message = _("The deadline (%(deadline)s) has passed; ask the Home Affairs Office to reopen it.") % {
        "deadline": period.deadline.strftime("%d/%m/%Y")
    }
    assert_refused(upload(client, officer, data), [(2, header(STATS, "period"), message)])


def test_a_submitted_report_is_locked_for_an_officer(client, officer):
    data = xlsx([headers(STATS), stats_row("2023-H1", NGOC_KY, "tu-phap", received=3)])
    message = _("The report has been submitted and is waiting for the Home Affairs Office.")
    assert_refused(upload(client, officer, data), [(2, header(STATS, "period"), message)])


def test_a_unit_that_no_longer_existed_is_refused(client):
    admin = make_user("root", User.Role.ADMINISTRATOR, is_superuser=True)
    merged = Unit.objects.get(code="11080")  # Kỳ Sơn, merged into Đại Sơn in 2019
    data = xlsx([headers(STATS), stats_row("2023-H1", "11080", "tu-phap", received=3)])
    message = _("%(unit)s did not exist during %(period)s.") % {
        "unit": merged,
        "period": Period.objects.get_by_code("2023-H1").label,
    }
    assert_refused(upload(client, admin, data), [(2, header(STATS, "unit_code"), message)])


def test_points_above_the_maximum_get_the_models_message(client, staff):
    data = xlsx([headers(SCORES), score_row("2023-H1", NGOC_KY, 1, 10.5)])  # the commune maximum is 10
    message = _("“%(field)s” (%(value)s) must be between 0 and the area's maximum, %(max)s.") % {
        "field": _("self-assessed points"),
        "value": "10,50",  # written the Vietnamese way, as on every page
        "max": "10,00",
    }
    assert_refused(upload(client, staff, data), [(2, header(SCORES, "self_points"), message)])


def test_points_need_at_most_two_decimals_and_a_self_assessment(client, staff):
    data = xlsx(
        [
            headers(SCORES),
            score_row("2023-H1", NGOC_KY, 1, "8,125"),
            score_row("2023-H1", NGOC_KY, 2, None, note="chưa chấm"),
        ]
    )
    assert_refused(
        upload(client, staff, data),
        [
            (
                2,
                header(SCORES, "self_points"),
                _("%(value)s has more than two decimal places.") % {"value": "8,125"},
            ),
            (3, header(SCORES, "self_points"), _("Enter the self-assessed points.")),
        ],
    )


def test_huge_points_are_refused_not_a_crash(client, staff):
    data = xlsx([headers(SCORES), score_row("2023-H1", NGOC_KY, 1, 10**30)])
    message = _("%(value)s is too large.") % {"value": "1e+30"}
    assert_refused(upload(client, staff, data), [(2, header(SCORES, "self_points"), message)])


def test_an_officer_cannot_appraise(client, officer, open_period):
    data = xlsx([headers(SCORES), score_row(open_period.code, NGOC_KY, 1, 8, appraised_points=7)])
    message = _("Only the Home Affairs Office can appraise scores.")
    assert_refused(upload(client, officer, data), [(2, header(SCORES, "appraised_points"), message)])


def test_every_bad_row_of_a_template_is_listed_and_nothing_is_written(client, staff):
    """A real template with three mistakes among 192 good rows: all three are listed, nothing is saved."""
    rows = read(template(staff, "2023-H1"))
    received = [column.key for column in LAYOUTS[STATS].columns].index("received")
    rows[5][received], rows[9][received], rows[20][received] = "x", -1, 3.5
    response = upload(client, staff, xlsx(rows))
    assert [(row, column) for row, column, _message in problems(response)] == [
        (6, header(STATS, "received")),
        (10, header(STATS, "received")),
        (21, header(STATS, "received")),
    ]


def test_the_same_checks_run_without_the_web(staff):
    """build_plan is the one path: the command line gets exactly the problems the page lists."""
    plan = imports.build_plan(xlsx([headers(STATS), with_cell("pending", -3)]), staff)
    assert [str(problem) for problem in plan.problems] == [
        _("Row %(row)s, column “%(column)s”: %(message)s")
        % {
            "row": 2,
            "column": header(STATS, "pending"),
            "message": _("%(value)s is negative; figures cannot be negative.") % {"value": "-3"},
        }
    ]


def test_a_file_of_thousands_of_bad_rows_lists_a_bounded_number_of_short_problems(client):
    """One long text repeated on every row (a shared string costs the file nothing) and thousands of rows:
    the page names the first problems, each quoting the text cut short, and counts the rest."""
    long_code = "X" * 5000
    rows = [headers(STATS)] + [stats_row("2023-H1", long_code, "tu-phap") for _ in range(3000)]
    snapshot = figures_snapshot()
    client.force_login(make_user("staff", User.Role.DISTRICT_STAFF, TU_KY))
    stream = BytesIO(xlsx(rows))
    stream.name = "nhieu-loi.xlsx"
    response = client.post(reverse("exchange_import"), {"file": stream})
    assert response.status_code == 400 and figures_snapshot() == snapshot
    plan = response.context["plan"]
    assert len(plan.problems) == 500 and plan.problem_count == 3000
    page = response.content.decode()
    assert len(page) < 300_000 and long_code not in page
    assert "còn 2.500 lỗi khác chưa liệt kê" in page
