"""Synthetic, reproducible data at a chosen scale: one district with N communes and eight quarters of figures.

The reference data (reform areas, procedure fields, frameworks, bands, periods, targets) comes from
fixtures/reference.json without its units. Every row respects the database's constraints: the dossier
balance, parts within wholes, points within the area's maximum.
"""

import datetime
import json
import random
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core import serializers
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from communes.models import Unit, User
from indicators import totals
from indicators.models import (
    COUNT_FIELDS,
    AreaScore,
    DossierStats,
    FrameworkArea,
    Period,
    PeriodReport,
    ProcedureField,
    UnitTotals,
)

SEED = 6
BATCH = 2000
QUARTERS = [(2022, n) for n in range(1, 5)] + [(2023, n) for n in range(1, 5)]
LATEST_QUARTER = "2023-Q4"
ROOT_CODE = "900"
PROFILED_COMMUNE = "20001"  # the first commune: the one whose profile page is measured
LEADER = "bench.leader"
SYLLABLES = (
    "An Bình Cẩm Chí Đại Đông Đức Gia Hà Hải Hòa Hồng Hưng Khánh Kim Kỳ Lạc Lâm Liên Long Minh Nam Nghĩa "
    "Ngọc Nguyên Phú Phúc Phong Quang Quảng Quý Sơn Tân Tây Thạch Thái Thanh Thành Thịnh Thuận Tiên Tiến "
    "Trung Tứ Văn Việt Vĩnh Xuân Yên Ân Ái Đồng Mỹ"
).split()
OUTGOING = ("resolved_overdue", "pending", "paused", "returned", "cancelled")
KINDS = [Unit.Kind.COMMUNE] * 16 + [Unit.Kind.WARD] * 3 + [Unit.Kind.TOWNSHIP]


def load_reference():
    """Areas, procedure fields, frameworks, bands, periods, targets and averages, but not the demo's units."""
    with open(settings.BASE_DIR / "fixtures" / "reference.json", encoding="utf-8") as stream:
        objects = [item for item in json.load(stream) if item["model"] != "communes.unit"]
    for item in serializers.deserialize("python", objects):
        item.save()


def commune_name(rng):
    return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


def create_units(rng, root_code, root_name, count, first_code):
    """A district and `count` communes under it, with five-digit codes from `first_code`."""
    root = Unit.objects.create(
        code=root_code, name=root_name, kind=Unit.Kind.DISTRICT, level=Unit.Level.DISTRICT
    )
    communes = [
        Unit(
            code=str(first_code + index),
            name=commune_name(rng),
            kind=rng.choice(KINDS),
            level=Unit.Level.COMMUNE,
            parent=root,
        )
        for index in range(count)
    ]
    Unit.objects.bulk_create(communes, batch_size=BATCH)
    return root, list(Unit.objects.filter(parent=root).order_by("code"))


def dossier_counts(rng):
    """One row's counts: balanced (carried over + received = everything that went out) and parts ≤ wholes."""
    carried_over, received = rng.randint(0, 20), rng.randint(5, 400)
    total = carried_over + received
    counts = {
        "carried_over": carried_over,
        "received": received,
        "resolved_overdue": int(total * rng.uniform(0, 0.05)),
        "pending": int(total * rng.uniform(0, 0.1)),
        "paused": rng.randint(0, 2),
        "returned": int(total * rng.uniform(0, 0.02)),
        "cancelled": int(total * rng.uniform(0, 0.01)),
    }
    outgoing = sum(counts[name] for name in OUTGOING)
    counts["resolved_on_time"] = total - outgoing
    counts["online_eligible"] = int(received * rng.uniform(0.5, 1))
    counts["online"] = int(counts["online_eligible"] * rng.uniform(0.3, 1))
    counts["inputs"] = received
    counts["inputs_digitized"] = int(received * rng.uniform(0.2, 1))
    counts["results"] = counts["resolved_on_time"] + counts["resolved_overdue"]
    counts["results_digitized"] = int(counts["results"] * rng.uniform(0.2, 1))
    counts["fee_bearing"] = int(received * rng.uniform(0, 0.5))
    counts["paid_online"] = 0 if rng.random() < 0.1 else int(counts["fee_bearing"] * rng.uniform(0, 0.6))
    assert set(counts) == set(COUNT_FIELDS)
    return counts


def _in_batches(model, objects):
    created = 0
    while batch := list(islice(objects, BATCH)):
        model.objects.bulk_create(batch)
        created += len(batch)
    return created


def _scores(rng, units, periods, maxima):
    for period in periods:
        for unit in units:
            for area_id, max_points in maxima[period.year, unit.level].items():
                self_points = (max_points * Decimal(rng.uniform(0.55, 1))).quantize(Decimal("0.01"))
                appraised = None
                if rng.random() < 0.8:
                    cut = (max_points * Decimal(rng.uniform(0, 0.1))).quantize(Decimal("0.01"))
                    appraised = max(self_points - cut, Decimal(0))
                yield AreaScore(
                    unit=unit,
                    period=period,
                    area_id=area_id,
                    max_points=max_points,
                    self_points=self_points,
                    appraised_points=appraised,
                )


def _stats(rng, units, periods, fields):
    # Each commune deals with a few procedure fields, the same ones every quarter; the district with all.
    chosen = {
        unit.pk: fields if unit.parent_id is None else rng.sample(fields, rng.randint(3, 6)) for unit in units
    }
    for period in periods:
        for unit in units:
            for field in chosen[unit.pk]:
                yield DossierStats(unit=unit, period=period, field=field, **dossier_counts(rng))


def _reports(rng, units, periods):
    for period in periods:
        deadline = timezone.make_aware(datetime.datetime.combine(period.deadline, datetime.time(17)))
        for unit in units:
            draw = rng.random()
            # Mostly approved; a few submitted and waiting, a few drafts whose figures stay unpublished.
            status = "approved" if draw < 0.95 else "submitted" if draw < 0.98 else "draft"
            submitted_at = None
            if status != "draft":
                late = rng.random() < 0.1
                days = rng.randint(1, 10) if late else -rng.randint(0, 10)
                submitted_at = deadline + datetime.timedelta(days=days)
            yield PeriodReport(
                unit=unit,
                period=period,
                status=status,
                submitted_at=submitted_at,
                decided_at=submitted_at + datetime.timedelta(days=3) if status == "approved" else None,
                overdue_on_software=rng.randint(0, 5) if rng.random() < 0.5 else None,
            )


def build(communes, seed=SEED):
    """Reference data, a district of `communes` communes, their figures and a leader; {table: rows}."""
    counts = _fill(communes, seed)
    # A database in use has been vacuumed and analysed by autovacuum, and what was written to it is on disk;
    # a freshly filled one not. Measured straight after the inserts, pages set hint bits, read heap pages an
    # index-only scan would skip, and wait on the disk while hundreds of megabytes are written back: the same
    # page took half as long again from one run to the next.
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return counts
        cursor.execute("VACUUM ANALYZE")
        try:
            cursor.execute("CHECKPOINT")
        except DatabaseError:
            pass  # a role without the right to ask for one: the server writes back in its own time
    return counts


@transaction.atomic
def _fill(communes, seed):
    rng = random.Random(seed)
    load_reference()
    root, units = create_units(rng, ROOT_CODE, "Mẫu", communes, int(PROFILED_COMMUNE))
    units = [root, *units]
    periods = [Period.objects.get(year=year, kind=Period.Kind.QUARTER, number=n) for year, n in QUARTERS]
    maxima = {}
    for year, level, area_id, max_points in FrameworkArea.objects.values_list(
        "framework__year", "framework__level", "area_id", "max_points"
    ):
        maxima.setdefault((year, level), {})[area_id] = max_points
    fields = list(ProcedureField.objects.all())
    User.objects.create_user(LEADER, role=User.Role.LEADER, unit=root)
    counts = {
        "units": len(units),
        "area_scores": _in_batches(AreaScore, _scores(rng, units, periods, maxima)),
        "dossier_stats": _in_batches(DossierStats, _stats(rng, units, periods, fields)),
        "reports": _in_batches(PeriodReport, _reports(rng, units, periods)),
    }
    totals.rebuild()  # bulk inserts send no signals: the stored totals, as the services would keep them
    counts["unit_totals"] = UnitTotals.objects.count()
    return counts
