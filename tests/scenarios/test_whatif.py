"""The what-if grid: the recommended scenario's plan recomputed with the same model; at the
plan's point it gives phase 09's own figures, and it moves the way the model says."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SITE

from pipeline.core.settings import ConfigError, check
from pipeline.scenarios import whatif
from pipeline.scenarios.business_plan import demand_volumes, plan_scenario
from pipeline.scenarios.recommendation import recommended

WHATIF = {"price": [0.8, 1.0, 1.2], "attendance": [0.5, 1.0, 1.5], "epci_grant_eur": [0, 20000]}


@pytest.fixture(scope="module")
def computed(settings, evaluate, demand):
    s = settings(whatif=WHATIF)
    tables = evaluate(s)
    name = recommended(tables["scenarios"])["scenario"]
    volumes = demand_volumes(demand)
    rent = float(SITE["cost_per_m2_year"])
    plan = plan_scenario(name, s["scenarios"][name], s, volumes, rent, tables["prices"])
    return s, tables, name, whatif.grid(plan, s, volumes, tables["epci_cost"])


def at(grid: pd.DataFrame, **values) -> pd.DataFrame:
    keep = pd.Series(True, index=grid.index)
    for column, value in values.items():
        keep &= grid[column] == value
    return grid[keep]


def test_the_grid_has_every_point_with_the_plans_grant_among_them(computed):
    s, _, _, grid = computed
    grants = sorted({0.0, 20000.0, 10000.0})  # the plan's EPCI grant (conftest: 10 000 €) added
    assert sorted(grid["epci_grant_eur"].unique()) == grants
    assert len(grid) == 3 * 3 * len(grants) * len(s["funding_cases"])
    assert list(grid.columns[: len(whatif.COLUMNS)]) == whatif.COLUMNS


def test_the_plans_point_gives_phase_09s_figures_in_every_case(computed, evaluate):
    s, tables, name, grid = computed
    plan = at(grid, price=1.0, attendance=1.0, epci_grant_eur=10000.0).set_index("case")
    summary = tables["epci_summary"].query("scenario == @name").set_index("case")
    cases = tables["funding_cases"].query("scenario == @name").set_index("case")
    for case in s["funding_cases"]:
        assert plan.loc[case, "epci_net_cost_per_year"] == pytest.approx(
            summary.loc[case, "epci_net_cost_per_year"]
        )
        assert plan.loc[case, "deficit_probability"] == cases.loc[case, "deficit_probability"]
    row = tables["scenarios"].set_index("scenario").loc[name]
    if pd.notna(row["break_even_year"]):
        assert plan.loc["tous", "break_even_year"] == row["break_even_year"]
    assert pd.isna(plan.loc["tous", "break_even_year"]) == pd.isna(row["break_even_year"])


def test_more_attendance_and_higher_prices_never_raise_the_risk(computed):
    _, _, _, grid = computed
    one = at(grid, case="tous", epci_grant_eur=10000.0)
    by_attendance = one[one["price"] == 1.0].sort_values("attendance")
    assert by_attendance["deficit_probability"].is_monotonic_decreasing
    assert by_attendance["epci_net_cost_per_year"].is_monotonic_decreasing
    by_price = one[one["attendance"] == 1.0].sort_values("price")
    assert by_price["deficit_probability"].is_monotonic_decreasing
    assert (by_price["main_price"] / by_price["price"]).round(9).nunique() == 1  # scaled


def test_the_epci_grant_moves_the_risk_not_the_cost_of_a_plan_in_deficit(computed):
    """A euro of EPCI grant is a euro less of deficit to cover: while the place stays in deficit
    every year, the EPCI pays the same; the risk of a deficit falls."""
    _, _, _, grid = computed
    one = at(grid, case="tous", price=1.0, attendance=1.0).sort_values("epci_grant_eur")
    assert one["deficit_probability"].is_monotonic_decreasing
    assert one["epci_net_cost_per_year"].is_monotonic_increasing


def test_a_plan_without_an_epci_operating_line_is_named(settings, evaluate, demand):
    s = settings(whatif=WHATIF)
    s["operating_funding"] = {k: v for k, v in s["operating_funding"].items() if k != "epci"}
    tables = evaluate(s)
    name = recommended(tables["scenarios"])["scenario"]
    volumes = demand_volumes(demand)
    plan = plan_scenario(name, s["scenarios"][name], s, volumes, 100.0, tables["prices"])
    with pytest.raises(ValueError, match=r"scenarios\.operating_funding: no line 'epci'"):
        whatif.grid(plan, s, volumes, tables["epci_cost"])


def test_the_default_params_grid_is_checked(params):
    spec = params["scenarios"]["whatif"]
    assert 1.0 in spec["price"] and 1.0 in spec["attendance"]
    bad = {**params["scenarios"], "whatif": {**spec, "price": [0.8, 1.2]}}
    with pytest.raises(ConfigError, match=r"whatif\.price"):
        check({**params, "scenarios": bad})
