"""Phase 08: the candidate premises (`sites_candidats.csv`), checked against the territory,
and what is measured of each from the map."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.core import geo
from pipeline.core.sheets import input_file, read_checked_table
from pipeline.core.validate import (
    iso_date,
    non_empty,
    number,
    one_of,
    require_rows,
    row_check,
    to_numbers,
)

SITES_FILE = "sites_candidats.csv"
YES_NO = ["oui", "non"]


def sites_schema(codes, bounds) -> pa.DataFrameSchema:
    """Candidate-site sheet; communes must be the territory's, points inside its bounding box."""
    min_lon, min_lat, max_lon, max_lat = bounds
    box = (
        f"coordinates inside the territory's bounding box (longitude {min_lon:.4f} to "
        f"{max_lon:.4f}, latitude {min_lat:.4f} to {max_lat:.4f})"
    )

    def inside(df: pd.DataFrame) -> pd.Series:
        lon = pd.to_numeric(df["longitude"], errors="coerce")
        lat = pd.to_numeric(df["latitude"], errors="coerce")
        unreadable = lon.isna() | lat.isna()  # reported by the column checks
        return unreadable | pd.Series(geo.within_bounds(lon, lat, bounds), index=df.index)

    allowed = set(codes)
    return pa.DataFrameSchema(
        {
            "site_id": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "nom": pa.Column(checks=non_empty()),
            "commune": pa.Column(
                checks=pa.Check(
                    lambda s: s.isin(allowed), error="the INSEE code of a commune of the territory"
                )
            ),
            "latitude": pa.Column(checks=number(-90, 90)),
            "longitude": pa.Column(checks=number(-180, 180)),
            "surface_m2": pa.Column(checks=number(1)),
            "loyer_annuel_eur": pa.Column(checks=number(0)),
            "disponibilite": pa.Column(checks=iso_date(optional=True)),
            "fibre": pa.Column(checks=one_of(YES_NO)),
            "places_parking": pa.Column(checks=number(0, integer=True, optional=True)),
            "arret_tc": pa.Column(checks=one_of(YES_NO)),
            "acces_pmr": pa.Column(checks=one_of(YES_NO)),
        },
        checks=row_check(["latitude", "longitude"], inside, box),
        strict=True,
    )


def read_sites(path: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """The candidate sites (CSV, or the first sheet of an .xlsx or .ods file of the same name),
    checked against the territory's communes and bounding box; a file without any is refused
    (nothing to rank)."""
    path = input_file(path)
    schema = sites_schema(communes["code"], tuple(communes.total_bounds))
    table = to_numbers(
        require_rows(read_checked_table(path, schema), path, "candidate site"),
        ["latitude", "longitude", "surface_m2", "loyer_annuel_eur", "places_parking"],
    )
    names = communes.set_index("code")["nom"]
    return pd.DataFrame(
        {
            "site_id": table["site_id"],
            "nom": table["nom"],
            "commune": table["commune"],
            "nom_commune": table["commune"].map(names),
            "lon": table["longitude"],
            "lat": table["latitude"],
            "surface_m2": table["surface_m2"],
            "loyer_annuel_eur": table["loyer_annuel_eur"],
            "disponibilite": table["disponibilite"],
            "fibre": table["fibre"] == "oui",
            "parking": table["places_parking"].fillna(0),
            "transit": table["arret_tc"] == "oui",
            "accessible_pmr": table["acces_pmr"] == "oui",
        }
    )


def population_in_band(sites: pd.DataFrame, communes: pd.DataFrame, band_km: float) -> np.ndarray:
    """Population of the communes whose town hall lies within `band_km` of each site."""
    distance = geo.distance_matrix_km(
        sites["lon"], sites["lat"], communes["mairie_lon"], communes["mairie_lat"]
    )
    return (distance <= band_km) @ communes["population"].to_numpy(dtype=float)


def measured(
    sites: pd.DataFrame, communes: pd.DataFrame, places: pd.DataFrame, band_km: float
) -> pd.DataFrame:
    """`sites` with their yearly rent per m², the population within `band_km` and the distance
    to the nearest existing place (phase 05), in km to 2 decimals."""
    out = sites.copy()
    out["cost_per_m2_year"] = out["loyer_annuel_eur"] / out["surface_m2"]
    out["population_in_band"] = population_in_band(out, communes, band_km)
    out["nearest_place_km"] = geo.nearest_km(out["lon"], out["lat"], places["lon"], places["lat"])[
        0
    ].round(2)
    return out
