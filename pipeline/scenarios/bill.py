"""Phase 09, who pays: each funder's contribution per year in each funding case, and the EPCI's
net cost (« reste à charge »).

A funding case (`scenarios.funding_cases`) names the lines not obtained (`without`): a missing
investment line is replaced by the balance line (the EPCI's own funding), a missing operating
line deepens the operating result, whose deficit the EPCI covers. The EPCI is the balance line
of `scenarios.investment_funding`; its operating grant is the operating line of the same key.
Years run from 0 (the works) to the horizon; operation starts in year 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.portrait.outputs import ZONE_LEVEL
from pipeline.scenarios.capacity import VISIT_UNITS
from pipeline.scenarios.funding import balance_line, investment_schedule, investment_sources, yearly

FUNDER_COLUMNS = ["scenario", "case", "funder", "label", "flow", "year", "amount_eur"]
GRANT_KINDS = ("funding_public", "funding_private")
READ = ("funding_plan", "pnl_lines", "pnl", "activity")  # the phase's tables the bill reads


def zone_population(summary: pd.DataFrame) -> float:
    """Population of the study zone (phase 01's summary, row `ZONE_LEVEL`)."""
    zone = summary.loc[summary["level"] == ZONE_LEVEL, "population"]
    if zone.empty or pd.isna(zone.iloc[0]) or zone.iloc[0] <= 0:
        raise ValueError("01_portrait/summary: no population for the study zone")
    return float(zone.iloc[0])


def investment_funders(plan: pd.DataFrame, settings: dict, without: list[str]) -> pd.DataFrame:
    """Each investment line's contribution per year (one scenario's funding plan): the lines in
    `without` are not obtained and the balance line takes their share."""
    lines = settings["investment_funding"]
    sources = investment_sources(plan, lines, without, float(settings["min_own_share"]))
    out = investment_schedule(sources, lines, int(settings["years"]))
    return out.assign(scenario=plan["scenario"].iloc[0], flow="investment")


def operating_funders(pnl_lines: pd.DataFrame, without: list[str], years: int) -> pd.DataFrame:
    """Each operating line's grant per year, 0 in year 0 and for the lines in `without`."""
    grants = pnl_lines.loc[pnl_lines["kind"].isin(GRANT_KINDS)]
    start = grants.loc[grants["year"] == 1].assign(year=0, amount=0.0)
    rows = pd.concat([start, grants], ignore_index=True)
    rows["amount"] = rows["amount"].where(~rows["item"].isin(without), 0.0)
    out = rows.rename(columns={"item": "funder", "amount": "amount_eur"})
    out = out.loc[out["year"] <= years]
    return out[["scenario", "funder", "label", "year", "amount_eur"]].assign(flow="operation")


def visits(activity: pd.DataFrame, ramp_up: list[float], years: int) -> np.ndarray:
    """Visits per year 0 to `years` (one scenario): full-year volumes of `VISIT_UNITS` times the
    ramp-up; none in year 0."""
    full = activity.loc[activity["unit"].isin(VISIT_UNITS), "volume"].sum()
    return np.concatenate([[0.0], full * yearly(ramp_up, years, after="repeat")])


def _column(wide: pd.DataFrame, key: tuple) -> np.ndarray:
    """A column of `wide`, zeros when it has none (a line the scenario is not eligible to)."""
    return wide[key].fillna(0.0).to_numpy() if key in wide else np.zeros(len(wide))


def epci_cost(
    funders: pd.DataFrame, pnl: pd.DataFrame, epci: str, population: float, visits_year
) -> pd.DataFrame:
    """The EPCI's net cost per year in one scenario and case (`funders` of that case): its
    investment share as paid, its operating grant and the deficit it covers, max(0, −result),
    the result being own revenue + the operating grants of the case − costs (`pnl`)."""
    by_year = funders.pivot_table(
        index="year", columns=["flow", "funder"], values="amount_eur", aggfunc="sum"
    )
    years = by_year.index.to_numpy()
    received = funders.loc[funders["flow"] == "operation"].groupby("year")["amount_eur"].sum()
    planned = pnl.set_index("year")[["revenue", "costs"]].reindex(years, fill_value=0.0)
    result = planned["revenue"] + received.reindex(years, fill_value=0.0) - planned["costs"]
    out = pd.DataFrame(
        {
            "year": years,
            "investment_share": _column(by_year, ("investment", epci)),
            "operating_grant": _column(by_year, ("operation", epci)),
            "deficit_covered": np.clip(-result.to_numpy(), 0.0, None),
        }
    )
    out["net_cost"] = out[["investment_share", "operating_grant", "deficit_covered"]].sum(axis=1)
    out["cumulative_net_cost"] = out["net_cost"].cumsum()
    out["per_inhabitant"] = out["net_cost"] / population
    out["visits"] = np.asarray(visits_year, dtype=float)
    out["per_visit"] = out["net_cost"] / out["visits"].where(out["visits"] > 0)
    return out


def bill_tables(tables: dict, settings: dict, population: float) -> dict[str, pd.DataFrame]:
    """`funders` and `epci_cost` of every scenario and funding case, from the phase's tables."""
    years = int(settings["years"])
    epci = balance_line(settings["investment_funding"])
    funders, costs = [], []
    for name in tables["scenarios"]["scenario"]:
        one = {key: tables[key].loc[tables[key]["scenario"] == name] for key in READ}
        seen = visits(one["activity"], settings["ramp_up"], years)
        for case, spec in settings["funding_cases"].items():
            without = list(spec["without"])
            paid = pd.concat(
                [
                    investment_funders(one["funding_plan"], settings, without),
                    operating_funders(one["pnl_lines"], without, years),
                ],
                ignore_index=True,
            ).assign(case=case)
            cost = epci_cost(paid, one["pnl"], epci, population, seen)
            funders.append(paid[FUNDER_COLUMNS])
            costs.append(cost.assign(scenario=name, case=case))
    cost_columns = ["scenario", "case", *costs[0].columns.drop(["scenario", "case"])]
    return {
        "funders": pd.concat(funders, ignore_index=True),
        "epci_cost": pd.concat(costs, ignore_index=True)[cost_columns],
    }


def epci_summary(epci_costs: pd.DataFrame, plan_years: int, population: float) -> pd.DataFrame:
    """By scenario and case: the EPCI's net cost per year (its total from year 0 to the end of
    the plan, investment share included, over the plan years) and per inhabitant of the study
    zone, its total over the horizon and that total per visit."""
    groups = epci_costs.groupby(["scenario", "case"], sort=False)
    plan = epci_costs.loc[epci_costs["year"] <= plan_years].groupby(
        ["scenario", "case"], sort=False
    )
    out = pd.DataFrame(
        {
            "epci_net_cost_per_year": plan["net_cost"].sum() / plan_years,
            "horizon_net_cost": groups["net_cost"].sum(),
            "visits": groups["visits"].sum(),
        }
    )
    out["epci_net_cost_per_inhabitant"] = out["epci_net_cost_per_year"] / population
    out["horizon_per_visit"] = out["horizon_net_cost"] / out["visits"].where(out["visits"] > 0)
    return out.reset_index()
