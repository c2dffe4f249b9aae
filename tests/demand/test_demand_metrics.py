"""Phase 07's metrics for DVC: the demand of each segment and unit, as its tables give them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline.core.io import read_table
from pipeline.demand.metrics import build, demand_metrics
from pipeline.demand.outputs import DEMAND, DEMAND_BY_UNIT

DEMAND_TABLE = pd.DataFrame(
    {"segment": ["teleworkers", "students"], "unit": ["desk_days", "fablab_hours"],
     "low": [10.0, 1.0], "central": [20.0, 2.0], "high": [40.0, 3.0], "users": [5.0, 1.5],
     "regular_users": [4.0, 0.0]}
)  # fmt: skip
BY_UNIT = pd.DataFrame({"unit": ["desk_days", "fablab_hours"], "low": [10.0, 1.0],
                        "central": [20.0, 2.0], "high": [40.0, 3.0]})  # fmt: skip


def test_each_segment_and_unit_gives_its_low_central_and_high_demand():
    got = demand_metrics(DEMAND_TABLE, BY_UNIT)
    assert got["segments"]["teleworkers"] == {"low": 10.0, "central": 20.0, "high": 40.0,
                                              "users": 5.0, "regular_users": 4.0}  # fmt: skip
    assert got["units"]["fablab_hours"] == {"low": 1.0, "central": 2.0, "high": 3.0}


@pytest.mark.e2e
def test_default_study_metrics_are_its_tables_and_were_written_by_the_stage(study):
    demand, by_unit = read_table(DEMAND.path(study)), read_table(DEMAND_BY_UNIT.path(study))
    got = build(study).metrics
    assert set(got["segments"]) == set(demand["segment"])
    assert got["units"]["desk_days"]["central"] == pytest.approx(
        by_unit.set_index("unit").loc["desk_days", "central"]
    )
    written = json.loads(
        (study / "reports" / "metrics" / "07_demand.json").read_text(encoding="utf-8")
    )
    assert written["segments"].keys() == got["segments"].keys()
