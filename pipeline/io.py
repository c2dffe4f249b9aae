"""Atomic writes and careful reads: a failing stage never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


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


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write a processed table as Parquet (GeoParquet for a GeoDataFrame), atomically."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    return Path(path)


def read_table(path: Path) -> pd.DataFrame:
    """Read a processed table, as a GeoDataFrame when it carries geometry."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: processed table not found (has its stage run?)")
    import pyarrow.parquet as pq

    if b"geo" in (pq.read_schema(path).metadata or {}):
        import geopandas as gpd

        return gpd.read_parquet(path)
    return pd.read_parquet(path)
