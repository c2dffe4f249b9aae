import math

import numpy as np
import pytest

from pipeline.core import geo

ONE_DEGREE_KM = 2 * math.pi * geo.EARTH_RADIUS_KM / 360  # 111.195 km


def test_same_point_is_zero_km():
    assert geo.haversine_km(-61.17, 14.74, -61.17, 14.74) == 0.0


def test_one_degree_along_a_meridian_and_along_the_equator():
    assert geo.haversine_km(0, 0, 0, 1) == pytest.approx(ONE_DEGREE_KM)
    assert geo.haversine_km(0, 0, 1, 0) == pytest.approx(ONE_DEGREE_KM)
    assert geo.haversine_km(0, 0, 1, 0) == pytest.approx(111.195, abs=1e-3)


def test_a_degree_of_longitude_shrinks_with_latitude():
    # Half a great circle over the pole: from (0, 60) to (180, 60) is 2 x 30 degrees.
    assert geo.haversine_km(0, 60, 180, 60) == pytest.approx(60 * ONE_DEGREE_KM)


def test_distance_is_symmetric_and_broadcasts():
    lon = np.array([0.0, 0.5, 1.0])
    out = geo.haversine_km(lon, 0.0, 0.0, 0.0)
    assert out.shape == (3,)
    np.testing.assert_allclose(out, lon * ONE_DEGREE_KM)
    np.testing.assert_allclose(geo.haversine_km(0.0, 0.0, lon, 0.0), out)


def test_distance_matrix_rows_are_origins():
    matrix = geo.distance_matrix_km([0.0, 1.0], [0.0, 0.0], [0.0, 2.0, 3.0], [0.0, 0.0, 0.0])
    assert matrix.shape == (2, 3)
    np.testing.assert_allclose(matrix / ONE_DEGREE_KM, [[0, 2, 3], [1, 1, 2]], atol=1e-9)


def test_nearest_destination_and_its_position():
    distance, position = geo.nearest_km([0.0, 2.9], [0.0, 0.0], [3.0, 0.5], [0.0, 0.0])
    np.testing.assert_allclose(distance / ONE_DEGREE_KM, [0.5, 0.1], atol=1e-9)
    assert position.tolist() == [1, 0]


def test_nearest_without_destinations_is_nan():
    distance, position = geo.nearest_km([0.0, 1.0], [0.0, 0.0], [], [])
    assert np.isnan(distance).all()
    assert position.tolist() == [-1, -1]


def test_bounding_box_includes_its_edges():
    inside = geo.within_bounds([0, 1, 1.01, 0.5], [0, 1, 0.5, -0.01], (0, 0, 1, 1))
    assert inside.tolist() == [True, True, False, False]


def test_totals_within_count_destinations_inside_each_limit_inclusive():
    distance = np.array([[0.0, 5.0, 12.0], [7.0, 10.0, 30.0]])
    totals = geo.totals_within(distance, [5, 10, 20], [100, 10, 1])
    # Origin 0: 100 + 10 at 5 km (limit included), + 1 at 12 km; origin 1: 0, then 100 + 10.
    np.testing.assert_allclose(totals, [[110, 110, 111], [0, 110, 110]])


def test_huff_shares_sum_to_one_and_follow_distance():
    distance = np.array([[1.0, 2.0, 4.0], [4.0, 2.0, 1.0], [3.0, 3.0, 3.0]])
    shares = geo.huff_shares(distance, [1.0, 1.0, 1.0], decay=2.0)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0)
    # Nearer is likelier, in the inverse square of distance: 1 : 1/4 : 1/16.
    np.testing.assert_allclose(shares[0], np.array([16, 4, 1]) / 21)
    assert shares[1].argmax() == 2
    np.testing.assert_allclose(shares[2], 1 / 3)  # same distance, same attractiveness


def test_huff_shares_are_proportional_to_attractiveness_at_equal_distance():
    shares = geo.huff_shares([[2.0, 2.0]], [3.0, 1.0], decay=1.5)
    np.testing.assert_allclose(shares, [[0.75, 0.25]])


def test_huff_decay_sharpens_the_pull_of_the_nearest():
    distance = [[1.0, 3.0]]
    weak = geo.huff_shares(distance, [1.0, 1.0], decay=0.5)[0, 0]
    strong = geo.huff_shares(distance, [1.0, 1.0], decay=3.0)[0, 0]
    assert 0.5 < weak < strong < 1.0
    assert geo.huff_shares(distance, [1.0, 1.0], decay=0.0)[0, 0] == pytest.approx(0.5)


def test_huff_minimum_distance_and_zero_distance():
    # Below min_km, distances count as min_km: 0.1 and 0.5 km both count as 1 km.
    np.testing.assert_allclose(geo.huff_shares([[0.1, 0.5]], [1, 1], 2, min_km=1.0), [[0.5, 0.5]])
    # Without a floor, a facility at zero distance takes its origin.
    np.testing.assert_allclose(geo.huff_shares([[0.0, 0.5]], [1, 5], 2), [[1.0, 0.0]])


def test_huff_refuses_bad_inputs():
    with pytest.raises(ValueError, match="one attractiveness per facility"):
        geo.huff_shares([[1.0, 2.0]], [1.0], 2)
    with pytest.raises(ValueError, match="non-negative, not all zero"):
        geo.huff_shares([[1.0, 2.0]], [0.0, 0.0], 2)
    with pytest.raises(ValueError, match="distance decay"):
        geo.huff_shares([[1.0, 2.0]], [1.0, 1.0], -1)
