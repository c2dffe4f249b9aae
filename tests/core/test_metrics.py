"""A stage's metrics and plot data for DVC: written rounded, sorted and whole, outside its outs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from pipeline.core import metrics
from pipeline.core.metrics import Results, file_name, phase_metrics, plain, write_stage


def test_plain_rounds_floats_as_tables_are_and_writes_nan_as_null():
    value = {"a": np.float64(0.1 + 0.2), "b": [np.int64(3), np.bool_(True)], "c": float("nan"),
             "d": pd.NA, "e": 2 / 3, 4: "x"}  # fmt: skip
    assert plain(value) == {"a": 0.3, "b": [3, True], "c": None, "d": None,
                            "e": 0.6666666667, "4": "x"}  # fmt: skip
    assert isinstance(plain(np.int64(3)), int) and plain(np.bool_(False)) is False


def test_metrics_are_json_with_sorted_keys_and_the_same_bytes_for_the_same_results(tmp_path):
    one = Results({"b": {"y": 1.0, "x": 1 / 3}, "a": True})
    two = Results({"a": True, "b": {"x": 1 / 3, "y": 1.0}})
    first = metrics.write_results(one, tmp_path / "1", "09_scenarios")[0]
    second = metrics.write_results(two, tmp_path / "2", "09_scenarios")[0]
    assert first == tmp_path / "1" / "reports" / "metrics" / "09_scenarios.json"
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.index('"a"') < text.index('"b"') and text.index('"x"') < text.index('"y"')
    assert json.loads(text) == {"a": True, "b": {"x": 0.3333333333, "y": 1.0}}


def test_plots_replace_an_earlier_runs_files_and_round_floats(tmp_path):
    stale = tmp_path / "reports" / "plots" / "09_scenarios" / "cash" / "gone.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("year,cumulative\n", encoding="utf-8")
    table = pd.DataFrame({"year": [0, 1], "cumulative": [1 / 3, -2.0]})
    paths = metrics.write_results(Results({}, {"cash/hub": table}), tmp_path, "09_scenarios")
    assert paths[1] == tmp_path / "reports" / "plots" / "09_scenarios" / "cash" / "hub.csv"
    assert not stale.exists()
    assert paths[1].read_text(encoding="utf-8") == "year,cumulative\n0,0.3333333333\n1,-2.0\n"


def test_a_key_from_params_cannot_leave_its_folder():
    assert file_name("proximite") == "proximite"
    assert "/" not in file_name("../../etc") and file_name("a b/é") == "a%20b%2F%C3%A9"


def test_each_phase_with_results_has_a_metrics_module_found_by_its_stage(tmp_path):
    assert phase_metrics("01_portrait") is None
    assert write_stage("01_portrait", tmp_path) == []
    for stage in ("07_demand", "08_sites", "09_scenarios", "10_governance"):
        assert callable(phase_metrics(stage).build), stage
