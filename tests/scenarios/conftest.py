"""Shared data of the phase 09 tests: a small plan, a demand and a site, checkable by hand."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from planned import POPULATION

from pipeline.scenarios import build

LINES = {
    "anct": {
        "label": "ANCT",
        "kind": "public",
        "eur": [60000, 50000, 50000, 50000],
        "after": "zero",
        "cap_year_eur": 50000,
        "cap_total_eur": 150000,
        "max_years": 3,
        "probability": 0.5,
        "probability_reason": "Ligne nationale menacée.",
    },
    "epci": {"label": "EPCI", "kind": "public", "eur": [10000], "after": "repeat"},
    "partners": {"label": "Mécènes", "kind": "private", "eur": [1000, 2000], "after": "repeat"},
}
INVEST_LINES = {
    "feder": {"label": "FEDER", "share": 0.5, "payment": [0.5, 0.5]},
    "state": {"label": "État", "share": 0.3, "cap_eur": 20000},
    "epci": {"label": "EPCI", "balance": True},
}


def plan_settings(**overrides) -> dict:
    """A 4-year plan with two scenarios, small enough to check by hand."""
    base = {
        "years": 4,
        "plan_years": 3,
        "discount_rate": 0.10,
        "required_functions": 2,
        "works_eur_m2": {"light": 500, "medium": 1000, "heavy": 2000},
        "equipment_eur": {"coworking": 10000, "fablab": 50000, "digital_mediation": 5000},
        "equipment_eur_per_desk": 0,
        "investment_shares": {"it": 0.1, "furniture": 0.1, "studies": 0.1, "contingency": 0.1},
        "staff_posts": {
            "manager": {"label": "Direction", "salary_eur": 40000},
            "mediator": {"label": "Médiation", "salary_eur": 30000},
        },
        "operating_costs": {
            "utilities_eur_m2": 10,
            "insurance_eur_m2": 2,
            "maintenance_share": 0.1,
            "communication_eur": 1000,
            "subscriptions_eur": 500,
        },
        "units": {
            "desk_days": {"price": 12, "functions": ["coworking", "occasional_telework"]},
            "mediation_sessions": {"price": 0, "functions": ["digital_mediation"]},
            "fablab_hours": {"price": 5, "functions": ["fablab"]},
            "events": {"price": 100, "functions": []},
        },
        "ramp_up": [0.5, 1.0],
        "operating_funding": copy.deepcopy(LINES),
        "investment_funding": copy.deepcopy(INVEST_LINES),
        "min_own_share": 0.0,
        "working_capital_months": 3,
        "scenarios": {
            "a": {
                "label": "A",
                "functions": ["coworking", "digital_mediation"],
                "renovation": "medium",
                "surface_m2": {"coworking": 60, "common": 40},
                "staff_fte": {"manager": 1.0},
                "demand_share": 1.0,
                "activity": {"events": 10},
            },
            "b": {
                "label": "B",
                "functions": ["fablab", "digital_mediation", "project_support"],
                "renovation": "light",
                "surface_m2": {"fablab": 20, "digital_mediation": 10},
                "staff_fte": {"mediator": 0.5},
                "demand_share": 0.5,
                "extra_costs_eur": {"Véhicule": 2000},
            },
        },
        "funding_cases": {
            "tous": {"label": "Tous financements", "without": []},
            "sans_anct": {"label": "Sans ANCT", "without": ["anct"]},
            "sans_feder": {"label": "Sans FEDER", "without": ["feder"]},
        },
        "criteria": {"npv": 0.4, "own_revenue_share": 0.3, "functions_covered": 0.3},
        "ranking": {"npv_per_inhabitant": 100, "epci_net_cost_per_inhabitant": 10},
        "ranking_robustness": {"draws": 500, "seed": 11, "concentration": 40},
        # Needs of MEASURES: the interviews cite project support most, the survey wants
        # coworking most.
        "needs_fit": {
            "survey": {
                "weight": 0.3,
                "question": "Q11",
                "needs": {
                    "cowork": ["coworking"],
                    "fablab": ["fablab"],
                    "aide": ["digital_mediation"],
                },
            },  # fmt: skip
            "interviews": {
                "weight": 0.3,
                "needs": {
                    "accompagnement": ["project_support"],
                    "mediation": ["digital_mediation"],
                    "coworking": ["coworking"],
                },
            },  # fmt: skip
            "demand": {"weight": 0.2},
            "white_zones": {"weight": 0.1, "needs": {"fablab": ["fablab"]}},
            "telework_pool": {"weight": 0.1, "functions": ["coworking", "occasional_telework"]},
            "call": {"weight": 0.0},
        },
        # One price for every user: the plan's revenue as written above (tests/scenarios/
        # test_pricing.py sets a grid and the willingness to pay).
        "pricing": {
            "willingness_to_pay": {},
            "grid": {},
            "segments": {
                "teleworkers": {"teleworker": 1.0},
                "independents": {"independent": 1.0},
                "job_seekers": {"resident": 1.0},
                "students": {"resident": 1.0},
            },
            "mix": {},
        },
        # Sized to the programme written above (the small demand needs 40 desks of 1.5 m² at half
        # occupancy, one fablab user of 20 m², common areas as large as the rest, half a
        # mediator) and room enough for that demand at its high value: no volume capped
        # (tests/scenarios/test_capacity.py).
        "capacity": {
            "opening_days": 250,
            "opening_hours": 10,
            "desk_m2": 1.5,
            "fablab_m2_per_user": 20,
            "mediation_sessions_per_fte": 2000,
            "room_bookings_per_day": 2,
            "target_occupancy": 0.5,
            "max_occupancy": 1.0,
            "min_m2": {},
            "common_share": 1.0,
            "visits_per_facilitator_day": 25,
            "fte_step": 0.5,
        },
        "risk": {
            "seed": 7,
            "draws": 2000,
            "price": {"range": [0.8, 1.0, 1.1], "reason": "Tarifs."},
            "services": {"range": [0.5, 1.0, 1.2], "reason": "Objectifs."},
            "costs": {"range": [0.9, 1.0, 1.2], "reason": "Dérive."},
            "subsidies": {"range": [0.8, 1.0, 1.0], "reason": "Plafonnées."},
            "partners": {"range": [0.5, 1.0, 1.0], "reason": "Incertains."},
            "investment": {"range": [1.0, 1.0, 1.3], "reason": "Dépassements."},
            "bins": 10,
        },
        "whatif": {
            "price": [0.8, 1.0, 1.2],
            "attendance": [0.5, 1.0, 1.5],
            "epci_grant_eur": [0, 20000],
        },
    }
    base.update(overrides)
    return base


DEMAND = pd.DataFrame(
    {
        "segment": ["teleworkers", "independents", "job_seekers", "students"],
        "label": ["Télétravailleurs", "Indépendants", "Demandeurs d'emploi", "Étudiants"],
        "unit": ["desk_days", "desk_days", "mediation_sessions", "fablab_hours"],
        "base": [0.0] * 4,
        "low": [1500.0, 1000.0, 200.0, 500.0],
        "central": [3000.0, 2000.0, 400.0, 1000.0],
        "high": [4500.0, 3000.0, 600.0, 1500.0],
        "users": [60.0, 40.0, 80.0, 20.0],
    }
)
# The other tables of phases 02 to 05 phase 09 reads, small: the survey's services and day price,
# the interviews' needs, the study zone's coverage, the telework pool.
MEASURES = {
    "estimates": pd.DataFrame(
        {
            "indicator": ["cowork", "fablab", "aide", "interet"],
            "label": ["Coworking", "Fablab", "Aide numérique", "Intérêt"],
            "question": ["Q11", "Q11", "Q11", "Q09"],
            "weighted": [0.4, 0.1, 0.2, 0.5],
        }
    ),
    "price_distribution": pd.DataFrame(
        {
            "question": ["Q13"] * 4,
            "label": ["Journée"] * 4,
            "band": ["moins de 5 €", "5 à moins de 10 €", "10 à moins de 15 €", "15 € ou plus"],
            "order": [0, 1, 2, 3],
            "n": [100] * 4,
            "weighted": [0.1, 0.4, 0.3, 0.2],
            "suppressed": [False] * 4,
        }
    ),
    "prices": pd.DataFrame({"question": ["Q13"], "label": ["Journée"], "weighted_median": [10.0]}),
    "needs": pd.DataFrame(
        {
            "need": ["accompagnement", "mediation", "coworking"],
            "label": ["Accompagnement de projets", "Aide au numérique", "Coworking"],
            "share": [14 / 24, 10 / 24, 6 / 24],
        }
    ),
    "coverage": pd.DataFrame(
        {
            "in_study_zone": [True, True, False],
            "population": [1000.0, 3000.0, 5000.0],
            "service": ["fablab", "fablab", "fablab"],
            "service_label": ["Fablab"] * 3,
            "white_zone": [True, False, True],
        }
    ),
    "telework_pool": pd.DataFrame({"code": ["1", "2"], "telework_pool": [40.0, 60.0]}),
}
SITE = pd.Series(
    {
        "site_id": "s1",
        "nom": "Ancienne école",
        "nom_commune": "Saint-Pierre",
        "surface_m2": 200.0,
        "cost_per_m2_year": 100.0,
        "rank": 1,
    }
)


@pytest.fixture(scope="session")
def settings():
    """A factory of the small plan's `scenarios` settings; keyword arguments replace keys."""
    return plan_settings


@pytest.fixture(scope="session")
def invest_lines() -> dict:
    return INVEST_LINES


@pytest.fixture(scope="session")
def demand() -> pd.DataFrame:
    return DEMAND


@pytest.fixture(scope="session")
def site() -> pd.Series:
    return SITE


@pytest.fixture(scope="session")
def measures() -> dict[str, pd.DataFrame]:
    return MEASURES


@pytest.fixture(scope="session")
def evaluate():
    """Every table of phase 09 for the small plan (or settings `s`) and the demand, in a
    study zone of `POPULATION` inhabitants."""

    def run(s: dict | None = None, demand: pd.DataFrame = DEMAND) -> dict[str, pd.DataFrame]:
        s = s or plan_settings()
        tables = build.evaluate(s, 0.20, demand, SITE, MEASURES)
        return {**tables, **build.money(tables, s, POPULATION)}

    return run
