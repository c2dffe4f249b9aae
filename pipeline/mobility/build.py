"""Phase 02, commuting and mobility: every table of the phase, built and written in one call."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.mobility import flows, views
from pipeline.mobility.telework import telework_groups, telework_pool, teleworkable_shares
from pipeline.portrait.outputs import COMMUNES
from pipeline.sources.communes import read_populations
from pipeline.sources.mobpro import MobproFormatError, group_of, mobpro_path, read_mobpro


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, from the MOBPRO file and the territory base of phase 01;
    each table is written to the phase's folder."""
    p = phase.params["mobility"]
    communes = phase.read(COMMUNES)
    codes = list(communes["code"])
    vintage = int(p["census_vintage"])
    mobpro = read_mobpro(mobpro_path(phase.raw_dir, vintage), codes, vintage)
    if mobpro.empty:
        raise MobproFormatError(
            f"{mobpro_path(phase.raw_dir, vintage)}: no resident of the territory's "
            f"{len(codes)} communes (wrong file or vintage?)"
        )
    od = flows.add_distances(flows.od_flows(mobpro), p["detour_factor"], p["speed_kmh"])
    everywhere = read_populations(phase.root / phase.params["inputs"]["populations"])
    names = dict(zip(everywhere["code"], everywhere["nom"]))
    names |= dict(zip(communes["code"], communes["nom"]))
    group = group_of(mobpro)
    shares = teleworkable_shares(p["teleworkable_share"], group)
    pool = telework_pool(mobpro, od, p["telework_min_km"], shares)
    pool.insert(1, "nom", pool["code"].map(names))
    by_commune = flows.mode_shares(mobpro, by="COMMUNE")
    by_commune.insert(1, "nom", by_commune["code"].map(names))
    lines = flows.flow_map(od, names, p["flow_map"]["min_workers"], p["flow_map"]["top"])
    tables = {
        "flows": od,
        "stay_share": flows.commuting(od, codes).assign(nom=lambda t: t["code"].map(names)),
        "destinations": flows.main_destinations(od, codes, names, p["destinations_top"]),
        "mode_shares": flows.mode_shares(mobpro),
        "mode_shares_commune": by_commune,
        "flow_map": views.label_flows(lines),
        "telework_pool": pool,
        "telework_groups": telework_groups(mobpro, od, p["telework_min_km"], shares),
        "telework_assumptions": views.telework_assumptions(p, group),
        "summary": views.summary(flows.key_figures(mobpro, od, codes, pool)),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables
