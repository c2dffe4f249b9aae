"""Phase 08: the one or two sites a maximal-coverage (MCLP) and a p-median model would pick
(spopt, CBC solver bundled with pulp), with the people they cover."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pulp
from spopt.locate import MCLP, PMedian

from pipeline.core import geo

MODEL_LABELS = {
    "mclp": "Couverture maximale (MCLP)",
    "pmedian": "p-médiane (distance moyenne minimale)",
}


def check_p(p_values, n_sites: int) -> list[int]:
    """The numbers of sites to choose (params, typed by `SitesSettings`), which the candidate
    file must hold: at most `n_sites`."""
    where = "params.yaml: sites.coverage_p"
    values = p_values if isinstance(p_values, list) else [p_values]
    if not values or not all(isinstance(p, int) and 1 <= p <= n_sites for p in values):
        raise ValueError(
            f"{where}: expected whole numbers of sites between 1 and {n_sites} "
            f"(the candidate sites), found {p_values!r}"
        )
    return sorted(set(values))


def choose_sites(distance_km: np.ndarray, weights, model: str, p: int, radius_km: float):
    """Positions of the `p` sites (columns of the communes x sites distance matrix) chosen by
    the maximal-coverage model (most people within `radius_km`) or the p-median model (least
    people-weighted distance), solved with spopt and the CBC solver bundled with pulp."""
    weights = np.asarray(weights, dtype=float)
    if model not in MODEL_LABELS:
        raise ValueError(f"unknown location model {model!r}: expected mclp or pmedian")
    with warnings.catch_warnings():  # pulp 3.3 announces API changes of pulp 4
        warnings.simplefilter("ignore", DeprecationWarning)
        if model == "mclp":
            problem = MCLP.from_cost_matrix(
                distance_km, weights, service_radius=float(radius_km), p_facilities=int(p)
            )
        else:
            problem = PMedian.from_cost_matrix(distance_km, weights, p_facilities=int(p))
        problem = problem.solve(pulp.PULP_CBC_CMD(msg=False))
    if pulp.LpStatus[problem.problem.status] != "Optimal":
        raise RuntimeError(
            f"{model} with p = {p}: solver status {pulp.LpStatus[problem.problem.status]}"
        )
    return [j for j, chosen in enumerate(problem.fac_vars) if chosen.value() > 0.5]


def coverage_of(distance_km: np.ndarray, weights, chosen, radius_km: float) -> dict:
    """People within `radius_km` of at least one chosen site, and the people-weighted mean
    distance to the nearest chosen site."""
    weights = np.asarray(weights, dtype=float)
    nearest = np.asarray(distance_km)[:, list(chosen)].min(axis=1)
    covered = float(weights[nearest <= radius_km].sum())
    return {
        "covered": covered,
        "covered_share": covered / weights.sum() if weights.sum() > 0 else 0.0,
        "mean_km": float(weights @ nearest / weights.sum()) if weights.sum() > 0 else np.nan,
    }


def location_models(
    sites: pd.DataFrame, communes: pd.DataFrame, radius_km: float, p_values
) -> pd.DataFrame:
    """The sites each location model picks for each number of sites p, with the population
    they cover within `radius_km` and the mean distance (one row per model and p)."""
    distance = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], sites["lon"], sites["lat"]
    )
    weights = communes["population"].to_numpy(dtype=float)
    ids = sites["site_id"].to_numpy()
    rows = []
    for model in MODEL_LABELS:
        for p in check_p(p_values, len(sites)):
            chosen = choose_sites(distance, weights, model, p, radius_km)
            rows.append(
                {
                    "model": model,
                    "model_label": MODEL_LABELS[model],
                    "p": p,
                    "site_ids": "|".join(ids[chosen]),
                    **coverage_of(distance, weights, chosen, radius_km),
                }
            )
    return pd.DataFrame(rows)
