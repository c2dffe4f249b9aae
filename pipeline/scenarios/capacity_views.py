"""Phase 09, what readers see of capacity: each scenario's demand against what its surfaces,
opening and staff let it sell (`pipeline.scenarios.capacity`)."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.scenarios.views import labels


def capacity_table(activity: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """By scenario and unit with a capacity: the volume asked, the capacity, the volume sold
    and whether the capacity caps it (year at full activity)."""
    rows = activity.loc[activity["served"] & activity["capacity"].notna()]
    return pd.DataFrame(
        {
            "Scénario": rows["scenario"].map(labels(scenarios)),
            "Activité (année pleine)": rows["label"],
            "Demande captée": rows["volume_wanted"].map(fmt.number),
            "Capacité": rows["capacity"].map(fmt.number),
            "Volume retenu": rows["volume"].map(fmt.number),
            "Plafonné": rows["capped"].map({True: "oui", False: "non"}),
        }
    )
