"""Phase 02, commuting and mobility: MOBPRO flows, distances, telework potential."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from pipeline import fmt
from pipeline.geo import haversine_km
from pipeline.territory import commune_points, read_populations

TRANS_LABELS = {
    "1": "Pas de transport",
    "2": "Marche",
    "3": "Vélo",
    "4": "Deux-roues motorisé",
    "5": "Voiture",
    "6": "Transports en commun",
    "Z": "Sans objet",
}
REQUIRED = ["COMMUNE", "DCLT", "IPONDI", "TRANS"]


class MobproFormatError(ValueError):
    """A MOBPRO file does not have the expected shape."""


def read_mobpro(path: Path, codes: list[str]) -> pd.DataFrame:
    """Rows of a MOBPRO detail file whose residence is one of `codes`.

    DuckDB filters while it reads, so the national file never sits whole in memory.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: MOBPRO file not found")
    con = duckdb.connect()
    quoted = str(path).replace("'", "''")
    source = (
        f"read_parquet('{quoted}')"
        if path.suffix == ".parquet"
        else f"read_csv('{quoted}', delim=';', header=true, all_varchar=true)"
    )
    columns = [c[0] for c in con.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    if missing := [c for c in REQUIRED if c not in columns]:
        raise MobproFormatError(f"{path}: missing column(s) {', '.join(missing)} (separator ';'?)")
    keep = [
        c
        for c in ["COMMUNE", "DCLT", "IPONDI", "TRANS", "SEXE", "AGEREVQ", "GS", "CS1"]
        if c in columns
    ]
    con.register("codes", pd.DataFrame({"code": codes}))
    query = (
        f"SELECT {', '.join(keep)} FROM {source} "
        "WHERE CAST(COMMUNE AS VARCHAR) IN (SELECT code FROM codes)"
    )
    table = con.sql(query).df()
    table["IPONDI"] = pd.to_numeric(table["IPONDI"], errors="raise")
    return table


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


def add_distances(flows: pd.DataFrame, detour: float, speed_kmh: float) -> pd.DataFrame:
    """Town hall to town hall distance × detour factor, and the car time it implies."""
    points = commune_points(set(flows["origin"]) | set(flows["destination"])).set_index("code")
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


def main_destinations(
    flows: pd.DataFrame, epci_codes: list[str], names: dict, top: int = 10
) -> pd.DataFrame:
    """Largest workplace communes of the territory's commuters who leave home."""
    out = flows[flows["origin"] != flows["destination"]]
    dest = out.groupby("destination", as_index=False)["workers"].sum().nlargest(top, "workers")
    dest["inside_epci"] = dest["destination"].isin(epci_codes)
    dest["nom"] = dest["destination"].map(names).fillna(dest["destination"])
    dest["share_of_outflows"] = dest["workers"] / out["workers"].sum()
    return dest.reset_index(drop=True)


def mode_shares(mobpro: pd.DataFrame) -> pd.DataFrame:
    shares = mobpro.groupby("TRANS")["IPONDI"].sum() / mobpro["IPONDI"].sum()
    return pd.DataFrame(
        {"trans": shares.index, "mode": shares.index.map(TRANS_LABELS), "share": shares.to_numpy()}
    )


def telework_pool(flows: pd.DataFrame, min_km: float, teleworkable_share: float) -> pd.DataFrame:
    """Potential third-place teleworkers by commune of residence.

    Assumptions: a worker whose commute is at least `min_km` would gain from working near
    home, and `teleworkable_share` of workers hold jobs that can be done remotely.
    """
    long = flows[flows["distance_km"] >= min_km].groupby("origin")["workers"].sum()
    total = flows.groupby("origin")["workers"].sum()
    out = pd.DataFrame({"workers": total, "long_commuters": long.reindex(total.index).fillna(0.0)})
    out["telework_pool"] = out["long_commuters"] * teleworkable_share
    return out.reset_index(names="code")


def build(phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, from the MOBPRO file and the territory base of phase 01."""
    p = phase.params["mobility"]
    communes = phase.read("01_portrait", "communes")
    mobpro = read_mobpro(
        phase.raw_dir / f"FD_MOBPRO_{p['census_vintage']}.csv", list(communes["code"])
    )
    flows = add_distances(od_flows(mobpro), p["detour_factor"], p["speed_kmh"])
    everywhere = read_populations(phase.root / phase.params["inputs"]["populations"])
    names = dict(zip(everywhere["code"], everywhere["nom"]))
    names |= dict(zip(communes["code"], communes["nom"]))
    pool = telework_pool(flows, p["telework_min_km"], p["teleworkable_share"])
    pool.insert(1, "nom", pool["code"].map(names))
    return {
        "flows": flows,
        "stay_share": stay_share(flows).assign(nom=lambda t: t["code"].map(names)),
        "destinations": main_destinations(flows, list(communes["code"]), names),
        "mode_shares": mode_shares(mobpro),
        "telework_pool": pool,
    }


def telework_table(pool: pd.DataFrame, stay: pd.DataFrame) -> pd.DataFrame:
    """Readers' table: workers, share working in their commune, long commuters, telework pool."""
    merged = pool.merge(stay[["code", "stay_share"]], on="code").sort_values(
        "telework_pool", ascending=False, kind="stable"
    )
    return pd.DataFrame(
        {
            "Commune": merged["nom"],
            "Actifs occupés": merged["workers"].round(0).astype(int),
            "Travaillent dans leur commune": merged["stay_share"].map(fmt.percent),
            "Trajets longs": merged["long_commuters"].round(0).astype(int),
            "Télétravailleurs potentiels": merged["telework_pool"].round(0).astype(int),
        }
    ).reset_index(drop=True)
