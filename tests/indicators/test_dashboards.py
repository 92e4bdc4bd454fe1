import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import Unit, User
from indicators import services, totals
from indicators.figures import communes_of
from indicators.models import AreaScore, DossierStats, Period, PeriodReport, ProcedureField, ReformArea
from tests import report_h1_2023 as report
from tests.indicators.factories import make_commune, make_district, stats

pytestmark = pytest.mark.django_db

PAGES = ["home", "ranking", "overdue", "digitization", "online_payment", "submissions"]
H1 = {"period": "2023-H1"}


def login(client, role, unit_code="298"):
    user = User.objects.create_user(
        f"u-{role}-{unit_code}",
        password="x",
        role=role,
        unit=Unit.objects.get(code=unit_code) if unit_code else None,
        is_superuser=role == User.Role.ADMINISTRATOR,
    )
    client.force_login(user)
    return user


def get_json(client, name, *args, **params):
    response = client.get(reverse(name, args=args), {**H1, **params, "format": "json"})
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


@pytest.mark.parametrize("role", [User.Role.DISTRICT_STAFF, User.Role.LEADER, User.Role.ADMINISTRATOR])
@pytest.mark.parametrize("name", PAGES)
def test_leaders_and_district_staff_open_every_page_and_its_json(client, role, name):
    login(client, role, None if role == User.Role.ADMINISTRATOR else "298")
    assert client.get(reverse(name), H1).status_code == 200
    payload = get_json(client, name)
    assert payload["period"]["code"] == "2023-H1" and payload["unit"]["code"] == "298"


@pytest.mark.parametrize("name", PAGES + ["profile"])
def test_anonymous_visitors_are_asked_to_log_in(client, name):
    args = ["11089"] if name == "profile" else []
    response = client.get(reverse("commune_profile" if name == "profile" else name, args=args), H1)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_ranking_can_be_made_public(client, settings):
    settings.CCHC_PUBLIC_RANKING = True
    assert client.get(reverse("ranking"), H1).status_code == 200
    assert client.get(reverse("overdue"), H1).status_code == 302


def test_commune_officers_see_the_ranking_and_their_own_profile_only(client):
    login(client, User.Role.COMMUNE_OFFICER, "11089")
    assert client.get(reverse("ranking"), H1).status_code == 200
    assert client.get(reverse("commune_profile", args=["11089"]), H1).status_code == 200
    assert client.get(reverse("commune_profile", args=["11143"]), H1).status_code == 403
    for name in ["overdue", "digitization", "online_payment"]:
        assert client.get(reverse(name), H1).status_code == 403
        assert client.get(reverse(name), {**H1, "format": "json"}).status_code == 403


@pytest.mark.parametrize("fmt", [None, "json", "csv", "xlsx"])
@pytest.mark.parametrize("name", ["ranking", "submissions"])
def test_commune_officers_cannot_open_another_units_pages(client, name, fmt):
    """An officer's pages are about their own district only: not the province, nor another district."""
    Unit.objects.create(
        code="D7", name="Thanh Hà", kind="huyen", level="district", parent=Unit.objects.get(code="30")
    )
    login(client, User.Role.COMMUNE_OFFICER, "11089")
    format_ = {"format": fmt} if fmt else {}
    for unit in ["30", "D7", "11143"]:
        response = client.get(reverse(name), {**H1, **format_, "unit": unit})
        assert response.status_code == 403, unit
        assert "Thanh Hà" not in response.content.decode()
    assert client.get(reverse(name), {**H1, **format_, "unit": "298"}).status_code == 200


def test_an_officers_overview_json_is_their_communes_profile_json(client):
    login(client, User.Role.COMMUNE_OFFICER, "11089")
    response = client.get(reverse("home"), {**H1, "format": "json"}, follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["unit"]["code"] == "11089"
    assert client.get(reverse("home")).url == reverse("commune_profile", args=["11089"])


def test_a_unit_outside_the_users_scope_is_refused(client):
    other = Unit.objects.create(
        code="D7", name="Thanh Hà", kind="huyen", level="district", parent=Unit.objects.get(code="30")
    )
    login(client, User.Role.LEADER, "298")
    assert client.get(reverse("overdue"), {**H1, "unit": other.code}).status_code == 403
    assert client.get(reverse("commune_profile", args=[other.code]), H1).status_code == 403


def test_overview_json_reproduces_the_report(client):
    login(client, User.Role.LEADER)
    payload = get_json(client, "home")
    rates = {row["metric"]: row for row in payload["rows"]}
    assert rates["on_time"]["own"] == 99.94 and rates["on_time"]["communes"] == 99.92
    assert rates["online"]["whole"] == 99.63 and rates["online"]["change"] == float(
        report.ONLINE_CHANGE["whole"]
    )
    assert rates["inputs_digitized"]["communes"] == 95.68 and rates["inputs_digitized"]["whole"] == 95.85
    assert rates["results_digitized"]["whole"] == 95.95
    assert rates["online_payment"]["whole"] == 38.18 and rates["online_payment"]["own"] == 25.6
    assert rates["online_payment"]["own_met"] is False and rates["online_payment"]["communes_met"] is True
    assert payload["overdue"] == {
        "own": 1,
        "communes": 19,
        "previous_whole": payload["overdue"]["previous_whole"],
    }
    assert payload["score"]["percent"] == 85.68 and payload["score"]["appraised"] is False
    assert payload["submitted"] == {"count": 23, "total": 23}


def test_ranking_json_reproduces_the_classification_and_the_named_ranks(client):
    login(client, User.Role.LEADER)
    payload = get_json(client, "ranking")
    bands = {
        label: {name.split(" ", 1)[1] if name.startswith("Xã ") else name for name in names}
        for label, names in payload["classification"].items()
    }
    assert len(bands["Hoàn thành tốt nhiệm vụ"]) == 14 and len(bands["Hoàn thành nhiệm vụ"]) == 9
    assert "Phượng Kỳ" in bands["Hoàn thành tốt nhiệm vụ"] and "Quảng Nghiệp" in bands["Hoàn thành nhiệm vụ"]
    rows = {row["code"]: row for row in payload["rows"]}
    assert (rows["11143"]["rank"], rows["11143"]["previous_rank"], rows["11143"]["rank_change"]) == (
        23,
        20,
        -3,
    )
    assert (rows["11110"]["rank"], rows["11110"]["previous_rank"]) == (22, 23)
    assert (rows["11101"]["rank"], rows["11101"]["previous_rank"]) == (17, 15)
    assert rows["11089"]["area_1"] == 90.0 and rows["11143"]["area_7"] == 60.87
    assert [row["rank"] for row in payload["rows"]] == sorted(row["rank"] for row in payload["rows"])


def test_the_ranking_page_shows_the_area_percentages_its_downloads_give(client):
    login(client, User.Role.LEADER)
    page = client.get(reverse("ranking"), H1).context["table"].rows
    downloaded = {row["code"]: row for row in get_json(client, "ranking")["rows"]}
    shown = {row["code"]: row for row in page[0:50]}
    assert shown.keys() == downloaded.keys()
    area_keys = [f"area_{number}" for number in range(1, 8)]
    assert all(shown[code][key] == downloaded[code][key] for code in shown for key in area_keys)
    assert shown["11143"]["area_7"] == 60.87


def test_ties_share_a_rank(client):
    login(client, User.Role.LEADER)
    h1 = Period.objects.get_by_code("2023-H1")
    # Give Ngọc Kỳ exactly Phượng Kỳ's points: both first, the next one third.
    for number in range(1, 8):
        target = AreaScore.objects.get(unit__code="11137", period=h1, area__number=number)
        AreaScore.objects.filter(unit__code="11089", period=h1, area__number=number).update(
            self_points=target.self_points
        )
    totals.rebuild()  # written behind the services' back
    ranks = sorted(row["rank"] for row in get_json(client, "ranking")["rows"])
    assert ranks[:3] == [1, 1, 3]


def test_online_payment_json_splits_communes_nine_thirteen_one(client):
    login(client, User.Role.DISTRICT_STAFF)
    payload = get_json(client, "online_payment")
    assert payload["counts"] == {"met": 9, "missed": 13, "not_started": 1, "no_fee_bearing": 0, "no_data": 0}
    assert [row["unit"] for row in payload["rows"] if row["status"] == "not_started"] == ["Xã Tân Kỳ"]
    assert payload["target"] == 30


def test_overdue_json_lists_the_communes_and_both_counts(client):
    login(client, User.Role.DISTRICT_STAFF)
    payload = get_json(client, "overdue")
    assert payload["total_overdue"] == 19
    assert payload["total_late_on_software"] == 31 - 1  # the district's own land office is not a commune
    names = dict(Unit.objects.values_list("code", "name"))
    named = {names[row["code"]]: row["overdue"] for row in payload["rows"] if row["overdue"]}
    assert named == report.OVERDUE_BY_COMMUNE
    assert [point["period"] for point in payload["trend"]] == ["2022-H1", "2023-H1"]


def test_a_commune_that_did_not_report_has_no_overdue_count_rather_than_nought(client):
    services.open_year(2099)
    q1 = Period.objects.get_by_code("2099-Q1")
    stats(Unit.objects.get(code="11089"), q1, received=50, resolved_overdue=2)
    stats(Unit.objects.get(code="11143"), q1, received=50)
    login(client, User.Role.DISTRICT_STAFF)
    payload = get_json(client, "overdue", period="2099-Q1")
    overdue = {row["code"]: row["overdue"] for row in payload["rows"]}
    assert (overdue["11089"], overdue["11143"]) == (2, 0)
    assert [code for code, count in overdue.items() if count is None] == list(overdue)[2:]
    assert len(overdue) == 23 and payload["total_overdue"] == 2
    page = client.get(reverse("overdue"), {"period": "2099-Q1"})
    assert page.status_code == 200


def test_a_commune_that_did_not_report_is_not_said_to_have_no_fee_bearing_dossiers(client):
    services.open_year(2099)
    q1 = Period.objects.get_by_code("2099-Q1")
    stats(Unit.objects.get(code="11089"), q1, received=50)  # reported, nothing fee-bearing
    login(client, User.Role.DISTRICT_STAFF)
    payload = get_json(client, "online_payment", period="2099-Q1")
    status = {row["code"]: row["status"] for row in payload["rows"]}
    assert status["11089"] == "no_fee_bearing" and status["11143"] == "no_data"
    assert payload["counts"]["no_data"] == 22


def test_communes_sharing_a_rank_are_listed_in_vietnamese_order(client):
    """Đ sorts after D and before E, not after Z as raw code points would have it."""
    services.open_year(2099)
    q1 = Period.objects.get_by_code("2099-Q1")
    district = make_district()
    names = ["Zeta", "Đông", "Dương", "Em"]
    communes = [make_commune(district, f"T{n}", name) for n, name in enumerate(names)]
    AreaScore.objects.bulk_create(
        AreaScore(unit=u, period=q1, area=area, max_points=Decimal(10), self_points=Decimal(8))
        for u in communes
        for area in ReformArea.objects.all()
    )
    totals.rebuild()  # written behind the services' back
    login(client, User.Role.ADMINISTRATOR, None)
    rows = get_json(client, "ranking", period="2099-Q1", unit=district.code)["rows"]
    assert [(row["rank"], row["unit"]) for row in rows] == [
        (1, "Xã Dương"),
        (1, "Xã Đông"),
        (1, "Xã Em"),
        (1, "Xã Zeta"),
    ]


def test_a_trend_compares_periods_of_one_kind(client):
    """A quarter's two overdue dossiers beside a half-year's nineteen would read as a collapse."""
    services.open_year(2099)
    q1 = Period.objects.get_by_code("2099-Q1")
    stats(Unit.objects.get(code="11089"), q1, received=50, resolved_overdue=2)
    login(client, User.Role.DISTRICT_STAFF)
    assert [point["period"] for point in get_json(client, "overdue")["trend"]] == ["2022-H1", "2023-H1"]
    quarterly = get_json(client, "overdue", period="2099-Q1")["trend"]
    assert quarterly == [{"period": "2099-Q1", "overdue": 2}]
    profile = get_json(client, "commune_profile", "11089", period="2099-Q1")
    assert [point["period"] for point in profile["rates"]] == ["2099-Q1"]


def test_digitization_json_has_the_province_average_and_the_target(client):
    login(client, User.Role.DISTRICT_STAFF)
    payload = get_json(client, "digitization")
    assert payload["inputs"]["province_average"] == 97.6
    assert payload["results"]["target"] == 100 and payload["results"]["meeting_target"] == 0
    rows = {row["code"]: row for row in payload["rows"]}
    assert (rows["11122"]["inputs"], rows["11134"]["inputs"], rows["11134"]["results"]) == (
        99.19,
        98.0,
        98.89,
    )


def test_a_commune_profile_compares_with_the_district_average(client):
    login(client, User.Role.COMMUNE_OFFICER, "11143")
    payload = get_json(client, "commune_profile", "11143")
    area_7 = payload["rows"][6]
    assert area_7["percent"] == 60.87 and area_7["district_average"] > 90
    assert [(r["period"], r["rank"], r["of"]) for r in payload["ranks"]] == [
        ("2022-H1", 20, 23),
        ("2023-H1", 23, 23),
    ]
    assert [r["period"] for r in payload["reports"]] == ["2023-H1", "2022-H1"]


def test_drafts_never_show_outside_their_unit(client):
    login(client, User.Role.LEADER)
    PeriodReport.objects.filter(unit__code="11089", period__year=2023, period__kind="H").update(
        status="draft"
    )
    totals.rebuild()  # written behind the services' back
    payload = get_json(client, "home")
    assert {row["metric"]: row for row in payload["rows"]}["on_time"]["communes"] != 99.92
    assert "11089" not in {row["code"] for row in get_json(client, "ranking")["rows"]}


def test_csv_and_xlsx_exports_carry_the_table_with_vietnamese_headers(client):
    login(client, User.Role.LEADER)
    response = client.get(reverse("online_payment"), {**H1, "format": "csv"})
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][1] == "Đơn vị" and len(rows) == 24
    workbook = load_workbook(io.BytesIO(client.get(reverse("ranking"), {**H1, "format": "xlsx"}).content))
    sheet = workbook.active
    assert sheet.cell(1, 1).value == "Xếp hạng" and sheet.max_row == 24


def test_exported_text_never_runs_as_a_spreadsheet_formula(client):
    login(client, User.Role.LEADER)
    Unit.objects.filter(code="11089").update(code="=1+2")
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("online_payment"), {**H1, "format": "xlsx"}).content)
    )
    codes = [row[0].value for row in workbook.active.iter_rows(min_row=2)]
    assert "'=1+2" in codes and "=1+2" not in codes
    assert "'=1+2" in client.get(reverse("online_payment"), {**H1, "format": "csv"}).content.decode()


def add_communes(count):
    """More communes under Tứ Kỳ with published H1-2023 figures and scores, in a few bulk inserts."""
    district, h1 = Unit.objects.get(code="298"), Period.objects.get_by_code("2023-H1")
    units = Unit.objects.bulk_create(
        Unit(code=f"Z{n:04d}", name=f"Xã Thêm {n}", kind="xa", level="commune", parent=district)
        for n in range(count)
    )
    field = ProcedureField.objects.get(code="tu-phap")
    DossierStats.objects.bulk_create(
        DossierStats(
            unit=u,
            period=h1,
            field=field,
            received=50,
            resolved_on_time=48,
            resolved_overdue=1,
            pending=1,
            online_eligible=40,
            online=39,
            inputs=50,
            inputs_digitized=47,
            results=49,
            results_digitized=45,
            fee_bearing=10,
            paid_online=3,
        )
        for u in units
    )
    AreaScore.objects.bulk_create(
        AreaScore(unit=u, period=h1, area=area, max_points=Decimal(10), self_points=Decimal(8))
        for u in units
        for area in ReformArea.objects.all()
    )
    PeriodReport.objects.bulk_create(
        PeriodReport(unit=u, period=h1, status="submitted", submitted_at="2023-06-10T09:00:00+07:00")
        for u in units
    )
    totals.rebuild()  # written behind the services' back


def query_counts(client):
    counts = {}
    for name, args in [*[(name, []) for name in PAGES], ("commune_profile", ["11089"])]:
        for fmt in ("html", "json"):
            with CaptureQueriesContext(connection) as queries:
                params = H1 if fmt == "html" else {**H1, "format": "json"}
                assert client.get(reverse(name, args=args), params).status_code == 200
            counts[name, fmt] = len(queries)
    return counts


def test_query_counts_are_the_same_at_23_and_at_500_communes(client):
    login(client, User.Role.DISTRICT_STAFF)
    at_23 = query_counts(client)
    add_communes(477)
    assert query_counts(client) == at_23
    assert max(at_23.values()) <= 40


def test_the_whole_district_meets_the_payment_target_though_the_district_level_does_not(client):
    login(client, User.Role.LEADER)
    payment = {row["metric"]: row for row in get_json(client, "home")["rows"]}["online_payment"]
    # "có 38,18% hồ sơ ... được thanh toán trực tuyến, đạt chỉ tiêu giao của UBND tỉnh (30%)", while
    # "Ở cấp huyện đạt 25,6%, chưa đạt chỉ tiêu".
    assert (payment["whole_met"], payment["own_met"]) == (True, False)
    html = client.get(reverse("home"), H1).content.decode()
    # Its card is neither green nor red: met by the whole district, missed at one level.
    assert 'class="kpi partly"' in html and 'class="kpi missed"' in html


def embedded_figure(html, figure_id):
    found = re.search(rf'<script id="{figure_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no figure {figure_id}"
    return json.loads(found.group(1))


def test_a_district_of_23_communes_fits_on_one_page_with_whole_charts(client):
    login(client, User.Role.LEADER)
    html = client.get(reverse("ranking"), H1).content.decode()
    assert 'class="pagination"' not in html and "chart-note" not in html
    assert len(embedded_figure(html, "ranking-bar")["data"][0]["y"]) == 23
    assert html.count("<tr>") == 23 + 1  # the header row and one row per commune


def test_page_two_of_a_large_district_shows_the_next_rows_of_the_same_order(client):
    login(client, User.Role.DISTRICT_STAFF)
    add_communes(60)
    ranked = [row["code"] for row in get_json(client, "ranking")["rows"]]
    assert len(ranked) == 83
    html = client.get(reverse("ranking"), {**H1, "page": "2"}).content.decode()
    table = html.split('<table class="figures">')[1].split("</table>")[0]
    shown = re.findall(r'<tr><td[^>]*>[^<]*</td><td class="code">([^<]*)</td>', table)
    assert shown == ranked[50:]
    assert 'rel="prev"' in html and 'rel="next"' not in html
    previous = re.search(r'href="([^"]*)" rel="prev"', html).group(1)
    assert "period=2023-H1" in previous and "page=1" in previous
    first = client.get(reverse("ranking"), H1).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first


@pytest.mark.parametrize("name", ["home", "overdue", "submissions"])
def test_other_long_lists_are_paged_too(client, name):
    login(client, User.Role.DISTRICT_STAFF)
    add_communes(60)
    first = client.get(reverse(name), H1).content.decode()
    second = client.get(reverse(name), {**H1, "page": 2}).content.decode()
    assert 'class="pagination"' in first
    codes = {row["code"] for row in get_json(client, name)["rows"]} if name != "home" else None
    if codes is not None:
        assert all(code in first + second for code in codes)


@pytest.mark.parametrize("number", ["abc", "", "1.5"])
def test_a_page_number_that_is_not_a_number_gives_the_first_page(client, number):
    login(client, User.Role.LEADER)
    response = client.get(reverse("ranking"), {**H1, "page": number})
    assert response.status_code == 200
    assert len(embedded_figure(response.content.decode(), "ranking-bar")["data"][0]["y"]) == 23


@pytest.mark.parametrize("number", ["0", "-1", "2", "99999", "99999999999999999999"])
def test_a_page_past_the_end_is_not_found(client, number):
    login(client, User.Role.LEADER)
    assert client.get(reverse("ranking"), {**H1, "page": number}).status_code == 404


def test_charts_of_a_large_district_are_bounded_and_say_so_while_exports_stay_complete(client):
    login(client, User.Role.DISTRICT_STAFF)
    add_communes(60)
    ranking = client.get(reverse("ranking"), {**H1, "page": 2}).content.decode()
    rows = get_json(client, "ranking")["rows"]
    assert embedded_figure(ranking, "ranking-bar")["data"][0]["y"] == [row["unit"] for row in rows[50:]]
    assert len(embedded_figure(ranking, "ranking-heatmap")["data"][0]["y"]) == 33
    assert ranking.count('class="note chart-note"') == 2 and "83" in ranking
    overdue = client.get(reverse("overdue"), H1).content.decode()
    most = [row["unit"] for row in get_json(client, "overdue")["rows"] if row["overdue"]][:50]
    assert embedded_figure(overdue, "overdue-communes")["data"][0]["y"] == most
    exported = list(
        csv.reader(io.StringIO(client.get(reverse("ranking"), {**H1, "format": "csv"}).content.decode()))
    )
    assert len(exported) == 1 + 83


def test_downloads_never_build_charts(client, monkeypatch):
    login(client, User.Role.LEADER)

    def refuse(*args, **kwargs):
        raise AssertionError("a chart built for a download")

    for name in ("commune_bars", "grouped_bars", "heatmap", "trend"):
        monkeypatch.setattr(f"indicators.dashboards.charts.{name}", refuse)
    for name, args in [*[(name, []) for name in PAGES], ("commune_profile", ["11089"])]:
        for fmt in ("json", "csv", "xlsx"):
            assert client.get(reverse(name, args=args), {**H1, "format": fmt}).status_code == 200


def test_a_commune_profile_gives_the_rank_of_the_ranking_page_ties_included(client):
    login(client, User.Role.LEADER)
    h1 = Period.objects.get_by_code("2023-H1")
    # Ngọc Kỳ gets Phượng Kỳ's points with other maxima: the same percentage, so the same rank.
    for score in AreaScore.objects.filter(unit__code="11137", period=h1):
        AreaScore.objects.filter(unit__code="11089", period=h1, area=score.area).update(
            self_points=score.self_points * 2, appraised_points=None, max_points=score.max_points * 2
        )
    totals.rebuild()  # written behind the services' back
    ranking = get_json(client, "ranking")["rows"]
    for row in ranking:
        ranks = {
            entry["period"]: entry for entry in get_json(client, "commune_profile", row["code"])["ranks"]
        }
        assert (ranks["2023-H1"]["rank"], ranks["2023-H1"]["of"]) == (row["rank"], len(ranking)), row["code"]
    assert sorted(row["rank"] for row in ranking)[:2] == [1, 1]


def test_page_two_of_the_overview_lists_the_next_communes_in_alphabetical_order(client):
    login(client, User.Role.DISTRICT_STAFF)
    add_communes(60)
    communes = list(communes_of(Unit.objects.get(code="298"), Period.objects.get_by_code("2023-H1")))
    html = client.get(reverse("home"), {**H1, "page": 2}).content.decode()
    listed = re.findall(r'<td class="code">([^<]+)</td><td><a href="/xa/', html)
    assert listed == [unit.code for unit in communes[50:]] and len(communes) == 83


@pytest.mark.parametrize(
    ("name", "headline"),
    [
        ("overdue", "19 hồ sơ giải quyết quá hạn, ở 9 trên 23 xã."),
        ("digitization", "0 trên 23 xã đạt chỉ tiêu"),
        ("online_payment", "9 trên 23 xã đạt chỉ tiêu thanh toán trực tuyến"),
    ],
)
def test_each_page_opens_with_its_answer_in_one_sentence(client, name, headline):
    login(client, User.Role.DISTRICT_STAFF)
    page = client.get(reverse(name), H1).content.decode()
    found = re.search(r'<p class="headline">(.*?)</p>', page)
    assert found and headline in found.group(1)


def test_the_commune_page_opens_with_its_score_class_and_rank(client):
    login(client, User.Role.DISTRICT_STAFF)
    page = client.get(reverse("commune_profile", args=["11089"]), H1).content.decode()
    headline = re.search(r'<p class="headline">(.*?)</p>', page).group(1)
    assert (
        headline == "Điểm CCHC 86,69% (64,15/74,00 điểm) · Hoàn thành tốt nhiệm vụ · hạng 2/23 · tự đánh giá"
    )
    ranks = embedded_figure(page, "profile-ranks")["data"][0]
    assert ranks["text"][-1] == "hạng 2/23"
