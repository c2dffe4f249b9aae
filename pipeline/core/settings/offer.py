"""The `offer` section of params.yaml (phase 05): the distance bands of coverage."""

from __future__ import annotations

import itertools
import math

from pydantic import Field, field_validator

from pipeline.core.settings.base import Section

BANDS_TEXT = (
    "a list of distances in km, finite, above 0 and each larger than the one before, "
    "such as [5, 10, 20]"
)


class OfferSettings(Section):
    # The largest band also bounds the places kept around the territory and the white zones.
    bands_km: list[float] = Field(min_length=1, description=BANDS_TEXT)

    @field_validator("bands_km")
    @classmethod
    def _increasing(cls, bands: list[float]) -> list[float]:
        if not all(math.isfinite(b) and b > 0 for b in bands) or any(
            high <= low for low, high in itertools.pairwise(bands)
        ):
            raise ValueError(BANDS_TEXT)
        return bands
