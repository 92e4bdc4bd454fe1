"""Who may download a district's report: its Home Affairs Office staff, its leaders and administrators."""

from django.utils.translation import gettext as _

from communes.models import UnitLevel, User
from indicators import workflow


def why_cannot_download(user, unit):
    """The reason `user` may not download the report of `unit`, or None when they may."""
    if not (workflow.is_district_staff(user) or user.role == User.Role.LEADER):
        return _("Only the Home Affairs Office, leaders and administrators can download the period report.")
    return workflow.why_cannot_view(user, unit)


def offers_report(unit):
    """The report is written for a district and its communes."""
    return unit.level == UnitLevel.DISTRICT
