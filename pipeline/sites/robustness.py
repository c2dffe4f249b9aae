"""Phase 08: how robust the ranking is to its weights, by Monte Carlo draws of the weights
(Dirichlet around params) and by the range of each weight that keeps the first site first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.sites.ranking import CRITERIA, ranks, topsis, weights_and_types


def weight_draws(weights, draws: int, concentration: float, seed: int) -> np.ndarray:
    """`draws` weight vectors from a Dirichlet centred on `weights` (alpha = concentration x
    weight); a zero weight stays zero. Same seed, same draws."""
    weights = np.asarray(weights, dtype=float)
    rng = np.random.default_rng(int(seed))
    positive = weights > 0
    out = np.zeros((int(draws), len(weights)))
    out[:, positive] = rng.dirichlet(concentration * weights[positive], size=int(draws))
    return out


def first_shares(score_rows: np.ndarray) -> np.ndarray:
    """For each draw (row), 1 for the best site, or 1/k to each of k sites tied first."""
    best = score_rows >= score_rows.max(axis=1, keepdims=True) - 1e-12
    return best / best.sum(axis=1, keepdims=True)


def monte_carlo(matrix: pd.DataFrame, criteria: dict, settings: dict) -> pd.DataFrame:
    """Each site's probability of ranking first and in the first two, and its mean rank, over
    Dirichlet draws of the weights around those of params (site_id, p_first, p_top2,
    mean_rank, draws)."""
    weights, types = weights_and_types(criteria)
    draws = weight_draws(
        weights, int(settings["draws"]), float(settings["concentration"]), int(settings["seed"])
    )
    values = matrix[list(criteria)].to_numpy(dtype=float)
    scores = np.vstack([topsis(values, w, types) for w in draws])
    rank_rows = np.vstack([ranks(row) for row in scores])
    return pd.DataFrame(
        {
            "site_id": matrix["site_id"].to_numpy(),
            "p_first": first_shares(scores).mean(axis=0),
            "p_top2": (rank_rows <= 2).mean(axis=0),
            "mean_rank": rank_rows.mean(axis=0),
            "draws": len(draws),
        }
    )


def reweighted(weights: np.ndarray, index: int, value: float) -> np.ndarray:
    """Weights with criterion `index` set to `value` and the others scaled to keep their
    proportions and a sum of 1."""
    out = np.asarray(weights, dtype=float).copy()
    rest = out.sum() - out[index]
    out = out * ((1 - value) / rest) if rest > 0 else out
    out[index] = value
    return out


def weight_stability(matrix: pd.DataFrame, criteria: dict, steps: int = 1000) -> pd.DataFrame:
    """For each criterion, the range of its weight (the others keeping their proportions) over
    which the site ranked first with the params' weights stays first (ties included), on a grid
    of `steps` intervals, and which site overtakes it below and above that range."""
    weights, types = weights_and_types(criteria)
    values = matrix[list(criteria)].to_numpy(dtype=float)
    ids = matrix["site_id"].to_numpy()
    base = topsis(values, weights, types)
    best = int(np.argmax(base))
    grid = np.linspace(0.0, 1.0, steps + 1)
    rows = []
    for i, name in enumerate(criteria):
        if len(criteria) == 1:
            rows.append(
                {
                    "criterion": name,
                    "label": CRITERIA[name],
                    "weight": 1.0,
                    "low": 1.0,
                    "high": 1.0,
                    "below": "",
                    "above": "",
                }
            )
            continue
        scores = np.vstack([topsis(values, reweighted(weights, i, w), types) for w in grid])
        first = scores[:, best] >= scores.max(axis=1) - 1e-12
        start = int(np.argmin(np.abs(grid - weights[i])))
        lo = hi = start
        while lo > 0 and first[lo - 1]:
            lo -= 1
        while hi < steps and first[hi + 1]:
            hi += 1
        rows.append(
            {
                "criterion": name,
                "label": CRITERIA[name],
                "weight": float(weights[i]),
                "low": float(grid[lo]),
                "high": float(grid[hi]),
                "below": ids[int(np.argmax(scores[lo - 1]))] if lo > 0 else "",
                "above": ids[int(np.argmax(scores[hi + 1]))] if hi < steps else "",
            }
        )
    return pd.DataFrame(rows)
