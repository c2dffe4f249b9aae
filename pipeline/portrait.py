"""Phase 01, territory portrait: communes, legal populations, census indicators."""

from __future__ import annotations

import pandas as pd

from pipeline import census
from pipeline.phase import Phase
from pipeline.territory import epci_name, territory_base


def census_files(vintage: int) -> dict[str, str]:
    return {
        "population": f"base-cc-evol-struct-pop-{vintage}.zip",
        "employment": f"base-cc-emploi-pop-active-{vintage}.zip",
    }


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase: territory base, indicators, zone summary, age pyramid."""
    inputs = phase.params["inputs"]
    communes = territory_base(
        phase.territory, phase.root / inputs["populations"], inputs["population_vintage"]
    )
    vintage = int(phase.params["portrait"]["census_vintage"])
    files = census_files(vintage)
    codes = list(communes["code"])
    population = census.read_base_cc(phase.raw_dir / files["population"], codes)
    employment = census.read_base_cc(phase.raw_dir / files["employment"], codes)
    indicators = census.indicators(population, employment, vintage)
    indicators = pd.concat([indicators, census.rates(indicators)], axis=1)
    summary = census.summarise(indicators, communes, epci_name(phase.territory["epci"]))
    return {
        "communes": communes,
        "indicators": indicators,
        "summary": summary,
        "age_pyramid": census.age_pyramid(summary),
    }


def population_table(communes: pd.DataFrame) -> pd.DataFrame:
    """The population table shown to readers: one row per commune, study zone first."""
    table = communes.sort_values(["in_study_zone", "population"], ascending=[False, False])
    return pd.DataFrame(
        {
            "Commune": table["nom"],
            "Code Insee": table["code"],
            "Zone d'étude": table["in_study_zone"],
            "Population municipale": table["population"],
            "Superficie (km²)": table["area_km2"],
            "Densité (hab./km²)": table["density"],
        }
    ).reset_index(drop=True)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Key indicators of the study zone beside the whole EPCI, formatted in French."""
    from pipeline import fmt

    rows = {
        "Population (recensement)": lambda r: fmt.number(r["population"]),
        "Évolution annuelle moyenne": lambda r: fmt.percent(
            r.get("annual_change", float("nan")), 2
        ),
        "Taux d'activité des 15-64 ans": lambda r: fmt.percent(r["activity_rate"]),
        "Taux d'emploi des 15-64 ans": lambda r: fmt.percent(r["employment_rate"]),
        "Taux de chômage des 15-64 ans": lambda r: fmt.percent(r["unemployment_rate"]),
        "Actifs occupés allant travailler en voiture": lambda r: fmt.percent(r["car_share"]),
    }
    return pd.DataFrame(
        {r["level"]: [f(r) for f in rows.values()] for _, r in summary.iterrows()},
        index=pd.Index(list(rows), name="Indicateur"),
    ).reset_index()
