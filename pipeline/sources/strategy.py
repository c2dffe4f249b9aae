"""The territory's own digital strategy: its actions, the tiers-lieu functions mapped to each,
and their funders.

A territory file may name a strategy file of `data/raw/strategies/` (key `strategy`); one row per
action: numero, pilier, action, cout_keur, financeurs and fonctions_tiers_lieu (both `|`-separated).
`fonctions_tiers_lieu` maps each action to the functions of a tiers-lieu that contribute to it (a
study assumption): which actions a scenario serves follows from its functions (phase 10), not
from this file alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import list_of, matches, non_empty, number, read_checked_csv, to_numbers
from pipeline.core.vocabulary import FUNCTIONS

STRATEGY_DIR = Path("data") / "raw" / "strategies"
ACTION_COLUMNS = [
    "numero",
    "pilier",
    "action",
    "cout_keur",
    "financeurs",
    "fonctions_tiers_lieu",
    "mapped",
]
FUNDER_COLUMNS = ["funder", "actions", "cost_keur"]


def schema() -> pa.DataFrameSchema:
    text = pa.Column(str, non_empty())
    return pa.DataFrameSchema({
        "numero": pa.Column(str, matches(r"\d+", "a whole number"), unique=True,
                            report_duplicates="exclude_first"),
        "pilier": text,
        "action": text,
        "cout_keur": pa.Column(str, number(low=0, optional=True)),
        "financeurs": pa.Column(str),
        "fonctions_tiers_lieu": pa.Column(str, list_of(list(FUNCTIONS))),
    }, strict=True)  # fmt: skip


def read_strategy(path: Path) -> pd.DataFrame:
    """Validated actions, with `mapped`: whether the mapping names a tiers-lieu function that
    contributes to the action (whether a given scenario serves it depends on its functions)."""
    table = to_numbers(read_checked_csv(path, schema()), ["cout_keur"])
    table["numero"] = table["numero"].astype(int)
    table["mapped"] = table["fonctions_tiers_lieu"] != ""
    return table[ACTION_COLUMNS]


def load(root: Path, territory: dict) -> pd.DataFrame:
    """The territory's strategy, or an empty table when it names none."""
    if not territory.get("strategy"):
        return pd.DataFrame(columns=ACTION_COLUMNS)
    return read_strategy(Path(root) / STRATEGY_DIR / territory["strategy"])


def funders(actions: pd.DataFrame) -> pd.DataFrame:
    """Funders of the actions a tiers-lieu function is mapped to: how many actions and how much
    (k€). Pass the actions a scenario serves, with `mapped` true, for that scenario's funders."""
    served = actions[actions["mapped"].astype(bool)]
    if served.empty:
        return pd.DataFrame(columns=FUNDER_COLUMNS)
    served = served.assign(funder=served["financeurs"].str.split("|"))
    served = served.explode("funder")
    served = served[served["funder"].fillna("") != ""]
    out = served.groupby("funder").agg(actions=("numero", "count"), cost_keur=("cout_keur", "sum"))
    return out.reset_index().sort_values(["cost_keur", "funder"], ascending=[False, True])[
        FUNDER_COLUMNS
    ]
