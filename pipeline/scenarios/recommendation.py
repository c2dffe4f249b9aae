"""Phase 09, the recommendation: scenarios scored on the weighted criteria of params
(`scenarios.criteria`), each on an absolute scale (`scenarios.ranking`), never rescaled between
scenarios; the best one covering enough functions, and beaten on every count by none, recommended."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.vocabulary import FUNCTIONS


def criterion_scores(table: pd.DataFrame, scales: dict, population: float) -> pd.DataFrame:
    """Each criterion from 0 (worst) to 1 (best) on a fixed scale: NPV per inhabitant (1 at 0 €
    or more, 0 at −`scales.npv_per_inhabitant`), own revenue share as is, functions covered out
    of five, 1 − deficit probability, and the EPCI's net cost per inhabitant a year (1 at 0 €,
    0 at `scales.epci_net_cost_per_inhabitant`)."""
    npv = table["npv"].astype(float) / float(population)
    epci = table["epci_net_cost_per_inhabitant"].astype(float)
    scores = pd.DataFrame(
        {
            "npv": 1 + npv / float(scales["npv_per_inhabitant"]),
            "own_revenue_share": table["own_revenue_share"].astype(float),
            "functions_covered": table["functions_covered"].astype(float) / len(FUNCTIONS),
            "deficit_probability": 1 - table["deficit_probability"].astype(float),
            "epci_net_cost_per_inhabitant": 1
            - epci / float(scales["epci_net_cost_per_inhabitant"]),
        }
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
    lower_is_better = [
        c for c in raw if c in ("deficit_probability", "epci_net_cost_per_inhabitant")
    ]
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
    eligible = out["functions_ok"].astype(bool)
    beaten = dominated(oriented(out.loc[eligible], weights))
    candidates = out.loc[beaten.index[~beaten], "score"]
    if len(candidates):
        out.loc[candidates.idxmax(), "recommended"] = True
    return out


def recommended(scenarios: pd.DataFrame) -> pd.Series:
    """The recommended scenario's row; an error when no scenario passes the functions check."""
    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        raise ValueError("09_scenarios: no scenario covers enough functions to be recommended")
    return chosen.iloc[0]
