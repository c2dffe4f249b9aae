"""Comparing two variants with DVC, as an analyst does: an experiment on one price, then
`dvc metrics diff`, `dvc plots diff` and `dvc exp show --only-changed` show what changed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from study import run

pytestmark = pytest.mark.e2e

PRICE = "scenarios.units.desk_days.price"


def dvc_json(args: list[str], cwd: Path):
    """A DVC command's JSON output (stdout only: DVC may warn on stderr)."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "DVC_NO_ANALYTICS": "1"}  # fmt: skip
    done = subprocess.run(["dvc", *args, "--json"], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def experiment(study, tmp_path_factory) -> Path:
    """The built study committed in git, then `dvc exp run -S` on the desk-day price."""
    copy = tmp_path_factory.mktemp("experiment") / "study"
    shutil.copytree(study, copy, symlinks=True)
    # DVC records the experiment as a commit: an identity here, whatever the machine's.
    run(["git", "config", "user.name", "Test"], copy)
    run(["git", "config", "user.email", "test@example.org"], copy)
    run(["git", "add", "-A"], copy)
    run(["git", "commit", "-q", "-m", "study"], copy)
    params = yaml.safe_load((copy / "params.yaml").read_text(encoding="utf-8"))
    price = params["scenarios"]["units"]["desk_days"]["price"]
    output = run(["dvc", "exp", "run", "-S", f"{PRICE}={price + 8}"], copy)
    assert set(re.findall(r"Running stage '(\w+)'", output)) == {
        "09_scenarios", "10_governance", "report"
    }  # fmt: skip
    return copy


def test_metrics_diff_shows_the_npv_change_of_every_scenario(experiment):
    diff = dvc_json(["metrics", "diff"], experiment)
    assert set(diff) == {
        "reports/metrics/09_scenarios.json",
        "reports/metrics/10_governance.json",
        "reports/metrics/report.json",  # the synthesis: the EPCI's cost moves with the price
    }  # 07, 08 kept
    now = json.loads(
        (experiment / "reports" / "metrics" / "09_scenarios.json").read_text(encoding="utf-8")
    )
    assert now["scenarios"]
    for key, figures in now["scenarios"].items():
        change = diff["reports/metrics/09_scenarios.json"][f"scenarios.{key}.npv"]
        assert change["new"] == figures["npv"] and change["diff"] != 0, key


def test_plots_diff_draws_both_variants_of_each_scenarios_cash_curve(experiment):
    plots = dvc_json(["plots", "diff"], experiment)["data"]
    cash = [name for name in plots if name.startswith("reports/plots/09_scenarios/cash/")]
    assert cash and "reports/plots/08_sites/ranking.csv" in plots
    for name in cash:
        (chart,) = plots[name]
        assert set(chart["revisions"]) == {"workspace", "HEAD"}
        values = chart["content"]["data"]["values"]
        by_rev = {
            rev: [v["cumulative"] for v in values if v["rev"] == rev]
            for rev in ("workspace", "HEAD")
        }
        assert by_rev["workspace"] != by_rev["HEAD"], name


def test_exp_show_only_changed_lists_the_price_and_the_results(experiment):
    table = run(["dvc", "exp", "show", "--only-changed", "--md"], experiment)
    header = table.splitlines()[0]
    assert PRICE in header and ".npv" in header
    assert "scenarios.discount_rate" not in header and "segments." not in header
