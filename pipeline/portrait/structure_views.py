"""Phase 01 readers' views of the census by IRIS (RP2021), in French: age bands by commune,
population and housing of the zone and the EPCI, housing by commune, the IRIS of the study
zone, and how the study's communes match the file's 2024 geography."""

from __future__ import annotations

import pandas as pd

from pipeline.core import figures, fmt
from pipeline.core.mdtext import Md, join, md
from pipeline.sources import iris

AGE_SHARES = {"share_0_19": "0-19 ans", "share_20_64": "20-64 ans", "share_65p": "65 ans ou plus"}
# Row of the levels' table -> (its label, how its value is written).
LEVEL_ROWS = {
    "pop": ("Population (RP2021)", fmt.number),
    "share_0_19": ("Part des 0-19 ans", fmt.percent),
    "share_20_64": ("Part des 20-64 ans", fmt.percent),
    "share_65p": ("Part des 65 ans ou plus", fmt.percent),
    "logements": ("Logements", fmt.number),
    "share_main_homes": ("Part des résidences principales", fmt.percent),
    "share_secondary_homes": ("Part des résidences secondaires et logements occasionnels", fmt.percent),
    "share_vacant": ("Part des logements vacants", fmt.percent),
    "share_houses": ("Part des maisons", fmt.percent),
    "share_apartments": ("Part des appartements", fmt.percent),
    "share_main_in_apartment": ("Part des résidences principales en appartement", fmt.percent),
}  # fmt: skip
HOUSING_COLUMNS = {
    "logements": "Logements",
    "res_principales": "Résidences principales",
    "share_secondary_homes": "Part des résidences secondaires",
    "share_vacant": "Part des logements vacants",
    "share_houses": "Part des maisons",
    "share_apartments": "Part des appartements",
}


def _ordered(communes: pd.DataFrame) -> pd.DataFrame:
    """Communes of the study zone first, then the others, each by decreasing population."""
    return communes.sort_values(["in_study_zone", "pop"], ascending=[False, False], kind="stable")


def age_figure(communes: pd.DataFrame, summary: pd.DataFrame):
    """Stacked bars of the three age bands' shares: the study zone and the EPCI, then each
    commune (those of the study zone first)."""
    rows = pd.concat([summary.rename(columns={"level": "nom"}), _ordered(communes)])
    rows = rows[rows["pop"] > 0]
    long = rows.melt(id_vars="nom", value_vars=list(AGE_SHARES), var_name="key", value_name="share")
    long["age"] = long["key"].map(AGE_SHARES)
    fig = figures.bar(long, x="share", y="nom", color="age", orientation="h", barmode="stack",
                      title=f"Population par grande tranche d'âge ({iris.VINTAGE})",
                      labels={"share": "Part de la population", "nom": "", "age": ""},
                      category_orders={"nom": list(rows["nom"]), "age": list(AGE_SHARES.values())})  # fmt: skip
    fig.update_xaxes(tickformat=".0%", range=[0, 1])
    fig.update_layout(height=160 + 24 * len(rows), legend={"orientation": "h", "y": -0.1})
    return fig


def levels_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Population and housing of the study zone beside the whole EPCI, in French."""
    return pd.DataFrame(
        {r["level"]: [f(r[k]) for k, (_, f) in LEVEL_ROWS.items()] for _, r in summary.iterrows()},
        index=pd.Index([label for label, _ in LEVEL_ROWS.values()], name="Indicateur"),
    ).reset_index()


def housing_table(communes: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Dwellings of each commune (study zone first), then of the zone and the EPCI."""
    rows = pd.concat([_ordered(communes), summary.rename(columns={"level": "nom"})])
    zone = rows["in_study_zone"].map({True: "oui", False: "non"}).fillna("—")
    table = pd.DataFrame({"Commune ou ensemble": rows["nom"], "Zone d'étude": zone})
    for key, label in HOUSING_COLUMNS.items():
        shown = fmt.percent if key.startswith("share_") else fmt.number
        table[label] = rows[key].map(shown)
    return table.reset_index(drop=True)


def _split(detail: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """IRIS of the study zone's split communes, or, if none is split, of the EPCI's."""
    split = detail[detail["typ_iris"] != iris.NOT_SPLIT]
    zone = split[split["in_study_zone"]]
    return (zone, True) if len(zone) else (split, False)


def iris_table(detail: pd.DataFrame) -> pd.DataFrame:
    """One row per IRIS of the communes split into IRIS (see `_split`), in French."""
    rows, _ = _split(detail)
    rows = rows.sort_values(["in_study_zone", "nom", "iris"], ascending=[False, True, True])
    return pd.DataFrame({
        "Commune": rows["nom"],
        "Zone d'étude": rows["in_study_zone"],
        "Code IRIS": rows["iris"],
        "Type": rows["typ_iris"].map(iris.IRIS_TYPES),
        "Label de qualité (Insee)": rows["lab_iris"],
        "Population": rows["pop"].map(fmt.number),
        "Part des 65 ans ou plus": rows["share_65p"].map(fmt.percent),
        "Logements": rows["logements"].map(fmt.number),
        "Part des logements vacants": rows["share_vacant"].map(fmt.percent),
        "Part des appartements": rows["share_apartments"].map(fmt.percent),
    }).reset_index(drop=True)  # fmt: skip


def iris_text(detail: pd.DataFrame) -> Md:
    """What the IRIS table shows: the study zone's split communes, the EPCI's, or nothing."""
    rows, in_zone = _split(detail)
    names = join(", ", dict.fromkeys(rows["nom"]))
    if detail.empty:
        return Md("Le fichier par IRIS ne contient aucune commune de l'étude.")
    if rows.empty:
        return Md("Aucune commune de l'EPCI n'est découpée en IRIS : le recensement n'y est "
                  "diffusé qu'à l'échelle de la commune.")  # fmt: skip
    if in_zone:
        return md("Communes de la zone d'étude découpées en IRIS : {}.", names)
    return md("Aucune commune de la zone d'étude n'est découpée en IRIS (le recensement n'y est "
              "diffusé qu'à l'échelle de la commune) ; le tableau montre, pour comparaison, les "
              "IRIS des communes découpées du reste de l'EPCI : {}.", names)  # fmt: skip


def geography_text(geography: pd.DataFrame) -> Md:
    """How the study's communes match the 2024 geography of the census by IRIS, in words."""
    items = []
    for r in geography.itertuples():
        codes = r.codes_2024.split("|")
        if r.match == "absent":
            items.append(md("**{} ({})** est absente du fichier : ses effectifs manquent aux "
                            "totaux de la zone et de l'EPCI.", r.nom, r.code))  # fmt: skip
            continue
        if r.match == "regrouped":
            items.append(md("**{} ({})** est comptée avec les codes de 2024 {} (arrondissements, "
                            "communes fusionnées ou ancien code).", r.nom, r.code,
                            ", ".join(codes)))  # fmt: skip
        if r.to_check:
            items.append(md("**{} ({})** : {} habitants au recensement de 2021 contre {} en "
                            "population légale ({}) ; écart à vérifier (fusion ou scission "
                            "après 2024 ?).", r.nom, r.code, fmt.number(r.population_rp2021),
                            fmt.number(r.population), fmt.percent(r.population_gap)))  # fmt: skip
    if not items and len(geography) == 1:
        return Md("La commune de l'étude a son code dans la géographie de 2024 du fichier, et sa "
                  "population de 2021 est cohérente avec sa population légale.")  # fmt: skip
    if not items:
        return md("Les {} communes de l'étude ont chacune leur code dans la géographie de 2024 du "
                  "fichier, et leur population de 2021 est cohérente avec leur population légale.",
                  fmt.number(len(geography)))  # fmt: skip
    return Md("\n".join(f"- {item}" for item in items))
