"""Phase 08's tables: the candidate sites ranked (with the one phase 08 recommends), their
catchment (by distance and by road time), the location models, the ranking's robustness and
the facilities near each site (INSEE's BPE), written in one call."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.demand.outputs import SEGMENTS_BY_COMMUNE
from pipeline.offer.outputs import PLACES
from pipeline.portrait.outputs import COMMUNES
from pipeline.sites import outputs
from pipeline.sites.candidates import SITES_FILE, measured, read_sites
from pipeline.sites.catchment import (
    accessibility,
    demand_groups,
    huff_capture,
    time_accessibility,
)
from pipeline.sites.equipment import equipment_near, ftth_share
from pipeline.sites.location import location_models
from pipeline.sites.ranking import FLAGS, decision_matrix, rank_sensitivity, rank_sites
from pipeline.sites.robustness import monte_carlo, weight_stability
from pipeline.sources.bpe import bpe_file, read_bpe
from pipeline.sources.broadband import BROADBAND_FILE, read_broadband

COLUMNS = [
    "site_id",
    "nom",
    "commune",
    "nom_commune",
    "lon",
    "lat",
    "surface_m2",
    "loyer_annuel_eur",
    "cost_per_m2_year",
    "population_in_band",
    "nearest_place_km",
    "score",
    "rank",
]
# Columns added for readers and later phases; `recommended` marks the site phase 08
# recommends (read it with `outputs.recommended_site`); `ftth_share`, the FttH coverage of
# the site's commune (ARCEP), is read by phase 10's feasibility.
EXTRA_COLUMNS = ["huff_capture", "huff_share", "p_first", "p_top2", "recommended", "ftth_share"]


def road_settings(phase: Phase) -> tuple[float, float]:
    """Phase 02's detour factor and average car speed (the `mobility` section, with the
    territory's own), which turn town hall-to-site distances into road times."""
    mobility = phase.settings.mobility if phase.settings is not None else None
    if mobility is None:
        raise ValueError(
            "phase 08 reads mobility.detour_factor and mobility.speed_kmh: declare the mobility "
            "section in the params of stage 08_sites (dvc.yaml)"
        )
    return mobility.detour_factor, mobility.speed_kmh


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of phase 08, written to its processed folder."""
    settings = phase.params["sites"]
    detour_factor, speed_kmh = road_settings(phase)
    criteria = settings["criteria"]
    communes = phase.read(COMMUNES)
    places = phase.read(PLACES)
    sites = measured(
        read_sites(phase.raw_dir / SITES_FILE, communes),
        communes,
        places,
        float(settings["band_km"]),
    )
    codes = list(communes["code"])
    sites["ftth_share"] = ftth_share(sites, read_broadband(phase.raw_dir / BROADBAND_FILE, codes))
    groups = demand_groups(communes, phase.read(SEGMENTS_BY_COMMUNE))
    huff = huff_capture(sites, communes, places, groups, settings["huff"])
    people = huff[huff["group"] == "population"].set_index("site_id")
    sites["huff_capture"] = sites["site_id"].map(people["captured"])
    sites["huff_share"] = sites["site_id"].map(people["share"])
    ranked = rank_sites(sites, criteria)
    matrix = decision_matrix(ranked, list(dict.fromkeys([*criteria, *FLAGS])))
    robustness = monte_carlo(matrix, criteria, settings["monte_carlo"])
    ranked = ranked.merge(robustness[["site_id", "p_first", "p_top2"]], on="site_id", how="left")
    tables = {
        outputs.SITES: ranked[[*COLUMNS, *EXTRA_COLUMNS]],
        outputs.DECISION_MATRIX: matrix,
        outputs.EQUIPMENT: equipment_near(
            sites, read_bpe(phase.raw_dir / bpe_file(settings["equipment"]["bpe_vintage"]), codes), settings["equipment"]
        ),
        outputs.RANK_SENSITIVITY: rank_sensitivity(matrix, criteria),
        outputs.ACCESSIBILITY: accessibility(sites, communes, groups, settings["bands_km"]),
        outputs.TRAVEL_TIME: time_accessibility(
            sites, communes, groups, settings["bands_min"], detour_factor, speed_kmh
        ),
        outputs.HUFF: huff,
        outputs.LOCATION_MODELS: location_models(
            sites, communes, float(settings["band_km"]), settings["coverage_p"]
        ),
        outputs.MONTE_CARLO: robustness,
        outputs.WEIGHT_STABILITY: weight_stability(matrix, criteria),
    }
    for handle, table in tables.items():
        phase.write(table, handle.name)
    return {handle.name: table for handle, table in tables.items()}
