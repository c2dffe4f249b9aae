"""Phase 07's results for DVC (`pipeline.core.metrics`): the yearly demand of each segment and
of each unit, low, central and high."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.core.io import read_table
from pipeline.core.metrics import Results
from pipeline.demand.outputs import DEMAND, DEMAND_BY_UNIT

LEVELS = ["low", "central", "high"]


def by_key(table: pd.DataFrame, key: str, columns: list[str]) -> dict:
    return table.set_index(key)[columns].to_dict(orient="index")


def demand_metrics(demand: pd.DataFrame, by_unit: pd.DataFrame) -> dict:
    """Demand (in its unit, per year), users and regular users of each segment; demand of
    each unit."""
    return {
        "segments": by_key(demand, "segment", [*LEVELS, "users", "regular_users"]),
        "units": by_key(by_unit, "unit", LEVELS),
    }


def build(root: Path) -> Results:
    return Results(
        demand_metrics(read_table(DEMAND.path(root)), read_table(DEMAND_BY_UNIT.path(root)))
    )
