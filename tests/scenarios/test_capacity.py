"""Phase 09's capacity: no scenario sells more than its surfaces, opening and staff allow."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from pipeline.core.config import load_params
from pipeline.scenarios import business_plan as bp
from pipeline.scenarios import capacity_views
from pipeline.scenarios.capacity import cap, unit_capacities

PARAMS = load_params()["scenarios"]
RENT_M2 = 100.0


def activities(settings: dict, demand: pd.DataFrame) -> pd.DataFrame:
    volumes = bp.demand_volumes(demand)
    return pd.concat(
        [
            bp.plan_scenario(name, scenario, settings, volumes, RENT_M2)["activity"]
            for name, scenario in settings["scenarios"].items()
        ],
        ignore_index=True,
    )


def within_capacity(activity: pd.DataFrame) -> None:
    limited = activity.dropna(subset=["capacity"])
    assert (limited["volume"] <= limited["capacity"] * (1 + 1e-12)).all()
    np.testing.assert_allclose(activity["revenue"], activity["volume"] * activity["price"])
    np.testing.assert_allclose(
        activity["volume"],
        np.minimum(activity["volume_wanted"], activity["capacity"].fillna(np.inf)),
    )
    assert (activity["capped"] == (activity["volume_wanted"] > activity["capacity"])).all()


@pytest.mark.parametrize("factor", [1.0, 1000.0])
def test_no_scenario_sells_more_than_its_capacity(demand, factor):
    """The study's own scenarios and capacity rules, on the small demand and on one a thousand
    times bigger: every volume within capacity, and the big one fills every capacity served."""
    big = demand.assign(**{c: demand[c] * factor for c in ("low", "central", "high")})
    activity = activities(PARAMS, big)
    within_capacity(activity)
    if factor > 1:
        sold = activity.loc[activity["served"] & activity["unit"].isin(demand["unit"])]
        sold = sold.dropna(subset=["capacity"]).loc[lambda t: t["capacity"] > 0]
        assert len(sold) and sold["capped"].all()
        np.testing.assert_allclose(sold["volume"], sold["capacity"])


def test_desk_days_and_sessions_follow_surfaces_opening_and_staff():
    rules = PARAMS["capacity"]
    for scenario in PARAMS["scenarios"].values():
        m2 = sum(scenario["surface_m2"].get(s, 0) for s in ("coworking", "occasional_telework"))
        fte = scenario["staff_fte"].get("mediator", 0)
        got = unit_capacities(scenario, PARAMS)
        desks = m2 / rules["desk_m2"]
        assert got["desk_days"] == pytest.approx(
            desks * rules["opening_days"] * rules["max_occupancy"]
        )
        assert got["mediation_sessions"] == pytest.approx(fte * rules["mediation_sessions_per_fte"])


def test_twice_the_desk_space_doubles_the_cap(demand):
    s = copy.deepcopy(PARAMS)
    big = demand.assign(central=demand["central"] * 1000, high=demand["high"] * 1000)
    before = activities(s, big).set_index(["scenario", "unit"])["volume"]
    for scenario in s["scenarios"].values():
        for space in ("coworking", "occasional_telework"):
            if space in scenario["surface_m2"]:
                scenario["surface_m2"][space] *= 2
    after = activities(s, big).set_index(["scenario", "unit"])["volume"]
    desks = before.xs("desk_days", level="unit")
    np.testing.assert_allclose(after.xs("desk_days", level="unit"), 2 * desks)


def test_own_volumes_come_first_within_the_capacity():
    assert cap(50.0, 30.0, 60.0) == (30.0, 30.0)
    assert cap(50.0, 80.0, 60.0) == (0.0, 60.0)
    assert cap(5.0, 3.0, float("inf")) == (5.0, 3.0)


def test_capacity_table_names_what_is_capped(demand):
    big = demand.assign(central=demand["central"] * 1000, high=demand["high"] * 1000)
    activity = activities(PARAMS, big)
    scenarios = pd.DataFrame(
        {
            "scenario": list(PARAMS["scenarios"]),
            "label": [s["label"] for s in PARAMS["scenarios"].values()],
        }
    )
    shown = capacity_views.capacity_table(activity, scenarios)
    limited = activity.loc[activity["served"] & activity["capacity"].notna()]
    assert len(shown) == len(limited)
    assert (shown["Plafonné"] == "oui").sum() == limited["capped"].sum() > 0
    assert set(shown["Scénario"]) <= set(scenarios["label"])
