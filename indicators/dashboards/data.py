"""Queries behind the dashboards. Each runs a fixed number of SQL queries, whatever the number of units."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from ..models import AreaScore, DossierStats, PeriodReport, ProvinceAverage, Target
from ..rates import rate
from ..selectors import DossierTotals, count_sums, published, two_places


class AreaFigure:
    """The points of one AreaScore without the model instance (ten thousand communes have 70,000)."""

    __slots__ = ("max_points", "self_points", "appraised_points")

    def __init__(self, max_points, self_points, appraised_points):
        self.max_points = max_points
        self.self_points = self_points
        self.appraised_points = appraised_points

    is_appraised = AreaScore.is_appraised
    points = AreaScore.points
    percent = AreaScore.percent


def area_scores(period, units):
    """{unit id: {area number: AreaFigure}} of published scores."""
    scores = defaultdict(dict)
    # No ordering: the model's own would join and sort by unit name, for a dict.
    rows = published(AreaScore.objects.filter(period=period, unit__in=units)).order_by()
    for unit_id, number, *points in rows.values_list(
        "unit_id", "area__number", "max_points", "self_points", "appraised_points"
    ):
        scores[unit_id][number] = AreaFigure(*points)
    return scores


def pooled_area_percent(period, units):
    """{area number: percent} of all units together: their points over their maxima, area by area."""
    rows = (
        published(AreaScore.objects.filter(period=period, unit__in=units))
        .values("area__number")
        .annotate(points=Sum(Coalesce("appraised_points", "self_points")), max_points=Sum("max_points"))
        .order_by()
    )
    return {row["area__number"]: rate(row["points"], row["max_points"]) for row in rows}


def totals_by_period(units):
    """{period id: DossierTotals} of the figures as entered for each period (published only)."""
    rows = (
        published(DossierStats.objects.filter(unit__in=units))
        .values("period")
        .annotate(rows=Count("pk"), **count_sums())
        .order_by()
    )
    return {row.pop("period"): DossierTotals(**row) for row in rows}


def rank_history(unit, siblings, periods):
    """{period id: (rank of the unit, number ranked)} among `siblings`, as assign_ranks ranks them.

    Only points and maxima come back, one row per sibling and period: the rank is one more than the number
    of siblings with a higher percentage, compared as cross products so that equal fractions stay equal.
    """
    rows = (
        published(AreaScore.objects.filter(period__in=periods, unit__in=siblings))
        .values_list("period", "unit")
        .annotate(points=Sum(Coalesce("appraised_points", "self_points")), max_points=Sum("max_points"))
        .order_by()
    )
    by_period = defaultdict(list)
    for period_id, unit_id, *sums in rows:
        by_period[period_id].append((unit_id, *(two_places(value) for value in sums)))
    history = {}
    for period_id, totals in by_period.items():
        own = next(((p, m) for unit_id, p, m in totals if unit_id == unit.pk and m), None)
        if own is None:
            continue
        ranked = [(p, m) for _unit, p, m in totals if m]
        above = sum(p * own[1] > own[0] * m for p, m in ranked)
        history[period_id] = (above + 1, len(ranked))
    return history


def targets(year, level):
    """{metric: Target} for a year and level."""
    return {target.metric: target for target in Target.objects.filter(year=year, level=level)}


def province_averages(period, level):
    return {row.metric: row.percent for row in ProvinceAverage.objects.filter(period=period, level=level)}


def late_on_software(period, units):
    """{unit id: dossiers late according to the one-stop software}, as each report states it."""
    reports = PeriodReport.objects.filter(period=period, unit__in=units).exclude(
        status__in=PeriodReport.UNPUBLISHED
    )
    late = reports.filter(overdue_on_software__isnull=False).order_by()
    return dict(late.values_list("unit", "overdue_on_software"))
