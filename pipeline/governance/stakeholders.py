"""Phase 10, stakeholders: the partners a territory's call for tenders names (its file's
`call.stakeholders`: what each brings, what it seeks, its college), each seated where the
recommended legal form seats its college (data/raw/gouvernance_colleges.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import InputFileError, non_empty, one_of, read_checked_csv
from pipeline.core.vocabulary import COLLEGES

COLLEGES_FILE = "data/raw/gouvernance_colleges.csv"
COLUMNS = ["name", "college", "college_label", "brings", "seeks", "seat"]


def read_colleges(path: Path, forms: list[str]) -> pd.DataFrame:
    """Where each legal form seats each college, checked: one row per form and college."""
    schema = pa.DataFrameSchema(
        {
            "forme": pa.Column(str, one_of(forms)),
            "college": pa.Column(str, one_of(list(COLLEGES))),
            "place": pa.Column(str, non_empty()),
        },
        strict=True,
        unique=["forme", "college"],
        report_duplicates="exclude_first",
    )
    table = read_checked_csv(path, schema)
    have = set(zip(table["forme"], table["college"]))
    missing = [f"{f}/{c}" for f in forms for c in COLLEGES if (f, c) not in have]
    if missing:
        raise InputFileError(
            f"{path}: expected a row for every legal form and college, missing {', '.join(missing)}"
        )
    return table


def stakeholders(call: dict | None, colleges: pd.DataFrame, form: str) -> pd.DataFrame:
    """The call's stakeholders with their college and their seat in legal form `form` (no
    call: no row)."""
    people = (call or {}).get("stakeholders", [])
    seats = colleges.loc[colleges["forme"] == form].set_index("college")["place"]
    return pd.DataFrame(
        {
            "name": [p["name"] for p in people],
            "college": [p["college"] for p in people],
            "college_label": [COLLEGES[p["college"]] for p in people],
            "brings": [p["brings"] for p in people],
            "seeks": [p["seeks"] for p in people],
            "seat": [seats[p["college"]] for p in people],
        },
        columns=COLUMNS,
    ).astype("str")
