"""Phase 09, the risk in words: the assumptions of the simulation and the funding cases, as
French tables and sentences (computed by `pipeline.scenarios.risk`)."""

from __future__ import annotations

import pandas as pd

from pipeline.core import fmt
from pipeline.core.mdtext import Md, md
from pipeline.scenarios.recommendation import recommended


def _multiplier(x: float) -> str:
    """A multiplier of the central plan as a change in percent (0.85 → −15 %)."""
    change = x - 1
    return "0 %" if abs(change) < 1e-9 else ("+" if change > 0 else "") + fmt.percent(change, 0)


def risk_assumptions_table(assumptions: pd.DataFrame) -> pd.DataFrame:
    """What varies in the simulation, over which range and why, in French."""
    rows = []
    for _, r in assumptions.iterrows():
        if pd.isna(r["probability"]):
            span = f"{_multiplier(r['low'])} à {_multiplier(r['high'])}"
            shape = "asymétrique" if r["one_sided"] else "symétrique"
        else:
            span = f"obtenue dans {fmt.percent(r['probability'], 0)} des tirages, sinon absente"
            shape = "tout ou rien"
        rows.append({"Hypothèse": r["label"], "Variation autour du plan central": span,
                     "Forme": shape, "Pourquoi": r["reason"]})  # fmt: skip
    return pd.DataFrame(rows)


def one_sided_text(assumptions: pd.DataFrame) -> str:
    """The one-sided ranges and why, in French: where the central plan is not the median."""
    sided = assumptions.loc[assumptions["one_sided"] & assumptions["probability"].isna()]
    if sided.empty:
        return (
            "Toutes les plages de variation sont symétriques : le plan central est aussi le "
            "résultat médian de la simulation."
        )
    parts = [md("- {} : {}", r["label"], r["reason"]) for _, r in sided.iterrows()]
    return md(
        "Le plan central retient la valeur la plus probable de chaque hypothèse ; les plages "
        "suivantes ne sont pas symétriques, si bien que la médiane de la simulation s'en "
        "écarte :\n\n{}", Md("\n".join(parts)),
    )  # fmt: skip


def funding_cases_table(cases: pd.DataFrame, scenarios: pd.DataFrame) -> pd.DataFrame:
    """The recommended scenario in each funding case, in French."""
    chosen = recommended(scenarios)["scenario"]
    rows = cases.loc[cases["scenario"] == chosen]
    return pd.DataFrame(
        {
            "Cas de financement": rows["label"],
            "Résultat cumulé du plan, HT": rows["cumulative_result"].map(fmt.euros),
            "VAN, HT": rows["npv"].map(fmt.euros),
            "Investissement à la charge de l'EPCI, HT": rows["epci_investment"].map(fmt.euros),
            "Probabilité d'un déficit cumulé": rows["deficit_probability"].map(
                lambda p: fmt.percent(p, 0)
            ),
        }
    ).reset_index(drop=True)
