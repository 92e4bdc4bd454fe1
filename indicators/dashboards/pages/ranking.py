"""Xếp hạng: the communes ranked by their total score, with each reform area and last year's rank."""

from django.db.models import F
from django.utils.translation import gettext as _

from ... import figures
from ...models import ReformArea
from ...rates import as_float
from .. import charts
from ..tables import Column, Rows, Table
from .base import CODE, NAME, Page, bounded_note, code_column, unit_column


def ranking(root, period, visible):
    lines = figures.ranked_lines(root, period, figures.bands_of(period.year))
    previous_period = period.comparable_previous()
    areas = list(ReformArea.objects.all())
    area_keys = [f"area_{area.number}" for area in areas]

    def build(shown, units):
        before = figures.places(root, previous_period, units) if previous_period else {}
        rows = []
        for line in shown:
            previous_rank = before.get(line.pk)
            row = {
                "rank": line.place,
                "code": line.code,
                "unit": line.unit_name,
                "percent": line.score_percent,
                "points": line.points,
                "max_points": line.max_points,
                "classification": line.band and line.band.label,
                "band": line.band,
                "previous_rank": previous_rank,
                "rank_change": figures.rank_change(previous_rank, line.place),
                "appraised": line.is_appraised,
            }
            for key, area in zip(area_keys, areas, strict=True):
                row[key] = line.area_percent(area.pk)
            rows.append(row)
        return rows

    def complete(records, ids):
        before = figures.places(root, previous_period, lines.units) if previous_period else {}
        for record, pk in zip(records, ids, strict=True):
            previous_rank = before.get(pk)
            record["previous_rank"] = previous_rank
            record["rank_change"] = figures.rank_change(previous_rank, record["rank"])

    columns = [
        Column("rank", _("Rank"), "int", order=[F("place")], value="place"),
        code_column(),
        unit_column(),
        Column(
            "percent", _("Score (%)"), "percent", order=[F("percent")], value=figures.rounded_score_percent()
        ),
        Column("points", _("Points"), "points", order=[F("points")], value=as_float("points")),
        Column("max_points", _("Maximum points"), "points", shown=False, value=as_float("max_points")),
        Column(
            "classification", _("Classification"), order=[F("place")], value=figures.band_label(lines.bands)
        ),
        Column("previous_rank", _("Rank, same period last year"), "int"),
        Column("rank_change", _("Places gained"), "int"),
        Column(
            "appraised",
            _("Appraised"),
            order=[F("appraised_areas") - F("areas")],
            value=figures.appraised(),
        ),
        *[
            Column(key, f"{a.number}. {a.short_name} (%)", "percent", value=figures.rounded_area_percent(a))
            for key, a in zip(area_keys, areas, strict=True)
        ],
    ]

    def figures_of(shown):
        names = [row["unit"] for row in shown]
        bar = charts.commune_bars(
            names,
            [row["percent"] for row in shown],
            [charts.band_colour(row["band"]) for row in shown],
            _("Total score by commune, %(period)s") % {"period": period.label},
            _("Score (%)"),
            [
                f"{row['rank']}. {row['unit']}: {charts.format_percent(row['percent'])}"
                + f" · {row['classification'] or ''}"
                + ("" if row["appraised"] else f" · {_('self-assessed')}")
                for row in shown
            ],
            value_range=charts.PERCENT_AXIS,
        )
        grid = charts.heatmap(
            names,
            [f"{a.number}. {a.short_name}" for a in areas],
            [[row[f"area_{a.number}"] for a in areas] for row in shown],
            _("Score by reform area (%)"),
        )
        note = bounded_note(len(shown), ranked)
        return [("ranking-bar", bar, note), ("ranking-heatmap", grid, note)]

    # Each band with the colour of its bars: the chart's legend.
    bands = [
        (label, charts.BAND_COLOURS.get(rank, charts.NO_BAND), count)
        for label, rank, count in figures.band_counts(root, period, lines.bands)
    ]
    ranked = sum(count for *_band, count in bands)

    def details(rows):
        names = {}
        for row in rows:
            names.setdefault(row["classification"] or "", []).append(row["unit"])
        return {"classification": names}

    def named(shown):
        # A district's communes are all on one page: each band names them.
        names = {}
        # In rank order whatever order the table is in (a stable sort: ties keep theirs).
        for row in sorted(shown, key=lambda row: row["rank"]) if ranked <= len(shown) else []:
            names.setdefault(row["classification"] or "", []).append(row["unit"])
        return {"named": names}

    table = Table(columns, Rows(lines, build, [*NAME, *CODE], complete), sort="rank")
    page = Page(_("Ranking"), table, {"ranked": ranked}, figures_of, details, {"bands": bands})
    page.shown_context = named
    return page
