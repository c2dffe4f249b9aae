"""The `mobility` section of params.yaml (phase 02)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from pipeline.core.settings.base import Section
from pipeline.core.settings.portrait import CensusVintage

# The French motorway speed limit: no door-to-door average car speed exceeds it.
MAX_SPEED_KMH = 130

# Socio-professional group codes of workers, 1-6 in both PCS 2020 (GS) and PCS 2003 (CS1).
GroupCode = Literal["1", "2", "3", "4", "5", "6"]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class FlowMapSettings(Section):
    """Flows drawn on the flow map: those of at least `min_workers`, the `top` largest."""

    min_workers: float = Field(
        ge=0, allow_inf_nan=False, description="a number of workers, 0 or more"
    )
    top: int = Field(ge=1, description="a whole number of flows, 1 or more")


class MobilitySettings(Section):
    census_vintage: CensusVintage
    detour_factor: float = Field(
        ge=1,
        allow_inf_nan=False,
        description="a finite factor of 1 or more (road distance / straight-line distance)",
    )
    speed_kmh: float = Field(
        gt=0,
        le=MAX_SPEED_KMH,
        allow_inf_nan=False,
        description=f"a finite speed in km/h, above 0 and at most {MAX_SPEED_KMH}",
    )
    telework_min_km: float = Field(
        ge=0, allow_inf_nan=False, description="a finite distance in km, 0 or more"
    )
    destinations_top: int = Field(ge=1, description="a whole number of workplaces, 1 or more")
    flow_map: FlowMapSettings
    teleworkable_share: dict[Literal["GS", "CS1"], dict[GroupCode, Share]] = Field(
        description='a table for GS and/or CS1 giving each group code, quoted text "1" to '
        '"6", a share of teleworkable jobs from 0 to 1'
    )
