"""The `sites` section of params.yaml (phase 08): catchment (by distance and by road time),
location models and ranking."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, PositiveInt, field_validator

from pipeline.core.settings.base import Section, weights_sum_to_one

# Columns of the decision matrix a ranking may use as criteria.
CRITERIA = (
    "population_in_band",
    "surface_m2",
    "cost_per_m2_year",
    "fibre",
    "transit",
    "accessible_pmr",
    "parking",
    "nearest_place_km",
    "huff_capture",
)
CRITERIA_TEXT = f"criteria among {', '.join(CRITERIA)}, with weights summing to 1"
Distance = Field(gt=0, allow_inf_nan=False, description="a distance in km, above 0")
BPE_TYPE = r"^[A-G]\d{3}$"  # a facility type of INSEE's BPE: a letter and three digits


class HuffSettings(Section):
    decay: float = Field(
        gt=0, allow_inf_nan=False, description="a distance-decay exponent, above 0"
    )
    min_km: float = Field(
        gt=0,
        allow_inf_nan=False,
        description="a distance in km, above 0 (shorter ones count as it)",
    )
    site_services: PositiveInt = Field(
        description="a whole number of services a candidate would offer, 1 or more"
    )


class MonteCarloSettings(Section):
    draws: PositiveInt = Field(description="a whole number of draws, 1 or more")
    seed: int = Field(ge=0, description="a whole number, 0 or more (the random seed)")
    concentration: float = Field(
        gt=0, allow_inf_nan=False, description="a positive concentration of the Dirichlet draws"
    )


class CriterionSettings(Section):
    weight: float = Field(ge=0, allow_inf_nan=False, description="a weight, 0 or more")
    type: Literal[1, -1] = Field(description="1 (benefit, to maximise) or -1 (cost, to minimise)")


class EquipmentSettings(Section):
    """Facilities of INSEE's BPE near each candidate site (informational, not ranked)."""

    bpe_vintage: int = Field(
        ge=2021, description="the BPE vintage, 2021 or later: its file is BPE<yy>.zip"
    )
    radius_km: float = Distance
    france_services: str = Field(
        pattern=BPE_TYPE, description="the BPE type of France services, a letter and 3 digits"
    )
    kinds: dict[str, str] = Field(
        min_length=1,
        description="BPE types (a letter and 3 digits) counted near each site, with their "
        "French labels",
    )

    @field_validator("kinds")
    @classmethod
    def _types(cls, kinds: dict[str, str]) -> dict[str, str]:
        if not all(re.match(BPE_TYPE, code) and label.strip() for code, label in kinds.items()):
            raise ValueError("BPE types (a letter and 3 digits) with a French label each")
        return kinds


class SitesSettings(Section):
    band_km: float = Distance
    bands_km: list[float] = Field(
        min_length=1, description="a list of distances in km, each above 0"
    )
    bands_min: list[float] = Field(
        min_length=1,
        description="a list of road times in minutes, each above 0, none repeated",
    )
    huff: HuffSettings
    coverage_p: list[PositiveInt] = Field(
        min_length=1, description="a list of whole numbers of sites, each 1 or more"
    )
    monte_carlo: MonteCarloSettings
    criteria: dict[str, CriterionSettings] = Field(min_length=1, description=CRITERIA_TEXT)
    equipment: EquipmentSettings = Field(
        description="radius_km, france_services and kinds: the BPE facilities counted near "
        "each site"
    )

    @field_validator("bands_km")
    @classmethod
    def _positive_bands(cls, bands: list[float]) -> list[float]:
        if not all(0 < b < float("inf") for b in bands):
            raise ValueError("a list of distances in km, each above 0")
        return bands

    @field_validator("bands_min")
    @classmethod
    def _positive_distinct_times(cls, bands: list[float]) -> list[float]:
        if not all(0 < b < float("inf") for b in bands) or len(set(bands)) != len(bands):
            raise ValueError("a list of road times in minutes, each above 0, none repeated")
        return bands

    @field_validator("criteria")
    @classmethod
    def _known_and_weighted(cls, criteria: dict) -> dict:
        unknown = [name for name in criteria if name not in CRITERIA]
        if unknown:
            raise ValueError(f"{CRITERIA_TEXT} (unknown: {', '.join(unknown)})")
        weights_sum_to_one({name: c.weight for name, c in criteria.items()})
        return criteria
