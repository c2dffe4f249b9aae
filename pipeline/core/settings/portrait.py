"""The `portrait` section of params.yaml (phase 01), and the census vintage it shares with
the `mobility` section."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.settings.base import Section

# RP2006: the first vintage of INSEE's rolling census, the first with communal bases and
# MOBPRO detail files in their current form.
FIRST_CENSUS_VINTAGE = 2006

CensusVintage = Annotated[
    int,
    Field(
        ge=FIRST_CENSUS_VINTAGE,
        description=f"a census year written as a whole number ({FIRST_CENSUS_VINTAGE} or "
        "later), the one in the names of the INSEE files of data/raw/<territory>/",
    ),
]


class PortraitSettings(Section):
    census_vintage: CensusVintage
