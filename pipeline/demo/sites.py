"""Demo candidate sites for the tiers-lieu, in the study zone's largest communes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.core.io import write_csv_atomic
from pipeline.demo.places import near_town_hall, of_commune

LABEL = "sites candidats"
FORMAT = "Fiche de sites candidats (CSV , UTF-8), une ligne par site"

FILE = "sites_candidats.csv"
NAMES = [
    "Ancienne école {de}",
    "Local commercial du bourg {de}",
    "Étage de la médiathèque {de}",
    "Ancien presbytère {de}",
    "Ancien hangar municipal {de}",
    "Maison des associations {de}",
    "Ancienne gendarmerie {de}",
    "Rez-de-chaussée de la mairie annexe {de}",
]
FIRST_AVAILABLE = dt.date(2026, 1, 1)


def yes_no(flag: bool) -> str:
    return "oui" if flag else "non"


def candidate_sites(
    communes: pd.DataFrame, n: int, rng: np.random.Generator, known: list[dict] = ()
) -> pd.DataFrame:
    """`n` sites: first the places the territory file names (`known_sites`: nom, commune),
    then made-up ones in the study zone's communes, largest first; characteristics are demo."""
    zone = communes[communes["in_study_zone"]].sort_values(
        ["population", "code"], ascending=[False, True]
    )
    by_code = communes.set_index("code", drop=False)
    if unknown := [s["commune"] for s in known if s["commune"] not in by_code.index]:
        raise ValueError(f"known_sites: commune(s) {', '.join(unknown)} not in the territory")
    names = rng.permutation(len(NAMES))
    rows = []
    for i in range(max(n, len(known))):
        commune = by_code.loc[known[i]["commune"]] if i < len(known) else zone.iloc[i % len(zone)]
        name = known[i]["nom"] if i < len(known) else None
        lon, lat = near_town_hall(commune, rng)
        surface = round(float(rng.uniform(100, 500)) / 5) * 5
        rent_m2 = float(rng.uniform(40, 140))
        day = FIRST_AVAILABLE + dt.timedelta(days=int(rng.integers(0, 540)))
        rows.append(
            {
                "site_id": f"S{i + 1}",
                "nom": name or NAMES[names[i % len(NAMES)]].format(de=of_commune(commune["nom"])),
                "commune": commune["code"],
                "latitude": lat,
                "longitude": lon,
                "surface_m2": surface,
                "loyer_annuel_eur": int(round(surface * rent_m2, -2)),
                "disponibilite": day.isoformat(),
                "fibre": yes_no(rng.random() < 0.5),
                "places_parking": int(rng.integers(0, 31)),
                "arret_tc": yes_no(rng.random() < 0.6),
                "acces_pmr": yes_no(rng.random() < 0.5),
            }
        )
    return pd.DataFrame(rows)


def files(demo: dict) -> list[str]:
    """Names of the files `write` writes, from the `demo` params."""
    return [FILE]


def write(ctx, rng: np.random.Generator) -> list[Path]:
    known = ctx.territory.get("known_sites", [])
    table = candidate_sites(ctx.communes, ctx.demo["sites"], rng, known)
    return [write_csv_atomic(table, ctx.out_dir / FILE)]
