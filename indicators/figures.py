"""The figures: read functions returning typed objects, from the stored totals (totals.py).

Pages, JSON, CSV, xlsx and the Word report read these and nothing else. Where each rule lives:
- published (submitted or approved, or loaded without a report): totals.published, applied when totals
  are stored, so everything read here is published;
- points (appraised, else self-assessed): AreaScore.points, in SQL AreaScore.objects.with_points();
- percent, band: totals.compute; rank: totals.score_rank;
- existed during a period: communes.models.existed_between (communes_of; totals.existed_during_period);
- no data: a line without statistics has counts of nought and no rate (rates.rate: nothing to divide by);
- payment status: payment_status(); submitted and late: PeriodReport.PUBLISHED and late_after();
- places gained since the comparable period: rank_change();
- comparable period: Period.comparable_previous(); trends keep to one period kind: trend().
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    CharField,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, Round
from django.utils.translation import gettext_lazy as _

from communes.db import vietnamese
from communes.models import Unit, UnitLevel, branch_ids, kind_labels

from .models import (
    COUNT_FIELDS,
    AreaScore,
    ClassificationBand,
    CommuneFieldTotals,
    CommuneTotals,
    Period,
    PeriodReport,
    ProcedureField,
    ProvinceAverage,
    ReformArea,
    StoredCounts,
    Target,
    UnitTotals,
)
from .rates import DossierRates, Metric, as_float, meets, rate, rounded_percent_expression
from .totals import AREA_KEY_PREFIX, area_key, published, score_rank, stats_rows_and_sums

# Vietnamese alphabetical order of units (the code tells apart two of the same name).
ALPHABETICAL = [vietnamese("name"), "code"]
# Units given to a read: a queryset, or their ids.
Units = QuerySet | Iterable[int]

COUNTED = ["stats_rows", "areas", "appraised_areas", *COUNT_FIELDS]
OPTIONAL = ["points", "max_points", "percent", "rank", "ranked", "overdue_on_software", "area_percents"]


class DossierTotals(DossierRates):
    """Summed dossier counts, with the same rates as a single row; `rows` statistics rows went into it."""

    def __init__(self, **counts):
        for name in COUNT_FIELDS:
            setattr(self, name, counts.get(name) or 0)
        self.rows = counts.get("rows") or 0
        # Dossiers late according to the one-stop software, as the reports state them (None: not stated).
        self.late_on_software = counts.get("late_on_software")

    def __add__(self, other):
        summed = {name: getattr(self, name) + getattr(other, name) for name in COUNT_FIELDS}
        # Stated by either, or by neither (None), as SQL sums them.
        stated = [totals.late_on_software for totals in (self, other) if totals.late_on_software is not None]
        late = sum(stated) if stated else None
        return DossierTotals(rows=self.rows + other.rows, late_on_software=late, **summed)

    @property
    def has_data(self):
        return self.rows > 0


def _sums():
    return {"rows": Sum("stats_rows"), **{name: Sum(name) for name in COUNT_FIELDS}}


class Line(DossierRates):
    """A unit and its stored totals for a period, as plain values: counts are nought where it has none."""

    def __init__(self, values, bands, kinds):
        self.__dict__.update(values)
        self.band = bands.get(values.get("band_id"))
        self.unit_name = f"{kinds[self.kind]} {self.name}"

    # The same rules as the stored rows the values come from.
    has_data = StoredCounts.has_data
    is_appraised = UnitTotals.is_appraised

    @property
    def has_score(self):
        return self.percent is not None

    @property
    def score_percent(self):
        """The exact percentage of the total score (the stored one is for sorting in SQL)."""
        return rate(self.points, self.max_points)

    def area_percent(self, area_id):
        """The percentage in a reform area, rounded as stored and downloaded; None without a score in it."""
        return (self.area_percents or {}).get(area_key(area_id))


def unit_name() -> Expression:
    """Each unit's name as shown ("Xã Ngọc Kỳ", as Line.unit_name), in SQL."""
    kind = Case(*[When(kind=k, then=Value(label)) for k, label in kind_labels().items()], default=Value(""))
    return Concat(kind, Value(" "), F("name"), output_field=CharField())


def hundredths(points: Expression | str) -> Expression:
    """Points (two decimal places) as whole hundredths of a point, in SQL."""
    return Cast(Round(points * 100), BigIntegerField())


def rounded_score_percent() -> Expression:
    """The lines' score percentage rounded for the downloads, in SQL (Line.score_percent, rounded)."""
    return rounded_percent_expression(hundredths(F("points")), hundredths(F("max_points")))


def appraised() -> Expression:
    """Whether each line's score is appraised in every area (UnitTotals.is_appraised), in SQL."""
    return ExpressionWrapper(Q(areas__gt=0, appraised_areas=F("areas")), output_field=BooleanField())


def band_label(bands: dict[int, ClassificationBand]) -> Expression:
    """The label of each line's band (None without one), in SQL; `bands`: {band id: ClassificationBand}."""
    labels = [When(band_id=pk, then=Value(band.label)) for pk, band in bands.items()]
    return Case(*labels, default=None, output_field=CharField())


def communes_of(unit: Unit, period: Period) -> QuerySet[Unit]:
    """The commune-level units below `unit` that existed during `period`, in Vietnamese order."""
    return Unit.objects.communes_in(unit).existing_between(period.start, period.end).alphabetical()


def with_totals(units: QuerySet[Unit], period: Period) -> QuerySet:
    """`units` (a Unit queryset) as values, each with its stored totals for `period` under their own names."""
    joined = units.annotate(t=FilteredRelation("totals", condition=Q(totals__period=period)))
    return joined.annotate(
        **{name: Coalesce(F(f"t__{name}"), 0) for name in COUNTED},
        **{name: F(f"t__{name}") for name in OPTIONAL},
        band_id=F("t__band"),
    ).values("pk", "code", "name", "kind", *COUNTED, *OPTIONAL, "band_id")


class Lines:
    """Lines of a values queryset, read from SQL a slice at a time (a paginator asks for one page).

    `units`: the Unit queryset the lines are of, which counts them and says whose other figures to fetch.
    """

    def __init__(self, rows, units, bands, counted=None):
        self.rows, self.units, self.bands = rows, units, bands
        self.counted = units if counted is None else counted
        # [how many, once counted]: shared with the same lines in another order (_same), so that the
        # paginator and the page count them once between them.
        self._count = [None]
        self.kinds = kind_labels()

    def count(self):
        if self._count[0] is None:
            self._count[0] = self.counted.count()
        return self._count[0]

    __len__ = count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._slice(index)
        return Line(self.rows[index], self.bands, self.kinds)

    def _slice(self, index):
        """The lines of a slice in two short queries. The first sorts every line but reads only their ids,
        how many lines there are in all (so the paginator needs no count) and what a window computes over
        all of them (a rank); the second reads the values of those few. Sorting thousands of rows as wide
        as a whole line took most of a page's time."""
        annotations = self.rows.query.annotations.items()
        windows = [name for name, expression in annotations if expression.contains_over_clause]
        ordered = self.rows.annotate(lines_in_all=Window(Count("pk")))
        found = list(ordered.values_list("pk", "lines_in_all", *windows)[index])
        if not found:
            return []
        self._count[0] = found[0][1]
        chosen = self.rows.filter(pk__in=[pk for pk, *_rest in found]).order_by()
        by_pk = {values["pk"]: values for values in chosen}
        return [
            Line(by_pk[pk] | dict(zip(windows, computed, strict=True)), self.bands, self.kinds)
            for pk, _in_all, *computed in found
        ]

    def __iter__(self):
        return (Line(values, self.bands, self.kinds) for values in self.rows)

    def order_by(self, *order):
        return self._same(self.rows.order_by(*order))

    def annotate(self, **expressions):
        return self._same(self.rows.annotate(**expressions))

    def _same(self, rows):
        """Other rows of the same lines: as many as these, counted once for all."""
        lines = Lines(rows, self.units, self.bands, self.counted)
        lines._count = self._count
        return lines

    def filter(self, *conditions, **lookups):
        rows = self.rows.filter(*conditions, **lookups)
        return Lines(rows, self.units, self.bands, rows)


def bands_of(year: int) -> dict[int, ClassificationBand]:
    """{band id: ClassificationBand} of a year, for every level."""
    return {band.pk: band for band in ClassificationBand.objects.filter(framework__year=year)}


def _place(root, period):
    """The rank among `root`'s communes in `period` of the lines with a score; None for the others."""
    return (
        F("rank")
        if _stored_ranks_apply(root, period)
        else Case(When(percent__isnull=False, then=score_rank()))
    )


def _stored_ranks_apply(root, period):
    """Whether the stored ranks (among a unit's siblings) are the ranks among `root`'s communes: when every
    one of them is a direct child of `root`, as in a district, or a province since the 2025 reform.

    Asked of the units between `root` and its communes (none in a province of communes): asked of the
    communes instead, it read all ten thousand of a province to find none."""
    if root.level == UnitLevel.COMMUNE:
        return False  # a commune is its own only commune: not its own child
    if not root.has_communes_below_units_between:
        return True  # for every period, without asking again
    below_between = Unit.objects.communes_below_units_between(root)
    return not below_between.existing_between(period.start, period.end).exists()


def commune_lines(root: Unit, period: Period, bands: dict | None = None) -> Lines:
    """Every commune of `root` in `period` with its totals and `place` (rank), in Vietnamese order."""
    units = communes_of(root, period)
    rows = with_totals(units, period).annotate(place=_place(root, period))
    return Lines(rows.order_by(*ALPHABETICAL), units, bands_of(period.year) if bands is None else bands)


def dossier_lines(root: Unit, period: Period) -> Lines:
    """commune_lines() with no rank and no band: what the pages of dossiers read."""
    units = communes_of(root, period)
    return Lines(with_totals(units, period).order_by(*ALPHABETICAL), units, {})


def ranked_lines(root: Unit, period: Period, bands: dict | None = None) -> Lines:
    """The communes of `root` with a score in `period`, best first."""
    lines = commune_lines(root, period, bands).filter(percent__isnull=False)
    return lines.order_by("place", *ALPHABETICAL)


def places(root: Unit, period: Period, units: Units) -> dict[int, int]:
    """{unit id: rank among `root`'s communes in `period`} of `units` (ids or a queryset), or more."""
    if _stored_ranks_apply(root, period):
        # Every commune of `root` is its child: read by parent, not through a second walk of the subtree.
        stored = UnitTotals.objects.filter(period=period, unit__parent=root, rank__isnull=False)
        if not isinstance(units, QuerySet):
            stored = stored.filter(unit__in=units)
        return dict(stored.values_list("unit", "rank"))
    return {line.pk: line.place for line in ranked_lines(root, period, bands={})}


def rank_change(previous_rank: int | None, rank: int | None) -> int | None:
    """Places gained since the comparable period (negative: places lost); None without both ranks."""
    return previous_rank - rank if previous_rank and rank else None


def dossier_totals(period: Period, units: QuerySet[Unit]) -> DossierTotals:
    """DossierTotals of `units` (a Unit queryset) together in `period`."""
    return DossierTotals(**UnitTotals.objects.filter(period=period, unit__in=units).aggregate(**_sums()))


def dossier_totals_by_unit(period: Period, units: Units) -> dict[int, DossierTotals]:
    """{unit id: DossierTotals} of those of `units` with figures in `period`."""
    rows = UnitTotals.objects.filter(period=period, unit__in=units).values("unit").annotate(**_sums())
    return {row.pop("unit"): DossierTotals(**row) for row in rows.order_by()}


def commune_totals_by_field(root: Unit, period: Period) -> dict[ProcedureField, DossierTotals]:
    """{ProcedureField: DossierTotals} of `root`'s communes together, field by field."""
    stored = CommuneFieldTotals.objects.filter(unit=root, period=period).select_related("field")
    return {row.field: _dossiers(row) for row in stored.order_by("field__position", "field__code")}


def dossier_totals_by_field(period: Period, units: Units) -> dict[ProcedureField, DossierTotals]:
    """{ProcedureField: DossierTotals} of `units` together, field by field, from the statistics rows."""
    rows, sums = stats_rows_and_sums(period)
    grouped = rows.filter(unit__in=units).values("field").annotate(rows=Count("pk"), **sums).order_by()
    by_pk = {row.pop("field"): DossierTotals(**row) for row in grouped}
    return {field: by_pk[field.pk] for field in ProcedureField.objects.filter(pk__in=list(by_pk))}


@dataclass
class Score:
    """A unit's total score for a period: points over the framework maximum, and the band it falls in."""

    points: object
    max_points: object
    band: ClassificationBand | None
    is_appraised: bool
    rank: int | None  # among the units of the same parent during the period
    ranked: int | None

    @property
    def percent(self):
        return rate(self.points, self.max_points)

    @classmethod
    def of(cls, totals, rank=None, ranked=None):
        """The Score of stored totals (or a Line), None without one; ranked as stored unless told."""
        if totals is None or totals.percent is None:
            return None
        rank, ranked = (totals.rank, totals.ranked) if rank is None else (rank, ranked)
        return cls(totals.points, totals.max_points, totals.band, totals.is_appraised, rank, ranked)


def score_totals(period: Period, units: Units) -> dict[int, Score]:
    """{unit id: Score} of `units` with a score in `period`."""
    rows = UnitTotals.objects.filter(period=period, unit__in=units, percent__isnull=False)
    return {row.unit_id: Score.of(row) for row in rows.select_related("band")}


@dataclass
class Overview:
    """A unit in a period: its own one-stop shop, its communes together, both, and its own score."""

    own: DossierTotals
    communes_total: DossierTotals
    score: Score | None

    @property
    def whole(self):
        return self.own + self.communes_total


def _dossiers(stored):
    """DossierTotals of a stored row (UnitTotals or CommuneTotals), or no data without one."""
    if stored is None:
        return DossierTotals()
    counts = {name: getattr(stored, name) for name in COUNT_FIELDS}
    late = getattr(stored, "overdue_on_software", None)
    return DossierTotals(rows=stored.stats_rows, late_on_software=late, **counts)


def communes_total(root: Unit, period: Period) -> DossierTotals:
    """DossierTotals of `root`'s communes together in `period`."""
    return _dossiers(CommuneTotals.objects.filter(unit=root, period=period).first())


def overview(root: Unit, period: Period) -> Overview:
    return overviews(root, [period])[0]


def overviews(root: Unit, periods: list[Period | None]) -> list[Overview | None]:
    """[overview()] of `root` in each of `periods` (None for None), in two queries."""
    ids = [period.pk for period in periods if period]
    own = UnitTotals.objects.filter(unit=root, period__in=ids).select_related("band")
    own = {row.period_id: row for row in own}
    communes = {row.period_id: row for row in CommuneTotals.objects.filter(unit=root, period__in=ids)}
    return [
        period
        and Overview(
            _dossiers(own.get(period.pk)), _dossiers(communes.get(period.pk)), Score.of(own.get(period.pk))
        )
        for period in periods
    ]


@dataclass
class RateFigures:
    """One rate of a unit in a period: its own shop, its communes, both, last year's, and the targets."""

    metric: Metric
    own: object
    communes: object
    whole: object
    previous_whole: object
    own_target: object
    communes_target: object

    @property
    def change(self):
        return None if self.whole is None or self.previous_whole is None else self.whole - self.previous_whole

    @property
    def own_met(self):
        return None if self.own_target is None or self.own is None else self.own >= self.own_target

    @property
    def whole_met(self):
        # The whole district answers to the unit's own target, as the report judges its 38,18%.
        return None if self.own_target is None or self.whole is None else self.whole >= self.own_target

    @property
    def communes_met(self):
        if self.communes_target is None or self.communes is None:
            return None
        return self.communes >= self.communes_target

    @property
    def all_met(self):
        """Every level with a target met it: False if one missed, None if none could be judged."""
        judged = [met for met in (self.whole_met, self.own_met, self.communes_met) if met is not None]
        return all(judged) if judged else None


RATE_METRICS = [
    Metric.ON_TIME,
    Metric.ONLINE,
    Metric.INPUTS_DIGITIZED,
    Metric.RESULTS_DIGITIZED,
    Metric.ONLINE_PAYMENT,
]


def rate_figures(
    root: Unit, period: Period, current: Overview, previous: Overview | None
) -> list[RateFigures]:
    """[RateFigures] of RATE_METRICS, from overview() of the period and of the comparable one (or None)."""
    found = list(Target.objects.filter(year=period.year, level__in=[root.level, UnitLevel.COMMUNE]))
    own_targets = {target.metric: target for target in found if target.level == root.level}
    commune_targets = {target.metric: target for target in found if target.level == UnitLevel.COMMUNE}
    return [
        RateFigures(
            metric,
            current.own.rate(metric),
            current.communes_total.rate(metric),
            current.whole.rate(metric),
            previous.whole.rate(metric) if previous else None,
            own_targets[metric].min_percent if metric in own_targets else None,
            commune_targets[metric].min_percent if metric in commune_targets else None,
        )
        for metric in RATE_METRICS
    ]


class AreaPercent(NamedTuple):
    percent: object
    is_appraised: bool


def area_percents(period: Period, units: Units) -> dict[int, dict[int, AreaPercent]]:
    """{unit id: {area id: AreaPercent}} of the published area scores of `units`."""
    scores = defaultdict(dict)
    rows = published(AreaScore.objects.with_points().filter(period=period, unit__in=units)).order_by()
    columns = ("unit_id", "area_id", "max_points", "counted_points", "appraised_points")
    for unit_id, area_id, max_points, points, appraised in rows.values_list(*columns):
        scores[unit_id][area_id] = AreaPercent(rate(points, max_points), appraised is not None)
    return scores


def rounded_area_percent(area: ReformArea) -> Expression:
    """Each line's percentage in `area` rounded for the downloads, as stored with its totals, in SQL."""
    return as_float(KeyTextTransform(area_key(area.pk), "t__area_percents"))


def communes_area_percent(root: Unit, period: Period) -> dict[int, Decimal | None]:
    """{area id: percent} of `root`'s communes together in `period`: their points over their maxima, area by
    area, as stored with their totals."""
    stored = CommuneTotals.objects.filter(unit=root, period=period).values_list("area_points", flat=True)
    return {
        int(key.removeprefix(AREA_KEY_PREFIX)): rate(Decimal(points), Decimal(max_points))
        for key, (points, max_points) in (stored.first() or {}).items()
    }


def trend(unit: Unit, period: Period, communes: bool = False) -> list[tuple[Period, DossierTotals]]:
    """[(Period, DossierTotals)] of `unit` (or of its communes together) in every period of `period`'s kind
    with figures, up to `period`, in order.

    One kind only: half-years followed by quarters would read as a collapse of every count.
    """
    stored = CommuneTotals if communes else UnitTotals
    rows = stored.objects.filter(
        unit=unit, period__kind=period.kind, period__end__lte=period.end, stats_rows__gt=0
    ).select_related("period")
    return [(row.period, _dossiers(row)) for row in rows.order_by("period__end", "-period__start")]


def rank_history(unit: Unit, period: Period) -> list[tuple[Period, int, int]]:
    """[(Period, rank, number ranked)] of `unit` in every period of `period`'s kind up to it where it was
    ranked, in order: each period ranks among the units of the same parent that existed in it."""
    rows = UnitTotals.objects.filter(
        unit=unit, period__kind=period.kind, period__end__lte=period.end, rank__isnull=False
    ).select_related("period")
    return [(row.period, row.rank, row.ranked) for row in rows.order_by("period__end", "-period__start")]


def targets(year: int, level: str) -> dict[str, Target]:
    """{metric: Target} for a year and level."""
    return {target.metric: target for target in Target.objects.filter(year=year, level=level)}


def province_averages(period: Period, level: str) -> dict[str, Decimal]:
    return {row.metric: row.percent for row in ProvinceAverage.objects.filter(period=period, level=level)}


def periods_with_data(root: Unit) -> QuerySet[Period]:
    """Periods with published figures entered for them by `root` or a unit below it, latest first (the first
    is the default). A period built from quarters opens by its code (?period=2099-H1).

    A commune's draft for a new period does not make it the period every dashboard opens on, empty.
    """
    above = UnitTotals.objects.filter(unit__in=branch_ids(root), entered=True).values("period")
    communes = CommuneTotals.objects.filter(unit=root, entered=True).values("period")
    return Period.objects.filter(Q(pk__in=above) | Q(pk__in=communes)).order_by("-end", "start")


PAYMENT_STATUS = {
    "met": _("Met the target"),
    "missed": _("Below the target"),
    "not_started": _("No payment online yet"),
    "no_fee_bearing": _("No fee-bearing dossiers"),
    "no_data": _("No figures reported"),
}


def payment_status(target: Target | None) -> Expression:
    """The online-payment status of each line (a key of PAYMENT_STATUS), as an SQL expression."""
    met = meets(Metric.ONLINE_PAYMENT, target.min_percent) if target else Q(pk__in=[])
    return Case(
        # A unit that reported no figures has not "had no fee-bearing dossier": it has not said.
        When(stats_rows=0, then=Value("no_data")),
        When(fee_bearing=0, then=Value("no_fee_bearing")),
        When(paid_online=0, then=Value("not_started")),
        When(met, then=Value("met")),
        default=Value("missed"),
    )


def submission_state(period: Period) -> Expression:
    """The state of each unit's report as an SQL expression: submitted or approved, on time or late."""
    return Case(
        When(
            ~Q(report_status__in=PeriodReport.PUBLISHED) | Q(report_status__isnull=True),
            then=Value("not_submitted"),
        ),
        When(submitted_at__gte=PeriodReport.late_after(period), then=Value("late")),
        default=Value("on_time"),
    )


def submissions(
    root: Unit, period: Period, visible_units: QuerySet[Unit] | None
) -> tuple[QuerySet, QuerySet]:
    """The root and its communes in `period` that `visible_units` holds (None: all), each with its report's
    state: root first, then the communes in Vietnamese order."""
    units = Unit.objects.filter(Q(pk=root.pk) | Q(pk__in=communes_of(root, period)))
    if visible_units is not None:
        units = units.filter(pk__in=visible_units)
    rows = (
        units.annotate(report=FilteredRelation("reports", condition=Q(reports__period=period)))
        .annotate(report_status=F("report__status"), submitted_at=F("report__submitted_at"))
        .annotate(state=submission_state(period), is_root=Case(When(pk=root.pk, then=0), default=1))
        .values("pk", "code", "name", "kind", "report_status", "submitted_at", "state")
    )
    return units, rows.order_by("is_root", *ALPHABETICAL)


def communes_submitted(root: Unit, period: Period, visible_units: QuerySet[Unit] | None) -> dict[str, int]:
    """{"count": communes below `root` whose report is submitted (on time or late), "total": communes}."""
    communes = communes_of(root, period).order_by()
    if visible_units is not None:
        communes = communes.filter(pk__in=visible_units)
    # Counted in one row: grouped by submission_state(), it took twice as long over a province.
    report = FilteredRelation("reports", condition=Q(reports__period=period))
    submitted = Count("pk", filter=Q(report__status__in=PeriodReport.PUBLISHED))
    return communes.annotate(report=report).aggregate(count=submitted, total=Count("pk"))


def band_counts(
    root: Unit, period: Period, bands: dict[int, ClassificationBand]
) -> list[tuple[str, int | None, int]]:
    """[(classification label, "" for none; its rank, None for none; communes)] of `root`'s communes with a
    score in `period`, best band first; `bands`: bands_of() the period's year."""
    stored = CommuneTotals.objects.filter(unit=root, period=period).values_list("band_counts", flat=True)
    counted = defaultdict(int)
    for band, count in (stored.first() or {}).items():
        # A band deleted since with its framework leaves its communes with none (SET_NULL).
        counted[bands.get(int(band)) if band else None] += count
    order = sorted(counted, key=lambda band: (band is None, band and band.rank))
    return [(band.label if band else "", band and band.rank, counted[band]) for band in order]


def meeting(units: Units, period: Period, goals: dict[str, Target | None]) -> dict:
    """{metric: (communes with data, communes meeting the goal or None)} of `units`; `goals`: {metric:
    Target or None}. The rule is rates.meets(), exact in whole numbers."""
    counts = {}
    for metric, goal in goals.items():
        counts[f"{metric}-data"] = Count("pk", filter=meets(metric, 0))
        if goal:
            counts[f"{metric}-met"] = Count("pk", filter=meets(metric, goal.min_percent))
    found = UnitTotals.objects.filter(period=period, unit__in=units).aggregate(**counts)
    return {metric: (found[f"{metric}-data"], found.get(f"{metric}-met")) for metric in goals}


def submission_counts(root: Unit, period: Period, visible_units: QuerySet[Unit] | None) -> dict[str, int]:
    """{state: number of units} of submissions()."""
    _units, rows = submissions(root, period, visible_units)
    counts = rows.values("state").annotate(n=Count("pk")).order_by()
    return _by_state({row["state"]: row["n"] for row in counts})


def tally_states(states: Iterable[str]) -> dict[str, int]:
    """submission_counts() of the states of rows already read (a download of every row needs no query)."""
    return _by_state(Counter(states))


def _by_state(found):
    return {state: found.get(state, 0) for state in ("on_time", "late", "not_submitted")}
