"""The `interviews` section of params.yaml: how phase 04 groups the actors interviewed."""

from __future__ import annotations

from pydantic import Field, field_validator

from pipeline.core.settings.base import Section
from pipeline.core.vocabulary import ACTORS

FAMILIES = (
    "a mapping of types of actor of the interview grid ("
    + ", ".join(ACTORS)
    + ") to the name of their family"
)


class InterviewsSettings(Section):
    families: dict[str, str] = Field(description=FAMILIES)

    @field_validator("families")
    @classmethod
    def _known_actors(cls, families: dict[str, str]) -> dict[str, str]:
        if set(families) - set(ACTORS) or not all(name.strip() for name in families.values()):
            raise ValueError(FAMILIES)
        return families
