"""The `demand` section of params.yaml (phase 07): segments, rates and head-count assumptions."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from pipeline.core.settings.base import Section
from pipeline.core.vocabulary import UNITS

# Segments phase 07 can count (each has a head count: census, telework pool or params).
SEGMENTS = (
    "teleworkers",
    "independents",
    "job_seekers",
    "students",
    "digital_help",
    "organisations",
    "visitors",
)
SEGMENTS_TEXT = f"a mapping of segments among {', '.join(SEGMENTS)}"
# Days in a year: no count of working days exceeds it.
DAYS_IN_YEAR = 366
LEVELS_TEXT = "[low, central, high]: three rates between 0 and 1 in increasing order"


def three_levels(rates: list[float]) -> list[float]:
    """`rates` if they are low <= central <= high, each between 0 and 1."""
    if len(rates) != 3 or not all(0 <= r <= 1 for r in rates) or sorted(rates) != rates:
        raise ValueError(LEVELS_TEXT)
    return rates


class SegmentSettings(Section):
    capture: list[float] = Field(description=LEVELS_TEXT)
    survey: str | None = Field(
        default=None, description="the survey indicator (phase 03) whose share replaces `capture`"
    )
    days_per_year: float = Field(
        gt=0, allow_inf_nan=False, description="a positive number of uses a year per person"
    )
    frequency_survey: str | None = Field(
        default=None,
        description="the survey indicator (phase 03) giving the share of weekly users",
    )
    unit: str = Field(description=f"one of {', '.join(UNITS)}")

    _capture = field_validator("capture")(three_levels)

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in UNITS:
            raise ValueError(f"one of {', '.join(UNITS)}")
        return unit


class SurveyDaysSettings(Section):
    weekly: float = Field(ge=0, allow_inf_nan=False, description="days a year of a weekly user")
    occasional: float = Field(
        ge=0, allow_inf_nan=False, description="days a year of an occasional user"
    )

    @model_validator(mode="after")
    def _weekly_first(self) -> SurveyDaysSettings:
        if self.weekly < self.occasional:
            raise ValueError("{weekly: days, occasional: days} with weekly >= occasional >= 0")
        return self


class RegularUsersSettings(Section):
    min_visits_per_month: int = Field(
        ge=1, description="a whole number of visits a month, 1 or more"
    )
    question: str = Field(
        min_length=1, description="the survey's frequency question (a phase 03 distribution)"
    )
    visits_per_month: dict[str, float] = Field(
        min_length=1,
        description="each answer code of the question with the fewest visits a month it means",
    )

    @field_validator("visits_per_month")
    @classmethod
    def _counts(cls, visits: dict[str, float]) -> dict[str, float]:
        if not all(v >= 0 for v in visits.values()):
            raise ValueError("each answer code with a number of visits a month, 0 or more")
        return visits


class DemandSettings(Section):
    working_days: float = Field(
        gt=0,
        le=DAYS_IN_YEAR,
        description=f"working days a year, above 0 and at most {DAYS_IN_YEAR}",
    )
    segments: dict[str, SegmentSettings] = Field(min_length=1, description=SEGMENTS_TEXT)
    survey_realisation: list[float] = Field(description=LEVELS_TEXT)
    survey_frequency_days: SurveyDaysSettings | None = Field(
        default=None, description="{weekly: days, occasional: days} with weekly >= occasional >= 0"
    )
    digital_help_survey: str | None = Field(
        default=None, description="the survey indicator of people needing help online"
    )
    digital_help_share: float = Field(
        ge=0, le=1, description="a share between 0 and 1 (people 15+ needing help online)"
    )
    associations_per_1000: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="a number of associations per 1,000 inhabitants, 0 or more",
    )
    visitors_per_year: float = Field(
        ge=0, allow_inf_nan=False, description="a number of visitors a year, 0 or more"
    )
    regular_users: RegularUsersSettings = Field(
        description="{min_visits_per_month, question, visits_per_month}: who is a regular user"
    )

    _realisation = field_validator("survey_realisation")(three_levels)

    @field_validator("segments")
    @classmethod
    def _known_segments(cls, segments: dict) -> dict:
        unknown = [name for name in segments if name not in SEGMENTS]
        if unknown:
            raise ValueError(f"{SEGMENTS_TEXT} (unknown: {', '.join(unknown)})")
        return segments
