"""Phase 10: legal forms grid, weighted scores, site feasibility checklist."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import governance as gov
from pipeline.config import ROOT, ConfigError, load_params

WEIGHTS = {"public_control": 0.5, "flexibility": 0.5}
GRID = """forme,description,public_control,flexibility,source
Association loi 1901,souple,2,5,Hypothèse d'étude (grille qualitative)
Régie,publique,5,1,Hypothèse d'étude (grille qualitative)
SCIC,coopérative,4,4,Hypothèse d'étude (grille qualitative)
"""


@pytest.fixture
def grid(tmp_path):
    path = tmp_path / "formes.csv"
    path.write_text(GRID, encoding="utf-8")
    return path


def test_scores_rank_and_recommendation(grid):
    table = gov.score_forms(gov.read_legal_forms(grid, list(WEIGHTS)), WEIGHTS)
    assert table["forme"].tolist() == ["SCIC", "Association loi 1901", "Régie"]
    assert table["score"].tolist() == pytest.approx([4.0, 3.5, 3.0])
    assert table["rank"].tolist() == [1, 2, 3]
    assert table["recommended"].tolist() == [True, False, False]


def test_recommendation_follows_weights(grid):
    forms = gov.read_legal_forms(grid, list(WEIGHTS))
    table = gov.score_forms(forms, {"public_control": 1.0, "flexibility": 0.0})
    assert table.loc[table["recommended"], "forme"].item() == "Régie"


def test_bad_score_names_file_line_and_column(tmp_path):
    path = tmp_path / "formes.csv"
    path.write_text(GRID.replace("SCIC,coopérative,4,4", "SCIC,coopérative,4,7"))
    with pytest.raises(ValueError, match=r"formes\.csv, line 4, column 'flexibility'.*'7'"):
        gov.read_legal_forms(path, list(WEIGHTS))


def test_non_numeric_score_is_reported(tmp_path):
    path = tmp_path / "formes.csv"
    path.write_text(GRID.replace("Régie,publique,5,1", "Régie,publique,fort,1"))
    with pytest.raises(ValueError, match=r"line 3, column 'public_control'"):
        gov.read_legal_forms(path, list(WEIGHTS))


def test_missing_criterion_column_is_named(grid):
    with pytest.raises(ValueError, match="missing column.*vat_recovery"):
        gov.read_legal_forms(grid, [*WEIGHTS, "vat_recovery"])


def test_weights_must_sum_to_one(grid):
    forms = gov.read_legal_forms(grid, list(WEIGHTS))
    with pytest.raises(ConfigError, match="sum to 1"):
        gov.score_forms(forms, {"public_control": 0.5, "flexibility": 0.6})


def test_project_grid_matches_params():
    """The committed grid covers every criterion weighted in params.yaml, with valid scores."""
    weights = load_params()["governance"]["criteria"]
    forms = gov.read_legal_forms(ROOT / gov.LEGAL_FORMS_FILE, list(weights))
    assert len(forms) == 6
    assert set(forms["source"]) == {"Hypothèse d'étude (grille qualitative)"}
    table = gov.score_forms(forms, weights)
    assert table["recommended"].sum() == 1


SITE = pd.Series(
    {
        "nom": "Ancienne école",
        "nom_commune": "Saint-Pierre",
        "surface_m2": 150.0,
        "fibre": True,
        "transit": 0,
        "accessible_pmr": False,
    }
)


def test_feasibility_statuses_and_actions():
    checklist = gov.feasibility(SITE, programme_m2=230)
    status = dict(zip(checklist["criterion"], checklist["status"]))
    assert status == {
        "Raccordement à la fibre optique": "ok",
        "Desserte en transports collectifs": "à traiter",
        "Accessibilité aux personnes à mobilité réduite": "à traiter",
        "Surface disponible au regard du programme": "à traiter",
    }
    assert checklist.loc[0, "action"] == gov.NO_ACTION
    assert (checklist.loc[checklist["status"] == "à traiter", "action"] != gov.NO_ACTION).all()
    assert checklist.loc[3, "value"] == "150 m² disponibles pour 230 m² programmés"


def test_feasibility_surface_ok_when_large_enough():
    checklist = gov.feasibility(SITE, programme_m2=150)
    assert checklist.iloc[-1]["status"] == "ok"


def test_feasibility_names_missing_site_column():
    with pytest.raises(ValueError, match="accessible_pmr"):
        gov.feasibility(SITE.drop("accessible_pmr"), programme_m2=100)


def test_site_profile_takes_best_site_and_its_flags():
    sites = pd.DataFrame(
        {
            "site_id": ["S1", "S2"],
            "nom": ["Mairie", "Médiathèque"],
            "nom_commune": ["A", "B"],
            "surface_m2": [300.0, 250.0],
            "cost_per_m2_year": [80.0, 40.0],
            "rank": [2, 1],
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
    site = gov.site_profile(sites, matrix)
    assert site["nom"] == "Médiathèque"
    assert (site["fibre"], site["transit"], site["accessible_pmr"]) == (1.0, 0.0, 1.0)
    checklist = gov.feasibility(site, programme_m2=160)
    assert checklist["status"].tolist() == ["ok", "à traiter", "ok", "ok"]
    assert checklist["value"].tolist()[:3] == ["oui", "non", "oui"]
    with pytest.raises(ValueError, match="decision_matrix.*transit"):
        gov.site_profile(sites, matrix.drop(columns="transit"))
