"""The `mobility` section of params.yaml."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from pipeline.core.settings.base import Section

# The French motorway speed limit: no door-to-door average car speed exceeds it.
MAX_SPEED_KMH = 130


class MobilitySettings(Section):
    # Placeholder until every key is typed: unknown keys are let through.
    model_config = ConfigDict(extra="allow")

    speed_kmh: float = Field(
        gt=0,
        le=MAX_SPEED_KMH,
        allow_inf_nan=False,
        description=f"a finite speed in km/h, above 0 and at most {MAX_SPEED_KMH}",
    )
