"""A territory file, territories/<key>.yaml: the EPCI studied and its own settings."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pipeline.core.settings.base import Section


def _as_text(value):
    """A code YAML read as a number (epci: 200041788 unquoted) is taken as its digits."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class TerritoryDefaults(Section):
    """params.yaml's `territory_defaults`: what a territory file may leave out."""

    vat_rate: float = Field(ge=0, lt=1, description="a VAT rate as a share, from 0 to below 1")


class KnownSite(Section):
    nom: str = Field(min_length=1, description="the name of the place")
    commune: str = Field(pattern=r"^\d[\dAB]\d{3}$", description="an INSEE commune code")

    _code = field_validator("commune", mode="before")(_as_text)


class TerritoryFile(BaseModel):
    """The keys of a territory file (after territory_defaults are filled in)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(min_length=1, description="text: the territory's name as readers see it")
    epci: str = Field(
        pattern=r"^\d{9}$", description="a 9-digit SIREN code of an EPCI, in quotes"
    )
    study_zone: list[str] | None = Field(
        default=None, min_length=1, description="a non-empty list of INSEE commune codes"
    )
    vat_rate: float = Field(ge=0, lt=1, description="a VAT rate as a share, from 0 to below 1")
    strategy: str | None = Field(
        default=None, min_length=1, description="a file name in data/raw/strategies/"
    )
    known_sites: list[KnownSite] | None = None
    params: dict = Field(default_factory=dict, description="a mapping of params.yaml sections")

    _epci = field_validator("epci", mode="before")(_as_text)

    @field_validator("study_zone", mode="before")
    @classmethod
    def _codes(cls, value):
        return [_as_text(code) for code in value] if isinstance(value, list) else value
