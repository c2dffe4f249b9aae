"""Phase 07's tables: demand by segment and by unit, head counts by commune, and the workshops'
synthesis, built from earlier phases' tables and written in one call."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.core.validate import require_columns
from pipeline.demand import estimate, outputs, regular, workshop
from pipeline.demand.rates import digital_help_rate
from pipeline.mobility.outputs import TELEWORK_POOL
from pipeline.portrait.outputs import COMMUNES, INDICATORS
from pipeline.survey.outputs import DISTRIBUTIONS, ESTIMATES

ESTIMATE_COLUMNS = ["indicator", "label", "n", "weighted", "ci_low", "ci_high"]


def read_estimates(phase: Phase) -> pd.DataFrame:
    """The survey's published estimates (phase 03), checked for the columns used here."""
    return require_columns(phase.read(ESTIMATES), ESTIMATE_COLUMNS, "03_survey/estimates")


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of phase 07, written to its processed folder: demand by segment (with its
    regular users) and by unit, head counts by commune, and the workshop synthesis."""
    settings = phase.params["demand"]
    communes = phase.read(COMMUNES)
    estimates = read_estimates(phase)
    digital = digital_help_rate(estimates, settings)
    by_commune = estimate.commune_bases(
        phase.read(INDICATORS),
        phase.read(TELEWORK_POOL),
        digital,
        float(settings["associations_per_1000"]),
    )
    bases = estimate.zone_bases(
        by_commune,
        estimate.study_zone_codes(communes),
        float(settings["visitors_per_year"]),
        digital["source"],
    )
    demand = estimate.volumes(
        bases,
        settings["segments"],
        estimates,
        settings["survey_realisation"],
        settings.get("survey_frequency_days"),
    )
    demand = regular.regular_users(
        demand, settings["segments"], phase.read(DISTRIBUTIONS), settings["regular_users"]
    )
    totals = estimate.by_unit(demand)
    ideas = workshop.rank_ideas(workshop.read_ideas(phase.raw_dir / workshop.FILE))
    tables = {
        outputs.DEMAND: demand,
        outputs.DEMAND_BY_UNIT: totals,
        outputs.SEGMENTS_BY_COMMUNE: estimate.segments_by_commune(
            by_commune, communes, settings["segments"]
        ),
        outputs.WORKSHOP_IDEAS: ideas,
        outputs.WORKSHOP_SERVICES: workshop.by_service(ideas, totals),
    }
    for handle, table in tables.items():
        phase.write(table, handle.name)
    return {handle.name: table for handle, table in tables.items()}
