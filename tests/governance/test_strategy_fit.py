"""Phase 10, the strategy actions each scenario serves, from the mapping action <-> functions
of the territory's strategy file (phase 01)."""

from __future__ import annotations

import pandas as pd

from pipeline.core.config import ROOT, load_params, load_territory
from pipeline.governance import plan_views, strategy_fit
from pipeline.sources import strategy

ACTIONS = pd.DataFrame(
    {
        "numero": [1, 2, 3, 4],
        "pilier": ["P"] * 4,
        "action": ["Inclusion", "Télécentres", "Pôle créatif", "Data"],
        "cout_keur": [50.0, 300.0, 500.0, 200.0],
        "financeurs": ["CTM", "France 2030", "France 2030|FEDER", "FEDER"],
        "fonctions_tiers_lieu": [
            "digital_mediation", "occasional_telework|coworking", "fablab", "",
        ],
        "mapped": [True, True, True, False],
    }
)  # fmt: skip


def scenarios(*functions: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "scenario": [f"s{i}" for i in range(len(functions))],
            "label": [f"S{i}" for i in range(len(functions))],
            "functions": list(functions),
            "recommended": [i == 0 for i in range(len(functions))],
        }
    )


def fit_of(functions: str) -> pd.Series:
    table = scenarios(functions)
    served = strategy_fit.served_actions(ACTIONS, table)
    return strategy_fit.strategy_fit(ACTIONS, served, table).iloc[0]


def test_actions_served_follow_the_scenario_functions():
    base = fit_of("digital_mediation|occasional_telework")
    assert (base["served"], base["cost_keur"], base["mapped"]) == (2, 350.0, 3)
    more = fit_of("digital_mediation|occasional_telework|fablab")  # a function added
    assert more["served"] == base["served"] + 1 and more["cost_keur"] == 850.0
    assert "FEDER" in more["funders"] and "FEDER" not in base["funders"]
    less = fit_of("occasional_telework")  # a function removed
    assert less["served"] == base["served"] - 1
    assert fit_of("project_support")["served"] == 0


def test_served_rows_name_the_functions_that_serve():
    served = strategy_fit.served_actions(ACTIONS, scenarios("coworking|fablab", "fablab"))
    rows = served.set_index(["scenario", "numero"])
    assert rows.loc[("s0", 2), "functions"] == "coworking"
    assert rows.loc[("s0", 3), "functions"] == "fablab"
    assert ("s1", 2) not in rows.index
    assert rows.loc[("s0", 2), "recommended"] and not rows.loc[("s1", 3), "recommended"]


def test_report_text_counts_the_recommended_scenario_actions():
    table = scenarios("fablab", "digital_mediation|coworking|fablab")
    served = strategy_fit.served_actions(ACTIONS, table)
    text = plan_views.strategy_text(strategy_fit.strategy_fit(ACTIONS, served, table), served)
    assert "compte 4 actions" in text and "contribuent à 3" in text
    assert "en sert 1, pour un coût de 500 k€" in text
    assert "Pôle créatif" in text and "Télécentres" not in text


def test_no_strategy_gives_empty_tables_and_a_sentence():
    empty = pd.DataFrame(columns=strategy.ACTION_COLUMNS)
    table = scenarios("fablab")
    served = strategy_fit.served_actions(empty, table)
    fit = strategy_fit.strategy_fit(empty, served, table)
    assert served.empty and fit.iloc[0]["served"] == 0
    assert "Aucune stratégie" in plan_views.strategy_text(fit, served)


def test_default_strategy_and_scenarios():
    """The Martinique plan maps 10 of its 23 actions to tiers-lieu functions; a scenario with
    all five functions serves all 10, the recommended one fewer when it lacks some."""
    actions = strategy.load(ROOT, load_territory("nord_caraibe", load_params()))
    all_functions = "fablab|coworking|occasional_telework|project_support|digital_mediation"
    table = scenarios("digital_mediation|occasional_telework|project_support", all_functions)
    served = strategy_fit.served_actions(actions, table)
    fit = strategy_fit.strategy_fit(actions, served, table).set_index("scenario")
    assert fit.loc["s1", "served"] == fit.loc["s1", "mapped"] == 10
    assert fit.loc["s0", "served"] == 8  # no fablab: ICC pole and local production left out
