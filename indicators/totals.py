"""Stored totals: each unit's published figures for a period (UnitTotals), and those of the communes of each
unit above them together (CommuneTotals), summed when the figures are written.

Every write that changes what a total holds refreshes it in the same transaction:
- services (report screen, Excel import, workflow transitions, opening a year) call `refresh()` with the
  units and periods they wrote, after their bulk writes;
- a single row saved or deleted through the ORM (the data administration, fixtures, `seed_demo`) refreshes
  its unit and period from a signal, collected until the end of a `deferred()` block where there is one;
- a unit, period or classification band changed reranks or reclassifies the periods it touches.
`manage.py rebuild_totals` recomputes everything; `compute()` is the one definition both use.
"""

import contextlib
import threading
from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When, Window
from django.db.models.functions import Rank
from django.db.models.signals import post_delete, post_migrate, post_save

from communes.models import Unit, UnitLevel, existed_between

from .bulk import update_columns
from .formatting import rounded
from .models import (
    CLOSING_STOCKS,
    COUNT_FIELDS,
    OPENING_STOCKS,
    AreaScore,
    ClassificationBand,
    CommuneFieldTotals,
    CommuneTotals,
    DossierStats,
    Period,
    PeriodReport,
    ScoringFramework,
    UnitTotals,
)
from .rates import rate

BATCH = 500
PERCENT_PLACES = Decimal("1e-10")


def unpublished():
    """Whether a row's unit has a draft or returned report for the row's period (an SQL expression)."""
    return Exists(PeriodReport.objects.unpublished().filter(unit=OuterRef("unit"), period=OuterRef("period")))


def published(rows):
    """Rows whose unit's report for their period is not a draft or a returned report.

    Figures loaded without any report (by an administrator, from the command line) count as published.
    """
    return rows.exclude(unpublished())


def stats_rows_and_sums(period):
    """The dossier rows that make up `period` and the aggregate of each count over them.

    A longer period uses figures entered for it directly where a unit has them (the 2023 report has only
    half-year figures); otherwise it is built from its quarters: flows are summed, the carried-over stock is
    the first quarter's and the closing stocks (pending, paused) are the last quarter's.
    """
    sums = {name: Sum(name) for name in COUNT_FIELDS}
    if period.is_quarter:
        return published(DossierStats.objects.filter(period=period)), sums
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

    sums.update({name: stock(name, first) for name in OPENING_STOCKS})
    sums.update({name: stock(name, last) for name in CLOSING_STOCKS})
    return rows, sums


def two_places(value):
    # SQLite sums decimals as floats; back to the two places the points are kept in.
    return value if isinstance(value, Decimal) else rounded(value, 2)


def score_percent(points, max_points):
    """The stored percentage of a total score: exact to ten places, None without a maximum."""
    percent = rate(points, max_points)
    return None if percent is None else percent.quantize(PERCENT_PLACES)


AREA_KEY_PREFIX = "area-"


def area_key(area_id):
    # Not a bare number, which a JSON lookup would take for a position in an array.
    return f"{AREA_KEY_PREFIX}{area_id}"


def rounded_percent(points, max_points):
    """points/max_points as a percentage rounded half up to two places, as a float (None without a maximum):
    what rates.rounded_percent_expression computes in SQL."""
    percent = rate(points, max_points)
    return None if percent is None else float(rounded(percent, 2))


def band_for(bands, percent):
    """The first of `bands` (best first) that admits `percent`, or None."""
    return next((band for band in bands if band.admits(percent)), None)


def compute(periods, units=None):
    """UnitTotals (unsaved, unranked) of `units` (ids or a queryset; None: all) in `periods` that have any
    published figure."""
    periods = list(periods)
    by_period = {period.pk: period for period in periods}
    found = {}

    def totals(unit_id, period_id):
        if (unit_id, period_id) not in found:
            found[unit_id, period_id] = UnitTotals(unit_id=unit_id, period_id=period_id)
        return found[unit_id, period_id]

    def of_units(rows):
        return rows if units is None else rows.filter(unit__in=units)

    bands = defaultdict(list)
    years = {period.year for period in periods}
    for band in ClassificationBand.objects.filter(framework__year__in=years).select_related("framework"):
        bands[band.framework.year, band.framework.level].append(band)
    for level_bands in bands.values():
        level_bands.sort(key=lambda band: band.rank)
    scores = (
        of_units(published(AreaScore.objects.with_points().filter(period__in=periods)))
        .values("unit", "period", "unit__level")
        .annotate(
            points=Sum("counted_points"),
            max_points=Sum("max_points"),
            areas=Count("pk"),
            appraised_areas=Count("appraised_points"),
        )
        .order_by()
    )
    area_percents = defaultdict(dict)
    columns = ("unit", "period", "area", "max_points", "counted_points")
    area_scores = of_units(published(AreaScore.objects.with_points().filter(period__in=periods))).order_by()
    for unit_id, period_id, area_id, max_points, points in area_scores.values_list(*columns):
        area_percents[unit_id, period_id][area_key(area_id)] = rounded_percent(points, max_points)
    for row in scores:
        total = totals(row["unit"], row["period"])
        total.entered = True
        total.points, total.max_points = two_places(row["points"]), two_places(row["max_points"])
        total.areas, total.appraised_areas = row["areas"], row["appraised_areas"]
        total.percent = score_percent(total.points, total.max_points)
        level_bands = bands[by_period[row["period"]].year, row["unit__level"]]
        band = band_for(level_bands, rate(total.points, total.max_points))
        total.band_id = band and band.pk
        total.area_percents = area_percents[row["unit"], row["period"]]
    for period in periods:
        rows, sums = stats_rows_and_sums(period)
        entered = Count("pk", filter=Q(period=period.pk))
        grouped = of_units(rows).values("unit").annotate(stats_rows=Count("pk"), entered_rows=entered, **sums)
        for row in grouped.order_by():
            total = totals(row.pop("unit"), period.pk)
            total.entered = total.entered or row.pop("entered_rows") > 0
            for name, value in row.items():
                setattr(total, name, value or 0)
    reports = of_units(PeriodReport.objects.filter(period__in=periods, overdue_on_software__isnull=False))
    for unit_id, period_id, late in reports.published().values_list(
        "unit", "period", "overdue_on_software"
    ):
        total = totals(unit_id, period_id)
        total.overdue_on_software, total.entered = late, True
    # Each period's rows together: a page reads one period, from few blocks of the table.
    return sorted(found.values(), key=lambda total: (total.period_id, total.unit_id))


def with_longer_periods(periods):
    """`periods` and every longer period built from one of its quarters (Q1 2024: H1, 9M and year 2024)."""
    periods = {period.pk: period for period in periods}
    for quarter in [period for period in periods.values() if period.is_quarter]:
        for longer in Period.objects.filter(start__lte=quarter.start, end__gte=quarter.end).exclude(
            kind=Period.Kind.QUARTER
        ):
            periods.setdefault(longer.pk, longer)
    return list(periods.values())


def refresh(units, periods):
    """Recompute the stored totals of `units` (a list of ids) in `periods` and everything built from them,
    then the ranks of those periods and the sums of the units above."""
    periods = with_longer_periods(periods)
    parents = set()
    # A few hundred ids at a time: an import names thousands of units, SQLite takes fewer parameters.
    for start in range(0, len(units), BATCH):
        chunk = units[start : start + BATCH]
        UnitTotals.objects.filter(unit__in=chunk, period__in=periods).delete()
        UnitTotals.objects.bulk_create(compute(periods, chunk), batch_size=BATCH)
        parents.update(Unit.objects.filter(pk__in=chunk).values_list("parent", flat=True))
    rerank(periods, parents)
    _store_commune_totals(periods, _with_ancestors(parents - {None}))


def rebuild(periods=None):
    """Recompute the stored totals of `periods` (all when None) for every unit."""
    periods = list(Period.objects.all() if periods is None else periods)
    UnitTotals.objects.filter(period__in=periods).delete()
    UnitTotals.objects.bulk_create(compute(periods), batch_size=BATCH)
    rerank(periods)
    _rebuild_commune_totals(periods)


def _rebuild_commune_totals(periods):
    _store_commune_totals(
        periods, list(Unit.objects.exclude(level=UnitLevel.COMMUNE).values_list("pk", flat=True))
    )


def _store_commune_totals(periods, units):
    """Recompute the CommuneTotals and CommuneFieldTotals of `units` (ids) in `periods`."""
    parents = list(Unit.objects.filter(pk__in=units).exclude(level=UnitLevel.COMMUNE).only("level"))
    for model, computed in (
        (CommuneTotals, compute_commune_totals(periods, parents)),
        (CommuneFieldTotals, compute_commune_field_totals(periods, parents)),
    ):
        model.objects.filter(unit__in=units, period__in=periods).delete()
        model.objects.bulk_create(computed, batch_size=BATCH)


def _with_ancestors(units):
    """The ids of `units` and of every unit above them."""
    found, frontier = set(), set(units)
    while frontier:
        found |= frontier
        frontier = set(Unit.objects.filter(pk__in=frontier).values_list("parent", flat=True)) - {None} - found
    return found


SUMMED = ["stats_rows", *COUNT_FIELDS, "overdue_on_software"]


def compute_commune_totals(periods, parents):
    """CommuneTotals (unsaved) of `parents` (units above communes) in `periods`: the sums of the UnitTotals
    of their communes that existed during each period."""
    found = []
    for parent in parents:
        communes = UnitTotals.objects.filter(
            period__in=periods, unit__in=Unit.objects.communes_in(parent)
        ).filter(existed_during_period())
        rows = (
            communes.values("period")
            .annotate(**{name: Sum(name) for name in SUMMED}, entered=Count("pk", filter=Q(entered=True)))
            .order_by()
        )
        by_band = defaultdict(dict)
        scored = communes.filter(percent__isnull=False).values_list("period", "band").annotate(Count("pk"))
        for period_id, band_id, count in scored.order_by():
            by_band[period_id][str(band_id or "")] = count
        by_area = _area_points(periods, parent)
        for row in rows:
            period_id, entered = row.pop("period"), row.pop("entered") > 0
            counts = {name: value or 0 for name, value in row.items()}
            found.append(
                CommuneTotals(
                    unit_id=parent.pk,
                    period_id=period_id,
                    entered=entered,
                    band_counts=by_band[period_id],
                    area_points=by_area[period_id],
                    **counts,
                )
            )
    return found


def _area_points(periods, parent):
    """{period id: {area key: [points, maximum points]}} of the published area scores of `parent`'s communes
    that existed during each of `periods`, summed area by area, as decimal strings (JSON keeps them exact)."""
    communes = Unit.objects.communes_in(parent)
    scores = published(AreaScore.objects.with_points().filter(period__in=periods, unit__in=communes))
    summed = (
        scores.filter(existed_during_period())
        .values("period", "area")
        .annotate(points=Sum("counted_points"), maximum=Sum("max_points"))
        .values_list("period", "area", "points", "maximum")
    )
    found = defaultdict(dict)
    for period_id, area_id, points, max_points in summed.order_by():
        found[period_id][area_key(area_id)] = [str(two_places(points)), str(two_places(max_points))]
    return found


def compute_commune_field_totals(periods, parents):
    """CommuneFieldTotals (unsaved) of `parents` (units above communes) in `periods`: the dossier rows of
    their communes that existed during each period, field by field, as stats_rows_and_sums() makes them."""
    found = []
    for parent in parents:
        for period in periods:
            communes = Unit.objects.communes_in(parent).existing_between(period.start, period.end)
            rows, sums = stats_rows_and_sums(period)
            grouped = rows.filter(unit__in=communes).values("field").annotate(stats_rows=Count("pk"), **sums)
            for row in grouped.order_by():
                field_id = row.pop("field")
                counts = {name: value or 0 for name, value in row.items()}
                found.append(
                    CommuneFieldTotals(unit_id=parent.pk, period_id=period.pk, field_id=field_id, **counts)
                )
    return found


def existed_during_period():
    """Q: the unit of a total existed at some time during the total's period."""
    return existed_between(F("period__start"), F("period__end"), unit="unit")


def score_rank(*partition_by):
    """The rank of a total score: highest percentage first; equal percentages share a rank (1, 2, 2, 4).

    The one rule every rank follows, stored (among a unit's siblings) or computed for a page.
    """
    order = F("percent").desc(nulls_last=True)  # units without a score come after, changing no rank
    return Window(Rank(), partition_by=list(partition_by) or None, order_by=order)


def rankable(rows):
    """Totals that take part in a ranking: with a score, of a unit that existed during the period."""
    return rows.filter(existed_during_period(), percent__isnull=False)


def rerank(periods, parents=None):
    """Store each total's rank among the units of the same parent and level during its period (only among
    the children of `parents` when given: the rankings a write can have changed)."""
    in_periods = UnitTotals.objects.filter(period__in=list(periods))
    if parents is not None:
        among = Q(unit__parent__in=parents - {None})
        if None in parents:
            among |= Q(unit__parent__isnull=True)
        in_periods = in_periods.filter(among)
    partition = [F("period"), F("unit__parent"), F("unit__level")]
    ranked = rankable(in_periods).annotate(
        new_rank=score_rank(*partition), new_ranked=Window(Count("pk"), partition_by=partition)
    )
    changed = [
        UnitTotals(pk=pk, rank=new_rank, ranked=new_ranked)
        for pk, rank, of, new_rank, new_ranked in ranked.values_list(
            "pk", "rank", "ranked", "new_rank", "new_ranked"
        )
        if (rank, of) != (new_rank, new_ranked)
    ]
    unranked = in_periods.filter(rank__isnull=False).exclude(pk__in=rankable(in_periods).values("pk"))
    unranked.update(rank=None, ranked=None)
    update_columns(UnitTotals, changed, ["rank", "ranked"])


# Rows saved one by one (fixtures, the data administration) while a deferred() block is open.
_pending = threading.local()


@contextlib.contextmanager
def deferred():
    """Refresh the totals of the rows saved one by one inside the block once, at its end."""
    if getattr(_pending, "pairs", None) is not None:
        yield
        return
    _pending.pairs = set()
    try:
        yield
        pairs = _pending.pairs
    finally:
        _pending.pairs = None
    by_period = defaultdict(set)
    for unit_id, period_id in pairs:
        by_period[period_id].add(unit_id)
    for period in Period.objects.filter(pk__in=list(by_period)):
        refresh(list(by_period[period.pk]), [period])


def _figures_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return  # loaddata: a backup brings its stored totals with it
    pairs = getattr(_pending, "pairs", None)
    if pairs is not None:
        pairs.add((instance.unit_id, instance.period_id))
    else:
        period = Period.objects.filter(pk=instance.period_id).first()  # None when the period is deleted
        if period:
            refresh([instance.unit_id], [period])


def _unit_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Its parent or dates may have moved it in or out of a ranking and of its parents' sums: the periods
    # where it has figures.
    if instance.level == UnitLevel.COMMUNE:
        periods = list(Period.objects.filter(totals__unit=instance))
    else:
        periods = list(Period.objects.all())  # its communes may have moved with it
    rerank(periods)
    _rebuild_commune_totals(periods)


def _period_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    rebuild(with_longer_periods([instance]))


def _bands_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Nothing to do when the whole framework goes: its totals lose their band with it (SET_NULL).
    year = ScoringFramework.objects.filter(pk=instance.framework_id).values("year")
    rebuild(Period.objects.filter(year__in=year))


def fill_if_empty(**kwargs):
    """After `migrate`: a database that has figures but no totals yet, or totals without the columns added
    since (area percents and band counts, which came together; the communes' area points), gets them, so
    that an upgrade needs no step of its own."""
    empty = not UnitTotals.objects.exists() and (AreaScore.objects.exists() or DossierStats.objects.exists())
    unfilled = UnitTotals.objects.filter(areas__gt=0, area_percents__isnull=True).exists()
    # Communes with a score but no area points: stored before they were.
    unfilled = unfilled or CommuneTotals.objects.filter(area_points={}).exclude(band_counts={}).exists()
    if empty or unfilled:
        rebuild()


def connect(app_config):
    post_migrate.connect(fill_if_empty, sender=app_config, dispatch_uid="totals-migrate")
    for model in (AreaScore, DossierStats, PeriodReport):
        post_save.connect(_figures_changed, sender=model, dispatch_uid=f"totals-{model.__name__}-save")
        post_delete.connect(_figures_changed, sender=model, dispatch_uid=f"totals-{model.__name__}-delete")
    post_save.connect(_unit_changed, sender=Unit, dispatch_uid="totals-unit")
    post_save.connect(_period_changed, sender=Period, dispatch_uid="totals-period")
    post_save.connect(_bands_changed, sender=ClassificationBand, dispatch_uid="totals-band-save")
    post_delete.connect(_bands_changed, sender=ClassificationBand, dispatch_uid="totals-band-delete")
