"""Phase 09's results for DVC (`pipeline.core.metrics`): each scenario's key figures and the
recommended one; the data of the cash curve, the risk distribution and the tornado, one file per
scenario (so `dvc plots diff` draws each scenario's two variants on one chart)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.core.io import read_table
from pipeline.core.metrics import Results, file_name
from pipeline.scenarios.outputs import CASH, RISK_HISTOGRAM, SCENARIOS, SENSITIVITY

FIGURES = [
    "npv",
    "irr",
    "cumulative_result_plan",
    "epci_net_cost_per_year",
    "epci_net_cost_per_inhabitant",
    "deficit_probability",
    "own_revenue_share",
    "score",
    "recommended",
]
SIDES = {"low": "hypothèse basse", "high": "hypothèse haute"}


def scenario_metrics(scenarios: pd.DataFrame) -> dict:
    """Key figures by scenario (NPV, IRR, cumulative result over the plan, the EPCI's net cost
    per year and per inhabitant, deficit probability, own-revenue share, score, recommended)."""
    chosen = scenarios.loc[scenarios["recommended"].astype(bool), "scenario"]
    return {
        "scenarios": scenarios.set_index("scenario")[FIGURES].to_dict(orient="index"),
        "recommended": chosen.iloc[0] if len(chosen) == 1 else None,
    }


def per_scenario(table: pd.DataFrame, shape) -> dict[str, pd.DataFrame]:
    """`shape(rows)` of each scenario's rows, by the scenario's key as a file name."""
    return {file_name(key): shape(rows) for key, rows in table.groupby("scenario", sort=True)}


def cash_plot(rows: pd.DataFrame) -> pd.DataFrame:
    """Cumulative cash by year, year 0 (the works) to the horizon."""
    return rows.sort_values("year")[["year", "cumulative"]]


def risk_plot(rows: pd.DataFrame) -> pd.DataFrame:
    """Monte Carlo distribution of the cumulative result over the plan: share of the draws in
    each bin, at the bin's middle."""
    middle = (rows["bin_low"] + rows["bin_high"]) / 2
    return pd.DataFrame({"cumulative_result": middle, "share": rows["share"]})


def tornado_plot(rows: pd.DataFrame) -> pd.DataFrame:
    """Change of the cumulative result (and of the NPV) with each input at its low and high
    value in turn, in phase 09's order."""
    hypothesis = rows["label"] + " (" + rows["side"].map(SIDES) + ")"
    return pd.DataFrame(
        {
            "hypothesis": hypothesis,
            "delta_cumulative": rows["delta_cumulative"],
            "delta_npv": rows["delta_npv"],
        }
    )


def plots(cash: pd.DataFrame, histogram: pd.DataFrame, sensitivity: pd.DataFrame) -> dict:
    charts = {"cash": (cash, cash_plot), "risk": (histogram, risk_plot),
              "tornado": (sensitivity, tornado_plot)}  # fmt: skip
    return {
        f"{chart}/{name}": table
        for chart, (data, shape) in charts.items()
        for name, table in per_scenario(data, shape).items()
    }


def build(root: Path) -> Results:
    tables = [read_table(t.path(root)) for t in (SCENARIOS, CASH, RISK_HISTOGRAM, SENSITIVITY)]
    return Results(scenario_metrics(tables[0]), plots(*tables[1:]))
