"""The report's results for DVC (`pipeline.core.metrics`): what its synthesis says — the
verdict, the territory, the recommended scenario and site and their key figures, and which
inputs are demo — so that `dvc exp show` lists them by territory and the comparison page of a
batch (pipeline/batch/) reads the same figures as each report."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.metrics import Results
from pipeline.report.numbers import Report, load
from pipeline.sources.communes import epci_name


def summary(report: Report) -> dict:
    scenario, site = report.recommended_scenario(), report.recommended_site()
    territory = report.territory
    return {
        "territory": {"key": territory["key"], "name": territory["name"],
                      "epci": territory["epci"], "epci_name": epci_name(territory["epci"])},
        "verdict": report.verdict().title,
        "population_zone": report.population_zone(),
        "regular_users": report.potential_users(),
        "scenario": {"key": scenario["scenario"], "label": scenario["label"]},
        "site": {"name": site["nom"], "commune": site["nom_commune"]},
        "investment_ht": scenario["investment_ht"],
        "epci_net_cost_per_year": scenario["epci_net_cost_per_year"],
        "epci_net_cost_per_inhabitant": scenario["epci_net_cost_per_inhabitant"],
        "deficit_probability": scenario["deficit_probability"],
        # Words, not a list: DVC shows a metric's text, not its lists.
        "demo_inputs": ", ".join(report.demo_inputs()),
    }  # fmt: skip


def build(root: Path) -> Results:
    return Results(metrics=summary(load(root)))
