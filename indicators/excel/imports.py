"""Checking a filled-in workbook of figures, then writing it: the one path of the web upload and the CLI.

build_plan() reads the file and checks every row, writing nothing; apply_plan() writes a plan without problems
through services.save_reports_figures, all rows in one transaction, refusing it if the data changed since the
preview.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import services
from ..models import PeriodReport
from . import spreadsheets
from .import_checks import ScoresChecker, StatsChecker
from .import_plan import CHANGED, NEW, STATUS_LABELS, UNCHANGED, Plan, Problem, key_for
from .spreadsheets import STATS, FileRefused

__all__ = [
    "CHANGED",
    "NEW",
    "UNCHANGED",
    "Plan",
    "Problem",
    "apply_plan",
    "build_plan",
    "describe",
    "summary",
]


def build_plan(data, user):
    """Read and check a workbook's bytes for `user`; the plan lists every problem, or what would change."""
    try:
        rows = spreadsheets.read_rows(data)
    except FileRefused as refusal:
        return Plan(problems=[Problem(None, "", refusal.message)])
    (header_row, header), body = rows[0], rows[1:]
    layout, indexes, problems = spreadsheets.match_header(spreadsheets.LAYOUTS.values(), header)
    if problems:
        return Plan(kind=layout.kind, problems=[Problem(header_row, "", message) for message in problems])
    if not body:
        message = _("The file has no rows of figures under the header row.")
        return Plan(kind=layout.kind, problems=[Problem(None, "", message)])
    checker = StatsChecker if layout.kind == STATS else ScoresChecker
    return checker(user, layout, indexes).run(body)


@transaction.atomic
def apply_plan(user, plan, seen=None):
    """Write the new and changed rows of a checked plan; {status: rows written}.

    `seen` holds the versions the user was shown (Plan.seen_versions() of the preview); if anything was saved
    since, services.StaleData is raised and nothing is written.
    """
    if not plan.is_valid:
        raise ValidationError([str(problem) for problem in plan.problems])
    current = plan.seen_versions()
    if seen is not None and current != seen:
        raise services.StaleData(_first_difference(plan, current, seen))
    # The plan's rows and reports were read with exactly the versions in `seen`: the save refuses the write
    # if another save slips in between.
    changes = []
    for key, rows in plan.changing_groups().items():
        figures = [row.build_record() for row in rows]
        scores, stats = ([], figures) if plan.kind == STATS else (figures, [])
        changes.append((plan.reports[key], None, scores, stats))
    services.save_reports_figures(user, changes)
    return {NEW: plan.count(NEW), CHANGED: plan.count(CHANGED)}


def _first_difference(plan, current, seen):
    described = {row.key: row.record or row.build_record() for row in plan.rows}
    described.update({key_for(PeriodReport, *key): report for key, report in plan.reports.items()})
    for key in sorted(set(current) | set(seen)):
        if current.get(key, "absent") != seen.get(key, "absent"):
            return described.get(key, _("the figures of this file"))
    return _("the figures of this file")


def describe(plan):
    """The plan as lines of text, for the command line."""
    if not plan.is_valid:
        return [str(problem) for problem in plan.problems]
    lines = []
    for row in plan.rows:
        if row.status == UNCHANGED:
            continue
        changes = "; ".join(f"{change.column}: {change.old} → {change.new}" for change in row.changes)
        lines.append(
            _("Row %(row)s · %(unit)s · %(period)s · %(subject)s: %(status)s. %(changes)s")
            % {
                "row": row.number,
                "unit": row.unit,
                "period": row.period.code,
                "subject": row.subject,
                "status": STATUS_LABELS[row.status](),
                "changes": changes,
            }
        )
    lines.append(summary(plan))
    return lines


def summary(plan):
    return _(
        "%(new)s new rows, %(changed)s changed, %(unchanged)s unchanged, %(empty)s empty rows skipped."
    ) % {
        "new": plan.count(NEW),
        "changed": plan.count(CHANGED),
        "unchanged": plan.count(UNCHANGED),
        "empty": plan.empty_rows,
    }
