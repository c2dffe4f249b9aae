"""Phase 10's results for DVC (`pipeline.core.metrics`): the legal form recommended for the
recommended scenario, and the public money each scenario needs to break even."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.core.io import read_table
from pipeline.core.metrics import Results
from pipeline.governance.outputs import LEGAL_FORMS, VIABILITY_SUMMARY

VIABILITY = [
    "public_needed_full_year",
    "public_share_needed",
    "public_planned_full_year",
    "max_gap",
    "first_short_year",
]


def governance_metrics(legal_forms: pd.DataFrame, viability: pd.DataFrame) -> dict:
    """The recommended legal form and its score; by scenario, the public funding a full year
    needs, its share of the budget, what the plan provides, the largest yearly gap and the
    first year short of funding (null: none)."""
    form = legal_forms.loc[legal_forms["recommended"].astype(bool)].iloc[0]
    return {
        "legal_form": {"name": form["forme"], "score": form["score"]},
        "viability": viability.set_index("scenario")[VIABILITY].to_dict(orient="index"),
    }


def build(root: Path) -> Results:
    tables = read_table(LEGAL_FORMS.path(root)), read_table(VIABILITY_SUMMARY.path(root))
    return Results(governance_metrics(*tables))
