"""The `report` section of params.yaml: the report's title and the thresholds of its verdict."""

from __future__ import annotations

from pydantic import Field, model_validator

from pipeline.core.settings.base import Amount, Section


class VerdictSettings(Section):
    """The synthesis's answer: the demand is established when the lower bound of the survey's
    interest reaches `min_interest` (and fails when its upper bound stays below); the EPCI can
    afford the plan when its net cost per inhabitant of the study zone and per year is at most
    `max_net_cost_per_inhabitant`; the plan holds when the probability of a cumulative deficit
    is at most `max_deficit_probability`, and no condition makes it hold above
    `not_now_deficit_probability`; the place is not oversized when its demand fills at least
    `min_fill_rate` of its capacity."""

    min_interest: float = Field(ge=0, le=1, description="a share from 0 to 1")
    max_net_cost_per_inhabitant: Amount = Field(
        description="€ per inhabitant of the study zone and per year, 0 or more"
    )
    max_deficit_probability: float = Field(ge=0, le=1, description="a probability from 0 to 1")
    not_now_deficit_probability: float = Field(
        ge=0, le=1, description="a probability from 0 to 1, at least max_deficit_probability"
    )
    min_fill_rate: float = Field(ge=0, le=1, description="a share from 0 to 1")

    @model_validator(mode="after")
    def _not_now_above_conditions(self) -> VerdictSettings:
        if self.not_now_deficit_probability < self.max_deficit_probability:
            raise ValueError(
                "not_now_deficit_probability: expected a probability at least "
                f"max_deficit_probability ({self.max_deficit_probability}), found "
                f"{self.not_now_deficit_probability}"
            )
        return self


class ReportSettings(Section):
    title: str = Field(min_length=1, description="text: the report's title")
    verdict: VerdictSettings
