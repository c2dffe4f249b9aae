"""Phase 10, legal forms and governance scheme: legal forms scored on weighted criteria, and
the bodies of the recommended form.

Every criterion of `data/raw/formes_juridiques.csv` is scored from 1 to 5, 5 being the most
favourable to the project (for `governance_cost`, 5 means the lightest governance). The bodies
of each form (who sits, their role, how often they meet) are data, in
`data/raw/gouvernance_instances.csv`: the scheme shown is the recommended form's rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import (
    InputFileError,
    non_empty,
    number,
    one_of,
    read_checked_csv,
    to_integers,
)

LEGAL_FORMS_FILE = "data/raw/formes_juridiques.csv"
SCHEME_FILE = "data/raw/gouvernance_instances.csv"
SCORE_RANGE = (1, 5)
SCHEME_COLUMNS = ["forme", "ordre", "instance", "composition", "role", "frequence"]


# --- legal forms ----------------------------------------------------------------------------


def legal_forms_schema(criteria: list[str]) -> pa.DataFrameSchema:
    low, high = SCORE_RANGE
    return pa.DataFrameSchema(
        {
            "forme": pa.Column(str, non_empty(), unique=True, report_duplicates="exclude_first"),
            **{c: pa.Column(str, number(low, high, integer=True)) for c in criteria},
        }
    )


def read_legal_forms(path: Path, criteria: list[str]) -> pd.DataFrame:
    """The legal forms grid, checked: every criterion present, every score an integer 1-5.

    Errors name the file, the line (header = line 1) and the column at fault.
    """
    forms = read_checked_csv(path, legal_forms_schema(criteria))
    return to_integers(forms, criteria)


def score_forms(forms: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Weighted sum of the criteria, rank 1 = best; the best form is recommended."""
    criteria = list(weights)
    score = sum(float(w) * forms[c] for c, w in weights.items())
    table = forms.assign(score=score.astype(float))
    table["rank"] = table["score"].rank(ascending=False, method="min").astype(int)
    table = table.sort_values(["rank", "forme"], kind="stable").reset_index(drop=True)
    table["recommended"] = table.index == 0
    extra = [c for c in ("description", "source") if c in table.columns]
    return table[["forme", "score", "rank", "recommended", *criteria, *extra]]


# --- governance scheme ----------------------------------------------------------------------


def read_scheme(path: Path, forms: list[str]) -> pd.DataFrame:
    """Bodies of each legal form, checked: every form of the grid has at least one body, and
    each (form, order) pair appears once. Errors name the file, line, column and value."""
    text = pa.Column(str, non_empty())
    schema = pa.DataFrameSchema(
        {
            "forme": pa.Column(str, one_of(forms)),
            "ordre": pa.Column(str, number(1, integer=True)),
            "instance": text,
            "composition": text,
            "role": text,
            "frequence": text,
        },
        strict=True,
        unique=["forme", "ordre"],
        report_duplicates="exclude_first",
    )
    table = read_checked_csv(path, schema)
    absent = [f for f in forms if f not in set(table["forme"])]
    if absent:
        raise InputFileError(
            f"{path}: column 'forme': expected at least one body for every form of "
            f"{LEGAL_FORMS_FILE}, found none for {', '.join(absent)}"
        )
    return to_integers(table, ["ordre"])[SCHEME_COLUMNS]


def governance_scheme(scheme: pd.DataFrame, form: str) -> pd.DataFrame:
    """The bodies of `form`, in their order."""
    rows = scheme.loc[scheme["forme"] == form].sort_values("ordre", kind="stable")
    if rows.empty:
        raise ValueError(f"{SCHEME_FILE}: no body for the recommended form {form!r}")
    return rows.reset_index(drop=True)
