"""Phase 08: the people around each candidate site, by distance band and by band of road time,
and those it would draw against the existing places (Huff model). Distances are straight lines
between town halls and sites (haversine); a road time is such a distance × phase 02's detour
factor ÷ its average car speed (an estimate, not a routed isochrone)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import geo

# Short French names of the demand groups counted around sites (population and segments).
GROUP_LABELS = {
    "population": "Habitants",
    "teleworkers": "Télétravailleurs potentiels",
    "independents": "Indépendants et chefs d'entreprise",
    "job_seekers": "Demandeurs d'emploi",
    "students": "Étudiants",
    "digital_help": "Personnes à aider avec le numérique",
    "organisations": "Entreprises et associations",
}


def group_label(group: str) -> str:
    return GROUP_LABELS.get(group, group)


def demand_groups(communes: pd.DataFrame, segments: pd.DataFrame | None) -> pd.DataFrame:
    """Head counts by commune (rows, in the order of `communes`): population, then one column
    per segment of phase 07 (0 where a commune has none)."""
    groups = pd.DataFrame(
        {"population": communes["population"].to_numpy(dtype=float)}, index=communes["code"]
    )
    if segments is not None and len(segments):
        wide = segments.pivot_table(
            index="code", columns="segment", values="base", aggfunc="sum", sort=False
        )
        groups = groups.join(wide.reindex(groups.index).fillna(0.0))
    return groups.rename_axis("code")


# A commune exactly at a band's limit is inside it (limits are inclusive); times are compared
# with this allowance (a millionth of a minute) so that × detour ÷ speed rounding noise never
# moves a commune out of a band it reaches exactly.
TIME_TOLERANCE_MIN = 1e-6


def _counts_by_band(
    site_ids, groups: pd.DataFrame, matrix: np.ndarray, limits, band_column: str, bands
) -> pd.DataFrame:
    """People of each group (columns of `groups`) whose town hall is within each limit of each
    site (`matrix`: sites x communes), as a long table: site_id, `band_column`, group, label,
    count, share of the group's total."""
    frames = []
    for group in groups.columns:
        weights = groups[group].to_numpy(dtype=float)
        counts = geo.totals_within(matrix, limits, weights)
        total = weights.sum()
        for b, band in enumerate(bands):
            frames.append(
                pd.DataFrame(
                    {
                        "site_id": np.asarray(site_ids),
                        band_column: band,
                        "group": group,
                        "label": group_label(group),
                        "count": counts[:, b],
                        "share": counts[:, b] / total if total > 0 else 0.0,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def accessibility(
    sites: pd.DataFrame, communes: pd.DataFrame, groups: pd.DataFrame, bands_km
) -> pd.DataFrame:
    """People of each group whose town hall lies within each band of each site (cumulative:
    "within 10 km" includes "within 5 km"), and their share of the territory's total (long
    table: site_id, band_km, group, label, count, share)."""
    distance = geo.distance_matrix_km(
        sites["lon"], sites["lat"], communes["mairie_lon"], communes["mairie_lat"]
    )
    bands = [float(b) for b in bands_km]
    return _counts_by_band(sites["site_id"].to_numpy(), groups, distance, bands, "band_km", bands)


def road_minutes(distance_km, detour_factor: float, speed_kmh: float) -> np.ndarray:
    """Car time in minutes estimated from straight-line distances: × the detour factor (road
    distance / straight line) ÷ the average door-to-door speed, phase 02's rule."""
    return np.asarray(distance_km, dtype=float) * float(detour_factor) / float(speed_kmh) * 60.0


def straight_radius_km(minutes, detour_factor: float, speed_kmh: float) -> np.ndarray:
    """The straight-line distance a road time reaches (inverse of `road_minutes`)."""
    return np.asarray(minutes, dtype=float) / 60.0 * float(speed_kmh) / float(detour_factor)


def time_accessibility(
    sites: pd.DataFrame,
    communes: pd.DataFrame,
    groups: pd.DataFrame,
    bands_min,
    detour_factor: float,
    speed_kmh: float,
) -> pd.DataFrame:
    """People of each group whose town hall lies within each band of road time of each site
    (cumulative, limits inclusive: a commune at exactly 15 min is within 15 min), and their
    share of the territory's total (long table: site_id, band_min, radius_km, group, label,
    count, share; `radius_km` is the straight-line distance the band reaches, so a band counts
    the same people as the distance band of that radius)."""
    minutes = road_minutes(
        geo.distance_matrix_km(
            sites["lon"], sites["lat"], communes["mairie_lon"], communes["mairie_lat"]
        ),
        detour_factor,
        speed_kmh,
    )
    bands = [float(b) for b in bands_min]
    limits = [b + TIME_TOLERANCE_MIN for b in bands]
    table = _counts_by_band(sites["site_id"].to_numpy(), groups, minutes, limits, "band_min", bands)
    table.insert(2, "radius_km", straight_radius_km(table["band_min"], detour_factor, speed_kmh))
    return table


def place_attractiveness(places: pd.DataFrame) -> np.ndarray:
    """Attractiveness of an existing place: the number of analysed services it offers."""
    return (
        places["services"]
        .fillna("")
        .map(lambda text: len([s for s in text.split("|") if s]))
        .to_numpy(dtype=float)
    )


def huff_capture(
    sites: pd.DataFrame,
    communes: pd.DataFrame,
    places: pd.DataFrame,
    groups: pd.DataFrame,
    settings: dict,
) -> pd.DataFrame:
    """Each site's expected share of each commune's people against the existing places (Huff
    model, one site opened at a time), summed by group (long table: site_id, group, label,
    captured, total, share). A candidate's attractiveness is `site_services`; a place's is the
    number of services it offers."""
    decay = float(settings["decay"])
    min_km = float(settings["min_km"])
    site_services = float(settings["site_services"])
    to_places = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], places["lon"], places["lat"]
    )
    to_sites = geo.distance_matrix_km(
        communes["mairie_lon"], communes["mairie_lat"], sites["lon"], sites["lat"]
    )
    attractiveness = np.concatenate([[site_services], place_attractiveness(places)])
    rows = []
    for s, site_id in enumerate(sites["site_id"]):
        distance = np.column_stack([to_sites[:, s], to_places])
        share = geo.huff_shares(distance, attractiveness, decay, min_km)[:, 0]
        for group in groups.columns:
            weights = groups[group].to_numpy(dtype=float)
            captured = float(weights @ share)
            total = float(weights.sum())
            rows.append(
                {
                    "site_id": site_id,
                    "group": group,
                    "label": group_label(group),
                    "captured": captured,
                    "total": total,
                    "share": captured / total if total > 0 else 0.0,
                }
            )
    return pd.DataFrame(rows)
