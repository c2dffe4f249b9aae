"""The `governance` section of params.yaml: legal forms, feasibility and launch (phase 10)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from pipeline.core.settings.base import Amount, Section, names_among, weights_sum_to_one
from pipeline.core.vocabulary import UNITS

# The launch programme covers the first months after opening, at most three years.
MAX_PROGRAMME_MONTHS = 36
# ERP categories bounded by a maximum public (code de la construction, R143-19); 1st above.
ERP_CATEGORIES = (4, 3, 2)

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Usage(Section):
    visits: Amount = Field(description="people coming per unit of activity, 0 or more")
    hours: Amount = Field(description="hours each spends on site, 0 or more")


class Erp(Section):
    type: str = Field(description="the ERP type(s) of the site, for readers")
    fifth_category_below: Positive = Field(
        description="the public from which the site leaves the 5th category, above 0"
    )
    max_public: dict[int, Positive] = Field(
        description="the maximum public of categories 4, 3, 2 (above 0)"
    )

    @field_validator("max_public", mode="before")
    @classmethod
    def _categories(cls, limits):
        """Categories as whole numbers: papermill hands params over as JSON ("4", "3", "2")."""
        try:
            limits = {int(k): v for k, v in limits.items()}
        except (AttributeError, TypeError, ValueError):
            raise ValueError("the maximum public of categories 4, 3, 2") from None
        if sorted(limits) != sorted(ERP_CATEGORIES):
            raise ValueError("the maximum public of categories 4, 3, 2")
        return limits


class FeasibilitySettings(Section):
    opening_days: Positive = Field(description="days open a year, above 0")
    opening_hours: Positive = Field(description="hours open a day, above 0")
    peak_factor: Positive = Field(description="presence at the busiest hour / average, above 0")
    usage: Annotated[
        dict[str, Usage], names_among(UNITS, "units of activity")
    ] = Field(description="{visits, hours} by unit of activity")  # fmt: skip
    mbps_per_user: Positive = Field(description="Mbit/s per simultaneous user, above 0")
    fibre_mbps: Positive = Field(description="Mbit/s of a fibre access, above 0")
    without_fibre_mbps: Positive = Field(description="Mbit/s without fibre, above 0")
    people_per_car: Positive = Field(description="people per car, above 0")
    erp: Erp


class LaunchSettings(Section):
    opening: dt.date = Field(description="a date written YYYY-MM-DD")
    programme_months: int = Field(
        ge=1, le=MAX_PROGRAMME_MONTHS,
        description=f"a whole number of months from 1 to {MAX_PROGRAMME_MONTHS}",
    )  # fmt: skip

    @field_validator("opening", mode="before")
    @classmethod
    def _iso_date(cls, value):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError("a date written YYYY-MM-DD") from None


class Indicator(Section):
    label: str = Field(description="the indicator's name shown to readers")
    per_person: Annotated[
        dict[str, Positive], names_among(UNITS, "units of activity")
    ] = Field(min_length=1, description="units of activity per person counted, above 0")  # fmt: skip


class GovernanceSettings(Section):
    criteria: Annotated[dict[str, float], AfterValidator(weights_sum_to_one)] = Field(
        min_length=1, description="weights of the criteria of the legal forms grid, summing to 1"
    )
    feasibility: FeasibilitySettings
    launch: LaunchSettings
    indicators: dict[str, Indicator] = Field({}, description="monitoring indicators by key")
