"""Disclosure control of published tables: cells built from too few respondents are blanked."""

from __future__ import annotations

import numpy as np
import pandas as pd


def suppress(
    table: pd.DataFrame, count: str, min_cell: int, columns: list[str], groups: list[str]
) -> pd.DataFrame:
    """Blank cells built from fewer than `min_cell` respondents (primary suppression), and,
    in every group (the cells that add up to a published total), the next smallest cell when
    a single one is suppressed (secondary), so that no blanked value can be recovered from the
    total. `suppression` says which rule blanked a cell.
    """
    out = table.reset_index(drop=True).copy()
    out["suppression"] = np.where(out[count] < min_cell, "primary", "")
    keys = out[groups].astype(str).agg("|".join, axis=1) if groups else pd.Series("", out.index)
    for _, idx in out.groupby(keys, sort=False).groups.items():
        cells = out.loc[idx]
        if (cells["suppression"] != "").sum() == 1 and len(cells) > 1:
            others = cells[cells["suppression"] == ""]
            out.loc[others[count].astype(float).idxmin(), "suppression"] = "secondary"
    out["suppressed"] = out["suppression"] != ""
    for col in columns:
        if pd.api.types.is_integer_dtype(out[col]):
            out[col] = out[col].astype("Int64")
        out.loc[out["suppressed"], col] = pd.NA if out[col].dtype == "Int64" else np.nan
    return out
