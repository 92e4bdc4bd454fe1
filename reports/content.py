"""The figures of a district's period report, gathered from indicators.figures: data only, no wording.

The dashboards read the same figures (published ones only), so the report and the dashboards never
disagree. Rates stay exact Decimals (or None: no data) until wording.py formats them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from communes.models import Unit, UnitLevel
from indicators import figures
from indicators.figures import DossierTotals
from indicators.models import ClassificationBand, ProcedureField, ReformArea
from indicators.rates import Metric

# The report groups each area's scores in ten-point steps from 90–100% down ("từ 80% đến dưới 90%").
SCORE_STEPS = [Decimal(step) for step in (90, 80, 70, 60, 50, 0)]
# The one-stop shop's results belong to the area of administrative-procedure reform (the third area).
ONE_STOP_AREA = 3


class ReportError(Exception):
    """A report that cannot be written for this unit and period; the message says why, for the user."""


@dataclass
class FieldLine:
    field: ProcedureField
    totals: DossierTotals


@dataclass
class ScoreStep:
    """Communes whose score in one area falls in one ten-point step; `upper` None means up to 100%."""

    lower: Decimal
    upper: Decimal | None
    members: list  # (Unit, percent), best-ranked commune first


@dataclass
class AreaResult:
    area: ReformArea
    steps: list  # ScoreStep, highest first, only steps with communes
    appraised: bool


@dataclass
class CommuneLine:
    unit: Unit
    dossiers: object  # figures.Line: its dossier counts and rates
    score: object  # figures.Score or None
    areas: dict  # area number -> percent
    rank: int | None = None
    previous_rank: int | None = None
    rank_change: int | None = None
    previous_band: ClassificationBand | None = None
    late_on_software: int | None = None
    payment: str = "no_data"  # a key of figures.PAYMENT_STATUS


@dataclass
class ClassGroup:
    band: ClassificationBand
    upper: ClassificationBand | None  # the band just above, whose threshold bounds this one
    members: list  # CommuneLine, best-ranked first


@dataclass
class ReportContent:
    unit: Unit
    period: object
    comparable: object  # the same period last year, or None
    own: DossierTotals
    communes_total: DossierTotals
    whole: DossierTotals
    previous: object  # figures.Overview of the comparable period, or None
    own_fields: list
    commune_fields: list
    rates: dict  # Metric -> figures.RateFigures
    own_score: object
    own_late_on_software: int | None
    communes: list  # CommuneLine in Vietnamese alphabetical order
    areas: list  # AreaResult
    classes: list  # ClassGroup, best band first
    averages: dict  # level -> {metric: province average}
    submitted: dict  # the communes' reports: count submitted, total
    field_count: int = 0
    commune_max_points: Decimal | None = None

    @property
    def ranked(self):
        return sorted((line for line in self.communes if line.rank), key=lambda line: line.rank)

    @property
    def scores_appraised(self):
        scored = [line.score for line in self.communes if line.score]
        return bool(scored) and all(score.is_appraised for score in scored)

    def late_disagreements(self):
        """(Unit, late on the software, resolved overdue) wherever a report's two overdue counts differ."""
        lines = [(self.unit, self.own_late_on_software, self.own.resolved_overdue)]
        lines += [(c.unit, c.late_on_software, c.dossiers.resolved_overdue) for c in self.communes]
        return [
            (unit, late, overdue) for unit, late, overdue in lines if late is not None and late != overdue
        ]


def _fields(period, units):
    return [FieldLine(f, totals) for f, totals in figures.dossier_totals_by_field(period, units).items()]


def _step(percent):
    # From the exact percentage, as classification bands are: 89,996% is printed 90% but is below 90%.
    for position, lower in enumerate(SCORE_STEPS):
        if percent >= lower:
            return position


def _area_results(lines, areas):
    ordered = sorted(lines, key=lambda line: line.rank or 10**6)
    results = []
    for area in areas:
        steps = {}
        for line in ordered:
            percent = line.areas.get(area.number)
            if percent is not None:
                steps.setdefault(_step(percent), []).append((line.unit, percent))
        results.append(
            AreaResult(
                area,
                [
                    ScoreStep(SCORE_STEPS[p], SCORE_STEPS[p - 1] if p else None, steps[p])
                    for p in sorted(steps)
                ],
                all(line.score.is_appraised for line in ordered if line.score),
            )
        )
    return results


def _classes(lines, year):
    bands = list(
        ClassificationBand.objects.filter(framework__year=year, framework__level=UnitLevel.COMMUNE).order_by(
            "rank"
        )
    )
    groups = []
    for position, band in enumerate(bands):
        members = [line for line in lines if line.score and line.score.band and line.score.band.pk == band.pk]
        if members:
            groups.append(ClassGroup(band, bands[position - 1] if position else None, members))
    return groups


def gather(unit, period, visible):
    """Every figure of the report of `unit` (a district) for `period`, as `visible` units may see them."""
    if unit.level != UnitLevel.DISTRICT:
        raise ReportError(
            _("%(unit)s is not a district: the report is written for a district and its communes.")
            % {"unit": unit}
        )
    comparable = period.comparable_previous()
    current, previous = figures.overviews(unit, [period, comparable])
    target = figures.targets(period.year, UnitLevel.COMMUNE).get(Metric.ONLINE_PAYMENT)
    commune_lines = list(figures.commune_lines(unit, period).annotate(payment=figures.payment_status(target)))
    scored = [line for line in commune_lines if line.has_score]
    if not (current.own.has_data or current.communes_total.has_data or scored or current.score):
        raise ReportError(
            _("There are no published figures for %(unit)s in %(period)s.")
            % {"unit": unit, "period": period.label}
        )
    communes = figures.communes_of(unit, period)
    previous_scores = figures.score_totals(comparable, communes) if comparable else {}
    previous_places = figures.places(unit, comparable, communes) if comparable else {}
    area_scores = figures.area_percents(period, communes)
    areas = list(ReformArea.objects.all())
    lines = []
    for line in commune_lines:
        commune = Unit(pk=line.pk, code=line.code, name=line.name, kind=line.kind, level=UnitLevel.COMMUNE)
        score = figures.Score.of(line, rank=line.place, ranked=len(scored))
        rank = line.place if score else None
        previous_rank = previous_places.get(line.pk) if score else None
        before = previous_scores.get(line.pk)
        lines.append(
            CommuneLine(
                unit=commune,
                dossiers=line,
                score=score,
                areas={
                    area.number: area_scores[line.pk][area.pk].percent
                    for area in areas
                    if area.pk in area_scores[line.pk]
                },
                rank=rank,
                previous_rank=previous_rank,
                rank_change=figures.rank_change(previous_rank, rank),
                previous_band=before.band if before else None,
                late_on_software=line.overdue_on_software,
                payment=line.payment,
            )
        )
    return ReportContent(
        unit=unit,
        period=period,
        comparable=comparable,
        own=current.own,
        communes_total=current.communes_total,
        whole=current.whole,
        previous=previous,
        own_fields=_fields(period, [unit.pk]),
        commune_fields=[
            FieldLine(f, totals) for f, totals in figures.commune_totals_by_field(unit, period).items()
        ],
        rates={rates.metric: rates for rates in figures.rate_figures(unit, period, current, previous)},
        own_score=current.score,
        own_late_on_software=current.own.late_on_software,
        communes=lines,
        areas=_area_results(lines, areas),
        classes=_classes(sorted(lines, key=lambda line: line.rank or 10**6), period.year),
        averages={
            level: figures.province_averages(period, level) for level in {UnitLevel.COMMUNE, unit.level}
        },
        submitted=figures.communes_submitted(unit, period, visible),
        field_count=ProcedureField.objects.count(),
        commune_max_points=max((line.max_points for line in scored), default=None),
    )
