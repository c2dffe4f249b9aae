"""Phase 07, demand: target segments of the study zone and their yearly volumes by scenario.

Each segment's volume = head count x capture rate x yearly frequency, at three levels (low,
central, high). Head counts come from the census (phase 01), the telework pool (phase 02), the
survey (phase 03) or params; capture rates come from the survey when it publishes the indicator
a segment names (its weighted share and confidence interval, times a realisation rate: stated
wishes overstate actual use), else from params (`rates`). Every row says where each figure
came from.
"""

from __future__ import annotations

import pandas as pd

from pipeline.core.validate import require_columns
from pipeline.demand.rates import LEVELS, PARAMS_SOURCE, capture_rates, frequencies

SEGMENT_LABELS = {
    "teleworkers": "Actifs pouvant télétravailler près de chez eux",
    "independents": "Indépendants, artisans, commerçants et chefs d'entreprise",
    "job_seekers": "Demandeurs d'emploi",
    "students": "Étudiants et jeunes en formation",
    "digital_help": "Personnes ayant besoin d'aide avec le numérique",
    "organisations": "Entreprises et associations locales",
    "visitors": "Visiteurs (touristes, travailleurs de passage)",
}
BASE_SOURCES = {
    "teleworkers": "phase 02 : actifs dont l'emploi est télétravaillable et le trajet long",
    "independents": "recensement : artisans, commerçants et chefs d'entreprise",
    "job_seekers": "recensement : chômeurs de 15 à 64 ans",
    "students": "recensement : élèves et étudiants de 15 à 64 ans",
    "organisations": (
        "recensement (artisans, commerçants, chefs d'entreprise) + associations "
        "(paramètre par habitant)"
    ),
    "visitors": PARAMS_SOURCE,
}
CENSUS_COLUMNS = [
    "code",
    "population",
    "age_0014",
    "group_craftsmen",
    "unemployed_1564",
    "students_1564",
]
DEMAND_COLUMNS = [
    "segment",
    "label",
    "unit",
    "base",
    *LEVELS,
    "base_low",
    "base_high",
    "base_source",
    "capture_low",
    "capture_central",
    "capture_high",
    "capture_source",
    "frequency_low",
    "frequency_central",
    "frequency_high",
    "frequency_source",
    "users",
]
# What one "week" of each unit reads as, for the equivalents shown to readers.
UNIT_WEEKLY = {
    "mediation_sessions": "séances par semaine",
    "fablab_hours": "heures d'ouverture utilisées par semaine",
    "room_bookings": "réservations par semaine",
}


def study_zone_codes(communes: pd.DataFrame) -> list[str]:
    return list(communes.loc[communes["in_study_zone"], "code"])


def commune_bases(
    indicators: pd.DataFrame,
    telework_pool: pd.DataFrame,
    digital_rate: dict,
    associations_per_1000: float,
) -> pd.DataFrame:
    """Head count of each segment in each commune (long table: code, segment, base_low, base,
    base_high); only the digital-help share carries a range (the survey's interval)."""
    require_columns(indicators, CENSUS_COLUMNS, "01_portrait/indicators")
    require_columns(telework_pool, ["code", "telework_pool"], "02_mobility/telework_pool")
    census = indicators.set_index("code")
    pool = telework_pool.set_index("code")["telework_pool"].reindex(census.index).fillna(0.0)
    adults = census["population"] - census["age_0014"]
    counts = {
        "teleworkers": pool,
        "independents": census["group_craftsmen"],
        "job_seekers": census["unemployed_1564"],
        "students": census["students_1564"],
        "organisations": census["group_craftsmen"]
        + census["population"] * float(associations_per_1000) / 1000,
    }
    frames = [
        pd.DataFrame(
            {"code": census.index, "segment": name, "base_low": v, "base": v, "base_high": v}
        )
        for name, v in counts.items()
    ]
    frames.append(
        pd.DataFrame(
            {
                "code": census.index,
                "segment": "digital_help",
                **{
                    column: adults.to_numpy() * digital_rate[level]
                    for column, level in zip(["base_low", "base", "base_high"], LEVELS)
                },
            }
        )
    )
    table = pd.concat(frames, ignore_index=True)
    order = {name: i for i, name in enumerate(SEGMENT_LABELS)}
    table = table.assign(_o=table["segment"].map(order)).sort_values(["_o", "code"], kind="stable")
    return table.drop(columns="_o").reset_index(drop=True)


def zone_bases(
    by_commune: pd.DataFrame, codes, visitors_per_year: float, digital_source: str
) -> pd.DataFrame:
    """Head counts summed over the communes `codes`, plus the visitors (params), with the
    source of each (segment, base_low, base, base_high, base_source)."""
    zone = by_commune[by_commune["code"].isin(list(codes))]
    sums = zone.groupby("segment", sort=False)[["base_low", "base", "base_high"]].sum()
    sums.loc["visitors"] = [float(visitors_per_year)] * 3
    sources = {**BASE_SOURCES, "digital_help": f"recensement (15 ans ou plus) × {digital_source}"}
    sums["base_source"] = [sources.get(s, "") for s in sums.index]
    return sums.rename_axis("segment").reset_index()


def volumes(
    bases: pd.DataFrame,
    segments: dict,
    estimates: pd.DataFrame | None = None,
    realisation=None,
    survey_days: dict | None = None,
) -> pd.DataFrame:
    """One row per segment of params (checked by `DemandSettings`): head count, capture rate
    and frequency at each level, their sources, the yearly volumes low / central / high in the
    segment's unit (level by level: low = low head count x low capture x low frequency) and the
    regular users of the central hypothesis (head count x capture rate)."""
    known = dict(zip(bases["segment"], bases.to_dict("records")))
    factors = [float(r) for r in realisation] if realisation is not None else [1.0, 1.0, 1.0]
    rows = []
    for name, spec in segments.items():
        base = known[name]
        capture = capture_rates(spec, estimates, factors)
        frequency = frequencies(spec, estimates, survey_days)
        heads = dict(zip(LEVELS, [base["base_low"], base["base"], base["base_high"]]))
        rows.append(
            {
                "segment": name,
                "label": SEGMENT_LABELS.get(name, name),
                "unit": spec["unit"],
                "base": float(base["base"]),
                **{level: heads[level] * capture[level] * frequency[level] for level in LEVELS},
                "base_low": float(base["base_low"]),
                "base_high": float(base["base_high"]),
                "base_source": base.get("base_source", ""),
                **{f"capture_{level}": capture[level] for level in LEVELS},
                "capture_source": capture["source"],
                **{f"frequency_{level}": frequency[level] for level in LEVELS},
                "frequency_source": frequency["source"],
                "users": heads["central"] * capture["central"],
            }
        )
    return pd.DataFrame(rows, columns=DEMAND_COLUMNS)


def by_unit(demand: pd.DataFrame) -> pd.DataFrame:
    """Volumes summed by unit (a sum of lows is a prudent low: segments move together)."""
    return demand.groupby("unit", sort=False)[LEVELS].sum().reset_index()


def segments_by_commune(
    by_commune: pd.DataFrame, communes: pd.DataFrame, segments: dict
) -> pd.DataFrame:
    """Central head count of each segment of params in each commune of the territory (phase 08
    counts them around each site): code, nom, in_study_zone, segment, label, base."""
    table = by_commune[by_commune["segment"].isin(list(segments))]
    names = communes.set_index("code")
    return pd.DataFrame(
        {
            "code": table["code"].to_numpy(),
            "nom": table["code"].map(names["nom"]).to_numpy(),
            "in_study_zone": table["code"].map(names["in_study_zone"]).astype(bool).to_numpy(),
            "segment": table["segment"].to_numpy(),
            "label": table["segment"].map(SEGMENT_LABELS).to_numpy(),
            "base": table["base"].to_numpy(dtype=float),
        }
    )


def equivalents(demand_by_unit: pd.DataFrame, working_days: float) -> pd.DataFrame:
    """Each unit's volumes as something officials picture: desks occupied all year for desk
    days, else volume per opening week (working days / 5)."""
    weeks = float(working_days) / 5
    rows = []
    for _, row in demand_by_unit.iterrows():
        per = float(working_days) if row["unit"] == "desk_days" else weeks
        what = (
            "postes occupés à temps plein"
            if row["unit"] == "desk_days"
            else UNIT_WEEKLY.get(row["unit"], "par semaine")
        )
        rows.append({"unit": row["unit"], "what": what, **{lv: row[lv] / per for lv in LEVELS}})
    return pd.DataFrame(rows, columns=["unit", "what", *LEVELS])


def desk_equivalent(demand_by_unit: pd.DataFrame, working_days: float) -> pd.Series:
    """Full-time desks that the desk-day volumes would fill (low, central, high)."""
    desks = demand_by_unit.loc[demand_by_unit["unit"] == "desk_days", LEVELS].sum()
    return desks / float(working_days)
