"""Browser tests: the system's Chromium, driven by Playwright's sync API, against pytest-django's live server.

Fixtures:
- `browser`: one headless Chromium for the browser tests, the system's /usr/bin/chromium (Playwright's own
  browser downloads are impossible here: never `playwright install`). Without the playwright package,
  Chromium or the built plotly bundle the tests are skipped, saying why; in CI the root conftest fails on
  skips.
- `new_page()`: a fresh page (its own context) that records its problems, see `watch`.
- `demo_data`: the reference and demo data, reloaded (live-server tests flush the database after each test).
- `browser_users`: the users b.noivu, b.lanhdao and b.canbo, password "x".
- `logged_in_page(username)`: a recording page logged in through the real login form.
- `screenshot(page, name)`: a full-page PNG of the page, name.png in $CCHC_SCREENSHOTS (build/screenshots).

Every page these fixtures return has `page.console_errors` (console errors and uncaught exceptions) and
`page.failed_requests` (4xx/5xx responses, failed requests, and requests to other sites, which are blocked:
nothing may come from a CDN; not the requests the browser aborts because the page went on to another one),
so a test ends with `assert page.console_errors == page.failed_requests == []`.
"""

import os
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUNDLE = Path(settings.BASE_DIR) / "static" / "build" / "plotly.min.js"
PASSWORD = "x"
USERS = [
    ("b.noivu", "district_staff", "298"),
    ("b.lanhdao", "leader", "298"),
    ("b.canbo", "commune_officer", "11089"),
]
DESKTOP = {"width": 1280, "height": 900}


@contextmanager
def database_beside_the_event_loop():
    """The test thread's database access while Playwright's event loop runs in it.

    Playwright's sync API drives the browser from an asyncio event loop in the test's thread, running from
    the moment the browser starts until it stops. Django sees that loop: it refuses database access from
    "an async context" (SynchronousOnlyOperation), although the tests' own ORM calls (creating users,
    reloading data) are plain synchronous code; and it keeps that context's connections apart from the
    thread's own, which its test-database teardown closes before dropping the database. So the ORM is
    allowed only while the loop runs, and the connections it opened meanwhile are closed before the loop
    stops: one left open keeps PostgreSQL from dropping the test database. (The live server answers from
    threads of its own and is not affected.)
    """
    allowed = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        connections.close_all()  # the loop still runs: these are the async context's connections
        if allowed is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = allowed


# Package scope: the event loop stops when the browser tests end, so that the tests after them (pytest-django
# runs the tests without a database last) use the test thread's own connection again.
@pytest.fixture(scope="package")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the playwright package: pip install -e '.[dev]'")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    if not BUNDLE.is_file():
        pytest.skip("browser tests need static/build/plotly.min.js: run `make test` (it runs npm run build)")
    with sync_playwright() as playwright, database_beside_the_event_loop():
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def watch(page, origin):
    """Record the page's console errors and failed requests on it; block requests to other sites.

    A request the browser aborts (net::ERR_ABORTED) because the page went on to another document is not a
    failure: the favicon of the page just left, still loading when the next page arrives, is one. Each
    request is counted against the main-frame document it was made for (a main-frame navigation starts a
    document of its own), and aborted requests of a document that has since been replaced are left out,
    whether the browser reports them before or after the new document commits. Everything else stays in
    the lists until the test looks: 4xx/5xx responses and failed loads of any page the test visited, and
    aborted requests of the page still shown.
    """
    page.console_errors = []
    page.failed_requests = []
    documents = {"current": 0, "latest": 0}  # the committed main-frame document; the latest one requested
    made_for = {}  # request -> the document it was made for
    aborted = []  # (document, entry) of aborted requests recorded while their document was still current

    def on_console(message):
        if message.type == "error":
            where = message.location
            page.console_errors.append(f"{message.text} ({where.get('url')}:{where.get('lineNumber')})")

    def is_main_navigation(request):
        try:
            return request.is_navigation_request() and request.frame == page.main_frame
        except Exception:  # a service worker's request has no frame
            return False

    def on_request(request):
        if is_main_navigation(request):
            documents["latest"] += 1
            made_for[request] = documents["latest"]
        else:
            made_for[request] = documents["current"]

    def on_frame_navigated(frame):
        # Also emitted for same-document navigations (history.pushState, #fragment): those made no request,
        # so the document stays the same.
        if frame == page.main_frame and documents["latest"] > documents["current"]:
            documents["current"] = documents["latest"]
            for document, entry in list(aborted):
                if document < documents["current"]:
                    aborted.remove((document, entry))
                    if entry in page.failed_requests:  # unless the test emptied the list itself
                        page.failed_requests.remove(entry)

    def on_response(response):
        if response.status >= 400:
            page.failed_requests.append(f"{response.status} {response.request.method} {response.url}")

    def on_request_failed(request):
        document = made_for.pop(request, documents["current"])
        entry = f"failed {request.method} {request.url}: {request.failure}"
        if request.failure == "net::ERR_ABORTED":
            if document < documents["current"]:
                return  # its page was left: the browser dropped what it no longer needed
            aborted.append((document, entry))
        page.failed_requests.append(entry)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(f"uncaught: {error}"))
    page.on("request", on_request)
    page.on("requestfinished", lambda request: made_for.pop(request, None))
    page.on("framenavigated", on_frame_navigated)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)

    def same_site_only(route):
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" == origin:
            route.fallback()
        else:
            route.abort("blockedbyclient")  # shows up in failed_requests

    page.context.route("**/*", same_site_only)
    return page


@pytest.fixture
def new_page(browser, live_server):
    """new_page(viewport=None) -> a recording page of a fresh browser context (no cookies)."""
    contexts = []

    def open_page(viewport=None):
        context = browser.new_context(locale="vi-VN", viewport=viewport or DESKTOP)
        contexts.append(context)
        return watch(context.new_page(), live_server.url)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def demo_data(transactional_db):
    """The data tests/conftest.py seeds for the session, loaded again if it is gone.

    Tests with the live server run in transactional_db mode: pytest-django empties every table after each
    of them (they run after all the other database tests, so the rest of the suite keeps the seeded data).
    seed_demo only adds what is missing, so this is quick when the data is still there.
    """
    call_command("seed_demo", "--no-accounts", verbosity=0)


@pytest.fixture(scope="session")
def _password_hash():
    return make_password(PASSWORD)  # hashing is deliberately slow: once for all users of the session


@pytest.fixture
def browser_users(demo_data, django_user_model, _password_hash):
    from communes.models import Unit

    units = {unit.code: unit for unit in Unit.objects.filter(code__in={code for *_, code in USERS})}
    return {
        username: django_user_model.objects.create(
            username=username, password=_password_hash, role=role, unit=units[code]
        )
        for username, role, code in USERS
    }


def log_in(page, base_url, username, password=PASSWORD):
    """Log in through the login form at /dang-nhap/; fail with the page's message if it does not work."""
    page.goto(f"{base_url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    if urlsplit(page.url).path.startswith("/dang-nhap/"):
        message = page.locator(".message").all_inner_texts()
        raise AssertionError(f"logging in as {username!r} failed: {message}")
    return page


@pytest.fixture
def logged_in_page(new_page, live_server, browser_users):
    """logged_in_page(username, viewport=None) -> a recording page logged in as that user (password "x").

    The page is where the site sends that user after logging in (a commune officer: their commune's page).
    """

    def open_page(username, viewport=None):
        return log_in(new_page(viewport), live_server.url, username)

    return open_page


@pytest.fixture
def screenshot():
    """screenshot(page, name) -> the path of a full-page PNG of `page`, saved as name.png.

    Into the folder the environment variable CCHC_SCREENSHOTS names, by default build/screenshots under the
    project (git-ignored): people look at them after a run, to see what a user would have seen.
    """
    folder = Path(os.environ.get("CCHC_SCREENSHOTS") or Path(settings.BASE_DIR) / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
