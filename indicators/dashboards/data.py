"""Queries behind the dashboards. Each runs a fixed number of SQL queries, whatever the number of units."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from ..models import AreaScore, DossierStats, PeriodReport, ProvinceAverage, Target
from ..rates import rate
from ..selectors import DossierTotals, assign_ranks, count_sums, published, score_totals_by_period


def area_scores(period, units):
    """{unit id: {area number: AreaScore}} of published scores."""
    scores = defaultdict(dict)
    # No ordering: the model's own would join and sort by unit name, for a dict.
    rows = (
        published(AreaScore.objects.filter(period=period, unit__in=units)).select_related("area").order_by()
    )
    for score in rows.only("unit_id", "area__number", "max_points", "self_points", "appraised_points"):
        scores[score.unit_id][score.area.number] = score
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
    """{period id: (ScoreTotal of the unit with its rank, number ranked)} among `siblings`, per period."""
    history = {}
    for period_id, totals in score_totals_by_period(periods, siblings).items():
        assign_ranks(totals)
        if unit.pk in totals:
            history[period_id] = (totals[unit.pk], len(totals))
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
