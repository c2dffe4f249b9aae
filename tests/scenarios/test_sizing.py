"""Phase 09's sizing: surfaces and staff follow the demand, within each scenario's programme."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from pipeline.core.config import load_params
from pipeline.scenarios import business_plan as bp
from pipeline.scenarios import capacity_views
from pipeline.scenarios.sizing import size, step_up

PARAMS = load_params()["scenarios"]
HUB = PARAMS["scenarios"]["hub"]
RULES = PARAMS["capacity"]
DAYS = RULES["opening_days"]


def sized(desk_days: float = 0.0, fablab_hours: float = 0.0, sessions: float = 0.0, **more):
    wanted = {"desk_days": desk_days, "fablab_hours": fablab_hours,
              "mediation_sessions": sessions, **more}  # fmt: skip
    return size("hub", HUB, wanted, PARAMS)


def kept(rows, resource: str) -> tuple[float, str]:
    row = rows.set_index("resource").loc[resource]
    return row["kept"], row["bound"]


def test_desks_follow_the_demand_between_the_minimum_and_the_programme():
    per_desk_year = DAYS * RULES["target_occupancy"]
    _, rows = sized(desk_days=10 * per_desk_year)  # exactly 10 desks
    assert kept(rows, "desk_m2") == (10 * RULES["desk_m2"], "need")
    scenario, rows = sized(desk_days=1.0)  # one desk: the smallest space worth opening
    assert kept(rows, "desk_m2") == (RULES["min_m2"]["coworking"], "minimum")
    assert scenario["surface_m2"]["coworking"] == RULES["min_m2"]["coworking"]
    scenario, rows = sized(desk_days=1e6)
    assert kept(rows, "desk_m2") == (HUB["surface_m2"]["coworking"], "maximum")


def test_fablab_common_areas_and_staff_are_sized_too():
    users = 3
    hours = users * DAYS * RULES["opening_hours"] * RULES["target_occupancy"]
    scenario, rows = sized(fablab_hours=hours, sessions=1.2 * RULES["mediation_sessions_per_fte"])
    fablab = max(users * RULES["fablab_m2_per_user"], RULES["min_m2"]["fablab"])
    assert scenario["surface_m2"]["fablab"] == fablab
    others = sum(v for k, v in scenario["surface_m2"].items() if k != "common")
    expected = min(others * RULES["common_share"], HUB["surface_m2"]["common"])
    assert scenario["surface_m2"]["common"] == pytest.approx(expected)
    assert scenario["staff_fte"]["mediator"] == min(1.5, HUB["staff_fte"]["mediator"])
    assert scenario["staff_fte"]["manager"] == HUB["staff_fte"]["manager"]  # not sized
    assert step_up(1.2, 0.5) == 1.5 and step_up(1.0, 0.5) == 1.0


def test_more_demand_gives_a_bigger_dearer_place_until_the_programme(demand):
    """Twice the demand: more desks, works and costs, as long as the programme allows."""
    small = demand.assign(**{c: demand[c] * 0.4 for c in ("low", "central", "high")})
    twice = small.assign(**{c: small[c] * 2 for c in ("low", "central", "high")})
    plans = [
        bp.plan_scenario("hub", HUB, PARAMS, bp.demand_volumes(d), 100.0) for d in (small, twice)
    ]
    surface = [p["programme"]["surface_m2"].sum() for p in plans]
    invest = [p["investment"]["amount_ht"].sum() for p in plans]
    costs = [p["budget"]["amount"].sum() for p in plans]
    assert surface[0] < surface[1] <= sum(HUB["surface_m2"].values())
    assert invest[0] < invest[1] and costs[0] < costs[1]


def test_a_large_territory_gets_no_more_than_the_programme(demand):
    """A demand a thousand times bigger (a large EPCI): the place stays within its programme
    and sells its capacity, not its demand."""
    big = bp.demand_volumes(demand.assign(central=demand["central"] * 1000,
                                          high=demand["high"] * 1000))  # fmt: skip
    for name, scenario in PARAMS["scenarios"].items():
        plan = bp.plan_scenario(name, scenario, PARAMS, big, 100.0)
        programme = plan["programme"].set_index("function")["surface_m2"]
        for space, most in scenario["surface_m2"].items():
            assert programme[space] <= most + 1e-9
        desks = plan["activity"].set_index("unit").loc["desk_days"]
        if desks["served"]:
            assert desks["capped"] and desks["volume"] == pytest.approx(desks["capacity"])


def test_sizing_table_in_french():
    _, rows = sized(desk_days=1.0, sessions=10)
    scenarios = pd.DataFrame({"scenario": ["hub"], "label": [HUB["label"]]})
    shown = capacity_views.sizing_table(rows, scenarios)
    assert len(shown) == len(rows)
    assert set(shown["Fixé par"]) <= {"demande", "minimum", "programme maximal"}
    assert shown["Élément"].notna().all()


def test_a_scenario_without_desk_space_has_no_desk_row():
    scenario = copy.deepcopy(HUB)
    scenario["surface_m2"].pop("coworking")
    _, rows = size("x", scenario, {"desk_days": 100.0}, PARAMS)
    assert "desk_m2" not in set(rows["resource"])
