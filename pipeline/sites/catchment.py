"""Phase 08: the people around each candidate site, by distance band, and those it would draw
against the existing places (Huff model). Distances are straight lines between town halls and
sites (haversine)."""

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
    frames = []
    for group in groups.columns:
        weights = groups[group].to_numpy(dtype=float)
        counts = geo.totals_within(distance, bands, weights)
        total = weights.sum()
        for b, band in enumerate(bands):
            frames.append(
                pd.DataFrame(
                    {
                        "site_id": sites["site_id"].to_numpy(),
                        "band_km": band,
                        "group": group,
                        "label": group_label(group),
                        "count": counts[:, b],
                        "share": counts[:, b] / total if total > 0 else 0.0,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


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
