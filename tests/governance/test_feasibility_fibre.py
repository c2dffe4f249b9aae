"""Phase 10: the fibre line of a site without fibre follows its commune's FttH coverage."""

import pandas as pd
import pytest

from pipeline.core.config import load_params
from pipeline.core.settings.governance import FeasibilitySettings
from pipeline.governance import feasibility as feas

SETTINGS = FeasibilitySettings.model_validate(
    load_params()["governance"]["feasibility"]
).model_dump()
LOAD = {"peak": 20.0, "largest_event": 60, "staff_fte": 2.0, "car_share": 0.85}
FIBRE = "Raccordement à la fibre optique"


def fibre_line(fibre: bool, share: float | None) -> pd.Series:
    site = pd.Series({"nom": "Ancienne école", "nom_commune": "Le Prêcheur", "surface_m2": 300.0,
                      "fibre": fibre, "transit": 1, "accessible_pmr": True, "parking": 20.0,
                      "bandwidth_mbps": float("nan"), "ftth_share": share})  # fmt: skip
    return feas.feasibility(site, 200, LOAD, SETTINGS).set_index("criterion").loc[FIBRE]


def test_fibre_on_site_needs_nothing_whatever_the_commune():
    assert fibre_line(True, 0.1)["status"] == feas.OK


def test_covered_commune_connection_to_order():
    line = fibre_line(False, 0.95)
    assert line["status"] == feas.TODO
    assert line["action"].startswith("Raccordement à demander")
    assert "95\u202f%" in line["value"] and "95\u202f%" in line["action"]


def test_poorly_covered_commune_alternative_to_plan():
    line = fibre_line(False, 0.2)
    assert line["status"] == feas.TODO
    assert line["action"].startswith("Solution alternative (4G/5G, satellite) à prévoir")


def test_between_the_thresholds_the_address_is_to_check():
    line = fibre_line(False, 0.6)
    assert line["status"] == feas.CHECK and "carte de la fibre de l'Arcep" in line["action"]


def test_unknown_coverage_keeps_the_generic_action():
    line = fibre_line(False, float("nan"))
    assert line["status"] == feas.TODO and line["action"] == feas.ACTIONS["fibre"]


def test_thresholds_are_params_and_must_be_ordered():
    spec = load_params()["governance"]["feasibility"]
    assert spec["ftth"] == {"connect_from": 0.8, "alternative_below": 0.5}
    with pytest.raises(ValueError, match="alternative_below at most connect_from"):
        FeasibilitySettings.model_validate(
            {**spec, "ftth": {"connect_from": 0.5, "alternative_below": 0.8}}
        )
