"""The benchmark suite runs (on tiny inputs, without the chain), and its Monte Carlo baseline
computes what the project's vectorised Monte Carlo computes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.core.config import ROOT
from pipeline.scenarios import risk

sys.path.insert(0, str(ROOT))
from benchmarks import monte_carlo as mc  # noqa: E402

NAMES = {
    "mobpro_csv_filter",
    "mobpro_parquet_filter",
    "census_base_cc_filter",
    "survey_raking",
    "monte_carlo_business_plan",
}
KEYS = {"name", "measured", "seconds", "baseline_seconds", "ratio", "peak_rss_mb", "target", "met"}


def test_tiny_suite_writes_every_benchmark_and_leaves_the_readme(tmp_path):
    readme = (ROOT / "benchmarks" / "README.md").read_bytes()
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--tiny", "--repeat", "1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {r["name"] for r in results} == NAMES
    for r in results:
        assert KEYS <= set(r), r["name"]
        assert r["seconds"] > 0 and isinstance(r["met"], bool)
        if r["baseline_seconds"] is not None:
            assert r["ratio"] == pytest.approx(r["baseline_seconds"] / r["seconds"], rel=0.05)
    assert (ROOT / "benchmarks" / "README.md").read_bytes() == readme


def test_monte_carlo_loop_baseline_agrees_with_the_vectorised_version():
    models, volumes, settings = mc.scenario_models(300)
    fast, slow = mc.vectorised(models, volumes, settings), mc.loop(models, volumes, settings)
    assert list(models) == list(fast) == list(slow) and len(models) == 3
    for name in models:
        assert fast[name].shape == (300, int(settings["years"]))
        np.testing.assert_allclose(slow[name], fast[name], rtol=1e-12, atol=1e-6)
    assert mc.agree()


def test_loop_results_by_hand():
    model = risk.Model(
        units=("desk_days", "events"), demand_volume=np.array([100.0, 0.0]),
        own_volume=np.array([0.0, 2.0]), price=np.array([10.0, 100.0]),
        capacity=np.array([np.inf, np.inf]), ramp=np.array([0.5, 1.0]), costs=1500.0, lines=("public", "anct", "partners"),
        grants=np.array([[100.0, 100.0], [300.0, 300.0], [10.0, 10.0]]),
        private=np.array([False, False, True]), investment=0.0, rate=0.0,
    )  # fmt: skip
    shocks = risk.base_shocks(2, 3, 2)
    shocks["obtained"][1, 1] = False
    # 0.5 × 1 200 + 400 + 10 − 1 500, then 1 200 + 410 − 1 500; without the 300 of the ANCT line
    assert mc.loop_results(model, shocks).tolist() == [[-490.0, 110.0], [-790.0, -190.0]]


def test_benchmarks_pass_ruff():
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run(
        [str(ruff), "check", "benchmarks"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_an_update_replaces_only_its_own_entries(tmp_path, monkeypatch):
    from benchmarks import run as bench

    recorded = tmp_path / "results.json"
    recorded.write_text(json.dumps([{"name": "a", "seconds": 1}, {"name": "b", "seconds": 2}]))
    monkeypatch.setattr(bench, "RESULTS", recorded)
    merged = bench.updated([{"name": "b", "seconds": 3}, {"name": "c", "seconds": 4}])
    assert merged == [{"name": "a", "seconds": 1}, {"name": "b", "seconds": 3},
                      {"name": "c", "seconds": 4}]  # fmt: skip


def test_update_needs_only():
    done = subprocess.run([sys.executable, "benchmarks/run.py", "--update"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "--update goes with --only" in done.stderr
