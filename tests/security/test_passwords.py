"""Passwords: long, not common, not only digits, letters and digits mixed, not like the user's name."""

import builtins
import io

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.management.commands import createsuperuser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import Unit, User
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

STRONG = "Tứ Kỳ nộp 2026"
WEAK = {
    "short": "Ky9 Tu8 Ng",  # letters and digits, but 10 characters
    "common": "password1234",
    "numeric": "20262026202620",
    "letters only": "mot-cai-mat-khau-dai",
    "like the user name": "nguyenvanan2026",
}


def refusals(password, user=None):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_each_kind_of_weak_password_is_refused_for_its_own_reason():
    user = User(username="nguyenvanan2026", role=User.Role.ADMINISTRATOR)
    assert refusals(WEAK["short"]) == {"password_too_short"}
    assert refusals(WEAK["common"]) == {"password_too_common"}
    assert refusals(WEAK["numeric"]) == {"password_entirely_numeric", "password_no_mix"}
    assert refusals(WEAK["letters only"]) == {"password_no_mix"}
    assert "password_too_similar" in refusals(WEAK["like the user name"], user)
    assert refusals(STRONG, user) == set()


def test_the_rules_are_explained_with_the_minimum_length():
    help_texts = password_validation.password_validators_help_texts()
    assert len(help_texts) == 5 and any("12" in text for text in help_texts)


@pytest.mark.parametrize("password", WEAK.values(), ids=WEAK.keys())
def test_changing_to_a_weak_password_is_refused(password):
    user = make_user("nguyenvanan2026", User.Role.COMMUNE_OFFICER, "11089")
    form = PasswordChangeForm(
        user, {"old_password": "x", "new_password1": password, "new_password2": password}
    )
    assert not form.is_valid() and form.errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password("x")


def test_changing_to_a_strong_password_works():
    user = make_user("nguyenvanan2026", User.Role.COMMUNE_OFFICER, "11089")
    form = PasswordChangeForm(user, {"old_password": "x", "new_password1": STRONG, "new_password2": STRONG})
    assert form.is_valid(), form.errors
    form.save()
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_an_administrator_creating_an_account_must_give_a_strong_password(client):
    client.force_login(make_user("root", User.Role.ADMINISTRATOR, is_superuser=True))
    url = reverse("admin:communes_user_add")
    data = {
        "username": "canbo.moi",
        "usable_password": "true",
        "role": "leader",
        "unit": Unit.objects.get(code="298").pk,
    }
    weak = client.post(url, {**data, "password1": WEAK["short"], "password2": WEAK["short"]})
    assert weak.status_code == 200 and weak.context["adminform"].form.errors["password2"]
    assert not User.objects.filter(username="canbo.moi").exists()
    strong = client.post(url, {**data, "password1": STRONG, "password2": STRONG})
    assert strong.status_code == 302
    assert User.objects.get(username="canbo.moi").check_password(STRONG)


class Terminal:
    def isatty(self):
        return True


def test_createsuperuser_asks_again_after_a_weak_password(monkeypatch):
    passwords = iter([WEAK["letters only"], WEAK["letters only"], STRONG, STRONG])
    answers = iter(["quantri", "", "N"])  # user name, e-mail, then "no" to bypassing the validation
    monkeypatch.setattr(createsuperuser.getpass, "getpass", lambda prompt="": next(passwords))
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(answers))
    errors = io.StringIO()
    call_command("createsuperuser", interactive=True, stdin=Terminal(), stdout=io.StringIO(), stderr=errors)
    user = User.objects.get(username="quantri")
    assert user.check_password(STRONG) and user.is_superuser
    assert _("This password must contain both letters and digits.") in errors.getvalue()
