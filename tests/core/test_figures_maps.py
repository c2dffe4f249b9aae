"""Maps name their communes and say in the legend what the black outline is; shares read in %."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from pipeline.core import figures


def communes() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nom": ["Le Carbet", "Saint-Pierre", "Fonds-Saint-Denis"], "population": [3500, 4000, 700],
         "in_study_zone": [True, True, False]},
        geometry=[box(-61.2, 14.7, -61.15, 14.75), box(-61.15, 14.7, -61.1, 14.75),
                  box(-61.1, 14.7, -61.05, 14.75)],
        crs="EPSG:4326",
    )  # fmt: skip


def test_a_map_names_its_communes_and_its_outline():
    frame = communes()
    fig = figures.choropleth(
        frame, "population", "Population", "Habitants", outline=figures.study_zone(frame)
    )
    named = [t for t in fig.data if t.mode == "markers+text"]
    assert len(named) == 1 and list(named[0].text) == [
        "Le Carbet",
        "Saint-Pierre",
        "Fonds-Saint-Denis",
    ]
    outline = [t for t in fig.data if t.legendgroup == "outline"]
    assert outline and [t.name for t in outline if t.showlegend] == ["Zone d'étude (contour)"]
    assert fig.layout.showlegend
    assert named[0].marker.colorbar.tickformat == ",.0f"  # 20 000, not 20k


def test_no_outline_legend_without_a_study_zone():
    frame = communes().drop(columns="in_study_zone")
    assert figures.study_zone(frame) is None
    fig = figures.choropleth(frame, "population", "Population", "Habitants")
    assert not [t for t in fig.data if t.showlegend]


def test_the_axis_of_a_share_reads_in_percent():
    frame = pd.DataFrame({"mode": ["Voiture", "Marche"], "share": [0.8, 0.2]})
    fig = figures.bar(frame, x="mode", y="share", title="Mode de transport principal")
    assert fig.layout.yaxis.tickformat == ".0%"  # 0,8 reads 80 %
    assert fig.layout.xaxis.tickformat is None
    workers = figures.bar(
        frame.rename(columns={"share": "workers"}), x="mode", y="workers", title=""
    )
    assert workers.layout.yaxis.tickformat is None
