"""Hồ sơ trễ hạn: dossiers resolved overdue, by commune, by procedure field and over the periods."""

from django.db.models import Case, F, When
from django.utils.translation import gettext as _

from ... import figures
from ...formatting import format_number
from ...rates import Metric
from .. import charts
from ..tables import Column, Rows, Table
from .base import CHART_LIMIT, CODE, NAME, Page, bounded_note, code_column, rate_column, unit_column


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
        code_column(),
        unit_column(),
        Column("overdue", _("Resolved overdue"), "int", order=[F("overdue")], value="overdue"),
        Column(
            "late_on_software",
            _("Late according to the one-stop software"),
            "int",
            order=[F("overdue_on_software")],
            value="overdue_on_software",
        ),
        rate_column("on_time_rate", _("On time (%)"), Metric.ON_TIME),
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
                bounded_note(len(top), with_overdue.count()),
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
