"""The processed tables of phase 08, as handles later phases read with `Phase.read`, and the
site phase 08 recommends."""

import pandas as pd

from pipeline.core.phase import Table

STAGE = "08_sites"

ACCESSIBILITY = Table(STAGE, "accessibility")
DECISION_MATRIX = Table(STAGE, "decision_matrix")
EQUIPMENT = Table(STAGE, "equipment")
HUFF = Table(STAGE, "huff")
LOCATION_MODELS = Table(STAGE, "location_models")
MONTE_CARLO = Table(STAGE, "monte_carlo")
RANK_SENSITIVITY = Table(STAGE, "rank_sensitivity")
SITES = Table(STAGE, "sites")
TRAVEL_TIME = Table(STAGE, "travel_time")
WEIGHT_STABILITY = Table(STAGE, "weight_stability")


def recommended_site(sites: pd.DataFrame) -> pd.Series:
    """The row of the `sites` table (phase 08) that phase 08 recommends (`recommended` is True)."""
    if "recommended" not in sites.columns:
        raise ValueError("the sites table has no 'recommended' column: rerun phase 08 (08_sites)")
    chosen = sites[sites["recommended"].astype(bool)]
    if len(chosen) != 1:
        raise ValueError(f"the sites table must recommend exactly one site, found {len(chosen)}")
    return chosen.iloc[0]
