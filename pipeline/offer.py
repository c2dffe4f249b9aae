"""Phase 05, existing offer: places of digital mediation and other third places, coverage.

Raw files are checked with the pandera schemas below (see pipeline/validate.py).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline import geo
from pipeline.phase import Phase
from pipeline.validate import (
    iso_date,
    list_of,
    matches,
    non_empty,
    number,
    read_checked_csv,
    to_numbers,
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

INSEE_CODE = r"\d{5}|2[AB]\d{3}"


def _text(df: pd.DataFrame, column: str) -> pd.Series:
    return df[column] if column in df else pd.Series("", index=df.index)


def _located(df: pd.DataFrame) -> pd.Series:
    """Coordinates given together (or not at all), and some way to place the row."""
    lat, lon, code = _text(df, "latitude"), _text(df, "longitude"), _text(df, "code_insee")
    return ((lat == "") == (lon == "")) & ((lat != "") | (code != ""))


LOCATED = pa.Check(_located, error="both latitude and longitude, or a code_insee to place it")


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
        },
        checks=LOCATED,
    )


def mediation_services(text: str) -> list[str]:
    """Analysed services of a LaMednum place, from its `services` field."""
    items = {item.strip() for item in text.split("|") if item.strip()}
    specific = {MEDNUM_TO_SERVICE[i] for i in items if i in MEDNUM_TO_SERVICE}
    return [s for s in SERVICES if s == "digital_mediation" or s in specific]


def read_places(mediation_path: Path, other_path: Path) -> pd.DataFrame:
    """Both place files, checked, as one table: place_id, nom, kind, type, code_insee, commune,
    lon, lat (NaN when not given), services ('|'-separated analysed services), source."""
    med = to_numbers(
        read_checked_csv(mediation_path, mediation_schema()), ["latitude", "longitude"]
    )
    other = to_numbers(read_checked_csv(other_path, other_schema()), ["latitude", "longitude"])
    med_services = _text(med, "services").map(lambda t: "|".join(mediation_services(t)))
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
                    "type": _text(med, "typologie"),
                    "code_insee": _text(med, "code_insee"),
                    "commune": med["commune"],
                    "lon": med.get("longitude", np.nan),
                    "lat": med.get("latitude", np.nan),
                    "services": med_services,
                    "source": _text(med, "source"),
                }
            ),
            pd.DataFrame(
                {
                    "place_id": other["id"],
                    "nom": other["nom"],
                    "kind": "other",
                    "type": other["type"],
                    "code_insee": other["code_insee"],
                    "commune": "",
                    "lon": other["longitude"],
                    "lat": other["latitude"],
                    "services": other_services,
                    "source": _text(other, "source"),
                }
            ),
        ],
        ignore_index=True,
    )


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
    """Town halls of the territory, plus those of other communes the places refer to."""
    halls = pd.DataFrame(
        {
            "code": communes["code"],
            "nom": communes["nom"],
            "lon": communes["mairie_lon"],
            "lat": communes["mairie_lat"],
        }
    )
    others = set(places.loc[places["lon"].isna(), "code_insee"]) - set(halls["code"])
    if not others:
        return halls
    from pipeline.territory import commune_points

    return pd.concat([halls, commune_points(sorted(others))], ignore_index=True)


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase: places, services matrix, coverage by commune and by band."""
    bands = [float(b) for b in phase.params["offer"]["bands_km"]]
    communes = phase.read("01_portrait", "communes")
    raw = read_places(phase.raw_dir / MEDIATION_FILE, phase.raw_dir / OTHER_FILE)
    places = nearby(locate(raw, town_halls(communes, raw)), communes, max(bands))
    matrix = services_matrix(places)
    cover = coverage(communes, places, matrix, bands)
    return {
        "places": places,
        "services_matrix": matrix,
        "coverage": cover,
        "coverage_by_band": coverage_by_band(cover, bands),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def services_table(places: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """Places and the services they offer, with French headers."""
    table = pd.DataFrame(
        {
            "Lieu": places["nom"],
            "Commune": places["commune"],
            "Catégorie": places["kind"].map(KIND_LABELS),
        }
    )
    for service, label in SERVICES.items():
        table[label] = matrix[service].map({True: "✓", False: ""}).to_numpy()
    return table.sort_values(["Catégorie", "Commune", "Lieu"]).reset_index(drop=True)


def coverage_table(
    by_band: pd.DataFrame, cover: pd.DataFrame, matrix: pd.DataFrame, bands_km
) -> pd.DataFrame:
    """Per service: places, cumulative share of the study zone's population by distance,
    and the study-zone communes left in a white zone."""
    from pipeline import fmt

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
    from pipeline import figures

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
