"""Plotly figures, built on the server; static/js/charts.js only draws them.

Figures are plain dicts in plotly.js's own format, as plotly's graph objects would write them (with its
default template): building graph objects validates every value and cost several milliseconds per chart, the
larger part of a small dashboard page's time.
"""

import json
import math

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from ..formatting import format_percent

# Colours by classification band rank (1 = best) and by target status.
BAND_COLOURS = {1: "#1b7f3b", 2: "#2b6cb0", 3: "#c58a00", 4: "#b42318"}
NO_BAND = "#8a94a6"
STATUS_COLOURS = {
    "met": "#1b7f3b",
    "missed": "#c58a00",
    "not_started": "#b42318",
    "no_fee_bearing": NO_BAND,
    "no_data": NO_BAND,
}
SERIES = ["#2b6cb0", "#c58a00", "#1b7f3b", "#7b3fa0", "#0f766e"]  # one per rate of the one-stop shop
# What plotly's graph objects add to every figure, worked out once.
TEMPLATE = json.loads(go.Figure().to_json())["layout"]["template"]
RED_YELLOW_GREEN = json.loads(go.Figure(go.Heatmap(colorscale="RdYlGn")).to_json())["data"][0]["colorscale"]


def _without_none(settings):
    # Plotly leaves out a setting given as None: plotly.js then uses its default.
    return {
        key: _without_none(value) if isinstance(value, dict) else value
        for key, value in settings.items()
        if value is not None
    }


def _trace(kind, **settings):
    return {**_without_none(settings), "type": kind}


def _axis(**extra):
    # Counts never become "1.7k": Vietnamese readers expect 1.698.
    return {"exponentformat": "none", "separatethousands": True, "automargin": True, **extra}


def figure(traces, title, height=None, **layout):
    """{"data": [traces], "layout": {...}}: the page embeds it as it is with json_script."""
    return dict(
        data=list(traces),
        layout=_without_none(
            {
                "title": {"text": title, "x": 0, "font": {"size": 15}},
                "separators": ",.",
                "font": {"family": "system-ui, 'Segoe UI', Roboto, 'Noto Sans', sans-serif", "size": 12},
                "margin": {"l": 8, "r": 8, "t": 48, "b": 8},
                "autosize": True,
                "height": height,
                "legend": {"orientation": "h", "y": -0.12},
                "paper_bgcolor": "#ffffff",
                "plot_bgcolor": "#ffffff",
                "xaxis": _axis(),
                "yaxis": _axis(),
                "template": TEMPLATE,
            }
            | layout
        ),
    )


def reference_line(value, label, categories, index=0):
    """A dashed vertical line across all categories at a target or an average, named in the legend."""
    return _trace(
        "scatter",
        x=[float(value)] * 2,
        y=[categories[0], categories[-1]] if categories else [],
        mode="lines",
        name=label,
        line={
            "dash": ["dash", "dot", "dashdot"][index % 3],
            "color": ["#444", "#b42318", "#7b3fa0"][index % 3],
        },
        hoverinfo="name",
    )


def commune_bars(
    names, values, colours, title, value_title, hover, lines=(), height_per_bar=22, value_range=None
):
    """Horizontal bars, one per commune, the first name at the top; `lines` are (value, label) references."""
    trace = _trace(
        "bar",
        x=[float(v) if v is not None else None for v in values],
        y=names,
        orientation="h",
        marker={"color": colours},
        hovertext=hover,
        hoverinfo="text",
        showlegend=False,
    )
    references = [reference_line(value, label, names, i) for i, (value, label) in enumerate(lines)]
    return figure(
        [trace, *references],
        title,
        height=max(260, 80 + height_per_bar * len(names)),
        xaxis=_axis(
            title={"text": value_title}, ticksuffix="%" if "%" in value_title else "", range=value_range
        ),
        yaxis=_axis(autorange="reversed", type="category"),
        showlegend=bool(references),
    )


def heatmap(rows, columns, z, title):
    text = [[format_percent(value, 1) for value in row] for row in z]
    trace = _trace(
        "heatmap",
        z=[[float(v) if v is not None else None for v in row] for row in z],
        x=columns,
        y=rows,
        text=text,
        texttemplate="%{text}",
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        colorscale=RED_YELLOW_GREEN,
        zmin=50,
        zmax=100,
        colorbar={"title": {"text": "%"}, "thickness": 12},
    )
    return figure(
        [trace],
        title,
        height=max(320, 80 + 24 * len(rows)),
        yaxis=_axis(autorange="reversed", type="category"),
        xaxis=_axis(side="top", type="category"),
    )


def grouped_bars(categories, series, title, value_title, lines=(), horizontal=True, value_range=None):
    """Several series of bars per category: [(name, values)]; `lines` are (value, label) references."""
    traces = [
        _trace(
            "bar",
            name=name,
            x=[float(v) if v is not None else None for v in values] if horizontal else categories,
            y=categories if horizontal else [float(v) if v is not None else None for v in values],
            orientation="h" if horizontal else "v",
            marker={"color": SERIES[index % len(SERIES)]},
        )
        for index, (name, values) in enumerate(series)
    ]
    traces += [reference_line(value, label, categories, i) for i, (value, label) in enumerate(lines)]
    value_axis = _axis(title={"text": value_title}, range=value_range)
    category_axis = _axis(type="category", autorange="reversed" if horizontal else True)
    return figure(
        traces,
        title,
        height=max(300, 80 + 14 * len(series) * len(categories)) if horizontal else 360,
        barmode="group",
        xaxis=value_axis if horizontal else category_axis,
        yaxis=category_axis if horizontal else value_axis,
    )


def trend(labels, series, title, value_title, reversed_axis=False, point_labels=None):
    """Lines over periods: [(name, values)]; `point_labels`: a text by each point of the first line."""
    traces = [
        _trace(
            "scatter",
            name=name,
            x=labels,
            y=[float(v) if v is not None else None for v in values],
            mode="lines+markers",
            line={"color": SERIES[index % len(SERIES)]},
        )
        for index, (name, values) in enumerate(series)
    ]
    if point_labels:
        traces[0].update(
            mode="lines+markers+text", text=point_labels, textposition="top center", cliponaxis=False
        )
    yaxis = _axis(title={"text": value_title}, autorange="reversed" if reversed_axis else True)
    if not reversed_axis:
        yaxis["rangemode"] = "tozero"  # from nought: 24 then 19 overdue dossiers is no collapse
    else:
        # Ranks are whole numbers: no tick at 1,5.
        highest = max((float(v) for _name, values in series for v in values if v is not None), default=1)
        yaxis["dtick"] = max(1, math.ceil(highest / 8))
    return figure(traces, title, height=320, xaxis=_axis(type="category"), yaxis=yaxis)


# Bars of a percentage start at nought, so that the gaps between communes read true, and stop a little
# above 100 so that the 100% tick and a target of 100% do not sit on the chart's edge.
PERCENT_AXIS = [0, 105]


def band_colour(band):
    return BAND_COLOURS.get(band.rank if band else None, NO_BAND)


def no_data_label():
    return _("No data")
