import math

import numpy as np
import pytest

from pipeline import geo

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
