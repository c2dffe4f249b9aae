from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from pipeline import sites
from pipeline.validate import InputFileError

HEADER = (
    "site_id,nom,commune,latitude,longitude,surface_m2,loyer_annuel_eur,disponibilite,"
    "fibre,places_parking,arret_tc,acces_pmr"
)
ROWS = [
    "S1,Ancienne école,00001,0.0,0.0,200,20000,2026-03-01,oui,10,oui,non",
    "S2,Local du bourg,00003,0.0,0.3,100,5000,,non,,non,oui",
]


def communes():
    """Town halls on the equator at 0, 5.56 and 33.36 km east; 0.04-degree square communes."""
    frame = pd.DataFrame(
        {
            "code": ["00001", "00002", "00003"],
            "nom": ["Alpha", "Bêta", "Gamma"],
            "in_study_zone": [True, True, False],
            "population": [1000, 300, 5000],
            "mairie_lon": [0.0, 0.05, 0.3],
            "mairie_lat": [0.0, 0.0, 0.0],
        }
    )
    geometry = [box(lon - 0.02, -0.02, lon + 0.02, 0.02) for lon in frame["mairie_lon"]]
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def write(tmp_path, *rows):
    path = tmp_path / sites.SITES_FILE
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_sites_are_read_with_commune_names_and_flags(tmp_path):
    table = sites.read_sites(write(tmp_path, *ROWS), communes())
    assert table["nom_commune"].tolist() == ["Alpha", "Gamma"]
    assert table["fibre"].tolist() == [True, False]
    assert table["transit"].tolist() == [True, False]
    assert table["accessible_pmr"].tolist() == [False, True]
    assert table["parking"].tolist() == [10, 0]  # an empty count is none


def test_bad_sites_name_line_and_column(tmp_path):
    path = write(
        tmp_path,
        ROWS[0],
        "S2,Hangar,99999,1.0,0.1,100,5000,2026-13-01,peut-être,2,non,oui",
        "S1,Doublon,00002,0.0,0.05,-3,5000,,oui,1.5,non,oui",
    )
    with pytest.raises(InputFileError) as error:
        sites.read_sites(path, communes())
    message = str(error.value)
    assert (
        "line 3, column 'commune': expected the INSEE code of a commune of the territory, "
        "found '99999'"
    ) in message
    assert "line 3: expected coordinates inside the territory's bounding box" in message
    assert "latitude -0.0200 to 0.0200" in message
    assert "line 3, column 'fibre': expected one of: oui, non, found 'peut-être'" in message
    assert "line 3, column 'disponibilite'" in message
    assert "line 4, column 'site_id': expected a value not already used" in message
    assert "line 4, column 'surface_m2': expected a number (decimal point) of at least 1" in message
    assert "line 4, column 'places_parking': expected a whole number" in message


def test_population_within_the_band_of_each_site():
    located = pd.DataFrame({"lon": [0.0, 0.3, 0.15], "lat": [0.0, 0.0, 0.0]})
    assert sites.population_in_band(located, communes(), 10).tolist() == [1300, 5000, 0]
    assert sites.population_in_band(located, communes(), 20).tolist() == [1300, 5000, 6300]


def two_sites():
    """A: many people around, dear rent; B: few people, cheap rent."""
    return pd.DataFrame(
        {
            "site_id": ["A", "B"],
            "population_in_band": [10000.0, 2000.0],
            "cost_per_m2_year": [120.0, 40.0],
            "fibre": [True, False],
        }
    )


def criteria(population, cost):
    return {
        "population_in_band": {"weight": population, "type": 1},
        "cost_per_m2_year": {"weight": cost, "type": -1},
    }


def test_topsis_scores_by_hand():
    # Min-max normalisation gives A = (1, 0), B = (0, 1); weighted: A = (0.8, 0), B = (0, 0.2).
    # A is 0.2 from the ideal (0.8, 0.2) and 0.8 from the anti-ideal (0, 0): score 0.8.
    matrix = sites.decision_matrix(two_sites(), criteria(0.8, 0.2))
    np.testing.assert_allclose(sites.topsis_scores(matrix, criteria(0.8, 0.2)), [0.8, 0.2])
    # Weights need not sum to one: they are scaled.
    np.testing.assert_allclose(sites.topsis_scores(matrix, criteria(4, 1)), [0.8, 0.2])


def test_ranking_follows_the_weights():
    by_people = sites.rank_sites(two_sites(), criteria(0.8, 0.2))
    by_cost = sites.rank_sites(two_sites(), criteria(0.2, 0.8))
    assert by_people["site_id"].tolist() == ["A", "B"] and by_people["rank"].tolist() == [1, 2]
    assert by_cost["site_id"].tolist() == ["B", "A"] and by_cost["rank"].tolist() == [1, 2]


def test_yes_no_criteria_count_as_one_and_zero():
    matrix = sites.decision_matrix(two_sites(), ["fibre", "population_in_band"])
    assert matrix["fibre"].tolist() == [1.0, 0.0]


def test_identical_sites_share_the_first_rank():
    same = pd.DataFrame(
        {
            "site_id": ["A", "B"],
            "population_in_band": [10.0, 10.0],
            "cost_per_m2_year": [50.0, 50.0],
        }
    )
    ranked = sites.rank_sites(same, criteria(0.5, 0.5))
    assert ranked["score"].tolist() == [1.0, 1.0] and ranked["rank"].tolist() == [1, 1]


def test_ties_share_the_better_rank():
    assert sites.ranks([0.2, 0.9, 0.5, 0.9]).tolist() == [4, 1, 3, 1]


def test_unknown_criterion_and_bad_weights_are_refused():
    with pytest.raises(ValueError, match="sites.criteria views unknown"):
        sites.decision_matrix(two_sites(), ["views"])
    with pytest.raises(ValueError, match="weights must be non-negative"):
        sites.weights_and_types(criteria(-1, 2))
    with pytest.raises(ValueError, match="types must be 1"):
        sites.weights_and_types({"fibre": {"weight": 1, "type": 0}})


def test_rank_sensitivity_variants():
    matrix = sites.decision_matrix(two_sites(), criteria(0.8, 0.2))
    table = sites.rank_sensitivity(matrix, criteria(0.8, 0.2))
    ranks = table.pivot(index="variant", columns="site_id", values="rank")
    assert ranks.loc["params"].tolist() == [1, 2]
    assert ranks.loc["without_population_in_band"].tolist() == [2, 1]  # cost alone: B wins
    assert ranks.loc["without_cost_per_m2_year"].tolist() == [1, 2]
    assert set(table["variant"]) == {
        "params",
        "equal_weights",
        "without_population_in_band",
        "without_cost_per_m2_year",
    }


def test_params_criteria_are_all_known(params):
    assert set(params["sites"]["criteria"]) <= set(sites.CRITERIA)


def test_demo_sites_fill_the_study_zone_largest_first(tmp_path):
    from pipeline.demo import sites as demo

    ctx = SimpleNamespace(communes=communes(), out_dir=tmp_path, demo={"sites": 5})
    (path,) = demo.write(ctx, np.random.default_rng(2))
    table = sites.read_sites(path, communes())  # also checks the bounding box
    assert table["site_id"].tolist() == ["S1", "S2", "S3", "S4", "S5"]
    assert table["commune"].tolist() == ["00001", "00002", "00001", "00002", "00001"]
    again = tmp_path / "again"
    again.mkdir()
    (path2,) = demo.write(
        SimpleNamespace(communes=communes(), out_dir=again, demo={"sites": 5}),
        np.random.default_rng(2),
    )
    assert path.read_bytes() == path2.read_bytes()


def test_build_writes_the_columns_phase_09_reads(tmp_path):
    from pipeline.phase import Phase

    phase = Phase(
        stage="08_sites",
        territory={"key": "demo"},
        root=tmp_path,
        params={"sites": {"band_km": 10, "criteria": criteria(0.5, 0.5)}},
    )
    processed = tmp_path / "data" / "processed"
    (processed / "01_portrait").mkdir(parents=True)
    (processed / "05_offer").mkdir()
    communes().to_parquet(processed / "01_portrait" / "communes.parquet")
    pd.DataFrame({"nom": ["Médiathèque"], "lon": [0.05], "lat": [0.0]}).to_parquet(
        processed / "05_offer" / "places.parquet"
    )
    (tmp_path / "data" / "raw" / "demo").mkdir(parents=True)
    write(tmp_path / "data" / "raw" / "demo", *ROWS)
    tables = sites.build(phase)
    assert list(tables["sites"].columns) == [
        "site_id",
        "nom",
        "commune",
        "nom_commune",
        "lon",
        "lat",
        "surface_m2",
        "loyer_annuel_eur",
        "cost_per_m2_year",
        "population_in_band",
        "nearest_place_km",
        "score",
        "rank",
    ]
    best = tables["sites"].iloc[0]
    # S1: 1300 people, 100 €/m²; S2: 5000 people, 50 €/m²: S2 wins on both counts.
    assert best["site_id"] == "S2" and best["rank"] == 1 and best["score"] == 1.0
    assert best["cost_per_m2_year"] == 50.0 and best["population_in_band"] == 5000
    np.testing.assert_allclose(tables["sites"]["nearest_place_km"], [27.80, 5.56], atol=0.01)
    # Equipment flags stay in the matrix even when they are not criteria.
    assert list(tables["decision_matrix"].columns) == [
        "site_id",
        "population_in_band",
        "cost_per_m2_year",
        "fibre",
        "transit",
        "accessible_pmr",
    ]
