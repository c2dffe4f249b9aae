"""Phase 08: the multi-criteria ranking (TOPSIS) of the candidate sites, and its sensitivity
to the choice of criteria.

TOPSIS (pymcdm) normalises each criterion by min-max, its default: the best site on a criterion
gets 1, the worst 0, whatever the units; a criterion equal for every site has no effect. Its
scores depend only on the weights' proportions.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from pymcdm.methods import TOPSIS

# Criteria a ranking may use (params.yaml names them, `SitesSettings` checks them): column of
# the decision matrix -> French label.
CRITERIA = {
    "population_in_band": "Population desservie",
    "surface_m2": "Surface (m²)",
    "cost_per_m2_year": "Loyer annuel au m² (€)",
    "fibre": "Fibre optique",
    "transit": "Arrêt de transport en commun",
    "accessible_pmr": "Accessible aux personnes à mobilité réduite",
    "parking": "Places de stationnement",
    "nearest_place_km": "Distance au lieu existant le plus proche (km)",
    "huff_capture": "Clientèle captée face à l'offre existante (modèle de Huff)",
}
# Yes/no equipment kept in the decision matrix table even when not a criterion (phase 10 reads them).
FLAGS = ["fibre", "transit", "accessible_pmr"]


def lower_first(text: str) -> str:
    """'Surface (m²)' -> 'surface (m²)', keeping later capitals ('Huff')."""
    return text[:1].lower() + text[1:]


def decision_matrix(sites: pd.DataFrame, criteria) -> pd.DataFrame:
    """One row per site, one numeric column per criterion (yes/no as 1/0)."""
    matrix = pd.DataFrame({"site_id": sites["site_id"]})
    for criterion in criteria:
        matrix[criterion] = sites[criterion].astype(float)
    return matrix


def weights_and_types(criteria: dict) -> tuple[np.ndarray, np.ndarray]:
    """Weights and types (+1 benefit, -1 cost) of the criteria, as params give them."""
    weights = np.array([float(c["weight"]) for c in criteria.values()])
    types = np.array([int(c["type"]) for c in criteria.values()])
    return weights, types


def topsis(values: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
    """TOPSIS closeness to the ideal site, between 0 and 1; when every site has the same
    values the problem has no answer, and each site gets 1."""
    with warnings.catch_warnings():  # pymcdm warns about dominant sites and 0/0
        warnings.simplefilter("ignore")
        scores = TOPSIS()(values, weights, types)
    return np.nan_to_num(np.asarray(scores, dtype=float), nan=1.0)


def topsis_scores(matrix: pd.DataFrame, criteria: dict) -> np.ndarray:
    """TOPSIS scores of the sites (rows of `matrix`) under `criteria`."""
    weights, types = weights_and_types(criteria)
    return topsis(matrix[list(criteria)].to_numpy(dtype=float), weights, types)


def ranks(scores) -> np.ndarray:
    """1 for the best score; ties share the better rank."""
    return pd.Series(scores).rank(ascending=False, method="min").astype(int).to_numpy()


def without(criteria: dict, name: str) -> dict:
    """`criteria` without `name`, the others keeping their proportions and a sum of 1."""
    rest = {k: v for k, v in criteria.items() if k != name}
    weights, _ = weights_and_types(rest)
    return {k: {**v, "weight": w} for (k, v), w in zip(rest.items(), weights / weights.sum())}


def rank_sensitivity(matrix: pd.DataFrame, criteria: dict) -> pd.DataFrame:
    """Ranks under the params' weights, under equal weights, and without each criterion
    (long table: site_id, variant, variant_label, rank)."""
    equal = 1 / len(criteria)
    variants = {
        "params": ("Pondération retenue", criteria),
        "equal_weights": ("Poids égaux", {k: {**v, "weight": equal} for k, v in criteria.items()}),
    }
    if len(criteria) > 1:
        for name in criteria:
            variants[f"without_{name}"] = (
                f"Sans « {lower_first(CRITERIA[name])} »",
                without(criteria, name),
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
    """`sites` with their TOPSIS score and rank, best first (ties by id), and `recommended`:
    True for the first, the site phase 08 recommends."""
    matrix = decision_matrix(sites, criteria)
    out = sites.copy()
    out["score"] = topsis_scores(matrix, criteria)
    out["rank"] = ranks(out["score"])
    out = out.sort_values(["rank", "site_id"], kind="stable").reset_index(drop=True)
    out["recommended"] = out.index == 0
    return out
