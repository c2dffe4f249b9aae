"""The `portrait` section of params.yaml (phase 01), and the census vintage it shares with
the `mobility` section."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.settings.base import Section

# RP2017: the first vintage the census and MOBPRO readers take (before it, bicycles and
# motorbikes were one transport mode, and higher diplomas one column).
FIRST_CENSUS_VINTAGE = 2017

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
