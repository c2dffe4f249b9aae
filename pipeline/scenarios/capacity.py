"""Phase 09, capacity: what a scenario can sell in a year from its surfaces, opening and staff
(`scenarios.capacity` of params). Volumes of activity are capped at it."""

from __future__ import annotations

DESK_SPACES = ("coworking", "occasional_telework")
ROOM_FUNCTIONS = ("coworking", "occasional_telework", "project_support")
# Units of activity that each bring one person into the place once: a desk day, a mediation
# session, a room booking, an hour of fablab (an upper bound for the fablab, whose users may stay
# several hours). Services to businesses, support days and events are not counted as visits.
VISIT_UNITS = ("desk_days", "mediation_sessions", "room_bookings", "fablab_hours")


def unit_capacities(scenario: dict, settings: dict) -> dict[str, float]:
    """Yearly capacity by unit of activity; a unit with no rule here has none (infinite).

    desk days: desks (m² of coworking and telework space / m² per desk) × opening days × the
    highest average occupancy (`max_occupancy`: the rest absorbs the busiest days);
    fablab hours: users at once (fablab m² / m² per user) × opening days × hours a day × the
    same occupancy;
    mediation sessions: mediators' FTE × sessions a year per FTE;
    room bookings: one meeting room when the scenario offers a function that rents rooms,
    × bookings a day × opening days."""
    rules = settings["capacity"]
    surfaces = scenario["surface_m2"]
    days, occupancy = float(rules["opening_days"]), float(rules["max_occupancy"])
    desks_m2 = sum(float(surfaces.get(space, 0.0)) for space in DESK_SPACES)
    rooms = float(bool(set(scenario["functions"]) & set(ROOM_FUNCTIONS)))
    return {
        "desk_days": desks_m2 / float(rules["desk_m2"]) * days * occupancy,
        "fablab_hours": float(surfaces.get("fablab", 0.0))
        / float(rules["fablab_m2_per_user"])
        * days
        * float(rules["opening_hours"])
        * occupancy,
        "mediation_sessions": float(scenario["staff_fte"].get("mediator", 0.0))
        * float(rules["mediation_sessions_per_fte"]),
        "room_bookings": rooms * float(rules["room_bookings_per_day"]) * days,
    }


def cap(demand: float, own: float, capacity: float) -> tuple[float, float]:
    """The scenario's own volume, then the demand's, within `capacity` (own volumes first: the
    place sets them itself)."""
    own_kept = min(own, capacity)
    return min(demand, capacity - own_kept), own_kept
