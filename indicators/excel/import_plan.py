"""What importing a workbook would do: its problems, or its rows and their changes, before any write."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from communes.models import Unit

from ..models import AreaScore, DossierStats, Period, PeriodReport, ProcedureField

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
STATUS_LABELS = {NEW: lambda: _("new"), CHANGED: lambda: _("changed"), UNCHANGED: lambda: _("unchanged")}


def key_for(model, unit_id, period_id, subject_id=""):
    """A stable name for a figures row or a report, by what it is about rather than by its id."""
    return f"{model._meta.model_name}:{unit_id}:{period_id}:{subject_id}"


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row and self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % vars(self)
        if self.row:
            return _("Row %(row)s: %(message)s") % vars(self)
        return self.message


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class PlannedRow:
    number: int
    unit: Unit
    period: Period
    subject: object  # the ProcedureField or the ReformArea
    record: object  # the saved row, or None for a new one
    values: dict  # what the row will hold once written
    status: str
    changes: list

    @property
    def model(self):
        return DossierStats if isinstance(self.subject, ProcedureField) else AreaScore

    @property
    def key(self):
        return key_for(self.model, self.unit.pk, self.period.pk, self.subject.pk)

    def build_record(self):
        record = self.record or self.model(unit=self.unit, period=self.period, **self._subject_kwargs())
        for name, value in self.values.items():
            setattr(record, name, value)
        return record

    def _subject_kwargs(self):
        return {"field": self.subject} if self.model is DossierStats else {"area": self.subject}


@dataclass
class Plan:
    kind: str | None = None
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    omitted_problems: int = 0  # found beyond the ones listed (import_checks.MAX_PROBLEMS_LISTED)
    reports: dict = field(default_factory=dict)  # (unit id, period id) -> PeriodReport, saved or not
    empty_rows: int = 0

    @property
    def problem_count(self):
        return len(self.problems) + self.omitted_problems

    @property
    def is_valid(self):
        return not self.problems

    @property
    def changing(self):
        return [row for row in self.rows if row.status != UNCHANGED]

    @property
    def unchanged(self):
        return [row for row in self.rows if row.status == UNCHANGED]

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new_count(self):
        return self.count(NEW)

    @property
    def changed_count(self):
        return self.count(CHANGED)

    @property
    def unchanged_count(self):
        return self.count(UNCHANGED)

    def changing_groups(self):
        groups = defaultdict(list)
        for row in self.changing:
            groups[(row.unit.pk, row.period.pk)].append(row)
        return groups

    def seen_versions(self):
        """{key: version or None} of the rows to write and their reports, as a confirmation must find them."""
        seen = {}
        for (unit_id, period_id), rows in self.changing_groups().items():
            report = self.reports[unit_id, period_id]
            seen[key_for(PeriodReport, unit_id, period_id)] = report.version if report.pk else None
            for row in rows:
                seen[row.key] = row.record.version if row.record else None
        return seen
