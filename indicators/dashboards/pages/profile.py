"""The commune profile: its scores by area against the district's average, its ranks and rates over time."""

from django.utils.translation import gettext as _

from ... import figures
from ...formatting import format_number, format_percent
from ...models import PeriodReport, ReformArea
from .. import charts
from ..tables import Column, Table
from .base import Page

METRICS = figures.RATE_METRICS


def profile(unit, period, visible):
    parent = unit.parent
    own_scores = figures.area_percents(period, [unit.pk]).get(unit.pk, {})
    if parent:
        district_average = figures.communes_area_percent(parent, period)
    else:  # a unit at the top is its own only sibling
        district_average = {area: score.percent for area, score in own_scores.items()}
    areas = list(ReformArea.objects.all())
    history = figures.trend(unit, period)
    ranks = figures.rank_history(unit, period)
    reports = list(PeriodReport.objects.filter(unit=unit).select_related("period").order_by("-period__end"))
    rows = [
        {
            "area": f"{area.number}. {area.name}",
            "percent": own_scores[area.pk].percent if area.pk in own_scores else None,
            "district_average": district_average.get(area.pk),
            "appraised": own_scores[area.pk].is_appraised if area.pk in own_scores else None,
        }
        for area in areas
    ]
    columns = [
        Column("area", _("Area")),
        Column("percent", _("Score (%)"), "percent"),
        Column("district_average", _("District average (%)"), "percent"),
    ]

    def figures_of(shown):
        return [
            (
                "profile-areas",
                charts.grouped_bars(
                    [f"{a.number}. {a.short_name}" for a in areas],
                    [
                        (str(unit), [row["percent"] for row in rows]),
                        (_("District average"), [row["district_average"] for row in rows]),
                    ],
                    _("Score by reform area, %(period)s") % {"period": period.label},
                    _("Score (%)"),
                ),
                None,
            ),
            (
                "profile-rates",
                charts.trend(
                    [str(p.label) for p, _totals in history],
                    [(str(metric.label), [t.rate(metric) for _p, t in history]) for metric in METRICS],
                    _("One-stop rates over the periods"),
                    _("Rate (%)"),
                ),
                None,
            ),
            (
                "profile-ranks",
                charts.trend(
                    [str(p.label) for p, _rank, _of in ranks],
                    [(_("Rank"), [rank for _p, rank, _of in ranks])],
                    _("Rank among the communes of the district"),
                    _("Rank"),
                    reversed_axis=True,
                    point_labels=[rank_of(rank, of) for _p, rank, of in ranks],
                ),
                None,
            ),
        ]

    summary = {
        "ranks": [{"period": p.code, "rank": rank, "of": of} for p, rank, of in ranks],
        "rates": [{"period": p.code, **{m.value: t.rate(m) for m in METRICS}} for p, t in history],
        "reports": [
            {"period": r.period.code, "status": r.status, "submitted_at": r.submitted_at, "late": r.is_late}
            for r in reports
        ],
    }

    def headline():
        score = figures.score_totals(period, [unit.pk]).get(unit.pk)
        if score is None:
            return _("No published score for this period yet.")
        parts = [
            _("Reform score %(percent)s (%(points)s/%(max)s points)")
            % {
                "percent": format_percent(score.percent),
                "points": format_number(score.points, 2),
                "max": format_number(score.max_points, 2),
            },
            str(score.band.label) if score.band else _("Not classified"),
        ]
        if score.rank:
            parts.append(rank_of(score.rank, score.ranked))
        if not score.is_appraised:
            parts.append(_("self-assessed"))
        return " · ".join(parts)

    title = _("Results of the unit")
    return Page(
        title, Table(columns, rows), summary, figures_of, context={"reports": reports}, headline=headline
    )


def rank_of(rank, ranked):
    """A rank as read aloud: "hạng 2/23"."""
    return _("rank %(rank)s/%(ranked)s") % {"rank": rank, "ranked": ranked}
