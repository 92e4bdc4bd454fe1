"""Failed logins lock out one user name from one address for a cool-off time (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from communes.models import User
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Tu-Ky 2026 cchc"
OFFICE, HOME = "192.0.2.10", "198.51.100.7"  # documentation addresses: never contacted, only compared


@pytest.fixture
def officers():
    users = [make_user(name, User.Role.COMMUNE_OFFICER, "11089") for name in ("an", "binh")]
    for user in users:
        user.set_password(PASSWORD)
        user.save()
    return users


def attempt(client, username, password, address=OFFICE, url="login", **headers):
    return client.post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def fail(client, username, times, **kwargs):
    return [attempt(client, username, "wrong password", **kwargs).status_code for _ in range(times)]


def test_the_limit_locks_out_that_user_name_from_that_address(client, officers):
    limit = settings.AXES_FAILURE_LIMIT
    assert fail(client, "an", limit - 1) == [200] * (limit - 1)  # the form again, with its error
    locked = attempt(client, "an", "wrong password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert _("Login temporarily locked") in page
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    # The right password does not help until the cool-off is over.
    refused = attempt(client, "an", PASSWORD)
    assert refused.status_code == 429 and not logged_in_as(client)


def test_the_lockout_page_is_vietnamese_and_says_when_to_retry(client, officers):
    fail(client, "an", settings.AXES_FAILURE_LIMIT)
    before = timezone.localtime() + settings.AXES_COOLOFF_TIME
    page = attempt(client, "an", PASSWORD).content.decode()
    after = timezone.localtime() + settings.AXES_COOLOFF_TIME
    assert '<html lang="vi">' in page and _("Login temporarily locked") in page
    # The time the lock ends, as Vietnamese pages write it (22:45 24/11/2026).
    times = {date_format(moment, "DATETIME_FORMAT") for moment in (before, after)}
    assert any(_("Try again after %(retry_at)s.") % {"retry_at": time} in page for time in times)


def test_a_colleague_behind_the_same_address_still_logs_in(client, officers):
    fail(client, "an", settings.AXES_FAILURE_LIMIT)
    response = attempt(client, "binh", PASSWORD)
    assert response.status_code == 302 and logged_in_as(client) == str(officers[1].pk)


def test_the_same_user_from_another_address_still_logs_in(client, officers):
    fail(client, "an", settings.AXES_FAILURE_LIMIT)
    response = attempt(client, "an", PASSWORD, address=HOME)
    assert response.status_code == 302 and logged_in_as(client) == str(officers[0].pk)


def test_after_the_cool_off_the_user_logs_in_again(client, officers):
    fail(client, "an", settings.AXES_FAILURE_LIMIT)
    assert attempt(client, "an", PASSWORD).status_code == 429
    cool_off = settings.AXES_COOLOFF_TIME
    for row in AccessAttempt.objects.filter(username="an"):
        AccessAttempt.objects.filter(pk=row.pk).update(
            attempt_time=row.attempt_time - cool_off - timedelta(1)
        )
    response = attempt(client, "an", PASSWORD)
    assert response.status_code == 302 and logged_in_as(client) == str(officers[0].pk)


def test_a_successful_login_forgets_earlier_failures(client, officers):
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, "an", limit - 1)
    assert attempt(client, "an", PASSWORD).status_code == 302
    client.logout()
    assert fail(client, "an", limit - 1) == [200] * (limit - 1)
    assert attempt(client, "an", PASSWORD).status_code == 302


def test_the_admin_login_counts_and_obeys_the_same_lockout(client, officers):
    officers[0].is_staff = True
    officers[0].save()
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, "an", limit - 2)
    assert fail(client, "an", 1, url="admin:login") == [200]
    assert attempt(client, "an", "wrong password", url="admin:login").status_code == 429
    assert attempt(client, "an", PASSWORD, url="admin:login").status_code == 429
    assert attempt(client, "an", PASSWORD).status_code == 429 and not logged_in_as(client)


def test_a_forged_forwarded_header_does_not_escape_the_lockout(client, officers):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = [
        attempt(client, "an", "wrong password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(limit + 1)
    ]
    assert statuses[limit - 1 :] == [429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_behind_a_trusted_proxy_the_address_it_forwards_is_the_clients(client, officers, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy, limit = "127.0.0.1", settings.AXES_FAILURE_LIMIT
    # The client may write anything in front; the proxy appends the address it saw, last.
    spoofed = [f"203.0.113.{n}, {OFFICE}" for n in range(limit)]
    statuses = [
        attempt(client, "an", "wrong password", address=proxy, HTTP_X_FORWARDED_FOR=header).status_code
        for header in spoofed
    ]
    assert statuses[-1] == 429
    home = attempt(client, "an", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=HOME)
    assert home.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_a_few_guesses_at_many_names_lock_out_the_address(client, officers, settings):
    """Two guesses at each of many names never reach the per-name limit, but do reach the address's."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    names = [f"guess{n}" for n in range(6)]
    assert [code for name in names for code in fail(client, name, 2)] == [200] * 11 + [429]
    refused = attempt(client, "binh", PASSWORD)
    assert refused.status_code == 429 and not logged_in_as(client)
    assert _("Too many failed logins from your network, with several user names.") in refused.content.decode()
    # Another address is not concerned, and the lock ends with the cool-off.
    assert attempt(client, "binh", PASSWORD, address=HOME).status_code == 302
    client.logout()
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(1))
    assert attempt(client, "binh", PASSWORD).status_code == 302


def test_an_office_making_a_few_typing_mistakes_is_not_locked_out(client, officers):
    """The default address limit is far above a working day's mistakes: ten colleagues, two typos each."""
    for n in range(10):
        fail(client, f"colleague{n}", 2)
    assert attempt(client, "binh", PASSWORD).status_code == 302
