"""Writes that touch several rows, each in one transaction, each checking the rules it enforces.

One module per concern:
- `versions`: the writer every save goes through: optimistic locks (versions), history, bulk statements;
- `report_figures`: a report's area scores and dossier statistics (report screen, Excel, admin);
- `transitions`: submitting, approving, returning and reopening a report;
- `years`: opening a year's periods, frameworks and targets;
- `fixtures`: loading the objects of a fixture that the database does not have yet (seed data).

Each of them keeps the stored totals (`indicators.totals`) in step in the same transaction.
"""

from .fixtures import FixtureMismatch, load_missing
from .report_figures import report_for, save_figures, save_reports_figures
from .transitions import approve_report, reopen_report, return_report, submit_report
from .versions import StaleData
from .years import open_year

__all__ = [
    "FixtureMismatch",
    "StaleData",
    "approve_report",
    "load_missing",
    "open_year",
    "reopen_report",
    "report_for",
    "return_report",
    "save_figures",
    "save_reports_figures",
    "submit_report",
]
