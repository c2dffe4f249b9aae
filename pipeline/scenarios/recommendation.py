"""Phase 09, the recommendation: scenarios scored on the weighted criteria of params
(`scenarios.criteria`), each on an absolute scale (`scenarios.ranking`), never rescaled between
scenarios; the best one covering enough functions, and beaten on every count by none, recommended.
Its robustness: how often each scenario would be recommended under weights drawn around those of
params (Dirichlet draws, as phase 08 does for the sites)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.vocabulary import FUNCTIONS
from pipeline.sites.robustness import first_shares, weight_draws

LOWER_IS_BETTER = ("deficit_probability", "epci_net_cost_per_inhabitant")


SCORES = {
    "npv": lambda t, s, pop: 1 + t["npv"] / float(pop) / float(s["npv_per_inhabitant"]),
    "own_revenue_share": lambda t, s, pop: t["own_revenue_share"],
    "functions_covered": lambda t, s, pop: t["functions_covered"] / len(FUNCTIONS),
    "needs_fit": lambda t, s, pop: t["needs_fit"],
    "deficit_probability": lambda t, s, pop: 1 - t["deficit_probability"],
    "epci_net_cost_per_inhabitant": lambda t, s, pop: (
        1 - t["epci_net_cost_per_inhabitant"] / float(s["epci_net_cost_per_inhabitant"])
    ),
}


def criterion_scores(table: pd.DataFrame, scales: dict, population: float) -> pd.DataFrame:
    """Each criterion whose column the table has, from 0 (worst) to 1 (best) on a fixed scale:
    NPV per inhabitant (1 at 0 € or more, 0 at −`scales.npv_per_inhabitant`), own revenue share
    as is, functions covered out of five, the fit to the measured needs as is (0 to 1),
    1 − deficit probability, and the EPCI's net cost per inhabitant a year (1 at 0 €, 0 at
    `scales.epci_net_cost_per_inhabitant`)."""
    t = table.astype({c: float for c in SCORES if c in table})
    scores = pd.DataFrame(
        {c: score(t, scales, population) for c, score in SCORES.items() if c in t}
    )
    return scores.clip(0.0, 1.0)


def dominated(values: pd.DataFrame) -> pd.Series:
    """Rows worse or equal on every column and strictly worse on one than another row (higher
    is better)."""
    v = values.to_numpy(dtype=float)
    at_least = (v[None, :, :] >= v[:, None, :]).all(axis=2)  # [i, j]: j >= i everywhere
    better = (v[None, :, :] > v[:, None, :]).any(axis=2)
    return pd.Series((at_least & better).any(axis=1), index=values.index)


def oriented(table: pd.DataFrame, criteria) -> pd.DataFrame:
    """The raw criteria, each turned so that higher is better."""
    raw = table[list(criteria)].astype(float)
    lower_is_better = [c for c in raw if c in LOWER_IS_BETTER]
    raw[lower_is_better] = -raw[lower_is_better]
    return raw


def recommend(
    table: pd.DataFrame, weights: dict[str, float], scales: dict, population: float
) -> pd.DataFrame:
    """Score = weighted sum of the criteria's absolute scores; the best eligible scenario not
    dominated by another eligible one recommended (ties go to the first listed).

    Eligible: passing the functions check. Dominated: worse or equal on every weighted
    criterion (raw values) and strictly worse on one."""
    scores = criterion_scores(table, scales, population)
    score = sum(float(w) * scores[c] for c, w in weights.items())
    out = table.assign(score=np.asarray(score, dtype=float), recommended=False)
    candidates = out.loc[candidacy(out, weights), "score"]
    if len(candidates):
        out.loc[candidates.idxmax(), "recommended"] = True
    return out


def candidacy(table: pd.DataFrame, weights) -> pd.Series:
    """Scenarios that may be recommended: passing the functions check and dominated by no other
    that passes it (on the weighted criteria, whatever their weights)."""
    eligible = table["functions_ok"].astype(bool)
    beaten = dominated(oriented(table.loc[eligible], weights))
    return pd.Series(table.index.isin(beaten.index[~beaten]), index=table.index)


def ranking_robustness(
    table: pd.DataFrame, weights: dict[str, float], scales: dict, population: float, spec: dict
) -> pd.DataFrame:
    """Each scenario's share of `spec.draws` Dirichlet draws of the weights around `weights`
    (concentration `spec.concentration`, seed `spec.seed`) in which it is recommended (ties
    shared), and its mean rank by score. Candidacy does not depend on the weights' values (the
    dominance rule reads the weighted criteria only), so a scenario that may not be recommended
    with the params' weights never is in a draw."""
    names = list(weights)
    scores = criterion_scores(table, scales, population)[names].to_numpy(dtype=float)
    draws = weight_draws(
        [float(weights[c]) for c in names], int(spec["draws"]), float(spec["concentration"]),
        int(spec["seed"]),
    )  # fmt: skip
    # Sums by NumPy, not `@` (a BLAS product's summation order depends on the machine).
    totals = (draws[:, None, :] * scores[None, :, :]).sum(axis=2)
    ranks = 1 + (totals[:, None, :] > totals[:, :, None]).sum(axis=2)
    may = candidacy(table, weights).to_numpy()
    first = first_shares(np.where(may, totals, -np.inf)) if may.any() else np.zeros_like(totals)
    return pd.DataFrame(
        {
            "scenario": table["scenario"].to_numpy(),
            "label": table["label"].to_numpy()
            if "label" in table
            else table["scenario"].to_numpy(),
            "p_first": first.mean(axis=0),
            "mean_rank": ranks.mean(axis=0),
            "draws": len(draws),
        }
    )


def recommended(scenarios: pd.DataFrame) -> pd.Series:
    """The recommended scenario's row; an error when no scenario passes the functions check."""
    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        raise ValueError("09_scenarios: no scenario covers enough functions to be recommended")
    return chosen.iloc[0]
