"""Workbooks to fill in (templates) and workbooks of saved figures (exports), both in the import's layout.

A template has a row for every unit the user may enter figures for and every procedure field or reform area,
with the saved values already in it; an export has the saved rows only, of every unit the user may read (of a
draft or returned report only where the user may write them).
"""

from collections import defaultdict

from communes.models import Unit, UnitLevel
from communes.scope import editable_units, visible_units
from communes.text import sort_key

from ..models import COUNT_FIELDS, AreaScore, DossierStats, FrameworkArea, ProcedureField, ReformArea
from ..selectors import readable_by
from . import spreadsheets
from .spreadsheets import SCORES, STATS

FILE_NAMES = {STATS: "ho-so-tthc", SCORES: "diem-cchc"}


def template_units(user, period, within=None):
    """Units whose figures `user` may enter and that existed during `period` (a province enters none)."""
    return _units(editable_units(user), period, within)


def export_units(user, period, within=None):
    return _units(visible_units(user), period, within)


def _units(scope, period, within):
    units = scope.existing_between(period.start, period.end).exclude(level=UnitLevel.PROVINCE)
    if within is not None:
        units = units.filter(pk__in=Unit.objects.subtree(within))
    return units


def tree_order(unit):
    # A district first, then its communes alphabetically, as the district's report lists them.
    group = unit.parent if unit.level == UnitLevel.COMMUNE and unit.parent else unit
    return sort_key(group.name), group.code, unit != group, sort_key(unit.name), unit.code


def workbook(user, period, kind, within=None, template=True):
    """(xlsx bytes, file name) of a template or an export for `period`, limited to `within`'s subtree."""
    scope = (template_units if template else export_units)(user, period, within)
    units = sorted(scope.select_related("parent"), key=tree_order)
    model = DossierStats if kind == STATS else AreaScore
    saved = {
        (row.unit_id, row.field_id if kind == STATS else row.area_id): row
        for row in readable_by(user, model.objects.filter(period=period, unit__in=scope))
    }
    rows = (_stats_rows if kind == STATS else _score_rows)(units, period, saved, template)
    content = spreadsheets.write_workbook(spreadsheets.LAYOUTS[kind], rows)
    name = "-".join(
        part
        for part in ["mau" if template else "", FILE_NAMES[kind], period.code, within.code if within else ""]
        if part
    )
    return content, f"{name}.xlsx"


def _common(unit, period):
    return {"period": period.code, "unit_code": unit.code, "unit_name": str(unit)}


def _stats_rows(units, period, saved, template):
    fields = list(ProcedureField.objects.all())
    for unit in units:
        for field in fields:
            row = saved.get((unit.pk, field.pk))
            if row is None and not template:
                continue
            counts = {name: getattr(row, name) for name in COUNT_FIELDS} if row else {}
            yield {**_common(unit, period), "field": field.code, "field_name": field.name, **counts}


def _score_rows(units, period, saved, template):
    areas = list(ReformArea.objects.all())
    maxima = defaultdict(dict)
    for level, area_id, max_points in FrameworkArea.objects.filter(framework__year=period.year).values_list(
        "framework__level", "area_id", "max_points"
    ):
        maxima[level][area_id] = max_points
    for unit in units:
        for area in areas:
            score = saved.get((unit.pk, area.pk))
            # Without a framework for the unit's level there is nothing to score against.
            if (score is None and not template) or (score is None and area.pk not in maxima[unit.level]):
                continue
            yield {
                **_common(unit, period),
                "area": area.number,
                "area_name": area.name,
                "max_points": score.max_points if score else maxima[unit.level][area.pk],
                "self_points": score.self_points if score else None,
                "appraised_points": score.appraised_points if score else None,
                "note": score.note if score else None,
            }
