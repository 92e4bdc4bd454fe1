"""seed_demo: safe to run again, never overwrites edits, and guards the demo accounts.

tests/conftest.py has already run `seed_demo --no-accounts` once for the session, so every test here starts
from a seeded database without demo accounts.
"""

import hashlib
import json
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from communes.models import Unit, User
from indicators.models import COUNT_FIELDS, AreaScore, DossierStats, Period, PeriodReport

pytestmark = pytest.mark.django_db

FIXTURES = ["reference.json", "report_2023_h1.json", "demo_2022_h1.json"]

# username -> (role, unit code); the admin belongs to no unit.
DEMO_ACCOUNTS = {
    "admin": ("admin", None),
    "noivu": ("district_staff", "298"),
    "canbo.ngocky": ("commune_officer", "11089"),
    "canbo.tiendong": ("commune_officer", "11143"),
    "lanhdao": ("leader", "298"),
}


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    models = apps.get_models(include_auto_created=True)
    counts = {model._meta.label: model._default_manager.count() for model in models}
    counts["AreaScore.history"] = AreaScore.history.count()
    counts["DossierStats.history"] = DossierStats.history.count()
    return counts


def dossier_checksum():
    key = ("unit__code", "period__year", "period__kind", "period__number", "field__code")
    rows = DossierStats.objects.order_by(*key).values_list(*key, *COUNT_FIELDS)
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


def fixture_objects(name):
    with (django_settings.BASE_DIR / "fixtures" / name).open(encoding="utf-8") as stream:
        return json.load(stream)


def fixture_size(name):
    return len(fixture_objects(name))


def demo_accounts():
    return User.objects.filter(username__in=DEMO_ACCOUNTS)


# ---------------------------------------------------------------------------------------------------------
# Data.
# ---------------------------------------------------------------------------------------------------------


# seed_demo also opens the current year (periods, copied frameworks and targets): not fixture objects.
YEAR_LOOKUP = {
    "indicators.period": "year",
    "indicators.scoringframework": "year",
    "indicators.frameworkarea": "framework__year",
    "indicators.classificationband": "framework__year",
    "indicators.target": "year",
}


def fixture_years(label):
    rows = apps.get_model(label)._default_manager.all()
    return rows.filter(**{f"{YEAR_LOOKUP[label]}__lte": 2023}) if label in YEAR_LOOKUP else rows


def test_the_session_seed_loaded_every_fixture_object():
    # Guards the tests below: a second run can only prove it changes nothing if the first loaded everything.
    expected = Counter(obj["model"] for name in FIXTURES for obj in fixture_objects(name))
    assert expected["indicators.dossierstats"] and expected["indicators.areascore"]
    assert {label: fixture_years(label).count() for label in expected} == expected
    assert AreaScore.history.count() == AreaScore.objects.count()
    assert DossierStats.history.count() == DossierStats.objects.count()


def test_running_again_creates_nothing_and_changes_nothing():
    counts, checksum = row_counts(), dossier_checksum()
    output = seed("--no-accounts")
    assert row_counts() == counts
    assert dossier_checksum() == checksum
    for name in FIXTURES:
        assert f"{name}: 0 created, {fixture_size(name)} already present" in output


def test_the_checksum_sees_a_changed_count():
    # The checksum above would be worthless if it missed an edit.
    checksum = dossier_checksum()
    row = DossierStats.objects.filter(pending__gt=0).first()
    row.pending -= 1
    row.paused += 1
    row.save()
    assert dossier_checksum() != checksum


def test_a_deleted_row_comes_back_and_an_edited_row_keeps_its_edit():
    period = Period.objects.get_by_code("2023-H1")
    deleted = DossierStats.objects.filter(unit__code="11089", period=period).order_by("field__code").first()
    deleted_key = deleted.natural_key()
    deleted_values = {name: getattr(deleted, name) for name in COUNT_FIELDS}
    deleted.delete()
    edited = AreaScore.objects.get(unit__code="11143", period=period, area__number=7)
    assert edited.self_points != Decimal("15.00")
    edited.self_points = Decimal("15.00")
    edited.save()
    history = DossierStats.history.count()

    output = seed("--no-accounts")

    recreated = DossierStats.objects.get_by_natural_key(*deleted_key)
    assert {name: getattr(recreated, name) for name in COUNT_FIELDS} == deleted_values
    assert DossierStats.history.count() == history + 1
    assert AreaScore.objects.get(pk=edited.pk).self_points == Decimal("15.00")
    present = fixture_size("report_2023_h1.json") - 1
    assert f"report_2023_h1.json: 1 created, {present} already present" in output


# ---------------------------------------------------------------------------------------------------------
# Demo accounts.
# ---------------------------------------------------------------------------------------------------------


def test_no_accounts_creates_none_even_in_debug(settings):
    settings.DEBUG = True
    users = User.objects.count()
    seed("--no-accounts")
    assert User.objects.count() == users
    assert not demo_accounts().exists()


def test_refuses_demo_accounts_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        seed()
    assert not demo_accounts().exists()


def test_force_accounts_creates_them_with_debug_off(settings):
    settings.DEBUG = False
    seed("--force-accounts")
    assert set(demo_accounts().values_list("username", flat=True)) == set(DEMO_ACCOUNTS)


def test_debug_creates_the_five_demo_accounts_with_role_and_unit(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("CCHC_DEMO_PASSWORD", raising=False)
    users = User.objects.count()
    output = seed()
    assert User.objects.count() == users + len(DEMO_ACCOUNTS)
    accounts = {user.username: user for user in demo_accounts().select_related("unit")}
    roles_and_units = {name: (user.role, user.unit and user.unit.code) for name, user in accounts.items()}
    assert roles_and_units == DEMO_ACCOUNTS
    assert {name for name, user in accounts.items() if user.is_superuser} == {"admin"}
    assert all(user.is_staff and user.is_active for user in accounts.values())
    assert all(user.check_password("cchc-demo") for user in accounts.values())
    assert "demo accounts created: admin, noivu, canbo.ngocky, canbo.tiendong, lanhdao" in output


def test_the_password_comes_from_the_environment(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("CCHC_DEMO_PASSWORD", "mat-khau-thu-nghiem")
    seed()
    accounts = list(demo_accounts())
    assert len(accounts) == len(DEMO_ACCOUNTS)
    assert all(user.check_password("mat-khau-thu-nghiem") for user in accounts)
    assert not any(user.check_password("cchc-demo") for user in accounts)


def test_a_second_run_leaves_an_existing_account_alone(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("CCHC_DEMO_PASSWORD", raising=False)
    seed()
    noivu = User.objects.get(username="noivu")
    noivu.set_password("doi-mat-khau")
    noivu.save()
    users = User.objects.count()

    output = seed()

    noivu.refresh_from_db()
    assert noivu.check_password("doi-mat-khau")
    assert not noivu.check_password("cchc-demo")
    assert User.objects.count() == users
    assert "demo accounts created: none (all present)" in output


def test_a_missing_account_is_created_without_touching_the_others(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("CCHC_DEMO_PASSWORD", raising=False)
    seed()
    User.objects.get(username="lanhdao").delete()
    admin = User.objects.get(username="admin")
    admin.set_password("mat-khau-rieng")
    admin.save()

    output = seed()

    assert "demo accounts created: lanhdao" in output
    assert User.objects.get(username="lanhdao").check_password("cchc-demo")
    assert User.objects.get(username="admin").check_password("mat-khau-rieng")


def test_an_edited_unit_code_is_not_mistaken_for_a_missing_unit():
    """Codes are editable data: seeding again must neither duplicate the unit nor write anything else."""
    dai_son = Unit.objects.get(code="298-DS")
    dai_son.code = "10999"
    dai_son.save()
    counts_before = {model: model.objects.count() for model in (Unit, DossierStats, AreaScore, PeriodReport)}
    with pytest.raises(CommandError, match="298-DS"):
        call_command("seed_demo", "--no-accounts", stdout=StringIO())
    assert {model: model.objects.count() for model in counts_before} == counts_before


def test_refusing_demo_accounts_writes_nothing(settings):
    settings.DEBUG = False
    DossierStats.objects.filter(unit__code="11089").delete()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not DossierStats.objects.filter(unit__code="11089").exists()
