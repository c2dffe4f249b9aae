"""Phase 06's inputs: the benchmark grid of comparable tiers-lieux (one file per territory) and
the national reference figures (real figures, shared by all territories), checked and read.

A grid holding a header alone reads as no comparable place, with a warning.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from pipeline.core.sheets import input_file, read_checked_table
from pipeline.core.validate import (
    list_of,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    row_check,
    to_numbers,
    warn_empty,
)
from pipeline.core.vocabulary import FUNCTIONS_SHORT, PLACE_KINDS

BENCHMARK_FILE = "benchmark_tiers_lieux.csv"
REFERENCES_FILE = "references_tiers_lieux.csv"  # real figures, shared by all territories
TERRITORY_TYPES = ["rural", "bourg", "ville moyenne"]
# `fonctions` of the grid -> label shown, in the order of the benchmark table's has_<function>
# columns: four of the five functions with their short label, project support in the benchmark's
# own wording, and two services a comparable place may offer besides.
FUNCTIONS = {
    **{
        f: FUNCTIONS_SHORT[f]
        for f in ("coworking", "occasional_telework", "fablab", "digital_mediation")
    },
    "project_support": "accompagnement de projets",
    "training": "formation",
    "cafe": "café-restauration",
}
LEGAL_FORMS = ["association", "SCIC", "SCOP", "SAS", "SARL", "régie", "SPL", "autre"]
COLUMNS = {  # file column -> name in the code
    "nom": "name",
    "territoire": "territory",
    "type_territoire": "territory_type",
    "surface_m2": "surface_m2",
    "fonctions": "functions",
    "prix_jour_eur": "price_day_eur",
    "prix_mois_eur": "price_month_eur",
    "etp": "fte",
    "chiffre_affaires_eur": "revenue_eur",
    "part_financement_public": "public_share",
    "forme_juridique": "legal_form",
    "annee_ouverture": "opening_year",
}
# Optional columns: the kind of place (an empty cell or no column: a tiers-lieu) and the share of
# its resources from private partners (sponsorship, companies, foundations).
KIND = "type_lieu"
PRIVATE = "part_financement_prive"
OPTIONAL = {KIND: "kind", PRIVATE: "private_share"}  # file column -> name in the code
DEFAULT_KIND = PLACE_KINDS[0]
# Optional revenue mix: own revenue by source, as shares of total revenue; with the public and
# private funding shares they add up to 1.
REVENUE_MIX = {  # file column -> name in the code
    "part_recettes_espaces": "spaces_share",
    "part_recettes_prestations": "services_share",
    "part_recettes_animation": "events_share",
}
MIX_TOLERANCE = 0.02
NUMERIC = [
    "surface_m2",
    "prix_jour_eur",
    "prix_mois_eur",
    "etp",
    "chiffre_affaires_eur",
    "part_financement_public",
    "annee_ouverture",
    PRIVATE,
    *REVENUE_MIX,
]


def _shares(df: pd.DataFrame, columns: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """The share columns as numbers, and whether a row holds a value that is not one (the
    column's own check reports it: the checks across columns let that row pass)."""
    parts = df[columns].apply(pd.to_numeric, errors="coerce")
    return parts, (parts.isna() & (df[columns] != "")).any(axis=1)


def _mix_adds_up(df: pd.DataFrame) -> pd.Series:
    """Public share, private share (when its column is there) and the revenue mix close to 1,
    when the mix is given (all or none)."""
    given = [c for c in REVENUE_MIX if c in df]
    if not given:
        return pd.Series(True, index=df.index)
    mix = [c for c in (PRIVATE, *REVENUE_MIX) if c in df]
    parts, unreadable = _shares(df, ["part_financement_public", *mix])
    empty = (df[given] == "").all(axis=1)
    complete = (df[mix] != "").all(axis=1)
    adds_up = (parts.sum(axis=1) - 1).abs() <= MIX_TOLERANCE + 1e-9
    return empty | unreadable | (complete & adds_up)


def _funding_within_resources(df: pd.DataFrame) -> pd.Series:
    """Public plus private funding of at most the whole of the resources."""
    if PRIVATE not in df:
        return pd.Series(True, index=df.index)
    parts, unreadable = _shares(df, ["part_financement_public", PRIVATE])
    return unreadable | (parts.sum(axis=1) <= 1 + MIX_TOLERANCE + 1e-9)


MIX_CHECK = row_check(
    ["part_financement_public", PRIVATE, *REVENUE_MIX],
    _mix_adds_up,
    f"part_financement_public, {PRIVATE} (when its column is there) and the "
    f"{', '.join(REVENUE_MIX)} shares all given and adding up to 1 (within {MIX_TOLERANCE:g}), "
    "or the three revenue shares left empty",
)
FUNDING_CHECK = row_check(
    ["part_financement_public", PRIVATE],
    _funding_within_resources,
    f"part_financement_public plus {PRIVATE} of at most 1 (within {MIX_TOLERANCE:g})",
)


def benchmark_schema() -> pa.DataFrameSchema:
    optional = {
        KIND: pa.Column(checks=one_of(PLACE_KINDS, optional=True), required=False),
        **{
            column: pa.Column(checks=number(0, 1, optional=True), required=False)
            for column in [PRIVATE, *REVENUE_MIX]
        },
    }
    return pa.DataFrameSchema(
        {
            "nom": pa.Column(checks=non_empty(), unique=True, report_duplicates="exclude_first"),
            "territoire": pa.Column(checks=non_empty()),
            "type_territoire": pa.Column(checks=one_of(TERRITORY_TYPES)),
            "surface_m2": pa.Column(checks=number(1)),
            "fonctions": pa.Column(checks=list_of(list(FUNCTIONS), optional=False)),
            "prix_jour_eur": pa.Column(checks=number(0, optional=True)),
            "prix_mois_eur": pa.Column(checks=number(0, optional=True)),
            "etp": pa.Column(checks=number(0)),
            "chiffre_affaires_eur": pa.Column(checks=number(0)),
            "part_financement_public": pa.Column(checks=number(0, 1)),
            "forme_juridique": pa.Column(checks=one_of(LEGAL_FORMS)),
            "annee_ouverture": pa.Column(checks=number(1900, 2100, integer=True)),
            **optional,
        },
        checks=[MIX_CHECK, FUNDING_CHECK],
        strict=True,
    )


def references_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "indicateur": pa.Column(
                checks=non_empty(), unique=True, report_duplicates="exclude_first"
            ),
            "valeur": pa.Column(checks=number()),
            "unite": pa.Column(checks=non_empty()),
            "annee": pa.Column(checks=number(1900, 2100, optional=True, integer=True)),
            "source": pa.Column(checks=non_empty()),
        },
        strict=True,
    )


def read_benchmark(path: Path) -> pd.DataFrame:
    """The benchmark grid (CSV, or the first sheet of an .xlsx or .ods file of the same name)
    with English names: the kind of place is a tiers-lieu when not given; the private share and
    the revenue mix are NaN when not given. A header alone reads as no comparable place, with a
    warning."""
    path = input_file(path)
    table = read_checked_table(path, benchmark_schema())
    table = warn_empty(table, path, "place", "no comparable place")
    kinds = table[KIND] if KIND in table else pd.Series("", index=table.index, dtype=str)
    table[KIND] = kinds.replace("", DEFAULT_KIND)
    table = to_numbers(table, NUMERIC)
    for column in [PRIVATE, *REVENUE_MIX]:
        if column not in table:
            table[column] = np.nan
    names = {**COLUMNS, **OPTIONAL, **REVENUE_MIX}
    return table[list(names)].rename(columns=names)


def read_references(path: Path) -> pd.DataFrame:
    table = to_numbers(read_checked_csv(path, references_schema()), ["valeur", "annee"])
    return table.rename(
        columns={
            "indicateur": "indicator",
            "valeur": "value",
            "unite": "unit",
            "annee": "year",
            "source": "source",
        }
    )
