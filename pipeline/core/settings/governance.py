"""The `governance` section of params.yaml: legal forms, feasibility, launch and outcome
indicators (phase 10)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from pipeline.core.settings.base import (
    Amount,
    Section,
    Share,
    names_among,
    weights_sum_to_one,
)
from pipeline.core.vocabulary import FUNCTIONS, UNITS

# The launch programme covers the first months after opening, at most three years.
MAX_PROGRAMME_MONTHS = 36
# ERP categories bounded by a maximum public (code de la construction, R143-19); 1st above.
ERP_CATEGORIES = (4, 3, 2)

Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]

# What a legal-form criterion reads of a scenario (computed by pipeline.governance.legal_facts):
# shares of its resources over the plan's years, counts of its funding lines, 0/1 flags, euros.
LEGAL_FACTS = (
    "public_share",  # public funding / (own revenue + public funding + private funding)
    "own_revenue_share",  # own revenue / the same resources
    "business_revenue_share",  # revenue of the units sold to businesses / own revenue
    "private_lines",  # private funding lines with an amount, investment and operation
    "public_funders",  # public funding lines with an amount, each funder counted once
    "public_service",  # 1 when the scenario hosts a public service (its lines or functions)
    "operating_budget",  # operating costs of a full year, euros
)


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


class FtthSettings(Section):
    """What a site without fibre needs, from its commune's FttH coverage (ARCEP)."""

    connect_from: Share = Field(
        description="the FttH coverage from which the site's connection is to be ordered, 0 to 1"
    )
    alternative_below: Share = Field(
        description="the FttH coverage below which a 4G/5G or satellite access is to be "
        "planned, 0 to 1, at most connect_from"
    )


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
    ftth: FtthSettings
    erp: Erp

    @field_validator("ftth")
    @classmethod
    def _ordered(cls, ftth: FtthSettings) -> FtthSettings:
        if ftth.alternative_below > ftth.connect_from:
            raise ValueError("alternative_below at most connect_from (shares of 0 to 1)")
        return ftth


class Sessions(Section):
    seances: int = Field(ge=1, description="a whole number of sessions, 1 or more")
    participants: int = Field(ge=1, description="a whole number of participants, 1 or more")


class Training(Section):
    seances: int = Field(ge=1, description="a whole number of sessions, 1 or more")


class Review(Section):
    every_months: int = Field(ge=1, description="a whole number of months, 1 or more")
    participants: int = Field(ge=1, description="a whole number of participants, 1 or more")


class CallActions(Section):
    """What a territory's call for tenders adds to the launch programme."""

    method_training: Training  # the team attends: its size follows the scenario's staff
    stakeholders_meeting: Sessions
    theme_workshop: Sessions
    project_review: Review


class LaunchSettings(Section):
    opening: dt.date = Field(description="a date written YYYY-MM-DD")
    programme_months: int = Field(
        ge=1, le=MAX_PROGRAMME_MONTHS,
        description=f"a whole number of months from 1 to {MAX_PROGRAMME_MONTHS}",
    )  # fmt: skip
    call_actions: CallActions

    @field_validator("opening", mode="before")
    @classmethod
    def _iso_date(cls, value):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError("a date written YYYY-MM-DD") from None


class LegalCriterion(Section):
    weight: Amount = Field(description="the criterion's weight, 0 or more")
    fact: Literal[LEGAL_FACTS] = Field(
        description=f"the fact of the scenario it reads, one of {', '.join(LEGAL_FACTS)}"
    )
    at_least: Amount = Field(
        description="the value of the fact from which the scenario is in the criterion's "
        "situation « oui », 0 or more"
    )


def _weights(criteria: dict[str, LegalCriterion]) -> dict[str, LegalCriterion]:
    weights_sum_to_one({key: c.weight for key, c in criteria.items()})
    return criteria


class LegalFormsSettings(Section):
    criteria: Annotated[dict[str, LegalCriterion], AfterValidator(_weights)] = Field(
        min_length=1,
        description="criteria of the legal forms grid: {weight, fact, at_least}, weights "
        "summing to 1",
    )
    business_units: list[Literal[tuple(UNITS)]] = Field(
        description=f"units of activity sold to businesses, among {', '.join(UNITS)}"
    )
    public_service_lines: list[str] = Field(
        description="funding lines (keys of scenarios.operating_funding or investment_funding) "
        "that make the place host a public service"
    )
    public_service_functions: list[Literal[tuple(FUNCTIONS)]] = Field(
        description=f"functions that make the place host a public service, among "
        f"{', '.join(FUNCTIONS)}"
    )


class IndicatorsSettings(Section):
    per_person: dict[
        str, Annotated[dict[str, Positive], names_among(UNITS, "units of activity")]
    ] = Field(description="by indicator, units of activity per person counted (above 0)")
    creation_rate: Share = Field(description="companies created per project supported, 0 to 1")
    co2_kg_per_km: Positive = Field(description="kg of CO2 per km driven, above 0")
    place_trip_km: Amount = Field(description="km of the trip from home to the place, 0 or more")


class GovernanceSettings(Section):
    legal_forms: LegalFormsSettings
    feasibility: FeasibilitySettings
    launch: LaunchSettings
    indicators: IndicatorsSettings
