"""The INSEE MOBPRO detail file, read for a territory: encodings, validation, streaming filter.

The file has one row per sampled employed resident (weight `IPONDI`): commune of residence
`COMMUNE`, commune of work `DCLT`, main transport mode `TRANS`, sex, age band and
socio-professional group (`CS1`, PCS 2003, up to RP2021; `GS`, PCS 2020, from RP2022, as the
communal bases: pipeline/sources/census.py). INSEE publishes it as `FD_MOBPRO_<year>.csv`
(`;`, inside `RP<year>_mobpro_csv.zip` or `RP<year>_mobpro.zip`, beside its dictionary
`varmod_mobpro_<year>.csv`) and, from RP2021, as `RP<year>_mobpro.parquet`; both are read. The
national file holds millions of rows: it is scanned lazily (Polars' streaming engine; for
Parquet only the columns read are loaded) and filtered to the territory's communes while it is
read, so memory stays bounded. Sources of these facts: data/raw/README.md.
"""

from __future__ import annotations

import codecs
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from pipeline.core.validate import (
    InputFileError,
    InputWarning,
    count_fields,
    decimal_points,
    separator,
    warn,
)
from pipeline.sources.census import FIRST_PCS2020_VINTAGE, FIRST_VINTAGE

# TRANS from RP2017 (varmod_mobpro_<year>.csv); before, bicycles and motorised two-wheelers
# were one mode: such vintages are refused (FIRST_VINTAGE).
TRANS_LABELS = {
    "1": "Pas de transport",
    "2": "Marche",
    "3": "Vélo",
    "4": "Deux-roues motorisé",
    "5": "Voiture",
    "6": "Transports en commun",
    "Z": "Sans objet",
}
BASE_COLUMNS = ["COMMUNE", "DCLT", "TRANS", "IPONDI", "SEXE", "AGEREVQ"]
SEPARATOR = ";"
SNIFF_BYTES = 1 << 20
TAIL_BYTES = 1 << 16
ROW = "_row"
# Width of codes that a Parquet file may store as numbers (030 -> 30.0): padded back.
CODE_WIDTHS = {"COMMUNE": 5, "DCLT": 5, "AGEREVQ": 3}


class MobproFormatError(InputFileError):
    """A MOBPRO file does not have the expected shape."""


class MobproEncodingWarning(InputWarning):
    """A MOBPRO file is not UTF-8: its ASCII codes and numbers were read, the rest replaced."""


def group_column(vintage: int) -> str:
    """Socio-professional group column of a census vintage: CS1 up to RP2021, GS from RP2022."""
    return "CS1" if int(vintage) < FIRST_PCS2020_VINTAGE else "GS"


def vintage_of(path: Path) -> int | None:
    """Census vintage written in a file name (FD_MOBPRO_2022.csv, RP2022_mobpro.parquet)."""
    found = re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", Path(path).name)
    return int(found[-1]) if found else None


def detect_encoding(head: bytes) -> str:
    """'utf-8-sig' (BOM), 'utf-8', or 'cp1252' when the first bytes are not valid UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _sniff_csv(path: Path) -> tuple[str, str]:
    """Encoding and separator of a CSV file, from its first bytes; a BOM, another encoding
    than UTF-8 or another separator than ';' are read with a warning."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = detect_encoding(head)
    text = head.decode(encoding, errors="replace")
    if not text.strip():
        raise MobproFormatError(
            f"{path}: empty file (expected a header line {SEPARATOR.join(BASE_COLUMNS)};…)"
        )
    if encoding == "utf-8-sig":
        warn(path, "starts with a UTF-8 byte-order mark (BOM), ignored")
    if encoding == "cp1252":
        warnings.warn(
            f"{path}: not UTF-8 (Latin-1/cp1252?): its ASCII codes and numbers were read, "
            "any other character was replaced",
            MobproEncodingWarning,
            stacklevel=3,
        )
    lines = text.splitlines()
    header = lines[0]
    sep = separator(text, path, expected=SEPARATOR)
    if sep not in header:
        raise MobproFormatError(
            f"{path}, line 1: expected columns separated by {SEPARATOR!r} "
            f"({SEPARATOR.join(BASE_COLUMNS[:3])}…), found one column {header[:80]!r}"
        )
    if not any(line.strip() for line in lines[1:]) and len(head) < SNIFF_BYTES:
        raise MobproFormatError(f"{path}: header line but no data row")
    _check_last_line(path, sep, count_fields(header, sep))
    return encoding, sep


def _check_last_line(path: Path, sep: str, fields: int) -> None:
    """Refuse a file whose last line has fewer or more fields than the header (truncated)."""
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - TAIL_BYTES))
        last = fh.read().rstrip(b"\r\n").rsplit(b"\n", 1)[-1].decode("latin-1")
    found = count_fields(last, sep)
    if found != fields:
        raise MobproFormatError(
            f"{path}, last line: expected {fields} fields, found {found} "
            f"({last[:80]!r}): is the file truncated?"
        )


def _scan(path: Path, encoding: str | None, sep: str = SEPARATOR) -> pl.LazyFrame:
    if path.suffix.lower() == ".parquet":
        return pl.scan_parquet(path, row_index_name=ROW, row_index_offset=1)
    return pl.scan_csv(
        path,
        separator=sep,
        infer_schema=False,  # every column as text: codes keep their leading zeros
        encoding="utf8" if encoding in {"utf-8", "utf-8-sig"} else "utf8-lossy",
        row_index_name=ROW,
        row_index_offset=2,  # file line: the header is line 1
    )


def _query(
    path: Path, encoding: str | None, sep: str, keep: list[str], codes: list[str]
) -> pl.DataFrame:
    """Stream the file, keep the rows whose residence is in `codes`: small, in memory.

    The filter comes first, so that only the kept rows have their codes cleaned (ten times
    faster on a national Parquet file)."""
    lf = _scan(path, encoding, sep)
    names = [c for c in lf.collect_schema().names() if c != ROW]
    lf = lf.rename({c: c.strip().upper() for c in names if c != c.strip().upper()})
    return (
        lf.select([ROW, *keep])
        .filter(_as_code("COMMUNE").is_in(list(codes)))
        .with_columns([_as_code(c) for c in keep if c != "IPONDI"])
        .with_columns(pl.col("IPONDI").cast(pl.String).str.strip_chars())
        .collect(engine="streaming")
    )


def _columns(path: Path, lf: pl.LazyFrame) -> list[str]:
    try:
        return lf.collect_schema().names()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise MobproFormatError(f"{path}: cannot be read as a MOBPRO file ({exc})") from exc


def _as_code(column: str) -> pl.Expr:
    """A code column as text, whatever its Parquet type ('1.0' from a float becomes '1', a
    commune 1001 becomes '01001')."""
    code = pl.col(column).cast(pl.String).str.strip_chars().str.replace(r"\.0$", "")
    if column not in CODE_WIDTHS:
        return code
    digits = code.str.contains(r"^\d+$")
    return pl.when(digits).then(code.str.zfill(CODE_WIDTHS[column])).otherwise(code).alias(column)


def _where(path: Path, parquet: bool, row: int) -> str:
    return f"{path}, {'row' if parquet else 'line'} {row}"


def _first_bad(path: Path, parquet: bool, bad: pd.DataFrame, column: str, expected: str) -> str:
    first = bad.iloc[0]
    more = f" (and {len(bad) - 1} other row(s))" if len(bad) > 1 else ""
    return (
        f"{_where(path, parquet, int(first[ROW]))}, column {column}: expected {expected}, "
        f"found {first[column]!r}{more}"
    )


def _validate(table: pd.DataFrame, path: Path, parquet: bool) -> pd.DataFrame:
    """Weights must be numbers (a decimal comma is read with a warning) and modes known codes;
    errors name file, line and column."""
    table = decimal_points(table, ["IPONDI"], path)
    if parquet:  # codes stored as numbers: INSEE's Z (sans objet) can only be left empty
        table = table.fillna({"TRANS": "Z"})
    raw = table["IPONDI"]
    weights = pd.to_numeric(raw, errors="coerce")
    bad = table[weights.isna() | ~np.isfinite(weights.fillna(0.0)) | (weights < 0)]
    if len(bad):
        hint = " (decimal comma?)" if bad["IPONDI"].astype(str).str.contains(",").any() else ""
        expected = "a non-negative number with a decimal point"
        raise MobproFormatError(
            _first_bad(path, parquet, bad.fillna({"IPONDI": ""}), "IPONDI", expected) + hint
        )
    unknown = table[~table["TRANS"].isin(list(TRANS_LABELS))]
    if len(unknown):
        raise MobproFormatError(
            _first_bad(
                path,
                parquet,
                unknown.fillna({"TRANS": ""}),
                "TRANS",
                "one of " + ", ".join(TRANS_LABELS),
            )
        )
    return table.assign(IPONDI=weights.astype(float))


def read_mobpro(
    path: Path, codes: list[str], vintage: int | None = None, all_columns: bool = False
) -> pd.DataFrame:
    """Rows of a MOBPRO detail file (CSV `;` or Parquet) whose residence is one of `codes`.

    Columns: COMMUNE, DCLT, TRANS, IPONDI (float), SEXE, AGEREVQ and the vintage's group
    column (`group_column`); with `all_columns`, every column of the file. The vintage comes
    from the file name when not given. A CSV file should be UTF-8 and `;`-separated; a BOM,
    another separator, weights with a decimal comma or Latin-1/cp1252 are read with a warning
    (`MobproEncodingWarning` for the latter: codes and numbers are ASCII, so they read safely).
    The file is filtered while it is streamed, never loaded whole. Errors name the file, the line (CSV) or row (Parquet), the column, what was
    expected and what was found.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: MOBPRO file not found (INSEE's FD_MOBPRO_<year>.csv or "
            "RP<year>_mobpro.parquet: see data/raw/README.md)"
        )
    if path.stat().st_size == 0:
        raise MobproFormatError(f"{path}: empty file")
    if path.suffix.lower() == ".zip":
        raise MobproFormatError(
            f"{path}: a zip; extract its FD_MOBPRO_<year>.csv (varmod_mobpro_<year>.csv is the "
            "dictionary) or use INSEE's RP<year>_mobpro.parquet"
        )
    vintage = vintage if vintage is not None else vintage_of(path)
    if vintage is not None and vintage < FIRST_VINTAGE:
        raise MobproFormatError(
            f"{path}: RP{vintage} is not read: before RP{FIRST_VINTAGE} INSEE's TRANS counts "
            "bicycles with motorised two-wheelers (5 modes, not 6); set "
            f"mobility.census_vintage to {FIRST_VINTAGE} or later"
        )
    parquet = path.suffix.lower() == ".parquet"
    encoding, sep = (None, SEPARATOR) if parquet else _sniff_csv(path)
    found = [c.strip().upper() for c in _columns(path, _scan(path, encoding, sep)) if c != ROW]
    if vintage is not None:
        group = group_column(vintage)
    else:
        group = next((g for g in ["GS", "CS1"] if g in found), "GS")
    expected = [*BASE_COLUMNS, group]
    if missing := [c for c in expected if c not in found]:
        why = ""
        other = "CS1" if group == "GS" else "GS"
        if group in missing and other in found:
            why = (
                f"; vintage {vintage} has its socio-professional group in {group} "
                f"(CS1 up to RP{FIRST_PCS2020_VINTAGE - 1}, GS from RP{FIRST_PCS2020_VINTAGE}) "
                f"but the file has {other}: is mobility.census_vintage right?"
            )
        raise MobproFormatError(
            f"{path}: missing column(s) {', '.join(missing)} (expected {', '.join(expected)}; "
            f"found {', '.join(found[:20])}{'…' if len(found) > 20 else ''}){why}"
        )
    keep = found if all_columns else expected
    try:
        kept = _query(path, encoding, sep, keep, codes)
    except pl.exceptions.PolarsError as exc:
        if encoding not in {"utf-8", "utf-8-sig"} or "utf-8" not in str(exc).lower():
            raise MobproFormatError(f"{path}: cannot be read as a MOBPRO file ({exc})") from exc
        warnings.warn(
            f"{path}: invalid UTF-8 after its first {SNIFF_BYTES} bytes: its ASCII codes and "
            "numbers were read, any other character was replaced",
            MobproEncodingWarning,
            stacklevel=2,
        )
        kept = _query(path, "cp1252", sep, keep, codes)
    table = kept.sort(ROW).to_pandas()
    table = _validate(table, path, parquet)
    return table.drop(columns=ROW).reset_index(drop=True)


def group_of(mobpro: pd.DataFrame) -> str:
    """Which socio-professional group column a table read by `read_mobpro` carries."""
    for column in ["GS", "CS1"]:
        if column in mobpro.columns:
            return column
    raise MobproFormatError("no socio-professional group column (GS or CS1)")


def csv_name(vintage: int) -> str:
    """INSEE's name of the CSV detail file: FD_MOBPRO_2022.csv."""
    return f"FD_MOBPRO_{vintage}.csv"


def parquet_name(vintage: int) -> str:
    """INSEE's name of the Parquet detail file: RP2022_mobpro.parquet."""
    return f"RP{vintage}_mobpro.parquet"


def mobpro_path(raw_dir: Path, vintage: int) -> Path:
    """The territory's MOBPRO file of a census vintage in its raw folder: the CSV, else the
    Parquet file (the CSV's path when there is neither, for the message)."""
    csv, parquet = Path(raw_dir) / csv_name(vintage), Path(raw_dir) / parquet_name(vintage)
    return parquet if parquet.exists() and not csv.exists() else csv
