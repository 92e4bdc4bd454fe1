"""Moving a report on: submitting, approving, returning, reopening. The rules are in `workflow`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communes.models import User

from .. import workflow
from ..models import AreaScore, PeriodReport
from ..selectors import area_maxima
from .report_figures import refresh_totals
from .versions import save

Status = PeriodReport.Status


def _transition(user, report, version, reason, **changes):
    if reason:
        raise PermissionDenied(reason)
    for name, value in changes.items():
        setattr(report, name, value)
    save(report, user, version)
    refresh_totals([report])
    return report


@transaction.atomic
def submit_report(user: User, report: PeriodReport, version: int) -> PeriodReport:
    maxima = area_maxima(report.unit, report.period)
    scored = set(
        AreaScore.objects.filter(unit=report.unit, period=report.period).values_list("area", flat=True)
    )
    if report.pk is None or set(maxima) - scored:
        raise ValidationError(_("Enter the points of every reform area before submitting the report."))
    return _transition(
        user,
        report,
        version,
        workflow.why_cannot_submit(user, report),
        status=Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user,
        reopened_at=None,
    )


@transaction.atomic
def approve_report(user: User, report: PeriodReport, version: int) -> PeriodReport:
    return _transition(
        user,
        report,
        version,
        workflow.why_cannot_decide(user, report),
        status=Status.APPROVED,
        decided_at=timezone.now(),
        decided_by=user,
        return_reason="",
    )


@transaction.atomic
def return_report(user: User, report: PeriodReport, version: int, reason: str) -> PeriodReport:
    if not (reason or "").strip():
        raise ValidationError({"return_reason": _("Say why the report is returned.")})
    return _transition(
        user,
        report,
        version,
        workflow.why_cannot_decide(user, report),
        status=Status.RETURNED,
        decided_at=timezone.now(),
        decided_by=user,
        return_reason=reason.strip(),
    )


@transaction.atomic
def reopen_report(user: User, report: PeriodReport, version: int) -> PeriodReport:
    return _transition(
        user,
        report,
        version,
        workflow.why_cannot_reopen(user, report),
        status=Status.DRAFT,
        reopened_at=timezone.now(),
        reopened_by=user,
    )
