"""Parts of the `scenarios` section of params.yaml that ground the scenarios in the diagnostic:
their fit to the needs measured in phases 02 to 07 (`needs_fit`), the price grid and the
willingness to pay of phase 03 (`pricing`), and the robustness of their ranking to its weights
(`ranking_robustness`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from pipeline.core.settings.base import (
    Amount,
    Section,
    Share,
    names_among,
    refuse,
    unknown,
    weights_sum_to_one,
)
from pipeline.core.settings.sites import MonteCarloSettings
from pipeline.core.vocabulary import FUNCTIONS, UNITS, USER_TYPES

Function = Literal[tuple(FUNCTIONS)]
FUNCTIONS_TEXT = f"a non-empty list of functions among {', '.join(FUNCTIONS)}"
Functions = Annotated[list[Function], Field(min_length=1, description=FUNCTIONS_TEXT)]
# What each need is served by: need (as the phase's table names it) -> functions.
NeedMap = Annotated[
    dict[str, Functions],
    Field(description=f"functions serving each need: need -> {FUNCTIONS_TEXT}"),
]


def _mix(shares: dict[str, float]) -> dict[str, float]:
    refuse(unknown(shares, USER_TYPES, (), "user types"), "user types")
    weights_sum_to_one(shares)
    return shares


# Shares of the user types, summing to 1.
Mix = Annotated[
    dict[str, float],
    AfterValidator(_mix),
    Field(description=f"shares of user types among {', '.join(USER_TYPES)}, summing to 1"),
]


class SurveyNeeds(Section):
    weight: Share = Field(description="the source's weight in the score, from 0 to 1")
    question: str = Field(
        min_length=1, description="the survey's question of the services wanted (phase 03)"
    )
    needs: NeedMap


class NeedsSource(Section):
    weight: Share = Field(description="the source's weight in the score, from 0 to 1")
    needs: NeedMap


class DemandNeeds(Section):
    weight: Share = Field(description="the source's weight in the score, from 0 to 1")


class TeleworkNeeds(Section):
    weight: Share = Field(description="the source's weight in the score, from 0 to 1")
    functions: Functions


class NeedsFit(Section):
    """The needs each source measured, weighted in the score of a scenario's fit."""

    survey: SurveyNeeds
    interviews: NeedsSource
    demand: DemandNeeds
    white_zones: NeedsSource
    telework_pool: TeleworkNeeds
    call: DemandNeeds  # the functions a territory's call for tenders asks for

    @model_validator(mode="after")
    def _weights(self) -> NeedsFit:
        weights_sum_to_one({name: getattr(self, name).weight for name in type(self).model_fields})
        return self


class Pricing(Section):
    """Price grid by user type, the mix of user types of each unit and the survey's
    willingness to pay that shrinks the demand."""

    willingness_to_pay: Annotated[
        dict[str, str], names_among(UNITS, "units of activity")
    ] = Field({}, description="the survey's price question (phase 03) of each unit")  # fmt: skip
    grid: Annotated[
        dict[str, Annotated[dict[str, Amount], names_among(USER_TYPES, "user types")]],
        names_among(UNITS, "units of activity"),
    ] = Field({}, description="multipliers of the unit's price by user type, 0 or more")
    segments: dict[str, Mix] = Field(
        description="the user types of each segment of phase 07's demand"
    )
    mix: Annotated[dict[str, Mix], names_among(UNITS, "units of activity")] = Field(
        {}, description="the user types of each unit phase 07 does not estimate"
    )


class RankingRobustness(MonteCarloSettings):
    """Dirichlet draws of the ranking's weights around those of `scenarios.criteria`."""
