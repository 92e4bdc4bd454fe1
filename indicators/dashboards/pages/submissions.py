"""Tình hình nộp báo cáo: each unit's report for the period, submitted on time, late or not yet."""

from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from ... import figures
from ...models import PeriodReport
from ..tables import Column, Rows, Table
from .base import CODE, NAME, Page, code_column, unit_column


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
        code_column(),
        unit_column(),
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
