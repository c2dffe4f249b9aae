"""Phase 09, the what-if grid of the report's panel: the recommended scenario's plan recomputed
with the same model (`business_plan.plan_scenario`, `risk.results`) on a grid of prices,
attendance, EPCI operating grants (params `scenarios.whatif`) and funding cases.

At each point: the EPCI's net cost per year over the plan years (its investment share in the
case, as `bill` computes it, its operating grant and the deficits it covers), the break-even
year over the horizon (`business_plan.break_even_year`) and the probability of a cumulative
deficit over the plan years, on the Monte Carlo's own draws (`risk.draws`, seed `risk.seed`,
common to every point). Price and attendance move as in the Monte Carlo: every price times the
price multiplier (the share of the demand that pays stays that of the plan's prices), the
demand of phase 07 times the attendance multiplier, within the capacity. The point with both
multipliers at 1, the plan's EPCI grant and a funding case gives that case's figures of phase
09's tables.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd

from pipeline.core.phase import Phase
from pipeline.demand.outputs import DEMAND
from pipeline.scenarios import risk
from pipeline.scenarios.business_plan import break_even_year, demand_volumes, plan_scenario
from pipeline.scenarios.funding import balance_line
from pipeline.scenarios.recommendation import recommended
from pipeline.sites.outputs import SITES, recommended_site

TABLE = "whatif"
COLUMNS = [
    "scenario",
    "case",
    "case_label",
    "price",
    "main_price",
    "attendance",
    "epci_grant_eur",
    "epci_net_cost_per_year",
    "break_even_year",
    "deficit_probability",
]  # fmt: skip; then `main_unit` (its label) and `plan` (the plan's point, in each case)


def with_grant(model: risk.Model, line: int, amount: float) -> risk.Model:
    """The model with the operating line `line` (the EPCI's) at `amount` every year."""
    grants = model.grants.copy()
    grants[line] = amount
    return dataclasses.replace(model, grants=grants)


def scaled(shocks: dict, price: float, attendance: float) -> dict:
    return {
        **shocks,
        "price": shocks["price"] * price,
        "attendance": shocks["attendance"] * attendance,
    }


def grant_values(settings: dict, model: risk.Model, line: int) -> list[float]:
    """The grid's EPCI grants, with the plan's own (its first year) among them."""
    return sorted({*map(float, settings["whatif"]["epci_grant_eur"]), float(model.grants[line][0])})


def point(model, line, central, drawn, inv_share, plan_years) -> tuple[float, int | None, float]:
    """EPCI net cost per year, break-even year and deficit probability of one grid point
    (`central`, `drawn`: the shocks of the plan and of the draws in its case, scaled)."""
    yearly = risk.results(model, central)[0]
    grant = model.grants[line][:plan_years] * central["obtained"][0, line]
    net = inv_share + (grant + np.clip(-yearly[:plan_years], 0.0, None)).sum()
    years = np.arange(1, len(yearly) + 1)
    even = break_even_year(pd.DataFrame({"year": years, "result": yearly}))
    deficit = float((risk.results(model, drawn)[:, :plan_years].sum(axis=1) < 0).mean())
    return float(net / plan_years), even, deficit


def main_unit(activity: pd.DataFrame) -> pd.Series:
    """The unit that brings the most own revenue in the plan (its price is shown)."""
    return activity.sort_values("revenue", ascending=False, kind="stable").iloc[0]


def grid(
    plan: dict, settings: dict, volumes: pd.DataFrame, epci_cost: pd.DataFrame
) -> pd.DataFrame:
    """The what-if table of one scenario's `plan` (`plan_scenario`), over the grid of
    `settings["whatif"]` and every funding case; `epci_cost`: phase 09's table (the EPCI's
    investment share by case and year)."""
    name, plan_years = plan["activity"]["scenario"].iloc[0], int(settings["plan_years"])
    model = risk.scenario_model(plan, settings)
    epci = balance_line(settings["investment_funding"])
    if epci not in model.lines:
        raise ValueError(
            f"params.yaml scenarios.operating_funding: no line {epci!r} (the EPCI's, as in "
            "investment_funding): the what-if panel sets the EPCI's operating grant"
        )
    line = model.lines.index(epci)
    draws = risk.draws_for({name: model}, volumes, settings)
    base = risk.base_shocks(len(model.units), len(model.lines))
    main = main_unit(plan["activity"])
    mine = epci_cost[(epci_cost["scenario"] == name) & (epci_cost["year"] <= plan_years)]
    rows = []
    for case, spec in settings["funding_cases"].items():
        central = risk.in_case(base, model.lines, spec["without"])
        drawn = risk.in_case(draws, model.lines, spec["without"])
        inv_share = float(mine.loc[mine["case"] == case, "investment_share"].sum())
        for grant, price, attendance in itertools.product(
            grant_values(settings, model, line), settings["whatif"]["price"],
            settings["whatif"]["attendance"],
        ):  # fmt: skip
            one = with_grant(model, line, grant)
            values = point(one, line, scaled(central, price, attendance),
                           scaled(drawn, price, attendance), inv_share, plan_years)  # fmt: skip
            rows.append((name, case, spec["label"], float(price), float(main["price"]) * price,
                         float(attendance), grant, *values))  # fmt: skip
    table = pd.DataFrame(rows, columns=COLUMNS).astype({"break_even_year": "Int64"})
    plan_grant = float(model.grants[line][0])
    is_plan = (table["price"] == 1) & (table["attendance"] == 1)
    return table.assign(
        main_unit=main["label"], plan=is_plan & (table["epci_grant_eur"] == plan_grant)
    )


def build(phase: Phase, tables: dict, settings: dict) -> pd.DataFrame:
    """The recommended scenario's what-if table, written as `whatif` of phase 09: its plan is
    rebuilt from the same inputs as `build.evaluate` (demand of phase 07, rent of the site of
    phase 08, prices of the phase)."""
    name = recommended(tables["scenarios"])["scenario"]
    volumes = demand_volumes(phase.read(DEMAND))
    rent = float(recommended_site(phase.read(SITES))["cost_per_m2_year"])
    plan = plan_scenario(
        name, settings["scenarios"][name], settings, volumes, rent, tables["prices"]
    )
    table = grid(plan, settings, volumes, tables["epci_cost"])
    phase.write(table, TABLE)
    return table
