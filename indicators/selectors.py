"""What the report screen reads besides the figures: the framework's maxima, a unit's own totals (drafts
included, for those who may write them) and the warnings about suspicious figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from communes import scope
from communes.models import Unit, User
from communes.scope import editable_units

from .figures import DossierTotals, communes_submitted
from .formatting import format_number, format_percent
from .models import COUNT_FIELDS, AreaScore, DossierStats, FrameworkArea, Period, PeriodReport, Target
from .rates import rate
from .totals import unpublished


@dataclass
class ReportDue:
    """A report a unit has to enter now: its period, and its status when one was started (None if not)."""

    period: Period
    status: str | None

    @property
    def status_label(self):
        return PeriodReport.Status(self.status).label if self.status else PeriodReport.NOT_STARTED


def reports_due(unit: Unit, today: date | None = None) -> list[ReportDue]:
    """[ReportDue] of `unit`, earliest deadline first: the quarters under way whose deadline has not passed
    and whose report is not yet submitted, and any report returned to it for correction."""
    today = today or timezone.localdate()
    periods = Period.objects.annotate(own=FilteredRelation("reports", condition=Q(reports__unit=unit)))
    open_quarter = Q(kind=Period.Kind.QUARTER, start__lte=today, deadline__gte=today) & (
        Q(own__status__isnull=True) | Q(own__status__in=PeriodReport.UNPUBLISHED)
    )
    due = periods.filter(open_quarter | Q(own__status=PeriodReport.Status.RETURNED))
    due = due.annotate(report_status=F("own__status")).order_by("deadline", "start")
    return [ReportDue(period, period.report_status) for period in due]


@dataclass
class ScoreSheetTotal:
    """The totals under a unit's score sheet: self-assessed (None before any score is saved), appraised
    (None before any appraisal), and the percentage of the points that count, once every area has one."""

    self_points: Decimal | None
    appraised_points: Decimal | None
    percent: Decimal | None


def score_sheet_total(scores: list[AreaScore], max_total: Decimal) -> ScoreSheetTotal:
    """`scores`: the AreaScore of every area of the framework, unsaved ones included (pk None)."""
    saved = [score for score in scores if score.pk]
    appraised = [score.appraised_points for score in saved if score.is_appraised]
    complete = saved and len(saved) == len(scores)
    return ScoreSheetTotal(
        self_points=sum((score.self_points for score in saved), Decimal(0)) if saved else None,
        appraised_points=sum(appraised, Decimal(0)) if appraised else None,
        percent=rate(sum(score.points for score in saved), max_total) if complete else None,
    )


# The submitted reports the Home Affairs Office's home page lists: the longest waiting first.
WAITING_SHOWN = 10


@dataclass
class PeriodProgress:
    """How many of a unit's communes have submitted their report for `period`."""

    period: Period
    submitted: int
    total: int

    @property
    def missing(self):
        return self.total - self.submitted


@dataclass
class AppraisalWork:
    """What the Home Affairs Office has to do now below `root`: reports to appraise, returned reports the
    communes have not sent back, the quarters under way and the last quarter whose deadline has passed."""

    root: Unit
    waiting: list[PeriodReport]
    waiting_count: int
    returned_count: int
    under_way: list[PeriodProgress]
    overdue: PeriodProgress | None


def appraisal_work(user: User, root: Unit, today: date | None = None) -> AppraisalWork:
    today = today or timezone.localdate()
    units = Unit.objects.subtree(root).filter(pk__in=scope.units_where(user, scope.APPRAISE))
    reports = PeriodReport.objects.filter(unit__in=units)
    waiting = reports.filter(status=PeriodReport.Status.SUBMITTED).select_related("unit", "period")
    counts = reports.aggregate(
        waiting=Count("pk", filter=Q(status=PeriodReport.Status.SUBMITTED)),
        returned=Count("pk", filter=Q(status=PeriodReport.Status.RETURNED)),
    )
    quarters = Period.objects.filter(kind=Period.Kind.QUARTER)
    under_way = quarters.filter(start__lte=today, deadline__gte=today).order_by("deadline")
    overdue = quarters.filter(deadline__lt=today).order_by("-deadline").first()

    def progress(period):
        submitted = communes_submitted(root, period, units)
        return PeriodProgress(period, submitted["count"], submitted["total"])

    return AppraisalWork(
        root=root,
        waiting=list(waiting.order_by("submitted_at", "pk")[:WAITING_SHOWN]),
        waiting_count=counts["waiting"],
        returned_count=counts["returned"],
        under_way=[progress(period) for period in under_way],
        overdue=overdue and progress(overdue),
    )


@dataclass
class HistoryLine:
    """One change of a report: when, by whom, what was done, and the reason given for a return."""

    when: object
    who: object
    action: str
    reason: str = ""


def _action(status, previous):
    Status = PeriodReport.Status
    if status == previous:
        return _("Saved the report")
    if previous is None and status == Status.DRAFT:
        return _("Started the report")
    return {
        Status.SUBMITTED: _("Submitted again") if previous == Status.RETURNED else _("Submitted"),
        Status.APPROVED: _("Approved"),
        Status.RETURNED: _("Returned for correction"),
        Status.DRAFT: _("Reopened for correction"),
    }[status]


def report_history(report: PeriodReport, limit: int = 20) -> list[HistoryLine]:
    """[HistoryLine] of `report`, newest first: what each change did, read from the status before it (a
    returned report saved again by its officer was saved, not returned once more)."""
    records = list(report.history.select_related("history_user")[: limit + 1]) if report.pk else []
    lines = []
    for index, record in enumerate(records[:limit]):
        before = records[index + 1] if index + 1 < len(records) else None
        previous = before.status if before else None
        returned = record.status == PeriodReport.Status.RETURNED and previous != record.status
        reason = record.return_reason if returned else ""
        lines.append(
            HistoryLine(record.history_date, record.history_user, _action(record.status, previous), reason)
        )
    return lines


def readable_by(user: User, rows: QuerySet) -> QuerySet:
    """The rows of figures `user` may read one by one: published ones, and the unpublished ones of the units
    the user may write (workflow.why_cannot_read_figures says the same of one report)."""
    return rows.filter(~unpublished() | Q(unit__in=editable_units(user)))


def area_maxima(unit: Unit, period: Period) -> dict[int, Decimal]:
    """{area id: maximum points} of the framework for the period's year and the unit's level."""
    return dict(
        FrameworkArea.objects.filter(framework__year=period.year, framework__level=unit.level).values_list(
            "area_id", "max_points"
        )
    )


def unit_totals(unit: Unit, period: Period) -> DossierTotals:
    """The unit's own dossier totals for the period, drafts included (for its own report screen)."""
    rows = DossierStats.objects.filter(unit=unit, period=period)
    return DossierTotals(**rows.aggregate(rows=Count("pk"), **{name: Sum(name) for name in COUNT_FIELDS}))


# Counts compared with the previous period: a change beyond three times either way is worth a second look.
TREND_CHECKED = [
    "received",
    "resolved_on_time",
    "resolved_overdue",
    "online",
    "inputs",
    "results",
    "fee_bearing",
]
TREND_FACTOR = 3


def report_warnings(report: PeriodReport) -> list[str]:
    """Sentences about figures that are allowed but suspicious: shown to the user, never blocking."""
    unit, period = report.unit, report.period
    totals = unit_totals(unit, period)
    if not totals.has_data:
        return []
    warnings = []
    for target in Target.objects.filter(year=period.year, level=unit.level):
        value = totals.rate(target.metric)
        if target.is_met_by(value) is False:
            warnings.append(
                _("%(metric)s: %(value)s, below the province's target of %(target)s.")
                % {
                    "metric": target.get_metric_display(),
                    "value": format_percent(value),
                    "target": format_percent(target.min_percent),
                }
            )
    previous_period = period.previous()
    previous = unit_totals(unit, previous_period) if previous_period else DossierTotals()
    for name in TREND_CHECKED:
        now, before = getattr(totals, name), getattr(previous, name)
        if before and (now > TREND_FACTOR * before or now * TREND_FACTOR < before):
            warnings.append(
                _("“%(field)s” is %(now)s against %(before)s in %(period)s: over three times more or less.")
                % {
                    "field": DossierStats._meta.get_field(name).verbose_name,
                    "now": format_number(now),
                    "before": format_number(before),
                    "period": previous_period.label,
                }
            )
    if report.overdue_on_software is not None and report.overdue_on_software != totals.resolved_overdue:
        warnings.append(
            _(
                "The report disagrees with itself: %(software)s dossiers late according to the one-stop "
                "software, but %(overdue)s dossiers resolved overdue in the statistics."
            )
            % {"software": report.overdue_on_software, "overdue": totals.resolved_overdue}
        )
    return warnings
