"""Phase 10, the whole phase: legal forms and governance scheme, feasibility of the site phase
08 recommends for the scenario phase 09 recommends, every scenario against every candidate site,
ramp-up plan, launch programme and monitoring indicators."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.demand.outputs import DEMAND
from pipeline.governance import feasibility, launch, site_fit
from pipeline.governance.legal_form import (
    LEGAL_FORMS_FILE,
    SCHEME_FILE,
    governance_scheme,
    read_legal_forms,
    read_scheme,
    score_forms,
)
from pipeline.portrait.outputs import SUMMARY, ZONE_LEVEL
from pipeline.scenarios.outputs import ACTIVITY, ACTIVITY_YEARS, PNL, SCENARIOS
from pipeline.scenarios.recommendation import recommended
from pipeline.sites.outputs import DECISION_MATRIX, SITES


def of_scenario(table: pd.DataFrame, name: str) -> pd.DataFrame:
    """The rows of scenario `name`."""
    return table.loc[table["scenario"] == name].reset_index(drop=True)


def zone_car_share(summary: pd.DataFrame) -> float:
    """Share of the study zone's employed residents who drive to work (census, phase 01): the
    share of users expected to come by car."""
    zone = summary.loc[summary["level"] == ZONE_LEVEL, "car_share"]
    if zone.empty or pd.isna(zone.iloc[0]):
        raise ValueError("01_portrait/summary: no car share for the study zone")
    return float(zone.iloc[0])


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, written."""
    settings = phase.settings.governance.model_dump()
    weights = settings["criteria"]
    forms = read_legal_forms(phase.root / LEGAL_FORMS_FILE, list(weights))
    legal_forms = score_forms(forms, weights)
    scheme = read_scheme(phase.root / SCHEME_FILE, list(forms["forme"]))
    form = legal_forms.loc[legal_forms["recommended"], "forme"].iloc[0]

    scenarios, sites, matrix = (phase.read(t) for t in (SCENARIOS, SITES, DECISION_MATRIX))
    scenario = recommended(scenarios)
    activity, activity_years, pnl = (
        of_scenario(phase.read(table), scenario["scenario"])
        for table in (ACTIVITY, ACTIVITY_YEARS, PNL)
    )
    segments = phase.read(DEMAND)["segment"].tolist()
    offered = str(scenario["functions"]).split("|")

    months = settings["launch"]["programme_months"]
    programme = launch.launch_programme(
        launch.read_programme(phase.root / launch.PROGRAMME_FILE, segments, months), offered
    )
    plan = launch.ramp_plan(
        launch.read_plan(phase.root / launch.PLAN_FILE),
        offered,
        settings["launch"]["opening"],
        activity_years,
    )
    feasibility_settings = settings["feasibility"]
    load = {
        **feasibility.presence(activity, feasibility_settings),
        "largest_event": int(programme["participants"].max()) if len(programme) else 0,
        "staff_fte": float(scenario["staff_fte"]),
        "car_share": zone_car_share(phase.read(SUMMARY)),
    }
    site = feasibility.site_profile(sites, matrix)
    tables = {
        "legal_forms": legal_forms,
        "governance_scheme": governance_scheme(scheme, form),
        "feasibility": feasibility.feasibility(
            site, float(scenario["surface_m2"]), load, feasibility_settings
        ),
        "site_fit": site_fit.site_fit(scenarios, sites, matrix),
        "presence": pd.DataFrame([load]),
        "ramp_plan": plan,
        "launch_programme": programme,
        "indicators": launch.indicators(
            activity_years, pnl, feasibility_settings["usage"], settings["indicators"]
        ),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables
