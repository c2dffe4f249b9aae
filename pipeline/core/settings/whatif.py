"""The `scenarios.whatif` section of params.yaml: the grid of the report's what-if panel."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from pipeline.core.settings.base import Amount, Section

GRID_TEXT = "at least 2 values, 0 or more, in increasing order"


def _grid(values: list[float]) -> list[float]:
    if sorted(set(values)) != values:
        raise ValueError(GRID_TEXT)
    return values


def _with_one(values: list[float]) -> list[float]:
    if 1.0 not in _grid(values):
        raise ValueError(f"multipliers {GRID_TEXT}, 1 among them (the plan)")
    return values


Multipliers = Annotated[
    list[Amount],
    Field(min_length=2, description=f"multipliers {GRID_TEXT}, 1 among them (the plan)"),
    AfterValidator(_with_one),
]


class WhatIfSettings(Section):
    price: Multipliers
    attendance: Multipliers
    epci_grant_eur: Annotated[
        list[Amount], Field(min_length=2, description=f"€ a year, {GRID_TEXT}"),
        AfterValidator(_grid),
    ]  # fmt: skip
