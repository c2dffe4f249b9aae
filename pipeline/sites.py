"""Phase 08, sites: candidate premises, their catchment, and a TOPSIS ranking.

TOPSIS (pymcdm) normalises each criterion by min-max, its default: the best site on a criterion
gets 1, the worst 0, whatever the units; a criterion equal for every site has no effect.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline import geo
from pipeline.phase import Phase
from pipeline.validate import iso_date, non_empty, number, one_of, read_checked_csv, to_numbers

SITES_FILE = "sites_candidats.csv"
YES_NO = ["oui", "non"]
# Criteria a ranking may use: column of the decision matrix -> French label.
CRITERIA = {
    "population_in_band": "Population desservie",
    "surface_m2": "Surface (m²)",
    "cost_per_m2_year": "Loyer annuel au m² (€)",
    "fibre": "Fibre optique",
    "transit": "Arrêt de transport en commun",
    "accessible_pmr": "Accessible aux personnes à mobilité réduite",
    "parking": "Places de stationnement",
    "nearest_place_km": "Distance au lieu existant le plus proche (km)",
}
# Yes/no equipment kept in the decision matrix table even when not a criterion (phase 10 reads them).
FLAGS = ["fibre", "transit", "accessible_pmr"]
COLUMNS = [
    "site_id",
    "nom",
    "commune",
    "nom_commune",
    "lon",
    "lat",
    "surface_m2",
    "loyer_annuel_eur",
    "cost_per_m2_year",
    "population_in_band",
    "nearest_place_km",
    "score",
    "rank",
]


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
        checks=pa.Check(inside, error=box),
    )


def read_sites(path: Path, communes: pd.DataFrame) -> pd.DataFrame:
    """The candidate sites, checked against the territory's communes and bounding box."""
    schema = sites_schema(communes["code"], tuple(communes.total_bounds))
    table = to_numbers(
        read_checked_csv(path, schema),
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


def decision_matrix(sites: pd.DataFrame, criteria) -> pd.DataFrame:
    """One row per site, one numeric column per criterion (yes/no as 1/0)."""
    unknown = sorted(set(criteria) - set(CRITERIA))
    if unknown:
        raise ValueError(
            f"params.yaml: sites.criteria {', '.join(unknown)} unknown; "
            f"known criteria: {', '.join(CRITERIA)}"
        )
    matrix = pd.DataFrame({"site_id": sites["site_id"]})
    for criterion in criteria:
        matrix[criterion] = sites[criterion].astype(float)
    return matrix


def weights_and_types(criteria: dict) -> tuple[np.ndarray, np.ndarray]:
    """Weights scaled to sum to 1, and types (+1 benefit, -1 cost), from params."""
    weights = np.array([float(c["weight"]) for c in criteria.values()])
    types = np.array([int(c["type"]) for c in criteria.values()])
    if (weights < 0).any() or weights.sum() <= 0:
        raise ValueError("params.yaml: sites.criteria weights must be non-negative, not all zero")
    if not set(types) <= {1, -1}:
        raise ValueError("params.yaml: sites.criteria types must be 1 (benefit) or -1 (cost)")
    return weights / weights.sum(), types


def topsis_scores(matrix: pd.DataFrame, criteria: dict) -> np.ndarray:
    """TOPSIS closeness to the ideal site, between 0 and 1; when every site has the same
    values the problem has no answer, and each site gets 1."""
    from pymcdm.methods import TOPSIS

    weights, types = weights_and_types(criteria)
    values = matrix[list(criteria)].to_numpy(dtype=float)
    with warnings.catch_warnings():  # pymcdm warns about dominant sites and 0/0
        warnings.simplefilter("ignore")
        scores = TOPSIS()(values, weights, types)
    return np.nan_to_num(np.asarray(scores, dtype=float), nan=1.0)


def ranks(scores) -> np.ndarray:
    """1 for the best score; ties share the better rank."""
    return pd.Series(scores).rank(ascending=False, method="min").astype(int).to_numpy()


def rank_sensitivity(matrix: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    """Ranks under the params' weights, under equal weights, and without each criterion
    (long table: site_id, variant, variant_label, rank)."""
    variants = {
        "params": ("Pondération retenue", criteria),
        "equal_weights": ("Poids égaux", {k: {**v, "weight": 1.0} for k, v in criteria.items()}),
    }
    if len(criteria) > 1:
        for name in criteria:
            variants[f"without_{name}"] = (
                f"Sans « {CRITERIA[name].lower()} »",
                {k: v for k, v in criteria.items() if k != name},
            )
    frames = [
        pd.DataFrame(
            {
                "site_id": matrix["site_id"],
                "variant": code,
                "variant_label": label,
                "rank": ranks(topsis_scores(matrix, variant)),
            }
        )
        for code, (label, variant) in variants.items()
    ]
    return pd.concat(frames, ignore_index=True)


def rank_sites(sites: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    matrix = decision_matrix(sites, criteria)
    out = sites.copy()
    out["score"] = topsis_scores(matrix, criteria)
    out["rank"] = ranks(out["score"])
    return out.sort_values(["rank", "site_id"], kind="stable").reset_index(drop=True)


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    settings = phase.params["sites"]
    communes = phase.read("01_portrait", "communes")
    places = phase.read("05_offer", "places")
    sites = read_sites(phase.raw_dir / SITES_FILE, communes)
    sites["cost_per_m2_year"] = sites["loyer_annuel_eur"] / sites["surface_m2"]
    sites["population_in_band"] = population_in_band(sites, communes, float(settings["band_km"]))
    sites["nearest_place_km"] = geo.nearest_km(
        sites["lon"], sites["lat"], places["lon"], places["lat"]
    )[0].round(2)
    ranked = rank_sites(sites, settings["criteria"])
    matrix = decision_matrix(ranked, list(dict.fromkeys([*settings["criteria"], *FLAGS])))
    return {
        "sites": ranked[COLUMNS],
        "decision_matrix": matrix,
        "rank_sensitivity": rank_sensitivity(matrix, settings["criteria"]),
    }


# ---------------------------------------------------------------------------------------
# What readers see
# ---------------------------------------------------------------------------------------


def ranking_table(sites: pd.DataFrame, matrix: pd.DataFrame, band_km: float) -> pd.DataFrame:
    from pipeline import fmt

    extra = ["site_id", *[c for c in matrix if c not in sites]]
    table = sites.merge(matrix[extra], on="site_id", how="left")
    yes_no = {1.0: "oui", 0.0: "non"}  # criteria columns are floats
    out = pd.DataFrame(
        {
            "Rang": table["rank"],
            "Site": table["site_id"] + " · " + table["nom"],
            "Commune": table["nom_commune"],
            "Surface (m²)": table["surface_m2"].map(fmt.number),
            "Loyer annuel au m²": table["cost_per_m2_year"].map(lambda v: fmt.euros(v)),
            f"Population à {band_km:g} km ou moins": table["population_in_band"].map(fmt.number),
            "Lieu existant le plus proche (km)": table["nearest_place_km"].map(
                lambda v: fmt.number(v, 1)
            ),
        }
    )
    for column in ("fibre", "transit", "accessible_pmr"):
        if column in table:
            out[CRITERIA[column]] = table[column].map(yes_no)
    out["Score TOPSIS"] = table["score"].map(lambda v: fmt.number(v, 2))
    return out


def criteria_table(criteria: dict) -> pd.DataFrame:
    from pipeline import fmt

    weights, types = weights_and_types(criteria)
    return pd.DataFrame(
        {
            "Critère": [CRITERIA[c] for c in criteria],
            "Poids": [fmt.percent(w, 0) for w in weights],
            "Sens": ["à maximiser" if t == 1 else "à minimiser" for t in types],
        }
    )


def score_figure(sites: pd.DataFrame):
    from pipeline import figures

    frame = sites.assign(label=sites["site_id"] + " · " + sites["nom_commune"])
    fig = figures.bar(
        frame,
        x="label",
        y="score",
        title="Score TOPSIS des sites candidats",
        labels={"label": "", "score": "Score (0 à 1)"},
    )
    fig.update_traces(marker_color=figures.PALETTE[0])
    fig.update_yaxes(range=[0, 1])
    return fig


def sensitivity_table(sensitivity: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Rank of each site (rows, best first) under each weighting (columns)."""
    wide = sensitivity.pivot(index="site_id", columns="variant_label", values="rank")
    wide = wide[list(dict.fromkeys(sensitivity["variant_label"]))]
    order = sites.sort_values("rank")["site_id"]
    labels = (sites.set_index("site_id")["nom_commune"]).reindex(order)
    wide = wide.reindex(order)
    wide.insert(0, "Site", [f"{code} · {name}" for code, name in labels.items()])
    return wide.reset_index(drop=True).rename_axis(columns=None)
