"""Phase 08, for readers: the facilities of INSEE's BPE near each candidate site (the nearest
France services, and how many facilities of each chosen kind lie within a radius), and the
FttH coverage of each site's commune (ARCEP). Informational: not a ranking criterion.

The BPE file holds the territory's communes: a facility just beyond the EPCI is not seen, so
near its edge the nearest distance is an upper bound.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.core import geo

FRANCE_SERVICES_LABEL = "France services"


def equipment_near(sites: pd.DataFrame, facilities: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """One row per site and facility kind (France services first, then `settings["kinds"]`):
    site_id, typequ, label, nearest_km (NaN when the file has none of the kind) and
    within_radius, the facilities of the kind within `settings["radius_km"]`."""
    kinds = {settings["france_services"]: FRANCE_SERVICES_LABEL, **settings["kinds"]}
    radius = float(settings["radius_km"])
    rows = []
    for typequ, label in kinds.items():
        found = facilities[facilities["typequ"] == typequ]
        distance = geo.distance_matrix_km(sites["lon"], sites["lat"], found["lon"], found["lat"])
        nearest = distance.min(axis=1) if len(found) else np.full(len(sites), np.nan)
        within = (distance <= radius).sum(axis=1) if len(found) else np.zeros(len(sites), int)
        rows.append(
            pd.DataFrame(
                {
                    "site_id": sites["site_id"].to_numpy(),
                    "typequ": typequ,
                    "label": label,
                    "nearest_km": np.round(nearest, 2),
                    "within_radius": within.astype(np.int64),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def ftth_share(sites: pd.DataFrame, coverage: pd.DataFrame) -> pd.Series:
    """FttH coverage of each site's commune (ARCEP), NaN where the file lacks the commune."""
    return sites["commune"].map(coverage.set_index("code_insee")["ftth_share"]).astype(float)
