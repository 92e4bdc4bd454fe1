from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cchc.admin_filters import CheckedFiltersMixin

from . import scope
from .models import User

# The units' admin is registered with the indicators' (indicators/admin.py): its import and export, and its
# pickers of the units where figures are entered, belong to them.

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
