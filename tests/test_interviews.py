import numpy as np
import pandas as pd
import pytest

from pipeline import interviews
from pipeline.demo.interviews import grid as demo_grid


def grid_file(tmp_path, table):
    path = tmp_path / "grille.csv"
    table.to_csv(path, index=False)
    return path


@pytest.fixture
def table():
    communes = pd.DataFrame({"code": ["97225", "97204"], "in_study_zone": [True, False]})
    return demo_grid(communes, 12, np.random.default_rng(0))


def test_names_are_dropped(tmp_path, table):
    grid = interviews.read_grid(grid_file(tmp_path, table))
    assert "interlocuteur" not in grid.columns
    names = set(table["interlocuteur"])
    assert not grid.astype(str).isin(names).any().any()


def test_bad_theme_value_names_line_and_column(tmp_path, table):
    table["besoin_fablab"] = table["besoin_fablab"].astype(str)
    table.loc[2, "besoin_fablab"] = "oui"
    with pytest.raises(
        interviews.InterviewFormatError,
        match="line 4, column besoin_fablab: expected 0 or 1, found 'oui'",
    ):
        interviews.read_grid(grid_file(tmp_path, table))


def test_theme_counts_and_small_groups_merged(tmp_path, table):
    grid = interviews.read_grid(grid_file(tmp_path, table))
    counts = interviews.theme_counts(grid).set_index("theme")
    assert counts.loc["besoin_fablab", "interviews"] == grid["besoin_fablab"].sum()
    by_actor = interviews.by_actor(grid, min_cell=100)
    assert by_actor["type_acteur"].tolist() == ["Autres acteurs"]
    assert by_actor["interviews"].item() == 12
