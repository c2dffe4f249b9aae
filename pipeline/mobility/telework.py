"""Phase 02 telework potential: long commuters in teleworkable jobs, from MOBPRO rows.

A commute is long from `mobility.telework_min_km`; the share of teleworkable jobs of each
socio-professional group is a study assumption (`mobility.teleworkable_share`). The pool is
given by commune of residence and by group (`views.telework_assumptions` words its rules).
"""

from __future__ import annotations

import warnings

import pandas as pd

from pipeline.sources.mobpro import group_of

NO_TRANSPORT = "1"
# Socio-professional groups: PCS 2020 `GS` and PCS 2003 `CS1` share codes 1-6 for workers.
GROUP_LABELS = {
    "1": "Agriculteurs exploitants",
    "2": "Artisans, commerçants et chefs d'entreprise",
    "3": "Cadres et professions intellectuelles supérieures",
    "4": "Professions intermédiaires",
    "5": "Employés",
    "6": "Ouvriers",
}


def teleworkable_shares(params: dict, group: str) -> dict[str, float]:
    """The share of teleworkable jobs of each group code, for the file's group column (the
    shares themselves are checked by `pipeline.core.settings.mobility`)."""
    table = params.get(group)
    if not isinstance(table, dict):
        raise ValueError(f"params.yaml mobility.teleworkable_share has no {group} table")
    return {str(k): float(v) for k, v in table.items()}


def commute_rows(mobpro: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """Each MOBPRO row with the distance of its home-work pair (`flows.add_distances`)."""
    dist = flows.set_index(["origin", "destination"])["distance_km"]
    pairs = pd.MultiIndex.from_arrays([mobpro["COMMUNE"], mobpro["DCLT"]])
    return mobpro.assign(distance_km=dist.reindex(pairs).to_numpy())


def telework_rows(
    mobpro: pd.DataFrame, flows: pd.DataFrame, min_km: float, shares: dict[str, float]
) -> pd.DataFrame:
    """Row-level telework potential: weight × teleworkable share of the worker's group,
    counted when the commute is long.

    A commute is long when the home-work distance (town halls × detour) is at least
    `min_km`. Workers who declare no transport (TRANS=1, working at home) do not commute;
    a workplace without a known distance (abroad) is not counted as long; TRANS=Z rows are
    counted by their distance like the others. A group code missing from `shares` counts
    as not teleworkable (share 0), with a warning.
    """
    group = group_of(mobpro)
    rows = commute_rows(mobpro, flows)
    unknown = sorted(set(rows[group]) - set(shares))
    if unknown:
        warnings.warn(
            f"{group} code(s) {', '.join(map(str, unknown))} have no teleworkable share in "
            "params.yaml (mobility.teleworkable_share): counted as not teleworkable",
            stacklevel=2,
        )
    rows["share"] = rows[group].map(shares).fillna(0.0)
    rows["long"] = (rows["distance_km"] >= min_km) & (rows["TRANS"] != NO_TRANSPORT)
    rows["teleworkable"] = rows["IPONDI"] * rows["share"]
    rows["pool"] = rows["teleworkable"].where(rows["long"], 0.0)
    rows["long_weight"] = rows["IPONDI"].where(rows["long"], 0.0)
    return rows


def telework_pool(
    mobpro: pd.DataFrame, flows: pd.DataFrame, min_km: float, shares: dict[str, float]
) -> pd.DataFrame:
    """Potential third-place teleworkers by commune of residence, from individual rows.

    Columns: code, workers (all employed residents), long_commuters (commute of at least
    `min_km`), teleworkable (residents in teleworkable jobs, whatever their commute) and
    telework_pool (long commuters in teleworkable jobs), all weighted. See `telework_rows`
    for the rules.
    """
    rows = telework_rows(mobpro, flows, min_km, shares)
    out = rows.groupby("COMMUNE").agg(
        workers=("IPONDI", "sum"),
        long_commuters=("long_weight", "sum"),
        teleworkable=("teleworkable", "sum"),
        telework_pool=("pool", "sum"),
    )
    return out.reset_index(names="code")


def telework_groups(
    mobpro: pd.DataFrame, flows: pd.DataFrame, min_km: float, shares: dict[str, float]
) -> pd.DataFrame:
    """The pool by socio-professional group: how each assumed share weighs in the result."""
    rows = telework_rows(mobpro, flows, min_km, shares)
    group = group_of(mobpro)
    out = rows.groupby(group).agg(
        workers=("IPONDI", "sum"),
        long_commuters=("long_weight", "sum"),
        telework_pool=("pool", "sum"),
    )
    codes = sorted(set(out.index) | set(shares))
    out = out.reindex(codes, fill_value=0.0).reset_index(names="group")
    out.insert(0, "column", group)
    out.insert(2, "label", out["group"].map(GROUP_LABELS).fillna("Groupe non renseigné"))
    out.insert(3, "teleworkable_share", out["group"].map(shares).fillna(0.0))
    return out
