"""Reporting periods: quarters, halves, nine months and years, with their deadlines."""

import calendar
import datetime
import re

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


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
