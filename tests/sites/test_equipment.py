"""Phase 08: facilities of the BPE near each candidate site, and its commune's FttH coverage."""

import pandas as pd
import pytest

from pipeline.core.config import load_params
from pipeline.core.settings.sites import SitesSettings
from pipeline.sites import views
from pipeline.sites.equipment import equipment_near, ftth_share

# Two sites 0.01° of latitude apart (1.11 km), at the equator for round distances.
SITES = pd.DataFrame(
    {
        "site_id": ["S1", "S2"],
        "nom": ["Ancienne école", "Local du bourg"],
        "commune": ["97219", "97225"],
        "nom_commune": ["Le Prêcheur", "Saint-Pierre"],
        "lon": [0.0, 0.0],
        "lat": [0.0, 0.01],
        "rank": [2, 1],
    }
)
FACILITIES = pd.DataFrame(
    {
        "commune": ["97219"] * 4,
        "typequ": ["A128", "D265", "D265", "D307"],
        "lon": [0.0, 0.0, 0.0, 0.0],
        "lat": [0.02, 0.005, 0.0, 0.5],
    }
)
SETTINGS = {"radius_km": 1.0, "france_services": "A128",
            "kinds": {"D265": "Médecin généraliste", "D307": "Pharmacie", "F307": "Bibliothèque"}}  # fmt: skip


def test_nearest_france_services_and_facilities_within_the_radius():
    table = equipment_near(SITES, FACILITIES, SETTINGS).set_index(["site_id", "typequ"])
    assert table.loc[("S1", "A128"), "label"] == "France services"
    assert table.loc[("S1", "A128"), "nearest_km"] == pytest.approx(2.22, abs=0.01)
    assert table.loc[("S2", "A128"), "nearest_km"] == pytest.approx(1.11, abs=0.01)
    assert table.loc[("S1", "D265"), "within_radius"] == 2  # 0 and 0.56 km
    assert table.loc[("S2", "D265"), "within_radius"] == 1  # 0.56 km; the other is 1.11 km
    assert table.loc[("S1", "D307"), "within_radius"] == 0
    assert table.loc[("S1", "F307"), "within_radius"] == 0  # no library in the file
    assert pd.isna(table.loc[("S1", "F307"), "nearest_km"])


def test_ftth_share_of_the_site_commune():
    coverage = pd.DataFrame({"code_insee": ["97219"], "ftth_share": [0.2]})
    shares = ftth_share(SITES, coverage)
    assert shares.iloc[0] == 0.2 and pd.isna(shares.iloc[1])


def test_table_in_french_best_site_first():
    sites = SITES.assign(ftth_share=[0.2, float("nan")])
    table = views.equipment_table(equipment_near(sites, FACILITIES, SETTINGS), sites, 1.0)
    assert table["Site"].tolist() == ["S2 · Local du bourg", "S1 · Ancienne école"]
    assert table.columns.tolist() == [
        "Site",
        "Commune",
        "Locaux éligibles à la fibre (FttH) dans la commune",
        "France services la plus proche (km)",
        "Médecin généraliste à 1 km ou moins",
        "Pharmacie à 1 km ou moins",
        "Bibliothèque à 1 km ou moins",
    ]
    assert table.iloc[1]["Locaux éligibles à la fibre (FttH) dans la commune"] == "20\u202f%"
    assert table.iloc[0]["France services la plus proche (km)"] == "1,1"


def test_settings_refuse_a_code_that_is_not_a_bpe_type():
    spec = load_params()["sites"]
    assert SitesSettings.model_validate(spec).equipment.france_services == "A128"
    bad = {**spec, "equipment": {**spec["equipment"], "kinds": {"pharmacie": "Pharmacie"}}}
    with pytest.raises(ValueError, match="BPE types"):
        SitesSettings.model_validate(bad)
