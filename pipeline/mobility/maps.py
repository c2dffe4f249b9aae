"""Phase 02 maps: the commuting flows over the communes, and the telework pool by commune."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from pipeline.core import figures, fmt
from pipeline.mobility.flows import flow_destinations


def flow_map_title(thresholds: dict) -> str:
    """Title of the flow map, with the thresholds it applies (`mobility.flow_map`)."""
    return (
        "Principaux flux domicile-travail entre communes (au moins "
        f"{fmt.number(thresholds['min_workers'])} actifs, {fmt.number(thresholds['top'])} plus "
        "importants)"
    )


def hub_labels(hubs: pd.DataFrame) -> list[str]:
    """What a workplace outside the EPCI shows when hovered."""
    return [
        f"{n} : {fmt.number(w)} actifs venus du territoire"
        for n, w in zip(hubs["destination_nom"], hubs["workers"])
    ]


def flow_map(communes: gpd.GeoDataFrame, stay: pd.DataFrame, lines: pd.DataFrame, thresholds: dict):
    """Communes coloured by their employed residents (`stay`: the phase's stay_share table),
    the drawn flows (`lines`: its flow_map table) over them, widest for the largest, and the
    workplaces outside the EPCI they lead to; `thresholds` are `mobility.flow_map`."""
    base = communes.merge(stay[["code", "workers"]], on="code")
    hubs = flow_destinations(lines, list(base["code"]))
    fig = figures.choropleth(
        base, "workers", flow_map_title(thresholds), "Actifs résidents",
        outline=figures.study_zone(communes),
    )  # fmt: skip
    fig = figures.flow_lines(
        fig, base, lines["o_lon"], lines["o_lat"], lines["d_lon"], lines["d_lat"],
        lines["workers"], lines["label"], "Flux domicile-travail (épaisseur : nombre d'actifs)",
    )  # fmt: skip
    return figures.points_on_map(
        fig, base, hubs["d_lon"], hubs["d_lat"], hub_labels(hubs), "Pôles d'emploi hors EPCI",
        colour=figures.PALETTE[7],
    )  # fmt: skip


def telework_map(communes: gpd.GeoDataFrame, pool: pd.DataFrame):
    """Communes coloured by their potential teleworkers (`pool`: the telework_pool table)."""
    data = communes.merge(pool[["code", "telework_pool"]], on="code")
    return figures.choropleth(
        data, "telework_pool", "Télétravailleurs potentiels par commune", "Actifs",
        outline=figures.study_zone(communes),
    )  # fmt: skip
