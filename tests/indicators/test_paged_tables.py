"""Tables read their page from SQL: exact query counts, sorting of every row, the default period in scope."""

import re

import pytest
from django.urls import reverse

from communes.models import Unit, User
from indicators import figures, services
from indicators.models import Period
from tests.indicators.factories import make_commune, make_district, stats
from tests.indicators.test_dashboards import H1, add_communes, get_json, login

pytestmark = pytest.mark.django_db

# Queries of each page for district staff of Tứ Kỳ, H1 2023: session, user with their unit, the periods,
# then the page's own (the user's own unit needs no query to be in scope; a page of a table is two: its
# ids, sorted and counted among all rows, then their values). The same at 23 and at 500 communes
# (test_dashboards checks that).
EXPECTED_QUERIES = {
    ("home", "html"): 17,  # and the Home Affairs Office's work list (test_work)
    ("home", "json"): 7,
    ("ranking", "html"): 10,
    ("ranking", "json"): 9,
    ("overdue", "html"): 10,
    ("overdue", "json"): 7,
    ("digitization", "html"): 8,
    ("digitization", "json"): 7,
    ("online_payment", "html"): 7,
    ("online_payment", "json"): 6,
    ("submissions", "html"): 6,
    ("submissions", "json"): 4,
    ("commune_profile", "html"): 15,  # and its headline, and the reports district staff may enter
    ("commune_profile", "json"): 12,
}


@pytest.mark.parametrize(("name", "fmt"), list(EXPECTED_QUERIES))
def test_each_page_runs_an_exact_number_of_queries(client, django_assert_num_queries, name, fmt):
    login(client, User.Role.DISTRICT_STAFF)
    args = ["11089"] if name == "commune_profile" else []
    params = H1 if fmt == "html" else {**H1, "format": "json"}
    with django_assert_num_queries(EXPECTED_QUERIES[name, fmt]):
        assert client.get(reverse(name, args=args), params).status_code == 200


def shown_codes(html):
    table = html.split('<table class="figures">')[1].split("</table>")[0]
    return re.findall(r"<tr><td[^>]*>([^<]*)</td>", table)


def test_sorting_by_a_column_sorts_every_row_not_only_the_page(client):
    login(client, User.Role.DISTRICT_STAFF)
    add_communes(60)
    codes = [row["code"] for row in get_json(client, "digitization")["rows"]]
    first = client.get(reverse("digitization"), {**H1, "sort": "-code"}).content.decode()
    second = client.get(reverse("digitization"), {**H1, "sort": "-code", "page": 2}).content.decode()
    assert shown_codes(first) + shown_codes(second) == sorted(codes, reverse=True)
    assert 'aria-sort="descending"' in first
    # The choice stays in the links to the other pages; the header links to the other direction.
    assert "sort=-code&amp;page=2" in first
    assert "?period=2023-H1&amp;sort=code" in first


def test_the_rate_columns_sort_with_no_data_last_either_way(client):
    login(client, User.Role.DISTRICT_STAFF)
    add_communes(2)
    nothing = make_commune(Unit.objects.get(code="298"), "Z-NONE", "Chưa Báo Cáo")
    for order in ("inputs", "-inputs"):
        html = client.get(reverse("digitization"), {**H1, "sort": order}).content.decode()
        assert shown_codes(html)[-1] == nothing.code


@pytest.mark.parametrize("order", ["nonsense", "-", "area_1", "--rank", "previous_rank"])
def test_a_sort_that_is_not_a_sortable_column_keeps_the_usual_order(client, order):
    login(client, User.Role.LEADER)
    usual = client.get(reverse("ranking"), H1).content.decode()
    asked = client.get(reverse("ranking"), {**H1, "sort": order})
    assert asked.status_code == 200
    assert shown_codes(asked.content.decode()) == shown_codes(usual)


def test_the_default_period_is_the_latest_with_published_figures_in_the_users_scope(client):
    """Another district's new quarter does not empty Tứ Kỳ's dashboards."""
    services.open_year(2099)
    other = make_district()
    stats(make_commune(other, "D9-1", "Xã Khác"), Period.objects.get_by_code("2099-Q1"), received=5)
    login(client, User.Role.LEADER)
    assert client.get(reverse("home"), {"format": "json"}).json()["period"]["code"] == "2023-H1"
    client.logout()
    login(client, User.Role.LEADER, other.code)
    assert client.get(reverse("home"), {"format": "json"}).json()["period"]["code"] == "2099-Q1"


def test_a_province_ranks_the_communes_of_its_districts_among_all_of_them(client):
    """Tứ Kỳ is the province's only district here: the province's ranking is the district's."""
    login(client, User.Role.ADMINISTRATOR, None)
    district = get_json(client, "ranking", unit="298")["rows"]
    province = get_json(client, "ranking", unit="30")["rows"]
    ranks = [[(row["code"], row["rank"]) for row in rows] for rows in (province, district)]
    assert ranks[0] == ranks[1]
    by_class = client.get(reverse("home"), {**H1, "unit": "30", "sort": "-classification"})
    assert by_class.status_code == 200 and "Ngọc Kỳ" in by_class.content.decode()


def test_a_first_click_sorts_scores_best_first_and_ranks_from_the_first(client):
    login(client, User.Role.LEADER)
    html = client.get(reverse("ranking"), H1).content.decode()
    # In rank order already: its header links to the other way; the score's to the best first.
    assert 'aria-sort="ascending"><a href="?period=2023-H1&amp;sort=-rank#bang-so-lieu"' in html
    assert 'href="?period=2023-H1&amp;sort=-percent#bang-so-lieu"' in html
    assert 'href="?period=2023-H1&amp;sort=unit#bang-so-lieu"' in html


def test_codes_for_programs_stay_out_of_the_page_but_not_out_of_the_downloads(client):
    login(client, User.Role.LEADER)
    page = client.get(reverse("online_payment"), H1).content.decode()
    table = page.split('<table class="figures">')[1]
    assert "not_started" not in table and "Mã trạng thái" not in table
    assert "Chưa có thanh toán trực tuyến" in table  # not "Chưa lập báo cáo", said of a report
    assert get_json(client, "online_payment")["rows"][0]["status"] in figures.PAYMENT_STATUS
    overview = client.get(reverse("home"), H1).content.decode()
    assert "on_time" not in overview.split('<table class="figures">')[1]


def test_the_bands_name_their_communes_in_rank_order_however_the_table_is_sorted(client):
    login(client, User.Role.LEADER)
    usual = client.get(reverse("ranking"), H1).content.decode().split('<section class="bands">')[1]
    by_name = client.get(reverse("ranking"), {**H1, "sort": "-unit"}).content.decode()
    assert by_name.split('<section class="bands">')[1].split("</section>")[0] == usual.split("</section>")[0]


def test_a_province_gives_last_years_rank_among_all_its_communes_too(client):
    login(client, User.Role.ADMINISTRATOR, None)
    district = {row["code"]: row["previous_rank"] for row in get_json(client, "ranking", unit="298")["rows"]}
    province = {row["code"]: row["previous_rank"] for row in get_json(client, "ranking", unit="30")["rows"]}
    assert province == district and any(district.values())


def test_a_later_page_ranks_its_communes_among_all_of_them_not_among_the_page(client):
    """A province of districts ranks its communes on the fly; page 2 reads 50 of them, ranked among all."""
    login(client, User.Role.ADMINISTRATOR, None)
    add_communes(60)
    ranks = {row["code"]: row["rank"] for row in get_json(client, "ranking", unit="30")["rows"]}
    html = client.get(reverse("ranking"), {**H1, "unit": "30", "page": 2}).content.decode()
    table = html.split('<table class="figures">')[1].split("</table>")[0]
    shown = re.findall(r'<tr><td class="num">(\d+)</td><td class="code">([^<]*)</td>', table)
    assert len(shown) == 33
    assert all(int(rank) == ranks[code] for rank, code in shown)
    assert min(int(rank) for rank, _code in shown) > 1
