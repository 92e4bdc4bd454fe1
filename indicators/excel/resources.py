"""The data administration's import and export buttons (django-import-export): reference data (units,
procedure fields, targets, province averages, frameworks' maxima and bands) and, one row per unit, period and
area or field, area scores and dossier statistics.

Files name units, periods, areas and fields by their codes, choices by their labels and numbers and dates the
Vietnamese way, as people write them; the widgets read those and say in words what they cannot. Every import
is previewed, then confirmed, in one transaction, within admin_exchange.MAX_IMPORT_ROWS rows.

Reference rows are written by the ORM, whose signals keep the stored totals in step. Figures go through the
report screen's and the Excel page's write path, services.save_reports_figures: scope, report locks,
versions, history and stored totals. The preview runs it too and rolls back, so it refuses what the
confirmation would refuse. The Excel page keeps its wide templates (units down, fields across) for the
quarterly data entry itself: see the README's architecture notes.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, results, widgets

from communes.models import Unit
from communes.scope import visible_units
from communes.text import fold

from .. import services, workflow
from ..formatting import format_number
from ..models import (
    COUNT_FIELDS,
    AreaScore,
    ClassificationBand,
    DossierStats,
    FrameworkArea,
    Period,
    ProcedureField,
    ProvinceAverage,
    ReformArea,
    ScoringFramework,
    Target,
)
from ..selectors import area_maxima
from .import_checks import no_such_area, no_such_field, no_such_period, no_such_unit
from .spreadsheet_cells import parse_code, parse_count, parse_points

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file, or the whole of its rows, is refused; the message says why and nothing is written."""


class ImportProblem(results.Error):
    """An error of an import as its user reads it: a refusal in its words (ours, or a widget's ValueError
    when a row's key cannot be read), anything else (a fault of ours) in one sentence, logged with its
    traceback, which the page never shows."""

    traceback = ""

    def __init__(self, error, row=None, number=None):
        if not isinstance(error, ImportRefused | ValueError):
            logger.error("Import failed", exc_info=error)
            error = ImportRefused(_("This row could not be read. Check it, or ask the administrator."))
        super().__init__(error, row, number)


class CodeWidget(widgets.ForeignKeyWidget):
    """A related object named by its code (a unit's, a field's, an area's number), or the Excel page's
    sentence saying that nothing has that code (`missing(code)`)."""

    def __init__(self, model, field, missing):
        super().__init__(model, field)
        self.missing = missing

    def clean(self, value, row=None, **kwargs):
        code = parse_code(value)
        if code is None:
            return None
        try:
            return super().clean(code, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(self.missing(code)) from None


class PeriodWidget(widgets.ForeignKeyWidget):
    """A reporting period by its code: 2026-Q3, 2023-H1, 2023-9M, 2023."""

    def __init__(self):
        super().__init__(Period)

    def clean(self, value, row=None, **kwargs):
        code = (parse_code(value) or "").upper()
        if not code:
            return None
        try:
            return Period.objects.get_by_code(code)
        except Period.DoesNotExist:
            raise ValueError(no_such_period(code)) from None

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice written as its label ("Cấp xã"), accents optional, or as its stored value ("commune")."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = fold(str(value or "")).strip()
        if not text:
            return ""
        for stored, label in self.choices:
            if text in (fold(stored), fold(str(label))):
                return stored
        labels = ", ".join(f"“{label}”" for _stored, label in self.choices)
        raise ValueError(_("“%(value)s” is not one of %(labels)s.") % {"value": value, "labels": labels})

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class NumberWidget(widgets.Widget):
    """Points, percentages or counts: 8,5 or 1.698 as typed here, or a number cell; a sentence otherwise.
    Years, ranks and positions (`places` None) are written without grouping: 2026, not 2.026."""

    def __init__(self, parse, places, blank=None):
        super().__init__()
        self.parse, self.places, self.blank = parse, places, blank

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            return self.blank  # an empty cell of a CSV file
        number = self.parse(value)  # CellError is a ValueError that says what is wrong
        return self.blank if number is None else number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return str(value) if self.places is None else format_number(value, self.places)


class DateWidget(widgets.DateWidget):
    """A date written as on every page (24/11/2026), or a date cell."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date like 24/11/2026.") % {"value": value}) from None


class BooleanWidget(widgets.Widget):
    YES, NO = {"co", "x", "1", "true", "yes"}, {"khong", "0", "false", "no", ""}

    def clean(self, value, row=None, **kwargs):
        text = fold(str(value if value is not None else "")).strip()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(_("Write “Có” or “Không”, not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return str(_("Yes") if value else _("No"))


UNIT_CODE = capfirst(gettext_lazy("unit code"))


def unit_field(attribute="unit", column_name=UNIT_CODE):
    widget = CodeWidget(Unit, "code", no_such_unit)
    return fields.Field(attribute=attribute, column_name=column_name, widget=widget)


def period_field():
    return fields.Field(
        attribute="period", column_name=capfirst(gettext_lazy("period")), widget=PeriodWidget()
    )


def area_field():
    widget = CodeWidget(ReformArea, "number", no_such_area)
    return fields.Field(attribute="area", column_name=capfirst(gettext_lazy("reform area")), widget=widget)


class ReferenceResource(resources.ModelResource):
    """What every import of the data administration shares. Its columns are named by the fields' names in the
    active language, its values read by the widgets above; its rows are written by the ORM's save()."""

    class Meta:
        clean_model_instances = True  # the model's own checks and constraints, with their messages
        skip_unchanged = True

    @classmethod
    def get_display_name(cls):
        return getattr(cls._meta, "name", None) or capfirst(cls._meta.model._meta.verbose_name_plural)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if django_field.choices:
            widget = ChoiceWidget(django_field.choices)
        elif isinstance(django_field, models.DecimalField):
            widget = NumberWidget(parse_points, 2)
        elif isinstance(django_field, models.PositiveSmallIntegerField):
            widget = NumberWidget(parse_count, None)
        elif isinstance(django_field, models.PositiveIntegerField):
            widget = NumberWidget(parse_count, 0, blank=django_field.default)
        elif isinstance(django_field, models.BooleanField):
            widget = BooleanWidget()
        elif isinstance(django_field, models.DateField):
            widget = DateWidget()
        else:
            widget = widgets.CharWidget(allow_blank=True)
        return fields.Field(
            attribute=field_name,
            column_name=capfirst(django_field.verbose_name),
            widget=widget,
            readonly=readonly,
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            # The preview names each error's column: as the file does, not by the model's attribute.
            columns = {field.attribute: str(field.column_name) for field in self.get_import_fields()}
            for field in instance._meta.concrete_fields:
                columns.setdefault(field.name, str(capfirst(field.verbose_name)))
            raise ValidationError(
                {columns.get(name, name): messages for name, messages in error.message_dict.items()}
            ) from error

    @classmethod
    def get_error_result_class(cls):
        return ImportProblem

    def before_import(self, dataset, **kwargs):
        self.user = kwargs["user"]
        columns = [str(self.fields[name].column_name) for name in self.get_import_id_fields()]
        missing = [column for column in columns if column not in (dataset.headers or ())]
        if missing:
            headers = dataset.headers
            dataset.wipe()  # no row is read: the refusal is the whole answer
            dataset.headers = headers
            raise ImportRefused(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        super().before_import(dataset, **kwargs)


class UnitResource(ReferenceResource):
    parent = unit_field("parent", capfirst(gettext_lazy("parent unit")))
    merged_into = unit_field("merged_into", capfirst(gettext_lazy("merged into")))

    class Meta(ReferenceResource.Meta):
        model = Unit
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "level", "parent", "valid_from", "valid_until", "merged_into"]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # The admin reaches only the user's subtree: an import may not attach a unit anywhere else.
        reachable = visible_units(self.user)
        for related in (instance.parent, instance.merged_into):
            if related is not None and not reachable.filter(pk=related.pk).exists():
                raise ValidationError(_("The unit %(code)s is outside your scope.") % {"code": related.code})


class ProcedureFieldResource(ReferenceResource):
    class Meta(ReferenceResource.Meta):
        model = ProcedureField
        import_id_fields = ["code"]
        fields = ["code", "name", "position"]


class TargetResource(ReferenceResource):
    class Meta(ReferenceResource.Meta):
        model = Target
        import_id_fields = ["year", "level", "metric"]
        fields = ["year", "level", "metric", "min_percent", "source"]


class ProvinceAverageResource(ReferenceResource):
    period = period_field()

    class Meta(ReferenceResource.Meta):
        model = ProvinceAverage
        import_id_fields = ["period", "level", "metric"]
        fields = ["period", "level", "metric", "percent"]


class InFrameworkResource(ReferenceResource):
    """Rows of a year's framework for a level, named by that year and level; a framework not there yet is
    created with its first row."""

    year = fields.Field(
        attribute="framework__year",
        column_name=capfirst(gettext_lazy("year")),
        widget=NumberWidget(parse_count, None),
    )
    level = fields.Field(
        attribute="framework__level",
        column_name=capfirst(gettext_lazy("level")),
        widget=ChoiceWidget(ScoringFramework._meta.get_field("level").choices),
    )

    def import_instance(self, instance, row, **kwargs):
        if instance.framework_id is None:
            year = self.fields["year"].clean(row)
            level = self.fields["level"].clean(row)
            if year and level:
                instance.framework, _new = ScoringFramework.objects.get_or_create(year=year, level=level)
        super().import_instance(instance, row, **kwargs)


class FrameworkAreaResource(InFrameworkResource):
    area = area_field()

    class Meta(ReferenceResource.Meta):
        model = FrameworkArea
        name = gettext_lazy("Maximum points of each area")
        import_id_fields = ["year", "level", "area"]
        fields = ["year", "level", "area", "max_points"]


class ClassificationBandResource(InFrameworkResource):
    class Meta(ReferenceResource.Meta):
        model = ClassificationBand
        name = gettext_lazy("Classification bands")
        import_id_fields = ["year", "level", "rank"]
        fields = ["year", "level", "rank", "label", "min_percent", "min_inclusive"]


class FiguresResource(ReferenceResource):
    """A unit's figures for a period, one row per area or field; written as one change per report through
    services.save_reports_figures once every row has been read and found valid."""

    unit = unit_field()
    unit_name = fields.Field(
        attribute="unit__name", column_name=capfirst(gettext_lazy("unit")), readonly=True
    )
    period = period_field()

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.reports = {}
        self.pending = defaultdict(list)

    def report(self, instance):
        key = (instance.unit_id, instance.period_id)
        if key not in self.reports:
            report = services.report_for(instance.unit, instance.period)
            self.reports[key] = (report, workflow.why_cannot_edit(self.user, report))
        return self.reports[key]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.unit_id is None or instance.period_id is None:
            return  # names no report: the model's validation says which cell is empty
        _report, reason = self.report(instance)
        if reason:
            raise ValidationError(reason)

    def do_instance_save(self, instance, is_create):
        self.pending[(instance.unit_id, instance.period_id)].append(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors() or not self.pending:
            return
        changes = [(self.reports[key][0], None, *self.split(rows)) for key, rows in self.pending.items()]
        try:
            services.save_reports_figures(self.user, changes)
        except (PermissionDenied, services.StaleData) as error:
            raise ImportRefused(str(error)) from error
        except ValidationError as error:
            raise ImportRefused(" ".join(error.messages)) from error


class AreaScoreResource(FiguresResource):
    area = area_field()

    class Meta(ReferenceResource.Meta):
        model = AreaScore
        import_id_fields = ["unit", "period", "area"]
        fields = ["unit", "unit_name", "period", "area", "self_points", "appraised_points", "note"]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.maxima = {}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None:
            # The framework's maximum, copied into the score as the report screen does; it bounds the points.
            key = (instance.unit.level, instance.period.year)
            if key not in self.maxima:
                self.maxima[key] = area_maxima(instance.unit, instance.period)
            if instance.area_id not in self.maxima[key]:
                message = _("The %(year)s framework has no maximum for this area at the unit's level.")
                raise ValidationError(message % {"year": instance.period.year})
            instance.max_points = self.maxima[key][instance.area_id]

    @staticmethod
    def split(rows):
        return rows, ()


class DossierStatsResource(FiguresResource):
    field = fields.Field(
        attribute="field",
        column_name=capfirst(gettext_lazy("procedure field code")),
        widget=CodeWidget(ProcedureField, "code", no_such_field),
    )

    class Meta(ReferenceResource.Meta):
        model = DossierStats
        import_id_fields = ["unit", "period", "field"]
        fields = ["unit", "unit_name", "period", "field", *COUNT_FIELDS]

    @staticmethod
    def split(rows):
        return (), rows
