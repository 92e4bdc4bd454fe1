"""Saving a report's area scores and dossier statistics (report screen, Excel page, admin)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from communes.models import Unit, User
from communes.scope import editable_units

from .. import totals, workflow
from ..models import AreaScore, DossierStats, Period, PeriodReport
from ..selectors import area_maxima
from .versions import BATCH, bump_versions, write


def report_for(unit: Unit, period: Period) -> PeriodReport:
    """The unit's report for the period, or a new unsaved draft."""
    report = PeriodReport.objects.filter(unit=unit, period=period).select_related("unit", "period").first()
    return report or PeriodReport(unit=unit, period=period)


@transaction.atomic
def save_figures(
    user: User,
    report: PeriodReport,
    scores: Iterable[AreaScore] = (),
    stats: Iterable[DossierStats] = (),
    report_version: int | None = None,
) -> PeriodReport:
    """Save a report's area scores and dossier statistics as one change, or nothing at all.

    `report_version` is the report's version when the user loaded it: every change of its figures raises
    it, so a save based on an older screen is refused even if it touches other rows.
    """
    save_reports_figures(user, [(report, report_version, scores, stats)])
    return report


@transaction.atomic
def save_reports_figures(user: User, changes: list[tuple]) -> None:
    """save_figures() of several reports at once, as one change: [(report, its version seen, scores, stats)].

    The rows are checked, then written in a few queries whatever their number: a workbook of thousands of
    rows saves in seconds. Reports are locked one after the other in the given order, as a screen would.
    """
    units = [report.unit_id for report, *_rest in changes]
    editable = set(editable_units(user).filter(pk__in=units).values_list("pk", flat=True))
    for report, _version, _scores, _stats in changes:
        reason = workflow.why_cannot_edit(user, report, editable=editable)
        if reason:
            raise PermissionDenied(reason)
    for report, version, _scores, _stats in changes:
        bump_versions(PeriodReport, [report], report.version if version is None else version)
    write(PeriodReport, [report for report, *_rest in changes], user)
    scores = [_placed(score, report) for report, _version, given, _stats in changes for score in given]
    stats = [_placed(row, report) for report, _version, _scores, given in changes for row in given]
    _check_scores(user, scores)
    for model, records in ((AreaScore, scores), (DossierStats, stats)):
        _check(records)
        versions = defaultdict(list)
        for record in records:
            versions[record.version].append(record)
        for version, same in versions.items():
            bump_versions(model, same, version)
        try:
            write(model, records, user)
        except (IntegrityError, DataError):
            # The checks above leave the constraints to the database: say which row breaks which rule.
            for record in records:
                record.full_clean(validate_unique=False)
            raise
    refresh_totals([report for report, *_rest in changes])


def refresh_totals(reports):
    units_by_period = defaultdict(list)
    for report in reports:
        units_by_period[report.period].append(report.unit_id)
    for period, units in units_by_period.items():
        totals.refresh(units, [period])


def _placed(record, report):
    record.unit, record.period = report.unit, report.period
    return record


def _check_scores(user, scores):
    maxima = {}
    appraisals = {}
    saved = [score.pk for score in scores if score.pk]
    for start in range(0, len(saved), BATCH):
        chunk = AreaScore.objects.filter(pk__in=saved[start : start + BATCH])
        appraisals.update(chunk.values_list("pk", "appraised_points"))
    for score in scores:
        if score.pk is None:
            # The maxima depend on the unit's level and the period's year only.
            key = (score.unit.level, score.period.year)
            if key not in maxima:
                maxima[key] = area_maxima(score.unit, score.period)
            score.max_points = maxima[key][score.area_id]
        if score.appraised_points != appraisals.get(score.pk) and not workflow.is_district_staff(user):
            raise PermissionDenied(_("Only the Home Affairs Office can appraise scores."))


def _check(records):
    """full_clean() of every record, with the lookups of its references made once for all of them.

    The constraints are left to the database, which enforces them anyway: checking them here would cost
    a query per constraint and row.
    """
    if not records:
        return
    references = [field for field in type(records[0])._meta.concrete_fields if field.is_relation]
    for field in references:
        ids = {getattr(record, field.attname) for record in records} - {None}
        found = set(field.related_model._base_manager.filter(pk__in=ids).values_list("pk", flat=True))
        for record in records:
            if getattr(record, field.attname) not in found:
                record.full_clean(validate_unique=False)  # says which reference is wrong
    names = [field.name for field in references]
    for record in records:
        try:
            record.full_clean(exclude=names, validate_unique=False, validate_constraints=False)
        except ValidationError:
            record.full_clean(validate_unique=False)  # every message, the constraints' too
            raise
