"""Phase 05's processed tables, built and written in one call."""

from __future__ import annotations

import pandas as pd

from pipeline.core.phase import Phase
from pipeline.offer.coverage import (
    coverage,
    coverage_by_band,
    inventory,
    services_matrix,
    white_zones,
)
from pipeline.offer.location import (
    check_coordinates,
    fill_codes,
    locate,
    nearby,
    town_halls,
    with_location,
)
from pipeline.portrait.outputs import COMMUNES
from pipeline.sources.mediation import MEDIATION_FILE
from pipeline.sources.places import OTHER_FILE, read_places


def build(phase: Phase) -> dict[str, pd.DataFrame]:
    """Every table of the phase, written: places on and around the territory, services matrix,
    coverage by commune and by band, white zones by commune, inventory by category and
    location."""
    bands = [float(b) for b in phase.params["offer"]["bands_km"]]
    communes = phase.read(COMMUNES)
    raw = fill_codes(
        read_places(phase.raw_dir / MEDIATION_FILE, phase.raw_dir / OTHER_FILE), communes
    )
    raw = check_coordinates(raw, communes, max(bands)).drop(columns="line")
    located = locate(raw, town_halls(communes, raw))
    places = with_location(nearby(located, communes, max(bands)), communes)
    matrix = services_matrix(places)
    cover = coverage(communes, places, matrix, bands)
    tables = {
        "places": places,
        "services_matrix": matrix,
        "coverage": cover,
        "coverage_by_band": coverage_by_band(cover, bands),
        "white_zones": white_zones(cover),
        "inventory": inventory(places),
    }
    for name, table in tables.items():
        phase.write(table, name)
    return tables
