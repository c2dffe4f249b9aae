"""Phase 09 funding cases, the central case and the risk assumptions in words."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from pydantic import ValidationError

from pipeline.core.config import ROOT
from pipeline.core.settings.scenarios import ScenariosSettings
from pipeline.core.vocabulary import RISK_MULTIPLIERS
from pipeline.scenarios import risk, risk_views

SYMMETRIC = [0.8, 1.0, 1.2]


def certain_and_symmetric(s: dict) -> dict:
    """Every shock symmetric around 1 and every funding line certain."""
    s = copy.deepcopy(s)
    for name in RISK_MULTIPLIERS:
        s["risk"][name]["range"] = SYMMETRIC
    for section in ("operating_funding", "investment_funding"):
        for line in s[section].values():
            line["probability"] = 1.0
    return s


def test_the_central_plan_is_the_median_when_shocks_are_symmetric(settings, evaluate):
    """With symmetric shocks (the demand fixture's low and high are symmetric too) and every
    grant certain, the central cumulative result and the simulation's median agree within 1 %."""
    s = certain_and_symmetric(settings())
    tables = evaluate(s)
    last = tables["risk_years"].query(f"year == {s['plan_years']}").set_index("scenario")
    for _, row in tables["scenarios"].iterrows():
        central = row["cumulative_result_plan"]
        assert abs(central) > 0  # a relative tolerance needs a result away from 0
        assert last.loc[row["scenario"], "cumulative_p50"] == pytest.approx(central, rel=0.01)


def test_an_uncertain_grant_pulls_the_median_below_the_central_plan(settings, evaluate):
    s = certain_and_symmetric(settings())
    s["operating_funding"]["anct"]["probability"] = 0.5
    tables = evaluate(s)
    last = tables["risk_years"].query(f"year == {s['plan_years']}").set_index("scenario")
    central = tables["scenarios"].set_index("scenario")["cumulative_result_plan"]
    assert (last["cumulative_p10"] < central).all()
    assert (last.loc[central.index, "cumulative_p50"] < central).any()


def test_funding_cases_add_up(settings, evaluate):
    s = settings()
    tables = evaluate(s)
    cases = tables["funding_cases"].set_index(["scenario", "case"])
    assert list(cases.columns) == risk.CASE_COLUMNS[2:]
    scenarios = tables["scenarios"].set_index("scenario")
    plan_years = s["plan_years"]
    for name, row in scenarios.iterrows():
        # the central case is the deterministic plan
        assert cases.loc[(name, "tous"), "cumulative_result"] == pytest.approx(
            row["cumulative_result_plan"]
        )
        assert cases.loc[(name, "tous"), "npv"] == pytest.approx(row["npv"])
        # without ANCT: the plan less the ANCT grants of the plan years
        lines = tables["pnl_lines"].query("scenario == @name and item == 'anct'")
        anct = lines.loc[lines["year"] <= plan_years, "amount"].sum()
        assert anct > 0
        assert cases.loc[(name, "sans_anct"), "cumulative_result"] == pytest.approx(
            row["cumulative_result_plan"] - anct
        )
        assert (
            cases.loc[(name, "sans_anct"), "deficit_probability"]
            >= cases.loc[(name, "tous"), "deficit_probability"]
        )
        # without FEDER: the same operations, the EPCI pays the FEDER's share of the investment
        plan = tables["funding_plan"].query("scenario == @name").set_index("line")["amount_eur"]
        assert cases.loc[(name, "sans_feder"), "cumulative_result"] == pytest.approx(
            row["cumulative_result_plan"]
        )
        assert cases.loc[(name, "tous"), "epci_investment"] == pytest.approx(plan["epci"])
        assert cases.loc[(name, "sans_feder"), "epci_investment"] == pytest.approx(
            plan["epci"] + plan["feder"]
        )
    table = risk_views.funding_cases_table(tables["funding_cases"], tables["scenarios"])
    assert list(table["Cas de financement"]) == [c["label"] for c in s["funding_cases"].values()]


def test_the_tornado_has_one_bar_per_funding_case(settings, evaluate):
    s = settings()
    sensitivity = evaluate(s)["sensitivity"]
    central = [k for k, c in s["funding_cases"].items() if not c["without"]]
    others = [k for k in s["funding_cases"] if k not in central]
    for _, group in sensitivity.groupby("scenario"):
        assert set(others) <= set(group["input"]) and not set(central) & set(group["input"])


def test_risk_assumptions_in_words(settings, evaluate):
    s = settings()
    table = evaluate(s)["risk_assumptions"].set_index("input")
    for name in RISK_MULTIPLIERS:
        low, mode, high = s["risk"][name]["range"]
        assert table.loc[name, ["low", "mode", "high"]].tolist() == [low, mode, high]
        assert table.loc[name, "one_sided"] == (mode - low != high - mode)
        assert table.loc[name, "reason"] == s["risk"][name]["reason"]
    assert not table.loc["attendance", "one_sided"]  # the demand fixture is symmetric
    assert table.loc["anct", "probability"] == s["operating_funding"]["anct"]["probability"]
    assert np.isnan(table.loc["price", "probability"])
    words = risk_views.risk_assumptions_table(table.reset_index())
    assert len(words) == len(table) and words["Pourquoi"].str.len().gt(0).all()
    assert "subventions" in risk_views.one_sided_text(table.reset_index()).lower()
    symmetric = certain_and_symmetric(s)
    table = evaluate(symmetric)["risk_assumptions"]
    assert "symétriques" in risk_views.one_sided_text(table)


@pytest.fixture(scope="module")
def scenarios_params() -> dict:
    return yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))["scenarios"]


def test_funding_cases_settings_are_checked(scenarios_params):
    ScenariosSettings.model_validate(scenarios_params)
    bad = copy.deepcopy(scenarios_params)
    bad["funding_cases"]["sans_x"] = {"label": "X", "without": ["nowhere"]}
    with pytest.raises(ValidationError, match="nowhere"):
        ScenariosSettings.model_validate(bad)
    balance = copy.deepcopy(scenarios_params)
    balance["funding_cases"]["sans_epci"] = {"label": "X", "without": ["epci"]}
    balance["operating_funding"].pop("epci")
    with pytest.raises(ValidationError, match="balance"):
        ScenariosSettings.model_validate(balance)
    none = copy.deepcopy(scenarios_params)
    none["funding_cases"] = {"a": {"label": "A", "without": ["anct"]}}
    with pytest.raises(ValidationError, match="central"):
        ScenariosSettings.model_validate(none)
    reasonless = copy.deepcopy(scenarios_params)
    reasonless["operating_funding"]["anct"]["probability_reason"] = ""
    with pytest.raises(ValidationError, match="probability_reason"):
        ScenariosSettings.model_validate(reasonless)
