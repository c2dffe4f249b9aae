"""Typed settings: one pydantic model per params.yaml section (a module each) and one for a
territory file, checked once when a stage opens; a phase receives checked settings.

`check` turns pydantic's errors into one ConfigError naming, for each fault, the file that sets
the key (params.yaml, or the territory file when its `params:` block does), the key path, what
is expected (the field's `description`, or a validator's message) and what was found.
"""

from __future__ import annotations

import types
import typing
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pipeline.core.settings.benchmark import BenchmarkSettings
from pipeline.core.settings.demand import DemandSettings
from pipeline.core.settings.demo import DemoSettings
from pipeline.core.settings.governance import GovernanceSettings
from pipeline.core.settings.inputs import InputsSettings
from pipeline.core.settings.interviews import InterviewsSettings
from pipeline.core.settings.mobility import MobilitySettings
from pipeline.core.settings.offer import OfferSettings
from pipeline.core.settings.portrait import PortraitSettings
from pipeline.core.settings.privacy import PrivacySettings
from pipeline.core.settings.report import ReportSettings
from pipeline.core.settings.scenarios import ScenariosSettings
from pipeline.core.settings.sites import SitesSettings
from pipeline.core.settings.survey import SurveySettings
from pipeline.core.settings.territory import TerritoryContextSettings
from pipeline.core.validate import InputFileError

M = TypeVar("M", bound=BaseModel)


class ConfigError(InputFileError):
    """A settings file is missing, malformed or inconsistent."""


class Settings(BaseModel):
    """params.yaml (with a territory's own settings merged in). A stage hands its notebook only
    the sections it declares in dvc.yaml, so each section may be absent."""

    model_config = ConfigDict(extra="allow", frozen=True)

    territory: str | None = None
    territory_context: TerritoryContextSettings | None = Field(
        default=None,
        description="a mapping of what a territory file may leave out (vat_rate...) and the "
        "rules deriving it from the EPCI's département",
    )
    inputs: InputsSettings | None = None
    privacy: PrivacySettings | None = None
    portrait: PortraitSettings | None = None
    mobility: MobilitySettings | None = None
    survey: SurveySettings | None = None
    interviews: InterviewsSettings | None = None
    offer: OfferSettings | None = None
    benchmark: BenchmarkSettings | None = None
    demand: DemandSettings | None = None
    sites: SitesSettings | None = None
    scenarios: ScenariosSettings | None = None
    governance: GovernanceSettings | None = None
    report: ReportSettings | None = None
    demo: DemoSettings | None = None


def check(params: dict, overrides: dict | None = None, where: str = "") -> Settings:
    """`params` checked and typed, else one ConfigError listing every fault: a key the
    territory file `where` sets (in `overrides`, its `params:` block) is blamed on that file."""
    return validate(Settings, params, "params.yaml", where, overrides)


def validate(model: type[M], data: dict, file: str, where: str = "", overrides=None) -> M:
    """`data` as a `model`, else one ConfigError with a line per fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            dotted = ".".join(str(part) for part in loc)
            source = where if where and _sets(overrides or {}, loc) else file
            what = expected(model, error)
            if error["type"] == "missing":
                lines.append(f"{source}: missing required key '{dotted}': expected {what}")
            else:
                found = repr(error.get("input"))
                lines.append(f"{source}: key '{dotted}': expected {what}, found {found}")
        raise ConfigError("\n".join(lines)) from None


def expected(model: type[BaseModel], error: dict) -> str:
    """What the failing key should hold: a validator's message, else the field's description,
    else pydantic's own words."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    if error["type"] == "extra_forbidden":
        return "only the documented keys of this mapping (a typo?)"
    description = _description(model, tuple(error["loc"]))
    return description or error["msg"][0].lower() + error["msg"][1:]


def _description(model: type, loc: tuple) -> str | None:
    """The description of the field at `loc`, walking nested models, mappings and lists."""
    annotation: object = model
    field = None
    for part in loc:
        if part == "[key]":  # a mapping's key is checked against the mapping's own field
            break
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if part not in annotation.model_fields:
                return None
            field = annotation.model_fields[part]
            annotation = field.annotation
        elif typing.get_origin(annotation) in (dict, list, tuple):
            annotation = typing.get_args(annotation)[-1]
        else:
            return None
    return field.description if field is not None else None


def _unwrap(annotation):
    """`X` from `X | None`, `Optional[X]` or `Annotated[X, ...]`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def _sets(overrides: dict, loc: tuple) -> bool:
    node = overrides
    for part in loc:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True
