"""The database failing during a request, simulated in the process: works on SQLite and PostgreSQL alike.

test_outage_server.py kills real connections of a real server.
"""

import logging

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import User
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

UNAVAILABLE = "The database cannot be reached at the moment. What you were doing may not have been saved."
SERVER_ERROR = "Something went wrong on our side; it has been logged. Please try again in a moment."


class FailingDatabase:
    """Queries go through until the first one on a table of `prefix`; from then on every query fails."""

    def __init__(self, prefix, error=None):
        self.prefix, self.error = (
            prefix,
            error or OperationalError("server closed the connection unexpectedly"),
        )
        self.failed = []

    def __call__(self, execute, sql, params, many, context):
        if self.failed or self.prefix in sql:
            self.failed.append(sql)
            raise self.error
        return execute(sql, params, many, context)


@pytest.fixture
def leader_client(client):
    client.force_login(make_user("leader", User.Role.LEADER, "298"))
    return client


def test_the_database_lost_mid_view_gives_the_503_page_without_asking_it_again(leader_client, caplog):
    outage = FailingDatabase("indicators_")
    with connection.execute_wrapper(outage), caplog.at_level(logging.ERROR, logger="cchc.outage"):
        response = leader_client.get(reverse("ranking"), {"period": "2023-H1"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert _(UNAVAILABLE) in page and _("Service temporarily unavailable") in page
    assert "Traceback" not in page and "server closed the connection" not in page
    # The session and the user had been read before; the page itself asked the database nothing more.
    assert len(outage.failed) == 1, outage.failed
    [record] = [record for record in caplog.records if record.name == "cchc.outage"]
    assert record.getMessage() == "Database unavailable during GET /xep-hang/"
    assert record.exc_info[0] is OperationalError

    assert leader_client.get(reverse("ranking"), {"period": "2023-H1"}).status_code == 200


def test_a_database_refusing_from_the_first_query_gives_the_503_page(leader_client):
    outage = FailingDatabase("")  # the session's lookup already fails
    with connection.execute_wrapper(outage):
        response = leader_client.get(reverse("home"))
    assert response.status_code == 503
    assert _(UNAVAILABLE) in response.content.decode()
    assert len(outage.failed) == 1, outage.failed
    assert leader_client.get(reverse("home")).status_code == 200


def test_other_errors_give_the_500_page_which_needs_no_database(leader_client):
    leader_client.raise_request_exception = False
    outage = FailingDatabase("indicators_", error=RuntimeError("a bug"))
    with connection.execute_wrapper(outage):
        response = leader_client.get(reverse("ranking"))
    assert response.status_code == 500
    page = response.content.decode()
    assert _(SERVER_ERROR) in page and "a bug" not in page
    assert len(outage.failed) == 1, outage.failed
