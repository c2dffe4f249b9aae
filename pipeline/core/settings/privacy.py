"""The `privacy` section of params.yaml: publication rules (statistical disclosure control)."""

from __future__ import annotations

from pydantic import Field

from pipeline.core.settings.base import Section

# French statistical secrecy: no published figure on fewer than 11 units (the rule INSEE
# applies to household counts); the README says to raise privacy.min_cell, never to lower it.
MIN_CELL_FLOOR = 11
# Above 100, a survey of a few hundred respondents would have nearly every cell blanked; no
# disclosure rule in use asks for more.
MIN_CELL_CEILING = 100


class PrivacySettings(Section):
    min_cell: int = Field(
        ge=MIN_CELL_FLOOR,
        le=MIN_CELL_CEILING,
        description=f"a whole number from {MIN_CELL_FLOOR} (the statistical-secrecy floor: "
        f"raise it, never lower it) to {MIN_CELL_CEILING}",
    )
