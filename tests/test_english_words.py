"""No English word of a known list on any page, for any role: the text of every page each demo role meets,
hidden text for screen readers and the words of titles, labels and placeholders included."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from communes.models import User
from indicators.models import PeriodReport
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

# Words a user has met in English on these pages, and the internal codes that must stay in the downloads.
ENGLISH = [
    "None",
    "True",
    "False",
    "Forbidden",
    "Not Found",
    "Server Error",
    "Save",
    "Submit",
    "Delete",
    "History",
    "Search",
    "Filter",
    "Show counts",
    "Hide counts",
    "entries",
    "Model name",
    "Add link",
    "Skip to main content",
    "Toggle",
    "Log out",
    "Welcome",
    "View site",
    "Access attempts",
    "Axes",
    "Changed by",
    "Change reason",
    "Not started",
    "on_time",
    "not_submitted",
    "not_started",
    "inputs_digitized",
    "no_fee_bearing",
]
FOUND = re.compile(r"(?<![\w-])(" + "|".join(re.escape(word) for word in ENGLISH) + r")(?![\w-])")
ATTRIBUTES = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')
BUTTONS = re.compile(r'<input[^>]*\btype="(?:submit|button)"[^>]*\bvalue="([^"]*)"')

H1 = "?period=2023-H1"
DASHBOARDS = [
    "/" + H1,
    "/xep-hang/" + H1,
    "/ho-so-tre-han/" + H1,
    "/so-hoa/" + H1,
    "/thanh-toan-truc-tuyen/" + H1,
    "/xa/11089/" + H1,
    "/nop-bao-cao/" + H1,
    "/bao-cao/11089/2023-H1/",
    "/excel/",
    "/khong-co-trang-nay/",
]
ROLES = {
    "officer": (
        User.Role.COMMUNE_OFFICER,
        "11089",
        ["/xa/11089/" + H1, "/xep-hang/" + H1, "/bao-cao/11089/2023-H1/"],
    ),
    "staff": (User.Role.DISTRICT_STAFF, "298", DASHBOARDS),
    "leader": (User.Role.LEADER, "298", DASHBOARDS),
}


def visible_words(html):
    """The page's text and the text of its attributes, without its scripts and styles (chart data, CSS)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(ATTRIBUTES.findall(html) + BUTTONS.findall(html))
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attributes)


def english_on(client, url):
    response = client.get(url)
    assert response.status_code in (200, 403, 404), (url, response.status_code)
    return sorted(set(FOUND.findall(visible_words(response.content.decode()))))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_english_on_the_pages_of_each_role(client, role):
    user_role, unit, pages = ROLES[role]
    client.force_login(make_user(f"en-{role}", user_role, unit))
    found = {url: english_on(client, url) for url in pages}
    assert {url: words for url, words in found.items() if words} == {}


def test_no_english_in_the_data_administration(client):
    client.force_login(make_user("en-admin", User.Role.ADMINISTRATOR, is_superuser=True))
    report = PeriodReport.objects.first()
    pages = ["/quan-tri/", "/quan-tri/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    pages += [
        reverse("admin:indicators_periodreport_change", args=[report.pk]),
        reverse("admin:indicators_periodreport_history", args=[report.pk]),
    ]
    found = {url: english_on(client, url) for url in pages}
    assert {url: words for url, words in found.items() if words} == {}
    assert apps.get_app_config("axes").verbose_name == "Chống dò mật khẩu"
