"""The benchmark's figures as a table, and each of our goals as met, missed, or not measured at this scale."""

PAGE_GOAL_SMALL_MS = 30  # at 23 communes, every page
PAGE_GOAL_LARGE_MS = 300  # at 10,000 communes on PostgreSQL, every page ...
FLOOR_GOAL_RATIO = 3  # ... and within 3× of its SQL floor
IMPORT_GOAL_S = 20  # 10,000 rows, per pass
IMPORT_GOAL_MB = 400
FIRST_VISIT_GOAL = 450 * 1024
REPEAT_VISIT_GOAL = 30 * 1024


def goals(run, vendor):
    """[(goal, verdict, detail)] for one scale; verdict is "met", "missed" or "n/a" (not this scale)."""
    pages, communes, found = run["pages"], run["communes"], []
    slowest = max(pages, key=lambda page: page["server_ms"]["median"])
    slowest_text = f"slowest {slowest['page']} ({slowest['format']}) {slowest['server_ms']['median']:.1f} ms"
    found.append(
        (
            f"23 communes: every page < {PAGE_GOAL_SMALL_MS} ms",
            _verdict(communes == 23, slowest["server_ms"]["median"] < PAGE_GOAL_SMALL_MS),
            slowest_text,
        )
    )
    large = communes == 10_000 and vendor == "postgresql"
    worst = max(pages, key=lambda page: page["ratio"] or 0)
    found.append(
        (
            f"10,000 communes on PostgreSQL: every page < {PAGE_GOAL_LARGE_MS} ms",
            _verdict(large, slowest["server_ms"]["median"] < PAGE_GOAL_LARGE_MS),
            slowest_text,
        )
    )
    found.append(
        (
            f"10,000 communes on PostgreSQL: every page within {FLOOR_GOAL_RATIO}× its SQL floor",
            _verdict(large, (worst["ratio"] or 0) <= FLOOR_GOAL_RATIO),
            f"highest {worst['page']} ({worst['format']}) {worst['ratio'] or 0:.1f}×",
        )
    )
    exchange = run.get("exchange")
    if exchange:
        full = exchange["rows"] >= 10_000
        longest = max(exchange["preview_s"]["median"], exchange["confirm_s"]["median"])
        peak = max(exchange["preview_peak_mb"], exchange["confirm_peak_mb"])
        rows = f"{exchange['rows']:,} rows"
        found.append(
            (
                f"import of 10,000 rows: < {IMPORT_GOAL_S} s per pass",
                _verdict(full, longest < IMPORT_GOAL_S),
                f"{rows}: slowest pass {longest:.1f} s",
            )
        )
        found.append(
            (
                f"import of 10,000 rows: peak memory < {IMPORT_GOAL_MB} MB",
                _verdict(full, peak < IMPORT_GOAL_MB),
                f"{rows}: {peak:.0f} MB (tracemalloc)",
            )
        )
    weight = run["ranking_weight"]
    found.append(
        (
            f"ranking: first visit ≤ {FIRST_VISIT_GOAL // 1024} KB, repeat ≤ {REPEAT_VISIT_GOAL // 1024} KB",
            _verdict(
                True,
                weight["first_visit_bytes"] <= FIRST_VISIT_GOAL
                and weight["repeat_visit_bytes"] <= REPEAT_VISIT_GOAL,
            ),
            f"{weight['first_visit_bytes'] / 1024:.0f} KB, {weight['repeat_visit_bytes'] / 1024:.1f} KB",
        )
    )
    return [{"goal": goal, "verdict": verdict, "detail": detail} for goal, verdict, detail in found]


def _verdict(applies, met):
    if not applies:
        return "n/a"
    return "met" if met else "missed"


def _figure(figure, unit=""):
    return f"{figure['median']:.1f}{unit} ({figure['min']:.1f}–{figure['max']:.1f})"


def table(result, run):
    """The lines printed for one scale."""
    database = result["database"]
    lines = [
        "",
        f"{database['vendor']} {database['version']} · {run['communes']:,} communes · "
        f"period {run['period']} · {result['repeat']} runs each: median (min–max)",
        f"synthetic data: {run['generation']['seconds']:.1f} s for "
        + ", ".join(f"{count:,} {table}" for table, count in run["generation"]["rows"].items()),
        "",
        f"{'page':<16} {'format':<6} {'queries':>7}  {'server ms':<22} {'SQL floor ms':<22} {'÷ floor':>7}"
        f" {'sent KB':>8}",
    ]
    for page in run["pages"]:
        ratio = f"{page['ratio']:.1f}×" if page["ratio"] else "–"
        lines.append(
            f"{page['page']:<16} {page['format']:<6} {page['queries']:>7}  {_figure(page['server_ms']):<22} "
            f"{_figure(page['floor_ms']):<22} {ratio:>7} {page['bytes_sent'] / 1024:>8.1f}"
        )
    exchange = run.get("exchange")
    if exchange:
        lines += [
            "",
            f"import of {exchange['rows']:,} rows ({exchange['file_bytes'] / 1024:.0f} KB xlsx), seconds: "
            f"preview {_figure(exchange['preview_s'])}, confirm {_figure(exchange['confirm_s'])}",
            f"export of the same rows, seconds: {_figure(exchange['export_s'])}",
            f"peak memory (tracemalloc): preview {exchange['preview_peak_mb']:.0f} MB, "
            f"confirm {exchange['confirm_peak_mb']:.0f} MB, export {exchange['export_peak_mb']:.0f} MB",
        ]
    weight = run["ranking_weight"]
    lines += [
        "",
        f"ranking page, compressed: first visit {weight['first_visit_bytes'] / 1024:.0f} KB, "
        f"repeat visit {weight['repeat_visit_bytes'] / 1024:.1f} KB",
        "",
        "goals:",
    ]
    for goal in run["goals"]:
        lines.append(f"  {goal['verdict']:<7} {goal['goal']} — {goal['detail']}")
    return lines
