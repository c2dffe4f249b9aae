"""Phase 09's metrics for DVC, and the data of its cash, risk and tornado charts."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pipeline.core.io import read_table
from pipeline.scenarios.metrics import FIGURES, build, plots, scenario_metrics
from pipeline.scenarios.outputs import SCENARIOS

SCENARIOS_TABLE = pd.DataFrame(
    {"scenario": ["hub", "proximite"], **{name: [1.0, 2.0] for name in FIGURES},
     "irr": [np.nan, 0.04], "recommended": [False, True], "label": ["Hub", "Proximité"]}
)  # fmt: skip
CASH = pd.DataFrame({"scenario": ["hub", "hub", "a/b"], "year": [1, 0, 0],
                     "cumulative": [-5.0, -10.0, 3.0], "balance": [5.0, -10.0, 3.0]})  # fmt: skip
HISTOGRAM = pd.DataFrame({"scenario": ["hub", "hub"], "bin_low": [-10.0, 0.0],
                          "bin_high": [0.0, 10.0], "share": [0.25, 0.75]})  # fmt: skip
SENSITIVITY = pd.DataFrame(
    {"scenario": ["hub", "hub"], "label": ["Prix pratiqués"] * 2, "side": ["low", "high"],
     "delta_cumulative": [-100.0, 100.0], "delta_npv": [-80.0, 80.0]}
)  # fmt: skip


def test_each_scenarios_figures_and_the_recommended_one():
    got = scenario_metrics(SCENARIOS_TABLE)
    assert got["recommended"] == "proximite"
    assert set(got["scenarios"]["hub"]) == set(FIGURES)
    assert got["scenarios"]["proximite"]["irr"] == 0.04 and np.isnan(got["scenarios"]["hub"]["irr"])
    assert scenario_metrics(SCENARIOS_TABLE.assign(recommended=False))["recommended"] is None


def test_one_chart_file_per_scenario_named_by_its_key():
    got = plots(CASH, HISTOGRAM, SENSITIVITY)
    assert set(got) == {"cash/hub", "cash/a%2Fb", "risk/hub", "tornado/hub"}
    assert got["cash/hub"].to_dict(orient="list") == {"year": [0, 1], "cumulative": [-10.0, -5.0]}
    assert got["risk/hub"].to_dict(orient="list") == {"cumulative_result": [-5.0, 5.0],
                                                      "share": [0.25, 0.75]}  # fmt: skip
    assert got["tornado/hub"]["hypothesis"].tolist() == [
        "Prix pratiqués (hypothèse basse)",
        "Prix pratiqués (hypothèse haute)",
    ]


@pytest.mark.e2e
def test_default_study_metrics_are_the_scenarios_table(study):
    table = read_table(SCENARIOS.path(study)).set_index("scenario")
    written = json.loads(
        (study / "reports" / "metrics" / "09_scenarios.json").read_text(encoding="utf-8")
    )
    assert set(written["scenarios"]) == set(table.index)
    for key, figures in written["scenarios"].items():
        assert figures["npv"] == pytest.approx(table.loc[key, "npv"], rel=1e-9)
    assert table.loc[written["recommended"], "recommended"]
    charts = {p.relative_to(study / "reports" / "plots" / "09_scenarios").with_suffix("").as_posix()
              for p in (study / "reports" / "plots" / "09_scenarios").rglob("*.csv")}  # fmt: skip
    assert charts == set(build(study).plots)
    assert {
        f"{chart}/{key}" for chart in ("cash", "risk", "tornado") for key in table.index
    } == charts
