"""What units enter for a period: area scores, dossier statistics, and the report that carries them through
its workflow."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from communes.models import Unit

from ..formatting import format_number
from ..rates import DossierRates, rate
from .periods import Period
from .reference import ProcedureField, ReformArea

# A count's upper bound, PositiveIntegerField's on every supported database: what a form or a file may hold.
MAX_COUNT = 2_147_483_647


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
