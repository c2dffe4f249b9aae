"""Phase 04, stakeholder interviews: every table of the phase, built from the coding grid and
written beside the notebook."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.interviews.coding import (
    actor_groups,
    actors,
    quotes,
    ranked_needs,
    read_grid,
    stance,
    support,
    theme_by_actor,
    theme_counts,
)

GRID_FILE = "entretiens_grille.csv"


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, from the coding grid, written."""
    min_cell = phase.settings.privacy.min_cell
    grid = read_grid(phase.raw_dir / GRID_FILE)
    group = actor_groups(grid["type_acteur"], phase.settings.interviews.families, min_cell)
    tables = {
        "actors": actors(group, min_cell),
        "themes": theme_counts(grid, min_cell),
        "themes_by_actor": theme_by_actor(grid, group, min_cell),
        "needs": ranked_needs(grid, min_cell),
        "stance": stance(grid, group, min_cell),
        "quotes": quotes(grid, group, min_cell),
        "support": support(grid, min_cell),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables
