"""Random and malformed input to the Excel import and the report form: never a 500, never invalid data.

Each example runs inside a transaction that is rolled back, so examples do not see each other's writes.
The examples are derandomized (and no example database is kept): a run is the same on every machine.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from communes.models import Unit, User
from communes.scope import editable_units
from indicators import services
from indicators.excel.spreadsheets import (
    LAYOUTS,
    MAX_FILE_BYTES,
    SCORES,
    STATS,
    FileRefused,
    read_rows,
)
from indicators.models import (
    BALANCE_OUT,
    COUNT_FIELDS,
    MAX_COUNT,
    AreaScore,
    DossierStats,
    Period,
    PeriodReport,
    ProcedureField,
    ReformArea,
)
from tests.fixtures_xlsx.builders import figures_snapshot, headers, make_user, xlsx
from tests.fixtures_xlsx.builders import stats_row as good_stats_row

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OPEN, CLOSED = "2099-Q1", "2023-H1"


class Rollback(Exception):
    pass


def isolated(example):
    """Run `example` in a transaction that is always rolled back."""
    try:
        with transaction.atomic():
            example()
            raise Rollback
    except Rollback:
        pass


def saved_valid(before):
    """Whether anything was written; whatever was passes the models' validation, constraints included."""
    period = Period.objects.get_by_code(OPEN)  # the only period open for entry
    for row in [*DossierStats.objects.filter(period=period), *AreaScore.objects.filter(period=period)]:
        row.full_clean()
    return figures_snapshot() != before


# ------------------------------------------------------------------------------------------ values

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40).map(
    lambda value: ILLEGAL_CHARACTERS_RE.sub("", value)  # what openpyxl cannot write at all
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from([-1, MAX_COUNT, MAX_COUNT + 1, 10**30, -(10**30)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.dates(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.times(),
    text,
    st.sampled_from(
        [
            "=1+2",
            "=SUM(A1:A9)",
            "@A1",
            "+1",
            "-1",
            "1.698",
            "12,5",
            "1,5",
            "1e9",
            " 7 ",
            "１２",
            "٣",
            "Ⅻ",
            "",
            "-0",
        ]
    ),
)


@st.composite
def balanced_counts(draw):
    """Counts that balance and keep every part within its whole: small ones, or up to a column's limit."""
    small, any_size, large = (
        st.integers(0, 60),
        st.integers(0, MAX_COUNT),
        st.integers(MAX_COUNT // 4, MAX_COUNT),
    )
    size = draw(st.sampled_from([small, small, any_size, large]))
    out = {name: draw(size) for name in BALANCE_OUT}
    total = sum(out.values())
    # A total past the limit balances only with carried over + received past it too, which PostgreSQL
    # cannot add up when it checks the balance: that must be refused in words, not by a crash.
    carried = draw(st.integers(max(0, total - MAX_COUNT), total)) if total <= MAX_COUNT else MAX_COUNT
    counts = {**out, "carried_over": carried, "received": total - carried}
    for whole in ("inputs", "results", "fee_bearing"):
        counts[whole] = draw(size)
    for part, whole in [
        ("online_eligible", "received"),
        ("online", "online_eligible"),
        ("inputs_digitized", "inputs"),
        ("results_digitized", "results"),
        ("paid_online", "fee_bearing"),
    ]:
        counts[part] = draw(st.integers(0, counts[whole]))
    return counts


# ------------------------------------------------------------------------------------------ workbooks


@st.composite
def stats_row(draw, codes):
    counts = draw(balanced_counts())
    values = {
        "period": draw(st.sampled_from([OPEN, OPEN.lower()])),
        "unit_code": draw(st.sampled_from(codes["units"])),
        "unit_name": draw(junk),
        "field": draw(st.sampled_from(codes["fields"])),
        "field_name": draw(junk),
        **counts,
    }
    return [values[column.key] for column in LAYOUTS[STATS].columns]


@st.composite
def score_row(draw, codes):
    points = st.decimals(min_value=0, max_value=40, places=2)
    values = {
        "period": OPEN,
        "unit_code": draw(st.sampled_from(codes["units"])),
        "unit_name": draw(junk),
        "area": draw(st.sampled_from(codes["areas"])),
        "area_name": draw(junk),
        "max_points": draw(junk),
        "self_points": draw(points),
        "appraised_points": draw(st.one_of(st.none(), points)),
        "note": draw(text),
    }
    return [values[column.key] for column in LAYOUTS[SCORES].columns]


@st.composite
def header(draw, kind):
    cells = [column.header for column in LAYOUTS[kind].columns]
    mutation = draw(st.sampled_from(["none"] * 6 + ["drop", "replace", "duplicate", "extra", "lower"]))
    index = draw(st.integers(0, len(cells) - 1))
    if mutation == "drop":
        del cells[index]
    elif mutation == "replace":
        cells[index] = draw(junk)
    elif mutation == "duplicate":
        cells.insert(index, cells[index])
    elif mutation == "extra":
        cells.append(draw(junk))
    elif mutation == "lower":
        cells = [cell.lower() for cell in cells]
    return cells


def to_cell(value):
    # A Decimal as the float a spreadsheet would hold.
    return float(value) if isinstance(value, Decimal) else value


@st.composite
def workbooks(draw, codes):
    """A workbook of good rows, often with a few cells spoiled: junk, a closed period, another's unit."""
    kind = draw(st.sampled_from([STATS, SCORES]))
    row = stats_row(codes) if kind == STATS else score_row(codes)
    body = draw(st.lists(row, min_size=0, max_size=5, unique_by=lambda cells: (cells[1], cells[3])))
    spoilt = st.one_of(junk, st.sampled_from([CLOSED, codes["outsider"]]))
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 4]))):
        if body:
            cells = body[draw(st.integers(0, len(body) - 1))]
            cells[draw(st.integers(0, len(cells) - 1))] = draw(spoilt)
    rows = [draw(header(kind)), *body]
    if draw(st.integers(0, 5)) == 0:
        rows.insert(draw(st.integers(0, len(rows))), draw(st.lists(junk, max_size=12)))
    workbook = openpyxl.Workbook()
    for cells in rows:
        workbook.active.append([to_cell(value) for value in cells])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


not_workbooks = st.one_of(
    st.binary(max_size=2000),
    st.just(b"PK\x03\x04" + b"\x00" * 100),
    st.builds(lambda text: text.encode(), st.text(max_size=200)),
)


# ------------------------------------------------------------------------------------------ import


@pytest.fixture
def importer(settings, tmp_path):
    """A district staff member logged in, a quarter open for entry, and the codes a file may name."""
    settings.EXCEL_UPLOAD_DIR = tmp_path / "uploads"
    services.open_year(2099)
    user = make_user("fuzz.noivu", User.Role.DISTRICT_STAFF, "298")
    client = Client()
    client.force_login(user)
    units = list(editable_units(user).values_list("code", flat=True)[:6])
    outsider = Unit.objects.exclude(pk__in=editable_units(user)).values_list("code", flat=True).first()
    codes = {
        "units": [*units, int(units[-1])],
        "outsider": outsider,
        "fields": [*ProcedureField.objects.values_list("code", flat=True)[:4], "Tư pháp"],
        "areas": [*ReformArea.objects.values_list("number", flat=True)[:4], "2.", "Cải cách thể chế"],
    }
    return client, codes


def upload(client, data):
    stream = io.BytesIO(data)
    stream.name = "so-lieu.xlsx"
    return client.post(reverse("exchange_import"), {"file": stream})


def check_upload(client, data, outcomes):
    before = figures_snapshot()
    preview = upload(client, data)
    assert preview.status_code in (200, 400)
    plan = preview.context.get("plan")
    if preview.status_code == 400:
        assert plan is None or plan.problems  # the page says why
        assert figures_snapshot() == before
        outcomes.add("refused")
        return
    assert figures_snapshot() == before  # a preview writes nothing
    token = preview.context["token"]
    if token is None:
        outcomes.add("nothing to save")
        return
    confirmed = client.post(reverse("exchange_import_confirm"), {"token": token})
    assert confirmed.status_code in (302, 400, 409)
    if confirmed.status_code != 302:
        assert figures_snapshot() == before
    outcomes.add("saved" if saved_valid(before) else "refused on confirmation")


def test_random_workbooks_are_refused_or_saved_valid(importer):
    client, codes = importer
    outcomes = set()

    @FUZZ
    @given(workbooks(codes))
    def run(data):
        isolated(lambda: check_upload(client, data, outcomes))

    run()
    # Both paths were taken: the fuzzing reached the writes, not only the refusals.
    assert {"refused", "saved"} <= outcomes, outcomes


def test_files_that_are_not_workbooks_are_refused(importer):
    client, _codes = importer

    @hypothesis_settings(FUZZ, max_examples=30)
    @given(not_workbooks)
    def run(data):
        before = figures_snapshot()
        response = upload(client, data)
        assert response.status_code == 400
        assert figures_snapshot() == before

    run()


# ------------------------------------------------------------------------------------------ damaged workbooks

# Bytes that mean something to an XML parser, or to openpyxl when it reads a cell, a row or a sheet's size.
XML_SNIPPETS = [
    *[b"<", b">", b"</", b"/>", b"&", b"&amp;", b"&#0;", b'"', b"=", b" ", b"\x00", b"\xff\xfe", b"\xc3"],
    *[b"9" * 5000, b"-1", b"1e999", b"nan", b"1.5", b"0", b"XFD1048576", b"1048576", b"A0", b"ZZZZ9"],
    *[b't="s"', b't="b"', b't="d"', b't="e"', b't="inlineStr"', b's="999"', b'r="0"', b'r="-1"'],
    *[b"<c/>", b"<v>7</v>", b"<row/>", b"</row>", b'<row r="1048576">', b"<f>SUM(A1:A9)</f>"],
    *[b'<dimension ref="A1:XFD1048576"/>', b"<![CDATA[x]]>", b"<?x y?>", b"<!-- -->"],
    *[b'<!DOCTYPE x [<!ENTITY a "aaaa">]>', b"&a;", b'<!DOCTYPE x SYSTEM "file:///etc/passwd">'],
]


@st.composite
def damaged(draw, workbook):
    """`workbook` with a few bytes of its XML flipped, replaced, inserted or deleted, zipped again."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        parts = {member.filename: archive.read(member) for member in archive.infolist()}
    # The sheet holds the data and most of what openpyxl reads: it is damaged most often.
    names = ["xl/worksheets/sheet1.xml"] * 6 + sorted(parts)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(names))
        content = parts[name]
        at = draw(st.integers(0, len(content) - 1))
        if draw(st.booleans()):
            flipped = content[at] ^ (1 << draw(st.integers(0, 7)))
            parts[name] = content[:at] + bytes([flipped]) + content[at + 1 :]
        else:
            removed = draw(st.integers(0, 8))  # 0: an insertion
            new = draw(st.one_of(st.sampled_from(XML_SNIPPETS), st.binary(max_size=8)))  # b"": a deletion
            parts[name] = content[:at] + new + content[at + removed :]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return stream.getvalue()


def refusals():
    """Every sentence read_rows may refuse a whole file with."""
    return {
        gettext("The file is empty."),
        gettext("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20},
        gettext(
            "The file is not an Excel workbook (.xlsx). Open it in Excel or LibreOffice Calc, save it as "
            "“Excel Workbook (.xlsx)” and upload it again."
        ),
        gettext("The file has more than %(rows)s rows.") % {"rows": "20.000"},
        gettext("The file holds too much data to import at once. Split it into smaller files."),
    }


def test_damaged_workbooks_are_refused_in_words_or_imported(importer):
    """Whatever the damage: rows, or a refusal with one of its sentences; through the page, never a 500."""
    client, codes = importer
    rows = [
        good_stats_row(OPEN, codes["units"][0], codes["fields"][0], received=3),
        good_stats_row(OPEN, codes["units"][1], codes["fields"][1], carried_over=2, paused=2),
    ]
    workbook = xlsx([headers(STATS), *rows])
    sentences = refusals()
    outcomes = set()

    @hypothesis_settings(FUZZ, max_examples=150)
    @given(damaged(workbook))
    def run(data):
        try:
            read_rows(data)
        except FileRefused as refusal:
            assert refusal.message in sentences
        isolated(lambda: check_upload(client, data, outcomes))

    run()
    # The damage reached both ends: files refused, and files still good enough to save.
    assert {"refused", "saved"} <= outcomes, outcomes


# ------------------------------------------------------------------------------------------ report form


form_value = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(
        [str(MAX_COUNT), str(MAX_COUNT + 1), str(10**30), "-1", "1.5", "1e3", "", " ", "１２", "٣"]
    ),
    text,
)


@st.composite
def report_post(draw, fields, version):
    data = {"action": draw(st.sampled_from(["save", "save", "submit"])), "report_version": str(version)}
    for field in draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True)):
        counts = draw(balanced_counts())
        for name in COUNT_FIELDS:
            data[f"field-{field}-{name}"] = draw(st.one_of(st.just(str(counts[name])), form_value))
    data["report-overdue_on_software"] = draw(st.one_of(st.just(""), form_value))
    return data


def test_random_report_forms_are_refused_or_saved_valid():
    services.open_year(2099)
    officer = make_user("fuzz.canbo", User.Role.COMMUNE_OFFICER, "11089")
    client = Client()
    client.force_login(officer)
    url = reverse("report", args=["11089", OPEN])
    fields = list(ProcedureField.objects.values_list("code", flat=True))
    outcomes = set()

    def check(data):
        before = figures_snapshot()
        response = client.post(url, data)
        assert response.status_code in (302, 400, 403, 409)
        if response.status_code == 302:
            outcomes.add("saved" if saved_valid(before) else "nothing to save")
        else:
            assert figures_snapshot() == before
            outcomes.add("refused")

    @FUZZ
    @given(st.data())
    def run(data):
        report = PeriodReport.objects.filter(
            unit__code="11089", period=Period.objects.get_by_code(OPEN)
        ).first()
        post = data.draw(report_post(fields, report.version if report else 0))
        isolated(lambda: check(post))

    run()
    assert {"saved", "refused"} <= outcomes, outcomes
