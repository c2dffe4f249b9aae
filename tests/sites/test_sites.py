from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from shown import shown

from pipeline.core.phase import Phase, Table
from pipeline.core.settings import ConfigError, check
from pipeline.core.settings.sites import CRITERIA as CRITERIA_NAMES
from pipeline.core.validate import InputFileError
from pipeline.demo import sites as demo
from pipeline.sites import (
    build,
    candidates,
    catchment,
    location,
    ranking,
    robustness,
    views,
)
from pipeline.sites.outputs import recommended_site
from pipeline.sources.bpe import zip_csv

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
    path = tmp_path / candidates.SITES_FILE
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_sites_are_read_with_commune_names_and_flags(tmp_path):
    table = candidates.read_sites(write(tmp_path, *ROWS), communes())
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
        candidates.read_sites(path, communes())
    message = str(error.value)
    assert (
        "line 3, column 'commune': expected the INSEE code of a commune of the territory, "
        "found a number of 5 digits"
    ) in message
    assert "line 3: expected coordinates inside the territory's bounding box" in message
    assert "latitude -0.0200 to 0.0200" in message
    assert (
        "line 3, column 'fibre': expected one of: oui, non, found text of 9 characters" in message
    )
    assert "line 3, column 'disponibilite'" in message
    assert "line 4, column 'site_id': expected a value not already used" in message
    assert "line 4, column 'surface_m2': expected a number (decimal point) of at least 1" in message
    assert "line 4, column 'places_parking': expected a whole number" in message


def test_no_candidate_site_is_refused_by_name(tmp_path):
    """A header alone used to end in `KeyError: 'group'` deep in the phase."""
    with pytest.raises(
        InputFileError,
        match=rf"{candidates.SITES_FILE}: the file holds no candidate site \(header line only\); "
        "at least 1 candidate site is needed",
    ):
        candidates.read_sites(write(tmp_path), communes())


def test_population_within_the_band_of_each_site():
    located = pd.DataFrame({"lon": [0.0, 0.3, 0.15], "lat": [0.0, 0.0, 0.0]})
    assert candidates.population_in_band(located, communes(), 10).tolist() == [1300, 5000, 0]
    assert candidates.population_in_band(located, communes(), 20).tolist() == [1300, 5000, 6300]


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
    matrix = ranking.decision_matrix(two_sites(), criteria(0.8, 0.2))
    np.testing.assert_allclose(ranking.topsis_scores(matrix, criteria(0.8, 0.2)), [0.8, 0.2])
    # Scores depend only on the weights' proportions (params' weights sum to 1, see below).
    np.testing.assert_allclose(ranking.topsis_scores(matrix, criteria(4, 1)), [0.8, 0.2])


def test_ranking_follows_the_weights():
    by_people = ranking.rank_sites(two_sites(), criteria(0.8, 0.2))
    by_cost = ranking.rank_sites(two_sites(), criteria(0.2, 0.8))
    assert by_people["site_id"].tolist() == ["A", "B"] and by_people["rank"].tolist() == [1, 2]
    assert by_cost["site_id"].tolist() == ["B", "A"] and by_cost["rank"].tolist() == [1, 2]


def test_yes_no_criteria_count_as_one_and_zero():
    matrix = ranking.decision_matrix(two_sites(), ["fibre", "population_in_band"])
    assert matrix["fibre"].tolist() == [1.0, 0.0]


def test_identical_sites_share_the_first_rank():
    same = pd.DataFrame(
        {
            "site_id": ["A", "B"],
            "population_in_band": [10.0, 10.0],
            "cost_per_m2_year": [50.0, 50.0],
        }
    )
    ranked = ranking.rank_sites(same, criteria(0.5, 0.5))
    assert ranked["score"].tolist() == [1.0, 1.0] and ranked["rank"].tolist() == [1, 1]


def test_ties_share_the_better_rank():
    assert ranking.ranks([0.2, 0.9, 0.5, 0.9]).tolist() == [4, 1, 3, 1]


def check_sites(params, **changes):
    """params.yaml checked with the sites section's keys `changes` replaced."""
    return check({**params, "sites": {**params["sites"], **changes}})


def test_unknown_criterion_and_bad_weights_are_refused(params):
    with pytest.raises(
        ConfigError,
        match=r"params.yaml: key 'sites.criteria': expected criteria among population_in_band, "
        r".*, with weights summing to 1 \(unknown: views\), found \{'views'",
    ):
        check_sites(params, criteria={"views": {"weight": 1.0, "type": 1}})
    with pytest.raises(ConfigError) as error:
        check_sites(params, criteria=criteria(-1.0, 2.0))
    assert str(error.value) == (
        "params.yaml: key 'sites.criteria.population_in_band.weight': expected a weight, "
        "0 or more, found -1.0"
    )
    with pytest.raises(ConfigError) as error:
        check_sites(params, criteria={"fibre": {"weight": 1.0, "type": 0}})
    assert str(error.value) == (
        "params.yaml: key 'sites.criteria.fibre.type': expected 1 (benefit, to maximise) or -1 "
        "(cost, to minimise), found 0"
    )


def test_weights_must_sum_to_one_and_are_never_rescaled(params):
    with pytest.raises(ConfigError, match=r"key 'sites.criteria': expected weights summing to 1 "
                       r"\(they sum to 5\), found"):  # fmt: skip
        check_sites(params, criteria=criteria(4.0, 1.0))
    weights, types = ranking.weights_and_types(criteria(0.8, 0.2))
    assert weights.tolist() == [0.8, 0.2] and types.tolist() == [1, -1]


def test_params_sites_settings_are_valid(params):
    settings = check_sites(params).sites
    assert list(settings.criteria) == list(params["sites"]["criteria"])  # order kept
    assert set(ranking.CRITERIA) == set(CRITERIA_NAMES)  # a label for every known criterion


def test_rank_sensitivity_variants():
    matrix = ranking.decision_matrix(two_sites(), criteria(0.8, 0.2))
    table = ranking.rank_sensitivity(matrix, criteria(0.8, 0.2))
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
    assert set(params["sites"]["criteria"]) <= set(ranking.CRITERIA)


def test_demo_sites_fill_the_study_zone_largest_first(tmp_path):
    ctx = SimpleNamespace(communes=communes(), out_dir=tmp_path, demo={"sites": 5}, territory={})
    (path,) = demo.write(ctx, np.random.default_rng(2))
    table = candidates.read_sites(path, communes())  # also checks the bounding box
    assert table["site_id"].tolist() == ["S1", "S2", "S3", "S4", "S5"]
    assert table["commune"].tolist() == ["00001", "00002", "00001", "00002", "00001"]
    again = tmp_path / "again"
    again.mkdir()
    (path2,) = demo.write(
        SimpleNamespace(communes=communes(), out_dir=again, demo={"sites": 5}, territory={}),
        np.random.default_rng(2),
    )
    assert path.read_bytes() == path2.read_bytes()


def test_demo_sites_start_with_the_places_the_territory_names():
    known = [{"nom": "La Fabrique", "commune": "00002"}]
    table = demo.candidate_sites(communes(), 3, np.random.default_rng(2), known)
    assert table.loc[0, ["nom", "commune"]].tolist() == ["La Fabrique", "00002"]
    assert len(table) == 3 and table["nom"].is_unique
    with pytest.raises(ValueError, match="99999"):
        demo.candidate_sites(
            communes(), 3, np.random.default_rng(2), [{"nom": "X", "commune": "99999"}]
        )


SETTINGS = {
    "band_km": 10,
    "bands_km": [5, 10, 20],
    "bands_min": [15, 30],
    "huff": {"decay": 2.0, "min_km": 1.0, "site_services": 4},
    "coverage_p": [1, 2],
    "monte_carlo": {"draws": 200, "seed": 7, "concentration": 40},
    "equipment": {
        "bpe_vintage": 2025,
        "radius_km": 1.0,
        "france_services": "A128",
        "kinds": {"D307": "Pharmacie"},
    },
}
# INSEE's BPE (BPE25.zip, one `;` CSV) and ARCEP's commune_techno.csv, for the communes above.
BPE_CSV = (
    '"DEPCOM";"TYPEQU";"LONGITUDE";"LATITUDE"\n"00001";"A128";"0.0";"0.01"\n'
    '"00003";"D307";"0.3";"0.0"\n'
)
BROADBAND_CSV = (
    "code_insee;nom_com;code_dep;code_reg;nbr;type;elig_ftth;date\n"
    "00001;Alpha;00;00;100;all;90;2026-03-31\n"
)


def test_build_writes_the_columns_phases_09_and_10_read(tmp_path, params):
    # 15 min at 60 km/h with a detour factor of 1.5: 10 km in a straight line; 30 min, 20 km.
    mobility = {**params["mobility"], "detour_factor": 1.5, "speed_kmh": 60.0}
    stage_params = {"sites": {**SETTINGS, "criteria": criteria(0.5, 0.5)}, "mobility": mobility}
    phase = Phase(
        stage="08_sites",
        territory={"key": "demo"},
        root=tmp_path,
        params=stage_params,
        settings=check(stage_params),
    )
    processed = tmp_path / "data" / "processed"
    for stage in ("01_portrait", "05_offer", "07_demand"):
        (processed / stage).mkdir(parents=True)
    communes().to_parquet(processed / "01_portrait" / "communes.parquet")
    pd.DataFrame(
        {"nom": ["Médiathèque"], "lon": [0.05], "lat": [0.0], "services": ["digital_mediation"]}
    ).to_parquet(processed / "05_offer" / "places.parquet")
    segments().to_parquet(processed / "07_demand" / "segments_by_commune.parquet")
    (tmp_path / "data" / "raw" / "demo").mkdir(parents=True)
    raw = tmp_path / "data" / "raw" / "demo"
    write(raw, *ROWS)
    (raw / "BPE25.zip").write_bytes(zip_csv("BPE25.csv", BPE_CSV.encode()))
    (raw / "commune_techno.csv").write_text(BROADBAND_CSV, encoding="utf-8")
    built = build.build(phase)
    assert list(built["sites"].columns) == [
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
        "huff_capture",
        "huff_share",
        "p_first",
        "p_top2",
        "recommended",
        "ftth_share",
    ]
    assert built["sites"]["recommended"].tolist() == [True, False]
    assert built["sites"]["ftth_share"].iloc[1] == 0.9 and pd.isna(built["sites"]["ftth_share"][0])
    near = built["equipment"].set_index(["site_id", "typequ"])
    assert near.loc[("S1", "A128"), "nearest_km"] == pytest.approx(1.11, abs=0.01)
    assert near.loc[("S2", "D307"), "within_radius"] == 1
    best = recommended_site(built["sites"])
    assert best.equals(built["sites"].iloc[0])
    # S1: 1300 people, 100 €/m²; S2: 5000 people, 50 €/m²: S2 wins on both counts.
    assert best["site_id"] == "S2" and best["rank"] == 1 and best["score"] == 1.0
    assert best["cost_per_m2_year"] == 50.0 and best["population_in_band"] == 5000
    assert best["p_first"] == 1.0  # dominant: first whatever the weights
    np.testing.assert_allclose(built["sites"]["nearest_place_km"], [27.80, 5.56], atol=0.01)
    # Equipment flags stay in the matrix even when they are not criteria.
    assert list(built["decision_matrix"].columns) == [
        "site_id",
        "population_in_band",
        "cost_per_m2_year",
        "fibre",
        "transit",
        "accessible_pmr",
    ]
    assert set(built) == {
        "sites",
        "decision_matrix",
        "rank_sensitivity",
        "accessibility",
        "huff",
        "location_models",
        "monte_carlo",
        "weight_stability",
        "travel_time",
        "equipment",
    }
    timed, by_distance = built["travel_time"], built["accessibility"]
    assert timed["band_min"].unique().tolist() == [15.0, 30.0]
    same_radius = by_distance[by_distance["band_km"].isin([10.0, 20.0])]
    assert timed["count"].tolist() == same_radius["count"].tolist()
    assert set(built["huff"]["group"]) == {"population", "teleworkers"}
    models = built["location_models"].set_index(["model", "p"])
    assert models.loc[("mclp", 1), "site_ids"] == "S2"
    assert models.loc[("mclp", 2), "covered"] == 6300
    for name, table in built.items():  # written too, as later phases read them
        pd.testing.assert_frame_equal(phase.read(Table("08_sites", name)), table)


# ---------------------------------------------------------------------------------------
# Catchment on toy geometries
# ---------------------------------------------------------------------------------------


def segments():
    """Teleworkers of the three toy communes (phase 07's long table)."""
    return pd.DataFrame(
        {
            "code": ["00001", "00002", "00003"],
            "nom": ["Alpha", "Bêta", "Gamma"],
            "in_study_zone": [True, True, False],
            "segment": "teleworkers",
            "label": "Télétravailleurs",
            "base": [50.0, 10.0, 200.0],
        }
    )


def three_sites():
    """On Alpha's town hall, on Gamma's, and half-way (16.7 km from both)."""
    return pd.DataFrame(
        {
            "site_id": ["S1", "S2", "S3"],
            "nom": ["Un", "Deux", "Trois"],
            "lon": [0.0, 0.3, 0.15],
            "lat": [0.0, 0.0, 0.0],
        }
    )


def test_accessibility_counts_match_a_hand_computation():
    groups = catchment.demand_groups(communes(), segments())
    assert groups.columns.tolist() == ["population", "teleworkers"]
    access = catchment.accessibility(three_sites(), communes(), groups, [5, 10, 20])
    people = access[access["group"] == "population"].pivot(
        index="site_id", columns="band_km", values="count"
    )
    # S1: Alpha at 0 km, Bêta at 5.56 km; S2: Gamma at 0, Bêta at 27.8; S3: 16.7 and 11.1 km.
    assert people.loc["S1"].tolist() == [1000, 1300, 1300]
    assert people.loc["S2"].tolist() == [5000, 5000, 5000]
    assert people.loc["S3"].tolist() == [0, 0, 6300]
    workers = access[(access["group"] == "teleworkers") & (access["band_km"] == 10)]
    assert workers.set_index("site_id")["count"].tolist() == [60, 200, 0]
    share = access[(access["group"] == "teleworkers") & (access["band_km"] == 20)]
    assert share.set_index("site_id").loc["S3", "share"] == 1.0


def test_huff_capture_by_hand_against_one_existing_place():
    one = communes().iloc[[0]]
    place = pd.DataFrame({"lon": [0.05], "lat": [0.0], "services": ["coworking|telework"]})
    site = pd.DataFrame({"site_id": ["S"], "lon": [-0.05], "lat": [0.0]})
    groups = catchment.demand_groups(one, None)
    huff = catchment.huff_capture(
        site, one, place, groups, {"decay": 2, "min_km": 1, "site_services": 6}
    )
    # Same distance to both: shares follow attractiveness, 6 services against 2.
    assert huff.loc[0, "share"] == pytest.approx(0.75)
    assert huff.loc[0, "captured"] == pytest.approx(750)


def test_huff_capture_follows_distance_and_competition():
    place = pd.DataFrame({"lon": [0.3], "lat": [0.0], "services": ["coworking"]})
    groups = catchment.demand_groups(communes(), None)
    settings = {"decay": 2, "min_km": 1, "site_services": 1}
    huff = catchment.huff_capture(three_sites(), communes(), place, groups, settings)
    captured = huff.set_index("site_id")["captured"]
    # S2 shares Gamma's town hall with the existing place: half of Gamma, and more of Alpha
    # and Bêta only as a tie with the place; S1, far from the place, takes Alpha and Bêta.
    assert captured["S2"] == pytest.approx(3150)
    assert captured["S1"] > 1300 * 0.9
    assert (huff["share"] <= 1).all() and (huff["share"] >= 0).all()


def test_the_coverage_model_picks_the_obviously_best_site():
    models = location.location_models(three_sites(), communes(), 10, [1, 2]).set_index(
        ["model", "p"]
    )
    assert models.loc[("mclp", 1), "site_ids"] == "S2"  # 5 000 people against 1 300 and 0
    assert models.loc[("mclp", 1), "covered"] == 5000
    assert models.loc[("mclp", 2), "site_ids"] == "S1|S2"
    assert models.loc[("mclp", 2), "covered_share"] == 1.0
    assert models.loc[("pmedian", 1), "site_ids"] == "S2"
    # Mean distance with S1 and S2: Bêta's 300 people are 5.56 km from S1, the others at 0.
    assert models.loc[("pmedian", 2), "mean_km"] == pytest.approx(300 * 5.56 / 6300, abs=1e-3)


def test_coverage_counts_match_a_hand_computation():
    distance = np.array([[0.0, 12.0], [8.0, 3.0], [15.0, 11.0]])
    out = location.coverage_of(distance, [100, 50, 25], [0], 10)
    assert out["covered"] == 150 and out["covered_share"] == pytest.approx(150 / 175)
    both = location.coverage_of(distance, [100, 50, 25], [0, 1], 10)
    assert both["covered"] == 150  # the third commune is 11 km from the nearest
    assert both["mean_km"] == pytest.approx((0 + 50 * 3 + 25 * 11) / 175)


def test_numbers_of_sites_are_checked():
    with pytest.raises(ValueError, match=r"sites.coverage_p: expected whole numbers .* 1 and 3"):
        location.location_models(three_sites(), communes(), 10, [4])
    assert location.check_p(2, 3) == [2]


# ---------------------------------------------------------------------------------------
# Robustness of the ranking
# ---------------------------------------------------------------------------------------


def test_the_ranking_flips_exactly_where_the_weights_say():
    # Scores are w for A and 1 - w for B (see test_topsis_scores_by_hand): they cross at 0.5.
    matrix = ranking.decision_matrix(two_sites(), criteria(0.5, 0.5))
    assert ranking.rank_sites(two_sites(), criteria(0.51, 0.49))["site_id"].iloc[0] == "A"
    assert ranking.rank_sites(two_sites(), criteria(0.49, 0.51))["site_id"].iloc[0] == "B"
    assert ranking.rank_sites(two_sites(), criteria(0.5, 0.5))["rank"].tolist() == [1, 1]
    stability = robustness.weight_stability(matrix, criteria(0.8, 0.2)).set_index("criterion")
    assert stability.loc["population_in_band", ["low", "high"]].tolist() == [0.5, 1.0]
    assert stability.loc["population_in_band", "below"] == "B"
    assert stability.loc["cost_per_m2_year", ["low", "high"]].tolist() == [0.0, 0.5]
    assert stability.loc["cost_per_m2_year", "above"] == "B"


def test_reweighting_keeps_the_other_proportions():
    np.testing.assert_allclose(robustness.reweighted([0.5, 0.3, 0.2], 0, 0.8), [0.8, 0.12, 0.08])


def test_weight_draws_are_reproducible_and_centred():
    a = robustness.weight_draws([0.6, 0.0, 0.4], 5000, 50, seed=1)
    b = robustness.weight_draws([0.6, 0.0, 0.4], 5000, 50, seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, robustness.weight_draws([0.6, 0.0, 0.4], 5000, 50, seed=2))
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    assert (a[:, 1] == 0).all()  # a zero weight stays zero
    np.testing.assert_allclose(a.mean(axis=0), [0.6, 0.0, 0.4], atol=0.01)


def test_monte_carlo_settings_are_checked(params):
    monte_carlo = {**params["sites"]["monte_carlo"], "concentration": 0}
    with pytest.raises(ConfigError) as error:
        check_sites(params, monte_carlo=monte_carlo)
    assert str(error.value) == (
        "params.yaml: key 'sites.monte_carlo.concentration': expected a positive concentration "
        "of the Dirichlet draws, found 0"
    )


def test_monte_carlo_is_reproducible_with_its_seed():
    matrix = ranking.decision_matrix(two_sites(), criteria(0.55, 0.45))
    settings = {"draws": 500, "seed": 11, "concentration": 20}
    first = robustness.monte_carlo(matrix, criteria(0.55, 0.45), settings)
    again = robustness.monte_carlo(matrix, criteria(0.55, 0.45), settings)
    pd.testing.assert_frame_equal(first, again)
    other = robustness.monte_carlo(matrix, criteria(0.55, 0.45), {**settings, "seed": 12})
    assert other["p_first"].tolist() != first["p_first"].tolist()
    assert first["p_first"].sum() == pytest.approx(1.0)
    # A wins whenever its drawn weight exceeds 0.5: with Dirichlet(11, 9), about 67 % of draws.
    assert first.set_index("site_id").loc["A", "p_first"] == pytest.approx(0.67, abs=0.05)
    tight = robustness.monte_carlo(matrix, criteria(0.55, 0.45), {**settings, "concentration": 1e6})
    assert tight.set_index("site_id").loc["A", "p_first"] == 1.0


def test_ties_split_the_first_place():
    shares = robustness.first_shares(np.array([[0.5, 0.5, 0.1], [0.9, 0.2, 0.3]]))
    np.testing.assert_allclose(shares, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])


def test_answer_text_names_the_best_site_and_its_robustness():
    ranked = ranking.rank_sites(
        two_sites().assign(nom=["Site A", "Site B"], nom_commune=["Alpha", "Bêta"]),
        criteria(0.8, 0.2),
    )
    matrix = ranking.decision_matrix(ranked, criteria(0.8, 0.2))
    draws = robustness.monte_carlo(
        matrix, criteria(0.8, 0.2), {"draws": 100, "seed": 3, "concentration": 1e6}
    )
    models = pd.DataFrame({"model": ["mclp"], "p": [1], "site_ids": ["B"], "covered_share": [0.4]})
    stability = robustness.weight_stability(matrix, criteria(0.8, 0.2))
    text = shown(views.answer_text(ranked, draws, models, stability, 10))
    assert "A · Site A (Alpha), score 0,80" in text
    assert "premier dans 100\u202f% des cas" in text
    assert "pour 1 site : B (Bêta), 40\u202f% de la population à 10 km ou moins" in text


# ---------------------------------------------------------------------------------------
# The recommended site, read by later phases
# ---------------------------------------------------------------------------------------


def test_the_recommended_site_is_the_first_ranked_and_defined_once():
    ranked = ranking.rank_sites(two_sites(), criteria(0.2, 0.8))
    assert ranked["recommended"].tolist() == [True, False]
    assert recommended_site(ranked)["site_id"] == "B"
    tied = ranking.rank_sites(two_sites(), criteria(0.5, 0.5))  # a tie: the smaller id
    assert recommended_site(tied)["site_id"] == "A"


def test_recommended_site_refuses_a_table_without_exactly_one():
    ranked = ranking.rank_sites(two_sites(), criteria(0.8, 0.2))
    with pytest.raises(ValueError, match="no 'recommended' column: rerun phase 08"):
        recommended_site(ranked.drop(columns="recommended"))
    with pytest.raises(ValueError, match="exactly one site, found 2"):
        recommended_site(ranked.assign(recommended=True))
    with pytest.raises(ValueError, match="exactly one site, found 0"):
        recommended_site(ranked.assign(recommended=False))


def test_stability_table_names_the_recommended_site():
    ranked = ranking.rank_sites(two_sites(), criteria(0.8, 0.2))
    matrix = ranking.decision_matrix(ranked, criteria(0.8, 0.2))
    table = views.stability_table(robustness.weight_stability(matrix, criteria(0.8, 0.2)), ranked)
    assert "A reste 1er si le poids est compris entre" in table.columns


def test_sites_are_measured_from_the_map():
    located = three_sites().assign(surface_m2=[100.0, 200.0, 50.0], loyer_annuel_eur=1000.0)
    place = pd.DataFrame({"lon": [0.05], "lat": [0.0]})
    out = candidates.measured(located, communes(), place, 10)
    assert out["cost_per_m2_year"].tolist() == [10.0, 5.0, 20.0]
    assert out["population_in_band"].tolist() == [1300, 5000, 0]
    assert out["nearest_place_km"].tolist() == [5.56, 27.8, 11.12]
