"""Phase 01 indicators: census counts summed over the study zone and the EPCI, their rates and
shares, and the long tables of age, sex, socio-professional group, diploma and commuting mode."""

from __future__ import annotations

import pandas as pd

from pipeline.portrait.outputs import ZONE_LEVEL
from pipeline.sources.census import AGE_BANDS, DIPLOMAS, EARLIER_YEARS, GROUPS, MODES, SEX_BANDS


def rates(counts: pd.DataFrame) -> pd.DataFrame:
    """Rates and shares computed from a table of counts (per commune or summed)."""
    out = pd.DataFrame(index=counts.index)
    if "population_earlier" in counts:
        growth = counts["population"] / counts["population_earlier"]
        out["annual_change"] = growth ** (1 / EARLIER_YEARS) - 1
    out["activity_rate"] = counts["active_1564"] / counts["pop_1564"]
    out["employment_rate"] = counts["employed_1564"] / counts["pop_1564"]
    out["unemployment_rate"] = counts["unemployed_1564"] / counts["active_1564"]
    out["car_share"] = counts["mode_VOIT"] / counts["employed_15p"]
    out["transit_share"] = counts["mode_TCOM"] / counts["employed_15p"]
    out["share_60p"] = (
        counts[["age_6074", "age_7589", "age_90P"]].sum(axis=1) / counts["population"]
    )
    out["share_0014"] = counts["age_0014"] / counts["population"]
    groups = counts[[f"group_{k}" for k in GROUPS]].sum(axis=1)
    out["share_managers"] = counts["group_managers"] / groups
    out["share_workers_employees"] = (counts["group_workers"] + counts["group_employees"]) / groups
    out["share_no_diploma"] = counts["diploma_DIPLMIN"] / counts["out_of_school_15p"]
    higher = counts[["diploma_SUP2", "diploma_SUP34", "diploma_SUP5"]].sum(axis=1)
    out["share_higher_education"] = higher / counts["out_of_school_15p"]
    return out


def summarise(counts: pd.DataFrame, communes: pd.DataFrame, epci_label: str) -> pd.DataFrame:
    """Counts summed over the study zone and over the whole EPCI, then their rates."""
    merged = counts.merge(communes[["code", "in_study_zone"]], on="code", validate="one_to_one")
    numeric = counts.select_dtypes("number").columns
    zone = merged.loc[merged["in_study_zone"], numeric].sum().rename(ZONE_LEVEL)
    whole = merged[numeric].sum().rename(epci_label)
    sums = pd.DataFrame([zone, whole])
    return pd.concat([sums, rates(sums)], axis=1).reset_index(names="level")


def _long(summary: pd.DataFrame, prefix: str, labels: dict, name: str) -> pd.DataFrame:
    columns = [f"{prefix}{key}" for key in labels]
    long = summary.melt(id_vars="level", value_vars=columns, var_name="key", value_name="count")
    long[name] = long["key"].str.removeprefix(prefix).map(labels)
    long["share"] = long["count"] / long.groupby("level")["count"].transform("sum")
    return long[["level", name, "count", "share"]]


def age_structure(summary: pd.DataFrame) -> pd.DataFrame:
    return _long(summary, "age_", AGE_BANDS, "age")


def pyramid(summary: pd.DataFrame) -> pd.DataFrame:
    """Population by sex and age band, as shares of each level's population."""
    men = _long(summary, "men_", SEX_BANDS, "age").assign(sex="Hommes")
    women = _long(summary, "women_", SEX_BANDS, "age").assign(sex="Femmes")
    both = pd.concat([men, women], ignore_index=True)
    both["share"] = both["count"] / both.groupby("level")["count"].transform("sum")
    return both[["level", "sex", "age", "count", "share"]]


def socio_groups(summary: pd.DataFrame) -> pd.DataFrame:
    return _long(summary, "group_", {k: g[0] for k, g in GROUPS.items()}, "group")


def diploma_levels(summary: pd.DataFrame) -> pd.DataFrame:
    return _long(summary, "diploma_", DIPLOMAS, "diploma")


def commuting_modes(summary: pd.DataFrame) -> pd.DataFrame:
    return _long(summary, "mode_", MODES, "mode")
