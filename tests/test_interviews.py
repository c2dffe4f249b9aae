import numpy as np
import pandas as pd
import pytest

from pipeline import interviews
from pipeline.demo.interviews import grid as demo_grid
from pipeline.validate import InputFileError


def grid_file(tmp_path, table):
    path = tmp_path / "grille.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture
def table():
    communes = pd.DataFrame({"code": ["97225", "97204"], "in_study_zone": [True, False]})
    return demo_grid(communes, 24, np.random.default_rng(0)).astype(str)


def test_identifiers_are_dropped_and_quotes_scrubbed(tmp_path, table):
    grid = interviews.read_grid(grid_file(tmp_path, table))
    assert not set(interviews.IDENTIFIERS) & set(grid.columns)
    text = " ".join(grid.astype(str).to_numpy().ravel())
    for column in ("interlocuteur", "courriel", "telephone"):
        for value in table[column]:
            assert value not in text, value
    assert "@" not in text


@pytest.mark.parametrize(
    "quote, expected",
    [
        ("Voir Marie Petit demain", "Voir […] demain"),
        ("écrire à marie.petit@example.org", "écrire à […]"),
        ("appeler le 0696 12 34 56 ou +596 696 12 34 56", "appeler le […] ou […]"),
        ("les démarches en ligne", "les démarches en ligne"),  # 'Marc' inside a word stays
    ],
)
def test_scrub(quote, expected):
    assert interviews.scrub(quote, ["Marie Petit", "Marie", "Petit", "Marc"]) == expected


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("besoin_fablab", "oui", "expected one of: 0, 1, found 'oui'"),
        ("type_acteur", "Ministre", "expected one of: Élu, Entreprise"),
        ("position", "peut-être", "expected one of: favorable"),
        ("besoins", "coworking|jacuzzi", "expected '|'-separated values among: coworking"),
        ("soutien_projet", "9", "expected one of: 1, 2, 3, 4, 5, found '9'"),
        ("commune", "972", "expected an INSEE commune code, found '972'"),
    ],
)
def test_bad_values_name_line_and_column(tmp_path, table, column, value, expected):
    table.loc[2, column] = value
    with pytest.raises(InputFileError, match=f"line 4, column '{column}': {expected}"):
        interviews.read_grid(grid_file(tmp_path, table))


def test_duplicated_id_and_missing_column(tmp_path, table):
    dup = table.copy()
    dup.loc[5, "id_entretien"] = dup.loc[1, "id_entretien"]
    with pytest.raises(InputFileError, match="line 7, column 'id_entretien': expected a value not"):
        interviews.read_grid(grid_file(tmp_path, dup))
    with pytest.raises(InputFileError, match="line 1: missing column 'position'"):
        interviews.read_grid(grid_file(tmp_path, table.drop(columns="position")))


def hand_grid():
    rows = [("Élu", 1, "coworking|fablab", "favorable"), ("Élu", 0, "coworking", "réservé"),
            ("Élu", 1, "", "favorable"), ("Habitant", 1, "fablab", "opposé")]  # fmt: skip
    grid = pd.DataFrame(rows, columns=["type_acteur", "besoin_fablab", "besoins", "position"])
    for theme in interviews.THEMES:
        if theme != "besoin_fablab":
            grid[theme] = 0
    return grid


def test_needs_ranked_by_hand():
    needs = interviews.ranked_needs(hand_grid()).set_index("need")
    assert needs.loc["coworking", "interviews"] == 2 and needs.loc["fablab", "interviews"] == 2
    assert needs.loc["coworking", "rank"] == 1 and needs.loc["fablab", "rank"] == 2  # ties: by name
    assert needs.loc["evenements", "interviews"] == 0


def test_heatmap_shares_and_small_groups_merged():
    long = interviews.theme_by_actor(hand_grid(), min_cell=3)
    fablab = long[long["theme"] == "besoin_fablab"].set_index("actor")
    assert fablab.loc["Élu", "share"] == pytest.approx(2 / 3)
    assert fablab.loc["Autres acteurs", "interviews"] == 1  # the lone inhabitant is not shown alone
    assert "Habitant" not in set(long["actor"])
    stance = interviews.stance(hand_grid(), min_cell=3).set_index(["actor", "position"])[
        "interviews"
    ]
    assert stance[("Élu", "favorable")] == 2 and stance[("Autres acteurs", "opposé")] == 1
