import calendar
import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Unit, UnitLevel

from .formatting import format_number
from .rates import DossierRates, Metric, rate

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]

# A count's upper bound, PositiveIntegerField's on every supported database: what a form or a file may hold.
MAX_COUNT = 2_147_483_647


class ReformAreaManager(models.Manager):
    def get_by_natural_key(self, number):
        return self.get(number=number)


class ReformArea(models.Model):
    """One of the seven areas of administrative reform (lĩnh vực CCHC)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("area name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)

    objects = ReformAreaManager()

    class Meta:
        verbose_name = _("reform area")
        verbose_name_plural = _("reform areas")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    def natural_key(self):
        return (self.number,)


class ProcedureFieldManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class ProcedureField(models.Model):
    """A field of administrative procedures (lĩnh vực TTHC) under which dossiers are counted."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("procedure field name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = ProcedureFieldManager()

    class Meta:
        verbose_name = _("administrative procedure field")
        verbose_name_plural = _("administrative procedure fields")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class ScoringFrameworkManager(models.Manager):
    def get_by_natural_key(self, year, level):
        return self.get(year=year, level=level)


class ScoringFramework(models.Model):
    """The scoring rules of one year for one level of unit: area maxima and classification bands."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    note = models.TextField(_("note"), blank=True)

    objects = ScoringFrameworkManager()

    class Meta:
        verbose_name = _("scoring framework")
        verbose_name_plural = _("scoring frameworks")
        ordering = ["-year", "level"]
        constraints = [models.UniqueConstraint(fields=["year", "level"], name="framework_unique_year_level")]

    def __str__(self):
        return _("%(level)s scoring framework %(year)s") % {
            "level": self.get_level_display(),
            "year": self.year,
        }

    def natural_key(self):
        return (self.year, self.level)


class FrameworkAreaManager(models.Manager):
    def get_by_natural_key(self, year, level, area_number):
        return self.get(framework__year=year, framework__level=level, area__number=area_number)


class FrameworkArea(models.Model):
    """The maximum points of one reform area within a framework (điểm tối đa)."""

    framework = models.ForeignKey(
        ScoringFramework, models.CASCADE, related_name="areas", verbose_name=_("framework")
    )
    area = models.ForeignKey(ReformArea, models.PROTECT, related_name="+", verbose_name=_("area"))
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)

    objects = FrameworkAreaManager()

    class Meta:
        verbose_name = _("area maximum")
        verbose_name_plural = _("area maxima")
        ordering = ["framework", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "area"], name="framework_area_unique"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="framework_area_max_positive"),
        ]

    def __str__(self):
        return f"{self.area}: {self.max_points}"

    def natural_key(self):
        return (*self.framework.natural_key(), self.area.number)

    natural_key.dependencies = ["indicators.scoringframework", "indicators.reformarea"]


class ClassificationBandManager(models.Manager):
    def get_by_natural_key(self, year, level, rank):
        return self.get(framework__year=year, framework__level=level, rank=rank)


class ClassificationBand(models.Model):
    """A classification (xếp loại) reached from a threshold of the total score percentage upwards."""

    framework = models.ForeignKey(
        ScoringFramework, models.CASCADE, related_name="bands", verbose_name=_("framework")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the highest."))
    label = models.CharField(_("classification"), max_length=60)
    min_percent = models.DecimalField(
        _("threshold (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    min_inclusive = models.BooleanField(
        _("threshold included"),
        default=True,
        help_text=_("Untick if the score must be above the threshold (for example: above 70%)."),
    )

    objects = ClassificationBandManager()

    class Meta:
        verbose_name = _("classification band")
        verbose_name_plural = _("classification bands")
        ordering = ["framework", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "rank"], name="band_unique_rank"),
            models.CheckConstraint(
                condition=Q(min_percent__gte=0, min_percent__lte=100), name="band_threshold_is_percent"
            ),
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (*self.framework.natural_key(), self.rank)

    natural_key.dependencies = ["indicators.scoringframework"]

    def admits(self, percent):
        if percent is None:
            return False
        return percent >= self.min_percent if self.min_inclusive else percent > self.min_percent


class PeriodQuerySet(models.QuerySet):
    def get_by_code(self, code):
        """The period named like 2023-Q2, 2023-H1, 2023-9M or 2023; raises DoesNotExist otherwise."""
        parsed = Period.parse_code(code)
        if parsed is None:
            raise self.model.DoesNotExist(f"Invalid period code: {code!r}")
        year, kind, number = parsed
        return self.get(year=year, kind=kind, number=number)

    def quarters_within(self, period):
        return self.filter(kind=Period.Kind.QUARTER, start__gte=period.start, end__lte=period.end)


class PeriodManager(models.Manager.from_queryset(PeriodQuerySet)):
    def get_by_natural_key(self, year, kind, number):
        return self.get(year=year, kind=kind, number=number)


class Period(models.Model):
    """A reporting period (kỳ báo cáo): a quarter, a half-year, nine months or a year."""

    class Kind(models.TextChoices):
        QUARTER = "Q", _("Quarter")
        HALF_YEAR = "H", _("Half-year")
        NINE_MONTHS = "9M", _("Nine months")
        YEAR = "Y", _("Year")

    # kind -> (how many in a year, months each)
    SHAPES = {Kind.QUARTER: (4, 3), Kind.HALF_YEAR: (2, 6), Kind.NINE_MONTHS: (1, 9), Kind.YEAR: (1, 12)}
    CODE_PATTERN = re.compile(r"(\d{4})(?:-(Q[1-4]|H[12]|9M))?")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("period kind"), max_length=2, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number within the year"), default=1)
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    deadline = models.DateField(_("report deadline"))

    objects = PeriodManager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "number"], name="period_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="period_ends_after_start"),
            models.CheckConstraint(
                condition=Q(kind="Q", number__gte=1, number__lte=4)
                | Q(kind="H", number__gte=1, number__lte=2)
                | Q(kind__in=["9M", "Y"], number=1),
                name="period_number_fits_kind",
            ),
        ]

    def __str__(self):
        return self.label

    def natural_key(self):
        return (self.year, self.kind, self.number)

    @classmethod
    def parse_code(cls, code):
        """(year, kind, number) for a code such as 2023-Q2, 2023-H1, 2023-9M or 2023; None if malformed."""
        match = cls.CODE_PATTERN.fullmatch(code or "")
        if not match:
            return None
        year, suffix = int(match[1]), match[2]
        if suffix is None:
            return year, cls.Kind.YEAR, 1
        if suffix == "9M":
            return year, cls.Kind.NINE_MONTHS, 1
        return year, suffix[0], int(suffix[1])

    @classmethod
    def bounds(cls, year, kind, number):
        """First and last day of a period of this shape."""
        _count, months = cls.SHAPES[kind]
        first_month = (number - 1) * months + 1
        last_month = first_month + months - 1
        return (
            datetime.date(year, first_month, 1),
            datetime.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )

    @property
    def code(self):
        if self.kind == self.Kind.YEAR:
            return str(self.year)
        if self.kind == self.Kind.NINE_MONTHS:
            return f"{self.year}-9M"
        return f"{self.year}-{self.kind}{self.number}"

    @property
    def label(self):
        if self.kind == self.Kind.QUARTER:
            roman = ["I", "II", "III", "IV"][self.number - 1]
            return _("Quarter %(roman)s %(year)s") % {"roman": roman, "year": self.year}
        if self.kind == self.Kind.HALF_YEAR:
            if self.number == 1:
                return _("First half of %(year)s") % {"year": self.year}
            return _("Second half of %(year)s") % {"year": self.year}
        if self.kind == self.Kind.NINE_MONTHS:
            return _("First nine months of %(year)s") % {"year": self.year}
        return _("Year %(year)s") % {"year": self.year}

    @property
    def is_quarter(self):
        return self.kind == self.Kind.QUARTER

    def previous(self):
        """The period of the same kind just before this one (Q1 follows the previous year's Q4)."""
        count, _months = self.SHAPES[self.kind]
        year, number = (self.year, self.number - 1) if self.number > 1 else (self.year - 1, count)
        return Period.objects.filter(year=year, kind=self.kind, number=number).first()

    def comparable_previous(self):
        """The same period of the previous year (cùng kỳ năm trước), if it is recorded."""
        return getattr(self, "_comparable", None) or Period.objects.filter(**self._comparable_key()).first()

    def look_for_comparable_among(self, periods):
        """Keeps the comparable period if `periods` (already read) holds it: then nobody asks the database."""
        key = self._comparable_key().items()
        listed = next((p for p in periods if all(getattr(p, name) == value for name, value in key)), None)
        if listed:
            self._comparable = listed

    def _comparable_key(self):
        return {"year": self.year - 1, "kind": self.kind, "number": self.number}


class AreaScoreQuerySet(models.QuerySet):
    def with_points(self):
        """Each score's points as AreaScore.points gives them, in SQL: `counted_points`."""
        return self.annotate(counted_points=Coalesce("appraised_points", "self_points"))


class AreaScoreManager(models.Manager.from_queryset(AreaScoreQuerySet)):
    def get_by_natural_key(self, unit_code, year, kind, number, area_number):
        return self.get(
            unit__code=unit_code,
            period__year=year,
            period__kind=kind,
            period__number=number,
            area__number=area_number,
        )


class AreaScore(models.Model):
    """A unit's points in one reform area for one period: self-assessed, then appraised by the district."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="area_scores", verbose_name=_("unit"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="area_scores", verbose_name=_("period"))
    area = models.ForeignKey(ReformArea, models.PROTECT, related_name="scores", verbose_name=_("area"))
    # A copy of the framework's maximum when the score was given, so the database itself can bound the
    # points (a CHECK constraint cannot look into another table) and old scores keep their meaning.
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    self_points = models.DecimalField(_("self-assessed points"), max_digits=6, decimal_places=2)
    appraised_points = models.DecimalField(
        _("appraised points"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # Raised by every save through services: a save based on an older version is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = AreaScoreManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area score")
        verbose_name_plural = _("area scores")
        ordering = ["period", "unit", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "area"], name="score_unique_unit_period_area"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="score_max_positive"),
            models.CheckConstraint(
                condition=Q(self_points__gte=0, self_points__lte=F("max_points")),
                name="score_self_within_max",
                violation_error_message=_(
                    "Self-assessed points must be between 0 and the area's maximum points."
                ),
            ),
            models.CheckConstraint(
                condition=Q(appraised_points__isnull=True)
                | Q(appraised_points__gte=0, appraised_points__lte=F("max_points")),
                name="score_appraised_within_max",
                violation_error_message=_(
                    "Appraised points must be between 0 and the area's maximum points."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period} · {self.area.short_name}"

    def natural_key(self):
        return (self.unit.code, *self.period.natural_key(), self.area.number)

    natural_key.dependencies = ["communes.unit", "indicators.period", "indicators.reformarea"]

    @property
    def is_appraised(self):
        return self.appraised_points is not None

    @property
    def points(self):
        """The appraised points once the district has appraised, the self-assessment until then (the rule;
        AreaScore.objects.with_points() is the same in SQL)."""
        return self.appraised_points if self.is_appraised else self.self_points

    @property
    def percent(self):
        return rate(self.points, self.max_points)

    def clean(self):
        errors = {}
        for name in ("self_points", "appraised_points"):
            value = getattr(self, name)
            if value is not None and self.max_points is not None and not 0 <= value <= self.max_points:
                errors[name] = _(
                    "“%(field)s” (%(value)s) must be between 0 and the area's maximum, %(max)s."
                ) % {
                    "field": self._meta.get_field(name).verbose_name,
                    "value": format_number(value, 2),
                    "max": format_number(self.max_points, 2),
                }
        if errors:
            raise ValidationError(errors)


class DossierStatsManager(models.Manager):
    def get_by_natural_key(self, unit_code, year, kind, number, field_code):
        return self.get(
            unit__code=unit_code,
            period__year=year,
            period__kind=kind,
            period__number=number,
            field__code=field_code,
        )


COUNT_FIELDS = [
    "carried_over",
    "received",
    "resolved_on_time",
    "resolved_overdue",
    "pending",
    "paused",
    "returned",
    "cancelled",
    "online_eligible",
    "online",
    "inputs",
    "inputs_digitized",
    "results",
    "results_digitized",
    "fee_bearing",
    "paid_online",
]
# (part, whole): the part is a subset of the whole, so it can never be larger.
PARTS_OF_WHOLES = [
    ("online_eligible", "received"),
    ("online", "online_eligible"),
    ("inputs_digitized", "inputs"),
    ("results_digitized", "results"),
    ("paid_online", "fee_bearing"),
]
BALANCE_OUT = ["resolved_on_time", "resolved_overdue", "pending", "paused", "returned", "cancelled"]
# Stocks are counted at a moment (start or end of the period); the other counts are flows over it.
OPENING_STOCKS = ["carried_over"]
CLOSING_STOCKS = ["pending", "paused"]


class DossierStats(DossierRates, models.Model):
    """One-stop-shop dossier counts of a unit for one period and one procedure field."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="dossier_stats", verbose_name=_("unit"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="dossier_stats", verbose_name=_("period"))
    field = models.ForeignKey(
        ProcedureField, models.PROTECT, related_name="dossier_stats", verbose_name=_("procedure field")
    )
    carried_over = models.PositiveIntegerField(_("carried over from the previous period"), default=0)
    received = models.PositiveIntegerField(_("received in the period"), default=0)
    resolved_on_time = models.PositiveIntegerField(_("resolved early or on time"), default=0)
    resolved_overdue = models.PositiveIntegerField(_("resolved overdue"), default=0)
    pending = models.PositiveIntegerField(_("pending (within the deadline)"), default=0)
    paused = models.PositiveIntegerField(_("paused"), default=0)
    returned = models.PositiveIntegerField(_("returned"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    online_eligible = models.PositiveIntegerField(_("eligible for online processing"), default=0)
    online = models.PositiveIntegerField(_("online (fully or partly)"), default=0)
    inputs = models.PositiveIntegerField(_("dossiers to digitize (inputs)"), default=0)
    inputs_digitized = models.PositiveIntegerField(_("dossiers with all documents digitized"), default=0)
    results = models.PositiveIntegerField(_("results to digitize (outputs)"), default=0)
    results_digitized = models.PositiveIntegerField(_("results digitized"), default=0)
    fee_bearing = models.PositiveIntegerField(_("dossiers with fees or charges"), default=0)
    paid_online = models.PositiveIntegerField(_("paid online"), default=0)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = DossierStatsManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier statistics")
        verbose_name_plural = _("dossier statistics")
        ordering = ["period", "unit", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "field"], name="stats_unique_unit_period_field"
            ),
            models.CheckConstraint(
                condition=Q(
                    carried_over=sum((F(name) for name in BALANCE_OUT[1:]), F(BALANCE_OUT[0])) - F("received")
                ),
                name="stats_dossiers_balance",
                violation_error_message=_(
                    "Carried over + received in the period must equal resolved (on time + overdue) "
                    "+ pending + paused + returned + cancelled."
                ),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{part}__lte": F(whole)}),
                    name=f"stats_{part}_within_{whole}",
                    violation_error_message=_("A part cannot exceed its whole."),
                )
                for part, whole in PARTS_OF_WHOLES
            ],
        ]

    def __str__(self):
        return f"{self.unit} · {self.period} · {self.field}"

    def natural_key(self):
        return (self.unit.code, *self.period.natural_key(), self.field.code)

    def clean(self):
        errors = {}
        for part, whole in PARTS_OF_WHOLES:
            part_value, whole_value = getattr(self, part), getattr(self, whole)
            if part_value is not None and whole_value is not None and part_value > whole_value:
                errors[part] = _(
                    "“%(part)s” (%(part_value)s) cannot exceed “%(whole)s” (%(whole_value)s)."
                ) % {
                    "part": self._meta.get_field(part).verbose_name,
                    "part_value": part_value,
                    "whole": self._meta.get_field(whole).verbose_name,
                    "whole_value": whole_value,
                }
        values = [getattr(self, name) for name in ["carried_over", "received", *BALANCE_OUT]]
        if None not in values and values[0] + values[1] > MAX_COUNT:
            # PostgreSQL adds the counts up as integers of that size to check the balance, and fails.
            errors["received"] = _(
                "Carried over + received (%(incoming)s) is more than the largest count the system can store."
            ) % {"incoming": values[0] + values[1]}
        elif None not in values and values[0] + values[1] != sum(values[2:]):
            errors["received"] = _(
                "Carried over + received (%(incoming)s) must equal resolved on time + resolved overdue + "
                "pending + paused + returned + cancelled (%(outgoing)s)."
            ) % {"incoming": values[0] + values[1], "outgoing": sum(values[2:])}
        if errors:
            raise ValidationError(errors)

    natural_key.dependencies = ["communes.unit", "indicators.period", "indicators.procedurefield"]


class PeriodReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=PeriodReport.PUBLISHED)

    def unpublished(self):
        return self.filter(status__in=PeriodReport.UNPUBLISHED)


class PeriodReportManager(models.Manager.from_queryset(PeriodReportQuerySet)):
    def get_by_natural_key(self, unit_code, year, kind, number):
        return self.get(unit__code=unit_code, period__year=year, period__kind=kind, period__number=number)


class PeriodReport(models.Model):
    """A unit's report for a period (báo cáo kỳ): entered as a draft, submitted, then approved or returned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for correction")

    # The figures of these reports are read only by those who may write them (the unit's officers, the Home
    # Affairs Office above it, administrators): never by leaders, never on dashboards or in the Word report.
    # workflow.why_cannot_read_figures and selectors.readable_by apply it.
    UNPUBLISHED = [Status.DRAFT, Status.RETURNED]
    # Submitted or approved: what "submitted" and "on time" count, and whose figures everyone reads.
    PUBLISHED = sorted(set(Status) - set(UNPUBLISHED))
    # The status shown for a unit that has no report for a period yet.
    NOT_STARTED = _("Not started")

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="reports", verbose_name=_("unit"))
    period = models.ForeignKey(Period, models.PROTECT, related_name="reports", verbose_name=_("period"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    overdue_on_software = models.PositiveIntegerField(
        _("dossiers late according to the one-stop software"),
        null=True,
        blank=True,
        help_text=_(
            "As the one-stop software counts them; it should agree with the dossiers resolved overdue."
        ),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or returned by"),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = PeriodReportManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="report_unique_unit_period"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="report_returned_with_reason",
                violation_error_message=_("A returned report needs the reason it was returned."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "returned"]) | Q(submitted_at__isnull=False),
                name="report_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    def natural_key(self):
        return (self.unit.code, *self.period.natural_key())

    natural_key.dependencies = ["communes.unit", "indicators.period"]

    @property
    def is_published(self):
        return self.status in self.PUBLISHED

    @staticmethod
    def late_after(period):
        """Reports submitted at or after this moment are late: the whole deadline day counts, in Vietnam's
        time (the time zone of the settings)."""
        next_day = period.deadline + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time()))

    @property
    def is_late(self):
        """Submitted after the period's deadline."""
        if not self.is_published:  # a returned report keeps the date it was sent, but is not submitted
            return None
        return self.submitted_at >= self.late_after(self.period)


class TargetManager(models.Manager):
    def get_by_natural_key(self, year, level, metric):
        return self.get(year=year, level=level, metric=metric)


class Target(models.Model):
    """A target the province sets for a year and a level of unit (chỉ tiêu UBND tỉnh giao)."""

    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    min_percent = models.DecimalField(
        _("minimum rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    source = models.CharField(_("legal basis"), max_length=200, blank=True)

    objects = TargetManager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["-year", "level", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["year", "level", "metric"], name="target_unique"),
            models.CheckConstraint(
                condition=Q(min_percent__gte=0, min_percent__lte=100), name="target_is_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} ≥ {self.min_percent}% ({self.get_level_display()}, {self.year})"

    def natural_key(self):
        return (self.year, self.level, self.metric)

    def is_met_by(self, percent):
        return None if percent is None else percent >= self.min_percent


class ProvinceAverageManager(models.Manager):
    def get_by_natural_key(self, year, kind, number, level, metric):
        return self.get(
            period__year=year, period__kind=kind, period__number=number, level=level, metric=metric
        )


class ProvinceAverage(models.Model):
    """The province-wide average of a rate for a period and level, as the province publishes it."""

    period = models.ForeignKey(
        Period, models.PROTECT, related_name="province_averages", verbose_name=_("period")
    )
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    metric = models.CharField(_("metric"), max_length=20, choices=Metric.choices)
    percent = models.DecimalField(
        _("rate (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )

    objects = ProvinceAverageManager()

    class Meta:
        verbose_name = _("province average")
        verbose_name_plural = _("province averages")
        ordering = ["period", "level", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["period", "level", "metric"], name="province_average_unique"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="province_average_is_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()}: {self.percent}% ({self.get_level_display()}, {self.period})"

    def natural_key(self):
        return (*self.period.natural_key(), self.level, self.metric)

    natural_key.dependencies = ["indicators.period"]


def _count():
    return models.PositiveBigIntegerField(default=0)


class StoredCounts(DossierRates, models.Model):
    """Dossier counts summed over statistics rows (`stats_rows` of them), as the stored totals keep them."""

    stats_rows = models.PositiveIntegerField(default=0)
    carried_over = _count()
    received = _count()
    resolved_on_time = _count()
    resolved_overdue = _count()
    pending = _count()
    paused = _count()
    returned = _count()
    cancelled = _count()
    online_eligible = _count()
    online = _count()
    inputs = _count()
    inputs_digitized = _count()
    results = _count()
    results_digitized = _count()
    fee_bearing = _count()
    paid_online = _count()

    class Meta:
        abstract = True

    @property
    def has_data(self):
        return self.stats_rows > 0


class UnitTotals(StoredCounts):
    """A unit's published figures for a period, summed once when they are written (indicators/totals.py):
    the pages, downloads and the Word report read these rows instead of adding up thousands of others.

    Never written by hand: `manage.py rebuild_totals` recomputes them all from the figures.
    """

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="totals", verbose_name=_("unit"))
    period = models.ForeignKey(Period, models.CASCADE, related_name="totals", verbose_name=_("period"))
    # The total score: the sums of the published area scores (appraised points where there are).
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=2, null=True)
    # Ten places: two different totals of realistic maxima never round to the same value, so ranks made
    # from it are the ranks of the exact fractions.
    percent = models.DecimalField(_("score (%)"), max_digits=14, decimal_places=10, null=True)
    areas = models.PositiveSmallIntegerField(default=0)
    appraised_areas = models.PositiveSmallIntegerField(default=0)
    # {totals.area_key(area id): its percentage rounded for the downloads}, with the score: the ranking's
    # download of thousands of communes reads them with its rows instead of pivoting every area score.
    area_percents = models.JSONField(null=True)
    band = models.ForeignKey(
        ClassificationBand, models.SET_NULL, null=True, related_name="+", verbose_name=_("classification")
    )
    # Among the units of the same parent and level that existed during the period (totals.rerank).
    rank = models.PositiveIntegerField(_("rank"), null=True)
    ranked = models.PositiveIntegerField(null=True)
    overdue_on_software = models.PositiveIntegerField(null=True)
    # Figures were entered for this very period, not only for the quarters it is built from.
    entered = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("stored totals")
        verbose_name_plural = _("stored totals")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="totals_unique_unit_period"),
            models.CheckConstraint(
                condition=Q(appraised_areas__lte=F("areas")), name="totals_appraised_areas"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True, ranked__isnull=True) | Q(rank__gte=1, rank__lte=F("ranked")),
                name="totals_rank_within_ranked",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
                name="totals_percent_is_percent",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "percent"], name="totals_period_percent"),
            # Which periods have figures entered in a scope: most totals of a longer period are built.
            models.Index(fields=["period"], condition=Q(entered=True), name="totals_entered_period"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"

    @property
    def is_appraised(self):
        """True only when the district has appraised every area of the total."""
        return self.areas > 0 and self.appraised_areas == self.areas


class CommuneTotals(StoredCounts):
    """The published dossier counts of the communes of a unit above them (a district, a province) for a
    period, summed over those that existed during it: the "communes together" of every page and of the Word
    report, stored by indicators/totals.py with the UnitTotals they add up."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="commune_totals", verbose_name=_("unit"))
    period = models.ForeignKey(
        Period, models.CASCADE, related_name="commune_totals", verbose_name=_("period")
    )
    overdue_on_software = _count()
    entered = models.BooleanField(default=False)  # one of the communes entered figures for the period itself
    # {classification band id, "" for none: communes with a score in it}: the ranking's legend and its
    # count of ranked communes, read from one row rather than counted over thousands.
    band_counts = models.JSONField(default=dict)
    # {totals.area_key(area id): [points, maximum points], as decimal strings}: the communes' scores in each
    # reform area together, the average a commune's profile compares it with, read from one row rather than
    # summed over every area score of a province.
    area_points = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("communes' stored totals")
        verbose_name_plural = _("communes' stored totals")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="commune_totals_unique_unit_period"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period}"


class CommuneFieldTotals(StoredCounts):
    """CommuneTotals field by field: the dossier counts of a unit's communes in one procedure field."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+", verbose_name=_("unit"))
    period = models.ForeignKey(Period, models.CASCADE, related_name="+", verbose_name=_("period"))
    field = models.ForeignKey(
        ProcedureField, models.CASCADE, related_name="+", verbose_name=_("procedure field")
    )

    class Meta:
        verbose_name = _("communes' stored totals by procedure field")
        verbose_name_plural = _("communes' stored totals by procedure field")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "field"], name="commune_field_totals_unique"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.period} · {self.field}"
