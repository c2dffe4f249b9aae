"""Phase 09, the whole phase: every scenario's fit to the needs measured in phases 02 to 07,
its prices against the survey's willingness to pay, its business plan, the Monte Carlo, the
recommendation and its robustness to the weights, and the check of the funding lines against
the territory's strategy."""

from __future__ import annotations

import warnings

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.demand.outputs import DEMAND
from pipeline.interviews.outputs import NEEDS
from pipeline.mobility.outputs import TELEWORK_POOL
from pipeline.offer.outputs import COVERAGE
from pipeline.portrait.outputs import STRATEGY_FUNDERS, SUMMARY
from pipeline.scenarios import bill, cash, needs, pricing, risk
from pipeline.scenarios.business_plan import (
    demand_volumes,
    plan_scenario,
    summary_row,
    unpriced_units,
)
from pipeline.scenarios.funding import strategy_check
from pipeline.scenarios.recommendation import ranking_robustness, recommend
from pipeline.sites.outputs import SITES, recommended_site
from pipeline.survey.outputs import ESTIMATES, PRICE_DISTRIBUTION, PRICES

SCENARIO_COLUMNS = [
    "scenario", "label", "functions_covered", "functions_ok", "needs_fit", "surface_m2",
    "investment_ht",
    "investment_ttc", "opex_year", "break_even_year", "own_revenue_share", "npv", "irr",
    "functions", "renovation", "staff_fte", "revenue_full", "cumulative_result_plan",
    "deficit_probability",
]  # fmt: skip
COMBINED = (
    "programme", "investment", "budget", "activity", "activity_years", "pnl", "pnl_lines",
    "funding_plan", "sizing",
)  # fmt: skip


def evaluate(
    settings: dict, vat_rate: float, demand: pd.DataFrame, site: pd.Series, measures=None
) -> dict[str, pd.DataFrame]:
    """Every table of the phase from its settings, the demand, the chosen site and the other
    `measures` of the earlier phases, by name (estimates, price_distribution, prices, needs,
    coverage, telework_pool, call: see `pipeline.scenarios.needs` and `pricing`; a missing one
    measures nothing)."""
    measures = {**(measures or {}), "demand": demand}
    bands = measures.get("price_distribution", pricing.NO_BANDS)
    grid = pricing.price_grid(settings, demand, bands)
    prices = pricing.unit_prices(
        grid, settings, demand, measures.get("prices", pricing.NO_PRICES), bands
    )
    measured = needs.measured_needs(measures, settings)
    fit = needs.fit(measured, settings["scenarios"], settings)
    volumes = demand_volumes(demand)
    unpriced = unpriced_units(volumes, settings["units"])
    if unpriced:
        warnings.warn(
            f"07_demand/demand: unit(s) {', '.join(unpriced)} have no price in params.yaml "
            "(scenarios.units): they earn nothing",
            stacklevel=2,
        )
    priced = [u for u in volumes.index if u in settings["units"]]
    rent_m2 = float(site["cost_per_m2_year"])
    per, rows, models = {}, [], {}
    for name, scenario in settings["scenarios"].items():
        per[name] = plan_scenario(name, scenario, settings, volumes, rent_m2, prices)
        rows.append(summary_row(name, per[name]["scenario"], per[name], settings, vat_rate))
        models[name] = risk.scenario_model(per[name], settings)
    table = pd.DataFrame(rows).astype({"break_even_year": "Int64"})
    table["needs_fit"] = table["scenario"].map(needs.scores(fit)).astype(float)
    draws = risk.monte_carlo(models, volumes, settings)
    table["deficit_probability"] = table["scenario"].map(
        risk.cumulative_deficit_probability(draws, int(settings["plan_years"]))
    )
    out = {key: pd.concat([t[key] for t in per.values()], ignore_index=True) for key in COMBINED}
    scenarios = table[SCENARIO_COLUMNS]
    return {
        "scenarios": scenarios,
        **out,
        "unpriced_units": pd.DataFrame({"unit": pd.Series(unpriced, dtype="str")}),
        "needs": measured,
        "needs_fit": fit,
        "price_grid": grid,
        "prices": prices,
        "risk_years": risk.yearly_risk(draws),
        "risk_histogram": risk.histogram(draws, int(settings["plan_years"]), settings["risk"]),
        "sensitivity": risk.sensitivities(models, volumes, settings),
        "funding_cases": risk.funding_cases(
            models, {name: t["funding_plan"] for name, t in per.items()}, volumes, settings
        ),
        "risk_assumptions": risk.risk_assumptions(settings, volumes, priced),
    }


EPCI_COLUMNS = ["scenario", "epci_net_cost_per_year", "epci_net_cost_per_inhabitant"]


def central_case(cases: dict) -> str:
    """The funding case in which every line is obtained."""
    return next(key for key, case in cases.items() if not case["without"])


def money(tables: dict, settings: dict, population: float) -> dict[str, pd.DataFrame]:
    """What each funder pays, the EPCI's net cost and the cash curve (central case), their
    columns of the comparison of scenarios, and the recommendation (which weighs that cost)."""
    case = central_case(settings["funding_cases"])
    out = bill.bill_tables(tables, settings, population)
    out["cash"] = cash.cash_tables(out["funders"], tables["pnl"], tables["funding_plan"], case)
    out["epci_summary"] = bill.epci_summary(
        out["epci_cost"], int(settings["plan_years"]), population
    )
    epci = out["epci_summary"].loc[out["epci_summary"]["case"] == case, EPCI_COLUMNS]
    need = cash.cash_needs(out["cash"], tables["pnl"], float(settings["working_capital_months"]))
    table = tables["scenarios"].merge(need, on="scenario").merge(epci, on="scenario")
    columns = list(tables["scenarios"].columns)
    at = columns.index("cumulative_result_plan") + 1  # beside the other cash and cost columns
    table = table[[*columns[:at], *table.columns.drop(columns), *columns[at:]]]
    criteria, scales = settings["criteria"], settings["ranking"]
    out["scenarios"] = recommend(table, criteria, scales, population)
    out["ranking_robustness"] = ranking_robustness(
        out["scenarios"], criteria, scales, population, settings["ranking_robustness"]
    )
    return out


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, written: the demand of phase 07 and the rent of the site
    phase 08 recommends give the business plans, the needs of phases 02 to 07 each scenario's
    fit, the survey's willingness to pay (phase 03) the share of the demand that pays; the
    funding lines are checked against the funders of the territory's strategy (phase 01)."""
    settings = phase.settings.scenarios.model_dump()  # with the territory's own merged in
    site = recommended_site(phase.read(SITES))
    measures = {
        "estimates": phase.read(ESTIMATES),
        "price_distribution": phase.read(PRICE_DISTRIBUTION),
        "prices": phase.read(PRICES),
        "needs": phase.read(NEEDS),
        "coverage": phase.read(COVERAGE),
        "telework_pool": phase.read(TELEWORK_POOL),
        "call": (phase.territory.get("call") or {}).get("functions", {}),
    }
    vat_rate = float(phase.territory["vat_rate"])
    tables = evaluate(settings, vat_rate, phase.read(DEMAND), site, measures)
    tables["strategy_check"] = strategy_check(settings, phase.read(STRATEGY_FUNDERS))
    tables.update(money(tables, settings, bill.zone_population(phase.read(SUMMARY))))
    for name, table in tables.items():
        phase.write(table, name)
    return tables
