"""What every settings section shares: the pydantic base and the checks several sections use."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import InitErrorDetails

# Weights are compared to 1 with this tolerance (decimal fractions such as 0.1 + 0.2).
WEIGHT_TOLERANCE = 1e-6


Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1)]


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


def unknown(names, allowed, where: tuple, what: str) -> list[InitErrorDetails]:
    """One error at `where` + (name,) for each of `names` not in `allowed`."""
    message = ValueError(f"{what} among {', '.join(map(str, allowed))}")
    return [
        InitErrorDetails(type="value_error", loc=(*where, name), input=name, ctx={"error": message})
        for name in names
        if name not in allowed
    ]


def refuse(errors: list[InitErrorDetails], title: str) -> None:
    """Raise `errors`, each at its own key path (pydantic prefixes the path of the model)."""
    if errors:
        raise ValidationError.from_exception_data(title, errors)


def names_among(allowed, what: str):
    """A validator: every key of a mapping in `allowed`."""

    def check(mapping: dict) -> dict:
        refuse(unknown(mapping, allowed, (), what), what)
        return mapping

    return AfterValidator(check)
