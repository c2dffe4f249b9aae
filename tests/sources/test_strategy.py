import pandas as pd
import pytest

from pipeline.core.config import ROOT, load_params, load_territory
from pipeline.core.validate import InputFileError
from pipeline.sources import strategy

HEADER = "numero,pilier,action,cout_keur,financeurs,fonctions_tiers_lieu\n"


def test_martinique_plan_has_23_actions_and_some_map_to_tiers_lieu_functions():
    actions = strategy.load(ROOT, load_territory("nord_caraibe", load_params()))
    assert len(actions) == 23
    assert actions["cout_keur"].sum() == pytest.approx(16_890)
    mapped = actions[actions["mapped"]]
    assert {7, 8} <= set(mapped["numero"])  # visibility of tiers-lieux, télécentres
    assert not actions.set_index("numero").loc[5, "mapped"]  # artificial intelligence
    funders = strategy.funders(actions).set_index("funder")
    assert funders.loc["France 2030", "cost_keur"] == 800  # télécentres 300 + ICC pole 500


def test_territory_without_strategy_gives_empty_tables():
    actions = strategy.load(ROOT, {"key": "x", "name": "X", "epci": "200072460"})
    assert actions.empty and list(actions.columns) == strategy.ACTION_COLUMNS
    assert strategy.funders(actions).empty


def test_funders_split_shared_lines(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(
        HEADER + "1,P,A,100,FEDER|CTM,coworking\n2,P,B,50,FEDER,\n3,P,C,,,fablab\n",
        encoding="utf-8",
    )
    funders = strategy.funders(strategy.read_strategy(path)).set_index("funder")
    assert funders["actions"].to_dict() == {"FEDER": 1, "CTM": 1}  # action 2 maps no function
    assert funders.loc["CTM", "cost_keur"] == 100


@pytest.mark.parametrize(
    "row, message",
    [
        ("1,P,A,cent,FEDER,coworking", "line 2, column 'cout_keur'"),
        ("1,P,A,10,FEDER,jacuzzi", "line 2, column 'fonctions_tiers_lieu'"),
        ("x,P,A,10,FEDER,coworking", "line 2, column 'numero'"),
    ],
)
def test_bad_rows_are_named(tmp_path, row, message):
    path = tmp_path / "s.csv"
    path.write_text(HEADER + row + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=message):
        strategy.read_strategy(path)


def test_duplicated_action_number(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(HEADER + "1,P,A,10,FEDER,\n1,P,B,10,FEDER,\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="line 3, column 'numero'"):
        strategy.read_strategy(path)
    assert isinstance(pd.read_csv(path), pd.DataFrame)  # the raw file is untouched and readable
