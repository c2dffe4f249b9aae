"""Plotly figures shared by the phases: offline maps, bars, a colour-blind-safe palette."""

from __future__ import annotations

import html
import json
import re

import geopandas as gpd
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
import yaml
from IPython.display import HTML
from plotly.colors import sample_colorscale

from pipeline.core import fmt

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
SEQUENTIAL = "Viridis"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"
FIG_ALT = re.compile(r"^#\|\s*fig-alt:\s*(.*)$", re.M)
# Draws every figure of a report page once plotly.js has loaded: the report includes it once,
# after its body (pipeline/report/render.py), for Quarto and the fallback alike.
FIGURES_JS = """document.querySelectorAll(".plotly-figure[data-plotly]").forEach(function (el) {
  var spec = JSON.parse(el.getAttribute("data-plotly"));
  Plotly.newPlot(el, spec.data || [], spec.layout || {}, {responsive: true, displaylogo: false})
    .then(function () { el.setAttribute("data-rendered", "true"); });
});"""


def setup() -> None:
    """Figures go into notebooks as Plotly JSON (no plotly.js copy, no CDN, no random ids), which
    JupyterLab draws; `pipeline.core.run` adds their HTML (`figure_html`) to the executed notebook."""
    pio.renderers.default = "plotly_mimetype"
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.colorway = PALETTE
    template.layout.font.family = FONT
    template.layout.separators = ", "  # French: decimal comma, thin space for thousands
    pio.templates["etude"] = template
    pio.templates.default = "etude"


def figure_html(spec: dict, cell_source: str = "") -> str:
    """The `text/html` representation of a figure, which Quarto shows (it ignores Plotly's JSON
    mimetype): a div holding the figure's JSON, drawn by `FIGURES_JS`, with the cell's `fig-alt`
    (else the figure's title) as its accessible name.

    Hand-written: plotly's own HTML (`plotly.io.to_html`) gives each figure a random id and a
    <script>, so the same figure would not give the same bytes and a text from the data would sit
    in a script. Here the JSON is an attribute value, escaped as HTML: it is text, whatever it
    holds. The attribute is single-quoted, as JSON is full of double quotes (+0.4 % instead of
    +47 % with `&quot;`).
    """
    title = spec.get("layout", {}).get("title", {})
    match = FIG_ALT.search(cell_source)
    alt = yaml.safe_load(match[1]) if match else None
    label = alt or (title.get("text", "") if isinstance(title, dict) else str(title or ""))
    data = json.dumps(spec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    attribute = html.escape(data, quote=False).replace("'", "&#39;")
    return (
        f'<div class="plotly-figure" role="img" aria-label="{html.escape(str(label))}" '
        f"data-plotly='{attribute}'></div>"
    )


def _projected(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.to_crs(gdf.estimate_utm_crs())


def polygon_traces(geometry, **style) -> list[go.Scatter]:
    """One Scatter trace per polygon of `geometry` (Polygon or MultiPolygon, projected): its outer
    ring, drawn with `style` (fill, line, hover text…)."""
    rings = [poly.exterior.xy for poly in getattr(geometry, "geoms", [geometry])]
    return [go.Scatter(x=list(x), y=list(y), **style) for x, y in rings]


def study_zone(communes: gpd.GeoDataFrame) -> gpd.GeoSeries | None:
    """The outline of the study zone's communes, for `choropleth`; None without the column."""
    if "in_study_zone" not in communes:
        return None
    return communes.loc[communes["in_study_zone"].astype(bool), "geometry"]


def choropleth(
    gdf: gpd.GeoDataFrame,
    column: str,
    title: str,
    label: str,
    hover: str = "nom",
    outline: gpd.GeoSeries | None = None,
    percent: bool = False,
    outline_label: str = "Zone d'étude (contour)",
) -> go.Figure:
    """Map of polygons coloured by `column`, drawn on plain axes in a metric projection, each
    polygon named (its `hover` column); `outline`, drawn in black, is named in the legend.

    With `percent`, values are shares (0-1) shown as French percentages.

    Hand-written because plotly's geo and map subplots fetch base layers or tiles from the
    network; filled scatter traces keep the report fully offline.
    """
    shown = fmt.percent if percent else fmt.number
    proj = _projected(gdf)
    values = proj[column].astype(float)
    span = (values.max() - values.min()) or 1.0
    colours = sample_colorscale(SEQUENTIAL, ((values - values.min()) / span).tolist())
    fig = go.Figure()
    for (_, row), colour in zip(proj.iterrows(), colours):
        fig.add_traces(
            polygon_traces(
                row.geometry,
                fill="toself",
                fillcolor=colour,
                mode="lines",
                line={"color": "white", "width": 1},
                hoverinfo="text",
                showlegend=False,
                text=f"{row[hover]} : {shown(row[column])}",
            )
        )
    if outline is not None:
        union = outline.to_crs(proj.crs).union_all()
        rings = polygon_traces(
            union,
            mode="lines",
            hoverinfo="skip",
            line={"color": "black", "width": 2},
            name=outline_label,
            legendgroup="outline",
            showlegend=False,
        )
        rings[0].showlegend = True  # one legend entry for all the rings of the outline
        fig.add_traces(rings)
        fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.05})
    centroids = proj.geometry.representative_point()
    fig.add_trace(
        go.Scatter(
            x=centroids.x,
            y=centroids.y,
            mode="markers+text",
            text=list(proj[hover]),
            textfont={"size": 9, "color": "#1f2933", "shadow": "auto"},
            hoverinfo="skip",
            showlegend=False,
            marker={
                "size": 0.1,
                "color": values,
                "colorscale": SEQUENTIAL,
                "colorbar": {
                    "title": {"text": label},
                    # French numbers (20 000, not 20k): thousands by the template's separators.
                    "tickformat": (".1%" if span < 0.05 else ".0%")
                    if percent
                    else (",.0f" if values.abs().max() >= 10 else ",.1f"),
                },
                "showscale": True,
            },
        )
    )
    return _map_layout(fig, title)


def points_on_map(
    fig: go.Figure,
    base: gpd.GeoDataFrame,
    lon,
    lat,
    names,
    label: str,
    colour: str = PALETTE[5],
    symbol: str = "circle",
) -> go.Figure:
    """Add labelled points (WGS84 lon/lat) to a map drawn by `choropleth` on `base`."""
    pts = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs="EPSG:4326").to_crs(_projected(base).crs)
    fig.add_trace(
        go.Scatter(
            x=pts.x,
            y=pts.y,
            mode="markers",
            name=label,
            text=list(names),
            hoverinfo="text",
            marker={
                "size": 11,
                "color": colour,
                "symbol": symbol,
                "line": {"color": "white", "width": 1},
            },
        )
    )
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.05})
    return fig


def _map_layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        title=title, height=520, margin={"l": 10, "r": 10, "t": 60, "b": 10}, plot_bgcolor="white"
    )
    return fig


def table(df, decimals: int = 1):
    """A readers' table: no index, numbers in French format, real header cells."""
    shown = df.copy()
    for col in shown.columns:
        if pd.api.types.is_bool_dtype(shown[col]):
            shown[col] = shown[col].map({True: "oui", False: "non"})
        elif pd.api.types.is_integer_dtype(shown[col]):
            shown[col] = shown[col].map(fmt.number)
        elif pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda x: "" if pd.isna(x) else fmt.number(x, decimals))
    return HTML(shown.to_html(index=False, border=0, classes="data-table", escape=True))


def bar(df, x: str, y: str, title: str, labels: dict | None = None, **kwargs) -> go.Figure:
    """A bar chart; the axis of a share (a column named `share` or `…_share`, 0-1) reads in %."""
    fig = px.bar(df, x=x, y=y, title=title, labels=labels or {}, **kwargs)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    for column, axis in ((x, fig.update_xaxes), (y, fig.update_yaxes)):
        if column == "share" or str(column).endswith("_share"):
            axis(tickformat=".0%", hoverformat=".1%")
    return fig


def flow_lines(
    fig: go.Figure,
    base: gpd.GeoDataFrame,
    o_lon,
    o_lat,
    d_lon,
    d_lat,
    values,
    texts,
    label: str,
    colour: str = PALETTE[5],
    max_width: float = 12.0,
) -> go.Figure:
    """Add origin-destination lines (WGS84 ends) to a map drawn by `choropleth` on `base`.

    One Scatter trace per line, as a trace has a single width: it grows linearly with the
    value, up to `max_width` pixels for the largest; the largest lines are drawn on top.
    Each line bends slightly to its left, so that A→B and B→A stay apart.
    """
    crs = _projected(base).crs
    values = pd.Series(list(values), dtype=float)
    starts = gpd.GeoSeries(gpd.points_from_xy(o_lon, o_lat), crs="EPSG:4326").to_crs(crs)
    ends = gpd.GeoSeries(gpd.points_from_xy(d_lon, d_lat), crs="EPSG:4326").to_crs(crs)
    top = float(values.max()) if len(values) else 1.0
    texts = list(texts)
    for n, i in enumerate(values.sort_values(kind="stable").index):
        x0, y0, x1, y1 = starts.x[i], starts.y[i], ends.x[i], ends.y[i]
        bend = 0.08  # midpoint offset, as a share of the length, to the left of the direction
        fig.add_trace(
            go.Scatter(
                x=[x0, (x0 + x1) / 2 - bend * (y1 - y0), x1],
                y=[y0, (y0 + y1) / 2 + bend * (x1 - x0), y1],
                mode="lines",
                line={"color": colour, "width": 1 + (max_width - 1) * values[i] / top},
                opacity=0.75,
                text=[texts[i]] * 3,
                hoverinfo="text",
                name=label,
                legendgroup=label,
                showlegend=n == 0,
            )
        )
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": -0.05})
    return fig
