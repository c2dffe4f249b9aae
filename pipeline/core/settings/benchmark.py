"""The `benchmark` section of params.yaml (phase 06)."""

from __future__ import annotations

from pydantic import Field

from pipeline.core.settings.base import Section


class BenchmarkSettings(Section):
    price_day_unit: str = Field(
        pattern=r"\S",
        description='the unit shown with the price of a coworking day, such as "€ HT / jour"',
    )
