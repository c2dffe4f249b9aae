"""Phase 09, what readers see of capacity: how each scenario is sized to its demand
(`pipeline.scenarios.sizing`), and that demand against what its surfaces, opening and staff let
it sell (`pipeline.scenarios.capacity`)."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.scenarios.sizing import BOUNDS
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


RESOURCES = {
    "desk_m2": "Espaces de travail partagés (m²)",
    "fablab_m2": "Atelier de fabrication (m²)",
    "common_m2": "Espaces communs (m²)",
    "mediator_fte": "Médiation numérique (ETP)",
    "facilitator_fte": "Animation et accueil (ETP)",
}


def sizing_table(sizing: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """By scenario and sized resource: the need from its demand, the minimum, the scenario's
    largest programme, the size kept and what set it."""

    def size(values: pd.Series) -> pd.Series:
        return values.map(lambda v: fmt.number(v, 1 if v % 1 else 0))

    return pd.DataFrame(
        {
            "Scénario": sizing["scenario"].map(labels(scenarios)),
            "Élément": sizing["resource"].map(RESOURCES),
            "Besoin d'après la demande": size(sizing["needed"]),
            "Minimum": size(sizing["minimum"]),
            "Programme maximal": size(sizing["maximum"]),
            "Retenu": size(sizing["kept"]),
            "Fixé par": sizing["bound"].map(BOUNDS),
        }
    ).reset_index(drop=True)
