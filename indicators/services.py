"""Writes that touch several rows, each in one transaction, each checking the rules it enforces."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communes.models import Unit, User
from communes.scope import editable_units

from . import totals, workflow
from .bulk import update_columns
from .models import (
    AreaScore,
    ClassificationBand,
    DossierStats,
    FrameworkArea,
    Period,
    PeriodReport,
    ScoringFramework,
    Target,
)
from .selectors import area_maxima

Status = PeriodReport.Status
BATCH = 500  # rows per statement: within SQLite's limit on a statement's parameters


class StaleData(Exception):
    """Someone else saved the same record since it was loaded: the later save is refused."""

    def __init__(self, record):
        self.record = record
        super().__init__(
            _("“%(record)s” was changed by someone else after you opened it. Reload to see their changes.")
            % {"record": record}
        )


class FixtureMismatch(Exception):
    """The database already holds data of a kind the fixture adds, but not the fixture's own objects."""


@transaction.atomic
def load_missing(fixture_path: str | Path, whole_models: Iterable[str] = ()) -> tuple[int, int]:
    """Insert the objects of a Django fixture (natural keys) that the database does not have yet.

    Objects already present are left exactly as they are, so a second run changes nothing and data
    edited since the first run is never overwritten. For `whole_models` (labels like "communes.unit") a
    missing object in a table that is not empty means the natural key itself was edited (a unit's code):
    adding it again would duplicate it, so nothing is written. Returns (created, already_present).
    """
    created = present = 0
    with totals.deferred():
        already_filled = {label for label in whole_models if apps.get_model(label).objects.exists()}
        with Path(fixture_path).open(encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("json", stream):
                instance = deserialized.object
                if instance.pk is not None:
                    present += 1
                    continue
                if instance._meta.label_lower in already_filled:
                    raise FixtureMismatch(
                        f"{instance._meta.verbose_name} {instance.natural_key()} is missing from a database "
                        "that has others: was it edited? Nothing was written."
                    )
                # A plain save (not the raw one loaddata uses) runs validation hooks and records history.
                instance.full_clean(validate_unique=False, validate_constraints=False)
                instance.save()
                created += 1
    return created, present


def _save(record, user, expected_version):
    """Save one record if nobody saved it since `expected_version` was read; record who did it."""
    _bump_versions(type(record), [record], expected_version)
    _write(type(record), [record], user)


def _bump_versions(model, records, expected_version):
    """Raise the version of saved `records`, all read at `expected_version`, or refuse if one has moved on.

    A conditional UPDATE takes the rows' locks (SQLite: the database's) before anything else is written, so
    of two saves based on the same version exactly one succeeds.
    """
    saved = [record for record in records if record.pk is not None]
    for start in range(0, len(saved), BATCH):
        chunk = saved[start : start + BATCH]
        bumped = model.objects.filter(pk__in=[record.pk for record in chunk], version=expected_version)
        if bumped.update(version=expected_version + 1) != len(chunk):
            moved = set(
                model.objects.filter(pk__in=[record.pk for record in chunk])
                .exclude(version=expected_version + 1)
                .values_list("pk", flat=True)
            )
            raise StaleData(next((record for record in chunk if record.pk in moved), chunk[0]))
        for record in chunk:
            record.version = expected_version + 1


def _write(model, records, user):
    """Create the new `records` and update the others (their versions already raised), with their history.

    A unit/period (and area or field) row that someone created meanwhile refuses the write as stale.
    """
    for record in records:
        record._history_user = user
    new = [record for record in records if record.pk is None]
    saved = [record for record in records if record.pk is not None]
    columns = [field.name for field in model._meta.concrete_fields if not field.primary_key]
    try:
        with transaction.atomic():  # a savepoint: the transaction can still be read after a refusal
            if saved:
                update_columns(model, saved, columns)
                # History only: the rows were written just above.
                bulk_update_with_history(saved, model, [], batch_size=BATCH, default_user=user)
            if new:
                bulk_create_with_history(new, model, batch_size=BATCH, default_user=user)
    except IntegrityError as error:
        for record in new:
            record.pk, record._state.adding = None, True  # the rolled back insert gave some an id
        taken = _already_saved(model, new)
        if taken is not None:
            raise StaleData(taken) from error
        raise


def _already_saved(model, records):
    """The first of the unsaved `records` whose unit, period (and area or field) are now in the database."""
    unique = next(c for c in model._meta.constraints if isinstance(c, UniqueConstraint))
    key = [model._meta.get_field(name).attname for name in unique.fields]
    filters = {f"{name}__in": {getattr(record, name) for record in records} for name in key}
    found = set(model.objects.filter(**filters).values_list(*key)) if records else set()
    return next((r for r in records if tuple(getattr(r, name) for name in key) in found), None)


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
        _bump_versions(PeriodReport, [report], report.version if version is None else version)
    _write(PeriodReport, [report for report, *_rest in changes], user)
    scores = [_placed(score, report) for report, _version, given, _stats in changes for score in given]
    stats = [_placed(row, report) for report, _version, _scores, given in changes for row in given]
    _check_scores(user, scores)
    for model, records in ((AreaScore, scores), (DossierStats, stats)):
        _check(records)
        versions = defaultdict(list)
        for record in records:
            versions[record.version].append(record)
        for version, same in versions.items():
            _bump_versions(model, same, version)
        try:
            _write(model, records, user)
        except (IntegrityError, DataError):
            # The checks above leave the constraints to the database: say which row breaks which rule.
            for record in records:
                record.full_clean(validate_unique=False)
            raise
    _refresh_totals([report for report, *_rest in changes])


def _refresh_totals(reports):
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


def _transition(user, report, version, reason, **changes):
    if reason:
        raise PermissionDenied(reason)
    for name, value in changes.items():
        setattr(report, name, value)
    _save(report, user, version)
    _refresh_totals([report])
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


REPORT_DAY = 15  # reports are due on the 15th of a period's last month


@transaction.atomic
def open_year(year: int) -> int:
    """Create a year's reporting periods, and its frameworks and targets where it has none yet.

    Frameworks and targets are copied from the latest earlier year: a starting point the administrator
    corrects when the province publishes the year's own. Returns how many objects were created.
    """
    created = 0
    for kind, (count, _months) in Period.SHAPES.items():
        for number in range(1, count + 1):
            start, end = Period.bounds(year, kind, number)
            _period, new = Period.objects.get_or_create(
                year=year,
                kind=kind,
                number=number,
                defaults={"start": start, "end": end, "deadline": end.replace(day=REPORT_DAY)},
            )
            created += new
    previous_year = ScoringFramework.objects.filter(year__lt=year).order_by("-year").values("year").first()
    if previous_year is None:
        return created
    for framework in ScoringFramework.objects.filter(year=previous_year["year"]).prefetch_related(
        "areas", "bands"
    ):
        if ScoringFramework.objects.filter(year=year, level=framework.level).exists():
            continue
        copy = ScoringFramework.objects.create(
            year=year, level=framework.level, note=_("Copied from %(year)s.") % {"year": framework.year}
        )
        FrameworkArea.objects.bulk_create(
            FrameworkArea(framework=copy, area_id=area.area_id, max_points=area.max_points)
            for area in framework.areas.all()
        )
        ClassificationBand.objects.bulk_create(
            ClassificationBand(
                framework=copy,
                rank=band.rank,
                label=band.label,
                min_percent=band.min_percent,
                min_inclusive=band.min_inclusive,
            )
            for band in framework.bands.all()
        )
        created += 1
    totals.rebuild(Period.objects.filter(year=year))  # classified by the new bands
    if not Target.objects.filter(year=year).exists():
        targets = Target.objects.filter(year=previous_year["year"])
        created += len(
            Target.objects.bulk_create(
                Target(year=year, level=t.level, metric=t.metric, min_percent=t.min_percent, source=t.source)
                for t in targets
            )
        )
    return created
