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


def totals_within(distance_km, limits_km, weights) -> np.ndarray:
    """Sum of `weights` of the destinations (columns) within each limit, for each origin (row).

    `distance_km` is an origins x destinations matrix; limits are inclusive; the result has one
    row per origin and one column per limit (cumulative: "within 10 km" includes "within 5 km").
    """
    distance = np.asarray(distance_km, dtype=float)
    weights = np.asarray(weights, dtype=float)
    limits = np.asarray(limits_km, dtype=float)
    within = distance[:, :, None] <= limits[None, None, :]
    return np.einsum("ijk,j->ik", within, weights)


def huff_shares(distance_km, attractiveness, decay: float, min_km: float = 0.0) -> np.ndarray:
    """Huff model: probability that each origin (row) patronises each facility (column).

    P[i, j] = A_j d_ij^-decay / sum_k A_k d_ik^-decay, so every row sums to 1. Distances shorter
    than `min_km` count as `min_km` (a facility in the origin's own town is not infinitely
    attractive); with `min_km` = 0 a zero distance takes the whole origin.
    """
    distance = np.maximum(np.asarray(distance_km, dtype=float), float(min_km))
    attractiveness = np.asarray(attractiveness, dtype=float)
    if distance.ndim != 2 or distance.shape[1] != attractiveness.shape[0]:
        raise ValueError(
            f"huff_shares: expected an origins x facilities matrix with one attractiveness per "
            f"facility, found shapes {distance.shape} and {attractiveness.shape}"
        )
    if (attractiveness < 0).any() or not (attractiveness > 0).any():
        raise ValueError("huff_shares: attractiveness must be non-negative, not all zero")
    if decay < 0:
        raise ValueError(f"huff_shares: expected a non-negative distance decay, found {decay}")
    with np.errstate(divide="ignore", invalid="ignore"):
        power = distance ** (-float(decay))
        utility = np.where(attractiveness[None, :] > 0, attractiveness[None, :] * power, 0.0)
    at_zero = np.isinf(utility)
    if at_zero.any():  # a facility at zero distance takes its origin (shared if several)
        utility = np.where(at_zero.any(axis=1, keepdims=True), at_zero.astype(float), utility)
    return utility / utility.sum(axis=1, keepdims=True)
