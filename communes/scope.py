"""Who may see and change what.

A user's scope is their unit's subtree; their role says what they may do inside it. Model permissions
come from the role (RoleBackend), so the admin, django-import-export and our own views ask the same
question with user.has_perm(); which rows a user reaches comes from visible_units() and editable_units().
"May this user do this to this unit" has one answer, may() / why_not() / unit_for_user(), from the roles'
CAPABILITIES: every view, the admin, the imports, the downloads and the templates ask it.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from .models import Unit, User

VIEW = {"view"}
ENTER = {"view", "add", "change"}
MANAGE = {"view", "add", "change", "delete"}
FIGURES = ["indicators.areascore", "indicators.dossierstats"]
REFERENCE = [
    "communes.unit",
    "indicators.reformarea",
    "indicators.procedurefield",
    "indicators.scoringframework",
    "indicators.frameworkarea",
    "indicators.classificationband",
    "indicators.period",
    "indicators.target",
    "indicators.provinceaverage",
]

ROLE_PERMISSIONS = {
    User.Role.DISTRICT_STAFF: {
        **{model: VIEW for model in REFERENCE},
        **{model: MANAGE for model in FIGURES},
        "indicators.periodreport": {"view", "change"},
    },
    User.Role.COMMUNE_OFFICER: {
        **{model: VIEW for model in REFERENCE},
        **{model: ENTER for model in FIGURES},
        "indicators.periodreport": VIEW,
    },
    User.Role.LEADER: {model: VIEW for model in [*REFERENCE, *FIGURES, "indicators.periodreport"]},
}


def is_administrator(user):
    return user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)


class RoleBackend:
    """Grants model permissions by role; authentication itself stays with Django's ModelBackend."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        if not user.is_active or user.is_anonymous:
            return False
        if is_administrator(user):
            return True
        model, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        return action in ROLE_PERMISSIONS.get(user.role, {}).get(f"{model}.{model_name}", set())

    def has_module_perms(self, user, app_label):
        if not user.is_active or user.is_anonymous:
            return False
        return is_administrator(user) or any(
            model.startswith(f"{app_label}.") for model in ROLE_PERMISSIONS.get(user.role, {})
        )


def visible_units(user):
    """Units whose figures the user may read."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if is_administrator(user):
        return Unit.objects.all()
    return Unit.objects.subtree(user.unit)


def editable_units(user):
    """Units whose figures the user may enter or change (locks of a period's report come on top)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if is_administrator(user):
        return Unit.objects.all()
    if user.role == User.Role.DISTRICT_STAFF:
        return Unit.objects.subtree(user.unit)
    if user.role == User.Role.COMMUNE_OFFICER:
        return Unit.objects.filter(pk=user.unit_id)
    return Unit.objects.none()


# What each role may do to the units of its scope: the one table the views, the admin, the imports, the
# downloads and the templates ask, through may(), why_not() and unit_for_user().
READ = "read"  # open a unit's pages and read its published figures
ENTER = "enter"  # enter and change its figures, submit its report
APPRAISE = "appraise"  # approve, return and reopen its reports
REPORT = "report"  # download its period report (Word)
DASHBOARDS = "dashboards"  # every dashboard, not only the ranking and the officer's own commune
CAPABILITIES = {
    User.Role.ADMINISTRATOR: {READ, ENTER, APPRAISE, REPORT, DASHBOARDS},
    User.Role.DISTRICT_STAFF: {READ, ENTER, APPRAISE, REPORT, DASHBOARDS},
    User.Role.LEADER: {READ, REPORT, DASHBOARDS},
    User.Role.COMMUNE_OFFICER: {READ, ENTER},
}
OUTSIDE = gettext_lazy("This unit is outside your scope.")
REFUSED = {
    ENTER: gettext_lazy("You cannot change the figures of this unit."),
    APPRAISE: gettext_lazy("Only the Home Affairs Office can approve, return or reopen reports."),
    REPORT: gettext_lazy(
        "Only the Home Affairs Office, leaders and administrators can download the period report."
    ),
    DASHBOARDS: gettext_lazy("Commune officers see the ranking and their own commune's profile."),
}
# The units an action reaches: those the user reads, or those whose figures the user writes.
_REACH = {
    READ: visible_units,
    REPORT: visible_units,
    DASHBOARDS: visible_units,
    ENTER: editable_units,
    APPRAISE: editable_units,
}


def can(user, action):
    """Whether the user's role allows `action` at all, whatever the unit."""
    if not user.is_authenticated or not user.is_active:
        return False
    role = User.Role.ADMINISTRATOR if is_administrator(user) else user.role
    return action in CAPABILITIES.get(role, set())


def units_where(user, action):
    """The units on which `user` may do `action`."""
    return _REACH[action](user) if can(user, action) else Unit.objects.none()


def why_not(user, action, unit):
    """Why `user` may not do `action` to `unit` (a Unit or its id; a sentence for the user), or None when they
    may."""
    if not can(user, action):
        return str(REFUSED.get(action, OUTSIDE))
    if getattr(unit, "pk", unit) == user.unit_id:
        return None  # every role's reach holds the user's own unit
    if not units_where(user, action).filter(pk=getattr(unit, "pk", unit)).exists():
        return str(REFUSED[ENTER] if action in (ENTER, APPRAISE) else OUTSIDE)
    return None


def may(user, action, unit):
    return why_not(user, action, unit) is None


def unit_for_user(user, code, action=READ):
    """The unit of `code` if `user` may do `action` to it: 404 when there is no such unit, 403 when they may
    not (healthchecks' _get_check_for_user)."""
    unit = get_object_or_404(Unit, code=code)
    reason = why_not(user, action, unit)
    if reason:
        raise PermissionDenied(reason)
    return unit
