"""Read-side queries: every figure that sums rows across units, fields or periods is computed here, in SQL."""

from collections import defaultdict
from decimal import Decimal
from functools import cached_property

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from communes.db import vietnamese
from communes.models import Unit
from communes.scope import editable_units

from .formatting import format_number, format_percent
from .models import (
    CLOSING_STOCKS,
    COUNT_FIELDS,
    OPENING_STOCKS,
    AreaScore,
    ClassificationBand,
    DossierStats,
    FrameworkArea,
    Period,
    PeriodReport,
    Target,
)
from .rates import DossierRates, rate


class DossierTotals(DossierRates):
    """Summed dossier counts of several rows, with the same rates as a single row."""

    def __init__(self, **counts):
        for name in COUNT_FIELDS:
            setattr(self, name, counts.get(name) or 0)
        self.rows = counts.get("rows") or 0

    def __add__(self, other):
        summed = {name: getattr(self, name) + getattr(other, name) for name in COUNT_FIELDS}
        return DossierTotals(rows=self.rows + other.rows, **summed)

    @property
    def has_data(self):
        return self.rows > 0


def count_sums():
    """An aggregate Sum for every dossier count."""
    return {name: Sum(name) for name in COUNT_FIELDS}


def _unpublished_report():
    return Exists(
        PeriodReport.objects.filter(
            unit=OuterRef("unit"), period=OuterRef("period"), status__in=PeriodReport.UNPUBLISHED
        )
    )


def published(rows):
    """Rows whose unit's report for their period is not a draft or a returned report.

    Figures loaded without any report (by an administrator, from the command line) count as published.
    """
    return rows.exclude(_unpublished_report())


def readable_by(user, rows):
    """The rows of figures `user` may read one by one: published ones, and the unpublished ones of the units
    the user may write (workflow.why_cannot_read_figures says the same of one report)."""
    return rows.filter(~_unpublished_report() | Q(unit__in=editable_units(user)))


def _stats_rows_and_sums(period):
    """The rows that make up `period` and the aggregate of each count over them.

    A longer period uses figures entered for it directly where a unit has them (the 2023 report has only
    half-year figures); otherwise it is built from its quarters: flows are summed, the carried-over stock is
    the first quarter's and the closing stocks (pending, paused) are the last quarter's.
    """
    if period.is_quarter:
        return published(DossierStats.objects.filter(period=period)), count_sums()

    quarters = list(Period.objects.quarters_within(period).values_list("pk", "start", "end"))
    first = [pk for pk, start, _end in quarters if start == period.start]
    last = [pk for pk, _start, end in quarters if end == period.end]
    entered_directly = DossierStats.objects.filter(period=period, unit=OuterRef("unit"))
    rows = published(
        DossierStats.objects.filter(
            Q(period=period) | (Q(period__in=[pk for pk, *_ in quarters]) & ~Exists(entered_directly))
        )
    )

    def stock(name, quarter_ids):
        return Sum(Case(When(period__in=[period.pk, *quarter_ids], then=F(name)), default=0))

    sums = count_sums()
    sums.update({name: stock(name, first) for name in OPENING_STOCKS})
    sums.update({name: stock(name, last) for name in CLOSING_STOCKS})
    return rows, sums


def dossier_totals(period, units):
    """One DossierTotals for all rows of `units` (a Unit queryset) in `period`."""
    rows, sums = _stats_rows_and_sums(period)
    return DossierTotals(**rows.filter(unit__in=units).aggregate(rows=Count("pk"), **sums))


def dossier_totals_by(period, units, key):
    """{key value: DossierTotals} with rows grouped by `key` ("unit" or "field")."""
    rows, sums = _stats_rows_and_sums(period)
    grouped = rows.filter(unit__in=units).values(key).annotate(rows=Count("pk"), **sums).order_by()
    return {row.pop(key): DossierTotals(**row) for row in grouped}


CENT = Decimal("0.01")


class ScoreTotal:
    """A unit's total score for a period: points over the framework maximum, and the band it falls in."""

    def __init__(self, points, max_points, areas, appraised, band=None):
        self.points = points
        self.max_points = max_points
        self.areas = areas
        self.appraised = appraised
        self.band = band
        self.rank = None

    @cached_property
    def percent(self):
        # Cached: ranking and classifying ten thousand totals asks for it several times each.
        return rate(self.points, self.max_points)

    @property
    def is_appraised(self):
        """True only when the district has appraised every area of the total."""
        return self.areas > 0 and self.appraised == self.areas


def two_places(value):
    # SQLite sums decimals as floats; back to the two places the points are kept in.
    return value if isinstance(value, Decimal) else Decimal(value).quantize(CENT)


def score_totals(period, units):
    """{unit id: ScoreTotal} for the units that have scores in `period`, classified by the year's bands."""
    return score_totals_by_period([period], units).get(period.pk, {})


def score_totals_by_period(periods, units):
    """{period id: {unit id: ScoreTotal}} in one query, each total classified by its year's bands."""
    totals = (
        published(AreaScore.objects.filter(period__in=periods, unit__in=units))
        .values("period", "unit", "unit__level")
        .annotate(
            points=Sum(Coalesce("appraised_points", "self_points")),
            max_points=Sum("max_points"),
            areas=Count("pk"),
            appraised=Count("appraised_points"),
        )
        .order_by()
    )
    years = {period.pk: period.year for period in periods}
    bands = defaultdict(list)
    for band in (
        ClassificationBand.objects.filter(framework__year__in=set(years.values()))
        .select_related("framework")
        .order_by("rank")
    ):
        bands[band.framework.year, band.framework.level].append(band)
    result = defaultdict(dict)
    for row in totals:
        points, max_points = (two_places(row[key]) for key in ("points", "max_points"))
        total = ScoreTotal(points, max_points, row["areas"], row["appraised"])
        level_bands = bands[years[row["period"]], row["unit__level"]]
        total.band = next((band for band in level_bands if band.admits(total.percent)), None)
        result[row["period"]][row["unit"]] = total
    return result


def assign_ranks(score_totals_by_unit):
    """Rank by total percentage, highest first; equal percentages share a rank (1, 2, 2, 4)."""
    ordered = sorted(
        (total for total in score_totals_by_unit.values() if total.percent is not None),
        key=lambda total: total.percent,
        reverse=True,
    )
    for position, total in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        total.rank = previous.rank if previous and previous.percent == total.percent else position
    return score_totals_by_unit


def communes_of(unit, period):
    """The commune-level units below `unit` that existed during `period`, in Vietnamese order."""
    return Unit.objects.subtree(unit).communes().existing_between(period.start, period.end).alphabetical()


def periods_with_data():
    """Periods that have published dossier figures or scores, latest first (the first is the default).

    A commune's draft for a new period does not make it the period every dashboard opens on, empty.
    """
    # Each EXISTS on its own, so that PostgreSQL probes the period_id index once per period. Two EXISTS
    # joined by OR are planned as a scan of the whole table for each period without data (seconds at
    # 10,000 communes).
    with_stats = Period.objects.filter(Exists(published(DossierStats.objects.filter(period=OuterRef("pk")))))
    with_scores = Period.objects.filter(Exists(published(AreaScore.objects.filter(period=OuterRef("pk")))))
    has_data = Q(pk__in=with_stats.values("pk")) | Q(pk__in=with_scores.values("pk"))
    return Period.objects.filter(has_data).order_by("-end", "start")


class CommuneRow:
    def __init__(self, unit, dossiers, score):
        self.unit = unit
        self.dossiers = dossiers
        self.score = score


class Overview:
    """What a unit looks like in a period: its own one-stop shop, its communes together, and each commune."""

    def __init__(self, root, period):
        self.root = root
        self.period = period
        # Summed in SQL, the unit's own rows apart from its communes': no row per commune comes to Python.
        rows, sums = _stats_rows_and_sums(period)
        own = Case(When(unit=root.pk, then=Value(1)), default=Value(0), output_field=IntegerField())
        grouped = (
            rows.filter(Q(unit=root.pk) | Q(unit__in=communes_of(root, period).values("pk")))
            .values(own=own)
            .annotate(rows=Count("pk"), **sums)
            .order_by()
        )
        totals = {row.pop("own"): DossierTotals(**row) for row in grouped}
        self.own = totals.get(1, DossierTotals())
        self.communes_total = totals.get(0, DossierTotals())
        self.whole = self.own + self.communes_total
        self.own_score = score_totals(period, Unit.objects.filter(pk=root.pk)).get(root.pk)

    @cached_property
    def rows(self):
        """Each commune with its dossier totals and its ranked score."""
        communes = communes_of(self.root, self.period)
        return self.rows_of(communes, among=communes)

    def pages_of_rows(self):
        """self.rows as a paginator pages them, building the rows of the page it asks for only."""
        return _LazyRows(communes_of(self.root, self.period), self.rows_of)

    def rows_of(self, communes, among=None):
        """CommuneRow of `communes` (some of the unit's), ranked among all the unit's communes.

        `among`: a queryset holding them, to filter by in SQL rather than by a list of their ids.
        """
        communes = list(communes)
        ids = [unit.pk for unit in communes] if among is None else among
        by_unit = dossier_totals_by(self.period, ids, "unit")
        ranked = self._ranked_scores
        return [
            CommuneRow(unit, by_unit.get(unit.pk, DossierTotals()), ranked.get(unit.pk)) for unit in communes
        ]

    @cached_property
    def _ranked_scores(self):
        return assign_ranks(score_totals(self.period, communes_of(self.root, self.period)))


class _LazyRows:
    """A sequence of rows built from a queryset of units one slice at a time."""

    def __init__(self, units, rows_of):
        self.units = units
        self.rows_of = rows_of

    def count(self):
        return self.units.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.rows_of(self.units[index])
        return self.rows_of([self.units[index]])[0]


def area_maxima(unit, period):
    """{area id: maximum points} of the framework for the period's year and the unit's level."""
    return dict(
        FrameworkArea.objects.filter(framework__year=period.year, framework__level=unit.level).values_list(
            "area_id", "max_points"
        )
    )


def unit_totals(unit, period):
    """The unit's own dossier totals for the period, drafts included (for its own report screen)."""
    rows = DossierStats.objects.filter(unit=unit, period=period)
    return DossierTotals(**rows.aggregate(rows=Count("pk"), **count_sums()))


# Counts compared with the previous period: a change beyond three times either way is worth a second look.
TREND_CHECKED = [
    "received",
    "resolved_on_time",
    "resolved_overdue",
    "online",
    "inputs",
    "results",
    "fee_bearing",
]
TREND_FACTOR = 3


def report_warnings(report):
    """Sentences about figures that are allowed but suspicious: shown to the user, never blocking."""
    unit, period = report.unit, report.period
    totals = unit_totals(unit, period)
    if not totals.has_data:
        return []
    warnings = []
    for target in Target.objects.filter(year=period.year, level=unit.level):
        value = totals.rate(target.metric)
        if target.is_met_by(value) is False:
            warnings.append(
                _("%(metric)s: %(value)s, below the province's target of %(target)s.")
                % {
                    "metric": target.get_metric_display(),
                    "value": format_percent(value),
                    "target": format_percent(target.min_percent),
                }
            )
    previous_period = period.previous()
    previous = unit_totals(unit, previous_period) if previous_period else DossierTotals()
    for name in TREND_CHECKED:
        now, before = getattr(totals, name), getattr(previous, name)
        if before and (now > TREND_FACTOR * before or now * TREND_FACTOR < before):
            warnings.append(
                _("“%(field)s” is %(now)s against %(before)s in %(period)s: over three times more or less.")
                % {
                    "field": DossierStats._meta.get_field(name).verbose_name,
                    "now": format_number(now),
                    "before": format_number(before),
                    "period": previous_period.label,
                }
            )
    if report.overdue_on_software is not None and report.overdue_on_software != totals.resolved_overdue:
        warnings.append(
            _(
                "The report disagrees with itself: %(software)s dossiers late according to the one-stop "
                "software, but %(overdue)s dossiers resolved overdue in the statistics."
            )
            % {"software": report.overdue_on_software, "overdue": totals.resolved_overdue}
        )
    return warnings


class SubmissionRow:
    """A unit's report for a period as the completeness list shows it."""

    ON_TIME, LATE, NOT_SUBMITTED = "on_time", "late", "not_submitted"

    def __init__(self, unit, report):
        self.unit = unit
        self.report = report

    @property
    def state(self):
        if self.report is None or not self.report.is_published:
            return self.NOT_SUBMITTED
        return self.LATE if self.report.is_late else self.ON_TIME


def submissions(period, root, visible_units):
    """The root unit and its communes that existed in the period, each with its report (or None)."""
    scope = Unit.objects.filter(Q(pk=root.pk) | Q(pk__in=communes_of(root, period))).filter(
        pk__in=visible_units
    )
    units = list(scope.order_by(Case(When(pk=root.pk, then=0), default=1), vietnamese("name")))
    reports = {}
    # A subquery, not ten thousand ids; no ordering: the model's would sort by unit name for a dict.
    rows = PeriodReport.objects.filter(period=period, unit__in=scope)
    for report in rows.only("unit_id", "period_id", "status", "submitted_at").order_by():
        report.period = period  # is_late reads the deadline: the same period for all
        reports[report.unit_id] = report
    return [SubmissionRow(unit, reports.get(unit.pk)) for unit in units]


def submission_counts(period, root, visible_units):
    """(communes that submitted, communes) below `root` in `period` among `visible_units`, as submissions()
    tells them apart, in two counts rather than a row per commune."""
    communes = communes_of(root, period).filter(pk__in=visible_units).exclude(pk=root.pk)
    submitted = PeriodReport.objects.filter(period=period, unit__in=communes).exclude(
        status__in=PeriodReport.UNPUBLISHED
    )
    return submitted.count(), communes.count()
