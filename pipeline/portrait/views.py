"""Phase 01 readers' views: the population and key-indicator tables, the age pyramid, shares
and maps, in French."""

from __future__ import annotations

import pandas as pd
import plotly.express as px

from pipeline.core import figures, fmt
from pipeline.core.vocabulary import FUNCTIONS_SHORT
from pipeline.sources.census import SEX_BANDS


def population_table(communes: pd.DataFrame) -> pd.DataFrame:
    """The population table shown to readers: one row per commune, study zone first."""
    table = communes.sort_values(["in_study_zone", "population"], ascending=[False, False])
    return pd.DataFrame({
        "Commune": table["nom"],
        "Code Insee": table["code"],
        "Zone d'étude": table["in_study_zone"],
        "Population municipale": table["population"],
        "Superficie (km²)": table["area_km2"],
        "Densité (hab./km²)": table["density"],
    }).reset_index(drop=True)  # fmt: skip


SUMMARY_ROWS = {
    "population": ("Population (recensement)", lambda v: fmt.number(v)),
    "annual_change": ("Évolution annuelle moyenne sur 6 ans", lambda v: fmt.percent(v, 2)),
    "share_0014": ("Part des moins de 15 ans", fmt.percent),
    "share_60p": ("Part des 60 ans ou plus", fmt.percent),
    "activity_rate": ("Taux d'activité des 15-64 ans", fmt.percent),
    "employment_rate": ("Taux d'emploi des 15-64 ans", fmt.percent),
    "unemployment_rate": ("Taux de chômage des 15-64 ans (au sens du recensement)", fmt.percent),
    "share_managers": ("Part des cadres parmi les 15 ans ou plus", fmt.percent),
    "share_workers_employees": (
        "Part des employés et ouvriers parmi les 15 ans ou plus",
        fmt.percent,
    ),
    "share_no_diploma": (
        "Sans diplôme ou certificat d'études (non scolarisés 15 ans ou plus)",
        fmt.percent,
    ),
    "share_higher_education": (
        "Diplômés du supérieur (non scolarisés 15 ans ou plus)",
        fmt.percent,
    ),
    "car_share": ("Actifs occupés allant travailler en voiture", fmt.percent),
    "transit_share": ("Actifs occupés allant travailler en transports en commun", fmt.percent),
}


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Key indicators of the study zone beside the whole EPCI, formatted in French."""
    rows = {key: spec for key, spec in SUMMARY_ROWS.items() if key in summary}
    return pd.DataFrame(
        {r["level"]: [f(r[key]) for key, (_, f) in rows.items()] for _, r in summary.iterrows()},
        index=pd.Index([label for label, _ in rows.values()], name="Indicateur"),
    ).reset_index()


def pyramid_figure(pyramid: pd.DataFrame):
    """Age pyramid: men to the left, women to the right, one panel per level."""
    shown = pyramid.assign(
        value=pyramid["share"].where(pyramid["sex"] == "Femmes", -pyramid["share"])
    )
    fig = px.bar(shown, x="value", y="age", color="sex", facet_col="level", orientation="h",
                 title="Pyramide des âges (part de la population)",
                 labels={"value": "Part de la population", "age": "", "sex": "", "level": ""},
                 category_orders={"age": list(SEX_BANDS.values())})  # fmt: skip
    fig.update_layout(barmode="relative", bargap=0.05)
    fig.update_xaxes(tickformat=".0%", tickprefix="")
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    return fig


def shares_figure(long: pd.DataFrame, category: str, title: str):
    """Shares of each category, study zone beside the EPCI."""
    fig = figures.bar(long, x="share", y=category, color="level", barmode="group", orientation="h",
                      title=title, labels={"share": "Part", category: "", "level": ""})  # fmt: skip
    fig.update_xaxes(tickformat=".0%")
    fig.update_layout(height=420, legend={"orientation": "h", "y": -0.15})
    return fig


def commune_map(communes, column: str, title: str, label: str, percent: bool = False,
                indicators: pd.DataFrame | None = None):  # fmt: skip
    """Choropleth of one per-commune figure, the study zone outlined: a column of `communes`,
    or of `indicators` (phase 01's indicators by commune) when given."""
    data = (
        communes if indicators is None else communes.merge(indicators[["code", column]], on="code")
    )
    outline = communes.loc[communes["in_study_zone"], "geometry"]
    return figures.choropleth(data, column, title, label, outline=outline, percent=percent)


def strategy_table(actions: pd.DataFrame) -> pd.DataFrame:
    """The territory's digital strategy, one row per action: its pillar, cost, funders and the
    tiers-lieu functions mapped to it (« — » when none: a tiers-lieu does not serve it)."""

    def listed(text: str, names: dict | None = None) -> str:
        items = [i.strip() for i in str(text).split("|") if i.strip()]
        return ", ".join((names or {}).get(i, i) for i in items) or "—"

    return pd.DataFrame(
        {
            "N°": actions["numero"].map(fmt.number),
            "Pilier": actions["pilier"],
            "Action": actions["action"],
            "Coût (k€)": actions["cout_keur"].map(fmt.number),
            "Financeurs": actions["financeurs"].map(listed),
            "Fonctions d'un tiers-lieu qui y contribuent": actions["fonctions_tiers_lieu"].map(
                lambda text: listed(text, FUNCTIONS_SHORT)
            ),
        }
    )
