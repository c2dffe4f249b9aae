"""Phase 09, sizing: each scenario's surfaces and staff fitted to the demand it would serve.

A scenario's `surface_m2` and `staff_fte` (params.yaml) are the largest programme it allows.
Spaces and posts that demand drives are sized from the volumes wanted at full activity (its
share of phase 07's demand plus its own volumes), within that programme and the minimum of
`scenarios.capacity` (`min_m2`, `fte_step`); the other spaces and posts are kept as written:

- desks (coworking and telework spaces) = desk days / (opening days × target occupancy), × m²
  per desk, split between the two spaces in proportion to their programmed m²;
- fablab m² = users at once (hours / (days × hours a day × target occupancy)) × m² per user;
- common areas = `common_share` of the other spaces;
- mediators = sessions / sessions a year per FTE, facilitators = visits a day / visits a day
  per FTE, each rounded up to `fte_step`.
"""

from __future__ import annotations

import math

import pandas as pd

from pipeline.scenarios.capacity import DESK_SPACES, VISIT_UNITS

SIZING_COLUMNS = ["scenario", "resource", "needed", "minimum", "maximum", "kept", "bound"]
# French name of each bound (`bound` column): what set the size kept
BOUNDS = {"need": "demande", "minimum": "minimum", "maximum": "programme maximal"}


def step_up(value: float, step: float) -> float:
    """`value` rounded up to a multiple of `step` (FTE in half posts)."""
    return math.ceil(value / step - 1e-9) * step


def clip(needed: float, low: float, high: float) -> tuple[float, str]:
    """`needed` within [low, high] (high wins when low > high), and which bound set it."""
    if needed > high:
        return high, "maximum"
    if needed < low:
        return min(low, high), "minimum"
    return needed, "need"


def size(name: str, scenario: dict, wanted: dict[str, float], settings: dict):
    """The scenario with its surfaces and staff sized to `wanted` (full-year volumes by unit),
    and one row per sized resource (table `sizing`)."""
    rules = settings["capacity"]
    days, hours = float(rules["opening_days"]), float(rules["opening_hours"])
    occupancy, minimum = float(rules["target_occupancy"]), rules["min_m2"]
    surfaces, staff = dict(scenario["surface_m2"]), dict(scenario["staff_fte"])
    rows = []

    def fit(resource, needed, low, high):
        kept, bound = clip(needed, low, high)
        rows.append((name, resource, needed, low, high, kept, bound))
        return kept

    desk_spaces = [s for s in DESK_SPACES if s in surfaces]
    if desk_spaces:
        most = sum(float(surfaces[s]) for s in desk_spaces)
        desks = math.ceil(wanted.get("desk_days", 0.0) / (days * occupancy) - 1e-9)
        low = max(float(minimum.get(s, 0.0)) for s in desk_spaces)
        kept = fit("desk_m2", desks * float(rules["desk_m2"]), low, most)
        for space in desk_spaces:
            surfaces[space] = kept * float(surfaces[space]) / most if most else 0.0
    if "fablab" in surfaces:
        users = math.ceil(wanted.get("fablab_hours", 0.0) / (days * hours * occupancy) - 1e-9)
        needed = users * float(rules["fablab_m2_per_user"])
        surfaces["fablab"] = fit(
            "fablab_m2", needed, float(minimum.get("fablab", 0.0)), float(surfaces["fablab"])
        )
    if "common" in surfaces:
        others = sum(float(v) for k, v in surfaces.items() if k != "common")
        surfaces["common"] = fit(
            "common_m2", others * float(rules["common_share"]), 0.0, float(surfaces["common"])
        )
    step = float(rules["fte_step"])
    if "mediator" in staff:
        sessions = wanted.get("mediation_sessions", 0.0) / float(rules["mediation_sessions_per_fte"])
        staff["mediator"] = fit("mediator_fte", step_up(sessions, step), step, float(staff["mediator"]))
    if "facilitator" in staff:
        visits = sum(wanted.get(u, 0.0) for u in VISIT_UNITS) / days
        per_fte = float(rules["visits_per_facilitator_day"])
        staff["facilitator"] = fit(
            "facilitator_fte", step_up(visits / per_fte, step), step, float(staff["facilitator"])
        )
    sized = {**scenario, "surface_m2": surfaces, "staff_fte": staff}
    return sized, pd.DataFrame(rows, columns=SIZING_COLUMNS)
