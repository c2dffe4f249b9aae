"""Phase 10, each scenario against the territory's digital strategy (phase 01): an action is
served by a scenario when the scenario offers one of the functions the strategy file maps to it
(`fonctions_tiers_lieu`, the mapping action <-> functions, a study assumption); its cost and its
funders follow. A territory without a strategy gives empty tables."""

from __future__ import annotations

import pandas as pd

from pipeline.sources.strategy import funders as strategy_funders

SERVED_COLUMNS = [
    "scenario", "numero", "pilier", "action", "cout_keur", "financeurs", "functions",
    "recommended",
]  # fmt: skip
FIT_COLUMNS = [
    "scenario", "label", "actions", "mapped", "served", "cost_keur", "funders", "recommended",
]  # fmt: skip


def listed(text) -> list[str]:
    """The items of a `|`-separated cell, blanks dropped."""
    return [item.strip() for item in str(text).split("|") if item.strip()]


def serving(action_functions: str, functions) -> list[str]:
    """The functions of a scenario that serve an action, in the order the action names them."""
    offered = set(functions)
    return [f for f in listed(action_functions) if f in offered]


def served_actions(actions: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and action it serves, with the scenario's functions serving it."""
    rows = []
    for _, s in scenarios.iterrows():
        offered = listed(s["functions"])
        for _, a in actions.iterrows():
            by = serving(a["fonctions_tiers_lieu"], offered)
            if by:
                rows.append({
                    "scenario": s["scenario"], "numero": int(a["numero"]), "pilier": a["pilier"],
                    "action": a["action"], "cout_keur": a["cout_keur"],
                    "financeurs": a["financeurs"], "functions": "|".join(by),
                    "recommended": bool(s["recommended"]),
                })  # fmt: skip
    return pd.DataFrame(rows, columns=SERVED_COLUMNS)


def strategy_fit(
    actions: pd.DataFrame, served: pd.DataFrame, scenarios: pd.DataFrame
) -> pd.DataFrame:
    """One row per scenario: the strategy's actions, those a tiers-lieu function serves (the
    mapping names one), those the scenario serves, their cost (k€, actions without a cost count
    0) and their funders (`, `-separated, most money first)."""
    mapped = int((actions["fonctions_tiers_lieu"].map(listed).map(len) > 0).sum())
    rows = []
    for _, s in scenarios.iterrows():
        mine = served.loc[served["scenario"] == s["scenario"]]
        funders = strategy_funders(mine.assign(mapped=True))
        rows.append({
            "scenario": s["scenario"], "label": s["label"], "actions": len(actions),
            "mapped": mapped, "served": len(mine),
            "cost_keur": float(mine["cout_keur"].fillna(0).sum()),
            "funders": ", ".join(funders["funder"]), "recommended": bool(s["recommended"]),
        })  # fmt: skip
    return pd.DataFrame(rows, columns=FIT_COLUMNS)
