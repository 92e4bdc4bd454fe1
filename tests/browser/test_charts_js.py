"""static/js/charts.js and the custom plotly.js bundle in Chromium, on a page of their own (not the site's).

The page is served at the live server's address (Playwright answers the request itself) with a strict
Content-Security-Policy, so the scripts load as on the site: same origin, no inline script.
"""

import re

import plotly.graph_objects as go
import pytest
from django.utils.html import json_script

FALLBACK = "Không vẽ được biểu đồ; xem bảng số liệu bên cạnh."
PAGE_PATH = "/__charts-js-test__/"
# The site's policy (settings.CONTENT_SECURITY_POLICY): scripts from the site only, never inline or eval'd;
# what Plotly needs besides: inline styles (it styles its SVG with them) and data:/blob: images (the modebar's
# PNG download renders the SVG through a blob: URL, in Safari a data: URL). Violations are console errors.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PHONE = {"width": 390, "height": 844}

COMMUNES = ["Ngọc Kỳ", "Đại Hợp", "An Thanh", "Ân Thịnh"]


def figure(*traces, **layout):
    """A figure dict as the views make it: to_plotly_json() with the contract's layout settings."""
    fig = go.Figure(list(traces))
    fig.update_layout(
        separators=",.",
        autosize=True,
        font={"family": "system-ui, sans-serif", "size": 13},
        margin={"l": 50, "r": 10, "t": 30, "b": 60},
        **layout,
    )
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig.to_plotly_json()


BAR = figure(go.Bar(x=COMMUNES, y=[1.25, 2.5, 0.75, 1.9], name="Tỉ lệ"), yaxis={"dtick": 0.5})
HEATMAP = figure(
    go.Heatmap(
        z=[[1200, 15000.5, 9000], [20000, 4500, 12345]],
        x=["Quý 1", "Quý 2", "Quý 3"],
        y=COMMUNES[:2],
        colorbar={"exponentformat": "none", "separatethousands": True},
    )
)

def html(scripts=("build/plotly.min.js", "js/charts.js")):
    charts = "".join(
        f'<div class="chart" data-figure="{fid}" role="img" aria-label="Biểu đồ {fid}"></div>'
        for fid in ["fig-bar", "fig-heatmap", "fig-broken", "fig-missing"]
    )
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/css/site.css">'
        + "".join(f'<script src="/static/{src}" defer></script>' for src in scripts)
        + f"</head><body><main>{charts}"
        + json_script(BAR, "fig-bar")
        + json_script(HEATMAP, "fig-heatmap")
        + '<script id="fig-broken" type="application/json">{"data": [ not json</script>'
        + "</main></body></html>"
    )


@pytest.fixture
def open_test_page(new_page, live_server):
    def open_page(viewport=None, body=None):
        page = new_page(viewport)
        page.route(
            live_server.url + PAGE_PATH,
            lambda route: route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": CSP},
                body=body or html(),
            ),
        )
        page.goto(live_server.url + PAGE_PATH)
        # Predicates as functions: Playwright polls an expression string with eval(), which the CSP forbids.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart')].every("
            "el => ['drawn', 'failed'].includes(el.dataset.chartState))"
        )
        return page

    return open_page


def assert_clean(page):
    assert page.console_errors == []
    assert page.failed_requests == []


def test_charts_are_drawn_in_vietnamese(open_test_page):
    page = open_test_page()

    assert page.evaluate("typeof Plotly.newPlot") == "function"
    for fid in ["fig-bar", "fig-heatmap"]:
        chart = page.locator(f'.chart[data-figure="{fid}"]')
        assert chart.get_attribute("data-chart-state") == "drawn"
        assert chart.get_attribute("role") == "img"
        assert chart.locator(".main-svg").count() >= 1
    assert page.locator('[data-figure="fig-bar"] .barlayer .point').count() == 4
    assert page.locator('[data-figure="fig-heatmap"] .hm image').count() == 1

    # The modebar: no Plotly logo, the removed buttons gone, titles from our Vietnamese dictionary.
    bar = page.locator('[data-figure="fig-bar"]')
    assert bar.locator(".modebar").count() == 1
    assert bar.locator(".modebar .plotlyjsicon, .modebar a[href*='plotly']").count() == 0
    titles = bar.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
    assert "Tải biểu đồ về dạng ảnh PNG" in titles, titles
    assert {"Phóng to", "Thu nhỏ", "Đặt lại các trục"} <= set(titles), titles
    assert not {"Box Select", "Lasso Select", "Autoscale", "Chọn vùng chữ nhật", "Chọn tự do"} & set(titles)
    assert not [title for title in titles if re.search(r"\b(Download|Zoom|Reset|Pan)\b", title)], titles

    # Numbers: decimal comma on the bar chart's y axis, dot thousands on the heatmap's colour bar.
    ticks = bar.locator(".yaxislayer-above .ytick text").all_text_contents()
    assert "0,5" in ticks and "1,5" in ticks, ticks
    assert not [tick for tick in ticks if "." in tick], ticks
    colorbar = page.locator('[data-figure="fig-heatmap"] .colorbar .cbaxis text').all_text_contents()
    assert "10.000" in colorbar, colorbar

    # The modebar's PNG download works under the policy (Chromium renders the SVG through a blob: URL).
    png = page.evaluate(
        "Plotly.toImage(document.querySelector('[data-figure=\"fig-bar\"]'), {format: 'png'})"
    )
    assert png.startswith("data:image/png;base64,")
    assert_clean(page)


def test_a_broken_figure_shows_the_message_instead(open_test_page):
    page = open_test_page()

    for fid in ["fig-broken", "fig-missing"]:
        chart = page.locator(f'.chart[data-figure="{fid}"]')
        assert chart.inner_text() == FALLBACK
        assert chart.get_attribute("data-chart-state") == "failed"
        assert chart.get_attribute("role") is None  # the message is read, not hidden in an image
    assert page.locator('[data-figure="fig-bar"] .main-svg').count() >= 1  # the others are still drawn
    assert_clean(page)


def test_without_plotly_every_chart_shows_the_message(open_test_page):
    page = open_test_page(body=html(scripts=("js/charts.js",)))

    assert page.locator(".chart").all_inner_texts() == [FALLBACK] * 4
    assert "Tải" not in page.content()
    assert_clean(page)


def test_charts_fit_a_phone(open_test_page):
    page = open_test_page(viewport=PHONE)

    for fid in ["fig-bar", "fig-heatmap"]:
        box = page.locator(f'.chart[data-figure="{fid}"]').bounding_box()
        assert box["x"] >= 0 and box["width"] <= PHONE["width"], box
        svg = page.locator(f'.chart[data-figure="{fid}"] .main-svg').first.bounding_box()
        assert svg["width"] <= box["width"], (svg, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_clean(page)


def test_charts_narrow_for_printing_and_widen_again(open_test_page):
    page = open_test_page()
    svg = '.chart[data-figure="fig-bar"] .main-svg'
    screen_width = page.locator(svg).first.bounding_box()["width"]
    assert screen_width > 680

    # The browser lays out the printed page right after the beforeprint handlers: the chart must be
    # narrower by then, without waiting for a timer.
    printed = page.evaluate(
        f"""() => {{
            window.dispatchEvent(new Event('beforeprint'));
            return document.querySelector('{svg}').getBoundingClientRect().width;
        }}"""
    )
    assert printed <= 680

    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(f"() => document.querySelector('{svg}').getBoundingClientRect().width > 680")
    assert page.locator(svg).first.bounding_box()["width"] == pytest.approx(screen_width, abs=1)
    assert_clean(page)


def test_the_harness_logs_in_through_the_form(logged_in_page, live_server):
    # Runs after the tests above emptied the database: the users' units come from demo_data's reload.
    page = logged_in_page("b.canbo")

    assert page.url.startswith(live_server.url) and "/dang-nhap/" not in page.url
    assert "b.canbo" in page.locator(".user-menu").inner_text()
    assert page.console_errors == page.failed_requests == []
