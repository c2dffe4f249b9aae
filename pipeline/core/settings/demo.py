"""The `demo` section of params.yaml: the deterministic demo-data generator (pipeline/demo/)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pipeline.core.settings.base import Section
from pipeline.core.settings.portrait import CensusVintage

Count = Annotated[int, Field(ge=1, description="a whole number, 1 or more")]


class DemoSettings(Section):
    seed: int = Field(
        ge=0, description="a whole number, 0 or more: the same seed gives the same files"
    )
    census_vintage: CensusVintage
    bpe_vintage: int = Field(
        ge=2021, description="the BPE vintage, 2021 or later: its file is BPE<yy>.zip"
    )
    employment_rate: float = Field(
        gt=0, le=1, description="a share above 0 and at most 1: employed residents / population"
    )
    survey_respondents: Count
    interviews: Count
    sites: Count
    benchmark_rows: Count
