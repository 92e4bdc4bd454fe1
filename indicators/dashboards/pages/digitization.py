"""Số hoá: digitized inputs and results by commune, against the targets and the province's average."""

from django.utils.translation import gettext as _

from communes.models import UnitLevel

from ... import figures
from ...formatting import format_number, format_percent
from ...rates import Metric
from .. import charts
from ..tables import Rows, Table
from .base import CODE, NAME, Page, bounded_note, code_column, rate_column, unit_column


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
        code_column(),
        unit_column(),
        rate_column("inputs", _("Digitized inputs (%)"), Metric.INPUTS_DIGITIZED),
        rate_column("results", _("Digitized results (%)"), Metric.RESULTS_DIGITIZED),
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
        return [("digitization", chart, bounded_note(len(shown), lines.count()))]

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
