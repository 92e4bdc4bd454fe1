"""The skeleton every dashboard shares: the Page it returns, and the columns and notes they have in common."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext as _

from communes.db import vietnamese

from ... import figures
from ...formatting import format_number
from ...rates import rate_expression, rounded_rate_expression
from ..tables import Column, Table, records

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


CODE = [F("code")]
NAME = [vietnamese("name")]


def code_column():
    return Column("code", _("Code"), "code", order=CODE, value="code")


def unit_column():
    return Column("unit", _("Unit"), order=NAME, value=figures.unit_name())


def rate_column(key, label, metric):
    """A column of one rate of the lines: exact on screen, sorted and downloaded from SQL."""
    return Column(
        key, label, "percent", order=[rate_expression(metric)], value=rounded_rate_expression(metric)
    )


def bounded_note(shown, total):
    """The note under a chart that leaves communes out, or None when it shows them all."""
    if shown >= total:
        return None
    return _("The chart shows %(shown)s of %(total)s communes; every commune is in the downloads.") % {
        "shown": format_number(shown),
        "total": format_number(total),
    }
