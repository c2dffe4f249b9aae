"""Phase 10, the whole phase: legal forms scored for every scenario and the governance scheme of
the recommended one, the strategy actions each scenario serves, feasibility of the site phase 08
recommends for the scenario phase 09 recommends, every scenario against every candidate site,
ramp-up plan, launch programme, the grant applications of the recommended scenario, its outcome
indicators and the public funding each scenario needs to break even."""

from __future__ import annotations

import pandas as pd

from pipeline.benchmark.outputs import BENCHMARK
from pipeline.core.phase import Phase
from pipeline.demand.outputs import DEMAND
from pipeline.governance import (
    call,
    communication,
    dossiers,
    feasibility,
    launch,
    legal_facts,
    outcomes,
    site_fit,
    stakeholders,
    strategy_fit,
    viability,
)
from pipeline.governance import legal_form as lf
from pipeline.mobility.outputs import SUMMARY as MOBILITY_SUMMARY
from pipeline.portrait.outputs import STRATEGY_ACTIONS, SUMMARY, ZONE_LEVEL
from pipeline.scenarios.outputs import (
    ACTIVITY,
    ACTIVITY_YEARS,
    FUNDERS,
    FUNDING_PLAN,
    NEEDS_FIT,
    PNL,
    PNL_LINES,
    PRICE_GRID,
    PROGRAMME,
    SCENARIOS,
)
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


def funder_kinds(plan: dict) -> dict[str, str]:
    """Each funding line's kind (public, private), investment and operating lines alike."""
    lines = {**plan["investment_funding"], **plan["operating_funding"]}
    return {key: line.get("kind", "public") for key, line in lines.items()}


def legal_tables(phase: Phase, scenarios: pd.DataFrame, accounts: dict) -> dict:
    """Facts, situations and legal-form scores of every scenario; the recommended scenario's
    forms (`legal_forms`) and the justification of its recommended form."""
    settings = phase.settings.governance.model_dump()["legal_forms"]
    plan = phase.settings.scenarios.model_dump()
    criteria = settings["criteria"]
    forms = lf.read_legal_forms(phase.root / lf.LEGAL_FORMS_FILE)
    notes = lf.read_notes(phase.root / lf.NOTES_FILE, list(forms["forme"]), list(criteria))
    facts = legal_facts.facts(
        scenarios, accounts["pnl"], accounts["pnl_lines"], accounts["funding_plan"],
        plan["investment_funding"], int(plan["plan_years"]), settings,
    )  # fmt: skip
    situation = lf.situations(facts, criteria)
    by_scenario = lf.score_forms(notes, situation, criteria)
    name = recommended(scenarios)["scenario"]
    chosen = lf.recommended_forms(by_scenario, name, forms)
    form = chosen.loc[chosen["recommended"], "forme"].iloc[0]
    return {
        "legal_facts": situation,
        "legal_forms_by_scenario": by_scenario,
        "legal_forms": chosen,
        "legal_form_reasons": lf.justifications(notes, situation, form, name),
        "legal_form_switches": lf.switches(notes, situation, criteria, name),
    }


def plan_tables(phase: Phase, scenario: pd.Series, accounts: dict) -> dict:
    """Grant checklist, outcome indicators and viability."""
    settings = phase.settings.governance.model_dump()
    plan_years = int(phase.settings.scenarios.plan_years)
    name = scenario["scenario"]
    asks = dossiers.asked(name, accounts["funding_plan"], accounts["pnl_lines"], plan_years)
    checklist = dossiers.checklist(
        asks, dossiers.read_dossiers(phase.root / dossiers.DOSSIERS_FILE)
    )
    demand = phase.read(DEMAND)
    definitions = outcomes.read_definitions(
        phase.root / outcomes.INDICATORS_FILE, list(settings["indicators"]["per_person"])
    )
    activity_years = of_scenario(phase.read(ACTIVITY_YEARS), name)
    inputs = {
        "activity_years": activity_years,
        "pnl": of_scenario(accounts["pnl"], name),
        "demand": demand,
        "mobility": phase.read(MOBILITY_SUMMARY),
        "usage": settings["feasibility"]["usage"],
        "settings": settings["indicators"],
        "years": sorted(activity_years["year"].unique()),
    }
    targets = outcomes.targets(definitions, inputs)
    yearly = viability.viability(accounts["pnl"], accounts["scenarios"], plan_years)
    return {
        "grant_checklist": checklist,
        "indicators": targets,
        "indicator_definitions": outcomes.definitions_table(
            definitions, dict.fromkeys(targets["indicator"]), demand
        ),
        "viability": yearly,
        "viability_summary": viability.summary(yearly),
    }


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, written."""
    settings = phase.settings.governance.model_dump()
    scenarios, sites, matrix = (phase.read(t) for t in (SCENARIOS, SITES, DECISION_MATRIX))
    accounts = {
        "scenarios": scenarios,
        **{t.name: phase.read(t) for t in (PNL, PNL_LINES, FUNDING_PLAN)},
    }
    legal = legal_tables(phase, scenarios, accounts)
    form = legal["legal_forms"].loc[legal["legal_forms"]["recommended"], "forme"].iloc[0]
    scheme = lf.read_scheme(phase.root / lf.SCHEME_FILE, list(legal["legal_forms"]["forme"]))

    scenario = recommended(scenarios)
    activity, activity_years = (
        of_scenario(phase.read(table), scenario["scenario"]) for table in (ACTIVITY, ACTIVITY_YEARS)
    )
    segments = phase.read(DEMAND)["segment"].tolist()
    offered = str(scenario["functions"]).split("|")

    months = settings["launch"]["programme_months"]
    the_call = phase.territory.get("call")
    added = launch.call_actions(
        the_call, months, float(scenario["staff_fte"]), settings["launch"]["call_actions"]
    )
    programme = launch.launch_programme(
        launch.read_programme(phase.root / launch.PROGRAMME_FILE, segments, months),
        offered,
        added,
    )
    plan = plan_tables(phase, scenario, accounts)
    asked = plan["grant_checklist"]  # the funding lines the scenario draws on
    ramp = launch.ramp_plan(
        launch.read_plan(phase.root / launch.PLAN_FILE),
        offered,
        settings["launch"]["opening"],
        activity_years,
        dict(zip(asked["line"], asked["label"])),
    )
    feasibility_settings = settings["feasibility"]
    load = {
        **feasibility.presence(activity, feasibility_settings),
        "largest_event": int(programme["participants"].max()) if len(programme) else 0,
        "staff_fte": float(scenario["staff_fte"]),
        "car_share": zone_car_share(phase.read(SUMMARY)),
    }
    site = feasibility.site_profile(sites, matrix)
    actions = phase.read(STRATEGY_ACTIONS)
    served = strategy_fit.served_actions(actions, scenarios)
    tables = {
        **legal,
        "governance_scheme": lf.governance_scheme(scheme, form),
        "strategy_served": served,
        "strategy_fit": strategy_fit.strategy_fit(actions, served, scenarios),
        "feasibility": feasibility.feasibility(
            site, float(scenario["surface_m2"]), load, feasibility_settings
        ),
        "site_fit": site_fit.site_fit(scenarios, sites, matrix),
        "presence": pd.DataFrame([load]),
        "ramp_plan": ramp,
        "launch_programme": programme,
        **plan,
    }
    colleges = stakeholders.read_colleges(
        phase.root / stakeholders.COLLEGES_FILE, list(legal["legal_forms"]["forme"])
    )
    tables["stakeholders"] = stakeholders.stakeholders(the_call, colleges, form)
    tables["communication"] = communication.communication(
        phase.read(DEMAND), phase.read(PRICE_GRID), programme, offered,
        phase.settings.scenarios.model_dump(),
    )  # fmt: skip
    tables["call_answers"] = call.answers(
        {
            **tables,
            "call": the_call,
            "scenario": scenario["scenario"],
            "scenario_row": scenario,
            "form": form,
            "months": months,
            "plan_years": int(phase.settings.scenarios.plan_years),
            "funder_kinds": funder_kinds(phase.settings.scenarios.model_dump()),
            "benchmark": phase.read(BENCHMARK),
            **{t.name: phase.read(t) for t in (FUNDERS, NEEDS_FIT, PROGRAMME)},
            "sites": sites,
        }
    )
    for name, table in tables.items():
        phase.write(table, name)
    return tables
