"""Phase 10: governance scheme, site feasibility (the legal forms: test_legal_form)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.core.config import ROOT, ConfigError, load_params
from pipeline.core.settings import check
from pipeline.core.settings.governance import FeasibilitySettings
from pipeline.core.validate import InputFileError
from pipeline.governance import build, form_views, views
from pipeline.governance import feasibility as feas
from pipeline.governance import legal_form as gov

SCHEME = """forme,ordre,instance,composition,role,frequence
SCIC,2,Conseil,Élus des collèges,Stratégie,Chaque trimestre
SCIC,1,Assemblée générale,Associés,Comptes,Une fois par an
Régie,1,Conseil communautaire,Élus,Budget,Une fois par an
Association loi 1901,1,Assemblée générale,Membres,Orientations,Une fois par an
"""


def write(tmp_path, text, name="instances.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- governance scheme ----------------------------------------------------------------------


FORMS = ["Association loi 1901", "Régie", "SCIC"]


def test_scheme_of_the_recommended_form_in_order(tmp_path):
    scheme = gov.read_scheme(write(tmp_path, SCHEME), FORMS)
    bodies = gov.governance_scheme(scheme, "SCIC")
    assert bodies["instance"].tolist() == ["Assemblée générale", "Conseil"]
    shown = form_views.scheme_table(bodies)
    assert list(shown.columns) == ["Instance", "Qui siège", "Rôle", "Réunions"]
    assert "SCIC" in form_views.scheme_text(bodies)
    assert gov.governance_scheme(scheme, "Régie")["instance"].iloc[0] == "Conseil communautaire"


def test_scheme_errors_name_file_line_column(tmp_path):
    bad = write(tmp_path, SCHEME.replace("Régie,1,", "Regie,1,"))
    with pytest.raises(
        InputFileError, match=r"line 4, column 'forme': expected one of.*found text of 5 characters"
    ):
        gov.read_scheme(bad, FORMS)
    missing = write(
        tmp_path, SCHEME.replace("Régie,1,Conseil communautaire,Élus,Budget,Une fois par an\n", "")
    )
    with pytest.raises(InputFileError, match="found none for Régie"):
        gov.read_scheme(missing, FORMS)
    duplicate = write(tmp_path, SCHEME.replace("SCIC,2,", "SCIC,1,"))
    with pytest.raises(InputFileError, match="line 3"):
        gov.read_scheme(duplicate, FORMS)
    with pytest.raises(ValueError, match="no body for the recommended form 'SPL'"):
        gov.governance_scheme(gov.read_scheme(write(tmp_path, SCHEME), FORMS), "SPL")


def test_project_scheme_covers_every_form():
    forms = gov.read_legal_forms(ROOT / gov.LEGAL_FORMS_FILE)
    scheme = gov.read_scheme(ROOT / gov.SCHEME_FILE, list(forms["forme"]))
    assert set(scheme["forme"]) == set(forms["forme"])
    assert (scheme.groupby("forme").size() >= 3).all()


# --- feasibility ----------------------------------------------------------------------------

SETTINGS = FeasibilitySettings.model_validate(
    load_params()["governance"]["feasibility"]
).model_dump()
SITE = pd.Series(
    {
        "nom": "Ancienne école",
        "nom_commune": "Saint-Pierre",
        "surface_m2": 150.0,
        "fibre": True,
        "transit": 0,
        "accessible_pmr": False,
        "parking": 10.0,
        "bandwidth_mbps": float("nan"),
    }
)
LOAD = {"peak": 20.0, "largest_event": 60, "staff_fte": 2.0, "car_share": 0.85}


def test_car_share_is_the_study_zone_census_share():
    summary = pd.DataFrame({"level": ["EPCI", "Zone d'étude"], "car_share": [0.7, 0.8]})
    assert build.zone_car_share(summary) == 0.8
    with pytest.raises(ValueError, match="no car share for the study zone"):
        build.zone_car_share(summary.iloc[:1])


def statuses(checklist):
    return dict(zip(checklist["criterion"], checklist["status"]))


def test_feasibility_statuses_and_actions():
    checklist = feas.feasibility(SITE, 230, LOAD, SETTINGS)
    assert statuses(checklist) == {
        "Raccordement à la fibre optique": "ok",
        "Débit internet au regard des usages": "ok",  # 20 × 4 = 80 Mbit/s ≤ 500
        "Desserte en transports collectifs": "à traiter",
        "Stationnement": "à traiter",  # 20 × 0.85 / 1.2 + 2 = 16.2 → 17 > 10
        "Accessibilité aux personnes à mobilité réduite": "à traiter",
        "Accueil du public (établissement recevant du public)": "ok",
        "Surface disponible au regard du programme": "à traiter",
    }
    assert checklist.loc[0, "action"] == feas.NO_ACTION
    todo = checklist.loc[checklist["status"] != "ok", "action"]
    assert (todo != feas.NO_ACTION).all()
    row = checklist.set_index("criterion")
    assert row.loc["Stationnement", "value"] == "10 places pour 17 nécessaires"
    assert "7 place(s)" in row.loc["Stationnement", "action"]
    assert checklist.iloc[-1]["value"] == "150 m² disponibles pour 230 m² programmés"


def test_bandwidth_gap_without_fibre():
    site = SITE.copy()
    site["fibre"] = False
    row = feas.feasibility(site, 100, LOAD, SETTINGS).set_index("criterion")
    assert row.loc["Raccordement à la fibre optique", "status"] == "à traiter"
    bandwidth = row.loc["Débit internet au regard des usages"]
    assert bandwidth["status"] == "à traiter"  # 80 Mbit/s needed, 20 without fibre
    assert "au moins 80 Mbit/s" in bandwidth["action"]
    assert bandwidth["value"].endswith("20 Mbit/s disponibles")


def test_site_bandwidth_used_when_known():
    site = SITE.copy()
    site["bandwidth_mbps"] = 50.0
    row = feas.feasibility(site, 100, LOAD, SETTINGS).set_index("criterion")
    assert row.loc["Débit internet au regard des usages", "status"] == "à traiter"


def test_unknown_parking_is_to_be_checked():
    site = SITE.copy()
    site["parking"] = float("nan")
    row = feas.feasibility(site, 100, LOAD, SETTINGS).set_index("criterion").loc["Stationnement"]
    assert row["status"] == "à vérifier" and "17 places" in row["action"]


@pytest.mark.parametrize(
    "public, category",
    [(0, 5), (199, 5), (200, 4), (300, 4), (301, 3), (700, 3), (701, 2), (1500, 2), (1501, 1)],
)
def test_erp_category_thresholds(public, category):
    assert feas.erp_category(public, 200, {4: 300, 3: 700, 2: 1500}) == category


def test_large_event_changes_erp_category():
    row = feas.feasibility(SITE, 100, {**LOAD, "largest_event": 250}, SETTINGS).set_index(
        "criterion"
    )
    erp = row.loc["Accueil du public (établissement recevant du public)"]
    assert erp["status"] == "à traiter" and erp["value"].startswith("4e catégorie")
    assert "4e catégorie" in erp["action"]


def test_presence_from_activity():
    activity = pd.DataFrame(
        {"unit": ["desk_days", "events", "drones"], "volume": [1980.0, 10.0, 5.0]}
    )
    settings = {
        **SETTINGS,
        "usage": {"desk_days": {"visits": 1, "hours": 9}, "events": {"visits": 22, "hours": 9}},
    }
    with pytest.warns(UserWarning, match="drones"):
        got = feas.presence(activity, settings)
    # (1 980 × 9 + 10 × 22 × 9) / (220 days × 9 h) = 10 on average
    assert got["average"] == pytest.approx(10.0)
    assert got["peak"] == pytest.approx(10.0 * SETTINGS["peak_factor"])


def test_feasibility_names_missing_site_column():
    with pytest.raises(ValueError, match="accessible_pmr"):
        feas.feasibility(SITE.drop("accessible_pmr"), 100, LOAD, SETTINGS)


def governance_with(**feasibility) -> dict:
    """params.yaml's governance section, with some feasibility settings replaced."""
    section = load_params()["governance"]
    return {"governance": {**section, "feasibility": {**section["feasibility"], **feasibility}}}


def test_bad_feasibility_settings_are_named():
    with pytest.raises(
        ConfigError,
        match=r"^params\.yaml: key 'governance\.feasibility\.mbps_per_user': expected Mbit/s per "
        r"simultaneous user, above 0, found -1$",
    ):
        check(governance_with(mbps_per_user=-1))
    erp = {"type": "W", "fifth_category_below": 200, "max_public": {"4": 300}}
    with pytest.raises(
        ConfigError,
        match=r"^params\.yaml: key 'governance\.feasibility\.erp\.max_public': expected the "
        r"maximum public of categories 4, 3, 2, found \{'4': 300\}$",
    ):
        check(governance_with(erp=erp))


def test_erp_limits_accept_json_string_keys():
    spec = load_params()["governance"]["feasibility"]
    erp = {**spec["erp"], "max_public": {"4": 300, "3": 700, "2": 1500}}
    assert FeasibilitySettings.model_validate({**spec, "erp": erp}).erp.max_public == {
        4: 300,
        3: 700,
        2: 1500,
    }


def test_site_profile_takes_recommended_site_flags_and_optional_parking():
    sites = pd.DataFrame(
        {
            "site_id": ["S1", "S2"],
            "nom": ["Mairie", "Médiathèque"],
            "nom_commune": ["A", "B"],
            "surface_m2": [300.0, 250.0],
            "cost_per_m2_year": [80.0, 40.0],
            "rank": [2, 1],
            "recommended": [False, True],
        }
    )
    matrix = pd.DataFrame(
        {
            "site_id": ["S2", "S1"],
            "surface_m2": [250.0, 300.0],
            "fibre": [1.0, 0.0],
            "transit": [0.0, 1.0],
            "accessible_pmr": [1.0, 1.0],
        }
    )
    site = feas.site_profile(sites, matrix)
    assert site["nom"] == "Médiathèque"
    assert (site["fibre"], site["transit"], site["accessible_pmr"]) == (1.0, 0.0, 1.0)
    assert pd.isna(site["parking"])
    site = feas.site_profile(sites, matrix.assign(parking=[12.0, 30.0]))
    assert site["parking"] == 12.0
    with pytest.raises(ValueError, match="decision_matrix.*transit"):
        feas.site_profile(sites, matrix.drop(columns="transit"))


def test_segment_labels_of_phase_07():
    demand = pd.DataFrame(
        {"segment": ["students", "teleworkers"], "label": ["Étudiants", "Télétravailleurs"]}
    )
    assert views.segment_labels(demand) == {
        "students": "Étudiants",
        "teleworkers": "Télétravailleurs",
    }


def test_project_governance_settings_are_valid():
    settings = check(load_params()).governance
    assert settings.feasibility.erp.max_public == {4: 300, 3: 700, 2: 1500}
    weights = [c.weight for c in settings.legal_forms.criteria.values()]
    assert sum(weights) == pytest.approx(1)
