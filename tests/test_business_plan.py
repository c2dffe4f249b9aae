"""Phase 09: programme, investment, P&L, NPV/IRR, funding plan and recommendation."""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from pipeline import business_plan as bp
from pipeline import fmt
from pipeline.config import ConfigError

SHARES = {"FEDER": 0.5, "État (France 2030 / ANCT)": 0.2, "Collectivité": 0.1, "EPCI": 0.2}


def settings(**overrides) -> dict:
    """A 3-year plan with two scenarios, small enough to check by hand."""
    base = {
        "years": 3,
        "plan_years": 2,
        "discount_rate": 0.10,
        "required_functions": 2,
        "works_eur_m2": 1000,
        "equipment_share": 0.10,
        "studies_share": 0.10,
        "contingency_share": 0.05,
        "loaded_salary_eur": 40000,
        "overhead_eur_m2_year": 10,
        "prices": {"desk_day": 12, "mediation_session": 0, "fablab_hour": 5},
        "ramp_up": [0.5, 1.0],
        "public_funding_year_eur": [20000],
        "scenarios": {
            "a": {
                "label": "A",
                "functions": ["coworking", "digital_mediation"],
                "surface_m2": {"coworking": 60, "common": 40},
                "staff_fte": 1.0,
                "demand_share": 1.0,
            },
            "b": {
                "label": "B",
                "functions": ["fablab", "digital_mediation", "project_support"],
                "surface_m2": {"fablab": 20, "digital_mediation": 10},
                "staff_fte": 0.5,
                "demand_share": 0.5,
            },
        },
        "criteria": {"npv": 0.4, "own_revenue_share": 0.3, "functions_covered": 0.3},
        "funding_shares": dict(SHARES),
    }
    base.update(overrides)
    return base


DEMAND = pd.DataFrame(
    {
        "segment": ["teleworkers", "independents", "job_seekers", "students"],
        "label": ["Télétravailleurs", "Indépendants", "Demandeurs d'emploi", "Étudiants"],
        "unit": ["desk_days", "desk_days", "mediation_sessions", "fablab_hours"],
        "base": [0.0] * 4,
        "low": [0.0] * 4,
        "central": [3000.0, 2000.0, 400.0, 1000.0],
        "high": [0.0] * 4,
    }
)
SITE = pd.Series(
    {
        "site_id": "s1",
        "nom": "Ancienne école",
        "nom_commune": "Saint-Pierre",
        "surface_m2": 200.0,
        "cost_per_m2_year": 100.0,
        "rank": 1,
    }
)


def evaluate(s: dict | None = None) -> dict[str, pd.DataFrame]:
    return bp.evaluate(s or settings(), 0.20, DEMAND, SITE)


def row(tables, name):
    return tables["scenarios"].set_index("scenario").loc[name]


def test_investment_and_opex_by_hand():
    a = row(evaluate(), "a")
    # 100 m² × 1000 = 100 000 works, + 10 % + 10 % + 5 %
    assert a["surface_m2"] == 100
    assert a["investment_ht"] == pytest.approx(125_000)
    assert a["investment_ttc"] == pytest.approx(150_000)
    # staff 40 000 + rent 100 m² × 100 + overhead 100 m² × 10
    assert a["opex_year"] == pytest.approx(51_000)


def test_pnl_ramp_up_repeats_and_funding_stops():
    plan = evaluate()["pnl"].query("scenario == 'a'")
    # 5 000 desk days × 12 €; mediation is free; no fablab in scenario a
    assert plan["revenue"].tolist() == pytest.approx([30_000, 60_000, 60_000])
    assert plan["public_funding"].tolist() == pytest.approx([20_000, 0, 0])
    assert plan["result"].tolist() == pytest.approx([-1_000, 9_000, 9_000])
    assert plan["cumulative"].tolist() == pytest.approx([-1_000, 8_000, 17_000])


def test_revenue_only_from_functions_offered():
    plan = evaluate()["pnl"].query("scenario == 'b'")
    # fablab only: 1 000 h × 0.5 share × 5 €, ramped 0.5 then 1.0
    assert plan["revenue"].tolist() == pytest.approx([1_250, 2_500, 2_500])


def test_break_even_year():
    assert row(evaluate(), "a")["break_even_year"] == 2
    assert pd.isna(row(evaluate(), "b")["break_even_year"])


def test_break_even_counts_funding():
    plan = pd.DataFrame(
        {
            "year": [1, 2],
            "revenue": [10.0, 10.0],
            "public_funding": [90.0, 0.0],
            "costs": [100.0, 100.0],
        }
    )
    assert bp.break_even_year(plan) == 1


def test_own_revenue_share_over_plan_years():
    assert row(evaluate(), "a")["own_revenue_share"] == pytest.approx(90_000 / 110_000)


def test_npv_by_hand_three_years():
    a = row(evaluate(), "a")
    expected = -125_000 - 1_000 / 1.1 + 9_000 / 1.1**2 + 9_000 / 1.1**3
    assert a["npv"] == pytest.approx(expected)


def test_npv_first_flow_at_t0():
    assert bp.npv(0.10, np.array([-1000, 500, 500, 500])) == pytest.approx(243.4260, abs=1e-4)


def test_irr_nan_without_sign_change_else_root():
    assert math.isnan(bp.irr(np.array([-100.0, -10.0, -10.0])))
    assert bp.irr(np.array([-100.0, 110.0])) == pytest.approx(0.10)


def test_funding_plan_sources_equal_uses_to_the_cent():
    items = {
        "works": 100_000.007,
        "equipment": 10_000.333,
        "studies": 3_333.333,
        "contingency": 1_234.565,
    }
    shares = {"FEDER": 1 / 3, "État": 1 / 3, "EPCI": 1 / 3}
    plan = bp.funding_plan("x", items, shares)
    uses = plan.loc[plan["kind"] == "uses", "amount_eur"]
    sources = plan.loc[plan["kind"] == "sources", "amount_eur"]
    cents = (plan["amount_eur"] * 100).round().astype(int)
    assert cents[plan["kind"] == "uses"].sum() == cents[plan["kind"] == "sources"].sum()
    assert round(sources.sum(), 2) == round(uses.sum(), 2)
    assert all(round(v, 2) == v for v in plan["amount_eur"])
    assert list(sources.index[-1:]) == [plan.index[-1]]  # remainder on the last line
    assert plan.loc[plan["kind"] == "sources", "item"].tolist() == ["FEDER", "État", "EPCI"]


def test_funding_plan_in_evaluate_matches_investment():
    tables = evaluate()
    plan = tables["funding_plan"].query("scenario == 'a'")
    assert plan.query("kind == 'sources'")["amount_eur"].sum() == pytest.approx(125_000, abs=0.005)
    assert plan.query("item == 'FEDER'")["amount_eur"].item() == 62_500


def test_functions_check_fails_with_one_function_when_two_required():
    s = settings()
    s["scenarios"]["a"]["functions"] = ["coworking"]
    tables = evaluate(s)
    a = row(tables, "a")
    assert a["functions_covered"] == 1 and not a["functions_ok"]
    assert not a["recommended"]
    assert row(tables, "b")["recommended"]


def recommended_name(criteria: dict) -> str:
    table = evaluate(settings(criteria=criteria))["scenarios"]
    assert table["recommended"].sum() == 1
    return table.loc[table["recommended"], "scenario"].item()


def test_recommendation_changes_with_weights():
    tables = evaluate()
    # b is cheaper (higher NPV, more functions); a earns more of its own revenue
    assert row(tables, "b")["npv"] > row(tables, "a")["npv"]
    assert row(tables, "a")["own_revenue_share"] > row(tables, "b")["own_revenue_share"]
    assert recommended_name({"npv": 1.0}) == "b"
    assert recommended_name({"functions_covered": 1.0}) == "b"
    assert recommended_name({"own_revenue_share": 1.0}) == "a"
    assert recommended_name({"npv": 0.2, "own_revenue_share": 0.8}) == "a"


def test_exactly_one_recommended_and_scores_in_unit_range():
    table = evaluate()["scenarios"]
    assert table["recommended"].sum() == 1
    assert table["score"].between(0, 1).all()
    assert list(table.columns) == [
        "scenario",
        "label",
        "functions_covered",
        "functions_ok",
        "surface_m2",
        "investment_ht",
        "investment_ttc",
        "opex_year",
        "break_even_year",
        "own_revenue_share",
        "npv",
        "irr",
        "score",
        "recommended",
    ]


def test_missing_funding_shares_is_an_error():
    s = settings()
    del s["funding_shares"]
    with pytest.raises(ConfigError, match="scenarios.funding_shares"):
        evaluate(s)


def test_shares_must_sum_to_one():
    with pytest.raises(ConfigError, match="sum to 1"):
        evaluate(settings(funding_shares={"FEDER": 0.5, "EPCI": 0.4}))


def test_unknown_function_is_named():
    s = copy.deepcopy(settings())
    s["scenarios"]["b"]["functions"].append("cafe")
    with pytest.raises(ConfigError, match="cafe"):
        evaluate(s)


def test_reader_tables_in_french():
    tables = evaluate()
    shown = bp.scenarios_table(tables["scenarios"])
    assert "Investissement HT" in shown.columns
    assert shown.loc[0, "Investissement HT"] == fmt.euros(125_000)
    assert shown.loc[0, "Investissement HT"].startswith("125\u202f000")
    plan = bp.funding_plan_table(tables["funding_plan"], tables["scenarios"])
    assert set(plan["Nature"]) == {"Emplois", "Ressources"}
    programme = bp.programme_table(tables["programme"], tables["scenarios"])
    assert programme.iloc[-1]["Espace"] == "Total"
