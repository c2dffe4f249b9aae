"""Atomic writes and careful reads: a failing stage never leaves a half-written file.

Processed tables are written with their floats rounded to SIGNIFICANT_DIGITS, so that the same
inputs give the same bytes on any machine.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

# Floats are written with this many significant digits. The last bits of a computed float depend
# on the machine: OpenBLAS picks a kernel per CPU (OPENBLAS_CORETYPE), NumPy and the C library
# pick SIMD paths, and each sums in its own order; measured, the same study differs by a relative
# 2e-16 (Huff capture of 08_sites) to 1e-14 (logistic model of 03_survey). Ten digits leave a
# margin of four orders of magnitude above that noise, so a value only changes its written bytes
# when it falls within that noise of a rounding boundary (odds of about 1e-4 to 1e-6 per value),
# and they keep far more precision than the study ever shows: a cent on a budget of millions,
# a millimetre on a projected map, a hundred-millionth on a share.
SIGNIFICANT_DIGITS = 10


@contextmanager
def atomic_path(path: Path):
    """Yield a temporary path beside `path`; rename it onto `path` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name keeps the extension last: tools that check it (papermill) stay quiet.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=f"-{path.name}")
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_csv_atomic(df: pd.DataFrame, path: Path, sep: str = ",", encoding: str = "utf-8") -> Path:
    with atomic_path(path) as tmp:
        df.to_csv(tmp, sep=sep, index=False, encoding=encoding, lineterminator="\n")
    return Path(path)


def write_text_atomic(text: str, path: Path) -> Path:
    with atomic_path(path) as tmp:
        Path(tmp).write_text(text, encoding="utf-8")
    return Path(path)


def write_bytes_atomic(data: bytes, path: Path) -> Path:
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(data)
    return Path(path)


def round_significant(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """`values` as float64, each rounded to `digits` significant digits; NaN and ±inf kept.

    Python's float formatting rounds correctly (to the nearest decimal, ties to even), so the
    result depends on the value alone, never on the machine's libm or SIMD paths, as
    `np.round(x * 10**k)` with `k` from `log10` could.
    """
    array = np.asarray(values, dtype=float)
    flat = [float(f"{v:.{digits}g}") for v in array.ravel().tolist()]
    return np.array(flat, dtype=float).reshape(array.shape)


def rounded(df: pd.DataFrame, digits: int = SIGNIFICANT_DIGITS) -> pd.DataFrame:
    """A copy of `df` whose float columns are rounded to `digits` significant digits."""
    out = df.copy()
    for i, (_, column) in enumerate(df.items()):
        if pd.api.types.is_float_dtype(column.dtype):
            values = round_significant(column.to_numpy(dtype=float, na_value=np.nan), digits)
            new = pd.Series(values, index=column.index).astype(column.dtype)
            out.isetitem(i, new.mask(column.isna()))  # keeps pandas' NA apart from NaN
    return out


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write a processed table as Parquet (GeoParquet for a GeoDataFrame), atomically, its floats
    rounded to SIGNIFICANT_DIGITS (the same bytes on any machine)."""
    with atomic_path(path) as tmp:
        rounded(df).to_parquet(tmp, index=False)
    return Path(path)


def read_table(path: Path) -> pd.DataFrame:
    """Read a processed table, as a GeoDataFrame when it carries geometry."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: processed table not found (has its stage run?)")
    if b"geo" in (pq.read_schema(path).metadata or {}):
        return gpd.read_parquet(path)
    return pd.read_parquet(path)
