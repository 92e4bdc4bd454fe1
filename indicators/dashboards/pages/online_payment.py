"""Thanh toán trực tuyến: fees paid online by commune, against the target."""

from django.db.models import Case, Count, F, Value, When
from django.utils.translation import gettext as _

from communes.models import UnitLevel

from ... import figures
from ...formatting import format_number, format_percent
from ...rates import Metric, rate_expression
from .. import charts
from ..tables import Column, Rows, Table
from .base import CODE, NAME, Page, bounded_note, code_column, rate_column, unit_column

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
        code_column(),
        unit_column(),
        Column("paid_online", _("Paid online"), "int", order=[F("paid_online")], value="paid_online"),
        Column(
            "fee_bearing", _("Fee-bearing dossiers"), "int", order=[F("fee_bearing")], value="fee_bearing"
        ),
        rate_column("rate", _("Rate (%)"), Metric.ONLINE_PAYMENT),
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
        return [("payment", chart, bounded_note(len(shown), total))]

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
