"""Tổng quan: the unit's one-stop rates against their targets, and its communes' table."""

import functools
from urllib.parse import quote

from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _

from ... import figures
from ...formatting import format_percent
from ...rates import Metric, rate_expression
from .. import charts
from ..tables import Column, Rows, Table
from .base import (
    CODE,
    NAME,
    Page,
)

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
