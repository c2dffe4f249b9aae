"""Phase 10 of the default study, built end to end (the session's study): legal forms for every
scenario, the strategy actions served, the grant checklist, the indicators and the viability
agree with phase 09's tables."""

from __future__ import annotations

import pytest

from pipeline.core.io import read_table
from pipeline.governance import outputs as gov
from pipeline.scenarios.outputs import FUNDING_PLAN, PNL_LINES, SCENARIOS


@pytest.fixture(scope="module")
def read(study):
    return lambda table: read_table(table.path(study))


def test_legal_forms_for_every_scenario(read):
    scenarios, by_scenario = read(SCENARIOS), read(gov.LEGAL_FORMS_BY_SCENARIO)
    forms = read(gov.LEGAL_FORMS)
    assert set(by_scenario["scenario"]) == set(scenarios["scenario"])
    assert (by_scenario.groupby("scenario")["recommended"].sum() == 1).all()
    chosen = scenarios.loc[scenarios["recommended"], "scenario"].item()
    best = by_scenario.loc[by_scenario["recommended"] & (by_scenario["scenario"] == chosen)]
    assert forms.loc[forms["recommended"], "forme"].item() == best["forme"].item()
    facts = read(gov.LEGAL_FACTS)
    assert len(facts) == len(scenarios) * facts["criterion"].nunique()


def test_strategy_served_by_the_recommended_scenario(read):
    fit, served = read(gov.STRATEGY_FIT), read(gov.STRATEGY_SERVED)
    chosen = fit.loc[fit["recommended"]].iloc[0]
    mine = served.loc[served["scenario"] == chosen["scenario"]]
    assert chosen["served"] == len(mine) <= chosen["mapped"] <= chosen["actions"]
    assert chosen["cost_keur"] == pytest.approx(mine["cout_keur"].fillna(0).sum())


def test_grant_checklist_lists_every_line_the_plan_asks(read):
    scenarios, checklist = read(SCENARIOS), read(gov.GRANT_CHECKLIST)
    chosen = scenarios.loc[scenarios["recommended"], "scenario"].item()
    plan = read(FUNDING_PLAN)
    invest = plan.loc[(plan["scenario"] == chosen) & (plan["kind"] == "sources")
                      & (plan["amount_eur"] > 0), "line"]  # fmt: skip
    lines = read(PNL_LINES)
    operating = lines.loc[(lines["scenario"] == chosen) & lines["kind"].str.startswith("funding")
                          & (lines["amount"] > 0), "item"]  # fmt: skip
    assert set(checklist["line"]) <= set(invest) | set(operating)
    assert set(invest) <= set(checklist["line"])
    assert checklist["documented"].all()
    assert checklist["investment_eur"].sum() == pytest.approx(
        plan.loc[(plan["scenario"] == chosen) & (plan["kind"] == "sources"), "amount_eur"].sum()
    )


def test_indicators_and_viability_of_the_recommended_scenario(read):
    scenarios = read(SCENARIOS)
    chosen = scenarios.loc[scenarios["recommended"]].iloc[0]
    summary = read(gov.VIABILITY_SUMMARY).set_index("scenario")
    assert summary.loc[chosen["scenario"], "budget"] == pytest.approx(chosen["opex_year"])
    assert summary.loc[chosen["scenario"], "recommended"]
    targets, definitions = read(gov.INDICATORS), read(gov.INDICATOR_DEFINITIONS)
    assert list(dict.fromkeys(targets["indicator"])) == list(definitions["indicator"])
    assert {"frequentation", "aide_demarches", "recettes_propres"} <= set(targets["indicator"])
    assert definitions["owner"].str.len().min() > 0
