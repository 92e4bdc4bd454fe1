"""A test session on PostgreSQL drops its test database: no connection of the browser tests is left open.

Playwright's event loop runs in the test thread while the browser tests run, and Django keeps the
connections made meanwhile apart from the thread's own (see tests/browser/conftest.py). One left open made
DROP DATABASE fail at the end of the session ("is being accessed by other users"): pytest-django only warned
and the test database stayed behind. A session of three tests shows it: one with the database (so that it
is set up before the browser starts), one browser test, and one without a database test that still reads
the database from the test thread afterwards, as tests/benchmarks' module fixture does.
"""

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from benchmarks import load
from tests.faults.conftest import query

BROWSER_TEST = "tests/browser/test_harness.py::test_a_request_to_another_site_is_blocked_and_counts"
PROBE = """
import pytest
from communes.models import Unit


@pytest.mark.django_db
def test_with_the_database():
    Unit.objects.count()


def test_reading_from_the_test_thread_afterwards(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        Unit.objects.count()
"""


def test_a_session_with_browser_tests_drops_its_test_database(postgres_url, tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text(PROBE, encoding="utf-8")
    name = f"cchc_teardown_{os.getpid()}"
    test_database = f"test_{name}"
    server = load.server_url(postgres_url)
    url = urlsplit(postgres_url)._replace(path=f"/{name}", query="").geturl()
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", BROWSER_TEST, str(probe)],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if " skipped" in run.stdout.splitlines()[-1]:
            pytest.skip(f"the browser test was skipped: {run.stdout.splitlines()[-1]}")
        assert run.returncode == 0 and "3 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-3000:]
        assert "Error when trying to teardown test databases" not in run.stdout, run.stdout[-3000:]
        assert query(server, "SELECT 1 FROM pg_database WHERE datname = %s", [test_database]) == []
    finally:
        load.admin(server, f'DROP DATABASE IF EXISTS "{test_database}" WITH (FORCE)')
