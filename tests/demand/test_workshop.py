from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline.core.validate import InputFileError
from pipeline.demand import views, workshop
from pipeline.demo import workshop as demo

HEADER = "idee_id,atelier,idee,service,votes"
ROWS = [
    "A1-01,Atelier 1,Des postes à la journée,coworking,8",
    "A1-02,Atelier 1,Un repair café,fablab,2",
    "A2-01,Atelier 2,Des permanences numériques,digital_mediation,8",
    "A2-02,Atelier 2,Des postes à la journée,coworking,4",
    "A2-03,Atelier 2,Un café associatif,community,0",
]


def write(tmp_path, *rows):
    path = tmp_path / workshop.FILE
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_ideas_are_read_and_ranked_by_votes(tmp_path):
    ideas = workshop.rank_ideas(workshop.read_ideas(write(tmp_path, *ROWS)))
    assert ideas["idea_id"].tolist() == ["A1-01", "A2-01", "A2-02", "A1-02", "A2-03"]
    assert ideas["rank"].tolist() == [1, 1, 3, 4, 5]  # ties share the better rank
    # Shares of each workshop's votes: 10 in workshop 1, 12 in workshop 2.
    np.testing.assert_allclose(ideas["vote_share"], [0.8, 8 / 12, 4 / 12, 0.2, 0.0])
    assert ideas.loc[0, "service_label"] == "Coworking"


def test_bad_rows_name_line_column_expected_and_found(tmp_path):
    path = write(
        tmp_path,
        ROWS[0],
        "A1-02,Atelier 1,Une cuisine,cuisine,2",
        "A1-01,Atelier 1,,coworking,-1",
    )
    with pytest.raises(InputFileError) as error:
        workshop.read_ideas(path)
    message = str(error.value)
    assert str(path) in message
    assert "line 3, column 'service': expected one of: digital_mediation" in message
    assert "found text of 7 characters (letters)" in message and "cuisine" not in message
    assert "line 4, column 'idee_id': expected a value not already used" in message
    assert "line 4, column 'idee': expected a non-empty value" in message
    assert (
        "line 4, column 'votes': expected a whole number of at least 0, "
        "found a negative number of 1 digit" in message
    )


def test_ideas_are_scrubbed_of_personal_data(tmp_path):
    """Ideas are free text, and the most voted are printed in the report."""
    path = write(
        tmp_path,
        'A1-01,Atelier 1,"Voir Mme Lebrun (06 96 12 34 56, lebrun [at] orange.fr)",coworking,8',
        "A1-02,Atelier 1,Comme le fait Jean DUPONT au chemin des Hauts,fablab,2",
        "A1-03,Atelier 1,Suivre @tierslieu972 et linkedin.com/in/jdupont,community,1",
    )
    ideas = workshop.read_ideas(path)
    text = " ".join(ideas["idea"])
    for secret in ("Lebrun", "06 96", "orange", "DUPONT", "Hauts", "tierslieu972", "linkedin"):
        assert secret not in text
    assert ideas["idea"].tolist()[1] == "Comme le fait […] au […]"


def test_services_ranked_with_their_best_idea_and_demand(tmp_path):
    ideas = workshop.rank_ideas(workshop.read_ideas(write(tmp_path, *ROWS)))
    demand = pd.DataFrame(
        {"unit": ["desk_days"], "low": [100.0], "central": [200.0], "high": [300.0]}
    )
    table = workshop.by_service(ideas, demand)
    assert len(table) == len(workshop.SERVICES)  # every service, voted for or not
    top = table.iloc[0]
    assert top["service"] == "coworking" and top["votes"] == 12 and top["ideas"] == 2
    assert top["vote_share"] == pytest.approx(12 / 22)
    assert top["top_idea"] == "Des postes à la journée"
    assert top["unit"] == "desk_days" and top["demand_central"] == 200
    second = table.iloc[1]
    assert second["service"] == "digital_mediation" and np.isnan(second["demand_central"])
    silent = table.set_index("service").loc["telework"]
    assert silent["votes"] == 0 and silent["top_idea"] == ""
    assert table["rank"].tolist()[:3] == [1, 2, 3]


def test_tables_are_french(tmp_path):
    ideas = workshop.rank_ideas(workshop.read_ideas(write(tmp_path, *ROWS)))
    shown = views.ideas_table(ideas, top=2)
    assert len(shown) == 2 and shown.loc[0, "Part des votes de l'atelier"] == "80\u202f%"
    demand = pd.DataFrame({"unit": ["desk_days"], "low": [1.0], "central": [1500.0], "high": [2.0]})
    services = views.services_table(workshop.by_service(ideas, demand))
    assert services.loc[0, "Demande estimée (hypothèse centrale)"] == (
        "1\u202f500 journées de poste de travail par an"
    )
    assert (
        services.set_index("Service").loc["Accompagnement de projets", "Idée la plus soutenue"]
        == "–"
    )


def test_demo_workshops_are_valid_and_reproducible(tmp_path):
    communes = pd.DataFrame(
        {
            "code": ["00001", "00002", "00003", "00004"],
            "nom": ["Alpha", "Bêta", "Gamma", "Delta"],
            "population": [1000, 3000, 2000, 9000],
            "in_study_zone": [True, True, True, False],
        }
    )
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    (a,) = demo.write(SimpleNamespace(communes=communes, out_dir=first), np.random.default_rng(9))
    (b,) = demo.write(SimpleNamespace(communes=communes, out_dir=second), np.random.default_rng(9))
    assert a.read_bytes() == b.read_bytes()
    ideas = workshop.read_ideas(a)
    # One workshop in each of the study zone's three largest communes, largest first.
    assert list(dict.fromkeys(ideas["workshop"])) == [
        "Atelier 1 (Bêta)",
        "Atelier 2 (Gamma)",
        "Atelier 3 (Alpha)",
    ]
    per_workshop = ideas.groupby("workshop")["votes"].sum()
    assert (per_workshop % demo.VOTES_PER_PARTICIPANT == 0).all()  # three dots each
    assert ideas["service"].isin(list(workshop.SERVICES)).all()
