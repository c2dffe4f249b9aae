"""Writers for the official file shapes the demo inputs imitate."""

from __future__ import annotations

import pandas as pd


def insee_csv(df: pd.DataFrame) -> bytes:
    """INSEE's CSV dialect: `;`-separated, `.` decimals, UTF-8, no index."""
    return df.to_csv(sep=";", index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")
