"""Every role × every action × its own unit and another unit, asserted through the URLs, the admin and Excel.

"Own" is a unit inside the user's scope (their commune, or a commune of their district); "other" is outside
it (a neighbouring commune for an officer, a commune of another district for everyone else).
"""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communes.models import Unit, User
from indicators import services
from indicators.models import (
    COUNT_FIELDS,
    AreaScore,
    DossierStats,
    Period,
    PeriodReport,
    ProcedureField,
    ReformArea,
)
from tests.fixtures_xlsx.builders import headers, read, stats_row, xlsx

pytestmark = pytest.mark.django_db

ACTIONS = ["view", "add", "change", "delete", "import", "export", "submit", "approve"]
Y, N = True, False
# role -> action -> (allowed on own unit, allowed on the other unit)
EXPECTED = {
    User.Role.ADMINISTRATOR: {action: (Y, Y) for action in ACTIONS},
    User.Role.DISTRICT_STAFF: {action: (Y, N) for action in ACTIONS},
    User.Role.COMMUNE_OFFICER: {
        "view": (Y, N),
        "add": (Y, N),
        "change": (Y, N),
        "delete": (N, N),
        "import": (Y, N),
        "export": (Y, N),
        "submit": (Y, N),
        "approve": (N, N),
    },
    # The world's reports are drafts, whose figures only those who may write them read (test_drafts.py shows
    # leaders reading them once submitted).
    User.Role.LEADER: {
        "view": (N, N),
        "add": (N, N),
        "change": (N, N),
        "delete": (N, N),
        "import": (N, N),
        "export": (N, N),
        "submit": (N, N),
        "approve": (N, N),
    },
}
HOME = {
    User.Role.ADMINISTRATOR: None,
    User.Role.DISTRICT_STAFF: "298",
    User.Role.COMMUNE_OFFICER: "11089",
    User.Role.LEADER: "298",
}
OTHER = {User.Role.COMMUNE_OFFICER: "11143"}  # everyone else: "OT-1", a commune of another district
CELLS = [(role, action, side) for role in EXPECTED for action in ACTIONS for side in ("own", "other")]


@pytest.fixture
def world():
    """An open quarter; both units have a draft with one statistics row and every area scored."""
    services.open_year(2099)
    period = Period.objects.get_by_code("2099-Q1")
    other_district = Unit.objects.create(
        code="OT", name="Thanh Hà", kind="huyen", level="district", parent=Unit.objects.get(code="30")
    )
    Unit.objects.create(code="OT-1", name="Thanh Bình", kind="xa", level="commune", parent=other_district)
    root = User.objects.create_superuser("root", password="x", role=User.Role.ADMINISTRATOR)
    for code in ("11089", "11143", "OT-1"):
        report = services.report_for(Unit.objects.get(code=code), period)
        row = DossierStats(field=ProcedureField.objects.get(code="tu-phap"), received=10, resolved_on_time=10)
        scores = [AreaScore(area=area, self_points=Decimal(1)) for area in ReformArea.objects.all()]
        services.save_figures(root, report, scores=scores, stats=[row])
    return period


def unit_for(role, side):
    return "11089" if side == "own" else OTHER.get(role, "OT-1")


def login(client, role):
    home = HOME[role]
    user = User.objects.create_user(
        "who",
        password="x",
        role=role,
        is_staff=True,
        is_superuser=role == User.Role.ADMINISTRATOR,
        unit=Unit.objects.get(code=home) if home else None,
    )
    client.force_login(user)
    return user


def report_post(client, code, period, action, **data):
    report = PeriodReport.objects.filter(unit__code=code, period=period).first()
    version = report.version if report else 0
    return client.post(
        reverse("report", args=[code, period.code]), {"action": action, "report_version": version, **data}
    )


def figures(received):
    data = {f"area-{n}-self_points": "1" for n in range(1, 8)}
    return data | {"field-tu-phap-received": str(received), "field-tu-phap-resolved_on_time": str(received)}


def row(code, period, field="tu-phap"):
    return DossierStats.objects.filter(unit__code=code, period=period, field__code=field).first()


def do_view(client, code, period):
    """Whether the user reads the unit's figures on the report screen and in the admin."""
    response = client.get(reverse("report", args=[code, period.code]))
    page = response.status_code == 200 and response.context["figures_hidden_because"] is None
    admin = client.get(reverse("admin:indicators_dossierstats_change", args=[row(code, period).pk]))
    assert page == (admin.status_code == 200), "the report screen and the admin disagree"
    return page


def do_add(client, code, period):
    data = figures(10) | {"field-lao-dong-received": "4", "field-lao-dong-resolved_on_time": "4"}
    report_post(client, code, period, "save", **data)
    return row(code, period, "lao-dong") is not None


def do_change(client, code, period):
    report_post(client, code, period, "save", **figures(12))
    by_screen = row(code, period).received == 12
    current = row(code, period)
    data = {name: getattr(current, name) for name in COUNT_FIELDS}
    data |= {
        "received": current.received + 1,
        "resolved_on_time": current.received + 1,
        "loaded_version": current.version,
    }
    client.post(reverse("admin:indicators_dossierstats_change", args=[current.pk]), data)
    by_admin = row(code, period).received == current.received + 1
    assert by_screen == by_admin, "the report screen and the admin disagree"
    return by_screen


def do_delete(client, code, period):
    client.post(reverse("admin:indicators_dossierstats_delete", args=[row(code, period).pk]), {"post": "yes"})
    return row(code, period) is None


def do_import(client, code, period):
    workbook = xlsx([headers(), stats_row(period.code, code, "tu-phap", received=30)])
    upload = SimpleUploadedFile("so-lieu.xlsx", workbook)
    preview = client.post(reverse("exchange_import"), {"file": upload})
    token = (
        re.search(r'name="token" value="([^"]+)"', preview.content.decode())
        if preview.status_code == 200
        else None
    )
    if token:
        client.post(reverse("exchange_import_confirm"), {"token": token.group(1)})
    return row(code, period).received == 30


def do_export(client, code, period):
    response = client.get(reverse("exchange_export"), {"period": period.code, "kind": "stats", "unit": code})
    if response.status_code != 200:
        return False
    return any(code in [str(cell) for cell in line] for line in read(response.content)[1:])


def do_submit(client, code, period):
    report_post(client, code, period, "submit", **figures(10))
    return PeriodReport.objects.get(unit__code=code, period=period).status == "submitted"


def do_approve(client, code, period):
    report = PeriodReport.objects.get(unit__code=code, period=period)
    services.submit_report(User.objects.get(username="root"), report, report.version)
    report_post(client, code, period, "approve")
    return PeriodReport.objects.get(unit__code=code, period=period).status == "approved"


DO = {
    "view": do_view,
    "add": do_add,
    "change": do_change,
    "delete": do_delete,
    "import": do_import,
    "export": do_export,
    "submit": do_submit,
    "approve": do_approve,
}


@pytest.mark.parametrize(("role", "action", "side"), CELLS, ids=[f"{r}-{a}-{s}" for r, a, s in CELLS])
def test_permission_matrix(client, world, role, action, side):
    login(client, role)
    own_allowed, other_allowed = EXPECTED[role][action]
    expected = own_allowed if side == "own" else other_allowed
    assert DO[action](client, unit_for(role, side), world) is expected


def test_anonymous_visitors_reach_nothing_but_the_login_page(client, world):
    for url in [
        reverse("report", args=["11089", world.code]),
        reverse("exchange"),
        reverse("exchange_export"),
        reverse("admin:indicators_dossierstats_changelist"),
        reverse("home"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and (
            "dang-nhap" in response["Location"] or "login" in response["Location"]
        )
    assert client.get(reverse("login")).status_code == 200
