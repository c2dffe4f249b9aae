"""Phase 09, who pays: each funder's contribution per year by funding case, the EPCI's net
cost, per inhabitant and per visit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planned import CASES, POPULATION, plan_tables

from pipeline.core import fmt
from pipeline.portrait.outputs import ZONE_LEVEL
from pipeline.scenarios import bill, bill_views, charts, funding, views
from pipeline.scenarios.funding import yearly


@pytest.fixture(scope="module")
def case(settings, demand, site):
    s = settings(funding_cases=CASES)
    tables = plan_tables(s, demand, site)
    return s, tables, bill.bill_tables(tables, s, POPULATION)


def rows(table: pd.DataFrame, scenario: str, case_key: str, **match) -> pd.DataFrame:
    keep = (table["scenario"] == scenario) & (table["case"] == case_key)
    for column, value in match.items():
        keep &= table[column] == value
    return table.loc[keep]


def by_year(table: pd.DataFrame, value: str = "amount_eur") -> pd.Series:
    return table.groupby("year")[value].sum()


def dropped(pnl_lines: pd.DataFrame, scenario: str, lines: list[str]) -> pd.Series:
    """The operating grants of `lines` per year 1.. (what the EPCI loses with them)."""
    one = pnl_lines.loc[(pnl_lines["scenario"] == scenario) & pnl_lines["item"].isin(lines)]
    return one.groupby("year")["amount"].sum()


def test_investment_contributions_sum_to_the_investment_in_every_case(case):
    s, tables, out = case
    plan = tables["funding_plan"]
    for name in s["scenarios"]:
        invested = plan.loc[(plan["scenario"] == name) & (plan["kind"] == "uses"), "amount_eur"]
        for key in CASES:
            paid = rows(out["funders"], name, key, flow="investment")["amount_eur"].sum()
            assert paid == pytest.approx(invested.sum(), abs=0.01)


def test_operating_contributions_and_deficit_cover_the_funding_need_each_year(case):
    """Each year, grants + the deficit the EPCI covers = costs − own revenue, plus the surplus
    of the years the grants exceed that need."""
    s, tables, out = case
    for name in s["scenarios"]:
        pnl = tables["pnl"].loc[tables["pnl"]["scenario"] == name].set_index("year")
        need = pnl["costs"] - pnl["revenue"]
        for key, spec in CASES.items():
            grants = by_year(rows(out["funders"], name, key, flow="operation")).drop(index=0)
            cost = rows(out["epci_cost"], name, key).set_index("year")
            lost = dropped(tables["pnl_lines"], name, spec["without"]).reindex(need.index)
            surplus = (pnl["result"] - lost.fillna(0.0)).clip(lower=0.0)
            covered = grants + cost["deficit_covered"].drop(index=0)
            np.testing.assert_allclose(covered - need, surplus, atol=1e-6)


def test_a_dropped_investment_line_is_paid_by_the_epci(case):
    s, _, out = case
    for name in s["scenarios"]:
        total = {
            key: rows(out["funders"], name, key, flow="investment")
            .groupby("funder")["amount_eur"]
            .sum()
            for key in ("tous", "sans_feder")
        }
        assert total["sans_feder"]["feder"] == 0
        assert total["tous"]["feder"] > 0
        assert total["sans_feder"]["epci"] == pytest.approx(
            total["tous"]["epci"] + total["tous"]["feder"], abs=0.01
        )
        assert total["sans_feder"]["state"] == total["tous"]["state"]
        costs = {k: rows(out["epci_cost"], name, k)["investment_share"].sum() for k in total}
        assert costs["sans_feder"] - costs["tous"] == pytest.approx(total["tous"]["feder"])


def test_a_dropped_operating_line_is_zero_and_deepens_the_deficit(case):
    s, tables, out = case
    for name in s["scenarios"]:
        anct = rows(out["funders"], name, "sans_anct", flow="operation", funder="anct")
        assert (anct["amount_eur"] == 0).all()
        result = tables["pnl"].loc[tables["pnl"]["scenario"] == name].set_index("year")["result"]
        lost = dropped(tables["pnl_lines"], name, ["anct"]).reindex(result.index, fill_value=0)
        assert lost.sum() > 0
        for key, expected in (("tous", result), ("sans_anct", result - lost)):
            covered = rows(out["epci_cost"], name, key).set_index("year")["deficit_covered"]
            assert covered.loc[0] == 0
            np.testing.assert_allclose(covered.drop(index=0), (-expected).clip(lower=0.0))


def test_the_net_cost_adds_the_epci_share_grant_and_deficit(case):
    s, tables, out = case
    lines = tables["pnl_lines"]
    for name in s["scenarios"]:
        cost = rows(out["epci_cost"], name, "tous").set_index("year")
        paid = rows(out["funders"], name, "tous", funder="epci")
        invest = by_year(paid.loc[paid["flow"] == "investment"])
        grant = lines.loc[(lines["scenario"] == name) & (lines["item"] == "epci")]
        np.testing.assert_allclose(cost["investment_share"], invest)
        np.testing.assert_allclose(cost["operating_grant"].drop(index=0), grant["amount"])
        parts = cost["investment_share"] + cost["operating_grant"] + cost["deficit_covered"]
        np.testing.assert_allclose(cost["net_cost"], parts)
        np.testing.assert_allclose(cost["cumulative_net_cost"], parts.cumsum())
        np.testing.assert_allclose(cost["per_inhabitant"] * POPULATION, cost["net_cost"])


def test_visits_count_the_units_of_one_visit_ramped_up(case):
    s, tables, out = case
    activity = tables["activity"]
    for name in s["scenarios"]:
        one = activity.loc[(activity["scenario"] == name)]
        full = one.loc[one["unit"].isin(bill.VISIT_UNITS), "volume"].sum()
        ramp = yearly(s["ramp_up"], s["years"], after="repeat")
        cost = rows(out["epci_cost"], name, "tous").set_index("year")
        np.testing.assert_allclose(cost["visits"], np.concatenate([[0.0], full * ramp]))
        assert pd.isna(cost.loc[0, "per_visit"])
        seen = cost["visits"] > 0
        np.testing.assert_allclose(
            cost.loc[seen, "per_visit"] * cost.loc[seen, "visits"], cost.loc[seen, "net_cost"]
        )
    assert full > 0


def test_a_payment_delay_moves_the_grant_later(settings, demand, site):
    s = settings(funding_cases=CASES)
    s["investment_funding"]["feder"]["delay_years"] = 1
    tables = plan_tables(s, demand, site)
    late = rows(bill.bill_tables(tables, s, POPULATION)["funders"], "a", "tous", funder="feder")
    on_time = plan_tables(settings(funding_cases=CASES), demand, site)
    on_time = bill.bill_tables(on_time, settings(funding_cases=CASES), POPULATION)["funders"]
    first = by_year(rows(on_time, "a", "tous", funder="feder"))
    np.testing.assert_allclose(by_year(late).to_numpy()[1:], first.to_numpy()[:-1])
    assert by_year(late).loc[0] == 0


def test_a_payment_beyond_the_horizon_is_refused():
    with pytest.raises(ValueError, match="beyond the horizon"):
        funding.paid_by_year(100.0, [0.5, 0.5], delay=3, years=3)
    np.testing.assert_allclose(funding.paid_by_year(100.0, [0.5, 0.5], 2, 3), [0, 0, 50, 50])


def test_the_zone_population_is_the_study_zones_not_the_epcis():
    summary = pd.DataFrame({"level": ["CA du Nord", ZONE_LEVEL], "population": [90000.0, 21000.0]})
    assert bill.zone_population(summary) == 21000.0
    with pytest.raises(ValueError, match="study zone"):
        bill.zone_population(summary.iloc[:1])


def test_the_epci_summary_spreads_the_plan_years_net_cost(case):
    s, _, out = case
    summary = bill.epci_summary(out["epci_cost"], s["plan_years"], POPULATION)
    summary = summary.set_index(["scenario", "case"])
    assert len(summary) == len(s["scenarios"]) * len(CASES)
    for (name, key), row in summary.iterrows():
        cost = rows(out["epci_cost"], name, key)
        total = cost.loc[cost["year"] <= s["plan_years"], "net_cost"].sum()
        assert row["epci_net_cost_per_year"] == pytest.approx(total / s["plan_years"])
        assert row["epci_net_cost_per_inhabitant"] * POPULATION == pytest.approx(
            total / s["plan_years"]
        )
        assert row["horizon_net_cost"] == pytest.approx(cost["net_cost"].sum())
        assert row["horizon_per_visit"] == pytest.approx(
            cost["net_cost"].sum() / cost["visits"].sum()
        )


def test_the_reader_tables_of_who_pays_in_french(evaluate, settings):
    tables, s = evaluate(), settings()
    scenarios, cases = tables["scenarios"], s["funding_cases"]
    chosen = scenarios.loc[scenarios["recommended"], "scenario"].iloc[0]
    shown = bill_views.funders_table(tables["funders"], tables["epci_cost"], scenarios, cases)
    assert list(shown.columns[:3]) == [bill_views.CASE_COLUMN, "Financeur", "Année 0"]
    assert shown[bill_views.CASE_COLUMN].tolist().count("") == len(shown) - len(cases)
    totals = shown.loc[shown["Financeur"] == "Total", "Total"].tolist()
    for (key, spec), total in zip(cases.items(), totals, strict=True):
        paid = rows(tables["funders"], chosen, key)["amount_eur"].sum()
        covered = rows(tables["epci_cost"], chosen, key)["deficit_covered"].sum()
        assert total == fmt.euros(paid + covered), spec["label"]
    assert bill_views.DEFICIT_LABEL in shown["Financeur"].tolist()
    cost = bill_views.epci_cost_table(tables["epci_cost"], scenarios, cases)
    assert len(cost) == len(cases) * len(bill_views.COST_ROWS)
    assert cost.loc[cost["Poste"] == "Reste à charge par visite", "Année 0"].eq("—").all()
    summary = bill_views.epci_summary_table(tables["epci_summary"], scenarios, s)
    assert summary[bill_views.CASE_COLUMN].tolist() == [c["label"] for c in cases.values()]
    central = scenarios.set_index("scenario").loc[chosen, "epci_net_cost_per_year"]
    assert summary.iloc[0, 1] == fmt.euros(central)
    comparison = views.scenarios_table(scenarios).set_index("Indicateur")
    assert comparison.loc["Reste à charge de l'EPCI par an"].tolist() == [
        fmt.euros(v) for v in scenarios["epci_net_cost_per_year"]
    ]


def test_the_cash_figure_draws_one_curve_per_scenario(evaluate):
    tables = evaluate()
    fig = charts.cash_figure(tables["cash"], tables["scenarios"], "Tous financements")
    assert len(fig.data) == len(tables["scenarios"])
    assert "tous financements" in fig.layout.title.text
    first = tables["cash"].loc[tables["cash"]["scenario"] == tables["scenarios"]["scenario"][0]]
    np.testing.assert_allclose(fig.data[0].y, first["cumulative"])
