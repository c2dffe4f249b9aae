"""The `survey` section of params.yaml: how phase 03 reads the export, weights and estimates.

The codebook of the survey (a data file of the territory, not settings) is checked by
`pipeline.survey.codebook` and `pipeline.survey.indicators`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from pipeline.core.settings.base import Section


class TrimmingSettings(Section):
    """Bounds on the raking weights, relative to the mean weight (which is 1)."""

    lower: float = Field(
        gt=0, lt=1, allow_inf_nan=False, description="a number above 0 and below 1 (× mean weight)"
    )
    upper: float = Field(
        gt=1, allow_inf_nan=False, description="a finite number above 1 (× mean weight)"
    )


class SurveySettings(Section):
    confidence: float = Field(
        gt=0, lt=1, description="a confidence level above 0 and below 1, such as 0.95"
    )
    on_invalid: Literal["error", "blank"] = Field(
        default="error",
        description="'error' (refuse an export with invalid answers) or 'blank' (blank and list them)",
    )
    min_weighting_cell: int = Field(
        ge=1, description="a whole number of respondents, 1 or more, per raking cell"
    )
    trimming: TrimmingSettings = Field(
        description="a mapping {lower, upper} of bounds on the weights, relative to the mean weight"
    )
