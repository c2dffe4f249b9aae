"""Phase 09, cash: the cash curve and the year-0 cash need, and their place in the phase's
build."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planned import CASES, POPULATION, plan_tables

from pipeline.scenarios import bill, build, cash


def curves(s: dict, demand, site) -> tuple[dict, dict, pd.DataFrame]:
    tables = plan_tables(s, demand, site)
    out = bill.bill_tables(tables, s, POPULATION)
    return (
        tables,
        out,
        cash.cash_tables(out["funders"], tables["pnl"], tables["funding_plan"], "tous"),
    )


def paid_in_year0(plan: pd.DataFrame, lines: dict, name: str) -> tuple[float, float]:
    """The investment of scenario `name` and the funding received in year 0, from its funding
    plan and each line's payment shares and delays."""
    one = plan.loc[plan["scenario"] == name]
    sources = one.loc[one["kind"] == "sources"].set_index("line")["amount_eur"]
    received = sum(
        amount * spec.get("payment", [1.0])[0]
        for key, amount in sources.items()
        if (spec := lines[key]).get("delay_years", 0) == 0
    )
    return one.loc[one["kind"] == "uses", "amount_eur"].sum(), received


def need_year0(table: pd.DataFrame) -> pd.Series:
    """The year-0 cash need by scenario (the working capital does not depend on the table)."""
    pnl = pd.DataFrame({"scenario": table["scenario"].unique(), "year": 1, "costs": 0.0})
    return cash.cash_needs(table, pnl, 0).set_index("scenario")["cash_need_year0"]


@pytest.mark.parametrize("delay", [0, 1])
def test_the_year0_cash_need_is_the_investment_less_the_funding_received(
    settings, demand, site, delay
):
    s = settings(funding_cases=CASES)
    s["investment_funding"]["feder"]["delay_years"] = delay
    tables, _, table = curves(s, demand, site)
    need = cash.cash_needs(table, tables["pnl"], 3).set_index("scenario")["cash_need_year0"]
    for name in s["scenarios"]:
        invested, received = paid_in_year0(tables["funding_plan"], s["investment_funding"], name)
        assert received < invested
        assert need[name] == pytest.approx(invested - received)


def test_the_need_grows_by_the_grant_paid_late(settings, demand, site):
    s = settings(funding_cases=CASES)
    _, out, on_time = curves(s, demand, site)
    s["investment_funding"]["feder"]["delay_years"] = 1
    _, _, late = curves(s, demand, site)
    feder = out["funders"].query("case == 'tous' and funder == 'feder' and year == 0")
    growth = need_year0(late) - need_year0(on_time)
    np.testing.assert_allclose(growth, feder.set_index("scenario")["amount_eur"].loc[growth.index])


def test_the_cash_curve_ends_at_the_cumulative_operating_result(settings, demand, site):
    """The investment is funded in full within the horizon: what is left is the operating
    result."""
    s = settings(funding_cases=CASES)
    tables, _, table = curves(s, demand, site)
    for name in s["scenarios"]:
        one = table.loc[table["scenario"] == name]
        assert one["year"].tolist() == list(range(s["years"] + 1))
        flows = one.drop(columns=["scenario", "year", "balance", "cumulative"])
        np.testing.assert_allclose(one["balance"], flows.sum(axis=1))
        np.testing.assert_allclose(one["cumulative"], one["balance"].cumsum())
        assert one["investment_funding"].sum() == pytest.approx(-one["investment"].sum())
        pnl = tables["pnl"].loc[tables["pnl"]["scenario"] == name]
        assert one["cumulative"].iloc[-1] == pytest.approx(pnl["result"].sum())
        np.testing.assert_allclose(-one["costs"].iloc[1:], pnl["costs"])
    a = table.query("scenario == 'a'")
    # FEDER (half of 159 500 €) paid half in year 0, half in year 1
    assert a["investment_funding"].iloc[1] == pytest.approx(0.5 * 0.5 * 159_500)


def test_the_working_capital_is_months_of_the_first_year_costs(settings, demand, site):
    tables, _, table = curves(settings(funding_cases=CASES), demand, site)
    needs = cash.cash_needs(table, tables["pnl"], 3).set_index("scenario")
    costs = tables["pnl"].query("year == 1").set_index("scenario")["costs"]
    np.testing.assert_allclose(needs["working_capital"], costs.loc[needs.index] / 4)
    np.testing.assert_allclose(
        needs["cash_need_start"], needs["cash_need_year0"] + needs["working_capital"]
    )


def test_money_adds_the_columns_of_the_comparison(evaluate):
    tables = evaluate()
    assert {"funders", "epci_cost", "epci_summary", "cash"} <= set(tables)
    row = tables["scenarios"].set_index("scenario")
    columns = list(row.columns)
    at = columns.index("cumulative_result_plan") + 1
    new = [
        "cash_need_year0", "working_capital", "cash_need_start", "epci_net_cost_per_year",
        "epci_net_cost_per_inhabitant",
    ]  # fmt: skip
    assert columns[at : at + 5] == new
    assert columns[-1] == "recommended"
    need = cash.cash_needs(tables["cash"], tables["pnl"], 3).set_index("scenario")
    np.testing.assert_allclose(row["cash_need_start"], need.loc[row.index, "cash_need_start"])
    central = tables["epci_summary"].query("case == 'tous'").set_index("scenario")
    np.testing.assert_allclose(row["epci_net_cost_per_year"], central.loc[row.index, new[3]])
    np.testing.assert_allclose(
        row["epci_net_cost_per_inhabitant"] * POPULATION, row["epci_net_cost_per_year"]
    )
    assert set(tables["cash"]["scenario"]) == set(row.index)
    assert build.central_case({"x": {"without": ["a"]}, "y": {"without": []}}) == "y"
