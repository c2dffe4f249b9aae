"""INSEE's Base permanente des équipements (BPE), detail file: one row per facility.

INSEE publishes it as `BPE<yy>.zip` holding one `;`-separated CSV, `BPE<yy>.csv` (fields in
double quotes), one row per facility with its commune `DEPCOM`, its type `TYPEQU` (nomenclature
of 2024: `A128` France services, `D265` general practitioner…) and WGS84 `LONGITUDE`,
`LATITUDE` (empty, `_Z` or `_U` when not placed). The national file inflates to about 1.5 GB:
its member is extracted to a temporary file and scanned lazily by Polars, which keeps the
territory's rows only. Sources of these facts: data/raw/README.md.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from pipeline.core.validate import InputFileError, warn

SEPARATOR = ";"
REQUIRED = ("DEPCOM", "TYPEQU", "LONGITUDE", "LATITUDE")
MISSING = ("", "_Z", "_U")  # INSEE's "sans objet" and "indéterminé"
TYPEQU = r"[A-G]\d{3}"
LINE = "_line"
COMMUNE = "_commune"  # DEPCOM, or the commune of an arrondissement
# The BPE places facilities of Paris, Lyon and Marseille in their arrondissements (DEPCOM
# 75101…, 69381…, 13201…): they are counted in their commune.
ARRONDISSEMENTS = {"75056": "751", "69123": "6938", "13055": "132"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed member dates: the same rows give the same bytes


class BpeFormatError(InputFileError):
    """A BPE file does not have the expected shape."""


def bpe_file(vintage: int) -> str:
    """INSEE's name of the zip: BPE25.zip for the BPE 2025."""
    return f"BPE{int(vintage) % 100:02d}.zip"


def bpe_member(vintage: int) -> str:
    return f"BPE{int(vintage) % 100:02d}.csv"


def zip_csv(member: str, text: bytes) -> bytes:
    """A zip of one CSV member, as INSEE ships the BPE, with a fixed date (deterministic)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(member, ZIP_DATE), text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@contextmanager
def _csv_file(path: Path):
    """The path of the CSV to scan, and how messages name it: the file itself, or its single
    CSV member extracted to a temporary folder (Polars scans files, not zip members)."""
    if path.suffix.lower() != ".zip":
        yield path, str(path)
        return
    try:
        with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory() as tmp:
            members = [m for m in zf.namelist() if m.lower().endswith(".csv")]
            if len(members) != 1:
                raise BpeFormatError(
                    f"{path}: expected one CSV member, as INSEE ships the BPE "
                    f"(BPE<yy>.csv); found {', '.join(zf.namelist()) or 'no file'}"
                )
            target = Path(tmp) / "bpe.csv"
            with zf.open(members[0]) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            yield target, f"{path} ({members[0]})"
    except (zipfile.BadZipFile, EOFError) as exc:
        raise BpeFormatError(f"{path}: not a readable zip file ({exc}): truncated?") from None


def _header(csv: Path, where: str) -> list[str]:
    with open(csv, "rb") as fh:
        first = fh.readline().decode("utf-8-sig", errors="replace").rstrip("\r\n")
    if SEPARATOR not in first:
        raise BpeFormatError(
            f"{where}, line 1: expected columns separated by {SEPARATOR!r} "
            f"({SEPARATOR.join(REQUIRED)}…), found one column"
        )
    columns = [c.strip().strip('"') for c in first.split(SEPARATOR)]
    if missing := [c for c in REQUIRED if c not in columns]:
        raise BpeFormatError(
            f"{where}, line 1: column(s) {', '.join(missing)} missing (the BPE detail file "
            f"has {', '.join(REQUIRED)}); found {', '.join(columns[:8])}…"
        )
    return columns


def _territory(lf: pl.LazyFrame, codes: list[str]) -> pl.LazyFrame:
    """Rows of the communes `codes` (and of their arrondissements), with their commune."""
    depcom = pl.col("DEPCOM").str.strip_chars()
    keep = depcom.is_in(list(codes))
    commune = depcom
    for code, prefix in ARRONDISSEMENTS.items():
        if code in codes:
            keep = keep | depcom.str.starts_with(prefix)
            commune = pl.when(depcom.str.starts_with(prefix)).then(pl.lit(code)).otherwise(commune)
    return lf.filter(keep).with_columns(commune.alias(COMMUNE))


def territory_rows(path: Path, codes: list[str]) -> tuple[pl.DataFrame, str]:
    """Every column, as text, of the rows of the communes `codes`, with their file line in
    `_line` and their commune in `_commune`; and how messages name the file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: BPE file not found (`make demo` writes a demo one, `python -m "
            "pipeline.sources.fetch bpe` the real one; see data/raw/README.md)"
        )
    with _csv_file(path) as (csv, where):
        _header(csv, where)
        lf = pl.scan_csv(csv, separator=SEPARATOR, infer_schema=False, encoding="utf8-lossy",
                         row_index_name=LINE, row_index_offset=2)  # fmt: skip
        try:
            return _territory(lf, codes).collect(engine="streaming"), where
        except pl.exceptions.PolarsError as exc:
            raise BpeFormatError(f"{where}: not a readable `;`-separated CSV ({exc})") from exc


def _numbers(rows: pd.DataFrame, column: str, low: float, high: float, where: str) -> pd.Series:
    text = rows[column].str.strip()
    value = pd.to_numeric(text.where(~text.isin(MISSING)), errors="coerce")
    bad = (value.isna() & ~text.isin(MISSING)) | ~value.between(low, high) & value.notna()
    if bad.any():
        line = rows.loc[bad, LINE].iloc[0]
        raise BpeFormatError(
            f"{where}, line {line}, column {column}: expected a number from {low:g} to "
            f"{high:g} (decimal point), or empty, _Z or _U"
        )
    return value


def territory_extract(path: Path, codes: list[str], vintage: int) -> bytes:
    """The rows of the communes `codes`, every column as found, zipped as INSEE ships the BPE:
    `;`-separated, every field in double quotes."""
    frame, _ = territory_rows(path, codes)
    text = frame.drop(LINE, COMMUNE).write_csv(separator=SEPARATOR, quote_style="always")
    return zip_csv(bpe_member(vintage), text.encode("utf-8"))


def read_bpe(path: Path, codes: list[str]) -> pd.DataFrame:
    """The facilities of the communes `codes`: commune, typequ, nom (NOMRS, when the file has
    it), lon, lat, line (file line). A TYPEQU that is not a letter and three digits, or a
    coordinate that is not a number, is refused; facilities without coordinates are set aside
    with a warning."""
    frame, where = territory_rows(path, codes)
    rows = frame.to_pandas()
    rows = rows.fillna({c: "" for c in rows.columns if c != LINE})
    typequ = rows["TYPEQU"].str.strip()
    if (bad := ~typequ.str.fullmatch(TYPEQU)).any():
        raise BpeFormatError(
            f"{where}, line {rows.loc[bad, LINE].iloc[0]}, column TYPEQU: expected a facility "
            "type, a letter A to G and three digits (A128)"
        )
    lon = _numbers(rows, "LONGITUDE", -180, 180, where)
    lat = _numbers(rows, "LATITUDE", -90, 90, where)
    if (unplaced := lon.isna() | lat.isna()).any():
        lines = ", ".join(str(n) for n in rows.loc[unplaced, LINE].head(5))
        warn(where, f"{int(unplaced.sum())} facilities without coordinates set aside "
                    f"(lines {lines}{'…' if unplaced.sum() > 5 else ''})")  # fmt: skip
    names = rows["NOMRS"].str.strip() if "NOMRS" in rows else pd.Series("", index=rows.index)
    table = pd.DataFrame(
        {
            "commune": rows[COMMUNE],
            "typequ": typequ,
            "nom": names.fillna(""),
            "lon": lon,
            "lat": lat,
            "line": rows[LINE].astype(np.int64),
        }  # fmt: skip
    )[~unplaced.to_numpy()]
    table = table.sort_values("line", kind="stable").reset_index(drop=True)
    table.attrs["path"] = where
    return table
