"""The rules of a period report's life: who may change its figures and move it on, and why not.

Every rule answers with the reason it refuses (a sentence for the user), or None when it allows.
Views use them to show or hide actions; services enforce them again before writing.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from communes import scope

from .models import PeriodReport

Status = PeriodReport.Status


def is_district_staff(user):
    """Whether the user appraises reports (the Home Affairs Office, administrators)."""
    return scope.can(user, scope.APPRAISE)


def why_cannot_read_figures(user, report):
    """Figures of a draft or returned report are read only where they may be written (selectors.readable_by).

    That is by the unit's own officers, the Home Affairs Office above it and administrators: never by leaders,
    and never on a dashboard, ranking or period report, which show published figures only.
    """
    if report.pk is None or report.is_published or scope.may(user, scope.ENTER, report.unit):
        return None
    return _("This report has not been submitted yet: its figures show once the unit submits it.")


def why_cannot_edit(user, report, today=None, editable=None):
    """Why `user` may not change the figures of `report` (saved or not yet), or None.

    `editable`: the ids of units `user` may edit, looked up once by a caller checking many reports.
    """
    if editable is not None:
        in_scope = report.unit_id in editable
    else:
        in_scope = scope.may(user, scope.ENTER, report.unit)
    if not in_scope:
        return _("You cannot change the figures of this unit.")
    if report.status == Status.APPROVED:
        return _("The report is approved and locked. The Home Affairs Office can reopen it.")
    if is_district_staff(user):
        return None
    if report.status == Status.SUBMITTED:
        return _("The report has been submitted and is waiting for the Home Affairs Office.")
    today = today or timezone.localdate()
    if today > report.period.deadline and report.reopened_at is None:
        message = _("The deadline (%(deadline)s) has passed; ask the Home Affairs Office to reopen it.")
        return message % {"deadline": report.period.deadline.strftime("%d/%m/%Y")}
    return None


def why_cannot_submit(user, report, today=None):
    if report.status not in (Status.DRAFT, Status.RETURNED):
        return _("Only a draft or a returned report can be submitted.")
    return why_cannot_edit(user, report, today)


def why_cannot_decide(user, report):
    """Approving and returning are the Home Affairs Office's."""
    if not scope.may(user, scope.APPRAISE, report.unit):
        return _("Only the Home Affairs Office can approve or return this report.")
    if report.status != Status.SUBMITTED:
        return _("Only a submitted report can be approved or returned.")
    return None


def why_cannot_reopen(user, report, today=None):
    if not scope.may(user, scope.APPRAISE, report.unit):
        return _("Only the Home Affairs Office can reopen this report.")
    today = today or timezone.localdate()
    locked_draft = report.status in (Status.DRAFT, Status.RETURNED) and today > report.period.deadline
    if report.status != Status.APPROVED and not (locked_draft and report.reopened_at is None):
        return _("Only an approved report, or a draft locked by its deadline, can be reopened.")
    return None
