"""Phase 10's metrics for DVC: the recommended legal form, each scenario's public funding needs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.core.metrics import plain
from pipeline.governance.metrics import governance_metrics

FORMS = pd.DataFrame({"forme": ["GIP", "Association loi 1901"], "score": [3.6, 4.0],
                      "recommended": [False, True]})  # fmt: skip
VIABILITY = pd.DataFrame(
    {"scenario": ["hub", "proximite"], "public_needed_full_year": [145000.0, 94000.0],
     "public_share_needed": [0.72, 0.78], "public_planned_full_year": [60000.0, 60000.0],
     "max_gap": [85000.0, 34000.0], "first_short_year": pd.array([1, None], dtype="Int64"),
     "recommended": [False, True]}
)  # fmt: skip


def test_the_recommended_form_and_each_scenarios_gap():
    got = governance_metrics(FORMS, VIABILITY)
    assert got["legal_form"] == {"name": "Association loi 1901", "score": 4.0}
    assert got["viability"]["hub"]["max_gap"] == 85000.0
    assert got["viability"]["hub"]["first_short_year"] == 1
    assert plain(got)["viability"]["proximite"]["first_short_year"] is None  # never short


@pytest.mark.e2e
def test_default_study_writes_phase_10_metrics(study):
    written = json.loads(
        (study / "reports" / "metrics" / "10_governance.json").read_text(encoding="utf-8")
    )
    assert written["legal_form"]["name"]
    assert set(written["viability"]) == set(
        pd.read_parquet(study / "data/processed/09_scenarios/scenarios.parquet")["scenario"]
    )
