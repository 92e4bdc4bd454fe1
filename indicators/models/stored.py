"""Stored totals: figures summed when they are written (indicators/totals.py keeps them in step)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from communes.models import Unit

from ..rates import DossierRates
from .periods import Period
from .reference import ClassificationBand, ProcedureField


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
