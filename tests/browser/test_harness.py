"""The recording page of conftest.watch: which requests count as failed, and which do not.

The pages are served at the live server's address by Playwright itself (no database needed); a request to
HELD is answered by nobody, so it is still pending when the test moves the page on.
"""

import pytest

HELD = "/__harness__/held.svg"
QUIET = '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,">'


def serve(body):
    # A handler of one argument: Playwright passes (route, request) to one that takes two.
    return lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)


@pytest.fixture
def harness(new_page, live_server):
    """harness(**pages) -> a recording page serving each page at /__harness__/<name>/; HELD never answers."""

    def open_page(**pages):
        page = new_page()
        page.held = []
        page.route(live_server.url + HELD, lambda route: page.held.append(route))
        for name, body in pages.items():
            page.route(f"{live_server.url}/__harness__/{name}/", serve(QUIET + body))
        return page

    return open_page


def start_held_request(page, live_server):
    """A request of the page shown now that is still loading when the test goes on (like a slow favicon)."""
    with page.expect_request(live_server.url + HELD):
        page.evaluate(f"() => {{ new Image().src = {HELD!r}; }}")


def test_a_request_aborted_because_the_page_moved_on_is_not_a_failure(harness, live_server):
    page = harness(a="<title>a</title>", b="<title>b</title>")
    page.goto(f"{live_server.url}/__harness__/a/")
    start_held_request(page, live_server)

    with page.expect_event("requestfailed", lambda request: request.url.endswith(HELD)) as aborted:
        page.goto(f"{live_server.url}/__harness__/b/")
    assert aborted.value.failure == "net::ERR_ABORTED"  # the browser dropped it: page a is gone
    assert page.title() == "b"
    assert page.console_errors == page.failed_requests == []

    # Once more through a link, as a user moves on (the page's own navigation, not page.goto).
    page.set_content(QUIET + f'<a href="{live_server.url}/__harness__/a/">a</a>')
    start_held_request(page, live_server)
    with page.expect_event("requestfailed", lambda request: request.url.endswith(HELD)):
        with page.expect_navigation():
            page.click("a")
    assert page.title() == "a"
    assert page.console_errors == page.failed_requests == []


def test_a_request_of_the_page_still_shown_that_fails_or_is_aborted_counts(harness, live_server):
    page = harness(a="<title>a</title>")
    page.route(f"{live_server.url}/__harness__/refused.svg", lambda route: route.abort("failed"))
    page.route(f"{live_server.url}/__harness__/aborted.svg", lambda route: route.abort("aborted"))
    page.goto(f"{live_server.url}/__harness__/a/")

    for name in ["refused", "aborted"]:
        with page.expect_event("requestfailed"):
            page.evaluate(f"() => {{ new Image().src = '/__harness__/{name}.svg'; }}")
    assert page.failed_requests == [
        f"failed GET {live_server.url}/__harness__/refused.svg: net::ERR_FAILED",
        f"failed GET {live_server.url}/__harness__/aborted.svg: net::ERR_ABORTED",
    ]


def test_a_missing_file_or_page_counts_and_stays_counted_after_the_next_page(harness, live_server):
    page = harness(a='<title>a</title><img src="/static/no-such-file.svg" alt="">', b="<title>b</title>")
    page.goto(f"{live_server.url}/__harness__/a/")
    missing = f"404 GET {live_server.url}/static/no-such-file.svg"
    assert page.failed_requests == [missing]

    # A real failure of a page left behind is not forgotten when the next page arrives.
    page.goto(f"{live_server.url}/__harness__/b/")
    assert page.failed_requests == [missing]

    page.goto(f"{live_server.url}/static/no-such-page.svg")
    assert page.failed_requests == [missing, f"404 GET {live_server.url}/static/no-such-page.svg"]


def test_a_request_to_another_site_is_blocked_and_counts(harness, live_server):
    page = harness(a="<title>a</title>")
    page.goto(f"{live_server.url}/__harness__/a/")
    with page.expect_event("requestfailed"):
        page.evaluate("() => { new Image().src = 'https://cdn.example.com/x.js'; }")
    [blocked] = page.failed_requests
    assert blocked.startswith("failed GET https://cdn.example.com/x.js: net::ERR_BLOCKED_BY_CLIENT"), blocked
