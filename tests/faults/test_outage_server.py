"""A real server losing its real database: connections killed mid-request or refused, then the way back.

gunicorn (one worker, debug off, as deployed) on a scratch PostgreSQL database: see conftest.py.
"""

from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.utils.translation import gettext as _

from benchmarks import load
from tests.faults.conftest import backends, query, wait_for
from tests.faults.test_outage import UNAVAILABLE

RANKING = "/xep-hang/?period=2023-H1"
KILL_ALL = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
)


@pytest.fixture
def leader(server, site):
    return load.Browser(server.port, load.log_in(server.port, load.LEADER, site.password).cookies)


def assert_unavailable_page(response, server):
    status, headers, page = response
    assert status == 503, page[-2000:]
    assert _(UNAVAILABLE) in page and "Traceback" not in page
    assert headers["Retry-After"] == "30"
    assert "Database unavailable during GET /xep-hang/" in server.log()


def test_a_connection_killed_mid_request_gives_the_503_page_then_the_next_request_works(leader, server, site):
    assert leader.get(RANKING)[0] == 200
    # The page's queries wait behind a lock, so its connection is killed while the request is running.
    with psycopg.connect(site.database_url, autocommit=True) as locker, ThreadPoolExecutor(1) as pool:
        with locker.transaction():
            # The ranking reads its communes from the stored totals.
            locker.execute("LOCK TABLE indicators_unittotals IN ACCESS EXCLUSIVE MODE")
            pending = pool.submit(leader.get, RANKING)
            [waiting] = wait_for(lambda: backends(site, "wait_event_type = 'Lock'"), "the page to wait")
            query(site.database_url, "SELECT pg_terminate_backend(%s)", [waiting])
            response = pending.result(timeout=30)
    assert_unavailable_page(response, server)
    assert leader.get(RANKING)[0] == 200


def test_a_database_refusing_connections_gives_the_503_page_until_it_is_back(leader, server, site):
    name = load.database_name(site.database_url)
    assert leader.get(RANKING)[0] == 200
    # Connections killed between two requests: the health check replaces them unnoticed.
    query(site.database_url, KILL_ALL, [name])
    assert leader.get(RANKING)[0] == 200
    try:
        load.admin(site.database_url, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        query(load.server_url(site.database_url), KILL_ALL, [name])
        assert_unavailable_page(leader.get(RANKING), server)
    finally:
        load.admin(site.database_url, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    assert leader.get(RANKING)[0] == 200
