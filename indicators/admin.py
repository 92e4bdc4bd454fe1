from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cchc.admin_filters import CheckedFiltersMixin
from communes import scope
from communes.models import Unit
from communes.scope import editable_units, visible_units

from . import services, workflow
from .admin_forms import AreaScoreAdminForm, FiguresAdminForm, ReportAdminForm
from .excel import resources
from .excel.admin_exchange import ImportExport
from .forms import CountField, PointsField
from .models import (
    AreaScore,
    ClassificationBand,
    DossierStats,
    FrameworkArea,
    Period,
    PeriodReport,
    ProcedureField,
    ProvinceAverage,
    ReformArea,
    ScoringFramework,
    Target,
)
from .selectors import readable_by


class VietnameseNumbers:
    """Points, percentages and counts typed and shown as on the report screen (8,5; 1.698), never in the
    browser's number input, which shows 7.50 and refuses a decimal comma."""

    formfield_overrides = {
        models.DecimalField: {"form_class": PointsField},
        models.PositiveIntegerField: {"form_class": CountField},
    }


# The admin's unit pickers that choose where figures are entered: they offer only units the user may enter.
FIGURE_UNIT_PICKERS = {("indicators", "areascore", "unit"), ("indicators", "dossierstats", "unit")}


@admin.register(Unit)
class UnitAdmin(ImportExport, CheckedFiltersMixin, admin.ModelAdmin):
    resource_classes = [resources.UnitResource]
    export_related = ["parent", "merged_into"]
    list_display = ["code", "name", "kind", "level", "parent", "valid_from", "valid_until", "merged_into"]
    list_filter = ["level", "kind"]
    search_fields = ["name", "code"]
    search_help_text = _("Search by name or code; accents are optional (“tien dong” finds Tiên Động).")
    list_select_related = ["parent", "merged_into"]
    autocomplete_fields = ["parent", "merged_into"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(pk__in=visible_units(request.user))

    def get_search_results(self, request, queryset, search_term):
        picker = tuple(request.GET.get(name) for name in ("app_label", "model_name", "field_name"))
        if picker in FIGURE_UNIT_PICKERS:
            queryset = queryset.filter(pk__in=editable_units(request.user))
        # Django's own search is accent-sensitive; ours matches Vietnamese names typed without diacritics.
        return queryset.search(search_term), False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("parent", "merged_into"):
            kwargs["queryset"] = visible_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReformArea)
class ReformAreaAdmin(CheckedFiltersMixin, admin.ModelAdmin):
    list_display = ["number", "name", "short_name"]


@admin.register(ProcedureField)
class ProcedureFieldAdmin(ImportExport, CheckedFiltersMixin, admin.ModelAdmin):
    resource_classes = [resources.ProcedureFieldResource]
    list_display = ["name", "code", "position"]


class FrameworkAreaInline(VietnameseNumbers, admin.TabularInline):
    model = FrameworkArea
    extra = 0


class ClassificationBandInline(VietnameseNumbers, admin.TabularInline):
    model = ClassificationBand
    extra = 0


@admin.register(ScoringFramework)
class ScoringFrameworkAdmin(ImportExport, CheckedFiltersMixin, admin.ModelAdmin):
    list_display = ["year", "level", "note"]
    list_filter = ["level"]
    inlines = [FrameworkAreaInline, ClassificationBandInline]
    # A framework is its areas' maxima and its bands: the files hold those, one row each.
    resource_classes = [resources.FrameworkAreaResource, resources.ClassificationBandResource]
    skip_admin_log = True  # the rows are not frameworks: the admin's log would link them to the wrong ones

    def get_data_for_export(self, request, queryset, **kwargs):
        # The files hold the frameworks' rows (maxima or bands), fetched with what they name in one query.
        model = self.choose_export_resource_class(kwargs.get("export_form"), request)._meta.model
        related = [field.name for field in model._meta.concrete_fields if field.is_relation]
        rows = model.objects.filter(framework__in=queryset).select_related(*related)
        return super().get_data_for_export(request, rows, **kwargs)


@admin.register(Period)
class PeriodAdmin(CheckedFiltersMixin, admin.ModelAdmin):
    list_display = ["label", "code", "start", "end", "deadline"]
    list_filter = ["kind", "year"]


class UnitScopedAdmin(VietnameseNumbers, CheckedFiltersMixin, SimpleHistoryAdmin):
    """Rows of the units in the user's scope, changeable only while their report is open to the user.

    The same rules as the report screen (communes.scope, workflow.why_cannot_read_figures and why_cannot_edit)
    hold for the lists, the forms, history and revert, and for URLs typed by hand.
    """

    search_fields = ["unit__name", "unit__code"]

    def get_queryset(self, request):
        rows = super().get_queryset(request).filter(unit__in=visible_units(request.user))
        return readable_by(request.user, rows)

    def report_of(self, obj):
        return services.report_for(obj.unit, obj.period)

    def _remembered(self, request, key, compute):
        # Django asks the same permission several times per page; each answer costs queries.
        answers = request.__dict__.setdefault("_scoped_admin_answers", {})
        if key not in answers:
            answers[key] = compute()
        return answers[key]

    def why_locked(self, request, obj):
        key = ("locked", obj._meta.label, obj.unit_id, obj.period_id)
        return self._remembered(
            request, key, lambda: workflow.why_cannot_edit(request.user, self.report_of(obj))
        )

    def _in_scope(self, request, obj):
        key = ("readable", obj.unit_id, obj.period_id)
        return self._remembered(
            request,
            key,
            lambda: (
                scope.may(request.user, scope.READ, obj.unit_id)
                and workflow.why_cannot_read_figures(request.user, self.report_of(obj)) is None
            ),
        )

    def has_view_permission(self, request, obj=None):
        # The history page of a deleted row is reached by id, not through get_queryset().
        return super().has_view_permission(request, obj) and (obj is None or self._in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.why_locked(request, obj) is None
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.why_locked(request, obj) is None
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user  # a new class for every call: nothing is shared between requests
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleData as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history saves a revert without asking whether the user may change the row.
        live = self.get_queryset(request).filter(pk=object_id).first() if object_id.isdigit() else None
        if live is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, live):
            raise PermissionDenied
        try:
            return super().history_form_view(request, object_id, version_id, extra_context)
        except services.StaleData as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class FiguresAdmin(ImportExport, UnitScopedAdmin):
    """Area scores and dossier statistics; every save goes through services.save_figures, every import
    through services.save_reports_figures (excel.resources.FiguresResource)."""

    form = FiguresAdminForm
    subject = None  # "field" or "area": with unit and period, what the row is about
    figures = None  # save_figures' argument: "stats" or "scores"
    autocomplete_fields = ["unit"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and editable_units(request.user).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = editable_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Moving a row to another unit or period would escape the checks made on the one it is in.
            fields += ["unit", "period", self.subject]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.version_seen()
        services.save_figures(request.user, self.report_of(obj), **{self.figures: [obj]})


@admin.register(AreaScore)
class AreaScoreAdmin(FiguresAdmin):
    form = AreaScoreAdminForm
    subject = "area"
    figures = "scores"
    list_display = ["unit", "period", "area", "self_points", "appraised_points", "max_points"]
    list_filter = ["period", "area"]
    list_select_related = ["unit", "period", "area"]
    resource_classes = [resources.AreaScoreResource]
    export_related = ["unit", "period", "area"]

    def get_readonly_fields(self, request, obj=None):
        # The maximum is copied from the year's framework; appraising is the Home Affairs Office's.
        fields = [*super().get_readonly_fields(request, obj), "max_points"]
        if not workflow.is_district_staff(request.user):
            fields.append("appraised_points")
        return fields


@admin.register(DossierStats)
class DossierStatsAdmin(FiguresAdmin):
    subject = "field"
    figures = "stats"
    list_display = ["unit", "period", "field", "received", "resolved_on_time", "resolved_overdue", "online"]
    list_filter = ["period", "field"]
    list_select_related = ["unit", "period", "field"]
    resource_classes = [resources.DossierStatsResource]
    export_related = ["unit", "period", "field"]


@admin.register(PeriodReport)
class PeriodReportAdmin(UnitScopedAdmin):
    """Reports move through their workflow on the report screen; here only their own figure is edited."""

    form = ReportAdminForm
    list_display = ["unit", "period", "status", "submitted_at", "decided_at"]
    list_filter = ["period", "status"]
    list_select_related = ["unit", "period"]
    readonly_fields = [
        "unit",
        "period",
        "status",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "return_reason",
        "reopened_at",
        "reopened_by",
    ]

    def report_of(self, obj):
        return obj

    def has_add_permission(self, request):
        return False  # a report comes to life with its first figures

    def revert_disabled(self, request, obj=None):
        return True  # a revert would restore an old status, bypassing the workflow

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        services.save_figures(request.user, obj, report_version=form.version_seen())


@admin.register(Target)
class TargetAdmin(ImportExport, VietnameseNumbers, CheckedFiltersMixin, admin.ModelAdmin):
    resource_classes = [resources.TargetResource]
    list_display = ["year", "level", "metric", "min_percent", "source"]
    list_filter = ["year", "level"]


@admin.register(ProvinceAverage)
class ProvinceAverageAdmin(ImportExport, VietnameseNumbers, CheckedFiltersMixin, admin.ModelAdmin):
    resource_classes = [resources.ProvinceAverageResource]
    export_related = ["period"]
    list_display = ["period", "level", "metric", "percent"]
    list_filter = ["period", "level"]
