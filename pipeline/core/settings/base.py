"""What every settings section shares: the pydantic base and the checks several sections use."""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict

# Weights are compared to 1 with this tolerance (decimal fractions such as 0.1 + 0.2).
WEIGHT_TOLERANCE = 1e-6


class Section(BaseModel):
    """A mapping of params.yaml: every key typed, an unknown key refused (a typo would
    otherwise be silently ignored), no silent conversion of text to numbers."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def weights_sum_to_one(weights: dict[str, float]) -> dict[str, float]:
    """`weights` if they are finite, not negative and sum to 1; never rescaled."""
    if any(not math.isfinite(w) or w < 0 for w in weights.values()):
        raise ValueError("weights that are finite numbers, 0 or more")
    total = sum(weights.values())
    if abs(total - 1) > WEIGHT_TOLERANCE:
        raise ValueError(f"weights summing to 1 (they sum to {total:g})")
    return weights
