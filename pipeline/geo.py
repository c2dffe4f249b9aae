"""Great-circle distances between WGS84 points, vectorised with numpy."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean Earth radius


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km between points given in degrees; inputs broadcast."""
    lon1, lat1, lon2, lat2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def distance_matrix_km(lon_from, lat_from, lon_to, lat_to) -> np.ndarray:
    """Distances from every origin (rows) to every destination (columns), in km."""
    lon_from, lat_from = np.asarray(lon_from, float), np.asarray(lat_from, float)
    return haversine_km(
        lon_from[:, None],
        lat_from[:, None],
        np.asarray(lon_to, float)[None, :],
        np.asarray(lat_to, float)[None, :],
    )


def nearest_km(lon_from, lat_from, lon_to, lat_to) -> tuple[np.ndarray, np.ndarray]:
    """For each origin, the distance to the nearest destination and that destination's position.

    With no destination, distances are NaN and positions -1.
    """
    n = len(np.asarray(lon_from))
    if len(np.asarray(lon_to)) == 0:
        return np.full(n, np.nan), np.full(n, -1)
    matrix = distance_matrix_km(lon_from, lat_from, lon_to, lat_to)
    position = matrix.argmin(axis=1)
    return matrix[np.arange(n), position], position


def within_bounds(lon, lat, bounds) -> np.ndarray:
    """Whether points fall inside a (min lon, min lat, max lon, max lat) box, edges included."""
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    min_lon, min_lat, max_lon, max_lat = bounds
    return (lon >= min_lon) & (lon <= max_lon) & (lat >= min_lat) & (lat <= max_lat)
