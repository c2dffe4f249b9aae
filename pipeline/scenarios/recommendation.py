"""Phase 09, the recommendation: scenarios scored on the weighted criteria of params
(`scenarios.criteria`), the best one covering enough functions recommended."""

from __future__ import annotations

import math

import pandas as pd

# Each criterion is better when higher, except these.
LOWER_IS_BETTER = {"deficit_probability"}


def min_max(values: pd.Series, direction: int = 1) -> pd.Series:
    """Scale to [0, 1], 1 the best (the highest, or the lowest when `direction` is -1); a
    criterion equal for all scenarios gives 1 to all (no preference)."""
    span = values.max() - values.min()
    if not span or math.isnan(span):
        return pd.Series(1.0, index=values.index)
    scaled = (values - values.min()) / span
    return scaled if direction > 0 else 1 - scaled


def direction(criterion: str) -> int:
    """+1 when more of `criterion` is better, -1 when less is."""
    return -1 if criterion in LOWER_IS_BETTER else 1


def recommend(table: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Score = weighted sum of min-max normalised criteria; best eligible scenario recommended.

    Only scenarios passing the functions check are eligible; ties go to the first listed.
    """
    score = sum(
        float(w) * min_max(table[c].astype(float), direction(c)) for c, w in weights.items()
    )
    out = table.assign(score=score.astype(float), recommended=False)
    eligible = out.loc[out["functions_ok"], "score"]
    if len(eligible):
        out.loc[eligible.idxmax(), "recommended"] = True
    return out


def recommended(scenarios: pd.DataFrame) -> pd.Series:
    """The recommended scenario's row; an error when no scenario passes the functions check."""
    chosen = scenarios.loc[scenarios["recommended"]]
    if chosen.empty:
        raise ValueError("09_scenarios: no scenario covers enough functions to be recommended")
    return chosen.iloc[0]
