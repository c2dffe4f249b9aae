"""The `scenarios` section of params.yaml."""

from __future__ import annotations

from pydantic import ConfigDict, Field, ValidationInfo, field_validator

from pipeline.core.settings.base import Section

# A business plan or an NPV horizon beyond 50 years says nothing about a third place.
MAX_HORIZON_YEARS = 50


class ScenariosSettings(Section):
    # Placeholder until every key is typed: unknown keys are let through.
    model_config = ConfigDict(extra="allow")

    years: int = Field(
        ge=1, le=MAX_HORIZON_YEARS,
        description=f"a whole number of years from 1 to {MAX_HORIZON_YEARS}",
    )
    plan_years: int = Field(
        ge=1, le=MAX_HORIZON_YEARS, description="a whole number of years from 1 to scenarios.years"
    )

    @field_validator("plan_years")
    @classmethod
    def _within_years(cls, value: int, info: ValidationInfo) -> int:
        if value > info.data.get("years", MAX_HORIZON_YEARS):
            raise ValueError("a whole number of years from 1 to scenarios.years")
        return value
