"""Phase 09's planned tables for the tests of `bill` and `cash`: the business plans of the
small plan, without the Monte Carlo, and funding cases."""

from __future__ import annotations

import pandas as pd

from pipeline.scenarios import business_plan as bp

CASES = {
    "tous": {"label": "Tous", "without": []},
    "sans_anct": {"label": "Sans ANCT", "without": ["anct"]},
    "sans_feder": {"label": "Sans FEDER", "without": ["feder"]},
}
POPULATION = 12_345.0
PLANNED = ("funding_plan", "pnl_lines", "pnl", "activity")


def plan_tables(s: dict, demand: pd.DataFrame, site: pd.Series) -> dict[str, pd.DataFrame]:
    """The phase's tables `bill` reads, for every scenario of settings `s` (no Monte Carlo)."""
    volumes = bp.demand_volumes(demand)
    per = {
        name: bp.plan_scenario(name, scenario, s, volumes, float(site["cost_per_m2_year"]))
        for name, scenario in s["scenarios"].items()
    }
    tables = {key: pd.concat([t[key] for t in per.values()], ignore_index=True) for key in PLANNED}
    return {"scenarios": pd.DataFrame({"scenario": list(per)}), **tables}
