"""Requests declaring a body larger than MAX_REQUEST_BYTES are refused (413) before anything reads the body,
while an Excel upload of the size the import accepts, or slightly more, still reaches the import."""

from io import BytesIO

import pytest
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from communes.models import User
from indicators.excel.spreadsheets import MAX_FILE_BYTES
from tests.fixtures_xlsx.builders import make_user, template


class Unreadable:
    """A request body that fails the test if anything reads it."""

    read_by = []

    def read(self, *args):
        self.read_by.append(args)
        raise AssertionError("the body was read")

    readline = read


def named(data, name="so-lieu.xlsx"):
    stream = BytesIO(data)
    stream.name = name
    return stream


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"


def test_the_limit_leaves_room_for_an_excel_file_and_its_form():
    assert settings.MAX_REQUEST_BYTES >= MAX_FILE_BYTES + 64 * 1024
    assert settings.MIDDLEWARE[0] == "cchc.middleware.RequestSizeLimitMiddleware"


@pytest.mark.django_db
def test_a_request_declaring_a_larger_body_gets_413_before_it_is_read(client):
    body = Unreadable()
    response = client.generic(
        "POST",
        reverse("exchange_import"),
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES + 1),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert _("Request too large") in page and "Yêu cầu quá lớn" in page
    assert filesizeformat(settings.MAX_REQUEST_BYTES) in page  # "6,0 MB"
    assert not body.read_by


@pytest.mark.django_db
def test_a_request_at_the_limit_goes_through(client):
    response = client.generic(
        "GET",
        reverse("login"),
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BYTES),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_excel_file_slightly_too_large_gets_the_forms_message_not_413(client):
    client.force_login(make_user("staff", User.Role.DISTRICT_STAFF, "298"))
    response = client.post(reverse("exchange_import"), {"file": named(b"x" * (MAX_FILE_BYTES + 1))})
    assert response.status_code == 400  # the form's answer
    assert _("The file is larger than %(size)s MB.") % {"size": 5} in response.content.decode()


@pytest.mark.django_db
def test_a_normal_upload_is_previewed(client):
    staff = make_user("staff", User.Role.DISTRICT_STAFF, "298")
    client.force_login(staff)
    workbook = template(staff, "2023-H1", within="11089")
    response = client.post(reverse("exchange_import"), {"file": named(workbook)})
    assert response.status_code == 200
    assert response.context["plan"].is_valid
