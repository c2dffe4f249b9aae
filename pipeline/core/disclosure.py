"""Disclosure control of published tables: cells built from too few respondents are blanked.

The rule, with the threshold `privacy.min_cell` of params.yaml: no published number is built
from fewer respondents (or interviews) than the threshold. A share, a mean or a count of a group
is built from the group's respondents (its base `n`); the size of a group (a level of a
breakdown, a group of actors, an answer of a question) is itself such a number. A cell under the
threshold is blanked, its base included, or its group merged with others beforehand (interviews:
`pipeline.interviews.coding.actor_groups`); and wherever blanked cells add up with published ones to a
published total, a second cell is blanked so that the total cannot give the first one back.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import fmt

SECRET = "s"  # statistical-secret mark of French official tables


def shown(x, formatter=fmt.number) -> str:
    """A published number in French format, or `s` where it was blanked."""
    return SECRET if pd.isna(x) else formatter(x)


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
