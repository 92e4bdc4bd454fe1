"""Row by row checks of an uploaded workbook; lookups are loaded once, so no check costs a query per row."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from communes.models import Unit
from communes.scope import editable_units
from communes.text import fold

from .. import workflow
from ..formatting import NO_DATA, format_number
from ..models import (
    COUNT_FIELDS,
    AreaScore,
    DossierStats,
    FrameworkArea,
    Period,
    PeriodReport,
    ProcedureField,
    ReformArea,
)
from .import_plan import CHANGED, NEW, UNCHANGED, Change, Plan, PlannedRow, Problem
from .spreadsheet_cells import CellError, parse_code, parse_count, parse_points, parse_text, show

MAX_PROBLEMS_LISTED = 500


# What nothing answers to, said the same way here and by the data administration's imports (resources.py),
# in the language of the moment.
def no_such_period(code):
    return _("There is no reporting period “%(code)s”.") % {"code": code}


def no_such_unit(code):
    return _("There is no unit with the code “%(code)s”.") % {"code": code}


def no_such_field(code):
    return _("There is no procedure field “%(code)s”.") % {"code": code}


def no_such_area(number):
    return _("There is no reform area “%(area)s”.") % {"area": number}


class _Checker:
    """Checks the rows of one layout; all lookups are loaded once, so checking costs no query per row."""

    subject_column = None

    def __init__(self, user, layout, indexes):
        self.user = user
        self.layout = layout
        self.indexes = indexes
        self.plan = Plan(kind=layout.kind)
        self.district_staff = workflow.is_district_staff(user)

    def cell(self, cells, key):
        index = self.indexes.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    def problem(self, number, key, message):
        # A file of 20,000 bad rows would otherwise make a page of hundreds of thousands of lines.
        if len(self.plan.problems) >= MAX_PROBLEMS_LISTED:
            self.plan.omitted_problems += 1
            return
        column = self.layout.column(key).header if key else ""
        self.plan.problems.append(Problem(number, column, message))

    def run(self, body):
        self._load(body)
        first_seen = {}
        for number, cells in body:
            self._check_row(number, cells, first_seen)
        self._check_locks()
        self.plan.problems.sort(key=lambda problem: problem.row or 0)
        return self.plan

    def _load(self, body):
        codes = {parse_code(self.cell(cells, "unit_code")) for _number, cells in body} - {None}
        # A code typed into a number cell loses its leading zeros (00001 -> 1).
        candidates = codes | {"0" * pad + code for code in codes if code.isdigit() for pad in range(1, 5)}
        units = list(Unit.objects.filter(code__in=candidates))
        self.units = {unit.code: unit for unit in units}
        self.editable = set(
            editable_units(self.user).filter(pk__in=[unit.pk for unit in units]).values_list("pk", flat=True)
        )
        self.periods = {period.code: period for period in Period.objects.all()}
        period_codes = {parse_code(self.cell(cells, "period")) for _number, cells in body}
        periods = [self.periods.get(code.upper()) for code in period_codes if code]
        # Only rows the user may change are read: the preview must not reveal anybody else's figures.
        wanted = {"unit__in": self.editable, "period__in": [period for period in periods if period]}
        self.existing = {
            (row.unit_id, row.period_id, self._subject_id(row)): row
            for row in self.model.objects.filter(**wanted)
        }
        self.reports = {
            (report.unit_id, report.period_id): report
            for report in PeriodReport.objects.filter(**wanted).select_related("unit", "period")
        }

    def _check_row(self, number, cells, first_seen):
        period = self._period(number, cells)
        unit = self._unit(number, cells, period)
        subject = self._subject(number, cells)
        values = self._values(number, cells)
        if None in (period, unit, subject, values):
            return
        key = (unit.pk, period.pk, subject.pk)
        if key in first_seen:
            message = self.duplicate_message % {"first": first_seen[key]}
            self.problem(number, self.subject_column, message)
            return
        first_seen[key] = number
        self._plan_row(number, unit, period, subject, self.existing.get(key), values)

    def _period(self, number, cells):
        code = parse_code(self.cell(cells, "period"))
        if code is None:
            self.problem(number, "period", _("The reporting period is missing."))
            return None
        period = self.periods.get(code.upper())
        if period is None:
            self.problem(number, "period", no_such_period(show(code)))
        return period

    def _unit(self, number, cells, period):
        code = parse_code(self.cell(cells, "unit_code"))
        if code is None:
            self.problem(number, "unit_code", _("The unit code is missing."))
            return None
        unit = self.units.get(code)
        if unit is None and code.isdigit():
            padded = [self.units[c] for c in ("0" * pad + code for pad in range(1, 5)) if c in self.units]
            unit = padded[0] if len(padded) == 1 else None
        if unit is None:
            self.problem(number, "unit_code", no_such_unit(show(code)))
        elif unit.pk not in self.editable:
            message = _("%(unit)s (code %(code)s) is outside your scope: you cannot enter its figures.")
            self.problem(number, "unit_code", message % {"unit": unit, "code": unit.code})
            unit = None
        elif period and not unit.existed_between(period.start, period.end):
            message = _("%(unit)s did not exist during %(period)s.")
            self.problem(number, "unit_code", message % {"unit": unit, "period": period.label})
            unit = None
        return unit

    def _values(self, number, cells):
        values, valid = {}, True
        for key, parse in self.value_parsers.items():
            try:
                values[key] = parse(self.cell(cells, key))
            except CellError as error:
                self.problem(number, key, error.message)
                valid = False
        return values if valid else None

    def _model_errors(self, number, candidate):
        try:
            candidate.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                key = name if name in self.indexes else None
                for message in messages:
                    self.problem(number, key, message)
            return True
        return False

    def _add(self, number, unit, period, subject, record, values, changes):
        status = NEW if record is None else CHANGED if changes else UNCHANGED
        self.plan.rows.append(PlannedRow(number, unit, period, subject, record, values, status, changes))
        key = (unit.pk, period.pk)
        if key not in self.plan.reports:
            self.plan.reports[key] = self.reports.get(key) or PeriodReport(unit=unit, period=period)

    def _check_locks(self):
        for key, rows in self.plan.changing_groups().items():
            # Rows that change nothing may sit in a locked report: a district's template holds every unit.
            reason = workflow.why_cannot_edit(self.user, self.plan.reports[key], editable=self.editable)
            for row in rows if reason else ():
                self.problem(row.number, "period", reason)


class StatsChecker(_Checker):
    model = DossierStats
    subject_column = "field"
    value_parsers = {name: parse_count for name in COUNT_FIELDS}

    @property
    def duplicate_message(self):
        return _("This unit and procedure field already appear in row %(first)s.")

    def _load(self, body):
        super()._load(body)
        self.fields = list(ProcedureField.objects.all())
        # Each is the same for thousands of rows: worked out once, not per changed cell.
        self.headers = {name: self.layout.column(name).header for name in COUNT_FIELDS}
        self.formatted = {}

    def _count(self, value):
        if value not in self.formatted:
            self.formatted[value] = format_number(value)
        return self.formatted[value]

    @staticmethod
    def _subject_id(row):
        return row.field_id

    def _subject(self, number, cells):
        value = parse_code(self.cell(cells, "field"))
        if value is None:
            self.problem(number, "field", _("The procedure field code is missing."))
            return None
        wanted = fold(value)
        for procedure_field in self.fields:
            if wanted in (fold(procedure_field.code), fold(procedure_field.name)):
                return procedure_field
        self.problem(number, "field", no_such_field(show(value)))
        return None

    def _plan_row(self, number, unit, period, procedure_field, record, values):
        # An empty cell means no dossier of that kind; a new row of nothing but zeros is not worth a row,
        # as on the report screen.
        new = {name: value or 0 for name, value in values.items()}
        if record is None and not any(new.values()):
            self.plan.empty_rows += 1
            return
        if self._model_errors(number, DossierStats(**new)):
            return
        changes = [
            Change(
                self.headers[name],
                self._count(getattr(record, name)) if record else NO_DATA,
                self._count(new[name]),
            )
            for name in COUNT_FIELDS
            if (record is None and new[name]) or (record and getattr(record, name) != new[name])
        ]
        self._add(number, unit, period, procedure_field, record, new, changes)


class ScoresChecker(_Checker):
    model = AreaScore
    subject_column = "area"
    value_parsers = {
        "self_points": parse_points,
        "appraised_points": parse_points,
        "note": parse_text,
    }

    @property
    def duplicate_message(self):
        return _("This unit and reform area already appear in row %(first)s.")

    def _load(self, body):
        super()._load(body)
        self.areas = list(ReformArea.objects.all())
        years = {period.year for period in self.periods.values()}
        self.maxima = defaultdict(dict)
        for year, level, area_id, max_points in FrameworkArea.objects.filter(
            framework__year__in=years
        ).values_list("framework__year", "framework__level", "area_id", "max_points"):
            self.maxima[year, level][area_id] = max_points

    @staticmethod
    def _subject_id(row):
        return row.area_id

    def _subject(self, number, cells):
        value = self.cell(cells, "area")
        if value is None:
            self.problem(number, "area", _("The reform area number is missing."))
            return None
        text = parse_code(value).rstrip(".")
        for area in self.areas:
            if text == str(area.number) or fold(text) in (fold(area.name), fold(area.short_name)):
                return area
        self.problem(number, "area", no_such_area(show(value)))
        return None

    def _plan_row(self, number, unit, period, area, record, values):
        if record is None and values["self_points"] is None and values["appraised_points"] is None:
            if not values["note"]:
                self.plan.empty_rows += 1
                return
        max_points = record.max_points if record else self.maxima[period.year, unit.level].get(area.pk)
        if max_points is None:
            message = _("No scoring framework is defined for this year and level of unit.")
            self.problem(number, "area", message)
            return
        if values["self_points"] is None:
            self.problem(number, "self_points", _("Enter the self-assessed points."))
            return
        if self._model_errors(number, AreaScore(max_points=max_points, **values)):
            return
        changed = [name for name in values if record is None or getattr(record, name) != values[name]]
        appraised = record.appraised_points if record else None
        if values["appraised_points"] != appraised and not self.district_staff:
            self.problem(number, "appraised_points", _("Only the Home Affairs Office can appraise scores."))
            return
        changes = [
            Change(
                self.layout.column(name).header,
                _show_score_value(getattr(record, name)) if record else NO_DATA,
                _show_score_value(values[name]),
            )
            for name in changed
            if record or values[name] not in (None, "")
        ]
        self._add(number, unit, period, area, record, values, changes)


def _show_score_value(value):
    if value is None or value == "":
        return NO_DATA
    if isinstance(value, str):
        return show(value)
    return format_number(value, 2)
