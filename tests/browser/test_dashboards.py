"""Every dashboard in real Chromium: each chart drawn, nothing failing, on a desktop and on a phone."""

import pytest

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/?period=2023-H1",
    "/xep-hang/?period=2023-H1",
    "/ho-so-tre-han/?period=2023-H1",
    "/so-hoa/?period=2023-H1",
    "/thanh-toan-truc-tuyen/?period=2023-H1",
    "/xa/11143/?period=2023-H1",
    "/nop-bao-cao/?period=2023-H1",
]


def open_and_check(page, url, phone=False):
    page.goto(url)
    charts = page.locator(".chart")
    count = charts.count()
    if count:
        page.wait_for_function(
            "n => document.querySelectorAll('.chart[data-chart-state=\"drawn\"]').length === n", arg=count
        )
        for index in range(count):
            assert charts.nth(index).locator(".main-svg").count() > 0, f"chart {index} of {url} not drawn"
    assert page.console_errors == [], page.console_errors
    assert page.failed_requests == [], page.failed_requests
    if phone:
        rights = page.eval_on_selector_all(".chart", "els => els.map(e => e.getBoundingClientRect().right)")
        assert all(right <= PHONE["width"] for right in rights), (url, rights)
        # The page itself never scrolls sideways on a phone: wide tables scroll inside their frame.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    return count


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_every_dashboard_draws_its_charts_without_errors(logged_in_page, live_server, viewport):
    page = logged_in_page("b.noivu", viewport=viewport)
    drawn = {path: open_and_check(page, live_server.url + path, phone=bool(viewport)) for path in PAGES}
    assert drawn["/xep-hang/?period=2023-H1"] == 2 and drawn["/?period=2023-H1"] == 1


def test_a_commune_officer_lands_on_their_commune_and_sees_the_ranking(logged_in_page, live_server):
    page = logged_in_page("b.canbo")
    assert page.url.rstrip("/").endswith("/xa/11089")
    assert open_and_check(page, page.url) == 3
    assert open_and_check(page, live_server.url + "/xep-hang/?period=2023-H1") == 2


def test_the_ranking_table_sorts_every_row_by_a_clicked_column(logged_in_page, live_server):
    page = logged_in_page("b.lanhdao")
    open_and_check(page, live_server.url + "/xep-hang/?period=2023-H1")
    # The ranking is in rank order: a click on the rank sorts the other way.
    with page.expect_navigation():
        page.locator("table.figures thead th").nth(0).locator("a").click()
    assert "sort=-rank" in page.url
    first_rank = page.locator("table.figures tbody tr").first.locator("td").first.inner_text()
    assert first_rank == "23"
    assert page.locator("table.figures thead th").nth(0).get_attribute("aria-sort") == "descending"
