"""Reference data: the reform areas, procedure fields, scoring frameworks (areas' maxima, classification
bands), and the targets and province averages set for a year or period."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import UnitLevel

from ..rates import Metric
from .periods import Period

PERCENT_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


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
