"""Phase 05, existing offer: which services each place offers, distance from each town hall to
the nearest place offering each service, white zones, and the inventory of places."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from pipeline.core import geo
from pipeline.core.vocabulary import SERVICES

# Kind of place shown to readers, in the order of tables and map legends.
CATEGORIES = {
    "tiers_lieu": "Tiers-lieu",
    "coworking": "Coworking",
    "fablab": "Fablab",
    "france_services": "France Services",
    "cyber_base": "Cyber-base",
    "mediation": "Autre lieu de médiation numérique",
    "other": "Autre lieu",
}
# Where a place lies, against the territory.
LOCATIONS = {
    "study_zone": "Zone d'étude",
    "epci": "Reste de l'EPCI",
    "outside": "Hors EPCI",
}


def services_matrix(places: pd.DataFrame) -> pd.DataFrame:
    """One row per place, one boolean column per analysed service."""
    matrix = pd.DataFrame(
        {"place_id": places["place_id"], "nom": places["nom"], "kind": places["kind"]}
    )
    offered = places["services"].str.split("|")
    for service in SERVICES:
        matrix[service] = offered.map(lambda items, s=service: s in items).astype(bool)
    return matrix


def bands_labels(bands_km) -> list[str]:
    """French labels of the distance bands, the last one open-ended."""
    bands = [float(b) for b in bands_km]
    labels = [f"Jusqu'à {bands[0]:g} km"]
    labels += [f"De {low:g} à {high:g} km" for low, high in itertools.pairwise(bands)]
    return labels + [f"Plus de {bands[-1]:g} km"]


def band_index(distance_km, bands_km) -> np.ndarray:
    """Band of each distance: 0 up to bands[0] included, ..., len(bands) beyond (or NaN)."""
    distance = np.asarray(distance_km, dtype=float)
    index = np.searchsorted(np.asarray(bands_km, dtype=float), distance, side="left")
    return np.where(np.isnan(distance), len(bands_km), index)


def coverage(
    communes: pd.DataFrame, places: pd.DataFrame, matrix: pd.DataFrame, bands_km
) -> pd.DataFrame:
    """For each commune and service: distance from the town hall to the nearest place offering
    it, its band, and whether the commune is a white zone (nothing within the largest band)."""
    labels = bands_labels(bands_km)
    frames = []
    for service, label in SERVICES.items():
        offering = places[matrix[service].to_numpy()]
        distance, position = geo.nearest_km(
            communes["mairie_lon"], communes["mairie_lat"], offering["lon"], offering["lat"]
        )
        band = band_index(distance, bands_km)
        names = offering["nom"].to_numpy()
        frames.append(
            pd.DataFrame(
                {
                    "code": communes["code"].to_numpy(),
                    "nom": communes["nom"].to_numpy(),
                    "in_study_zone": communes["in_study_zone"].to_numpy(),
                    "population": communes["population"].to_numpy(),
                    "service": service,
                    "service_label": label,
                    "nearest_km": distance.round(2),
                    "nearest_place": [names[p] if p >= 0 else "" for p in position],
                    "band": band,
                    "band_label": [labels[b] for b in band],
                    "white_zone": band == len(bands_km),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def coverage_by_band(cover: pd.DataFrame, bands_km) -> pd.DataFrame:
    """Study-zone population and communes in each distance band, for every service."""
    labels = bands_labels(bands_km)
    zone = cover[cover["in_study_zone"]]
    grid = pd.MultiIndex.from_product(
        [list(SERVICES), range(len(labels))], names=["service", "band"]
    )
    counts = (
        zone.groupby(["service", "band"])
        .agg(population=("population", "sum"), communes=("code", "size"))
        .reindex(grid, fill_value=0)
        .reset_index()
    )
    total = counts.groupby("service")["population"].transform("sum")
    counts["share"] = (counts["population"] / total.where(total > 0)).fillna(0.0)
    counts["cumulative_share"] = counts.groupby("service")["share"].cumsum()
    counts.insert(1, "service_label", counts["service"].map(SERVICES))
    counts.insert(3, "band_label", counts["band"].map(dict(enumerate(labels))))
    return counts[
        [
            "service",
            "service_label",
            "band",
            "band_label",
            "population",
            "share",
            "cumulative_share",
            "communes",
        ]
    ]


def white_zones(cover: pd.DataFrame) -> pd.DataFrame:
    """One row per commune: how many analysed services, and which, have no place within the
    largest band (white zones), with the commune's population."""
    flagged = cover.assign(missing=np.where(cover["white_zone"], cover["service_label"], None))
    table = (
        flagged.groupby(["code", "nom", "in_study_zone", "population"], sort=False)
        .agg(
            white_services=("white_zone", "sum"),
            white_list=("missing", lambda s: ", ".join(s.dropna())),
        )
        .reset_index()
    )
    table["white_services"] = table["white_services"].astype(int)
    return table


def inventory(places: pd.DataFrame) -> pd.DataFrame:
    """Places counted by category (rows) and location (columns), every combination shown."""
    counts = (
        places.groupby(["category", "location"]).size().unstack("location", fill_value=0)
        if len(places)
        else pd.DataFrame()
    )
    counts = counts.reindex(index=list(CATEGORIES), columns=list(LOCATIONS), fill_value=0)
    counts = counts.loc[counts.sum(axis=1) > 0].astype(int)
    counts["total"] = counts.sum(axis=1)
    return counts.rename_axis(index="category", columns=None).reset_index()
