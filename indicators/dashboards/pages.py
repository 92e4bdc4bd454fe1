"""What each dashboard shows: its figures, its data table and its JSON, from the selectors."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import Unit, UnitLevel

from ..formatting import format_number
from ..models import Period, PeriodReport, ProcedureField, ReformArea
from ..rates import Metric
from ..selectors import (
    DossierTotals,
    Overview,
    assign_ranks,
    communes_of,
    dossier_totals_by,
    score_totals,
    submission_counts,
    submissions,
)
from . import charts, data
from .tables import Column, Table, table_payload

# Charts with a bar or a row per commune show at most this many communes; the downloads have them all.
CHART_LIMIT = 50


@dataclass
class Page:
    title: str
    table: Table
    summary: dict = field(default_factory=dict)  # page-specific figures for the template and the JSON
    # charts(shown rows) -> [(figure id, figure, note or None)]: built for the HTML page only, from the rows
    # of the page of the table on screen (the downloads never build charts).
    charts: Callable = None
    # listing() -> what the HTML pages through when it is not the data table (the overview's communes).
    listing: Callable = None

    def payload(self, period, root):
        return {
            "period": {"code": period.code, "label": str(period.label)},
            "unit": {"code": root.code, "name": str(root)},
            **{key: value for key, value in self.summary.items() if not key.startswith("_")},
            "rows": table_payload(self.table),
        }


RATE_METRICS = [
    Metric.ON_TIME,
    Metric.ONLINE,
    Metric.INPUTS_DIGITIZED,
    Metric.RESULTS_DIGITIZED,
    Metric.ONLINE_PAYMENT,
]


def _bounded(shown, total):
    """The note under a chart that leaves communes out, or None when it shows them all."""
    if shown >= total:
        return None
    return _("The chart shows %(shown)s of %(total)s communes; every commune is in the downloads.") % {
        "shown": format_number(shown),
        "total": format_number(total),
    }


def _change(now, before):
    return None if now is None or before is None else now - before


def overview(root, period, visible):
    current = Overview(root, period)
    previous_period = period.comparable_previous()
    previous = Overview(root, previous_period) if previous_period else None
    commune_targets = data.targets(period.year, UnitLevel.COMMUNE)
    own_targets = data.targets(period.year, root.level)
    rows = []
    for metric in RATE_METRICS:
        whole = current.whole.rate(metric)
        before = previous.whole.rate(metric) if previous else None
        own_target, commune_target = own_targets.get(metric), commune_targets.get(metric)
        rows.append(
            {
                "metric": metric.value,
                "label": metric.label,
                "own": current.own.rate(metric),
                "communes": current.communes_total.rate(metric),
                "whole": whole,
                "previous_whole": before,
                "change": _change(whole, before),
                "own_target": own_target.min_percent if own_target else None,
                "own_met": own_target.is_met_by(current.own.rate(metric)) if own_target else None,
                # The whole district answers to the unit's own target, as the report judges its 38,18%.
                "whole_met": own_target.is_met_by(whole) if own_target else None,
                "communes_target": commune_target.min_percent if commune_target else None,
                "communes_met": commune_target.is_met_by(current.communes_total.rate(metric))
                if commune_target
                else None,
            }
        )
    submitted, communes = submission_counts(period, root, visible)
    own_score = current.own_score
    summary = {
        "overdue": {
            "own": current.own.resolved_overdue,
            "communes": current.communes_total.resolved_overdue,
            "previous_whole": previous.whole.resolved_overdue if previous else None,
        },
        "submitted": {"count": submitted, "total": communes},
        "score": own_score
        and {
            "points": float(own_score.points),
            "max_points": float(own_score.max_points),
            "percent": float(round(own_score.percent, 2)),
            "classification": own_score.band and own_score.band.label,
            "appraised": own_score.is_appraised,
        },
        "comparable_period": previous_period and previous_period.code,
        "_overview": current,
        "_previous": previous,
        "_own_score": own_score,
    }
    columns = [
        Column("metric", _("Metric code")),
        Column("label", _("Metric")),
        Column("own", _("District level"), "percent"),
        Column("communes", _("Communes together"), "percent"),
        Column("whole", _("Whole district"), "percent"),
        Column("previous_whole", _("Same period last year"), "percent"),
        Column("change", _("Change (points)"), "percent"),
        Column("own_target", _("Target, district level"), "percent"),
        Column("communes_target", _("Target, commune level"), "percent"),
        Column("whole_met", _("Whole district met the target")),
        Column("own_met", _("District level met the target")),
        Column("communes_met", _("Communes met the target")),
    ]

    def figures(shown):
        chart = charts.grouped_bars(
            [str(row["label"]) for row in rows],
            [
                (_("District level"), [row["own"] for row in rows]),
                (_("Communes together"), [row["communes"] for row in rows]),
            ],
            _("One-stop rates, %(period)s") % {"period": period.label},
            _("Rate (%)"),
            horizontal=True,
        )
        return [("overview-rates", chart, None)]

    return Page(_("Overview"), Table(columns, rows), summary, figures, listing=current.pages_of_rows)


def ranking(root, period, visible):
    communes = communes_of(root, period)
    totals = assign_ranks(score_totals(period, communes))
    previous_period = period.comparable_previous()
    previous = (
        assign_ranks(score_totals(previous_period, communes_of(root, previous_period)))
        if previous_period
        else {}
    )
    units = {unit.pk: unit for unit in communes}  # in Vietnamese order: equal ranks keep it (Đ after D)
    order = {pk: position for position, pk in enumerate(units)}
    ranked = sorted((t.rank, order[pk], pk) for pk, t in totals.items() if t.rank and pk in units)
    scores = data.area_scores(period, communes)
    areas = list(ReformArea.objects.all())
    rows = []
    for rank, _position, pk in ranked:
        total, unit = totals[pk], units[pk]
        before = previous.get(pk)
        row = {
            "rank": rank,
            "code": unit.code,
            "unit": str(unit),
            "percent": total.percent,
            "points": total.points,
            "max_points": total.max_points,
            "classification": total.band and total.band.label,
            "previous_rank": before.rank if before else None,
            "rank_change": before.rank - rank if before and before.rank else None,
            "appraised": total.is_appraised,
        }
        for area in areas:
            score = scores[pk].get(area.number)
            row[f"area_{area.number}"] = score.percent if score else None
        rows.append(row)
    columns = [
        Column("rank", _("Rank"), "int"),
        Column("code", _("Code")),
        Column("unit", _("Unit")),
        Column("percent", _("Score (%)"), "percent"),
        Column("points", _("Points"), "points"),
        Column("classification", _("Classification")),
        Column("previous_rank", _("Rank, same period last year"), "int"),
        Column("rank_change", _("Places gained"), "int"),
        Column("appraised", _("Appraised")),
        *[Column(f"area_{a.number}", f"{a.number}. {a.short_name} (%)", "percent") for a in areas],
    ]
    colours = {units[pk].code: charts.band_colour(totals[pk].band) for _rank, _position, pk in ranked}

    def figures(shown):
        names = [row["unit"] for row in shown]
        bar = charts.commune_bars(
            names,
            [row["percent"] for row in shown],
            [colours[row["code"]] for row in shown],
            _("Total score by commune, %(period)s") % {"period": period.label},
            _("Score (%)"),
            [
                f"{row['rank']}. {row['unit']}: {charts.format_percent(row['percent'])}"
                + f" · {row['classification'] or ''}"
                + ("" if row["appraised"] else f" · {_('self-assessed')}")
                for row in shown
            ],
            value_range=charts.percent_range(row["percent"] for row in shown),
        )
        grid = charts.heatmap(
            names,
            [f"{a.number}. {a.short_name}" for a in areas],
            [[row[f"area_{a.number}"] for a in areas] for row in shown],
            _("Score by reform area (%)"),
        )
        note = _bounded(len(shown), len(rows))
        return [("ranking-bar", bar, note), ("ranking-heatmap", grid, note)]

    bands = {}
    for row in rows:
        bands.setdefault(row["classification"] or "", []).append(row["unit"])
    summary = {"classification": bands, "ranked": len(rows), "_previous": previous}
    return Page(_("Ranking"), Table(columns, rows), summary, figures)


def overdue(root, period, visible):
    communes = communes_of(root, period)
    by_unit = dossier_totals_by(period, communes, "unit")
    late = data.late_on_software(period, communes)
    no_data = DossierTotals()
    rows = [
        {
            "code": unit.code,
            "unit": str(unit),
            # A commune that reported nothing has no count, which is not a count of nought.
            "overdue": by_unit[unit.pk].resolved_overdue if unit.pk in by_unit else None,
            "late_on_software": late.get(unit.pk),
            "on_time_rate": by_unit.get(unit.pk, no_data).on_time_rate,
        }
        for unit in communes
    ]
    rows.sort(key=lambda row: (row["overdue"] is None, -(row["overdue"] or 0)))
    by_field = dossier_totals_by(period, communes, "field")
    fields = {f.pk: f for f in _fields(by_field)}
    history = data.totals_by_period(communes)
    periods = _periods(history, period.kind)
    columns = [
        Column("code", _("Code")),
        Column("unit", _("Unit")),
        Column("overdue", _("Resolved overdue"), "int"),
        Column("late_on_software", _("Late according to the one-stop software"), "int"),
        Column("on_time_rate", _("On time (%)"), "percent"),
    ]
    with_overdue = [row for row in rows if row["overdue"]]

    def figures(shown):
        # The communes with the most overdue dossiers, whichever page of the table is on screen.
        top = with_overdue[:CHART_LIMIT]
        return [
            (
                "overdue-communes",
                charts.commune_bars(
                    [row["unit"] for row in top],
                    [row["overdue"] for row in top],
                    ["#b42318"] * len(top),
                    _("Dossiers resolved overdue by commune"),
                    _("Dossiers"),
                    [f"{row['unit']}: {row['overdue']}" for row in top],
                ),
                _bounded(len(top), len(with_overdue)),
            ),
            (
                "overdue-fields",
                charts.commune_bars(
                    [str(fields[pk]) for pk in by_field],
                    [t.resolved_overdue for t in by_field.values()],
                    ["#c58a00"] * len(by_field),
                    _("Dossiers resolved overdue by procedure field"),
                    _("Dossiers"),
                    [f"{fields[pk]}: {t.resolved_overdue}" for pk, t in by_field.items()],
                ),
                None,
            ),
            (
                "overdue-trend",
                charts.trend(
                    [str(p.label) for p in periods],
                    [(_("Resolved overdue"), [history[p.pk].resolved_overdue for p in periods])],
                    _("Dossiers resolved overdue over the periods"),
                    _("Dossiers"),
                ),
                None,
            ),
        ]

    summary = {
        "total_overdue": sum(row["overdue"] or 0 for row in rows),
        "total_late_on_software": sum(row["late_on_software"] or 0 for row in rows),
        "communes_with_overdue": [row["unit"] for row in with_overdue],
        "by_field": {fields[pk].code: t.resolved_overdue for pk, t in by_field.items()},
        "trend": [{"period": p.code, "overdue": history[p.pk].resolved_overdue} for p in periods],
    }
    return Page(_("Overdue dossiers"), Table(columns, rows), summary, figures)


def digitization(root, period, visible):
    communes = communes_of(root, period)
    by_unit = dossier_totals_by(period, communes, "unit")
    target = data.targets(period.year, UnitLevel.COMMUNE)
    average = data.province_averages(period, UnitLevel.COMMUNE)
    rows = []
    for unit in communes:
        totals = by_unit.get(unit.pk, DossierTotals())
        rows.append(
            {
                "code": unit.code,
                "unit": str(unit),
                "inputs": totals.inputs_digitized_rate,
                "results": totals.results_digitized_rate,
            }
        )
    summary = {}
    lines = []
    for metric, key in ((Metric.INPUTS_DIGITIZED, "inputs"), (Metric.RESULTS_DIGITIZED, "results")):
        goal, mean = target.get(metric), average.get(metric)
        summary[key] = {
            "target": goal and goal.min_percent,
            "province_average": mean,
            "meeting_target": goal and sum(bool(goal.is_met_by(row[key])) for row in rows),
            "with_data": sum(row[key] is not None for row in rows),
        }
        if mean is not None:
            label = _("%(metric)s: province average %(value)s")
            lines.append((mean, label % {"metric": metric.label, "value": charts.format_percent(mean)}))
        if goal is not None:
            label = _("%(metric)s: target %(value)s")
            lines.append(
                (
                    goal.min_percent,
                    label % {"metric": metric.label, "value": charts.format_percent(goal.min_percent)},
                )
            )
    columns = [
        Column("code", _("Code")),
        Column("unit", _("Unit")),
        Column("inputs", _("Digitized inputs (%)"), "percent"),
        Column("results", _("Digitized results (%)"), "percent"),
    ]

    def figures(shown):
        chart = charts.grouped_bars(
            [row["unit"] for row in shown],
            [
                (_("Digitized inputs"), [row["inputs"] for row in shown]),
                (_("Digitized results"), [row["results"] for row in shown]),
            ],
            _("Digitization by commune, %(period)s") % {"period": period.label},
            _("Rate (%)"),
            lines,
            value_range=charts.percent_range([row[k] for row in shown for k in ("inputs", "results")]),
        )
        return [("digitization", chart, _bounded(len(shown), len(rows)))]

    return Page(_("Digitization"), Table(columns, rows), summary, figures)


PAYMENT_STATUS = {
    "met": gettext_lazy("Met the target"),
    "missed": gettext_lazy("Below the target"),
    "not_started": gettext_lazy("Not started"),
    "no_fee_bearing": gettext_lazy("No fee-bearing dossiers"),
    "no_data": gettext_lazy("No figures reported"),
}


def payment_status(totals, target):
    # A unit that reported no figures has not "had no fee-bearing dossier": it has not said.
    if not totals.has_data:
        return "no_data"
    if not totals.fee_bearing:
        return "no_fee_bearing"
    if not totals.paid_online:
        return "not_started"
    return "met" if target and target.is_met_by(totals.online_payment_rate) else "missed"


def online_payment(root, period, visible):
    communes = communes_of(root, period)
    by_unit = dossier_totals_by(period, communes, "unit")
    target = data.targets(period.year, UnitLevel.COMMUNE).get(Metric.ONLINE_PAYMENT)
    rows = []
    for unit in communes:
        totals = by_unit.get(unit.pk, DossierTotals())
        status = payment_status(totals, target)
        rows.append(
            {
                "code": unit.code,
                "unit": str(unit),
                "paid_online": totals.paid_online,
                "fee_bearing": totals.fee_bearing,
                "rate": totals.online_payment_rate,
                "status": status,
                "status_label": PAYMENT_STATUS[status],
            }
        )
    rows.sort(key=lambda row: -(row["rate"] or -1))
    counts = {status: sum(row["status"] == status for row in rows) for status in PAYMENT_STATUS}
    columns = [
        Column("code", _("Code")),
        Column("unit", _("Unit")),
        Column("paid_online", _("Paid online"), "int"),
        Column("fee_bearing", _("Fee-bearing dossiers"), "int"),
        Column("rate", _("Rate (%)"), "percent"),
        Column("status", _("Status code")),
        Column("status_label", _("Target")),
    ]
    target_label = target and _("Target %(value)s") % {"value": charts.format_percent(target.min_percent)}
    lines = [(target.min_percent, target_label)] if target else []

    def figures(shown):
        chart = charts.commune_bars(
            [row["unit"] for row in shown],
            [row["rate"] for row in shown],
            [charts.STATUS_COLOURS[row["status"]] for row in shown],
            _("Online payment by commune, %(period)s") % {"period": period.label},
            _("Rate (%)"),
            [
                f"{row['unit']}: {charts.format_percent(row['rate'])}"
                + f" ({row['paid_online']}/{row['fee_bearing']}) · {row['status_label']}"
                for row in shown
            ],
            lines,
        )
        return [("payment", chart, _bounded(len(shown), len(rows)))]

    summary = {"target": target and target.min_percent, "counts": counts}
    return Page(_("Online payment"), Table(columns, rows), summary, figures)


def submission_list(root, period, visible):
    # Each label translated once, not once a row.
    statuses = {value: str(label) for value, label in PeriodReport.Status.choices}
    rows = [
        {
            "code": row.unit.code,
            "unit": str(row.unit),
            "status": row.report.status if row.report else None,
            "status_label": statuses[row.report.status] if row.report else _("Not started"),
            "submitted_at": row.report.submitted_at if row.report else None,
            "state": row.state,
        }
        for row in submissions(period, root, visible)
    ]
    columns = [
        Column("code", _("Code")),
        Column("unit", _("Unit")),
        Column("status_label", _("status")),
        Column("submitted_at", _("submitted at")),
        Column("state", _("On time?")),
    ]
    counts = {
        state: sum(row["state"] == state for row in rows) for state in ("on_time", "late", "not_submitted")
    }
    summary = {"counts": counts, "deadline": period.deadline}
    return Page(_("Report submissions"), Table(columns, rows), summary)


def profile(unit, period, visible):
    parent = unit.parent
    siblings = communes_of(parent, period) if parent else Unit.objects.filter(pk=unit.pk)
    own_scores = data.area_scores(period, Unit.objects.filter(pk=unit.pk)).get(unit.pk, {})
    district_average = data.pooled_area_percent(period, siblings)
    areas = list(ReformArea.objects.all())
    history = data.totals_by_period(Unit.objects.filter(pk=unit.pk))
    periods = _periods(history, period.kind)
    ranks = data.rank_history(unit, siblings, periods or [period])
    reports = list(PeriodReport.objects.filter(unit=unit).select_related("period").order_by("-period__end"))
    rows = [
        {
            "area": f"{area.number}. {area.name}",
            "percent": own_scores[area.number].percent if area.number in own_scores else None,
            "district_average": district_average.get(area.number),
            "appraised": own_scores[area.number].is_appraised if area.number in own_scores else None,
        }
        for area in areas
    ]
    columns = [
        Column("area", _("Area")),
        Column("percent", _("Score (%)"), "percent"),
        Column("district_average", _("District average (%)"), "percent"),
    ]

    def figures(shown):
        labels = [str(p.label) for p in periods]
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
                    labels,
                    [
                        (str(metric.label), [history[p.pk].rate(metric) for p in periods])
                        for metric in RATE_METRICS
                    ],
                    _("One-stop rates over the periods"),
                    _("Rate (%)"),
                ),
                None,
            ),
            (
                "profile-ranks",
                charts.trend(
                    [str(p.label) for p in periods if p.pk in ranks],
                    [(_("Rank"), [ranks[p.pk][0] for p in periods if p.pk in ranks])],
                    _("Rank among the communes of the district"),
                    _("Rank"),
                    reversed_axis=True,
                ),
                None,
            ),
        ]

    summary = {
        "ranks": [
            {"period": p.code, "rank": ranks[p.pk][0], "of": ranks[p.pk][1]} for p in periods if p.pk in ranks
        ],
        "rates": [
            {"period": p.code, **{m.value: history[p.pk].rate(m) for m in RATE_METRICS}} for p in periods
        ],
        "reports": [
            {"period": r.period.code, "status": r.status, "submitted_at": r.submitted_at, "late": r.is_late}
            for r in reports
        ],
        "_reports": reports,
    }
    return Page(str(unit), Table(columns, rows), summary, figures)


def _periods(history, kind):
    """The periods of `history` of one kind, in order: a trend of half-years then quarters would read as a
    collapse of every count."""
    periods = Period.objects.filter(pk__in=list(history), kind=kind)
    return sorted(periods, key=lambda p: (p.end, -p.start.toordinal()))


def _fields(by_field):
    return ProcedureField.objects.filter(pk__in=list(by_field))
