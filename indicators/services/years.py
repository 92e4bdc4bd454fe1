"""Opening a year: its reporting periods, and frameworks and targets copied from the year before."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import totals
from ..models import ClassificationBand, FrameworkArea, Period, ScoringFramework, Target

REPORT_DAY = 15  # reports are due on the 15th of a period's last month


@transaction.atomic
def open_year(year: int) -> int:
    """Create a year's reporting periods, and its frameworks and targets where it has none yet.

    Frameworks and targets are copied from the latest earlier year: a starting point the administrator
    corrects when the province publishes the year's own. Returns how many objects were created.
    """
    created = 0
    for kind, (count, _months) in Period.SHAPES.items():
        for number in range(1, count + 1):
            start, end = Period.bounds(year, kind, number)
            _period, new = Period.objects.get_or_create(
                year=year,
                kind=kind,
                number=number,
                defaults={"start": start, "end": end, "deadline": end.replace(day=REPORT_DAY)},
            )
            created += new
    previous_year = ScoringFramework.objects.filter(year__lt=year).order_by("-year").values("year").first()
    if previous_year is None:
        return created
    for framework in ScoringFramework.objects.filter(year=previous_year["year"]).prefetch_related(
        "areas", "bands"
    ):
        if ScoringFramework.objects.filter(year=year, level=framework.level).exists():
            continue
        copy = ScoringFramework.objects.create(
            year=year, level=framework.level, note=_("Copied from %(year)s.") % {"year": framework.year}
        )
        FrameworkArea.objects.bulk_create(
            FrameworkArea(framework=copy, area_id=area.area_id, max_points=area.max_points)
            for area in framework.areas.all()
        )
        ClassificationBand.objects.bulk_create(
            ClassificationBand(
                framework=copy,
                rank=band.rank,
                label=band.label,
                min_percent=band.min_percent,
                min_inclusive=band.min_inclusive,
            )
            for band in framework.bands.all()
        )
        created += 1
    totals.rebuild(Period.objects.filter(year=year))  # classified by the new bands
    if not Target.objects.filter(year=year).exists():
        targets = Target.objects.filter(year=previous_year["year"])
        created += len(
            Target.objects.bulk_create(
                Target(year=year, level=t.level, metric=t.metric, min_percent=t.min_percent, source=t.source)
                for t in targets
            )
        )
    return created
