"""Odd input to every URL and every admin list: a 4xx, a redirect or the page, never a server error.

The class, not the instances: every URL pattern the project serves is tried with odd path segments and odd
values of every query parameter a page reads, and every field of every admin list with every kind of
lookup and odd values. CI runs this module on SQLite and on PostgreSQL, which differ here (PostgreSQL
refuses a NUL character and an invalid regular expression; SQLite overflows on large integers).
"""

import re
import traceback
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse

from communes.models import User
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 25
# Path segments as a browser would send them (percent-encoded).
ODD_SEGMENTS = ["%00", HUGE, "-1", "%C3%28%27%22%3C", "%F0%9D%94%98", "..%2F..%2Fetc"]
# Query values, sent one kind at a time for every parameter a page reads.
ODD_VALUES = ["\x00", HUGE, f"-{HUGE}", "'\"<>(", "𝔘", "", "1,2,abc", "2023-Q9", "1e999", "%"]
QUERY_PARAMETERS = [
    # The dashboards, the report, the Excel page and the login.
    "unit",
    "period",
    "page",
    "sort",
    "format",
    "kind",
    "token",
    "next",
    # The admin's lists, forms, history, autocomplete and imports.
    "q",
    "o",
    "p",
    "e",
    "all",
    "_changelist_filters",
    "_to_field",
    "_popup",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "x",
]
# Every kind of lookup an address can ask of a field (Django's admin lets a list filter on any of them).
LOOKUPS = ["", "__exact", "__in", "__gte", "__isnull", "__contains", "__year", "__month", "__regex"]
FILTER_VALUES = [HUGE, "(", "abc", "1,abc"]


def url_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def addresses(route, segment):
    """The route's address, each parameter (<converter:name>, or a regular expression's group) `segment`."""
    route = re.sub(r"<[^>]+>", segment, route)
    route = re.sub(r"\([^)]*\)", segment, route)
    return "/" + route.replace("^", "").replace("$", "")


ROUTES = sorted(set(url_patterns()))


@pytest.fixture
def administrator():
    # No password to hash: the clients log in with force_login.
    return User.objects.create(username="fuzz.quantri", role=User.Role.ADMINISTRATOR, is_staff=True)


def test_every_url_is_covered():
    # Each route is tried below; a new one is tried without anything to add here.
    assert len(ROUTES) > 100 and any("<path:object_id>" in route for route in ROUTES)


@pytest.mark.parametrize("route", ROUTES)
def test_odd_path_segments_and_query_values_get_no_server_error(route, administrator):
    client = Client()
    client.force_login(administrator)
    anonymous = Client()
    for segment in ODD_SEGMENTS if "<" in route or "(" in route else [""]:
        address = addresses(route, segment)
        for visitor in (client, anonymous):
            assert visitor.get(address).status_code < 500, address
    if "<" in route or "(" in route:
        return  # its parameters come with the path: tried above
    for value in ODD_VALUES:
        response = client.get(addresses(route, ""), {name: value for name in QUERY_PARAMETERS})
        assert response.status_code < 500, (route, value)


def test_a_nul_character_is_a_400_everywhere(client, administrator):
    client.force_login(administrator)
    for address in ["/xep-hang/?unit=%00", "/xa/%00/", "/bao-cao/%00/2023-H1/", "/bao-cao-word/%00/2023-H1/"]:
        response = client.get(address)
        assert response.status_code == 400, address
        assert "Yêu cầu không hợp lệ" in response.content.decode()
    autocomplete = reverse("admin:autocomplete")
    params = {"term": "\x00", "app_label": "indicators", "model_name": "areascore", "field_name": "unit"}
    assert client.get(autocomplete, params).status_code == 400
    form = urlencode({"username": "a\x00", "password": "b"})
    login = client.post(reverse("login"), form, content_type="application/x-www-form-urlencoded")
    assert login.status_code == 400


def changelist_cases():
    for model, model_admin in admin.site._registry.items():
        names = [field.name for field in model._meta.concrete_fields]
        names += [
            f"{field.name}__{field.related_model._meta.pk.name}"
            for field in model._meta.concrete_fields
            if field.is_relation
        ]
        yield pytest.param(model_admin, names, id=model._meta.label_lower)


@pytest.mark.parametrize(("model_admin", "names"), list(changelist_cases()))
def test_every_field_of_every_admin_list_with_every_lookup(model_admin, names, administrator):
    """Every field with every lookup and odd values: the list, or the admin's answer to an invalid filter
    (IncorrectLookupParameters: the list again with ?e=1; SuspiciousOperation: a 400). The list is built as
    the admin's view builds it, without its page around it, so that thousands of cases take seconds."""
    opts = model_admin.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    factory, failures = RequestFactory(), []
    for name in names:
        for lookup in LOOKUPS:
            for value in FILTER_VALUES:
                request = factory.get(url, {f"{name}{lookup}": value})
                request.user = administrator
                try:
                    model_admin.get_changelist_instance(request)
                except (IncorrectLookupParameters, SuspiciousOperation):
                    pass
                except Exception:  # a server error: every one is listed
                    failures.append((f"{name}{lookup}={value}", traceback.format_exc()[-600:]))
    assert failures == []


@pytest.mark.parametrize(
    "params",
    [
        {"note__regex": "("},
        {"valid_from__year": "99999999999999999"},
        {"submitted_at__year": "99999999999999999999"},
        {"status": "\x00"},
    ],
)
def test_the_filters_that_were_server_errors(client, administrator, params):
    client.force_login(administrator)
    for model in ("indicators_areascore", "communes_unit", "indicators_periodreport"):
        response = client.get(reverse(f"admin:{model}_changelist"), params)
        assert response.status_code in (302, 400), (model, params)


def test_an_unknown_parameter_on_an_export_is_a_400_in_words(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("admin:indicators_areascore_export"), {"x": "1"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_an_officer_reaching_the_admin_gets_the_same_answers():
    officer = make_user("fuzz.canbo", User.Role.COMMUNE_OFFICER, "11089")
    client = Client()
    client.force_login(officer)
    for model in ("indicators_areascore", "indicators_dossierstats"):
        url = reverse(f"admin:{model}_changelist")
        assert client.get(url, {"note__regex": "("}).status_code in (302, 400)
        assert client.get(url, {"q": "\x00"}).status_code == 400
