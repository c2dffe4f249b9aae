"""INSEE census communal bases (base-cc): loading and indicators."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

AGE_BANDS = ["0014", "1529", "3044", "4559", "6074", "7589", "90P"]
AGE_LABELS = [
    "0-14 ans",
    "15-29 ans",
    "30-44 ans",
    "45-59 ans",
    "60-74 ans",
    "75-89 ans",
    "90 ans ou plus",
]
MODES = {
    "PAS": "Pas de transport",
    "MAR": "Marche",
    "VELO": "Vélo",
    "2ROUESMOT": "Deux-roues motorisé",
    "VOIT": "Voiture",
    "TCOM": "Transports en commun",
}


class CensusFormatError(ValueError):
    """A base-cc file does not have the expected shape."""


def read_base_cc(path: Path, codes: list[str] | None = None) -> pd.DataFrame:
    """Read a base-cc CSV (plain or zipped, `;`-separated) with CODGEO as text."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: census file not found")
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.namelist() if m.lower().endswith(".csv")]
            if len(members) != 1:
                raise CensusFormatError(f"{path}: expected one CSV in the zip, found {members}")
            with zf.open(members[0]) as fh:
                table = pd.read_csv(fh, sep=";", dtype={"CODGEO": str})
    else:
        table = pd.read_csv(path, sep=";", dtype={"CODGEO": str})
    if "CODGEO" not in table.columns:
        raise CensusFormatError(f"{path}: column CODGEO missing (is the separator ';'?)")
    if codes is not None:
        table = table[table["CODGEO"].isin(codes)]
    return table.reset_index(drop=True)


def column(table: pd.DataFrame, name: str, path: str = "census table") -> pd.Series:
    if name not in table.columns:
        raise CensusFormatError(
            f"{path}: expected column {name} (check the census vintage in params)"
        )
    return table[name].astype(float)


def indicators(population: pd.DataFrame, employment: pd.DataFrame, vintage: int) -> pd.DataFrame:
    """Per-commune indicators from the population and employment bases of one vintage."""
    yy = f"{vintage % 100:02d}"
    merged = population.merge(employment, on="CODGEO", how="inner", validate="one_to_one")
    c = lambda name: column(merged, name.format(yy=yy))  # noqa: E731
    out = pd.DataFrame({"code": merged["CODGEO"]})
    out["population"] = c("P{yy}_POP")
    earlier = int(yy) - 6
    if f"P{earlier:02d}_POP" in merged:
        out["population_earlier"] = column(merged, f"P{earlier:02d}_POP")
        out["annual_change"] = (out["population"] / out["population_earlier"]) ** (1 / 6) - 1
    for band in AGE_BANDS:
        out[f"age_{band}"] = c(f"P{{yy}}_POP{band}")
    out["men"] = c("P{yy}_POPH")
    out["women"] = c("P{yy}_POPF")
    out["pop_1564"] = c("P{yy}_POP1564")
    out["active_1564"] = c("P{yy}_ACT1564")
    out["employed_1564"] = c("P{yy}_ACTOCC1564")
    out["unemployed_1564"] = c("P{yy}_CHOM1564")
    out["students_1564"] = c("P{yy}_ETUD1564")
    out["employed_15p"] = c("P{yy}_ACTOCC15P")
    for mode in MODES:
        out[f"mode_{mode}"] = c(f"C{{yy}}_ACTOCC15P_{mode}")
    return out


def rates(table: pd.DataFrame) -> pd.DataFrame:
    """Activity, employment and unemployment rates and the car share of a table of counts."""
    return pd.DataFrame(
        {
            "activity_rate": table["active_1564"] / table["pop_1564"],
            "employment_rate": table["employed_1564"] / table["pop_1564"],
            "unemployment_rate": table["unemployed_1564"] / table["active_1564"],
            "car_share": table["mode_VOIT"] / table["employed_15p"],
        },
        index=table.index,
    )


def summarise(ind: pd.DataFrame, communes: pd.DataFrame, label: str) -> pd.DataFrame:
    """Indicators summed over the study zone and over the whole EPCI, then their rates."""
    derived = [
        "annual_change",
        "activity_rate",
        "employment_rate",
        "unemployment_rate",
        "car_share",
    ]
    counts = ind.drop(columns=[c for c in derived if c in ind]).merge(
        communes[["code", "in_study_zone"]], on="code"
    )
    numeric = counts.select_dtypes("number").columns
    zone = counts.loc[counts["in_study_zone"], numeric].sum().rename("Zone d'étude")
    whole = counts[numeric].sum().rename(label)
    out = pd.DataFrame([zone, whole])
    out = pd.concat([out, rates(out)], axis=1)
    if "population_earlier" in out:
        out["annual_change"] = (out["population"] / out["population_earlier"]) ** (1 / 6) - 1
    return out.reset_index(names="level")


def age_pyramid(summary: pd.DataFrame) -> pd.DataFrame:
    """Age structure (share of each band) of each level, long format."""
    long = summary.melt(
        id_vars="level",
        value_vars=[f"age_{b}" for b in AGE_BANDS],
        var_name="band",
        value_name="count",
    )
    long["age"] = long["band"].map(dict(zip([f"age_{b}" for b in AGE_BANDS], AGE_LABELS)))
    long["share"] = long["count"] / long.groupby("level")["count"].transform("sum")
    return long[["level", "age", "count", "share"]]
