"""Benchmark 4: the phase-09 Monte Carlo (`pipeline.scenarios.risk`), vectorised, against a plain Python
loop over draws doing the same arithmetic.

The three scenario models are built from params.yaml by the project's own functions
(`business_plan.plan_scenario`, `risk.scenario_model`), with the demand of phase 07 and the
rent of the best site of phase 08 fixed below (rounded from a run of the default territory), so
that the benchmark needs no run of the chain.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from pipeline.core.config import load_params
from pipeline.scenarios import business_plan as bp
from pipeline.scenarios import risk

DEMAND = pd.DataFrame(
    {
        "unit": ["desk_days", "fablab_hours", "mediation_sessions", "room_bookings"],
        "low": [1514.0, 216.0, 316.0, 173.0],
        "central": [3060.0, 402.0, 655.0, 345.0],
        "high": [5427.0, 657.0, 1212.0, 575.0],
    }
)
RENT_M2 = 44.4  # € HT per m² and year


def scenario_models(draws: int) -> tuple[dict[str, risk.Model], pd.DataFrame, dict]:
    """The models of params.yaml's scenarios, the demand volumes, and the scenarios settings
    with `risk.draws` set to `draws`."""
    settings = copy.deepcopy(load_params()["scenarios"])
    settings["risk"]["draws"] = draws
    volumes = bp.demand_volumes(DEMAND)
    models = {
        name: risk.scenario_model(
            bp.plan_scenario(name, scenario, settings, volumes, RENT_M2), settings
        )
        for name, scenario in settings["scenarios"].items()
    }
    return models, volumes, settings


def vectorised(models, volumes, settings) -> dict[str, np.ndarray]:
    """The project's Monte Carlo: one draw of every input, then every scenario, no loop."""
    return risk.monte_carlo(models, volumes, settings)


def loop_results(model: risk.Model, shocks: dict[str, np.ndarray]) -> np.ndarray:
    """`risk.results`, one draw and one year at a time, in plain Python floats."""
    units = list(zip(model.demand_volume, model.own_volume, model.price, model.capacity))
    ramp, grants, private = model.ramp.tolist(), model.grants.tolist(), model.private.tolist()
    attendance, obtained = shocks["attendance"].tolist(), shocks["obtained"].tolist()
    price, services, costs = (shocks[k].tolist() for k in ("price", "services", "costs"))
    subsidies, sponsors = (shocks[k].tolist() for k in ("subsidies", "partners"))
    rows = []
    for i in range(len(price)):
        revenue_full = 0.0
        for a, (demand, own, unit_price, capacity) in zip(attendance[i], units):
            own_kept = min(services[i] * own, capacity)
            revenue_full += (own_kept + min(a * demand, capacity - own_kept)) * unit_price
        revenue_full *= price[i]
        row = []
        for t in range(len(ramp)):
            funding = sum(
                (sponsors[i] if private[j] else subsidies[i]) * grants[j][t]
                for j in range(len(grants))
                if obtained[i][j]
            )
            row.append(revenue_full * ramp[t] + funding - costs[i] * model.costs)
        rows.append(row)
    return np.array(rows)


def loop(models, volumes, settings) -> dict[str, np.ndarray]:
    """The baseline: the same draws (drawn by `risk.draw`, vectorised, which favours the
    baseline), then a Python loop over draws for each scenario."""
    shocks = risk.draws_for(models, volumes, settings)
    return {name: loop_results(model, shocks) for name, model in models.items()}


def agree(draws: int = 200) -> bool:
    """Loop and vectorised Monte Carlo give the same results on `draws` draws."""
    args = scenario_models(draws)
    fast, slow = vectorised(*args), loop(*args)
    return fast.keys() == slow.keys() and all(
        np.allclose(fast[k], slow[k], rtol=1e-12, atol=1e-6) for k in fast
    )
