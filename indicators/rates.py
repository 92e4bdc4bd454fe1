"""The one place where every one-stop-shop rate is defined from raw counts.

A rate is part ÷ whole × 100, kept exact; rounding happens only when it is shown. A whole of zero
means there is no data, never 0% or 100%.
"""

from decimal import Decimal

from django.db import models
from django.db.models import BigIntegerField, Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _


class Metric(models.TextChoices):
    ON_TIME = "on_time", _("Resolved early or on time")
    OVERDUE = "overdue", _("Resolved overdue")
    ONLINE = "online", _("Received and resolved online")
    INPUTS_DIGITIZED = "inputs_digitized", _("Dossier documents digitized (inputs)")
    RESULTS_DIGITIZED = "results_digitized", _("Results digitized (outputs)")
    ONLINE_PAYMENT = "online_payment", _("Fees and charges paid online")


RESOLVED = ("resolved_on_time", "resolved_overdue")

# metric -> (count fields summed into the part, count fields summed into the whole)
DEFINITIONS = {
    Metric.ON_TIME: (("resolved_on_time",), RESOLVED),
    Metric.OVERDUE: (("resolved_overdue",), RESOLVED),
    Metric.ONLINE: (("online",), ("online_eligible",)),
    Metric.INPUTS_DIGITIZED: (("inputs_digitized",), ("inputs",)),
    Metric.RESULTS_DIGITIZED: (("results_digitized",), ("results",)),
    Metric.ONLINE_PAYMENT: (("paid_online",), ("fee_bearing",)),
}


def rate(part, whole):
    """part/whole as an exact percentage, or None when there is nothing to divide by."""
    if not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def _sum_of(names):
    return sum((F(name) for name in names[1:]), F(names[0]))


def rate_expression(metric):
    """The same rate in SQL, over columns of the counts' names: to sort and filter by, never to show."""
    part, whole = (_sum_of(names) for names in DEFINITIONS[metric])
    return Case(When(GreaterThan(whole, 0), then=part * Value(100.0) / whole), output_field=FloatField())


class DatabaseFloat(FloatField):
    """A float the database already returns as a Python float (PostgreSQL float8, SQLite REAL): Django
    then converts none of the hundred thousand values of a download one by one."""

    def get_internal_type(self):
        return "DatabaseFloat"


def as_float(expression):
    """`expression` cast to a float in SQL, read as the database returns it (DatabaseFloat)."""
    return ExpressionWrapper(Cast(expression, FloatField()), output_field=DatabaseFloat())


def rounded_percent_expression(part, whole):
    """part/whole as a percentage rounded half up to two places, in SQL, as a float: what the downloads
    give (formatting.rounded of rate()), computed exactly in whole numbers on every database. `part` and
    `whole`: whole-number expressions (hundredths of a point for scores)."""
    hundredths = (Cast(part, BigIntegerField()) * 20000 + whole) / (Cast(whole, BigIntegerField()) * 2)
    return Case(
        When(GreaterThan(whole, 0), then=Cast(hundredths, FloatField()) / Value(100.0)),
        output_field=DatabaseFloat(),
    )


def rounded_rate_expression(metric):
    """The rate of `metric` rounded for the downloads, in SQL (rounded_percent_expression)."""
    return rounded_percent_expression(*(_sum_of(names) for names in DEFINITIONS[metric]))


def meets(metric, min_percent):
    """Q: the rate reaches `min_percent` (two decimals), compared exactly in whole numbers in SQL."""
    part, whole = (_sum_of(names) for names in DEFINITIONS[metric])
    hundredths = int(Decimal(min_percent) * 100)
    return Q(GreaterThan(whole, 0), GreaterThanOrEqual(part * 10000, whole * hundredths))


class DossierRates:
    """Rates for anything that carries the dossier counts: one stored row, or a sum of rows."""

    def part_and_whole(self, metric):
        part_fields, whole_fields = DEFINITIONS[metric]
        return (
            sum(getattr(self, name) for name in part_fields),
            sum(getattr(self, name) for name in whole_fields),
        )

    def rate(self, metric):
        return rate(*self.part_and_whole(metric))

    @property
    def resolved(self):
        return self.resolved_on_time + self.resolved_overdue

    @property
    def handled(self):
        """Dossiers to handle in the period: carried over plus newly received."""
        return self.carried_over + self.received

    @property
    def on_time_rate(self):
        return self.rate(Metric.ON_TIME)

    @property
    def overdue_rate(self):
        return self.rate(Metric.OVERDUE)

    @property
    def online_rate(self):
        return self.rate(Metric.ONLINE)

    @property
    def inputs_digitized_rate(self):
        return self.rate(Metric.INPUTS_DIGITIZED)

    @property
    def results_digitized_rate(self):
        return self.rate(Metric.RESULTS_DIGITIZED)

    @property
    def online_payment_rate(self):
        return self.rate(Metric.ONLINE_PAYMENT)
