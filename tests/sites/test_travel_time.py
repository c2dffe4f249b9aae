"""Catchments in road time (phase 08): people within each band of minutes of each site, beside
the distance bands. Rule: time = straight line × detour factor ÷ speed, limits inclusive."""

import numpy as np
import pandas as pd
import pytest
from shown import shown

from pipeline.core import fmt, geo
from pipeline.core.config import declared_params, study_params
from pipeline.core.phase import Phase, open_phase
from pipeline.core.settings import ConfigError, check
from pipeline.sites import catchment, views
from pipeline.sites.build import road_settings

KM_PER_DEGREE = float(geo.haversine_km(0.0, 0.0, 1.0, 0.0))  # along the equator


def town_halls(km, population=None):
    """Communes whose town halls lie on the equator `km` east of (0, 0)."""
    km = np.asarray(km, dtype=float)
    return pd.DataFrame(
        {
            "code": [f"{i:05d}" for i in range(1, len(km) + 1)],
            "population": population if population is not None else [100] * len(km),
            "mairie_lon": km / KM_PER_DEGREE,
            "mairie_lat": 0.0,
        }
    )


def one_site():
    return pd.DataFrame({"site_id": ["S"], "lon": [0.0], "lat": [0.0]})


def people_within(communes, bands_min, detour, speed, sites=None):
    """Population within each band of the sites (rows: sites, columns: bands)."""
    groups = catchment.demand_groups(communes, None)
    table = catchment.time_accessibility(
        one_site() if sites is None else sites, communes, groups, bands_min, detour, speed
    )
    return table.pivot(index="site_id", columns="band_min", values="count")


def test_road_minutes_follow_phase_02s_rule():
    # 10 km straight × 1.5 = 15 km of road; at 60 km/h, 15 minutes; and back to 10 km.
    assert catchment.road_minutes(10.0, 1.5, 60.0) == 15.0
    assert catchment.straight_radius_km(15.0, 1.5, 60.0) == 10.0
    assert catchment.road_minutes(10.0, 1.5, 30.0) == 30.0  # half the speed, twice the time


def test_a_commune_at_exactly_the_limit_is_inside_the_band():
    """Limits are inclusive: a town hall at exactly 15 min is within 15 min, one a second
    further is not. Here × detour ÷ speed gives 15.000000000000004 in floating point: the
    rounding noise does not push the town hall out."""
    communes = town_halls([12.7, 12.7 * (1 + 1 / 900)], population=[100, 7])
    distance = geo.distance_matrix_km([0.0], [0.0], communes["mairie_lon"], communes["mairie_lat"])
    speed = float(distance[0, 0]) * 1.2 / 15 * 60  # the first town hall at 15 min exactly
    minutes = catchment.road_minutes(distance, 1.2, speed)[0]
    np.testing.assert_allclose(minutes, [15.0, 15.0 + 1 / 60], rtol=1e-12)
    within = people_within(communes, [15, 16], 1.2, speed)
    assert within.loc["S"].tolist() == [100, 107]
    # A hair slower (the town hall now at 15.000015 min): out of the 15-min band.
    assert people_within(communes, [15], 1.2, speed * (1 - 1e-6)).loc["S", 15.0] == 0


def test_a_slower_speed_shrinks_the_catchment():
    communes = town_halls([2, 6, 12, 25], population=[1000, 200, 30, 4])
    fast = people_within(communes, [15, 30], 1.3, 50.0).loc["S"].tolist()
    slow = people_within(communes, [15, 30], 1.3, 30.0).loc["S"].tolist()
    # 50 km/h: 15 min reach 9.6 km, 30 min 19.2 km; 30 km/h: 5.8 and 11.5 km.
    assert fast == [1200, 1230]
    assert slow == [1000, 1200]
    winding = people_within(communes, [15, 30], 2.5, 50.0).loc["S"].tolist()
    assert winding == [1000, 1200]  # a larger detour factor shrinks it too (5 and 10 km)


def test_bands_are_cumulative_and_match_the_distance_bands_of_the_same_radius():
    rng = np.random.default_rng(16)
    communes = town_halls(rng.uniform(0, 40, 60), population=rng.integers(50, 5000, 60))
    communes["mairie_lat"] = rng.uniform(-0.2, 0.2, 60)
    sites = pd.DataFrame({"site_id": ["A", "B", "C"], "lon": [0.0, 0.1, 0.25], "lat": 0.0})
    segments = pd.DataFrame(
        {"code": communes["code"], "segment": "teleworkers", "base": rng.uniform(0, 80, 60)}
    )
    groups = catchment.demand_groups(communes, segments)
    bands_min = [15, 30, 45]
    for detour, speed in [(1.5, 60.0), (1.3, 40.0), (1.2, 50.0)]:
        timed = catchment.time_accessibility(sites, communes, groups, bands_min, detour, speed)
        radii = catchment.straight_radius_km(bands_min, detour, speed)
        np.testing.assert_allclose(sorted(timed["radius_km"].unique()), radii)
        by_distance = catchment.accessibility(sites, communes, groups, radii)
        np.testing.assert_array_equal(timed["count"], by_distance["count"])
        np.testing.assert_array_equal(timed["share"], by_distance["share"])
        wide = timed.pivot_table(index=["site_id", "group"], columns="band_min", values="count")
        assert (wide.diff(axis=1).iloc[:, 1:] >= 0).all().all()  # cumulative
        assert wide.to_numpy().max() > wide.to_numpy().min()  # the bands do differ
    # 15 min at 60 km/h with a detour factor of 1.5 is the 10-km band exactly.
    timed = catchment.time_accessibility(sites, communes, groups, [15, 30], 1.5, 60.0)
    by_distance = catchment.accessibility(sites, communes, groups, [10, 20])
    np.testing.assert_array_equal(timed["count"], by_distance["count"])
    assert timed["radius_km"].tolist() == by_distance["band_km"].tolist()


def test_params_bands_min_are_checked(params):
    assert check(params).sites.bands_min == [15, 30]
    for bad in ([0, 30], [15, 15], []):
        with pytest.raises(ConfigError, match=r"key 'sites.bands_min'"):
            check({**params, "sites": {**params["sites"], "bands_min": bad}})


def test_stage_08_reads_the_mobility_speed_and_detour_it_declares(params):
    assert "mobility" in declared_params("08_sites")
    expected = study_params()["mobility"]  # with the territory context's rules applied
    phase = open_phase("08_sites")
    assert road_settings(phase) == (expected["detour_factor"], expected["speed_kmh"])
    with pytest.raises(ValueError, match="declare the mobility section"):
        road_settings(
            Phase("08_sites", {}, {"key": "x"}, settings=check({"sites": params["sites"]}))
        )


def toy_study():
    communes = town_halls([0, 5, 12], population=[1000, 300, 40])
    sites = pd.DataFrame(
        {
            "site_id": ["S1", "S2"],
            "nom": ["Un", "Deux"],
            "nom_commune": ["Alpha", "Gamma"],
            "lon": [0.0, 12 / KM_PER_DEGREE],
            "lat": 0.0,
            "rank": [2, 1],
            "recommended": [False, True],
        }
    )
    groups = catchment.demand_groups(communes, None)
    return sites, catchment.time_accessibility(sites, communes, groups, [30, 15], 1.5, 60.0)


def test_the_travel_time_table_shows_each_site_by_band():
    sites, timed = toy_study()
    table = views.travel_time_table(timed, sites)
    assert table.columns.tolist() == [
        "Site",
        "Temps de route",
        "Habitants",
        "Part de la population de l'EPCI",
    ]
    assert table["Site"].tolist() == ["S2 · Deux", "S2 · Deux", "S1 · Un", "S1 · Un"]
    assert table["Temps de route"].tolist()[:2] == [
        "15 min ou moins (10,0 km à vol d'oiseau)",
        "30 min ou moins (20,0 km à vol d'oiseau)",
    ]
    # S2 at 12 km: 40 people at 0 km, 300 at 7 km, 1000 at 12 km; S1: 1000, 300, then 40.
    assert table["Habitants"].tolist() == [fmt.number(n) for n in (340, 1340, 1300, 1340)]
    assert table["Part de la population de l'EPCI"].tolist()[0] == fmt.percent(340 / 1340, 0)


def test_the_travel_time_text_names_the_recommended_site_and_the_method():
    sites, timed = toy_study()
    text = shown(views.travel_time_text(timed, sites, 1.5, 60.0))
    assert "S2 · Deux (Gamma), réunit 340 habitants (25\u202f% de la population de l'EPCI)" in text
    assert "à 15 minutes ou moins et 1\u202f340 (100\u202f%) à 30 minutes ou moins" in text
    assert "coefficient de détour de 1,5" in text and "vitesse moyenne de 60 km/h" in text
    assert "pas une isochrone" in text
    assert "15 minutes à 10,0 km et 30 minutes à 20,0 km" in text
