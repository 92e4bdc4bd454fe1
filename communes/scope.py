"""Who may see and change what.

A user's scope is their unit's subtree; their role's CAPABILITIES say what they may do inside it, the one
table: "may this user do this (to this unit)" is answered by can(), may(), why_not() and unit_for_user(),
which every view, the admin, the imports, the downloads and the templates ask. The model permissions that
the admin and django-import-export ask through user.has_perm() are derived from it (ROLE_PERMISSIONS, by
RoleBackend). Which rows a user reaches comes from visible_units() and editable_units(); where their pages
start, from home_unit().
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from .models import Unit, UnitLevel, User

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

# What each role may do to the units of its scope: the one table the views, the admin, the imports, the
# downloads and the templates ask, through can(), may(), why_not() and unit_for_user(). Each view declares
# the capability it needs.
READ = "read"  # open a unit's pages and read its published figures; export them
ENTER = "enter"  # enter and change its figures (forms, Excel, the data administration), submit its report
APPRAISE = "appraise"  # approve, return and reopen its reports; delete its figures
REPORT = "report"  # download its period report (Word)
DASHBOARDS = "dashboards"  # every dashboard, not only the ranking and the officer's own commune
ADMINISTER = "administer"  # accounts, and reference data written (units, fields, frameworks, targets)
CAPABILITIES = {
    User.Role.ADMINISTRATOR: {READ, ENTER, APPRAISE, REPORT, DASHBOARDS, ADMINISTER},
    User.Role.DISTRICT_STAFF: {READ, ENTER, APPRAISE, REPORT, DASHBOARDS},
    User.Role.LEADER: {READ, REPORT, DASHBOARDS},
    User.Role.COMMUNE_OFFICER: {READ, ENTER},
}
# The model permissions (the admin's, django-import-export's) each capability brings; ADMINISTER brings all.
MODEL_PERMISSIONS = {
    READ: {model: {"view"} for model in [*REFERENCE, *FIGURES, "indicators.periodreport"]},
    ENTER: {model: {"add", "change"} for model in FIGURES},
    APPRAISE: {**{model: {"delete"} for model in FIGURES}, "indicators.periodreport": {"change"}},
}


def _model_permissions(capabilities):
    found = {}
    for capability in capabilities:
        for model, actions in MODEL_PERMISSIONS.get(capability, {}).items():
            found[model] = found.get(model, set()) | actions
    return found


ROLE_PERMISSIONS = {role: _model_permissions(capabilities) for role, capabilities in CAPABILITIES.items()}


def is_administrator(user):
    """The administrator's role: a superuser, or a user given the role (used by can() and the backend)."""
    return user.is_active and (user.is_superuser or user.role == User.Role.ADMINISTRATOR)


class RoleBackend:
    """Grants model permissions by role (ROLE_PERMISSIONS); authentication itself stays with Django's
    ModelBackend."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        if not user.is_active or user.is_anonymous:
            return False
        if can(user, ADMINISTER):
            return True
        model, _, codename = perm.partition(".")
        action, _, model_name = codename.partition("_")
        return action in ROLE_PERMISSIONS.get(user.role, {}).get(f"{model}.{model_name}", set())

    def has_module_perms(self, user, app_label):
        if not user.is_active or user.is_anonymous:
            return False
        return can(user, ADMINISTER) or any(
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


OUTSIDE = gettext_lazy("This unit is outside your scope.")
REFUSED = {
    ENTER: gettext_lazy("You cannot change the figures of this unit."),
    APPRAISE: gettext_lazy("Only the Home Affairs Office can approve, return or reopen reports."),
    REPORT: gettext_lazy(
        "Only the Home Affairs Office, leaders and administrators can download the period report."
    ),
    DASHBOARDS: gettext_lazy("Commune officers see the ranking and their own commune's profile."),
    ADMINISTER: gettext_lazy("Only administrators can do this."),
}
# The units an action reaches: those the user reads, or those whose figures the user writes.
_REACH = {
    READ: visible_units,
    REPORT: visible_units,
    DASHBOARDS: visible_units,
    ADMINISTER: visible_units,
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


def home_unit(user):
    """The unit whose pages a user sees first: their own, or the district of a commune officer (whose
    ranking they read); for visitors, the first district."""
    unit = getattr(user, "unit", None)  # visitors who are not logged in have none
    if unit is None:
        return Unit.objects.filter(level=UnitLevel.DISTRICT).alphabetical().first()
    if unit.level == UnitLevel.COMMUNE and unit.parent_id:
        return unit.parent
    return unit
