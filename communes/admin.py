from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc.admin_filters import CheckedFiltersMixin
from indicators.excel.admin_exchange import ImportExport
from indicators.excel.resources import UnitResource

from . import scope
from .models import Unit, User
from .scope import editable_units, visible_units

# The admin's unit pickers that choose where figures are entered: they offer only units the user may enter.
FIGURE_UNIT_PICKERS = {("indicators", "areascore", "unit"), ("indicators", "dossierstats", "unit")}


@admin.register(Unit)
class UnitAdmin(ImportExport, CheckedFiltersMixin, admin.ModelAdmin):
    resource_classes = [UnitResource]
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


@admin.register(User)
class UserAdmin(CheckedFiltersMixin, DjangoUserAdmin):
    """Accounts, roles and scopes: administrators only, whatever permissions a group may grant."""

    list_display = ["username", "first_name", "role", "unit", "active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Scope"), {"fields": ["role", "unit"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Scope"), {"fields": ["role", "unit"]}),)

    # In words: Django's tick icon is named "True" or "False" in English for screen readers.
    @admin.display(description=_("active"), ordering="is_active")
    def active(self, user):
        return _("Yes") if user.is_active else _("No")

    def has_module_permission(self, request):
        return scope.can(request.user, scope.ADMINISTER)

    def has_view_permission(self, request, obj=None):
        return scope.can(request.user, scope.ADMINISTER)

    def has_add_permission(self, request):
        return scope.can(request.user, scope.ADMINISTER)

    def has_change_permission(self, request, obj=None):
        return scope.can(request.user, scope.ADMINISTER)

    def has_delete_permission(self, request, obj=None):
        return scope.can(request.user, scope.ADMINISTER)
