"""The `inputs` section of params.yaml: inputs shared by every phase."""

from __future__ import annotations

from pydantic import Field

from pipeline.core.settings.base import Section


class InputsSettings(Section):
    populations: str = Field(
        min_length=1,
        description="the path of the legal populations CSV, from the project's root "
        "(data/raw/populations_legales.csv, written by `make fetch`)",
    )
    population_vintage: str = Field(
        min_length=1,
        description="the legal populations' vintage as readers see it, in words "
        '("Populations légales 2023 (Insee), …")',
    )
