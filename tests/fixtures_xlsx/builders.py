"""Workbooks for the import and export tests, built in memory: templates as users get them, then edited."""

import io

import openpyxl

from communes.models import Unit, User
from indicators.excel import exports
from indicators.excel.spreadsheets import LAYOUTS, SCORES, STATS
from indicators.models import COUNT_FIELDS, AreaScore, DossierStats, Period, PeriodReport


def make_user(username, role, unit_code=None, **extra):
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    return User.objects.create_user(username, password="x", role=role, unit=unit, is_staff=True, **extra)


def headers(kind=STATS):
    return [column.header for column in LAYOUTS[kind].columns]


def column_index(kind, key):
    return [column.key for column in LAYOUTS[kind].columns].index(key)


def xlsx(rows):
    """An xlsx file whose first sheet holds `rows` (lists of cell values) from A1 on."""
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def read(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def template(user, period_code, kind=STATS, within=None, saved_only=False):
    period = Period.objects.get_by_code(period_code)
    unit = Unit.objects.get(code=within) if within else None
    return exports.workbook(user, period, kind, within=unit, template=not saved_only)[0]


def stats_row(period_code, unit_code, field_code, **counts):
    """A statistics row in the template's layout; counts not given are 0 and on-time balances the row."""
    values = {name: 0 for name in COUNT_FIELDS} | counts
    if "resolved_on_time" not in counts:
        outgoing = ["resolved_overdue", "pending", "paused", "returned", "cancelled"]
        values["resolved_on_time"] = (
            values["carried_over"] + values["received"] - sum(values[name] for name in outgoing)
        )
    named = {"period": period_code, "unit_code": unit_code, "unit_name": "", "field": field_code}
    return [named.get(column.key, values.get(column.key)) for column in LAYOUTS[STATS].columns]


def score_row(period_code, unit_code, area, self_points, appraised_points=None, note=None):
    named = {
        "period": period_code,
        "unit_code": unit_code,
        "area": area,
        "self_points": self_points,
        "appraised_points": appraised_points,
        "note": note,
    }
    return [named.get(column.key) for column in LAYOUTS[SCORES].columns]


def figures_snapshot():
    """Every saved figure, row version and report version: unchanged means that nothing was written."""
    return (
        sorted(DossierStats.objects.values_list("unit", "period", "field", "version", *COUNT_FIELDS)),
        sorted(
            AreaScore.objects.values_list(
                "unit", "period", "area", "version", "max_points", "self_points", "appraised_points", "note"
            )
        ),
        sorted(PeriodReport.objects.values_list("unit", "period", "status", "version")),
        DossierStats.history.count() + AreaScore.history.count() + PeriodReport.history.count(),
    )
