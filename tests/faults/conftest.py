"""A PostgreSQL server for the fault tests, whatever database the suite itself runs on.

Killing a connection, refusing connections and killing a process half-way through a commit only mean
something on the database the application is deployed on, and they need a real server process (the test
client never closes its connections between requests, as a WSGI server does). So these tests make their own
database on the local PostgreSQL server (CCHC_TEST_POSTGRES_URL, or DATABASE_URL when it is PostgreSQL, or
postgres://postgres@127.0.0.1:5432/postgres) and run gunicorn or manage.py against it: they run in the
SQLite pass of CI as well. Without a reachable server they are skipped, except in CI, where they fail.
"""

import os
import shutil
import time

import psycopg
import pytest

from benchmarks import load

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _missing(reason):
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}: CI must have it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_url():
    url = os.environ.get("CCHC_TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    try:
        load.server_url(url)
    except load.NotPostgres:
        url = DEFAULT_URL
    try:
        psycopg.connect(load.server_url(url), connect_timeout=5).close()
    except psycopg.OperationalError as error:
        _missing(f"no PostgreSQL server at {load.server_url(url)} ({error})")
    return url


@pytest.fixture(scope="session")
def wrk():
    if shutil.which("wrk") is None:
        _missing("wrk is not installed")


@pytest.fixture(scope="session")
def site(postgres_url):
    """A database of its own with the demo data, and the environment to run the application on it.

    Shared by the modules: each test compares the database with itself before and after, or only reads."""
    with load.scratch_site(postgres_url, "faults") as built:
        yield built


@pytest.fixture(scope="module")
def server(site):
    """gunicorn with one worker: every request meets the same database connection."""
    with load.Gunicorn(site, workers=1) as running:
        yield running


def query(url, sql, params=None):
    with psycopg.connect(url, autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()


def backends(site, where="true"):
    """Process ids of the sessions of clients (the application, a command) on the site's database."""
    return [
        pid
        for (pid,) in query(
            site.database_url,
            f"SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
            f" AND backend_type = 'client backend' AND {where}",
            [load.database_name(site.database_url)],
        )
    ]


def wait_for(condition, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")
