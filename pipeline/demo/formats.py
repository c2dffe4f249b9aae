"""Writers for the official file shapes the demo inputs imitate."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from pipeline.core.io import write_bytes_atomic


def insee_csv(df: pd.DataFrame) -> bytes:
    """INSEE's CSV dialect: `;`-separated, `.` decimals, UTF-8, no index."""
    return df.to_csv(sep=";", index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")


def write_insee_zip(df: pd.DataFrame, path: Path, member: str, year: int) -> Path:
    """A zip holding one CSV, with a fixed timestamp so the bytes never change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(member, date_time=(year, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        zf.writestr(info, insee_csv(df))
    return write_bytes_atomic(buffer.getvalue(), path)
