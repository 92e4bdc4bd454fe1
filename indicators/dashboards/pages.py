"""What each dashboard shows: its data table (read a page at a time), summary and charts, from the figures."""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Case, Count, F, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _

from communes.db import vietnamese
from communes.models import UnitLevel

from .. import figures
from ..formatting import format_number, format_percent
from ..models import PeriodReport, ReformArea
from ..rates import Metric, as_float, rate_expression, rounded_rate_expression
from . import charts
from .tables import Column, Rows, Table, records

# Charts with a bar or a row per commune show at most this many communes; the downloads have them all.
CHART_LIMIT = 50


@dataclass
class Page:
    title: str
    table: Table
    summary: dict = field(default_factory=dict)  # figures of the page, in the JSON and for the template
    # charts(shown rows) -> [(figure id, figure, note or None)]: built for the HTML page only, from the rows
    # of the page of the table on screen (the downloads never build charts).
    charts: Callable = None
    # details(rows of the JSON) -> more of the JSON, from all its rows: never computed for the HTML page.
    details: Callable = None
    context: dict = field(default_factory=dict)  # what the page's template shows besides the table
    # shown_context(shown rows) -> more for the template, from the rows on screen.
    shown_context: Callable = None
    # listing() -> the Table it pages through when not its data table (the overview's communes): built for
    # the HTML page only.
    listing: Callable = None
    # headline() -> the page's answer in one sentence, above its charts: for the HTML page only.
    headline: Callable = None

    def payload(self, period, root):
        rows = records(self.table)
        return {
            "period": {"code": period.code, "label": str(period.label)},
            "unit": {"code": root.code, "name": str(root)},
            **self.summary,
            **(self.details(rows) if self.details else {}),
            "rows": rows,
        }


RATE_METRICS = figures.RATE_METRICS
RATE_COLUMNS = [
    "own",
    "communes",
    "whole",
    "previous_whole",
    "change",
    "own_target",
    "communes_target",
    "whole_met",
    "own_met",
    "communes_met",
    "all_met",
]
CODE = [F("code")]
NAME = [vietnamese("name")]


def _code_column():
    return Column("code", _("Code"), "code", order=CODE, value="code")


def _unit_column():
    return Column("unit", _("Unit"), order=NAME, value=figures.unit_name())


def _rate_column(key, label, metric):
    """A column of one rate of the lines: exact on screen, sorted and downloaded from SQL."""
    return Column(
        key, label, "percent", order=[rate_expression(metric)], value=rounded_rate_expression(metric)
    )


def _bounded(shown, total):
    """The note under a chart that leaves communes out, or None when it shows them all."""
    if shown >= total:
        return None
    return _("The chart shows %(shown)s of %(total)s communes; every commune is in the downloads.") % {
        "shown": format_number(shown),
        "total": format_number(total),
    }


def overview(root, period, visible):
    previous_period = period.comparable_previous()
    current, previous = figures.overviews(root, [period, previous_period])
    rows = [
        {
            "metric": rates.metric.value,
            "label": rates.metric.label,
            **{name: getattr(rates, name) for name in RATE_COLUMNS},
        }
        for rates in figures.rate_figures(root, period, current, previous)
    ]
    score = current.score
    summary = {
        "overdue": {
            "own": current.own.resolved_overdue,
            "communes": current.communes_total.resolved_overdue,
            "previous_whole": previous.whole.resolved_overdue if previous else None,
        },
        "submitted": figures.communes_submitted(root, period, visible),
        "score": score
        and {
            "points": float(score.points),
            "max_points": float(score.max_points),
            "percent": float(round(score.percent, 2)),
            "classification": score.band and score.band.label,
            "appraised": score.is_appraised,
        },
        "comparable_period": previous_period and previous_period.code,
    }
    columns = [
        Column("metric", _("Metric code"), shown=False),
        Column("label", _("Metric")),
        Column("own", _("District level"), "percent"),
        Column("communes", _("Communes together"), "percent"),
        Column("whole", _("Whole district"), "percent"),
        Column("previous_whole", _("Same period last year"), "percent"),
        Column("change", _("Change on last year"), "change"),
        Column("own_target", _("Target, district level"), "percent"),
        Column("communes_target", _("Target, commune level"), "percent"),
        Column("whole_met", _("Whole district met the target")),
        Column("own_met", _("District level met the target")),
        Column("communes_met", _("Communes met the target")),
    ]

    def figures_of(shown):
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

    context = {"overview": current, "score": score}
    communes = functools.partial(_commune_table, root, period)
    return Page(_("Overview"), Table(columns, rows), summary, figures_of, context=context, listing=communes)


def _commune_table(root, period):
    """The overview's communes, with their dossiers and score: a table of their own, paged."""
    return Table(
        [
            Column("code", _("Code"), "code", order=CODE),
            Column("unit", _("Unit"), order=NAME, cell=_profile_link(period)),
            Column("handled", _("Received"), "int", order=[F("carried_over") + F("received")]),
            Column("on_time", _("On time"), "percent", order=[rate_expression(Metric.ON_TIME)]),
            Column("overdue", _("Overdue"), "int", order=[F("resolved_overdue")]),
            Column("online", _("Online"), "percent", order=[rate_expression(Metric.ONLINE)]),
            Column(
                "inputs", _("Digitized inputs"), "percent", order=[rate_expression(Metric.INPUTS_DIGITIZED)]
            ),
            Column(
                "results",
                _("Digitized results"),
                "percent",
                order=[rate_expression(Metric.RESULTS_DIGITIZED)],
            ),
            Column("payment", _("Paid online"), "percent", order=[rate_expression(Metric.ONLINE_PAYMENT)]),
            Column("score", _("Score"), "percent", order=[F("percent")], cell=_score_cell),
            Column("classification", _("Classification"), order=[F("place")]),
            Column("rank", _("Rank"), "int", order=[F("place")]),
        ],
        Rows(figures.commune_lines(root, period), _overview_rows, [*NAME, *CODE]),
        sort="unit",
    )


def _profile_link(period):
    # The URL is reversed once a page and each code put into it as reverse() quotes it: reversed for each of
    # the page's fifty communes, it took a tenth of a district's overview.
    pattern = reverse("commune_profile", args=[PLACEHOLDER])

    def cell(row):
        url = pattern.replace(PLACEHOLDER, quote(row["code"], safe=f"{RFC3986_SUBDELIMS}/~:@"))
        return format_html('<a href="{}?period={}">{}</a>', url, period.code, row["unit"])

    return cell


PLACEHOLDER = "__code__"


def _score_cell(row):
    if row["score"] is None or row["line"].is_appraised:
        return format_percent(row["score"])
    mark = _("self-assessed, not yet appraised by the district")
    return format_html('{} <abbr title="{}">*</abbr>', format_percent(row["score"]), mark)


def _overview_rows(lines, units):
    return [
        {
            "code": line.code,
            "unit": line.unit_name,
            "line": line,
            "handled": line.handled if line.has_data else None,
            "on_time": line.on_time_rate,
            "overdue": line.resolved_overdue if line.has_data else None,
            "online": line.online_rate,
            "inputs": line.inputs_digitized_rate,
            "results": line.results_digitized_rate,
            "payment": line.online_payment_rate,
            "score": line.score_percent,
            "classification": line.band and line.band.label,
            "rank": line.place if line.has_score else None,
        }
        for line in lines
    ]


def ranking(root, period, visible):
    lines = figures.ranked_lines(root, period, figures.bands_of(period.year))
    previous_period = period.comparable_previous()
    areas = list(ReformArea.objects.all())
    area_keys = [f"area_{area.number}" for area in areas]

    def build(shown, units):
        before = figures.places(root, previous_period, units) if previous_period else {}
        rows = []
        for line in shown:
            previous_rank = before.get(line.pk)
            row = {
                "rank": line.place,
                "code": line.code,
                "unit": line.unit_name,
                "percent": line.score_percent,
                "points": line.points,
                "max_points": line.max_points,
                "classification": line.band and line.band.label,
                "band": line.band,
                "previous_rank": previous_rank,
                "rank_change": figures.rank_change(previous_rank, line.place),
                "appraised": line.is_appraised,
            }
            for key, area in zip(area_keys, areas, strict=True):
                row[key] = line.area_percent(area.pk)
            rows.append(row)
        return rows

    def complete(records, ids):
        before = figures.places(root, previous_period, lines.units) if previous_period else {}
        for record, pk in zip(records, ids, strict=True):
            previous_rank = before.get(pk)
            record["previous_rank"] = previous_rank
            record["rank_change"] = figures.rank_change(previous_rank, record["rank"])

    columns = [
        Column("rank", _("Rank"), "int", order=[F("place")], value="place"),
        _code_column(),
        _unit_column(),
        Column(
            "percent", _("Score (%)"), "percent", order=[F("percent")], value=figures.rounded_score_percent()
        ),
        Column("points", _("Points"), "points", order=[F("points")], value=as_float("points")),
        Column("max_points", _("Maximum points"), "points", shown=False, value=as_float("max_points")),
        Column(
            "classification", _("Classification"), order=[F("place")], value=figures.band_label(lines.bands)
        ),
        Column("previous_rank", _("Rank, same period last year"), "int"),
        Column("rank_change", _("Places gained"), "int"),
        Column(
            "appraised",
            _("Appraised"),
            order=[F("appraised_areas") - F("areas")],
            value=figures.appraised(),
        ),
        *[
            Column(key, f"{a.number}. {a.short_name} (%)", "percent", value=figures.rounded_area_percent(a))
            for key, a in zip(area_keys, areas, strict=True)
        ],
    ]

    def figures_of(shown):
        names = [row["unit"] for row in shown]
        bar = charts.commune_bars(
            names,
            [row["percent"] for row in shown],
            [charts.band_colour(row["band"]) for row in shown],
            _("Total score by commune, %(period)s") % {"period": period.label},
            _("Score (%)"),
            [
                f"{row['rank']}. {row['unit']}: {charts.format_percent(row['percent'])}"
                + f" · {row['classification'] or ''}"
                + ("" if row["appraised"] else f" · {_('self-assessed')}")
                for row in shown
            ],
            value_range=charts.PERCENT_AXIS,
        )
        grid = charts.heatmap(
            names,
            [f"{a.number}. {a.short_name}" for a in areas],
            [[row[f"area_{a.number}"] for a in areas] for row in shown],
            _("Score by reform area (%)"),
        )
        note = _bounded(len(shown), ranked)
        return [("ranking-bar", bar, note), ("ranking-heatmap", grid, note)]

    # Each band with the colour of its bars: the chart's legend.
    bands = [
        (label, charts.BAND_COLOURS.get(rank, charts.NO_BAND), count)
        for label, rank, count in figures.band_counts(root, period, lines.bands)
    ]
    ranked = sum(count for *_band, count in bands)

    def details(rows):
        names = {}
        for row in rows:
            names.setdefault(row["classification"] or "", []).append(row["unit"])
        return {"classification": names}

    def named(shown):
        # A district's communes are all on one page: each band names them.
        names = {}
        # In rank order whatever order the table is in (a stable sort: ties keep theirs).
        for row in sorted(shown, key=lambda row: row["rank"]) if ranked <= len(shown) else []:
            names.setdefault(row["classification"] or "", []).append(row["unit"])
        return {"named": names}

    table = Table(columns, Rows(lines, build, [*NAME, *CODE], complete), sort="rank")
    page = Page(_("Ranking"), table, {"ranked": ranked}, figures_of, details, {"bands": bands})
    page.shown_context = named
    return page


def _overdue(lines):
    # A commune that reported nothing has no count, which is not a count of nought.
    return lines.annotate(overdue=Case(When(stats_rows__gt=0, then=F("resolved_overdue"))))


def overdue(root, period, visible):
    lines = _overdue(figures.dossier_lines(root, period))
    by_field = figures.commune_totals_by_field(root, period)
    history = figures.trend(root, period, communes=True)

    def build(shown, units):
        return [
            {
                "code": line.code,
                "unit": line.unit_name,
                "overdue": line.overdue,
                "late_on_software": line.overdue_on_software,
                "on_time_rate": line.on_time_rate,
            }
            for line in shown
        ]

    columns = [
        _code_column(),
        _unit_column(),
        Column("overdue", _("Resolved overdue"), "int", order=[F("overdue")], value="overdue"),
        Column(
            "late_on_software",
            _("Late according to the one-stop software"),
            "int",
            order=[F("overdue_on_software")],
            value="overdue_on_software",
        ),
        _rate_column("on_time_rate", _("On time (%)"), Metric.ON_TIME),
    ]
    with_overdue = lines.filter(resolved_overdue__gt=0).order_by(F("resolved_overdue").desc(), *NAME, *CODE)
    together = figures.communes_total(root, period)

    def figures_of(shown):
        # The communes with the most overdue dossiers, whichever page of the table is on screen; the fields
        # that had any.
        top = with_overdue[:CHART_LIMIT]
        late_fields = {field: totals for field, totals in by_field.items() if totals.resolved_overdue}
        return [
            (
                "overdue-communes",
                charts.commune_bars(
                    [line.unit_name for line in top],
                    [line.resolved_overdue for line in top],
                    ["#b42318"] * len(top),
                    _("Dossiers resolved overdue by commune"),
                    _("Dossiers"),
                    [f"{line.unit_name}: {line.resolved_overdue}" for line in top],
                ),
                _bounded(len(top), with_overdue.count()),
            ),
            (
                "overdue-fields",
                charts.commune_bars(
                    [str(f) for f in late_fields],
                    [t.resolved_overdue for t in late_fields.values()],
                    ["#c58a00"] * len(late_fields),
                    _("Dossiers resolved overdue by procedure field"),
                    _("Dossiers"),
                    [f"{f}: {t.resolved_overdue}" for f, t in late_fields.items()],
                ),
                None,
            ),
            (
                "overdue-trend",
                charts.trend(
                    [str(p.label) for p, _totals in history],
                    [(_("Resolved overdue"), [t.resolved_overdue for _p, t in history])],
                    _("Dossiers resolved overdue over the periods"),
                    _("Dossiers"),
                ),
                None,
            ),
        ]

    summary = {
        "total_overdue": together.resolved_overdue,
        "total_late_on_software": together.late_on_software or 0,
        "by_field": {f.code: t.resolved_overdue for f, t in by_field.items()},
        "trend": [{"period": p.code, "overdue": t.resolved_overdue} for p, t in history],
    }

    def details(rows):
        # In the order of the rows: most overdue dossiers first.
        return {"communes_with_overdue": [row["unit"] for row in rows if row["overdue"]]}

    def headline():
        values = {
            "dossiers": format_number(together.resolved_overdue),
            "communes": format_number(with_overdue.count()),
            "total": format_number(lines.count()),
        }
        return _("%(dossiers)s dossiers resolved overdue, in %(communes)s of %(total)s communes.") % values

    default = [F("overdue").desc(nulls_last=True), *NAME, *CODE]
    table = Table(columns, Rows(lines.order_by(*default), build, [*NAME, *CODE]), sort="-overdue")
    # Why two overdue counts: the software's own count is what the province checks the statistics against.
    note = _(
        "“Late according to the one-stop software” is the count the commune reads off the province's "
        "one-stop software; it should equal the dossiers resolved overdue in its statistics. A difference "
        "is worth checking with the commune."
    )
    return Page(
        _("Overdue dossiers"), table, summary, figures_of, details, {"table_note": note}, headline=headline
    )


def digitization(root, period, visible):
    lines = figures.dossier_lines(root, period)
    target = figures.targets(period.year, UnitLevel.COMMUNE)
    average = figures.province_averages(period, UnitLevel.COMMUNE)

    def build(shown, units):
        return [
            {
                "code": line.code,
                "unit": line.unit_name,
                "inputs": line.inputs_digitized_rate,
                "results": line.results_digitized_rate,
            }
            for line in shown
        ]

    summary = {}
    lines_drawn = []
    metrics = {Metric.INPUTS_DIGITIZED: "inputs", Metric.RESULTS_DIGITIZED: "results"}
    counted = figures.meeting(lines.units, period, {metric: target.get(metric) for metric in metrics})
    for metric, key in metrics.items():
        goal, mean = target.get(metric), average.get(metric)
        with_data, meeting_target = counted[metric]
        summary[key] = {
            "target": goal and goal.min_percent,
            "province_average": mean,
            "meeting_target": goal and meeting_target,
            "with_data": with_data,
        }
        if mean is not None:
            label = _("%(metric)s: province average %(value)s")
            lines_drawn.append((mean, label % {"metric": metric.label, "value": charts.format_percent(mean)}))
        if goal is not None:
            label = _("%(metric)s: target %(value)s")
            value = charts.format_percent(goal.min_percent)
            lines_drawn.append((goal.min_percent, label % {"metric": metric.label, "value": value}))
    columns = [
        _code_column(),
        _unit_column(),
        _rate_column("inputs", _("Digitized inputs (%)"), Metric.INPUTS_DIGITIZED),
        _rate_column("results", _("Digitized results (%)"), Metric.RESULTS_DIGITIZED),
    ]

    def figures_of(shown):
        chart = charts.grouped_bars(
            [row["unit"] for row in shown],
            [
                (_("Digitized inputs"), [row["inputs"] for row in shown]),
                (_("Digitized results"), [row["results"] for row in shown]),
            ],
            _("Digitization by commune, %(period)s") % {"period": period.label},
            _("Rate (%)"),
            lines_drawn,
            value_range=charts.PERCENT_AXIS,
        )
        return [("digitization", chart, _bounded(len(shown), lines.count()))]

    def headline():
        # Counted by then: reading the page of the table counted its lines.
        total = lines.count()
        sentences = []
        for metric, key in metrics.items():
            goal = summary[key]["target"]
            values = {"metric": metric.label, "total": format_number(total)}
            if goal is None:
                sentences.append(_("%(metric)s: no target set.") % values)
                continue
            values |= {"met": format_number(summary[key]["meeting_target"]), "target": format_percent(goal)}
            sentences.append(
                _("%(metric)s: %(met)s of %(total)s communes meet the target of %(target)s.") % values
            )
        return " ".join(sentences)

    table = Table(columns, Rows(lines, build, [*NAME, *CODE]), sort="unit")
    return Page(_("Digitization"), table, summary, figures_of, headline=headline)


PAYMENT_STATUS = figures.PAYMENT_STATUS


def online_payment(root, period, visible):
    target = figures.targets(period.year, UnitLevel.COMMUNE).get(Metric.ONLINE_PAYMENT)
    lines = figures.dossier_lines(root, period).annotate(status=figures.payment_status(target))

    labels = {status: str(label) for status, label in PAYMENT_STATUS.items()}  # translated once

    def build(shown, units):
        return [
            {
                "code": line.code,
                "unit": line.unit_name,
                "paid_online": line.paid_online,
                "fee_bearing": line.fee_bearing,
                "rate": line.online_payment_rate,
                "status": line.status,
                "status_label": labels[line.status],
            }
            for line in shown
        ]

    by_status = lines.rows.values("status").annotate(communes=Count("pk")).order_by()
    found = {row["status"]: row["communes"] for row in by_status}
    counts = {status: found.get(status, 0) for status in PAYMENT_STATUS}
    rate = rate_expression(Metric.ONLINE_PAYMENT)
    status_label = Case(*[When(status=status, then=Value(label)) for status, label in labels.items()])
    columns = [
        _code_column(),
        _unit_column(),
        Column("paid_online", _("Paid online"), "int", order=[F("paid_online")], value="paid_online"),
        Column(
            "fee_bearing", _("Fee-bearing dossiers"), "int", order=[F("fee_bearing")], value="fee_bearing"
        ),
        _rate_column("rate", _("Rate (%)"), Metric.ONLINE_PAYMENT),
        Column("status", _("Status code"), shown=False, value="status"),
        Column("status_label", _("Target"), order=[rate], value=status_label),
    ]
    target_label = target and _("Target %(value)s") % {"value": charts.format_percent(target.min_percent)}
    drawn = [(target.min_percent, target_label)] if target else []
    total = sum(counts.values())

    def figures_of(shown):
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
            drawn,
        )
        return [("payment", chart, _bounded(len(shown), total))]

    summary = {"target": target and target.min_percent, "counts": counts}

    def headline():
        if target is None:
            return _("No online-payment target is set for %(year)s.") % {"year": period.year}
        values = {
            "met": format_number(counts["met"]),
            "total": format_number(total),
            "target": format_percent(target.min_percent),
            "none": format_number(counts["not_started"]),
        }
        return (
            _(
                "%(met)s of %(total)s communes meet the online-payment target of %(target)s; "
                "%(none)s have no payment online yet."
            )
            % values
        )

    default = [rate.desc(nulls_last=True), *NAME, *CODE]
    table = Table(columns, Rows(lines.order_by(*default), build, [*NAME, *CODE]), sort="-rate")
    # The colours of the bars, each with how many communes have it.
    legend = [
        (charts.STATUS_COLOURS[status], labels[status], count) for status, count in counts.items() if count
    ]
    return Page(
        _("Online payment"), table, summary, figures_of, context={"legend": legend}, headline=headline
    )


def submission_list(root, period, visible):
    units, rows = figures.submissions(root, period, visible)
    # Each label translated once, not once a row.
    statuses = {value: str(label) for value, label in PeriodReport.Status.choices}
    not_started = str(PeriodReport.NOT_STARTED)

    def build(shown, _units):
        return [
            {
                "code": line.code,
                "unit": line.unit_name,
                "status": line.report_status,
                "status_label": statuses[line.report_status] if line.report_status else not_started,
                "submitted_at": line.submitted_at,
                "state": line.state,
            }
            for line in shown
        ]

    status_label = Case(
        *[When(report_status=status, then=Value(label)) for status, label in statuses.items()],
        default=Value(not_started),
    )
    columns = [
        _code_column(),
        _unit_column(),
        Column("status", _("Status code"), shown=False, value="report_status"),
        Column("status_label", _("status"), order=[F("report_status")], value=status_label),
        Column("submitted_at", _("submitted at"), order=[F("submitted_at")], value="submitted_at"),
        Column("state", _("On time?"), order=[F("state")], value="state"),
    ]
    lines = figures.Lines(rows, units, {})
    table = Table(columns, Rows(lines, build, [*NAME, *CODE]), sort="unit")

    def counted(_shown):
        return {"counts": figures.submission_counts(root, period, visible)}

    def details(rows):
        # The download has every row: counted as they are, not by a second query over all units.
        return {"counts": figures.tally_states(row["state"] for row in rows)}

    summary = {"deadline": period.deadline}
    return Page(_("Report submissions"), table, summary, details=details, shown_context=counted)


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
                    [(str(metric.label), [t.rate(metric) for _p, t in history]) for metric in RATE_METRICS],
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
        "rates": [{"period": p.code, **{m.value: t.rate(m) for m in RATE_METRICS}} for p, t in history],
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
