"""Timing and peak memory of importing a workbook of dossier statistics (preview, confirm) and exporting it.

The workbook is written in the application's own layout (spreadsheets.write_workbook) for a district of its
own, created for the purpose, with ⌈rows ÷ procedure fields⌉ communes and one empty quarter (2024-Q1): so it
holds exactly `rows` new rows whatever the benchmark's scale. It is imported as the district's Home Affairs
staff would upload it:
- preview: imports.build_plan, what the upload view runs (read, check every row, write nothing);
- confirm: imports.build_plan again, then imports.apply_plan, what the confirmation view runs.
Timed passes are rolled back, so each starts from the same state. Peak memory is tracemalloc's peak of
Python allocations during one further pass of each step (tracemalloc slows that pass, so it is not timed).
Export: exports.workbook of the saved rows, as "Xuất số liệu" on the Excel page.
"""

import math
import random
import tracemalloc

from django.db import transaction

from communes.models import User
from indicators import services
from indicators.excel import exports, imports, spreadsheets
from indicators.excel.spreadsheets import STATS
from indicators.models import Period, ProcedureField

from .measure import BenchmarkError, spread, stopwatch
from .synthetic import create_units, dossier_counts

IMPORT_PERIOD = "2024-Q1"
MB = 1024 * 1024


def _workbook(rng, communes, fields, period, rows):
    layout = spreadsheets.LAYOUTS[STATS]
    lines = []
    for unit in communes:
        for field in fields:
            if len(lines) == rows:
                break
            lines.append(
                {
                    "period": period.code,
                    "unit_code": unit.code,
                    "unit_name": str(unit),
                    "field": field.code,
                    "field_name": field.name,
                    **dossier_counts(rng),
                }
            )
    return spreadsheets.write_workbook(layout, lines)


def peak_memory(function):
    """MB of tracemalloc's peak while `function` runs."""
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()


def measure_exchange(rows, repeat, seed, log=print):
    rng = random.Random(seed)
    services.open_year(2024)
    period = Period.objects.get_by_code(IMPORT_PERIOD)
    fields = list(ProcedureField.objects.all())
    root, communes = create_units(rng, "901", "Nhập liệu", math.ceil(rows / len(fields)), 40001)
    staff = User.objects.create_user("bench.staff", role=User.Role.DISTRICT_STAFF, unit=root)
    data = _workbook(rng, communes, fields, period, rows)

    def preview():
        plan = imports.build_plan(data, staff)
        if not plan.is_valid or plan.count(imports.NEW) != rows:
            problems = "; ".join(str(problem) for problem in plan.problems[:5])
            raise BenchmarkError(f"The benchmark's workbook did not import as {rows} new rows: {problems}")
        return plan

    seen = preview().seen_versions()

    def confirm():
        imports.apply_plan(staff, imports.build_plan(data, staff), seen)

    def rolled_back(step, measure):
        """measure(step) inside a transaction that is then rolled back, so every pass finds the same data."""
        with transaction.atomic():
            figure = measure(step)
            transaction.set_rollback(True)
        return figure

    def export():
        return exports.workbook(staff, period, STATS, within=root, template=False)

    result = {"rows": rows, "file_bytes": len(data)}
    log(f"  preview ×{repeat}…")
    result["preview_s"] = spread([stopwatch(preview) for _ in range(repeat)])
    log(f"  confirm ×{repeat}…")
    result["confirm_s"] = spread([rolled_back(confirm, stopwatch) for _ in range(repeat)])
    log("  peak memory of preview and confirm (tracemalloc: slower)…")
    result["preview_peak_mb"] = peak_memory(preview)
    result["confirm_peak_mb"] = rolled_back(confirm, peak_memory)
    confirm()  # saved for good this time: the export reads these rows
    log(f"  export ×{repeat}, then its peak memory…")
    result["export_s"] = spread([stopwatch(export) for _ in range(repeat)])
    result["export_peak_mb"] = peak_memory(export)
    result["memory_method"] = "tracemalloc peak (Python allocations), separate untimed pass"
    return result
