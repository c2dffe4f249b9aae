"""Phase 01, territory portrait: every table of the phase, built and written in one call."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.portrait import indicators, structure
from pipeline.sources import census, strategy
from pipeline.sources.communes import epci_name, territory_base


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Territory base, indicators by commune, zone vs EPCI summary and its long tables, the
    territory's strategy, population structure and housing from the census by IRIS; each table
    is written to the phase's folder."""
    inputs = phase.params["inputs"]
    communes = territory_base(
        phase.territory, phase.root / inputs["populations"], inputs["population_vintage"]
    )
    vintage = int(phase.params["portrait"]["census_vintage"])
    codes = list(communes["code"])
    themes = {
        theme: census.read_base_cc(phase.raw_dir / census.census_file(theme, vintage), codes)
        for theme in census.THEMES
    }
    counts = census.counts(themes["population"], themes["employment"], themes["diplomas"], vintage)
    epci_label = epci_name(phase.territory["epci"])
    summary = indicators.summarise(counts, communes, epci_label)
    actions = strategy.load(phase.root, phase.territory)
    tables = {
        "strategy_actions": actions,
        "strategy_funders": strategy.funders(actions),
        "communes": communes,
        "indicators": pd.concat([counts, indicators.rates(counts)], axis=1),
        "summary": summary,
        "age_structure": indicators.age_structure(summary),
        "pyramid": indicators.pyramid(summary),
        "socio_groups": indicators.socio_groups(summary),
        "diplomas": indicators.diploma_levels(summary),
        "modes": indicators.commuting_modes(summary),
        **structure.tables(communes, epci_label, f"territories/{phase.territory['key']}.yaml"),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables
