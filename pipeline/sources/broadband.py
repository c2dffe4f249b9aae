"""ARCEP's fixed broadband eligibility by commune ("Ma connexion internet" open data).

The statistics by commune of a quarter (`statistiques/<YYYY>_T<n>/commune/`) include
`commune_techno.csv`: `;`-separated, UTF-8, one row per commune (`type` = `all`) with its
premises `nbr` and the premises eligible to each technology, `elig_ftth` for fibre to the home
(the other columns, `elig_coax`, `elig_cu`…, overlap: a premises counts under each technology
it can get). The FttH coverage of a commune is `elig_ftth / nbr`. The national file holds
35 000 communes: only the territory's rows are checked. Sources: data/raw/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipeline.core.validate import (
    INSEE_CODE,
    InputFileError,
    check_table,
    csv_records,
    iso_date,
    matches,
    number,
    row_check,
    to_numbers,
)

BROADBAND_FILE = "commune_techno.csv"
BROADBAND_QUARTER = "2026_T1"  # the quarter `make fetch` downloads (data/raw/README.md)
SEPARATOR = ";"
ALL = "all"  # the only `type` of the published rows: every premises


def broadband_schema() -> pa.DataFrameSchema:
    """The columns read; the file has others (one per technology, the commune's names)."""
    count = number(0, integer=True)
    return pa.DataFrameSchema(
        {
            "code_insee": pa.Column(checks=matches(INSEE_CODE, "an INSEE commune code")),
            "nbr": pa.Column(checks=count),
            "type": pa.Column(required=False),
            "elig_ftth": pa.Column(checks=count),
            "date": pa.Column(checks=iso_date(optional=True), required=False),
        },
        checks=row_check(
            ["elig_ftth", "nbr"],
            lambda df: (
                pd.to_numeric(df["elig_ftth"], errors="coerce").fillna(0)
                <= pd.to_numeric(df["nbr"], errors="coerce").fillna(float("inf"))
            ),
            "elig_ftth at most nbr (premises eligible to FttH among the commune's)",
        ),
    )


def read_broadband(path: Path, codes: list[str]) -> pd.DataFrame:
    """FttH coverage of the communes `codes`: code_insee, premises, ftth (eligible premises),
    ftth_share (NaN for a commune without premises), date (end of the quarter). A commune
    the file lacks has no row (its coverage is unknown)."""
    header, records = csv_records(Path(path), SEPARATOR)
    if "code_insee" not in header:
        raise InputFileError(
            f"{path}, line 1: column code_insee missing (ARCEP's commune_techno.csv has "
            f"code_insee;nom_com;…;nbr;type;elig_ftth;…); found {', '.join(header[:8])}"
        )
    at, wanted = header.index("code_insee"), set(codes)
    kind = header.index("type") if "type" in header else None
    mine = [(line, fields) for line, fields in records
            if len(fields) > at and fields[at].strip() in wanted
            and (kind is None or fields[kind].strip() == ALL)]  # fmt: skip
    table = to_numbers(check_table(header, mine, broadband_schema(), path), ["nbr", "elig_ftth"])
    duplicated = table["code_insee"].duplicated()
    if duplicated.any():
        line = table.attrs["lines"][int(duplicated.to_numpy().argmax())]
        raise InputFileError(f"{path}, line {line}, column code_insee: commune listed twice")
    premises = table["nbr"].astype(float)
    return pd.DataFrame(
        {
            "code_insee": table["code_insee"],
            "premises": premises,
            "ftth": table["elig_ftth"].astype(float),
            "ftth_share": (table["elig_ftth"] / premises.where(premises > 0)).astype(float),
            "date": table["date"] if "date" in table else "",
        }
    ).reset_index(drop=True)
